//! Figure style: the embedded font, sizes for talk and paper, colour maps, palettes and
//! number formatting shared by every figure.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

use super::Style;

/// `DejaVu Sans` 2.37 (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`), compiled
/// in so that rendering needs no system fonts and gives the same pixels everywhere.
pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The font family every text element names. The bitmap backends draw it from the
/// embedded font; an SVG viewer without `DejaVu Sans` falls back to `Verdana` (the same
/// design) or its own sans-serif.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// Plotters' text size is a line height (ascent + descent); the SVG backend writes
/// `font-size = size / 1.24`. Sizes here are em sizes in pixels, scaled by this factor.
const EM_TO_PLOTTERS: f64 = 1.24;

/// Registers the embedded font under [`FONT_FAMILY`] and the generic names plotters
/// falls back on; `false` if the font could not be parsed (never expected).
pub(crate) fn register_fonts() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        [FONT_FAMILY, "sans-serif", "serif", "monospace"]
            .iter()
            .all(|name| {
                plotters::style::register_font(name, FontStyle::Normal, DEJAVU_SANS).is_ok()
            })
    })
}

/// Pixel sizes of one style.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Metrics {
    /// [px em] Figure title.
    pub title: f64,
    /// [px em] Panel titles.
    pub panel_title: f64,
    /// [px em] Axis labels (descriptions).
    pub axis: f64,
    /// [px em] Tick labels.
    pub tick: f64,
    /// [px em] Legend entries.
    pub legend: f64,
    /// [px] Data line width.
    pub line: u32,
    /// [px] Axis line width.
    pub axis_line: u32,
    /// [px] Outer padding and gaps between panels.
    pub pad: u32,
}

impl Metrics {
    /// The sizes of a style. Talk: a 1920 × 1080 slide read from the back of a hall.
    /// Paper: a single journal column (3.5 in at 300 dpi, 1050 px), where the point sizes
    /// journals ask for (title 8.6 pt, axis labels 7 pt, ticks and legends 6 pt; lines
    /// 1 pt) come out at about the same pixel sizes as on a slide twice as wide.
    pub(crate) const fn of(style: Style) -> Self {
        match style {
            Style::Talk => Self {
                title: 44.0,
                panel_title: 34.0,
                axis: 32.0,
                tick: 26.0,
                legend: 28.0,
                line: 5,
                axis_line: 3,
                pad: 24,
            },
            Style::Paper => Self {
                title: 36.0,
                panel_title: 31.0,
                axis: 29.0,
                tick: 25.0,
                legend: 25.0,
                line: 4,
                axis_line: 3,
                pad: 16,
            },
        }
    }

    /// A text style of em size `em`, black, anchored at its top left.
    pub(crate) fn text(em: f64) -> TextStyle<'static> {
        TextStyle::from((FONT_FAMILY, em * EM_TO_PLOTTERS).into_font()).color(&INK)
    }

    /// A text style with an anchor.
    pub(crate) fn anchored(em: f64, h: HPos, v: VPos) -> TextStyle<'static> {
        Self::text(em).pos(Pos::new(h, v))
    }

    /// Plotters size of an em size (for label-area arithmetic).
    pub(crate) fn line_height(em: f64) -> u32 {
        px(em * EM_TO_PLOTTERS)
    }
}

/// Rounds a non-negative pixel size to `u32`.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel sizes are small and non-negative"
)]
pub(crate) fn px(value: f64) -> u32 {
    value.max(0.0).round() as u32
}

/// Rounds a pixel coordinate to `i32`.
#[expect(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates are small"
)]
pub(crate) fn ipx(value: f64) -> i32 {
    value.round() as i32
}

/// Canvas size of a figure kind in a style.
pub(crate) const fn canvas(style: Style, kind: Canvas) -> (u32, u32) {
    match (style, kind) {
        (Style::Talk, _) => (1920, 1080),
        (Style::Paper, Canvas::WallMap) => (1050, 1150),
        (Style::Paper, Canvas::Section) => (1050, 900),
        (Style::Paper, Canvas::Grid) => (1050, 1800),
        (Style::Paper, Canvas::Frame) => (1050, 800),
    }
}

/// Kinds of figure canvas.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Canvas {
    /// Heatmap over profile.
    WallMap,
    /// Section or top view with glyphs.
    Section,
    /// Panel grid.
    Grid,
    /// One animation frame.
    Frame,
}

/// Text colour: near black.
pub(crate) const INK: RGBColor = RGBColor(20, 20, 20);
/// Light grey for grid lines.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
/// Mid grey for reference lines and annotations.
pub(crate) const GREY: RGBColor = RGBColor(120, 120, 120);

/// Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
pub(crate) mod okabe_ito {
    use plotters::style::RGBColor;
    /// Orange.
    pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
    /// Sky blue.
    pub(crate) const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    /// Bluish green.
    pub(crate) const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    /// Blue.
    pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
    /// Vermillion.
    pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    /// Reddish purple.
    pub(crate) const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
    /// Black.
    pub(crate) const BLACK: RGBColor = RGBColor(0, 0, 0);
}

/// Viridis (matplotlib), at 0, 0.1, ..., 1.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

/// Viridis at `t` in [0, 1] (clamped), linearly interpolated between the anchors, and
/// blended with white by `wash` in [0, 1] (0 = the pure map).
pub(crate) fn viridis(t: f64, wash: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * 10.0;
    let lower = scaled.floor().min(9.0);
    let frac = scaled - lower;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "lower is in 0..=9"
    )]
    let i = lower as usize;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| {
        let v = f64::from(x) + (f64::from(y) - f64::from(x)) * frac;
        let v = v + (255.0 - v) * wash;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "v is in 0..=255"
        )]
        let out = v.round().clamp(0.0, 255.0) as u8;
        out
    };
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Nice tick positions covering `[lo, hi]`: at most `max_count` ticks at a step of 1, 2,
/// 2.5 or 5 times a power of ten, and the decimals needed to print them.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_count: usize) -> (Vec<f64>, usize) {
    nice_ticks_with(lo, hi, max_count, &[1.0, 2.0, 2.5, 5.0])
}

/// Like [`nice_ticks`] with steps of the given `factors` times a power of ten.
pub(crate) fn nice_ticks_with(
    lo: f64,
    hi: f64,
    max_count: usize,
    factors: &[f64],
) -> (Vec<f64>, usize) {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let max_count = max_count.max(2);
    let span = hi - lo;
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    let raw = span / (max_count - 1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let ticks_for = |step: f64| -> Vec<f64> {
        let first = (lo / step - 1e-9).ceil();
        let last = (hi / step + 1e-9).floor();
        let mut ticks = Vec::new();
        let mut k = first;
        while k <= last {
            ticks.push(k * step + 0.0);
            k += 1.0;
        }
        ticks
    };
    // The smallest nice step that gives at most `max_count` ticks, but at least two.
    let candidates = [0.1, 1.0, 10.0]
        .iter()
        .flat_map(|e| factors.iter().map(move |f| f * e * magnitude));
    let mut chosen: Option<(Vec<f64>, f64)> = None;
    for step in candidates {
        let ticks = ticks_for(step);
        if ticks.len() <= max_count {
            if ticks.len() >= 2 || chosen.is_none() {
                chosen = Some((ticks, step));
            }
            break;
        }
        chosen = Some((ticks, step));
    }
    let (ticks, step) = chosen.unwrap_or_else(|| (vec![lo, hi], span));
    (ticks, decimals_for(step))
}

/// Decimals needed to print multiples of `step` exactly enough.
pub(crate) fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let mut decimals = 0usize;
    let mut scaled = step;
    while decimals < 6 && (scaled - scaled.round()).abs() > 1e-6 * scaled.max(1.0) {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

/// The smallest nice upper bound (a multiple of a nice step) at or above `max`, with its
/// ticks from 0; `max <= 0` gives `[0, 1]`.
pub(crate) fn nice_upper(max: f64, max_count: usize) -> (f64, Vec<f64>, usize) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let (mut ticks, decimals) = nice_ticks(0.0, max, max_count);
    let step = if ticks.len() >= 2 {
        ticks[1] - ticks[0]
    } else {
        max
    };
    let mut top = ticks.last().copied().unwrap_or(max);
    if top < max * (1.0 - 1e-9) {
        top += step;
        ticks.push(top);
    }
    (top, ticks, decimals)
}

/// Formats a tick value with `decimals` decimals (no `-0`).
pub(crate) fn format_tick(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value + 0.0);
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// A mass prefix for values in µg: the factor to multiply by and the unit name, chosen so
/// that `max_ug` prints as a number between about 0.1 and 100.
pub(crate) fn mass_unit(max_ug: f64) -> (f64, &'static str) {
    if !(max_ug.is_finite() && max_ug > 0.0) || max_ug >= 0.1 {
        (1.0, "µg")
    } else if max_ug >= 1e-4 {
        (1e3, "ng")
    } else if max_ug >= 1e-7 {
        (1e6, "pg")
    } else {
        (1e9, "fg")
    }
}

/// A snapshot time in days for titles and file names: integers without decimals, others
/// with at most two.
pub(crate) fn format_day(days: f64) -> String {
    let rounded = (days * 100.0).round() / 100.0;
    if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{}", rounded.round() + 0.0)
    } else {
        let text = format!("{rounded:.2}");
        text.trim_end_matches('0').to_string()
    }
}

/// Width and height in pixels of `text` in `style`, estimated from the embedded font.
pub(crate) fn text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    style: &TextStyle<'_>,
) -> (u32, u32) {
    area.estimate_text_size(text, style).unwrap_or((0, 0))
}

/// Data line style in `color`.
pub(crate) fn line_style(color: RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle::from(&color).stroke_width(width)
}

/// Formats `v` with `digits` significant digits (plain notation for moderate values).
pub fn significant(v: f64, digits: i32) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    #[expect(clippy::cast_possible_truncation, reason = "log10 of a finite value")]
    let magnitude = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&magnitude) {
        return format!("{:.*e}", usize::try_from(digits - 1).unwrap_or(1), v);
    }
    let decimals = usize::try_from((digits - 1 - magnitude).max(0)).unwrap_or(0);
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range_with_round_steps() {
        let (ticks, decimals) = nice_ticks(0.0, 0.6, 7);
        assert_eq!(ticks.len(), 7);
        assert!((ticks[6] - 0.6).abs() < 1e-12);
        assert_eq!(decimals, 1);
        let (ticks, decimals) = nice_ticks(0.0, 28.0, 8);
        assert_eq!(ticks, vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(decimals, 0);
    }

    #[test]
    fn nice_upper_rounds_up() {
        let (top, ticks, _) = nice_upper(5.71, 6);
        assert!((top - 6.0).abs() < 1e-12, "{top}");
        assert!((ticks.last().copied().unwrap_or_default() - top).abs() < 1e-12);
        let (top, _, _) = nice_upper(0.0, 6);
        assert!((top - 1.0).abs() < 1e-12);
    }

    #[test]
    fn units_and_days_format() {
        assert_eq!(mass_unit(5.7e-6), (1e6, "pg"));
        assert_eq!(mass_unit(0.3), (1.0, "µg"));
        assert_eq!(format_day(7.0), "7");
        assert_eq!(format_day(0.5), "0.5");
        assert_eq!(format_day(6.999_999_999), "7");
        assert_eq!(format_tick(-0.0, 1), "0.0");
        assert_eq!(format_tick(-0.00001, 2), "0.00");
    }

    #[test]
    fn viridis_ends_are_the_matplotlib_ends() {
        assert_eq!(viridis(0.0, 0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0, 0.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(1.0, 1.0), RGBColor(255, 255, 255));
    }
}
