//! The figures of a calibration folder (`vcsim calibrate`):
//!
//! - `calibration-fit`: each fitted row's prediction against its published value on
//!   log-log axes, with the identity line and the 2-fold band, drawn twice — with the
//!   built-in values (grey ring) and calibrated (blue dot), joined by a thin line and
//!   labelled with the row id (read from `fit.csv`); rows without a positive number
//!   (no-change and at-least rows) are named in the subtitle;
//! - `calibration-history`: the objective of every CMA-ES evaluation by generation with
//!   the best so far, and the distances of the ABC draws with the tolerance (read from
//!   `history.csv` and `posterior.csv`: the tolerance is the largest accepted distance).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::quantitative::{LogLogFrame, identity_legend};
use super::style::{self, Canvas, GREY, Metrics, canvas, okabe_ito, px};
use super::sweep::value_axis;
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::table::{CsvFile, parse_number};

/// The fit figure's name.
pub const FIT_FIGURE: &str = "calibration-fit";
/// The history figure's name.
pub const HISTORY_FIGURE: &str = "calibration-history";
/// Names of the figures of a calibration folder, in rendering order.
pub const CALIBRATION_FIGURES: [&str; 2] = [FIT_FIGURE, HISTORY_FIGURE];

/// Colour of the calibrated predictions and of the CMA-ES evaluations.
const CALIBRATED: RGBColor = okabe_ito::BLUE;
/// Colour of the ABC draws.
const ABC: RGBColor = okabe_ito::BLUISH_GREEN;
/// Colour of the ABC tolerance.
const TOLERANCE: RGBColor = okabe_ito::VERMILLION;

/// Whether `dir` is a calibration folder (`fit.csv` and `history.csv`).
#[must_use]
pub fn is_calibration_folder(dir: &Path) -> bool {
    dir.join("fit.csv").is_file() && dir.join("history.csv").is_file()
}

/// One row of `fit.csv`.
#[derive(Clone, Debug)]
struct FitRow {
    id: String,
    observed: Option<f64>,
    defaults: Option<f64>,
    calibrated: Option<f64>,
    residual_defaults: f64,
    residual_calibrated: f64,
}

fn optional(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse_number(text).map(Some)
    }
}

fn read_fit(path: &Path) -> Result<Vec<FitRow>, RenderError> {
    let file = CsvFile::open(path)?;
    let names = [
        "id",
        "observed",
        "predicted_defaults",
        "predicted_calibrated",
        "residual_defaults",
        "residual_calibrated",
    ];
    file.require(&names)?;
    let [id, observed, defaults, calibrated, r_defaults, r_calibrated] =
        names.map(|name| file.header().iter().position(|h| h == name).unwrap_or(0));
    let header: Vec<String> = file.header().iter().map(ToString::to_string).collect();
    let mut rows = Vec::new();
    file.for_each(|_, record| {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let names_of = |i: usize| header.get(i).cloned().unwrap_or_default();
        let named = |i: usize| {
            optional(field(i)).map_err(|m| format!("`{}` = `{}`: {m}", names_of(i), field(i)))
        };
        let number = |i: usize| {
            parse_number(field(i)).map_err(|m| format!("`{}` = `{}`: {m}", names_of(i), field(i)))
        };
        rows.push(FitRow {
            id: field(id).to_string(),
            observed: named(observed)?,
            defaults: named(defaults)?,
            calibrated: named(calibrated)?,
            residual_defaults: number(r_defaults)?,
            residual_calibrated: number(r_calibrated)?,
        });
        Ok(())
    })?;
    Ok(rows)
}

/// One evaluation of `history.csv`.
#[derive(Clone, Debug)]
struct Evaluation {
    phase: String,
    generation: usize,
    index: usize,
    objective: f64,
}

fn read_history(path: &Path) -> Result<Vec<Evaluation>, RenderError> {
    let file = CsvFile::open(path)?;
    let names = ["phase", "generation", "evaluation", "objective"];
    file.require(&names)?;
    let [phase, generation, evaluation, objective] =
        names.map(|name| file.header().iter().position(|h| h == name).unwrap_or(0));
    let mut rows = Vec::new();
    file.for_each(|_, record| {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let whole = |i: usize, name: &str| {
            field(i)
                .parse::<usize>()
                .map_err(|_| format!("`{name}` = `{}` is not a whole number", field(i)))
        };
        let p = field(phase);
        if !["defaults", "cmaes", "abc"].contains(&p) {
            return Err(format!("phase `{p}`: expected defaults, cmaes or abc"));
        }
        rows.push(Evaluation {
            phase: p.to_string(),
            generation: whole(generation, "generation")?,
            index: whole(evaluation, "evaluation")?,
            objective: parse_number(field(objective))
                .map_err(|m| format!("`objective` = `{}`: {m}", field(objective)))?,
        });
        Ok(())
    })?;
    Ok(rows)
}

/// The accepted ABC draws of `posterior.csv` (draw index and distance), if the file is
/// there.
fn read_posterior(path: &Path) -> Result<Option<Vec<(usize, f64)>>, RenderError> {
    if !path.is_file() {
        return Ok(None);
    }
    let file = CsvFile::open(path)?;
    let names = ["draw", "distance"];
    file.require(&names)?;
    let [draw, distance] =
        names.map(|name| file.header().iter().position(|h| h == name).unwrap_or(0));
    let mut rows = Vec::new();
    file.for_each(|_, record| {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let d = field(draw)
            .parse::<usize>()
            .map_err(|_| format!("`draw` = `{}` is not a whole number", field(draw)))?;
        let v = parse_number(field(distance))
            .map_err(|m| format!("`distance` = `{}`: {m}", field(distance)))?;
        rows.push((d, v));
        Ok(())
    })?;
    Ok(Some(rows))
}

/// Log₁₀ range of `values` (positive ones), at least half a decade each way of its centre.
fn log_range(values: impl IntoIterator<Item = f64>, least: f64) -> (f64, f64) {
    let logs: Vec<f64> = values
        .into_iter()
        .filter(|v| *v > 0.0 && v.is_finite())
        .map(f64::log10)
        .collect();
    let lo = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return (-least, least);
    }
    let mid = 0.5 * (lo + hi);
    (lo.min(mid - least), hi.max(mid + least))
}

/// A drawable row of the fit figure: observed, built-in and calibrated predictions.
struct FitPoint {
    id: String,
    observed: f64,
    defaults: Option<f64>,
    calibrated: Option<f64>,
}

struct FitFigure {
    subtitle: String,
    points: Vec<FitPoint>,
}

impl Figure for FitFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(
            root,
            "Calibration: predicted against the fitted measurements",
            Some(&self.subtitle),
            &m,
        )?;
        let mut entries: Vec<Entry> = vec![
            (Glyph::Ring(GREY), "built-in values".to_string()),
            (Glyph::Dot(CALIBRATED), "calibrated".to_string()),
        ];
        entries.extend(identity_legend(&m));
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let area = root.margin(used, m.pad * 2, m.pad * 2, m.pad * 2);
        let (lo, hi) = log_range(
            self.points.iter().flat_map(|p| {
                [Some(p.observed), p.defaults, p.calibrated]
                    .into_iter()
                    .flatten()
            }),
            0.5,
        );
        let frame = LogLogFrame::new(&area, lo, hi, &m);
        let (area, left, bottom) = (&frame.area, frame.left, frame.bottom);
        let chart = frame.chart(&m)?;
        let (bx, by) = area.get_base_pixel();
        let (aw, _) = area.dim_in_pixel();
        let r = chart::glyph_radius(&m);
        let joint = ShapeStyle::from(&GREY).stroke_width((m.line / 2).max(1));
        let at = |v: f64, p: f64| {
            let (px_x, px_y) = chart.backend_coord(&(v.log10(), p.log10()));
            (px_x - bx, px_y - by)
        };
        for p in &self.points {
            if let (Some(d), Some(c)) = (p.defaults, p.calibrated) {
                area.draw(&PathElement::new(
                    vec![at(p.observed, d), at(p.observed, c)],
                    joint,
                ))?;
            }
        }
        // The built-in ring a little larger than the calibrated dot, so that it shows
        // round a dot on top of it; white inside, so that the joining line stops at it.
        let ring = r + r / 3;
        for p in &self.points {
            if let Some(d) = p.defaults {
                let centre = at(p.observed, d);
                area.draw(&Circle::new(
                    centre,
                    u32::try_from(ring.max(1)).unwrap_or(1),
                    WHITE.filled(),
                ))?;
                Glyph::Ring(GREY).draw(area, centre, ring)?;
            }
        }
        for p in &self.points {
            if let Some(c) = p.calibrated {
                Glyph::Dot(CALIBRATED).draw(area, at(p.observed, c), r)?;
            }
        }
        // The id beside the calibrated point (else the built-in one), on the side with
        // room: left of points in the right half of the plot, or, when that would cover
        // another row's glyph, the other side or a line above or below (`LabelBox::placed`).
        // Labels whose boxes would overlap move to the nearest free line up or down that
        // covers no other row's point, else below one another (`spread_labels`); a label
        // moved off its point's height gets a thin leader line to the point, so that it
        // cannot be read as naming a neighbour.
        let font = Metrics::text(m.tick);
        let line = i32::try_from(Metrics::line_height(m.tick)).unwrap_or(20);
        let (_, ah) = area.dim_in_pixel();
        let floor = i32::try_from(ah.saturating_sub(bottom)).unwrap_or(0) - line / 2;
        // Rows whose labelled points coincide (two rows of one protocol arm with the same
        // observed value) share one label, "OBS107, OBS125", and count as one row below.
        let anchors: Vec<Option<(i32, i32)>> = self
            .points
            .iter()
            .map(|p| p.calibrated.or(p.defaults).map(|v| at(p.observed, v)))
            .collect();
        let group = label_groups(&anchors);
        // Every glyph drawn: (row's label group, centre, radius).
        let glyphs: Vec<(usize, (i32, i32), i32)> = self
            .points
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                [
                    p.defaults.map(|d| (group[i], at(p.observed, d), ring)),
                    p.calibrated.map(|c| (group[i], at(p.observed, c), r)),
                ]
                .into_iter()
                .flatten()
            })
            .collect();
        let plot = (
            i32::try_from(left).unwrap_or(0),
            i32::try_from(aw).unwrap_or(i32::MAX),
        );
        let mut labels: Vec<PlacedLabel> = Vec::new();
        for (row, anchor) in anchors.iter().enumerate() {
            let Some((x0, y0)) = *anchor else {
                continue;
            };
            if group[row] != row {
                continue;
            }
            let id = self
                .points
                .iter()
                .zip(&group)
                .filter(|&(_, &g)| g == row)
                .map(|(p, _)| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let label = LabelBox {
                row,
                anchor: (x0, y0),
                gap: 2 * r,
                width: i32::try_from(style::text_size(area, &id, &font).0).unwrap_or(0),
                half_height: line / 2,
            };
            let (lo, anchor, dy) = label.placed(plot, floor, &glyphs);
            labels.push(PlacedLabel {
                row,
                lo,
                hi: lo + label.width,
                y: y0 + dy,
                anchor,
                id,
                point: (x0, y0),
            });
        }
        spread_labels(&mut labels, &glyphs, line, floor);
        for PlacedLabel {
            row: _,
            lo,
            hi,
            y,
            anchor,
            id,
            point,
        } in labels
        {
            let x = if matches!(anchor, HPos::Right) {
                hi
            } else {
                lo
            };
            if (y - point.1).abs() > line / 2 {
                let toward = if matches!(anchor, HPos::Right) {
                    (x + r / 2, y)
                } else {
                    (x - r / 2, y)
                };
                // Stop at the dot's edge, not over it.
                let (dx, dy) = (f64::from(toward.0 - point.0), f64::from(toward.1 - point.1));
                let length = dx.hypot(dy).max(1.0);
                let edge = f64::from(r) / length;
                let at_dot = (
                    point.0 + (dx * edge).round() as i32,
                    point.1 + (dy * edge).round() as i32,
                );
                area.draw(&PathElement::new(vec![toward, at_dot], joint))?;
            }
            area.draw(&Text::new(
                id,
                (x, y),
                Metrics::anchored(m.tick, anchor, VPos::Center),
            ))?;
        }
        Ok(())
    }
}

/// A label on the fit figure as placed (pixels): the text's left and right edges and
/// height, its anchor, the ids it names (one row's, or those of rows whose points
/// coincide) and the point.
struct PlacedLabel {
    /// The row whose label this is (the first of its group).
    row: usize,
    lo: i32,
    hi: i32,
    y: i32,
    anchor: HPos,
    id: String,
    point: (i32, i32),
}

/// Moves labels whose boxes would overlap apart, top to bottom (`labels` sorted by
/// height first): a label that clashes with one placed before it goes to the nearest
/// line up or down (up to four lines, between half a line and `floor`) that clashes with
/// no other label and covers no other row's glyph; where there is none, below the
/// labels it clashes with, as low as `floor`. `line` is the text's line height.
fn spread_labels(
    labels: &mut [PlacedLabel],
    glyphs: &[(usize, (i32, i32), i32)],
    line: i32,
    floor: i32,
) {
    labels.sort_by_key(|l| (l.y, l.lo));
    for k in 1..labels.len() {
        let (lo, hi, row, at) = (labels[k].lo, labels[k].hi, labels[k].row, labels[k].y);
        let overlaps = |other: &PlacedLabel, y: i32| {
            other.lo < hi && lo < other.hi && (y - other.y).abs() < line
        };
        if !labels[..k].iter().any(|prev| overlaps(prev, at)) {
            continue;
        }
        // A new line must be clear of every other label: those placed before and those
        // still at their own points' heights.
        let clashes = |y: i32| {
            labels
                .iter()
                .enumerate()
                .any(|(j, other)| j != k && overlaps(other, y))
        };
        // The nearest line up or down (within the plot) that clashes with no other label
        // and covers no other row's glyph; else below the labels placed before that it
        // clashes with, as low as the floor.
        let covers = |y: i32| {
            glyphs.iter().any(|&(i, (gx, gy), gr)| {
                i != row && gx + gr > lo && gx - gr < hi && (gy - y).abs() < line / 2 + gr
            })
        };
        let free = (1..=4)
            .flat_map(|n| [at + n * line, at - n * line])
            .filter(|&y| y >= line / 2 && y <= floor)
            .find(|&y| !clashes(y) && !covers(y));
        labels[k].y = free.unwrap_or_else(|| {
            let mut y = at;
            for prev in &labels[..k] {
                if overlaps(prev, y) {
                    y = prev.y + line;
                }
            }
            y.min(floor)
        });
    }
}

/// For each row, the first row whose labelled point is the same pixel (itself when none
/// before it is): rows of one group share one label. Rows without a point are their own
/// group.
fn label_groups(anchors: &[Option<(i32, i32)>]) -> Vec<usize> {
    (0..anchors.len())
        .map(|i| {
            anchors[i]
                .and_then(|a| anchors[..i].iter().position(|&b| b == Some(a)))
                .unwrap_or(i)
        })
        .collect()
}

/// A row's label on the fit figure, before it is placed: the row, the point it names
/// (pixels), the gap between point and text, and the text's width and half height.
#[derive(Clone, Copy, Debug)]
struct LabelBox {
    row: usize,
    anchor: (i32, i32),
    gap: i32,
    width: i32,
    half_height: i32,
}

impl LabelBox {
    /// Where the label goes, as (left edge, anchor of the text, vertical offset from its
    /// point): left of a point in the right half of the plot `(left, right)` and right of
    /// one in the left half; where that would cover a glyph of another row, the first
    /// free place of: the other side (if it fits in the plot), then a line above or below
    /// on the first side, then a line above or below on the other side; the first place
    /// when none is free; a line moved up or down stays between the plot's top and `floor`
    /// (the lowest centre of a label). `glyphs` are every drawn glyph as (row, centre, radius); a
    /// row's own glyphs never push its label. A label moved off its point's height gets a
    /// leader line when drawn.
    fn placed(
        self,
        plot: (i32, i32),
        floor: i32,
        glyphs: &[(usize, (i32, i32), i32)],
    ) -> (i32, HPos, i32) {
        let (x0, y0) = self.anchor;
        let covers_another = |lo: i32, dy: i32| {
            let hi = lo + self.width;
            let y = y0 + dy;
            glyphs.iter().any(|&(i, (gx, gy), gr)| {
                i != self.row
                    && gx + gr > lo
                    && gx - gr < hi
                    && (gy - y).abs() < self.half_height + gr
            })
        };
        let inside = |lo: i32| lo >= plot.0 && lo + self.width <= plot.1;
        let right_half = i64::from(x0) > i64::from(plot.1) / 2 + i64::from(plot.0) / 2;
        let on_left = (x0 - self.gap - self.width, HPos::Right);
        let on_right = (x0 + self.gap, HPos::Left);
        let (first, second) = if right_half {
            (on_left, on_right)
        } else {
            (on_right, on_left)
        };
        let step = 2 * self.half_height;
        let candidates = [
            (first, 0),
            (second, 0),
            (first, -step),
            (first, step),
            (second, -step),
            (second, step),
        ];
        candidates
            .into_iter()
            .find(|&((lo, _), dy)| {
                (lo == first.0 || inside(lo))
                    && (dy == 0 || (y0 + dy - self.half_height >= 0 && y0 + dy <= floor))
                    && !covers_another(lo, dy)
            })
            .map_or((first.0, first.1, 0), |((lo, anchor), dy)| (lo, anchor, dy))
    }
}

/// The history figure: CMA-ES evaluations by generation, and the ABC draws.
struct HistoryFigure {
    subtitle: String,
    /// (generation, place within its generation in [0, 1], objective).
    cmaes: Vec<(usize, f64, f64)>,
    /// Best objective so far at the end of each generation.
    best: Vec<(usize, f64)>,
    /// The built-in values' objective.
    defaults: Option<f64>,
    /// (draw, distance, accepted).
    abc: Vec<(usize, f64, bool)>,
    tolerance: Option<f64>,
}

impl HistoryFigure {
    #[expect(clippy::too_many_arguments, reason = "one panel's parts")]
    fn panel<DB: DrawingBackend>(
        cell: &DrawingArea<DB, Shift>,
        title: &str,
        x: &Axis,
        y_range: (f64, f64),
        m: &Metrics,
        draw: impl FnOnce(&DrawingArea<DB, Shift>, &mut chart::Chart<'_, DB>, i32) -> Drawn<DB>,
        defaults: Option<f64>,
        tolerance: Option<f64>,
    ) -> Drawn<DB> {
        let (w, h) = cell.dim_in_pixel();
        let head = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.4);
        let plot = cell.margin(head, 0, 0, 0);
        let bottom = chart::x_area_height(x, m);
        let y = value_axis(
            y_range.0,
            y_range.1,
            true,
            h.saturating_sub(head + bottom),
            m,
            Some("objective (Σ squared residuals in σ; log)".to_string()),
        );
        let left = chart::y_area_width(&plot, &y, m);
        chart::panel_title(cell, title, m.panel_title, left, w)?;
        let mut chart = chart::build(&plot, x, &y, left, bottom, 0, px(m.tick))?;
        chart::mesh(&mut chart, x, &y, m, true)?;
        let (a, b) = (x.lo, x.hi);
        let dashed = |colour: RGBColor, level: f64| {
            let level = level.log10();
            let n = 40;
            let step = (b - a) / f64::from(n);
            (0..n)
                .step_by(2)
                .map(move |k| {
                    let x0 = a + step * f64::from(k);
                    PathElement::new(
                        vec![(x0, level), (x0 + step, level)],
                        ShapeStyle::from(&colour).stroke_width(m.line),
                    )
                })
                .collect::<Vec<_>>()
        };
        if let Some(d) = defaults {
            chart.draw_series(dashed(GREY, d))?;
        }
        if let Some(t) = tolerance {
            chart.draw_series(dashed(TOLERANCE, t))?;
        }
        draw(&plot, &mut chart, chart::glyph_radius(m))
    }
}

impl Figure for HistoryFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(
            root,
            "Calibration: the objective over the search",
            Some(&self.subtitle),
            &m,
        )?;
        let mut entries: Vec<Entry> = vec![
            (Glyph::Dot(CALIBRATED), "CMA-ES evaluation".to_string()),
            (
                Glyph::Line(okabe_ito::BLACK, m.line),
                "best so far".to_string(),
            ),
            (Glyph::Line(GREY, m.line), "built-in values".to_string()),
            (Glyph::Dot(ABC), "ABC draw, accepted".to_string()),
            (Glyph::Ring(ABC), "ABC draw, rejected".to_string()),
        ];
        if self.tolerance.is_some() {
            entries.push((Glyph::Line(TOLERANCE, m.line), "ABC tolerance".to_string()));
        }
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let body = root.margin(used, m.pad * 2, m.pad * 2, m.pad * 2);
        let cells = match style {
            Style::Talk => body.split_evenly((1, 2)),
            Style::Paper => body.split_evenly((2, 1)),
        };
        let y_range = log_range(
            self.cmaes
                .iter()
                .map(|c| c.2)
                .chain(self.abc.iter().map(|a| a.1))
                .chain(self.defaults)
                .chain(self.tolerance),
            0.3,
        );
        let gap = px(f64::from(m.pad) * 1.5);
        let generations = self.cmaes.iter().map(|c| c.0).max().unwrap_or(0);
        #[expect(clippy::cast_precision_loss, reason = "small counts")]
        let x_gen = {
            let (cw, _) = cells[0].dim_in_pixel();
            let hi = generations as f64 + 0.5;
            let mut axis = Axis::linear(
                -0.5,
                hi,
                Axis::fit(cw, m.tick, 3).min(generations + 1).max(2),
                Some("CMA-ES generation".to_string()),
            );
            (axis.lo, axis.hi) = (-0.5, hi);
            axis.ticks.retain(|t| t.fract() == 0.0);
            axis.labels = axis.ticks.iter().map(|t| format!("{t:.0}")).collect();
            axis
        };
        let draws = self.abc.iter().map(|a| a.0).max().unwrap_or(0);
        #[expect(clippy::cast_precision_loss, reason = "small counts")]
        let x_abc = {
            let (cw, _) = cells[1].dim_in_pixel();
            let hi = draws as f64 + 0.5;
            let mut axis = Axis::linear(
                -0.5,
                hi,
                Axis::fit(cw, m.tick, 3).min(draws + 1).max(2),
                Some("ABC draw".to_string()),
            );
            (axis.lo, axis.hi) = (-0.5, hi);
            axis.ticks.retain(|t| t.fract() == 0.0);
            axis.labels = axis.ticks.iter().map(|t| format!("{t:.0}")).collect();
            axis
        };
        let first = match style {
            Style::Talk => cells[0].margin(0, 0, 0, gap / 2),
            Style::Paper => cells[0].margin(0, gap / 2, 0, 0),
        };
        let second = match style {
            Style::Talk => cells[1].margin(0, 0, gap / 2, 0),
            Style::Paper => cells[1].margin(gap / 2, 0, 0, 0),
        };
        Self::panel(
            &first,
            "CMA-ES: every evaluation by generation",
            &x_gen,
            y_range,
            &m,
            |plot, chart, r| {
                // A step per generation: the best objective found by its end.
                chart.draw_series(LineSeries::new(
                    self.best.iter().flat_map(|(g, v)| {
                        #[expect(clippy::cast_precision_loss, reason = "small counts")]
                        let g = *g as f64;
                        [(g - 0.5, v.log10()), (g + 0.5, v.log10())]
                    }),
                    ShapeStyle::from(&okabe_ito::BLACK).stroke_width(m.line),
                ))?;
                let (bx, by) = plot.get_base_pixel();
                for (g, place, v) in &self.cmaes {
                    #[expect(clippy::cast_precision_loss, reason = "small counts")]
                    let x = *g as f64 + 0.5 * (place - 0.5);
                    let (px_x, px_y) = chart.backend_coord(&(x, v.log10()));
                    Glyph::Dot(CALIBRATED).draw(plot, (px_x - bx, px_y - by), r)?;
                }
                Ok(())
            },
            self.defaults,
            None,
        )?;
        Self::panel(
            &second,
            "ABC: distance of every draw",
            &x_abc,
            y_range,
            &m,
            |plot, chart, r| {
                let (bx, by) = plot.get_base_pixel();
                for (d, v, accepted) in &self.abc {
                    #[expect(clippy::cast_precision_loss, reason = "small counts")]
                    let (px_x, px_y) = chart.backend_coord(&(*d as f64, v.log10()));
                    let glyph = if *accepted {
                        Glyph::Dot(ABC)
                    } else {
                        Glyph::Ring(ABC)
                    };
                    glyph.draw(plot, (px_x - bx, px_y - by), r)?;
                }
                Ok(())
            },
            self.defaults,
            self.tolerance,
        )
    }
}

fn fit_figure(dir: &Path) -> Result<FitFigure, RenderError> {
    let rows = read_fit(&dir.join("fit.csv"))?;
    let positive = |v: Option<f64>| v.filter(|x| *x > 0.0 && x.is_finite());
    let mut points = Vec::new();
    let mut omitted = Vec::new();
    for row in &rows {
        let (d, c) = (positive(row.defaults), positive(row.calibrated));
        match positive(row.observed) {
            Some(o) if d.is_some() || c.is_some() => points.push(FitPoint {
                id: row.id.clone(),
                observed: o,
                defaults: d,
                calibrated: c,
            }),
            _ => omitted.push(row.id.as_str()),
        }
    }
    let objective = |f: fn(&FitRow) -> f64| rows.iter().map(|r| f(r).powi(2)).sum::<f64>();
    let mut subtitle = format!(
        "{} fitted rows · objective (Σ squared residuals in σ) {} with the built-in values, \
         {} calibrated",
        rows.len(),
        style::significant(objective(|r| r.residual_defaults), 3),
        style::significant(objective(|r| r.residual_calibrated), 3),
    );
    if !omitted.is_empty() {
        subtitle.push_str(&format!(
            " · not drawn (no positive number: no-change, at-least or missing): {}",
            omitted.join(", ")
        ));
    }
    Ok(FitFigure { subtitle, points })
}

fn history_figure(dir: &Path) -> Result<HistoryFigure, RenderError> {
    let history = read_history(&dir.join("history.csv"))?;
    let accepted = read_posterior(&dir.join("posterior.csv"))?;
    // The built-in values (evaluation 0) and a declared CMA-ES start (evaluation 1).
    let defaults = history
        .iter()
        .find(|e| e.phase == "defaults" && e.index == 0)
        .map(|e| e.objective);
    let start = history
        .iter()
        .find(|e| e.phase == "defaults" && e.index == 1)
        .map(|e| e.objective);
    let cmaes: Vec<&Evaluation> = history.iter().filter(|e| e.phase == "cmaes").collect();
    let mut by_generation: std::collections::BTreeMap<usize, usize> =
        std::collections::BTreeMap::new();
    for e in &cmaes {
        let n = by_generation.entry(e.generation).or_insert(0);
        *n = (*n).max(e.index + 1);
    }
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    let points: Vec<(usize, f64, f64)> = cmaes
        .iter()
        .map(|e| {
            let n = by_generation.get(&e.generation).copied().unwrap_or(1);
            let place = if n > 1 {
                e.index as f64 / (n - 1) as f64
            } else {
                0.5
            };
            (e.generation, place, e.objective)
        })
        .collect();
    let mut best = Vec::new();
    // The search's best begins at the better of the built-in values and the start, which
    // competes with the candidates.
    let mut so_far = defaults
        .unwrap_or(f64::INFINITY)
        .min(start.unwrap_or(f64::INFINITY));
    for &g in by_generation.keys() {
        for e in cmaes.iter().filter(|e| e.generation == g) {
            so_far = so_far.min(e.objective);
        }
        if so_far.is_finite() {
            best.push((g, so_far));
        }
    }
    let accepted_draws: Vec<usize> = accepted
        .as_ref()
        .map(|a| a.iter().map(|(d, _)| *d).collect())
        .unwrap_or_default();
    let abc: Vec<(usize, f64, bool)> = history
        .iter()
        .filter(|e| e.phase == "abc")
        .map(|e| (e.index, e.objective, accepted_draws.contains(&e.index)))
        .collect();
    // Accepted draws are those within the tolerance, which is one of the draws'
    // distances: the largest accepted distance is the tolerance.
    let tolerance = accepted
        .as_ref()
        .and_then(|a| a.iter().map(|(_, v)| *v).reduce(f64::max));
    let best_text = best
        .last()
        .map_or_else(String::new, |(_, v)| style::significant(*v, 3));
    let subtitle = format!(
        "{} CMA-ES evaluations over {} generations (best {best_text}){} · {} ABC draws with \
         fresh seeds, {} accepted{}",
        cmaes.len(),
        by_generation.len(),
        defaults.map_or_else(String::new, |d| format!(
            "; built-in values {}",
            style::significant(d, 3)
        )) + &start.map_or_else(String::new, |d| format!(
            ", declared start {}",
            style::significant(d, 3)
        )),
        abc.len(),
        accepted_draws.len(),
        tolerance.map_or_else(
            || " (no posterior.csv: tolerance not drawn)".to_string(),
            |t| format!(" (tolerance {})", style::significant(t, 3))
        ),
    );
    Ok(HistoryFigure {
        subtitle,
        cmaes: points,
        best,
        defaults,
        abc,
        tolerance,
    })
}

/// Draws the figures of the calibration folder `dir` ([`CALIBRATION_FIGURES`], those of
/// `options.only` if set); returns the files written.
///
/// # Errors
/// An unknown figure name, a missing or damaged `fit.csv`, `history.csv` or
/// `posterior.csv` ([`RenderError::Parse`]), or a figure that cannot be drawn or written.
pub fn plot_calibration_folder(
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, RenderError> {
    for name in &options.only {
        if !CALIBRATION_FIGURES.contains(&name.as_str()) {
            return Err(RenderError::UnknownFigure {
                name: name.clone(),
                known: CALIBRATION_FIGURES.to_vec(),
            });
        }
    }
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: FIT_FIGURE,
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let wanted = |name: &str| options.only.is_empty() || options.only.iter().any(|o| o == name);
    let mut written = Vec::new();
    if wanted(FIT_FIGURE) {
        let fig = fit_figure(dir)?;
        written.extend(write_figure(
            dir,
            FIT_FIGURE,
            FIT_FIGURE,
            canvas(options.style, Canvas::Section),
            options,
            &fig,
        )?);
    }
    if wanted(HISTORY_FIGURE) {
        let fig = history_figure(dir)?;
        written.extend(write_figure(
            dir,
            HISTORY_FIGURE,
            HISTORY_FIGURE,
            canvas(options.style, Canvas::Grid),
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
    fn the_best_so_far_starts_at_a_declared_start_that_beats_the_built_in_values() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(
            dir.path().join("history.csv"),
            "phase,generation,evaluation,objective\n\
             defaults,0,0,257\ndefaults,0,1,70.4\n\
             cmaes,0,0,80\ncmaes,0,1,90\ncmaes,1,0,65.4\ncmaes,1,1,300\n",
        )
        .expect("a writable temporary folder");
        let figure = history_figure(dir.path()).expect("a valid history");
        assert_eq!(figure.best, [(0, 70.4), (1, 65.4)]);
        assert_eq!(figure.defaults, Some(257.0));
        assert_eq!(figure.cmaes.len(), 4, "the start is not a CMA-ES candidate");
        assert!(
            figure
                .subtitle
                .contains("built-in values 257, declared start 70.4"),
            "{}",
            figure.subtitle
        );
    }

    /// A label 30 px wide and 10 px high, 4 px from its point, of row 0.
    fn label_at(x: i32, y: i32) -> LabelBox {
        LabelBox {
            row: 0,
            anchor: (x, y),
            gap: 4,
            width: 30,
            half_height: 5,
        }
    }

    const PLOT: (i32, i32) = (0, 200);
    const FLOOR: i32 = 300;

    /// A placement as (left edge, whether the text is anchored at its right end, vertical
    /// offset).
    fn side((lo, anchor, dy): (i32, HPos, i32)) -> (i32, bool, i32) {
        (lo, matches!(anchor, HPos::Right), dy)
    }

    #[test]
    fn rows_whose_points_coincide_share_one_label() {
        let anchors = [Some((10, 20)), None, Some((30, 40)), Some((10, 20)), None];
        assert_eq!(label_groups(&anchors), [0, 1, 2, 0, 4]);
        // A pixel apart is apart.
        assert_eq!(label_groups(&[Some((10, 20)), Some((10, 21))]), [0, 1]);
    }

    #[test]
    fn a_label_goes_away_from_the_nearer_edge_of_the_plot() {
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &[])),
            (54, false, 0)
        );
        assert_eq!(
            side(label_at(150, 100).placed(PLOT, FLOOR, &[])),
            (116, true, 0)
        );
    }

    #[test]
    fn a_label_moves_to_the_other_side_of_its_point_when_the_first_covers_another_row() {
        // Another row's dot where the label would go (right of x = 50).
        let dot = [(1, (70, 102), 3)];
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &dot)),
            (16, true, 0)
        );
        // The row's own glyphs never push its label.
        let own = [(0, (70, 102), 3)];
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &own)),
            (54, false, 0)
        );
        // A glyph above or below the text's line does not count.
        let below = [(1, (70, 120), 3)];
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &below)),
            (54, false, 0)
        );
    }

    #[test]
    fn a_label_moves_a_line_up_or_down_when_both_sides_are_covered_or_the_other_leaves_the_plot() {
        // Both sides covered at the point's height: a line (10 px) above, on the first side.
        let both = [(1, (70, 100), 3), (2, (30, 100), 3)];
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &both)),
            (54, false, -10)
        );
        // ... and below when above is covered too.
        let three = [(1, (70, 100), 3), (2, (30, 100), 3), (3, (70, 90), 3)];
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &three)),
            (54, false, 10)
        );
        // Near the left edge the other side would start at x = -14, outside the plot:
        // the label moves up on its own side instead.
        let dot = [(1, (30, 100), 3)];
        assert_eq!(
            side(label_at(20, 100).placed(PLOT, FLOOR, &dot)),
            (24, false, -10)
        );
        // No line above the plot's top: near it, below.
        assert_eq!(
            side(label_at(20, 6).placed(PLOT, FLOOR, &[(1, (30, 6), 3)])),
            (24, false, 10)
        );
        // None below the floor (the lowest label centre): near it, above ...
        let low = [(1, (30, 300), 3)];
        assert_eq!(
            side(label_at(20, 300).placed(PLOT, 305, &low)),
            (24, false, -10)
        );
        // ... and where above is covered too, it stays.
        let covered_above = [(1, (30, 300), 3), (2, (30, 290), 3)];
        assert_eq!(
            side(label_at(20, 300).placed(PLOT, 305, &covered_above)),
            (24, false, 0)
        );
    }

    /// A placed label 40 px wide at `(lo, y)`, of `row`.
    fn placed_at(row: usize, lo: i32, y: i32) -> PlacedLabel {
        PlacedLabel {
            row,
            lo,
            hi: lo + 40,
            y,
            anchor: HPos::Left,
            id: format!("row {row}"),
            point: (lo - 4, y),
        }
    }

    #[test]
    fn overlapping_labels_move_to_the_nearest_free_line_that_covers_no_point() {
        // Two labels on one line (20 px high): the second moves a line down.
        let mut two = [placed_at(0, 50, 100), placed_at(1, 60, 100)];
        spread_labels(&mut two, &[], 20, 1000);
        assert_eq!((two[0].y, two[1].y), (100, 120));
        // With another row's point a line below, it goes a line up instead.
        let mut three = [placed_at(0, 50, 100), placed_at(1, 60, 100)];
        spread_labels(&mut three, &[(2, (70, 120), 3)], 20, 1000);
        assert_eq!(three[1].y, 80);
        // A line taken by a label not yet placed is not free: up instead of down.
        let mut later = [
            placed_at(0, 50, 100),
            placed_at(1, 60, 100),
            placed_at(2, 200, 120),
            placed_at(3, 60, 120),
        ];
        spread_labels(&mut later, &[], 20, 1000);
        let second = later.iter().find(|l| l.row == 1).map(|l| l.y);
        assert_eq!(second, Some(80));
        // The label's own point does not push it.
        let mut own = [placed_at(0, 50, 100), placed_at(1, 60, 100)];
        spread_labels(&mut own, &[(1, (70, 120), 3)], 20, 1000);
        assert_eq!(own[1].y, 120);
        // With every line near it taken by points, it stacks below, down to the floor.
        let points: Vec<(usize, (i32, i32), i32)> = (1..=4)
            .flat_map(|n| [(2, (70, 100 + 20 * n), 3), (2, (70, 100 - 20 * n), 3)])
            .collect();
        let mut stacked = [placed_at(0, 50, 100), placed_at(1, 60, 100)];
        spread_labels(&mut stacked, &points, 20, 110);
        assert_eq!(stacked[1].y, 110);
        // Labels that do not overlap stay where they are.
        let mut apart = [placed_at(0, 50, 100), placed_at(1, 150, 100)];
        spread_labels(&mut apart, &[], 20, 1000);
        assert_eq!((apart[0].y, apart[1].y), (100, 100));
    }

    #[test]
    fn a_label_stays_at_its_first_place_when_every_place_is_covered() {
        let everywhere: Vec<(usize, (i32, i32), i32)> = [90, 100, 110]
            .into_iter()
            .flat_map(|y| [(1, (70, y), 3), (2, (30, y), 3)])
            .collect();
        assert_eq!(
            side(label_at(50, 100).placed(PLOT, FLOOR, &everywhere)),
            (54, false, 0)
        );
    }
}
