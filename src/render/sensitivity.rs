//! Figures of a sensitivity folder (`vcsim sensitivity`), one per readout:
//!
//! - `morris-<readout>`: μ* against σ of every factor, each point labelled with its
//!   factor and a horizontal whisker for the 95% bootstrap CI of μ* (Campolongo et al.
//!   2007's screening plane: far right = influential, high = non-linear or interacting);
//! - `sobol-<readout>`: horizontal bars of the first-order (S1) and total-order (ST)
//!   indices per factor, ranked by ST, with 95% bootstrap CI whiskers.
//!
//! The figures read `sensitivity.json` (factors, readouts, method) and `indices.csv`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::style::{self, Canvas, INK, Metrics, canvas, ipx, okabe_ito, px};
use super::sweep::{StudyInfo, read_study, stem};
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::table::{CsvFile, parse_number};

/// Colour of S1 bars and Morris points.
const FIRST: RGBColor = okabe_ito::BLUE;
/// Colour of ST bars.
const TOTAL: RGBColor = okabe_ito::ORANGE;

/// The method of `sensitivity.json`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum MethodName {
    Morris,
    Sobol,
}

#[derive(Debug, Deserialize)]
struct MethodInfo {
    method: MethodName,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    method: MethodInfo,
}

/// Whether `dir` is a sensitivity folder.
#[must_use]
pub fn is_sensitivity_folder(dir: &Path) -> bool {
    dir.join("sensitivity.json").is_file()
}

/// One factor's four numbers (μ, μ*, σ, CI of μ*, or S1, S1 CI, ST, ST CI) per readout.
fn read_indices(path: &Path, study: &StudyInfo) -> Result<Vec<Vec<[f64; 4]>>, RenderError> {
    let file = CsvFile::open(path)?;
    let mut table = vec![vec![[f64::NAN; 4]; study.factors.len()]; study.readouts.len()];
    file.for_each(|_, record| {
        let readout = record.get(0).unwrap_or_default();
        let factor = record.get(1).unwrap_or_default();
        let r = study
            .readouts
            .iter()
            .position(|x| x.name == readout)
            .ok_or_else(|| format!("unknown readout `{readout}`"))?;
        let f = study
            .factors
            .iter()
            .position(|x| x.name == factor)
            .ok_or_else(|| format!("unknown factor `{factor}`"))?;
        for (k, slot) in table[r][f].iter_mut().enumerate() {
            *slot = parse_number(record.get(k + 2).unwrap_or_default())?;
        }
        Ok(())
    })?;
    Ok(table)
}

/// The Morris screening plane of one readout.
struct MorrisFigure {
    title: String,
    subtitle: String,
    unit_desc: String,
    names: Vec<String>,
    /// Per factor: μ, μ*, σ, CI of μ*.
    values: Vec<[f64; 4]>,
}

impl Figure for MorrisFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(root, &self.title, Some(&self.subtitle), &m)?;
        let entries: Vec<Entry> = vec![
            (Glyph::Dot(FIRST), "factor".to_string()),
            (Glyph::Line(FIRST, m.line), "95% CI of μ*".to_string()),
        ];
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let area = root.margin(used, m.pad * 2, m.pad * 2, m.pad * 2);
        let (w, h) = area.dim_in_pixel();
        let finite = |v: &f64| v.is_finite();
        let x_max = self
            .values
            .iter()
            .map(|v| v[1] + v[3].max(0.0))
            .filter(finite)
            .fold(0.0, f64::max);
        let y_max = self
            .values
            .iter()
            .map(|v| v[2])
            .filter(finite)
            .fold(0.0, f64::max);
        let x_desc = Some(format!("μ*, mean |effect| ({})", self.unit_desc));
        let y_desc = Some(format!("σ of the effects ({})", self.unit_desc));
        let guess = Axis::from_zero(x_max * 1.08, Axis::fit(w, m.tick, 5), x_desc.clone());
        let bottom = chart::x_area_height(&guess, &m);
        let y = Axis::from_zero(
            y_max * 1.08,
            Axis::fit_vertical(h.saturating_sub(bottom), m.tick),
            y_desc,
        );
        let left = chart::y_area_width(&area, &y, &m);
        let x = Axis::from_zero(
            x_max * 1.08,
            Axis::fit(w.saturating_sub(left), m.tick, 5),
            x_desc,
        );
        let mut chart = chart::build(&area, &x, &y, left, bottom, 0, px(m.tick))?;
        chart::mesh(&mut chart, &x, &y, &m, true)?;
        let plot = chart.plotting_area();
        let (bx, by) = area.get_base_pixel();
        let (xr, yr) = plot.get_pixel_range();
        let r = chart::glyph_radius(&m);
        let whisker = ShapeStyle::from(&FIRST.mix(0.7)).stroke_width(m.line.max(2) / 2 + 1);
        for v in self
            .values
            .iter()
            .filter(|v| v[1].is_finite() && v[2].is_finite())
        {
            if v[3].is_finite() {
                chart.draw_series(LineSeries::new(
                    [
                        ((v[1] - v[3]).max(0.0), v[2]),
                        ((v[1] + v[3]).min(x.hi), v[2]),
                    ],
                    whisker,
                ))?;
            }
        }
        // Points, then labels beside them: right of the point, or left where the label
        // would leave the plot; moved down past labels already placed.
        let font = Metrics::text(m.legend);
        let line_h = i32::try_from(Metrics::line_height(m.legend)).unwrap_or(30);
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        let mut order: Vec<usize> = (0..self.values.len()).collect();
        order.sort_by(|a, b| self.values[*b][1].total_cmp(&self.values[*a][1]));
        for i in order {
            let v = self.values[i];
            if !(v[1].is_finite() && v[2].is_finite()) {
                continue;
            }
            let (px_x, px_y) = chart.backend_coord(&(v[1], v[2]));
            Glyph::Dot(FIRST).draw(&area, (px_x - bx, px_y - by), r * 4 / 5)?;
            let (tw, _) = style::text_size(&area, &self.names[i], &font);
            let tw = i32::try_from(tw).unwrap_or(0);
            let gap = r + ipx(m.legend * 0.3);
            let right_ok = px_x + gap + tw <= xr.end;
            let x0 = if right_ok {
                px_x + gap
            } else {
                (px_x - gap - tw).max(xr.start)
            };
            // Above the point's whisker, or the nearest free line above or below it
            // inside the plot.
            let lowest = (yr.end - line_h).max(yr.start);
            let clashes = |y0: i32| {
                placed
                    .iter()
                    .any(|(a, b, c, d)| x0 < *c && x0 + tw > *a && y0 < *d && y0 + line_h > *b)
            };
            let first = px_y - line_h;
            let steps = i32::try_from(placed.len()).unwrap_or(0) + 1;
            let y0 = (0..=steps)
                .flat_map(|k| [first - k * line_h, first + k * line_h])
                .map(|y| y.clamp(yr.start, lowest))
                .find(|y| !clashes(*y))
                .unwrap_or_else(|| first.clamp(yr.start, lowest));
            placed.push((x0, y0, x0 + tw, y0 + line_h));
            area.draw(&Text::new(
                self.names[i].clone(),
                (x0 - bx, y0 - by + line_h / 2),
                Metrics::anchored(m.legend, HPos::Left, VPos::Center).color(&INK),
            ))?;
        }
        Ok(())
    }
}

/// The Sobol indices of one readout as horizontal bars.
struct SobolFigure {
    title: String,
    subtitle: String,
    /// Factor names, ranked by ST (largest first, drawn at the top).
    names: Vec<String>,
    /// Per factor in `names` order: S1, S1 CI, ST, ST CI.
    values: Vec<[f64; 4]>,
}

impl Figure for SobolFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(root, &self.title, Some(&self.subtitle), &m)?;
        let entries: Vec<Entry> = vec![
            (Glyph::Square(FIRST), "S1 (first order)".to_string()),
            (Glyph::Square(TOTAL), "ST (total order)".to_string()),
            (Glyph::Line(INK, 2), "95% CI".to_string()),
        ];
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let area = root.margin(used, m.pad * 2, m.pad * 2, m.pad * 2);
        let (w, _) = area.dim_in_pixel();
        let n = self.names.len();
        #[expect(clippy::cast_precision_loss, reason = "a handful of factors")]
        let rows = n as f64;
        // Factor i sits at y = n - 1 - i (the first at the top).
        #[expect(clippy::cast_precision_loss, reason = "a handful of factors")]
        let ticks = (0..n).map(|i| (n - 1 - i) as f64).collect();
        let y = Axis {
            lo: -0.6,
            hi: rows - 0.4,
            ticks,
            labels: self.names.clone(),
            desc: None,
        };
        let finite = |v: &f64| v.is_finite();
        let hi = self
            .values
            .iter()
            .flat_map(|v| [v[0] + v[1].max(0.0), v[2] + v[3].max(0.0)])
            .filter(finite)
            .fold(1.0, f64::max);
        let lo = self
            .values
            .iter()
            .flat_map(|v| [v[0] - v[1].max(0.0), v[2] - v[3].max(0.0)])
            .filter(finite)
            .fold(0.0, f64::min);
        let x_desc = Some("share of the readout's variance".to_string());
        let left = chart::y_area_width(&area, &y, &m);
        let x = Axis::linear(lo, hi, Axis::fit(w.saturating_sub(left), m.tick, 4), x_desc);
        let bottom = chart::x_area_height(&x, &m);
        let mut chart = chart::build(&area, &x, &y, left, bottom, 0, px(m.tick))?;
        chart::mesh(&mut chart, &x, &y, &m, false)?;
        chart.draw_series(LineSeries::new(
            [(0.0, y.lo), (0.0, y.hi)],
            ShapeStyle::from(&INK).stroke_width(m.axis_line),
        ))?;
        let whisker = ShapeStyle::from(&INK).stroke_width(2);
        for (i, v) in self.values.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of factors")]
            let centre = (n - 1 - i) as f64;
            for (value, ci, colour, offset) in
                [(v[2], v[3], TOTAL, 0.18), (v[0], v[1], FIRST, -0.18)]
            {
                if !value.is_finite() {
                    continue;
                }
                let (b0, b1) = (centre + offset - 0.16, centre + offset + 0.16);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0_f64.min(value), b0), (0.0_f64.max(value), b1)],
                    colour.filled(),
                )))?;
                if ci.is_finite() {
                    let c = centre + offset;
                    chart.draw_series(LineSeries::new(
                        [((value - ci).max(x.lo), c), ((value + ci).min(x.hi), c)],
                        whisker,
                    ))?;
                    for end in [value - ci, value + ci] {
                        if (x.lo..=x.hi).contains(&end) {
                            chart.draw_series(LineSeries::new(
                                [(end, c - 0.08), (end, c + 0.08)],
                                whisker,
                            ))?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Renders the figures of the sensitivity folder `dir` (one per readout) into it and
/// returns the files written.
///
/// # Errors
/// [`RenderError::MissingFile`] or [`RenderError::Parse`] for a missing or damaged
/// `sensitivity.json` or `indices.csv`; drawing and I/O errors.
pub fn plot_sensitivity_folder(
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, RenderError> {
    let manifest_path = dir.join("sensitivity.json");
    let study = read_study(&manifest_path)?;
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| RenderError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let method = serde_json::from_str::<Manifest>(&text)
        .map_err(|e| RenderError::Parse {
            path: manifest_path.clone(),
            line: e.line(),
            message: e.to_string(),
        })?
        .method
        .method;
    let table = read_indices(&dir.join("indices.csv"), &study)?;
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: "sensitivity",
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let name = study.sensitivity.clone().unwrap_or_default();
    let names: Vec<String> = study.factors.iter().map(|f| f.name.clone()).collect();
    let mut written = Vec::new();
    for (readout, values) in study.readouts.iter().zip(&table) {
        if values.iter().all(|v| v.iter().all(|x| x.is_nan())) {
            // No indices for this readout (sensitivity.md says why).
            continue;
        }
        let size = canvas(options.style, Canvas::Section);
        let unit = readout.column.unit();
        let unit_desc = if unit == "1" {
            "per whole range".to_string()
        } else {
            format!("{unit} per whole range")
        };
        match method {
            MethodName::Morris => {
                let fig = MorrisFigure {
                    title: format!("Morris screening: {}", readout.label()),
                    subtitle: format!(
                        "{name} · {} factors · elementary effects per factor range",
                        names.len()
                    ),
                    unit_desc,
                    names: names.clone(),
                    values: values.clone(),
                };
                written.extend(write_figure(
                    dir,
                    &stem("morris", &readout.name),
                    "morris",
                    size,
                    options,
                    &fig,
                )?);
            }
            MethodName::Sobol => {
                let mut order: Vec<usize> = (0..names.len()).collect();
                order.sort_by(|a, b| values[*b][2].total_cmp(&values[*a][2]).then(a.cmp(b)));
                let fig = SobolFigure {
                    title: format!("Sobol indices: {}", readout.label()),
                    subtitle: format!("{name} · {} factors · ranked by ST", names.len()),
                    names: order.iter().map(|i| names[*i].clone()).collect(),
                    values: order.iter().map(|i| values[*i]).collect(),
                };
                written.extend(write_figure(
                    dir,
                    &stem("sobol", &readout.name),
                    "sobol",
                    size,
                    options,
                    &fig,
                )?);
            }
        }
    }
    Ok(written)
}
