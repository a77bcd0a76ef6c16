//! Figures of a sweep folder (`vcsim sweep`): per readout, one panel per factor with
//! every run's value against the factor's value (rings) and the mean of each design
//! point's replicates (dots). A factor sampled on a log scale gets a log axis.
//!
//! The figures read `sweep.json` (factors, readouts) and `sweep.csv` (the runs) only. The
//! study metadata reader here is shared with the sensitivity figures.

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::style::{self, Canvas, Metrics, canvas, okabe_ito, px};
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::Column;
use crate::record::table::{CsvFile, parse_number};

/// Colour of the design points' means.
const MEAN: RGBColor = okabe_ito::BLUE;
/// Colour of the single runs.
const RUN: RGBColor = okabe_ito::VERMILLION;

/// A factor as `sweep.json` or `sensitivity.json` describe it.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct FactorInfo {
    /// Column name.
    pub name: String,
    /// Unit of the values.
    #[serde(default)]
    pub unit: String,
    /// Log scale.
    #[serde(default)]
    pub log: bool,
}

impl FactorInfo {
    /// Axis label: name (unit).
    pub fn label(&self) -> String {
        if self.unit.is_empty() || self.unit == "1" {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.unit)
        }
    }
}

/// A readout as the manifests describe it.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct ReadoutInfo {
    /// Column name in the tables.
    pub name: String,
    /// The `timeseries.csv` column.
    pub column: Column,
    /// \[days\] When.
    pub day: f64,
}

impl ReadoutInfo {
    /// The readout in words with its day.
    pub fn label(&self) -> String {
        format!(
            "{}, day {}",
            self.column.summary_label(),
            style::format_day(self.day)
        )
    }
}

/// What the figures need of `sweep.json` or `sensitivity.json`.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct StudyInfo {
    /// The sweep's name (`sweep.json`).
    #[serde(default)]
    pub sweep: Option<String>,
    /// The analysis's name (`sensitivity.json`).
    #[serde(default)]
    pub sensitivity: Option<String>,
    /// Replicates per point.
    pub replicates: usize,
    /// Factors.
    pub factors: Vec<FactorInfo>,
    /// Readouts.
    pub readouts: Vec<ReadoutInfo>,
}

/// Reads a study manifest.
pub(super) fn read_study(path: &Path) -> Result<StudyInfo, RenderError> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            RenderError::MissingFile {
                path: path.to_path_buf(),
            }
        } else {
            RenderError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    serde_json::from_str(&text).map_err(|e| RenderError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        message: e.to_string(),
    })
}

/// Whether `dir` is a sweep folder.
#[must_use]
pub fn is_sweep_folder(dir: &Path) -> bool {
    dir.join("sweep.json").is_file()
}

/// The runs of `sweep.csv`: per run its point, its factor values and its readouts.
struct Runs {
    point: Vec<usize>,
    factors: Vec<Vec<f64>>,
    readouts: Vec<Vec<f64>>,
}

fn read_runs(path: &Path, study: &StudyInfo) -> Result<Runs, RenderError> {
    let file = CsvFile::open(path)?;
    let header: Vec<String> = file.header().iter().map(str::to_string).collect();
    let column = |name: &str| -> Result<usize, RenderError> {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| RenderError::Parse {
                path: path.to_path_buf(),
                line: 1,
                message: format!("no column `{name}`"),
            })
    };
    let point_at = column("point")?;
    let factor_at = study
        .factors
        .iter()
        .map(|f| column(&f.name))
        .collect::<Result<Vec<_>, _>>()?;
    let readout_at = study
        .readouts
        .iter()
        .map(|r| column(&r.name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut runs = Runs {
        point: Vec::new(),
        factors: Vec::new(),
        readouts: Vec::new(),
    };
    file.for_each(|_, record| {
        let number = |i: usize| -> Result<f64, String> {
            let text = record.get(i).unwrap_or_default();
            parse_number(text).map_err(|m| format!("`{}` = `{text}`: {m}", header[i]))
        };
        let point = record
            .get(point_at)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| "`point` is not a whole number".to_string())?;
        runs.point.push(point);
        runs.factors.push(
            factor_at
                .iter()
                .map(|&i| number(i))
                .collect::<Result<_, _>>()?,
        );
        runs.readouts.push(
            readout_at
                .iter()
                .map(|&i| number(i))
                .collect::<Result<_, _>>()?,
        );
        Ok(())
    })?;
    Ok(runs)
}

/// The x axis of a factor's values over `[lo, hi]` (log₁₀ of the values on a log axis),
/// `width_px` wide.
pub(super) fn value_axis(
    lo: f64,
    hi: f64,
    log: bool,
    width_px: u32,
    m: &Metrics,
    desc: Option<String>,
) -> Axis {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if log {
        (lo - 0.5, hi + 0.5)
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - d, hi + d)
    };
    let pad = (hi - lo) * 0.05;
    let max_ticks = Axis::fit(width_px, m.tick, 5);
    if !log {
        let mut axis = Axis::linear(lo - pad, hi + pad, max_ticks, desc);
        (axis.lo, axis.hi) = (lo - pad, hi + pad);
        return axis;
    }
    // Decades where the range spans at least one; else nice values, placed by their
    // logarithm.
    let (first, last) = ((lo - pad).ceil(), (hi + pad).floor());
    let (ticks, labels): (Vec<f64>, Vec<String>) = if last > first {
        let mut t = Vec::new();
        let mut d = first;
        while d <= last + 1e-9 {
            t.push(d);
            d += 1.0;
        }
        t.into_iter()
            .map(|d| (d, style::significant(10f64.powf(d), 1)))
            .unzip()
    } else {
        let (values, decimals) = style::nice_ticks(10f64.powf(lo), 10f64.powf(hi), max_ticks);
        values
            .into_iter()
            .filter(|v| *v > 0.0)
            .map(|v| (v.log10(), style::format_tick(v, decimals)))
            .unzip()
    };
    Axis {
        lo: lo - pad,
        hi: hi + pad,
        ticks,
        labels,
        desc,
    }
}

/// One factor's panel.
struct Panel {
    title: String,
    x_desc: String,
    log: bool,
    /// (x, y) of every run.
    runs: Vec<(f64, f64)>,
    /// (x, y) of every point's mean.
    means: Vec<(f64, f64)>,
}

/// A readout against every factor.
struct SweepFigure {
    title: String,
    subtitle: String,
    y_desc: String,
    replicates: usize,
    panels: Vec<Panel>,
}

/// The rows and columns of `n` panels.
pub(super) fn panel_grid(n: usize, style: Style) -> (usize, usize) {
    let cols = match style {
        Style::Talk => match n {
            0..=3 => n.max(1),
            4 => 2,
            5..=6 => 3,
            _ => 4,
        },
        Style::Paper => n.clamp(1, 2),
    };
    (n.div_ceil(cols), cols)
}

impl SweepFigure {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        panel: &Panel,
        y_max: f64,
        m: &Metrics,
    ) -> Drawn<DB> {
        let (w, h) = area.dim_in_pixel();
        let title_h = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.3);
        let xs = panel.runs.iter().map(|(x, _)| *x).filter(|x| x.is_finite());
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let guess = value_axis(lo, hi, panel.log, w, m, Some(panel.x_desc.clone()));
        let bottom = chart::x_area_height(&guess, m);
        let max_ticks = Axis::fit_vertical(h.saturating_sub(title_h + bottom), m.tick);
        let y = Axis::from_zero(y_max * 1.04, max_ticks, Some(self.y_desc.clone()));
        let left = chart::y_area_width(area, &y, m);
        let right = px(m.tick * 1.2);
        let x = value_axis(
            lo,
            hi,
            panel.log,
            w.saturating_sub(left + right),
            m,
            Some(panel.x_desc.clone()),
        );
        let mut chart = chart::build(area, &x, &y, left, bottom, title_h, right)?;
        let bare = Axis {
            desc: None,
            ..x.clone()
        };
        chart::mesh(&mut chart, &bare, &y, m, true)?;
        if let Some(desc) = &x.desc {
            let (xr, _) = chart.plotting_area().get_pixel_range();
            chart::x_description(area, &xr, desc, m)?;
        }
        let plot = chart.plotting_area();
        let (bx, by) = area.get_base_pixel();
        let r = chart::glyph_radius(m);
        let inside = |(x0, y0): &(f64, f64)| x0.is_finite() && y0.is_finite();
        // The means as dots, then the single runs as rings on top.
        for p in panel.means.iter().filter(|p| inside(p)) {
            let (px_x, px_y) = plot.map_coordinate(&(p.0, p.1.min(y.hi)));
            Glyph::Dot(MEAN).draw(area, (px_x - bx, px_y - by), r * 4 / 5)?;
        }
        if self.replicates > 1 {
            for p in panel.runs.iter().filter(|p| inside(p)) {
                let (px_x, px_y) = plot.map_coordinate(&(p.0, p.1.min(y.hi)));
                Glyph::Ring(RUN).draw(area, (px_x - bx, px_y - by), (r * 6 / 10).max(3))?;
            }
        }
        chart::panel_title(area, &panel.title, m.panel_title, left, w)
    }
}

impl Figure for SweepFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(root, &self.title, Some(&self.subtitle), &m)?;
        let mut entries: Vec<Entry> = vec![(
            Glyph::Dot(MEAN),
            if self.replicates > 1 {
                format!("design point: mean of {} replicates", self.replicates)
            } else {
                "design point (one run)".to_string()
            },
        )];
        if self.replicates > 1 {
            entries.push((Glyph::Ring(RUN), "run".to_string()));
        }
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let y_max = self
            .panels
            .iter()
            .flat_map(|p| p.runs.iter().map(|(_, y)| *y))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let (rows, cols) = panel_grid(self.panels.len(), style);
        let body = root.margin(used, m.pad * 2, m.pad, m.pad);
        let half = px(f64::from(m.pad) * 0.5);
        let cells = body.split_evenly((rows, cols));
        for (cell, panel) in cells.iter().zip(&self.panels) {
            let cell = cell.margin(half, half, 0, half);
            self.panel(&cell, panel, y_max, &m)?;
        }
        Ok(())
    }
}

/// A file stem from a readout name: `sweep-<name>` with `.` replaced by `_`.
pub(super) fn stem(prefix: &str, name: &str) -> String {
    format!("{prefix}-{}", name.replace('.', "_"))
}

/// Renders the figures of the sweep folder `dir` (one per readout, `sweep-<readout>`)
/// into it and returns the files written.
///
/// # Errors
/// [`RenderError::MissingFile`] or [`RenderError::Parse`] for a missing or damaged
/// `sweep.json` or `sweep.csv`; drawing and I/O errors.
pub fn plot_sweep_folder(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, RenderError> {
    let study = read_study(&dir.join("sweep.json"))?;
    let runs = read_runs(&dir.join("sweep.csv"), &study)?;
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: "sweep",
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let name = study.sweep.clone().unwrap_or_default();
    let points = runs.point.iter().max().map_or(0, |p| p + 1);
    let mut written = Vec::new();
    for (k, readout) in study.readouts.iter().enumerate() {
        let panels = study
            .factors
            .iter()
            .enumerate()
            .map(|(j, factor)| {
                let x = |v: f64| if factor.log { v.log10() } else { v };
                let mut sums = vec![(0.0, 0.0, 0_usize); points];
                for ((p, f), r) in runs.point.iter().zip(&runs.factors).zip(&runs.readouts) {
                    sums[*p].0 = f[j];
                    if r[k].is_finite() {
                        sums[*p].1 += r[k];
                        sums[*p].2 += 1;
                    }
                }
                #[expect(clippy::cast_precision_loss, reason = "at most 100 replicates")]
                let means = sums
                    .iter()
                    .filter(|s| s.2 > 0)
                    .map(|s| (x(s.0), s.1 / s.2 as f64))
                    .collect();
                Panel {
                    title: factor.name.clone(),
                    x_desc: factor.label(),
                    log: factor.log,
                    runs: runs
                        .factors
                        .iter()
                        .zip(&runs.readouts)
                        .map(|(f, r)| (x(f[j]), r[k]))
                        .collect(),
                    means,
                }
            })
            .collect();
        let fig = SweepFigure {
            title: format!("{} against each factor", readout.label()),
            subtitle: format!(
                "sweep {name} · {points} design points × {} replicate{}",
                study.replicates,
                if study.replicates == 1 { "" } else { "s" }
            ),
            y_desc: readout.column.summary_label(),
            replicates: study.replicates,
            panels,
        };
        let size = canvas(options.style, Canvas::Grid);
        written.extend(write_figure(
            dir,
            &stem("sweep", &readout.name),
            "sweep",
            size,
            options,
            &fig,
        )?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_axis_has_decade_ticks_when_it_spans_a_decade() {
        let m = Metrics::of(Style::Talk);
        let axis = value_axis(-2.0, 0.0, true, 1200, &m, None);
        assert_eq!(axis.ticks, vec![-2.0, -1.0, 0.0]);
        assert_eq!(axis.labels, vec!["0.01", "0.1", "1"]);
    }

    #[test]
    fn panels_fill_rows_of_at_most_four_on_a_slide() {
        assert_eq!(panel_grid(1, Style::Talk), (1, 1));
        assert_eq!(panel_grid(4, Style::Talk), (2, 2));
        assert_eq!(panel_grid(8, Style::Talk), (2, 4));
        assert_eq!(panel_grid(5, Style::Paper), (3, 2));
    }
}
