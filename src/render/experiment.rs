//! Figures of an experiment folder from `vcsim compare`: the end-of-run calcium content of
//! every arm (`arm-comparison`), the mean time courses of every arm with 95% bands
//! (`timecourses-arms`) and, for a dose series, the end-of-run readouts against the dose
//! (`dose-response`, drawn in [`super::dose`]).
//!
//! The figures read only the files `vcsim compare` writes: `experiment.json` (arm names,
//! folders and doses, replicates, the dose series), `summary.csv` (means, CIs, ratios and
//! paired p-values) and each replicate's `<arm folder>/rep<i>/timeseries.csv`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::data::Timeseries;
use super::dose;
use super::experiment_folder::{ArmSummary, Manifest, arm_colours, read_runs, read_summary};
use super::style::{self, Canvas, GREY, GRID, INK, Metrics, canvas, ipx, px, significant};
use super::timecourse::WINDOW;
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::Column;
use crate::stats;

/// Names of the figures an experiment folder can produce, in rendering order.
///
/// - `arm-comparison`: end-of-run calcium content per arm: every replicate as a point,
///   mean and 95% CI as bar and whisker, ratio to control and paired p-value above;
/// - `timecourses-arms`: calcium content, GRP78, CHOP, LC3-II, Runx2 and α-SMA over time,
///   one line per arm (mean of the replicates) with a 95% CI band;
/// - `dose-response` (only for an experiment with a `[dose_series]`): calcium content,
///   Runx2, ALP, GRP78, CHOP and apoptosis at the end of the run against the dose: mean
///   with a 95% CI band and every replicate as a point.
pub const EXPERIMENT_FIGURES: [&str; 3] = ["arm-comparison", "timecourses-arms", "dose-response"];

/// The calcium readout of the experiment figures: the calcium of the whole lattice (the
/// headline's readout; not divided by the living cells' protein, so death cannot raise
/// it), or, for a folder written before that column existed, calcium per mg of the
/// living cells' protein, labelled as such.
#[derive(Clone, Copy, Debug)]
struct Calcium {
    column: Column,
    /// The unit on the figures' axes.
    unit: &'static str,
}

impl Calcium {
    /// The readout the runs of an experiment folder recorded.
    fn of(runs: &[Vec<Timeseries>]) -> Self {
        let recorded = runs
            .first()
            .and_then(|arm| arm.first())
            .is_some_and(|r| r.column(Column::CalciumUg).is_ok());
        if recorded {
            Self {
                column: Column::CalciumUg,
                unit: "µg Ca, whole lattice",
            }
        } else {
            Self {
                column: Column::CalciumUgPerMgProtein,
                unit: "µg Ca/mg protein of living cells",
            }
        }
    }
}

/// The annotation of a non-control arm: ratio to control and paired p-value (Holm-
/// adjusted, or marked raw), one line each.
fn annotation(s: &ArmSummary) -> [String; 2] {
    let name = if s.p_is_holm { "p(Holm)" } else { "p(raw)" };
    let p = if s.p_value.is_finite() && s.p_value < 1e-4 {
        format!("{name} < 0.0001")
    } else if s.p_value.is_finite() {
        format!("{name} = {}", significant(s.p_value, 2))
    } else {
        format!("{name}: n/a")
    };
    let ratio = match s.combined {
        Some(c) if c.ratio.0.is_finite() && c.ratio.1.is_finite() => format!(
            "×{} [{}, {}]",
            significant(s.ratio, 2),
            significant(c.ratio.0, 2),
            significant(c.ratio.1, 2)
        ),
        _ => format!("×{}", significant(s.ratio, 2)),
    };
    [ratio, p]
}

/// Greedy word wrap of `text` into lines at most `max_width` pixels wide (a single word
/// may be wider); at most `max_lines` lines, the rest joined into the last.
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'_>,
    max_width: u32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(last)
                if style::text_size(area, &format!("{last} {word}"), font).0 <= max_width =>
            {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines
}

/// `arm-comparison`.
struct ArmComparison {
    name: String,
    calcium: Calcium,
    arms: Vec<String>,
    colours: Vec<RGBColor>,
    replicates: Vec<Vec<f64>>,
    summaries: Vec<ArmSummary>,
    /// Posterior draws of the runs (0 without a posterior).
    draws: usize,
}

impl Figure for ArmComparison {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let n_reps = self.replicates.first().map_or(0, Vec::len);
        let p = if self.summaries.iter().skip(1).all(|s| s.p_is_holm) {
            "p(Holm): paired t-test vs control, Holm-adjusted over all arms and readouts"
        } else {
            "p(raw): paired t-test vs control, not adjusted for multiple comparisons"
        };
        let subtitle = match self.draws {
            0 => format!(
                "{} · end of run · points: {n_reps} replicates · bar and whisker: mean and 95% CI · {p}",
                self.name
            ),
            draws => format!(
                "{} · end of run · points: {n_reps} runs ({draws} posterior draws × {} replicates) · \
                 bar and whisker: mean and 95% interval over draws and replicates (two-level \
                 bootstrap) · ratio to control [the same interval] · {p} (pooled pairs: \
                 parameter uncertainty not included)",
                self.name,
                n_reps / draws.max(1)
            ),
        };
        let used = chart::title_block(root, "Calcium content by arm", Some(&subtitle), &m)?;
        let body = root.margin(used, m.pad, m.pad, m.pad);
        let (body_w, body_h) = body.dim_in_pixel();
        let n = self.arms.len().max(1);
        #[expect(clippy::cast_precision_loss, reason = "few arms")]
        let n_f = n as f64;
        let max = self
            .replicates
            .iter()
            .flatten()
            .copied()
            .chain(self.summaries.iter().flat_map(|s| [s.mean, s.ci_high]))
            .chain(
                self.summaries
                    .iter()
                    .filter_map(|s| s.combined.map(|c| c.mean.1)),
            )
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_desc = Some(format!("calcium content ({})", self.calcium.unit));
        let tick = px(m.tick * 0.35);
        let font = Metrics::text(m.tick);
        let line_h = Metrics::line_height(m.tick);
        let top = 2 * line_h + px(m.tick * 0.8);
        // Arm names wrapped to the width of a column, measured with a first y axis.
        let guess = Axis::from_zero(max * 1.05, 6, y_desc.clone());
        let left_guess = chart::y_area_width(&body, &guess, &m);
        let column_w = f64::from(body_w.saturating_sub(left_guess + m.pad)) / n_f;
        let label_w = px(column_w * 0.92);
        let labels: Vec<Vec<String>> = self
            .arms
            .iter()
            .map(|a| wrap(&body, a, &font, label_w, 3))
            .collect();
        let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1);
        let bottom = 2 * tick + u32::try_from(label_lines).unwrap_or(1) * line_h + tick;
        let y = Axis::from_zero(
            max * 1.05,
            Axis::fit_vertical(body_h.saturating_sub(top + bottom), m.tick),
            y_desc,
        );
        let left = chart::y_area_width(&body, &y, &m);
        let x = Axis {
            lo: -0.5,
            hi: n_f - 0.5,
            ticks: (0..n).map(|i| i as f64).collect(),
            labels: vec![String::new(); n],
            desc: None,
        };
        let mut chart = chart::build(&body, &x, &y, left, bottom, top, m.pad)?;
        chart::mesh(&mut chart, &x, &y, &m, false)?;
        for t in &y.ticks {
            chart.draw_series(LineSeries::new(
                [(x.lo, *t), (x.hi, *t)],
                ShapeStyle::from(&GRID).stroke_width(2),
            ))?;
        }
        let (_, yr) = chart.plotting_area().get_pixel_range();
        let (bx, by) = body.get_base_pixel();
        let r = u32::try_from(chart::glyph_radius(&m)).unwrap_or(8);
        for (i, (reps, s)) in self.replicates.iter().zip(&self.summaries).enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "few arms")]
            let c = i as f64;
            let color = self.colours[i];
            if s.mean.is_finite() {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(c - 0.3, 0.0), (c + 0.3, s.mean)],
                    color.mix(0.22).filled(),
                )))?;
                chart.draw_series(LineSeries::new(
                    [(c - 0.3, s.mean), (c + 0.3, s.mean)],
                    style::line_style(color, m.line),
                ))?;
            }
            // With a posterior the whisker is the interval over draws and replicates.
            let (ci_low, ci_high) = s.combined.map_or((s.ci_low, s.ci_high), |c| c.mean);
            if ci_low.is_finite() && ci_high.is_finite() {
                let whisker = ShapeStyle::from(&INK).stroke_width(m.axis_line);
                chart.draw_series(LineSeries::new(
                    [(c, ci_low.max(y.lo)), (c, ci_high.min(y.hi))],
                    whisker,
                ))?;
                for v in [ci_low, ci_high] {
                    if v >= y.lo && v <= y.hi {
                        chart
                            .draw_series(LineSeries::new([(c - 0.1, v), (c + 0.1, v)], whisker))?;
                    }
                }
            }
            let k = reps.len();
            for (j, v) in reps.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                #[expect(clippy::cast_precision_loss, reason = "few replicates")]
                let offset = if k > 1 {
                    -0.18 + 0.36 * j as f64 / (k - 1) as f64
                } else {
                    0.0
                };
                let p = (c + offset, *v);
                chart.draw_series([
                    Circle::new(p, r + 2, WHITE.filled()),
                    Circle::new(p, r, color.filled()),
                ])?;
            }
            // Ratio and p-value above the column, arm name below it.
            let (cx, _) = chart.backend_coord(&(c, y.lo));
            let cx = cx - bx;
            if i > 0 {
                let [ratio, p] = annotation(s);
                let bottom_y = yr.start - by - ipx(m.tick * 0.4);
                for (text, y) in [
                    (ratio, bottom_y - i32::try_from(line_h).unwrap_or(30)),
                    (p, bottom_y),
                ] {
                    chart::fitted_text(
                        &body,
                        &text,
                        m.tick,
                        INK,
                        (cx, y),
                        HPos::Center,
                        VPos::Bottom,
                        label_w,
                    )?;
                }
            }
            let y0 = yr.end - by + ipx(f64::from(2 * tick));
            for (l, text) in labels[i].iter().enumerate() {
                chart::fitted_text(
                    &body,
                    text,
                    m.tick,
                    INK,
                    (
                        cx,
                        y0 + i32::try_from(l).unwrap_or(0) * i32::try_from(line_h).unwrap_or(30),
                    ),
                    HPos::Center,
                    VPos::Top,
                    label_w,
                )?;
            }
        }
        Ok(())
    }
}

/// One arm's mean over time with a 95% band.
#[derive(Clone, Debug)]
struct Band {
    mean: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
}

/// Mean and 95% CI (Student t, [`stats::summarise`]) of the values of `column` across
/// `runs`, row by row over the first `rows` rows; non-finite values are left out. With a
/// single replicate the band is undefined (NaN) and only the mean line is drawn.
fn band(runs: &[Timeseries], column: Column, rows: usize) -> Result<Band, RenderError> {
    let columns = runs
        .iter()
        .map(|r| r.column(column))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Band {
        mean: Vec::with_capacity(rows),
        low: Vec::with_capacity(rows),
        high: Vec::with_capacity(rows),
    };
    for t in 0..rows {
        let values: Vec<f64> = columns
            .iter()
            .map(|c| c[t])
            .filter(|v| v.is_finite())
            .collect();
        let s = stats::summarise(&values);
        out.mean.push(s.mean);
        out.low.push(s.ci_low);
        out.high.push(s.ci_high);
    }
    Ok(out)
}

/// The panels of `timecourses-arms`: title, column, y description, fold change.
fn panels(calcium: Calcium) -> [(&'static str, Column, &'static str, bool); 6] {
    [
        ("Calcium content", calcium.column, calcium.unit, false),
        ("GRP78", Column::Grp78Mean, "fold change", true),
        ("CHOP", Column::ChopMean, "fold change", true),
        (
            "LC3-II / autophagy",
            Column::Lc3iiAutophagyMean,
            "fold change",
            true,
        ),
        ("Runx2", Column::Runx2Mean, "fold change", true),
        ("α-SMA", Column::AlphaSmaMean, "fold change", true),
    ]
}

/// A treatment acting during a window: catalog ID, start and stop in days (`None`: the
/// end of the run).
type Window = (String, f64, Option<f64>);

/// Splits the windows of every arm into those all arms share and, per arm, the others.
fn split_windows(per_arm: Vec<Vec<Window>>) -> (Vec<Window>, Vec<Vec<Window>>) {
    let shared: Vec<Window> = per_arm
        .first()
        .map(|first| {
            first
                .iter()
                .filter(|w| per_arm.iter().all(|arm| arm.contains(w)))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let own = per_arm
        .into_iter()
        .map(|arm| arm.into_iter().filter(|w| !shared.contains(w)).collect())
        .collect();
    (shared, own)
}

/// `timecourses-arms`.
struct ArmTimecourses {
    name: String,
    arms: Vec<String>,
    colours: Vec<RGBColor>,
    /// \[days\] Medium changes (of the first arm's first replicate).
    changes: Vec<f64>,
    /// Treatment windows every arm has (catalog ID, start and stop in days, `None` for
    /// the end): shaded grey over the whole panel, as in a run's time courses.
    shared_windows: Vec<Window>,
    /// Per arm, the treatment windows only some arms have: a bar in the arm's colour
    /// along the top of each panel.
    arm_windows: Vec<Vec<Window>>,
    replicates: usize,
    /// Posterior draws the runs span (0 without a posterior; `replicates` then counts
    /// every run of an arm, draws × replicates).
    draws: usize,
    days: Vec<f64>,
    /// The calcium readout of the first panel.
    calcium: Calcium,
    /// Per panel, per arm.
    bands: Vec<Vec<Band>>,
}

impl ArmTimecourses {
    fn new(
        name: String,
        arms: Vec<String>,
        colours: Vec<RGBColor>,
        runs: &[Vec<Timeseries>],
        medium_every_days: Option<f64>,
        windows: Vec<Vec<Window>>,
    ) -> Result<Self, RenderError> {
        let rows = runs
            .iter()
            .flatten()
            .map(|r| r.rows().len())
            .min()
            .unwrap_or(0);
        let days: Vec<f64> = runs
            .first()
            .and_then(|a| a.first())
            .map(|r| r.column(Column::TimeDays))
            .transpose()?
            .unwrap_or_default()
            .into_iter()
            .take(rows)
            .collect();
        let calcium = Calcium::of(runs);
        let bands = panels(calcium)
            .iter()
            .map(|&(_, column, _, _)| {
                runs.iter()
                    .map(|arm| band(arm, column, rows))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let end = days.last().copied().unwrap_or(0.0);
        let (shared_windows, arm_windows) = split_windows(windows);
        Ok(Self {
            name,
            arms,
            colours,
            changes: chart::medium_changes(medium_every_days, end),
            shared_windows,
            arm_windows,
            replicates: runs.first().map_or(0, Vec::len),
            draws: 0,
            days,
            calcium,
            bands,
        })
    }

    /// Draws one panel on `area`.
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (title, _, y_desc, fold): (&str, Column, &str, bool),
        bands: &[Band],
        m: &Metrics,
        x_ticks: usize,
    ) -> Drawn<DB> {
        let (w, h) = area.dim_in_pixel();
        let title_h = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.3);
        let t_lo = self.days.first().copied().unwrap_or(0.0);
        let t_hi = self.days.last().copied().unwrap_or(1.0).max(t_lo + 1e-9);
        let x = Axis::days(t_lo, t_hi, x_ticks, Some("time (days)".to_string()));
        let bottom = chart::x_area_height(&x, m);
        let max_ticks = Axis::fit_vertical(h.saturating_sub(title_h + bottom), m.tick);
        let values = bands
            .iter()
            .flat_map(|b| b.low.iter().chain(&b.high).chain(&b.mean))
            .copied()
            .filter(|v| v.is_finite());
        let desc = Some(y_desc.to_string());
        let y = if fold {
            Axis::fold_change(values, 0.05, max_ticks, desc)
        } else {
            Axis::from_zero(values.fold(0.0, f64::max), max_ticks, desc)
        };
        let left = chart::y_area_width(area, &y, m);
        let mut chart = chart::build(area, &x, &y, left, bottom, title_h, px(m.tick * 1.2))?;
        let window_span = |start: f64, stop: Option<f64>| {
            let (a, b) = (start.max(t_lo), stop.unwrap_or(t_hi).min(t_hi));
            (b > a).then_some((a, b))
        };
        for (_, start, stop) in &self.shared_windows {
            if let Some((a, b)) = window_span(*start, *stop) {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(a, y.lo), (b, y.hi)],
                    WINDOW.filled(),
                )))?;
            }
        }
        chart::mesh(&mut chart, &x, &y, m, true)?;
        // An arm's own windows: one bar per such arm, stacked down from the top.
        let bar = (y.hi - y.lo) * 0.035;
        let mut row = 0.0;
        for (i, windows) in self.arm_windows.iter().enumerate() {
            if windows.is_empty() {
                continue;
            }
            let (top, bottom) = (y.hi - row * bar, y.hi - (row + 1.0) * bar);
            for (_, start, stop) in windows {
                if let Some((a, b)) = window_span(*start, *stop) {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(a, bottom), (b, top)],
                        self.colours[i].mix(0.85).filled(),
                    )))?;
                }
            }
            row += 1.0;
        }
        if fold && y.lo <= 1.0 && y.hi >= 1.0 {
            chart.draw_series(DashedLineSeries::new(
                [(t_lo, 1.0), (t_hi, 1.0)],
                px(m.tick * 0.5),
                px(m.tick * 0.4),
                ShapeStyle::from(&GREY).stroke_width(2),
            ))?;
        }
        let clamp = |v: f64| v.clamp(y.lo, y.hi);
        for (i, b) in bands.iter().enumerate() {
            let color = self.colours[i];
            for polygon in chart::band_polygons(&self.days, &b.low, &b.high) {
                chart.draw_series(std::iter::once(Polygon::new(
                    polygon
                        .into_iter()
                        .map(|(t, v)| (t, clamp(v)))
                        .collect::<Vec<_>>(),
                    color.mix(0.18).filled(),
                )))?;
            }
        }
        // Lines, then markers staggered along each line, so that an arm whose line lies
        // under another's (rapamycin under a combination) still shows its markers.
        let n = bands.len();
        for (i, b) in bands.iter().enumerate() {
            let points = self.days.iter().copied().zip(b.mean.iter().copied());
            for run in chart::finite_runs(points) {
                chart.draw_series(LineSeries::new(
                    run.iter().copied(),
                    style::line_style(self.colours[i], m.line),
                ))?;
                chart::draw_marks(
                    &chart,
                    &run,
                    (i, n),
                    self.colours[i],
                    chart::glyph_radius(m) * 3 / 4,
                )?;
            }
        }
        chart::time_marks(&chart, &self.changes, m)?;
        chart::panel_title(area, title, m.panel_title, left, w)
    }
}

impl Figure for ArmTimecourses {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let medium = self.changes.first().map_or_else(String::new, |every| {
            format!(
                " · ▼ medium change (every {} days)",
                style::format_day(*every)
            )
        });
        let mut windows = String::new();
        for (id, start, stop) in &self.shared_windows {
            let stop = stop.map_or_else(|| "end".to_string(), style::format_day);
            windows.push_str(&format!(
                " · shaded: {id} (day {}-{stop})",
                style::format_day(*start)
            ));
        }
        if self.arm_windows.iter().any(|w| !w.is_empty()) {
            windows.push_str(" · bars at the top: an arm's treatment window");
        }
        let subtitle = match self.draws {
            0 => format!(
                "{} · mean of {} replicates per arm, band: 95% CI{medium}{windows}",
                self.name, self.replicates
            ),
            draws => format!(
                "{} · mean of {} runs per arm ({draws} posterior draws × {} replicates), band: \
                 95% CI over the runs{medium}{windows}",
                self.name,
                self.replicates,
                self.replicates / draws
            ),
        };
        let mut used = chart::title_block(root, "Time courses by arm", Some(&subtitle), &m)?;
        let entries: Vec<Entry> = self
            .arms
            .iter()
            .enumerate()
            .map(|(i, a)| (Glyph::Marked(self.colours[i], m.line, i), a.clone()))
            .collect();
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let (cells, _, _) = chart::six_panels(root, used, style, &m);
        let panel_metrics = Metrics {
            legend: m.tick,
            ..m
        };
        let cell_w = cells.first().map_or(0, |c| c.dim_in_pixel().0);
        let t_hi = self.days.last().copied().unwrap_or(1.0);
        let x_ticks = Axis::fit(
            cell_w.saturating_sub(px(m.tick * 6.0) + m.pad),
            m.tick,
            format!("{}", t_hi.abs().round()).len(),
        )
        .min(7);
        for ((cell, panel), bands) in cells.iter().zip(panels(self.calcium)).zip(&self.bands) {
            self.panel(cell, panel, bands, &panel_metrics, x_ticks)?;
        }
        Ok(())
    }
}

/// The figures to render, in [`EXPERIMENT_FIGURES`] order.
fn selected(only: &[String]) -> Result<Vec<&'static str>, RenderError> {
    for name in only {
        if !EXPERIMENT_FIGURES.contains(&name.as_str()) {
            return Err(RenderError::UnknownFigure {
                name: name.clone(),
                known: EXPERIMENT_FIGURES.to_vec(),
            });
        }
    }
    Ok(EXPERIMENT_FIGURES
        .iter()
        .copied()
        .filter(|f| only.is_empty() || only.iter().any(|o| o == f))
        .collect())
}

/// Renders the figures of the experiment folder `dir` (written by `vcsim compare`) into
/// it and returns the files written, in [`EXPERIMENT_FIGURES`] order. `dose-response` is
/// rendered only for an experiment with a dose series.
///
/// # Errors
/// [`RenderError::MissingFile`] if `dir`, `experiment.json`, `summary.csv` or a
/// replicate's `timeseries.csv` is missing, [`RenderError::Parse`] for a damaged file,
/// [`RenderError::UnknownFigure`] for a name in `options.only` that is not in
/// [`EXPERIMENT_FIGURES`], [`RenderError::Draw`] if drawing fails or `dose-response` is
/// asked for an experiment without a dose series, and [`RenderError::Io`] if a file
/// cannot be written.
pub fn plot_experiment_folder(
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, RenderError> {
    let wanted = selected(&options.only)?;
    if !dir.is_dir() {
        return Err(RenderError::MissingFile {
            path: dir.to_path_buf(),
        });
    }
    let manifest = Manifest::read(&dir.join("experiment.json"))?;
    let explicit = !options.only.is_empty();
    let doses = dose::dose_arms(&manifest);
    if explicit && wanted.contains(&"dose-response") && doses.is_none() {
        return Err(RenderError::Draw {
            figure: "dose-response",
            message: format!(
                "{}: the experiment has no dose series (only experiments with a [dose_series] \
                 have a dose-response figure)",
                dir.join("experiment.json").display()
            ),
        });
    }
    let runs = read_runs(dir, &manifest)?;
    let calcium = Calcium::of(&runs);
    let summaries = if wanted.contains(&"arm-comparison") {
        Some(read_summary(
            &dir.join("summary.csv"),
            &manifest,
            calcium.column,
        )?)
    } else {
        None
    };
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: wanted.first().copied().unwrap_or("arm-comparison"),
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let arms: Vec<String> = manifest.arms.iter().map(|a| a.name.clone()).collect();
    let colours = arm_colours(&manifest.arms);
    let mut written = Vec::new();
    for figure in wanted {
        match (figure, &summaries) {
            ("arm-comparison", Some(summaries)) => {
                let replicates = runs
                    .iter()
                    .map(|arm| {
                        arm.iter()
                            .map(|r| {
                                r.column(calcium.column)
                                    .map(|c| c.last().copied().unwrap_or(f64::NAN))
                            })
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let fig = ArmComparison {
                    name: manifest.name.clone(),
                    calcium,
                    arms: arms.clone(),
                    colours: colours.clone(),
                    replicates,
                    summaries: summaries.clone(),
                    draws: manifest.draws,
                };
                let size = canvas(options.style, Canvas::Section);
                written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
            }
            ("timecourses-arms", _) => {
                let mut fig = ArmTimecourses::new(
                    manifest.name.clone(),
                    arms.clone(),
                    colours.clone(),
                    &runs,
                    manifest.arms.first().and_then(|a| {
                        super::data::medium_change_days(
                            &dir.join(&a.folder)
                                .join(manifest.first_run())
                                .join("manifest.json"),
                        )
                    }),
                    manifest
                        .arms
                        .iter()
                        .map(|a| {
                            super::data::treatment_windows(
                                &dir.join(&a.folder)
                                    .join(manifest.first_run())
                                    .join("manifest.json"),
                            )
                        })
                        .collect(),
                )?;
                fig.draws = manifest.draws;
                let size = canvas(options.style, Canvas::Grid);
                written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
            }
            ("dose-response", _) => {
                if let (Some(series), Some(doses)) = (&manifest.dose_series, &doses) {
                    let fig = dose::DoseResponse::new(
                        &dir.join("summary.csv"),
                        &manifest,
                        series,
                        doses,
                        &runs,
                    )?;
                    let size = canvas(options.style, Canvas::Grid);
                    written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
                }
            }
            _ => {}
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A window every arm has is shaded for all; the others belong to their arm (drawn
    /// as a bar in its colour).
    #[test]
    fn windows_every_arm_shares_are_split_from_each_arms_own() {
        let w = |id: &str, start: f64, stop: Option<f64>| (id.to_string(), start, stop);
        let (shared, own) = split_windows(vec![
            vec![w("tunicamycin", 1.0, Some(2.0))],
            vec![w("tunicamycin", 1.0, Some(2.0)), w("4-pba", 2.0, Some(4.0))],
            vec![w("tunicamycin", 1.0, Some(2.0)), w("4-pba", 3.0, None)],
        ]);
        assert_eq!(shared, [w("tunicamycin", 1.0, Some(2.0))]);
        assert_eq!(
            own,
            [
                vec![],
                vec![w("4-pba", 2.0, Some(4.0))],
                vec![w("4-pba", 3.0, None)]
            ]
        );
        let (shared, own) = split_windows(vec![vec![], vec![w("4-pba", 2.0, None)]]);
        assert!(shared.is_empty());
        assert_eq!(own[1], [w("4-pba", 2.0, None)]);
    }
}
