//! `predicted-vs-observed`: the quantitative validation of a `vcsim validate` folder
//! (`quantitative.csv`) as predicted against observed on log-log axes, with the identity
//! line and the 2-fold band; one point per scored observation, its shape by set
//! (calibration or held-out papers) and its colour by theme.

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Chart, Drawn, Entry, Glyph};
use super::style::{Canvas, GREY, Metrics, canvas, okabe_ito, px};
use super::sweep::value_axis;
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::table::{CsvFile, parse_number};

/// The figure's name.
pub const FIGURE: &str = "predicted-vs-observed";

/// Theme colours, in order of first appearance (Okabe-Ito, then grey).
const THEME_COLOURS: [RGBColor; 7] = [
    okabe_ito::BLUE,
    okabe_ito::VERMILLION,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::ORANGE,
    okabe_ito::REDDISH_PURPLE,
    okabe_ito::SKY_BLUE,
    okabe_ito::BLACK,
];

/// One scored row.
#[derive(Clone, Debug, PartialEq)]
struct Point {
    held_out: bool,
    theme: String,
    observed: f64,
    predicted: f64,
}

/// The rows of `quantitative.csv` and the count of every row per set.
struct Table {
    points: Vec<Point>,
    rows: [usize; 2],
    within: [usize; 2],
}

fn read(path: &Path) -> Result<Table, RenderError> {
    let file = CsvFile::open(path)?;
    let names = ["set", "theme", "observed", "predicted", "within_two_fold"];
    file.require(&names)?;
    let [set, theme, observed, predicted, within] =
        names.map(|name| file.header().iter().position(|h| h == name).unwrap_or(0));
    let mut table = Table {
        points: Vec::new(),
        rows: [0; 2],
        within: [0; 2],
    };
    file.for_each(|_, record| {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let held_out = match field(set) {
            "calibration" => false,
            "held_out" => true,
            other => return Err(format!("set `{other}`: expected calibration or held_out")),
        };
        let k = usize::from(held_out);
        table.rows[k] += 1;
        if field(within) == "yes" {
            table.within[k] += 1;
        }
        let (o, p) = (field(observed), field(predicted));
        if !o.is_empty() && !p.is_empty() {
            let (o, p) = (parse_number(o)?, parse_number(p)?);
            if o > 0.0 && p > 0.0 {
                table.points.push(Point {
                    held_out,
                    theme: field(theme).to_string(),
                    observed: o,
                    predicted: p,
                });
            }
        }
        Ok(())
    })?;
    Ok(table)
}

/// The legend entries of the identity line and the 2-fold band ([`LogLogFrame`]).
pub(super) fn identity_legend(m: &Metrics) -> [Entry; 2] {
    [
        (
            Glyph::Line(okabe_ito::BLACK, m.line),
            "identity".to_string(),
        ),
        (Glyph::Line(GREY, m.line), "2-fold".to_string()),
    ]
}

/// A square plot of predicted against observed values on log-log axes over the same
/// log₁₀ range `[lo, hi]`, centred in the area it is made from (shared by
/// `predicted-vs-observed` and `calibration-fit`).
pub(super) struct LogLogFrame<DB: DrawingBackend> {
    /// The plot's area: the given one cut to the square and its label areas.
    pub area: DrawingArea<DB, Shift>,
    /// The observed (x) axis.
    x: Axis,
    /// The predicted (y) axis.
    y: Axis,
    /// Width of the y label area (pixels).
    pub left: u32,
    /// Height of the x label area (pixels).
    pub bottom: u32,
}

impl<DB: DrawingBackend> LogLogFrame<DB> {
    /// The frame of `[lo, hi]` (log₁₀) in `area`.
    pub fn new(area: &DrawingArea<DB, Shift>, lo: f64, hi: f64, m: &Metrics) -> Self {
        let (w, h) = area.dim_in_pixel();
        let x_desc = Some("observed (fold, level, onset day or %; log scale)".to_string());
        let y_desc = Some("predicted by vcsim (same unit; log scale)".to_string());
        let guess = value_axis(lo, hi, true, w, m, x_desc.clone());
        let bottom = chart::x_area_height(&guess, m);
        let y = value_axis(lo, hi, true, h.saturating_sub(bottom), m, y_desc);
        let left = chart::y_area_width(area, &y, m);
        // Equal scales on both axes: a square plot, centred.
        let side = h.saturating_sub(bottom).min(w.saturating_sub(left));
        let spare = w.saturating_sub(left + side) / 2;
        let area = area.margin(0, 0, spare, spare);
        let x = value_axis(lo, hi, true, side, m, x_desc);
        Self {
            area,
            x,
            y,
            left,
            bottom,
        }
    }

    /// The chart on the frame with its axes and grid, the identity line and the 2-fold
    /// band drawn.
    ///
    /// # Errors
    /// Drawing fails.
    pub fn chart(&self, m: &Metrics) -> Result<Chart<'_, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        let (x, y) = (&self.x, &self.y);
        let mut chart = chart::build(&self.area, x, y, self.left, self.bottom, 0, px(m.tick))?;
        chart::mesh(&mut chart, x, y, m, true)?;
        let two = 2f64.log10();
        let (a, b) = (x.lo, x.hi);
        let band = ShapeStyle::from(&GREY).stroke_width(m.line);
        // y = x + offset, cut to the square (plotters would pull ends outside it onto
        // its edge).
        for offset in [-two, two] {
            let (x0, x1) = (a.max(a - offset), b.min(b - offset));
            chart.draw_series(LineSeries::new(
                [(x0, x0 + offset), (x1, x1 + offset)],
                band,
            ))?;
        }
        chart.draw_series(LineSeries::new(
            [(a, a), (b, b)],
            ShapeStyle::from(&okabe_ito::BLACK).stroke_width(m.line),
        ))?;
        Ok(chart)
    }
}

struct PredictionFigure {
    subtitle: String,
    points: Vec<Point>,
    themes: Vec<String>,
}

impl PredictionFigure {
    fn colour(&self, theme: &str) -> RGBColor {
        let i = self.themes.iter().position(|t| t == theme).unwrap_or(0);
        THEME_COLOURS[i.min(THEME_COLOURS.len() - 1)]
    }
}

impl Figure for PredictionFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(
            root,
            "Predicted against published measurements",
            Some(&self.subtitle),
            &m,
        )?;
        let mut entries: Vec<Entry> = vec![
            (Glyph::Dot(GREY), "calibration papers".to_string()),
            (Glyph::Diamond(GREY), "held-out papers".to_string()),
        ];
        entries.extend(identity_legend(&m));
        entries.extend(
            self.themes
                .iter()
                .map(|t| (Glyph::Square(self.colour(t)), t.replace('_', " "))),
        );
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let area = root.margin(used, m.pad * 2, m.pad * 2, m.pad * 2);
        let logs: Vec<f64> = self
            .points
            .iter()
            .flat_map(|p| [p.observed.log10(), p.predicted.log10()])
            .collect();
        let lo = logs.iter().copied().fold(f64::INFINITY, f64::min).min(-0.5);
        let hi = logs
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
            .max(0.5);
        let frame = LogLogFrame::new(&area, lo, hi, &m);
        let area = &frame.area;
        let chart = frame.chart(&m)?;
        let (bx, by) = area.get_base_pixel();
        let r = chart::glyph_radius(&m);
        for p in &self.points {
            let (px_x, px_y) = chart.backend_coord(&(p.observed.log10(), p.predicted.log10()));
            let colour = self.colour(&p.theme);
            let glyph = if p.held_out {
                Glyph::Diamond(colour)
            } else {
                Glyph::Dot(colour)
            };
            glyph.draw(area, (px_x - bx, px_y - by), r)?;
        }
        Ok(())
    }
}

/// Draws `predicted-vs-observed` of the validation folder `dir` if it holds
/// `quantitative.csv`; returns the files written (none without the file).
///
/// # Errors
/// A damaged `quantitative.csv` ([`RenderError::Parse`]), or a figure that cannot be
/// drawn or written.
pub fn plot_quantitative(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, RenderError> {
    let path = dir.join("quantitative.csv");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let table = read(&path)?;
    let mut themes: Vec<String> = Vec::new();
    for p in &table.points {
        if !themes.contains(&p.theme) {
            themes.push(p.theme.clone());
        }
    }
    let subtitle = format!(
        "{} of {} calibration rows and {} of {} held-out rows within 2-fold · {} rows scored; \
         rows the model cannot express count as misses",
        table.within[0],
        table.rows[0],
        table.within[1],
        table.rows[1],
        table.points.len()
    );
    let fig = PredictionFigure {
        subtitle,
        points: table.points,
        themes,
    };
    write_figure(
        dir,
        FIGURE,
        FIGURE,
        canvas(options.style, Canvas::Section),
        options,
        &fig,
    )
}
