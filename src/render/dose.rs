//! `dose-response`: the end-of-run readouts of a dose series against the dose.
//!
//! One panel per key readout (calcium content, Runx2, ALP, GRP78, CHOP, apoptosis): the
//! mean across replicates at each dose joined by a line, its 95% CI (Student t with
//! n - 1 degrees of freedom, the `ci95_low`/`ci95_high` of `summary.csv`) as a band, and
//! every replicate's end-of-run value as a ring. The dose axis is in the treatment's
//! unit (`experiment.json`'s `dose_series.unit`), linear unless the nonzero doses span
//! more than a decade; then it is logarithmic, with dose 0 set apart to the left of a
//! break mark.

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::data::Timeseries;
use super::experiment_folder::{Manifest, SeriesInfo, read_summary};
use super::style::{self, GREY, INK, Metrics, ipx, okabe_ito, px};
use super::{Figure, RenderError, Style};
use crate::record::Column;

/// Colour of the mean line and its band.
const LINE: RGBColor = okabe_ito::BLUE;
/// Opacity of the CI band over white.
const BAND_ALPHA: f64 = 0.22;
/// Colour of the replicate rings.
const POINTS: RGBColor = okabe_ito::VERMILLION;

/// How a panel's y axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scale {
    /// Linear from 0 to a nice bound.
    FromZero,
    /// Fold change over an unstressed cell: a linear range that includes 1, with a
    /// dashed line at 1.
    Fold,
}

/// A panel: title, `timeseries.csv`/`summary.csv` column, y description, scale and the
/// factor that turns the recorded value into the plotted one.
const PANELS: [(&str, Column, &str, Scale, f64); 6] = [
    (
        "Calcium content",
        Column::CalciumUgPerMgTotalProtein,
        "µg Ca/mg protein (all cells)",
        Scale::FromZero,
        1.0,
    ),
    ("Runx2", Column::Runx2Mean, "fold change", Scale::Fold, 1.0),
    ("ALP", Column::AlpMean, "fold change", Scale::Fold, 1.0),
    ("GRP78", Column::Grp78Mean, "fold change", Scale::Fold, 1.0),
    ("CHOP", Column::ChopMean, "fold change", Scale::Fold, 1.0),
    (
        "Apoptosis",
        Column::ApoptosisIndex,
        "apoptotic cells (%)",
        Scale::FromZero,
        100.0,
    ),
];

/// \[decades\] Gap between dose 0 and the lowest nonzero dose on a log axis.
const ZERO_GAP_DECADES: f64 = 0.6;

/// The arms of the dose series (index into the manifest's arms, dose), in increasing
/// dose; `None` unless the experiment has a dose series with at least two doses.
pub(super) fn dose_arms(manifest: &Manifest) -> Option<Vec<(usize, f64)>> {
    manifest.dose_series.as_ref()?;
    let mut arms: Vec<(usize, f64)> = manifest
        .arms
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.dose.map(|d| (i, d)))
        .filter(|(_, d)| d.is_finite() && *d >= 0.0)
        .collect();
    arms.sort_by(|a, b| a.1.total_cmp(&b.1));
    (arms.len() >= 2).then_some(arms)
}

/// The dose axis: where each dose sits on the x axis.
#[derive(Clone, Copy, Debug)]
enum DoseScale {
    /// x = dose.
    Linear,
    /// x = log₁₀ dose; dose 0 at `zero`.
    Log {
        /// \[decades\] Position of dose 0.
        zero: f64,
    },
}

impl DoseScale {
    /// Linear, or log when the nonzero doses span more than a decade.
    fn of(doses: &[f64]) -> Self {
        let nonzero = doses.iter().copied().filter(|d| *d > 0.0);
        let (lo, hi) = nonzero.fold((f64::INFINITY, 0.0f64), |(lo, hi), d| {
            (lo.min(d), hi.max(d))
        });
        if lo.is_finite() && hi / lo > 10.0 {
            Self::Log {
                zero: lo.log10() - ZERO_GAP_DECADES,
            }
        } else {
            Self::Linear
        }
    }

    /// The x position of a dose.
    fn x(self, dose: f64) -> f64 {
        match self {
            Self::Linear => dose,
            Self::Log { zero } => {
                if dose > 0.0 {
                    dose.log10()
                } else {
                    zero
                }
            }
        }
    }
}

/// One panel's data, per dose arm.
#[derive(Clone, Debug)]
struct Panel {
    title: &'static str,
    y_desc: &'static str,
    scale: Scale,
    mean: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
    /// Per dose, the replicates' end-of-run values.
    points: Vec<Vec<f64>>,
}

/// `dose-response`.
pub(super) struct DoseResponse {
    title: String,
    subtitle: String,
    x_desc: String,
    doses: Vec<f64>,
    scale: DoseScale,
    panels: Vec<Panel>,
}

impl DoseResponse {
    /// Collects the figure's data: means and CIs from `summary` (`summary.csv`),
    /// replicate values from the last row of each run's time course (`runs`, per arm of
    /// `manifest`), for the dose arms `doses` (from [`dose_arms`]).
    pub(super) fn new(
        summary: &Path,
        manifest: &Manifest,
        series: &SeriesInfo,
        doses: &[(usize, f64)],
        runs: &[Vec<Timeseries>],
    ) -> Result<Self, RenderError> {
        let panels = PANELS
            .iter()
            .map(|&(title, column, y_desc, scale, factor)| {
                let rows = read_summary(summary, manifest, column)?;
                let mut panel = Panel {
                    title,
                    y_desc,
                    scale,
                    mean: Vec::new(),
                    low: Vec::new(),
                    high: Vec::new(),
                    points: Vec::new(),
                };
                for &(arm, _) in doses {
                    let s = rows[arm];
                    panel.mean.push(s.mean * factor);
                    panel.low.push(s.ci_low * factor);
                    panel.high.push(s.ci_high * factor);
                    let values = runs
                        .get(arm)
                        .map(|reps| {
                            reps.iter()
                                .map(|r| {
                                    r.column(column)
                                        .map(|c| c.last().copied().unwrap_or(f64::NAN) * factor)
                                })
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .transpose()?
                        .unwrap_or_default();
                    panel.points.push(values);
                }
                Ok(panel)
            })
            .collect::<Result<Vec<_>, RenderError>>()?;
        let doses: Vec<f64> = doses.iter().map(|(_, d)| *d).collect();
        let n = manifest.replicates;
        Ok(Self {
            title: format!("Dose-response: {}", series.name),
            subtitle: format!(
                "{} · end of run · mean of {n} replicate{} with 95% CI (Student t)",
                manifest.name,
                if n == 1 { "" } else { "s" },
            ),
            x_desc: format!("{} ({})", series.name, series.unit),
            scale: DoseScale::of(&doses),
            doses,
            panels,
        })
    }

    /// The x axis for a plot `width_px` wide on `area`: ticks at the doses themselves
    /// where their labels clear each other, else at nice values (linear) or decades
    /// (log); with the description only if `desc` is set.
    fn x_axis<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        width_px: u32,
        m: &Metrics,
        desc: bool,
    ) -> Axis {
        let xs: Vec<f64> = self.doses.iter().map(|d| self.scale.x(*d)).collect();
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
        let pad = (hi - lo) * 0.06;
        let (lo, hi) = (lo - pad, hi + pad);
        let desc = desc.then(|| self.x_desc.clone());
        // Ticks at the doses, if every label clears its neighbours.
        let font = Metrics::text(m.tick);
        let scale = f64::from(width_px) / (hi - lo);
        let labels: Vec<String> = self.doses.iter().map(|d| dose_label(*d)).collect();
        let widths: Vec<f64> = labels
            .iter()
            .map(|l| f64::from(style::text_size(area, l, &font).0))
            .collect();
        let clear = xs
            .windows(2)
            .zip(widths.windows(2))
            .all(|(x, w)| (x[1] - x[0]) * scale >= (w[0] + w[1]) / 2.0 + m.tick * 0.8);
        if clear && self.doses.len() <= 8 {
            return Axis {
                lo,
                hi,
                ticks: xs,
                labels,
                desc,
            };
        }
        match self.scale {
            DoseScale::Linear => {
                let (ticks, decimals) =
                    style::nice_ticks(lo + pad, hi - pad, Axis::fit(width_px, m.tick, 3));
                Axis {
                    lo,
                    hi,
                    labels: ticks
                        .iter()
                        .map(|t| style::format_tick(*t, decimals))
                        .collect(),
                    ticks,
                    desc,
                }
            }
            DoseScale::Log { zero } => {
                let first = (zero + ZERO_GAP_DECADES - 1e-9).ceil();
                let mut ticks = vec![zero];
                let mut labels = vec!["0".to_string()];
                let mut d = first;
                while d <= hi + 1e-9 {
                    ticks.push(d);
                    labels.push(decade_label(d));
                    d += 1.0;
                }
                Axis {
                    lo,
                    hi,
                    ticks,
                    labels,
                    desc,
                }
            }
        }
    }

    /// Draws one panel on `area`.
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        panel: &Panel,
        m: &Metrics,
        x_desc: bool,
    ) -> Drawn<DB> {
        let (w, h) = area.dim_in_pixel();
        let title_h = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.3);
        let guess = self.x_axis(area, w.saturating_sub(px(m.tick * 6.0)), m, x_desc);
        let bottom = chart::x_area_height(&guess, m);
        let max_ticks = Axis::fit_vertical(h.saturating_sub(title_h + bottom), m.tick);
        let values = panel
            .mean
            .iter()
            .chain(&panel.low)
            .chain(&panel.high)
            .chain(panel.points.iter().flatten())
            .copied()
            .filter(|v| v.is_finite());
        let desc = Some(panel.y_desc.to_string());
        let y = match panel.scale {
            Scale::FromZero => Axis::from_zero(values.fold(0.0, f64::max) * 1.04, max_ticks, desc),
            Scale::Fold => Axis::fold_change(values, 0.06, max_ticks, desc),
        };
        let left = chart::y_area_width(area, &y, m);
        let right = px(m.tick * 1.2);
        let x = self.x_axis(area, w.saturating_sub(left + right), m, x_desc);
        let mut chart = chart::build(area, &x, &y, left, bottom, title_h, right)?;
        // The description is drawn below, kept inside the panel.
        let bare = Axis {
            desc: None,
            ..x.clone()
        };
        chart::mesh(&mut chart, &bare, &y, m, true)?;
        if let Some(desc) = &x.desc {
            let (xr, _) = chart.plotting_area().get_pixel_range();
            chart::x_description(area, &xr, desc, m)?;
        }
        if panel.scale == Scale::Fold && y.lo <= 1.0 && y.hi >= 1.0 {
            chart.draw_series(DashedLineSeries::new(
                [(x.lo, 1.0), (x.hi, 1.0)],
                px(m.tick * 0.5),
                px(m.tick * 0.4),
                ShapeStyle::from(&GREY).stroke_width(2),
            ))?;
        }
        let xs: Vec<f64> = self.doses.iter().map(|d| self.scale.x(*d)).collect();
        let clamp = |v: f64| v.clamp(y.lo, y.hi);
        // On a log axis dose 0 sits left of the axis break: neither the line nor the band
        // crosses the break; its CI is a whisker.
        let apart = matches!(self.scale, DoseScale::Log { .. })
            && self.doses.first().is_some_and(|d| *d <= 0.0);
        let cut = |values: &[f64]| -> Vec<f64> {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| if apart && i == 0 { f64::NAN } else { *v })
                .collect()
        };
        if apart
            && let (Some(x0), Some(lo), Some(hi)) =
                (xs.first(), panel.low.first(), panel.high.first())
            && lo.is_finite()
            && hi.is_finite()
        {
            let whisker = ShapeStyle::from(&LINE.mix(0.6)).stroke_width(m.line);
            chart.draw_series(LineSeries::new(
                [(*x0, clamp(*lo)), (*x0, clamp(*hi))],
                whisker,
            ))?;
        }
        // The band (a gap where a bound does not exist): upper edge left to right, lower
        // edge back.
        for polygon in chart::band_polygons(&xs, &cut(&panel.low), &cut(&panel.high)) {
            chart.draw_series(std::iter::once(Polygon::new(
                polygon
                    .into_iter()
                    .map(|(x, v)| (x, clamp(v)))
                    .collect::<Vec<_>>(),
                LINE.mix(BAND_ALPHA).filled(),
            )))?;
        }
        let mean_runs = chart::finite_runs(
            xs.iter()
                .copied()
                .zip(cut(&panel.mean).iter().map(|v| clamp(*v))),
        );
        for run in &mean_runs {
            chart.draw_series(LineSeries::new(
                run.iter().copied(),
                style::line_style(LINE, m.line),
            ))?;
        }
        let means: Vec<(f64, f64)> = xs
            .iter()
            .copied()
            .zip(panel.mean.iter().map(|v| clamp(*v)))
            .filter(|(x, v)| x.is_finite() && v.is_finite())
            .collect();
        // The means as dots, then the replicates as rings on top, spread sideways so
        // that equal values stay visible.
        let r = chart::glyph_radius(m);
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let spread = f64::from(xr.end - xr.start) * 0.02;
        let plot = chart.plotting_area();
        let (bx, by) = area.get_base_pixel();
        for p in &means {
            let (px_x, px_y) = plot.map_coordinate(p);
            Glyph::Dot(LINE).draw(area, (px_x - bx, px_y - by), r * 4 / 5)?;
        }
        for (x, reps) in xs.iter().zip(&panel.points) {
            let k = reps.len();
            for (j, v) in reps.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                #[expect(clippy::cast_precision_loss, reason = "few replicates")]
                let offset = if k > 1 {
                    spread * (2.0 * j as f64 / (k - 1) as f64 - 1.0)
                } else {
                    0.0
                };
                let (px_x, px_y) = plot.map_coordinate(&(*x, clamp(*v)));
                Glyph::Ring(POINTS).draw(
                    area,
                    (px_x - bx + ipx(offset), px_y - by),
                    (r * 7 / 10).max(3),
                )?;
            }
        }
        if let DoseScale::Log { zero } = self.scale {
            // A break mark on the x axis between dose 0 and the lowest nonzero dose.
            let at = zero + ZERO_GAP_DECADES * 0.5;
            let (at_x, at_y) = chart.backend_coord(&(at, y.lo));
            let (cx, cy) = (at_x - bx, at_y - by);
            let s = ipx(m.tick * 0.3);
            area.draw(&Rectangle::new(
                [(cx - s / 2 - 2, cy - s), (cx + s / 2 + 2, cy + s)],
                WHITE.filled(),
            ))?;
            for dx in [-s / 2, s / 2] {
                area.draw(&PathElement::new(
                    vec![(cx + dx - s / 3, cy + s), (cx + dx + s / 3, cy - s)],
                    ShapeStyle::from(&INK).stroke_width(m.axis_line),
                ))?;
            }
        }
        chart::panel_title(area, panel.title, m.panel_title, left, w)
    }
}

/// The label of a dose: as short as it can be written exactly (`0`, `0.5`, `1.1`).
fn dose_label(dose: f64) -> String {
    let text = format!("{}", dose + 0.0);
    if text.contains('e') {
        format!("{dose:.3e}")
    } else {
        text
    }
}

/// The label of the decade tick at log₁₀ position `d`: 0.01, 0.1, 1, 10, 100, ...
fn decade_label(d: f64) -> String {
    #[expect(clippy::cast_possible_truncation, reason = "small decade exponents")]
    let k = d.round() as i32;
    if k >= 0 {
        format!("1{}", "0".repeat(usize::try_from(k).unwrap_or(0)))
    } else {
        format!("0.{}1", "0".repeat(usize::try_from(-k - 1).unwrap_or(0)))
    }
}

impl Figure for DoseResponse {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(root, &self.title, Some(&self.subtitle), &m)?;
        let band = RGBColor(
            blend(LINE.0, BAND_ALPHA),
            blend(LINE.1, BAND_ALPHA),
            blend(LINE.2, BAND_ALPHA),
        );
        let entries: Vec<Entry> = vec![
            (Glyph::Line(LINE, m.line), "mean".to_string()),
            (Glyph::Square(band), "95% CI of the mean".to_string()),
            (Glyph::Ring(POINTS), "replicate".to_string()),
        ];
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let (cells, rows, cols) = chart::six_panels(root, used, style, &m);
        // The dose description under the bottom row only.
        for (i, (cell, panel)) in cells.iter().zip(&self.panels).enumerate() {
            self.panel(cell, panel, &m, i / cols + 1 == rows)?;
        }
        Ok(())
    }
}

/// One channel of a colour over white at opacity `alpha`.
fn blend(channel: u8, alpha: f64) -> u8 {
    let v = 255.0 - (255.0 - f64::from(channel)) * alpha;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "v is in 0..=255"
    )]
    let out = v.round().clamp(0.0, 255.0) as u8;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_over_a_decade_get_a_log_axis_with_zero_set_apart() {
        assert!(matches!(
            DoseScale::of(&[0.0, 0.5, 1.1, 2.1]),
            DoseScale::Linear
        ));
        let scale = DoseScale::of(&[0.0, 0.1, 1.0, 10.0]);
        let DoseScale::Log { zero } = scale else {
            panic!("expected a log axis");
        };
        assert!((zero - (-1.0 - ZERO_GAP_DECADES)).abs() < 1e-12);
        assert!((scale.x(10.0) - 1.0).abs() < 1e-12);
        assert!((scale.x(0.0) - zero).abs() < 1e-12);
        assert_eq!(decade_label(-2.0), "0.01");
        assert_eq!(decade_label(0.0), "1");
        assert_eq!(decade_label(2.0), "100");
    }
}
