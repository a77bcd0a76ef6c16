//! `robustness`: the figure of a robustness folder (`vcsim robustness`, read from
//! `robustness.csv`): one panel per quantity (claims passing, evidence checks passing,
//! and the within-2-fold and right-direction shares of the calibration and held-out
//! rows), each a histogram of the perturbed draws with the 5–95% range shaded, the
//! median as a black line and the unperturbed model's value as a vermillion line.

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::style::{self, Canvas, Metrics, canvas, okabe_ito, px};
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::table::{CsvFile, parse_number};
use crate::stats::quantile_sorted;

/// The figure's name.
pub const FIGURE: &str = "robustness";

/// Colour of the draws' bars.
const BARS: RGBColor = okabe_ito::BLUE;
/// Colour of the unperturbed value.
const UNPERTURBED: RGBColor = okabe_ito::VERMILLION;
/// Shade of the 5–95% range.
const RANGE: RGBColor = RGBColor(222, 235, 247);

/// Whether `dir` is a robustness folder.
#[must_use]
pub fn is_robustness_folder(dir: &Path) -> bool {
    dir.join("robustness.csv").is_file()
}

/// One panel: a quantity over the draws.
#[derive(Clone, Debug)]
struct Panel {
    title: String,
    /// Whether the values are counts (else shares, drawn in %).
    count: bool,
    /// The spacing of the possible values (1 for counts; 100 / rows for shares).
    step: f64,
    unperturbed: f64,
    draws: Vec<f64>,
}

/// (column, total column, title, count?)
const QUANTITIES: [(&str, &str, &str, bool); 6] = [
    ("claims_passing", "claims_counted", "claims passing", true),
    (
        "evidence_checks_passing",
        "evidence_checks",
        "evidence checks passing",
        true,
    ),
    (
        "calibration_within_two_fold_share",
        "calibration_rows",
        "within 2-fold, calibration",
        false,
    ),
    (
        "held_out_within_two_fold_share",
        "held_out_rows",
        "within 2-fold, held-out",
        false,
    ),
    (
        "calibration_right_direction_share",
        "calibration_fold_rows",
        "right direction, calibration",
        false,
    ),
    (
        "held_out_right_direction_share",
        "held_out_fold_rows",
        "right direction, held-out",
        false,
    ),
];

fn read(path: &Path) -> Result<Vec<Panel>, RenderError> {
    let file = CsvFile::open(path)?;
    let mut names = vec!["draw"];
    for (value, total, _, _) in QUANTITIES {
        names.push(value);
        names.push(total);
    }
    file.require(&names)?;
    let column = |name: &str| file.header().iter().position(|h| h == name).unwrap_or(0);
    let draw = column("draw");
    let mut panels: Vec<Panel> = QUANTITIES
        .iter()
        .map(|(_, _, title, count)| Panel {
            title: (*title).to_string(),
            count: *count,
            step: 1.0,
            unperturbed: f64::NAN,
            draws: Vec::new(),
        })
        .collect();
    let columns: Vec<(usize, usize)> = QUANTITIES
        .iter()
        .map(|(value, total, _, _)| (column(value), column(total)))
        .collect();
    file.for_each(|_, record| {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let unperturbed = parse_number(field(draw))? == 0.0;
        for (panel, (value, total)) in panels.iter_mut().zip(&columns) {
            if field(*value).is_empty() {
                continue;
            }
            let v = parse_number(field(*value))?;
            let total = parse_number(field(*total))?;
            let v = if panel.count { v } else { 100.0 * v };
            if unperturbed {
                panel.unperturbed = v;
                panel.title = format!("{} (of {total})", panel.title);
                if !panel.count && total > 0.0 {
                    panel.step = 100.0 / total;
                }
            } else {
                panel.draws.push(v);
            }
        }
        Ok(())
    })?;
    Ok(panels
        .into_iter()
        .filter(|p| !p.draws.is_empty() || p.unperturbed.is_finite())
        .collect())
}

/// The robustness figure.
struct RobustnessFigure {
    subtitle: String,
    panels: Vec<Panel>,
}

/// The axis with only its whole, non-negative ticks.
fn whole_ticks(mut axis: Axis) -> Axis {
    let keep: Vec<usize> = (0..axis.ticks.len())
        .filter(|&i| axis.ticks[i] >= 0.0 && (axis.ticks[i] - axis.ticks[i].round()).abs() < 1e-9)
        .collect();
    axis.ticks = keep.iter().map(|&i| axis.ticks[i]).collect();
    axis.labels = axis.ticks.iter().map(|t| format!("{t:.0}")).collect();
    axis
}

impl RobustnessFigure {
    fn panel<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        panel: &Panel,
        m: &Metrics,
    ) -> Drawn<DB> {
        let (w, h) = area.dim_in_pixel();
        let title_h = Metrics::line_height(m.panel_title) + px(m.panel_title * 0.3);
        let mut sorted = panel.draws.clone();
        sorted.sort_by(f64::total_cmp);
        let all = sorted
            .iter()
            .copied()
            .chain(std::iter::once(panel.unperturbed))
            .filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        // Counts: half a bar beyond the outer values and at least 2 wide; shares: a
        // tenth of the range, at least two steps, inside [0, 100].
        let (lo, hi) = if panel.count {
            let extra = (2.0 - (hi - lo)).max(0.0) / 2.0;
            (lo - 0.6 - extra, hi + 0.6 + extra)
        } else {
            let pad = ((hi - lo) * 0.1).max(2.0 * panel.step).max(2.0);
            ((lo - pad).max(0.0), (hi + pad).min(100.0))
        };
        let x_desc = Some(if panel.count {
            "number passing".to_string()
        } else {
            "% of the rows".to_string()
        });
        let x_guess = Axis::linear(lo, hi, Axis::fit(w, m.tick, 4), x_desc.clone());
        let bottom = chart::x_area_height(&x_guess, m);
        // The tallest bar: draws at one value.
        let mut tallest = 0usize;
        let mut k = 0;
        while k < sorted.len() {
            let same = sorted[k..]
                .iter()
                .take_while(|v| (**v - sorted[k]).abs() < 1e-9)
                .count();
            tallest = tallest.max(same);
            k += same;
        }
        #[expect(clippy::cast_precision_loss, reason = "draw counts are small")]
        let y = Axis::from_zero(
            (tallest.max(1) as f64) * 1.08,
            Axis::fit_vertical(h.saturating_sub(title_h + bottom), m.tick),
            Some("draws".to_string()),
        );
        // Whole draws only.
        let y = whole_ticks(y);
        let left = chart::y_area_width(area, &y, m);
        let right = px(m.tick * 1.2);
        let mut x = Axis::linear(
            lo,
            hi,
            Axis::fit(w.saturating_sub(left + right), m.tick, 4),
            x_desc,
        );
        if panel.count {
            x = whole_ticks(x);
        }
        let mut chart = chart::build(area, &x, &y, left, bottom, title_h, right)?;
        let low = quantile_sorted(&sorted, 0.05);
        let high = quantile_sorted(&sorted, 0.95);
        if low.is_finite() && high.is_finite() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(low.max(x.lo), y.lo), (high.min(x.hi), y.hi)],
                RANGE.filled(),
            )))?;
        }
        chart::mesh(&mut chart, &x, &y, m, false)?;
        let width = 0.7 * panel.step.min(hi - lo);
        let mut k = 0;
        while k < sorted.len() {
            let v = sorted[k];
            let same = sorted[k..]
                .iter()
                .take_while(|u| (**u - v).abs() < 1e-9)
                .count();
            #[expect(clippy::cast_precision_loss, reason = "draw counts are small")]
            let top = same as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(v - width / 2.0, 0.0), (v + width / 2.0, top)],
                BARS.filled(),
            )))?;
            k += same;
        }
        let median = quantile_sorted(&sorted, 0.5);
        if median.is_finite() {
            chart.draw_series(LineSeries::new(
                [(median, y.lo), (median, y.hi)],
                style::line_style(okabe_ito::BLACK, m.line),
            ))?;
        }
        if panel.unperturbed.is_finite() {
            // Dashed, so that a median at the same value shows between the dashes, and a
            // diamond at the top.
            chart.draw_series(DashedLineSeries::new(
                [(panel.unperturbed, y.lo), (panel.unperturbed, y.hi)],
                px(m.tick * 0.5),
                px(m.tick * 0.3),
                ShapeStyle::from(&UNPERTURBED).stroke_width(m.line),
            ))?;
            let (bx, by) = area.get_base_pixel();
            let (px_x, px_y) = chart.backend_coord(&(panel.unperturbed, y.hi));
            Glyph::Diamond(UNPERTURBED).draw(
                area,
                (px_x - bx, px_y - by),
                chart::glyph_radius(m),
            )?;
        }
        chart::panel_title(area, &panel.title, m.panel_title, left, w)
    }
}

impl Figure for RobustnessFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let mut used = chart::title_block(
            root,
            "Validation under perturbed assumed parameters",
            Some(&self.subtitle),
            &m,
        )?;
        let entries: Vec<Entry> = vec![
            (Glyph::Square(BARS), "perturbed draws".to_string()),
            (Glyph::Square(RANGE), "5–95% of draws".to_string()),
            (Glyph::Line(okabe_ito::BLACK, m.line), "median".to_string()),
            (Glyph::Diamond(UNPERTURBED), "unperturbed model".to_string()),
        ];
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let (cells, _, _) = chart::six_panels(root, used, style, &m);
        for (cell, panel) in cells.iter().zip(&self.panels) {
            Self::panel(cell, panel, &m)?;
        }
        Ok(())
    }
}

/// Draws `robustness` of the robustness folder `dir`; returns the files written.
///
/// # Errors
/// A missing or damaged `robustness.csv` ([`RenderError::Parse`]), or a figure that
/// cannot be drawn or written.
pub fn plot_robustness_folder(
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, RenderError> {
    let panels = read(&dir.join("robustness.csv"))?;
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: FIGURE,
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let draws = panels.first().map_or(0, |p| p.draws.len());
    // The spread, from the manifest if it is there (the figure does not need it).
    let spread = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("spread").and_then(serde_json::Value::as_f64))
        .map_or_else(String::new, |s| format!(" by up to ±{:.0}%", 100.0 * s));
    let subtitle = format!(
        "{draws} Latin-hypercube draws scaling every assumed parameter{spread} · bars: \
         draws per value"
    );
    let fig = RobustnessFigure { subtitle, panels };
    write_figure(
        dir,
        FIGURE,
        FIGURE,
        canvas(options.style, Canvas::Grid),
        options,
        &fig,
    )
}
