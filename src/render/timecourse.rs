//! `timecourses`: a grid of panels from `timeseries.csv`: UPR markers, phenotypes,
//! apoptosis, autophagy and mTORC1, the osteogenic switch and calcium content.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::data::Timeseries;
use super::style::{self, GREY, Metrics, ipx, okabe_ito, px};
use super::{Figure, RenderError, Style};
use crate::record::Column;

/// Shading of a treatment window on the time axes.
pub(super) const WINDOW: RGBColor = RGBColor(236, 236, 236);

/// How a panel's y axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YScale {
    /// Fold change on a log₂ axis, with a dashed line at 1.
    FoldChange,
    /// Linear from 0 to a nice bound.
    FromZero,
    /// Percent, 0-100.
    Percent,
}

/// One line of a panel.
#[derive(Clone, Debug)]
struct Series {
    label: &'static str,
    color: RGBColor,
    values: Vec<f64>,
}

/// One panel.
#[derive(Clone, Debug)]
struct Panel {
    title: &'static str,
    y_desc: &'static str,
    scale: YScale,
    series: Vec<Series>,
    /// Note drawn in the panel when every value is zero.
    empty_note: Option<&'static str>,
}

/// The time-course figure.
pub(crate) struct Timecourses<'a> {
    name: Option<&'a str>,
    /// The figure title.
    title: &'static str,
    /// Whether the times are hours (one cell) rather than days.
    hours: bool,
    days: Vec<f64>,
    panels: Vec<Panel>,
    /// \[days\] Medium changes, marked on every time axis.
    changes: Vec<f64>,
    /// Treatments acting during a window: catalog ID, start and stop in days, shaded.
    windows: Vec<(String, f64, Option<f64>)>,
}

impl<'a> Timecourses<'a> {
    /// Reads the columns the panels need from `series`.
    pub(crate) fn new(
        series: &Timeseries,
        name: Option<&'a str>,
        medium_every_days: Option<f64>,
        windows: Vec<(String, f64, Option<f64>)>,
    ) -> Result<Self, RenderError> {
        let col = |c: Column| series.column(c);
        let line = |label, color, values| Series {
            label,
            color,
            values,
        };
        let alive = col(Column::CellsAlive)?;
        let percent_alive = |n: Column| -> Result<Vec<f64>, RenderError> {
            Ok(col(n)?
                .iter()
                .zip(&alive)
                .map(|(v, a)| if *a > 0.0 { 100.0 * v / a } else { f64::NAN })
                .collect())
        };
        let total0 = col(Column::CellsTotal)?.first().copied().unwrap_or(0.0);
        let deaths = col(Column::ApoptoticDeathsCumulative)?
            .iter()
            .map(|d| {
                if total0 > 0.0 {
                    100.0 * d / total0
                } else {
                    f64::NAN
                }
            })
            .collect();
        let index = col(Column::ApoptosisIndex)?
            .iter()
            .map(|v| 100.0 * v)
            .collect();
        // The deaths credited to the ER-stress routes and to deposits, as % of the cells
        // at the start; absent from a time series written before the routes were counted.
        let route_deaths = |routes: &[Column]| -> Option<Vec<f64>> {
            let columns: Vec<Vec<f64>> = routes
                .iter()
                .map(|&c| series.column(c).ok())
                .collect::<Option<_>>()?;
            (total0 > 0.0).then(|| {
                (0..columns[0].len())
                    .map(|i| 100.0 * columns.iter().map(|c| c[i]).sum::<f64>() / total0)
                    .collect()
            })
        };
        let er_stress_deaths = route_deaths(&[
            Column::DeathsChopCumulative,
            Column::DeathsCaspase12Cumulative,
            Column::DeathsJnkCumulative,
        ]);
        let deposit_deaths = route_deaths(&[Column::DeathsCrystalCumulative]);
        let mut apoptosis = vec![
            line("apoptotic now", okabe_ito::REDDISH_PURPLE, index),
            line("died so far", okabe_ito::BLACK, deaths),
        ];
        if let (Some(er), Some(deposits)) = (er_stress_deaths, deposit_deaths) {
            apoptosis.push(line("died of ER stress", okabe_ito::ORANGE, er));
            apoptosis.push(line("died of deposits", okabe_ito::BLUE, deposits));
        }
        // A wall's calcium per mg of dry tissue, as aortic calcium is published; a well's
        // per mg of cell protein (its dry-tissue column is empty).
        let dry = col(Column::CalciumUgPerMgDryTissue)?;
        let (calcium_desc, calcium) = if dry.iter().any(|v| v.is_finite()) {
            ("µg Ca/mg dry tissue (wall)", dry)
        } else {
            (
                "µg Ca/mg protein (all cells)",
                col(Column::CalciumUgPerMgTotalProtein)?,
            )
        };
        let panels = vec![
            Panel {
                title: "UPR markers",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("GRP78", okabe_ito::BLUE, col(Column::Grp78Mean)?),
                    line("p-eIF2α", okabe_ito::ORANGE, col(Column::PEif2aMean)?),
                    line("ATF4", okabe_ito::BLUISH_GREEN, col(Column::Atf4Mean)?),
                    line("CHOP", okabe_ito::VERMILLION, col(Column::ChopMean)?),
                    line("XBP1s", okabe_ito::SKY_BLUE, col(Column::Xbp1sMean)?),
                    line(
                        "ATF6(N)",
                        okabe_ito::REDDISH_PURPLE,
                        col(Column::Atf6CleavedMean)?,
                    ),
                ],
                empty_note: None,
            },
            Panel {
                title: "Phenotype",
                y_desc: "% of living cells",
                scale: YScale::Percent,
                series: vec![
                    line(
                        "contractile",
                        okabe_ito::BLUISH_GREEN,
                        percent_alive(Column::Contractile)?,
                    ),
                    line(
                        "synthetic",
                        okabe_ito::SKY_BLUE,
                        percent_alive(Column::Synthetic)?,
                    ),
                    line(
                        "osteogenic",
                        okabe_ito::VERMILLION,
                        percent_alive(Column::Osteogenic)?,
                    ),
                ],
                empty_note: None,
            },
            Panel {
                title: "Apoptosis",
                y_desc: "% of cells",
                scale: YScale::FromZero,
                series: apoptosis,
                empty_note: None,
            },
            Panel {
                title: "Autophagy and mTORC1",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("LC3-II", okabe_ito::BLUE, col(Column::Lc3iiAutophagyMean)?),
                    line("mTORC1", okabe_ito::ORANGE, col(Column::Mtorc1Mean)?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Osteogenic switch",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("Runx2", okabe_ito::VERMILLION, col(Column::Runx2Mean)?),
                    line("ALP", okabe_ito::ORANGE, col(Column::AlpMean)?),
                    line("α-SMA", okabe_ito::BLUISH_GREEN, col(Column::AlphaSmaMean)?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Calcium content",
                y_desc: calcium_desc,
                scale: YScale::FromZero,
                series: vec![line("calcium", okabe_ito::BLUE, calcium)],
                empty_note: Some("no mineral"),
            },
        ];
        let days = col(Column::TimeDays)?;
        let end = days.last().copied().unwrap_or(0.0);
        Ok(Self {
            name,
            title: "Population time courses",
            hours: false,
            changes: chart::medium_changes(medium_every_days, end),
            windows,
            days,
            panels,
        })
    }
}

impl Timecourses<'static> {
    /// The time courses of one cell from a `vcsim cell` CSV (`path`, for messages): UPR
    /// sensors and outputs, mTORC1 and autophagy, the death routes, survival and the
    /// osteogenic markers, against time in hours.
    pub(crate) fn of_cell(path: &std::path::Path) -> Result<Self, RenderError> {
        let parse = |line: usize, message: String| RenderError::Parse {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut reader = csv::Reader::from_path(path).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => RenderError::Io {
                path: path.to_path_buf(),
                source,
            },
            other => parse(1, format!("{other:?}")),
        })?;
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| parse(1, e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut columns: Vec<Vec<f64>> = vec![Vec::new(); header.len()];
        for (k, record) in reader.records().enumerate() {
            let record = record.map_err(|e| parse(k + 2, e.to_string()))?;
            for (c, column) in columns.iter_mut().enumerate() {
                let field = record.get(c).unwrap_or("");
                column.push(if field.trim().is_empty() {
                    f64::NAN
                } else {
                    field.trim().parse::<f64>().unwrap_or(f64::NAN)
                });
            }
        }
        if columns.first().is_none_or(Vec::is_empty) {
            return Err(parse(
                1,
                "no data rows after the header (truncated file?)".to_string(),
            ));
        }
        let col = |name: &str| -> Result<Vec<f64>, RenderError> {
            header
                .iter()
                .position(|h| h == name)
                .map(|i| columns[i].clone())
                .ok_or_else(|| parse(1, format!("no column `{name}` (not a `vcsim cell` CSV?)")))
        };
        let line = |label, color, values| Series {
            label,
            color,
            values,
        };
        let hours: Vec<f64> = col("time_min")?.iter().map(|t| t / 60.0).collect();
        let survival = col("survival")?.iter().map(|v| 100.0 * v).collect();
        let panels = vec![
            Panel {
                title: "UPR sensors",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("p-PERK", okabe_ito::ORANGE, col("p_perk")?),
                    line("p-IRE1", okabe_ito::SKY_BLUE, col("p_ire1")?),
                    line("ATF6(N)", okabe_ito::REDDISH_PURPLE, col("atf6_cleaved")?),
                    line("free GRP78", okabe_ito::BLUE, col("free_bip")?),
                ],
                empty_note: None,
            },
            Panel {
                title: "UPR outputs",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("GRP78", okabe_ito::BLUE, col("bip_protein")?),
                    line("p-eIF2α", okabe_ito::ORANGE, col("p_eif2a")?),
                    line("ATF4", okabe_ito::BLUISH_GREEN, col("atf4")?),
                    line("CHOP", okabe_ito::VERMILLION, col("chop_protein")?),
                    line("XBP1s", okabe_ito::SKY_BLUE, col("xbp1s")?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Autophagy and mTORC1",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("autophagy flux", okabe_ito::BLUE, col("autophagy_flux")?),
                    line("mTORC1", okabe_ito::ORANGE, col("mtorc1")?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Death routes",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("p-JNK", okabe_ito::REDDISH_PURPLE, col("p_jnk")?),
                    line("caspase-12", okabe_ito::BLACK, col("caspase12_cleaved")?),
                    line("Bcl-2", okabe_ito::BLUISH_GREEN, col("bcl2")?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Osteogenic switch",
                y_desc: "fold change",
                scale: YScale::FoldChange,
                series: vec![
                    line("Runx2", okabe_ito::VERMILLION, col("runx2")?),
                    line("ALP", okabe_ito::ORANGE, col("alp")?),
                    line("α-SMA", okabe_ito::BLUISH_GREEN, col("alpha_sma")?),
                ],
                empty_note: None,
            },
            Panel {
                title: "Survival",
                y_desc: "% alive",
                scale: YScale::Percent,
                series: vec![line("survival", okabe_ito::BLACK, survival)],
                empty_note: None,
            },
        ];
        Ok(Self {
            name: None,
            title: "One cell's time courses",
            hours: true,
            days: hours,
            panels,
            changes: Vec::new(),
            windows: Vec::new(),
        })
    }
}

/// The legend of a panel: none for a single line (the panel title names it).
fn legend(panel: &Panel, width: u32) -> Vec<Entry> {
    if panel.series.len() < 2 {
        return Vec::new();
    }
    panel
        .series
        .iter()
        .enumerate()
        .map(|(k, s)| (Glyph::Marked(s.color, width, k), s.label.to_string()))
        .collect()
}

/// Formats a power of two for a fold-change tick.
fn power_of_two(k: i32) -> String {
    let v = 2f64.powi(k);
    if k >= 0 {
        format!("{v}")
    } else {
        let text = format!("{v:.4}");
        text.trim_end_matches('0').to_string()
    }
}

/// The y axis of a panel for its values.
#[expect(
    clippy::cast_possible_truncation,
    reason = "log2 of finite positive fold changes is small"
)]
fn y_axis(panel: &Panel, max_ticks: usize) -> Axis {
    let values = panel
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite());
    let desc = Some(panel.y_desc.to_string());
    match panel.scale {
        YScale::Percent => Axis::linear(0.0, 100.0, max_ticks.min(6), desc),
        YScale::FromZero => Axis::from_zero(values.fold(0.0, f64::max), max_ticks, desc),
        YScale::FoldChange => {
            let (lo, hi) = values
                .filter(|v| *v > 0.0)
                .map(f64::log2)
                .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let lo = (lo - 0.15).floor();
            let hi = (hi + 0.1).ceil();
            let span = (hi - lo) as i32;
            let slots = max_ticks.max(2) as i32 - 1;
            let step = ((span + slots - 1) / slots).max(1);
            // Ticks at multiples of the step from fold change 1.
            let ticks: Vec<i32> = (lo as i32..=hi as i32)
                .filter(|k| k.rem_euclid(step) == 0)
                .collect();
            Axis {
                lo,
                hi,
                ticks: ticks.iter().map(|k| f64::from(*k)).collect(),
                labels: ticks.iter().map(|k| power_of_two(*k)).collect(),
                desc,
            }
        }
    }
}

impl Timecourses<'_> {
    /// Draws one panel on `area`: its legend to the right of the plot (talk) or below it
    /// (paper), so that it never hides data.
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        panel: &Panel,
        m: &Metrics,
        style: Style,
        x_ticks: usize,
        below: u32,
    ) -> Drawn<DB> {
        let (w, h) = area.dim_in_pixel();
        let title_h = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.3);
        let entries = legend(panel, m.line);
        let gap = px(m.legend * 0.6);
        let (legend_right, legend_below) = match (entries.is_empty(), style) {
            (true, Style::Talk) => (0, 0),
            (false, Style::Talk) => (chart::side_legend_width(area, &entries, m) + gap, 0),
            (_, Style::Paper) => (0, below),
        };
        let t_lo = self.days.first().copied().unwrap_or(0.0);
        let t_hi = self.days.last().copied().unwrap_or(1.0).max(t_lo + 1e-9);
        let x = if self.hours {
            Axis::linear(t_lo, t_hi, x_ticks, Some("time (h)".to_string()))
        } else {
            Axis::days(t_lo, t_hi, x_ticks, Some("time (days)".to_string()))
        };
        let bottom = chart::x_area_height(&x, m);
        let y = y_axis(
            panel,
            Axis::fit_vertical(h.saturating_sub(title_h + bottom + legend_below), m.tick),
        );
        let left = chart::y_area_width(area, &y, m);
        let right = legend_right.max(px(m.tick * 1.2));
        let plot_area = area.margin(0, legend_below, 0, 0);
        let mut chart = chart::build(&plot_area, &x, &y, left, bottom, title_h, right)?;
        for (_, start, stop) in &self.windows {
            let (a, b) = (start.max(t_lo), stop.unwrap_or(t_hi).min(t_hi));
            if b > a {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(a, y.lo), (b, y.hi)],
                    WINDOW.filled(),
                )))?;
            }
        }
        chart::mesh(&mut chart, &x, &y, m, true)?;
        let transform = |v: f64| -> f64 {
            if panel.scale == YScale::FoldChange {
                if v > 0.0 { v.log2() } else { f64::NAN }
            } else {
                v
            }
        };
        if panel.scale == YScale::FoldChange && y.lo <= 0.0 && y.hi >= 0.0 {
            chart.draw_series(DashedLineSeries::new(
                [(t_lo, 0.0), (t_hi, 0.0)],
                px(m.tick * 0.5),
                px(m.tick * 0.4),
                ShapeStyle::from(&GREY).stroke_width(2),
            ))?;
        }
        let n = panel.series.len();
        for (k, s) in panel.series.iter().enumerate() {
            let points = self
                .days
                .iter()
                .zip(&s.values)
                .map(|(t, v)| (*t, transform(*v)));
            for run in chart::finite_runs(points) {
                chart.draw_series(LineSeries::new(
                    run.iter().copied(),
                    style::line_style(s.color, m.line),
                ))?;
                // Lines of one colour family (p-eIF2α and CHOP) and lines on top of each
                // other stay apart by their markers.
                if n > 1 {
                    chart::draw_marks(
                        &chart,
                        &run,
                        (k, n),
                        s.color,
                        chart::glyph_radius(m) * 3 / 4,
                    )?;
                }
            }
        }
        chart::time_marks(&chart, &self.changes, m)?;
        let all_zero = panel
            .series
            .iter()
            .all(|s| s.values.iter().all(|v| !v.is_finite() || *v == 0.0));
        if let (true, Some(note)) = (all_zero, panel.empty_note) {
            let plot = chart.plotting_area().strip_coord_spec();
            let (pw, ph) = plot.dim_in_pixel();
            plot.draw(&Text::new(
                note,
                (ipx(f64::from(pw) / 2.0), ipx(f64::from(ph) / 2.0)),
                Metrics::anchored(m.legend, HPos::Center, VPos::Center).color(&GREY),
            ))?;
        }
        if !entries.is_empty() {
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let (bx, by) = area.get_base_pixel();
            match style {
                Style::Talk => chart::side_legend(
                    area,
                    &entries,
                    m,
                    (xr.end - bx + ipx(f64::from(gap)), yr.start - by),
                )?,
                Style::Paper => {
                    chart::legend_rows(
                        area,
                        &entries,
                        m,
                        i32::try_from(h.saturating_sub(legend_below)).unwrap_or(0)
                            + ipx(f64::from(gap)),
                    )?;
                }
            }
        }
        chart::panel_title(area, panel.title, m.panel_title, left, w)?;
        Ok(())
    }
}

impl Figure for Timecourses<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut parts: Vec<String> = self.name.map(str::to_string).into_iter().collect();
        if let Some(every) = self.changes.first() {
            parts.push(format!(
                "▼ medium change (every {} days)",
                style::format_day(*every)
            ));
        }
        for (id, start, stop) in &self.windows {
            let stop = stop.map_or_else(|| "end".to_string(), style::format_day);
            parts.push(format!(
                "shaded: {id} (day {}-{stop})",
                style::format_day(*start)
            ));
        }
        let subtitle = (!parts.is_empty()).then(|| parts.join(" · "));
        let used = chart::title_block(root, self.title, subtitle.as_deref(), &m)?;
        let (cells, _, cols) = chart::six_panels(root, used, style, &m);
        let panel_metrics = Metrics {
            legend: m.tick,
            ..m
        };
        let Some(first) = cells.first() else {
            return Ok(());
        };
        // Legends below the plots (paper) take the same height in every panel, so that
        // the plots of a row line up.
        let below: Vec<u32> = self
            .panels
            .chunks(cols)
            .flat_map(|row| {
                let height = match style {
                    Style::Talk => 0,
                    Style::Paper => {
                        row.iter()
                            .map(|p| {
                                chart::legend_rows_height(first, &legend(p, m.line), &panel_metrics)
                            })
                            .max()
                            .unwrap_or(0)
                            + px(panel_metrics.legend * 0.6)
                    }
                };
                std::iter::repeat_n(height, row.len())
            })
            .collect();
        // One time axis for all panels, fitted to the narrowest plot.
        let (cell_w, _) = first.dim_in_pixel();
        let widest_legend = match style {
            Style::Talk => self
                .panels
                .iter()
                .map(|p| chart::side_legend_width(first, &legend(p, m.line), &panel_metrics))
                .max()
                .unwrap_or(0),
            Style::Paper => 0,
        };
        let t_hi = self.days.last().copied().unwrap_or(1.0);
        let x_ticks = Axis::fit(
            cell_w.saturating_sub(widest_legend + px(m.tick * 6.0) + m.pad),
            m.tick,
            format!("{}", t_hi.abs().round()).len(),
        )
        .min(7);
        for ((cell, panel), below) in cells.iter().zip(&self.panels).zip(below) {
            self.panel(cell, panel, &panel_metrics, style, x_ticks, below)?;
        }
        Ok(())
    }
}
