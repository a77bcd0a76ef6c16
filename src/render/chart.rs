//! Building blocks shared by the figures: axes with explicit ticks and label areas sized
//! from the text they hold, titles that shrink rather than clip, and legends.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::ops::Range;

use super::style::{self, GREY, GRID, INK, Metrics, ipx, px};
use super::text;

/// Result of drawing on a backend.
pub(crate) type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A 2-D chart with explicit ticks on both axes.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

/// A linear `f64` coordinate whose tick marks are given explicitly (plotters'
/// `WithKeyPoints` cannot take a label formatter for `f64`).
#[derive(Clone)]
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    /// The coordinate `[lo, hi]` with ticks at `ticks`.
    fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        Self {
            inner: (lo..hi).into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// One axis: its range, tick positions with their labels, and its description.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    /// Lower end of the range.
    pub lo: f64,
    /// Upper end of the range.
    pub hi: f64,
    /// Tick positions.
    pub ticks: Vec<f64>,
    /// Tick labels, one per tick.
    pub labels: Vec<String>,
    /// Axis description with unit, if drawn.
    pub desc: Option<String>,
}

impl Axis {
    /// A linear axis over `[lo, hi]` with at most `max_ticks` nice ticks.
    pub(crate) fn linear(lo: f64, hi: f64, max_ticks: usize, desc: Option<String>) -> Self {
        let (ticks, decimals) = style::nice_ticks(lo, hi, max_ticks);
        let labels = ticks
            .iter()
            .map(|t| style::format_tick(*t, decimals))
            .collect();
        Self {
            lo,
            hi,
            ticks,
            labels,
            desc,
        }
    }

    /// A time axis in days over `[lo, hi]`: whole weeks when they give at least three
    /// ticks (0, 7, 14 for a two-week culture), otherwise steps of 1, 2 or 5 times a
    /// power of ten.
    pub(crate) fn days(lo: f64, hi: f64, max_ticks: usize, desc: Option<String>) -> Self {
        let weekly = [7.0, 14.0, 28.0].iter().find_map(|&step: &f64| {
            let first = (lo / step - 1e-9).ceil();
            let last = (hi / step + 1e-9).floor();
            let count = last - first + 1.0;
            (count >= 3.0 && count <= (max_ticks + 1) as f64).then(|| {
                ((first as i64)..=(last as i64))
                    .map(|k| k as f64 * step)
                    .collect::<Vec<f64>>()
            })
        });
        let (ticks, decimals) = weekly.map_or_else(
            || style::nice_ticks_with(lo, hi, max_ticks, &[1.0, 2.0, 5.0]),
            |ticks| (ticks, 0),
        );
        let labels = ticks
            .iter()
            .map(|t| style::format_tick(*t, decimals))
            .collect();
        Self {
            lo,
            hi,
            ticks,
            labels,
            desc,
        }
    }

    /// A linear axis from 0 up to a nice bound at or above `max`.
    pub(crate) fn from_zero(max: f64, max_ticks: usize, desc: Option<String>) -> Self {
        let (top, ticks, decimals) = style::nice_upper(max, max_ticks);
        let labels = ticks
            .iter()
            .map(|t| style::format_tick(*t, decimals))
            .collect();
        Self {
            lo: 0.0,
            hi: top,
            ticks,
            labels,
            desc,
        }
    }

    /// A fold-change axis: always shows 1 (no change), spans every finite value, padded
    /// by `pad_fraction` of the range (at least 0.02) and never below 0.
    pub(crate) fn fold_change(
        values: impl Iterator<Item = f64>,
        pad_fraction: f64,
        max_ticks: usize,
        desc: Option<String>,
    ) -> Self {
        let (lo, hi) = values
            .filter(|v| v.is_finite())
            .fold((1.0f64, 1.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let pad = ((hi - lo) * pad_fraction).max(0.02);
        let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
        let (ticks, decimals) = style::nice_ticks(lo, hi, max_ticks);
        Self {
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

    /// The plotters coordinate of this axis.
    pub(crate) fn coord(&self) -> Ticked {
        Ticked::new(self.lo, self.hi, self.ticks.clone())
    }

    /// The label of the tick at `value` (the nearest tick).
    fn label_for(&self, value: f64) -> String {
        self.ticks
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }

    /// Maximum number of ticks that fit along a vertical axis `length_px` long with
    /// labels of em size `em`.
    pub(crate) fn fit_vertical(length_px: u32, em: f64) -> usize {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "small positive number"
        )]
        let n = (f64::from(length_px) / (em * 2.6)).floor() as usize;
        n.clamp(2, 8)
    }

    /// Maximum number of ticks that fit along `length_px` with labels of em size `em`.
    pub(crate) fn fit(length_px: u32, em: f64, chars: usize) -> usize {
        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
        let per_tick = em * 0.62 * chars.max(1) as f64 + em * 1.8;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "small positive number"
        )]
        let n = (f64::from(length_px) / per_tick).floor() as usize;
        n.clamp(2, 10)
    }
}

/// Tick mark length in pixels.
fn tick_len(m: &Metrics) -> u32 {
    px(m.tick * 0.35)
}

/// Width of a left label area holding `y`'s tick labels and (rotated) description.
pub(crate) fn y_area_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y: &Axis,
    m: &Metrics,
) -> u32 {
    let font = Metrics::text(m.tick);
    let widest = y
        .labels
        .iter()
        .map(|l| style::text_size(area, l, &font).0)
        .max()
        .unwrap_or(0);
    let desc = if y.desc.is_some() {
        Metrics::line_height(m.axis) + px(m.axis * 0.35)
    } else {
        0
    };
    widest + 2 * tick_len(m) + px(m.tick * 0.3) + desc
}

/// Height of a bottom label area holding tick labels and, if `x.desc` is set, the
/// description.
pub(crate) fn x_area_height(x: &Axis, m: &Metrics) -> u32 {
    let desc = if x.desc.is_some() {
        Metrics::line_height(m.axis) + px(m.axis * 0.3)
    } else {
        0
    };
    2 * tick_len(m) + Metrics::line_height(m.tick) + desc
}

/// Builds a chart on `area` with the given label areas and margins (pixels).
pub(crate) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis,
    y: &Axis,
    left: u32,
    bottom: u32,
    margin_top: u32,
    margin_right: u32,
) -> Result<Chart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .margin_top(margin_top)
        .margin_right(margin_right)
        .y_label_area_size(left)
        .x_label_area_size(bottom)
        .build_cartesian_2d(x.coord(), y.coord())
}

/// Draws axes, ticks, tick labels, descriptions and (if `grid`) light grid lines.
pub(crate) fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: &Axis,
    y: &Axis,
    m: &Metrics,
    grid: bool,
) -> Drawn<DB> {
    let x_fmt = |v: &f64| x.label_for(*v);
    let y_fmt = |v: &f64| y.label_for(*v);
    let axis_style = ShapeStyle::from(&INK).stroke_width(m.axis_line);
    let grid_style = if grid {
        ShapeStyle::from(&GRID).stroke_width(2)
    } else {
        ShapeStyle::from(&TRANSPARENT)
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(Metrics::text(m.tick))
        .axis_desc_style(Metrics::text(m.axis))
        .axis_style(axis_style)
        .bold_line_style(grid_style)
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(tick_len(m));
    if !grid {
        mesh.disable_mesh();
    }
    if let Some(desc) = &x.desc {
        mesh.x_desc(desc.clone());
    }
    if let Some(desc) = &y.desc {
        mesh.y_desc(desc.clone());
    }
    mesh.draw()
}

/// A panel's title at the top of `area` (`width` px wide): above the plot, which starts
/// `left` px in, or further left if it would not fit; shrunk to fit as a last resort.
pub(crate) fn panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    em: f64,
    left: u32,
    width: u32,
) -> Drawn<DB> {
    let (title_w, _) = style::text_size(area, title, &Metrics::text(em));
    let title_x = left.min(width.saturating_sub(title_w));
    fitted_text(
        area,
        title,
        em,
        INK,
        (i32::try_from(title_x).unwrap_or(0), 0),
        HPos::Left,
        VPos::Top,
        width.saturating_sub(title_x),
    )
    .map(|_| ())
}

/// \[px em\] The smallest text [`fitted_text`] shrinks to: 25 px, 6 pt on a 300 dpi
/// journal column and more than the 24 px readable on a slide from the back of a hall.
pub(crate) const MIN_EM: f64 = 25.0;

/// The em size `em` shrunk (by up to 15%, never below [`MIN_EM`]) until `text` is at
/// most `max_width` pixels wide, or as far as allowed.
fn fitted_size(text: &str, em: f64, max_width: u32) -> f64 {
    let floor = (em * 0.85).max(MIN_EM).min(em);
    let mut size = em;
    while size > floor && text::advance(text, size) > f64::from(max_width) {
        size = (size * 0.97).max(floor);
    }
    size
}

/// `text` broken at spaces into lines at most `max_width` pixels wide at em size `em`
/// (a single word wider than that is a line of its own; nothing is cut).
pub(crate) fn wrap_words(text: &str, em: f64, max_width: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(last) if text::advance(&format!("{last} {word}"), em) <= f64::from(max_width) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The lines and em size [`fitted_text`] draws `text` in.
pub(crate) fn fitted_lines(text: &str, em: f64, max_width: u32) -> (Vec<String>, f64) {
    let size = fitted_size(text, em, max_width);
    if text::advance(text, size) <= f64::from(max_width) {
        (vec![text.to_string()], size)
    } else {
        (wrap_words(text, em, max_width), em)
    }
}

/// \[px\] Height of `lines` lines of em size `em` as [`fitted_text`] stacks them.
pub(crate) fn lines_height(lines: usize, em: f64) -> u32 {
    let n = u32::try_from(lines.max(1)).unwrap_or(1);
    n * Metrics::line_height(em)
}

/// Draws `text` anchored at `(x, y)` of `area` at most `max_width` pixels wide: shrunk a
/// little if that makes it fit (never below [`MIN_EM`]), else broken at spaces into
/// lines stacked from the anchor (down from a top anchor, up from a bottom anchor,
/// around a centre anchor). Nothing is cut. Returns the height drawn.
#[expect(
    clippy::too_many_arguments,
    reason = "a text placement has this many parts"
)]
pub(crate) fn fitted_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    em: f64,
    color: RGBColor,
    (x, y): (i32, i32),
    h: HPos,
    v: VPos,
    max_width: u32,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let (lines, size) = fitted_lines(text, em, max_width);
    let step = i32::try_from(Metrics::line_height(size)).unwrap_or(30);
    let n = i32::try_from(lines.len()).unwrap_or(1);
    let first = match v {
        VPos::Top => y,
        VPos::Center => y - (n - 1) * step / 2,
        VPos::Bottom => y - (n - 1) * step,
    };
    let font = Metrics::anchored(size, h, v).color(&color);
    for (k, line) in lines.into_iter().enumerate() {
        let k = i32::try_from(k).unwrap_or(0);
        area.draw(&Text::new(line, (x, first + k * step), font.clone()))?;
    }
    Ok(lines_height(usize::try_from(n).unwrap_or(1), size))
}

/// Height that [`title_block`] uses for `title` and `subtitle` on a canvas `width`
/// pixels wide.
pub(crate) fn title_block_height(
    m: &Metrics,
    width: u32,
    title: &str,
    subtitle: Option<&str>,
) -> u32 {
    let max = width.saturating_sub(2 * m.pad);
    let (lines, size) = fitted_lines(title, m.title, max);
    let mut h = m.pad + lines_height(lines.len(), size);
    if let Some(sub) = subtitle {
        let (lines, size) = fitted_lines(sub, m.tick, max);
        h += px(m.tick * 0.15) + lines_height(lines.len(), size);
    }
    h + px(m.tick * 0.4)
}

/// Draws the figure title and an optional grey subtitle at the top of `root` (wrapped at
/// spaces if they do not fit); returns the height used.
pub(crate) fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
    m: &Metrics,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let max = w.saturating_sub(2 * m.pad);
    let center = ipx(f64::from(w) / 2.0);
    let mut y = m.pad;
    y += fitted_text(
        root,
        title,
        m.title,
        INK,
        (center, ipx(f64::from(y))),
        HPos::Center,
        VPos::Top,
        max,
    )?;
    if let Some(sub) = subtitle {
        y += px(m.tick * 0.15);
        y += fitted_text(
            root,
            sub,
            m.tick,
            GREY,
            (center, ipx(f64::from(y))),
            HPos::Center,
            VPos::Top,
            max,
        )?;
    }
    Ok(y + px(m.tick * 0.4))
}

/// The glyph of a legend entry.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Glyph {
    /// No glyph (a note in a legend).
    None,
    /// A line segment of the given width.
    Line(RGBColor, u32),
    /// A filled circle with a white rim.
    Dot(RGBColor),
    /// A hollow circle with a white halo.
    Ring(RGBColor),
    /// A filled diamond with a white rim.
    Diamond(RGBColor),
    /// A filled square with a white rim.
    Square(RGBColor),
    /// The outline of a square (of a region on a map), with a white halo if set.
    Outline(RGBColor, bool),
    /// A line segment of the given width with a marker ([`mark`] `k`) on it.
    Marked(RGBColor, u32, usize),
}

impl Glyph {
    /// Draws the glyph centred at `(x, y)` with half-size `r` pixels.
    pub(crate) fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        r: i32,
    ) -> Drawn<DB> {
        let rim = (r / 5).max(1);
        let r_u = u32::try_from(r.max(1)).unwrap_or(1);
        match self {
            Self::None => Ok(()),
            Self::Line(color, width) => area.draw(&PathElement::new(
                vec![(x - 2 * r, y), (x + 2 * r, y)],
                ShapeStyle::from(&color).stroke_width(width),
            )),
            Self::Dot(color) => {
                area.draw(&Circle::new((x, y), r_u, WHITE.filled()))?;
                area.draw(&Circle::new(
                    (x, y),
                    u32::try_from((r - rim).max(1)).unwrap_or(1),
                    color.filled(),
                ))
            }
            Self::Ring(color) => {
                let width = u32::try_from((r / 3).max(2)).unwrap_or(2);
                area.draw(&Circle::new(
                    (x, y),
                    r_u,
                    ShapeStyle::from(&WHITE).stroke_width(width + 2),
                ))?;
                area.draw(&Circle::new(
                    (x, y),
                    r_u,
                    ShapeStyle::from(&color).stroke_width(width),
                ))
            }
            Self::Diamond(color) => {
                let outer = r + rim;
                area.draw(&Polygon::new(
                    vec![
                        (x, y - outer),
                        (x + outer, y),
                        (x, y + outer),
                        (x - outer, y),
                    ],
                    WHITE.filled(),
                ))?;
                area.draw(&Polygon::new(
                    vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
                    color.filled(),
                ))
            }
            Self::Square(color) => {
                let s = ipx(f64::from(r) * 0.85);
                area.draw(&Rectangle::new(
                    [(x - s - rim, y - s - rim), (x + s + rim, y + s + rim)],
                    WHITE.filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(x - s, y - s), (x + s, y + s)],
                    color.filled(),
                ))
            }
            Self::Marked(color, width, k) => {
                Self::Line(color, width).draw(area, (x, y), r)?;
                mark(k, color).draw(area, (x, y), (r * 3 / 4).max(3))
            }
            Self::Outline(color, halo) => {
                let s = ipx(f64::from(r) * 0.85);
                let width = u32::try_from((r / 4).max(2)).unwrap_or(2);
                let square = vec![
                    (x - s, y - s),
                    (x + s, y - s),
                    (x + s, y + s),
                    (x - s, y + s),
                    (x - s, y - s),
                ];
                if halo {
                    area.draw(&PathElement::new(
                        square.clone(),
                        ShapeStyle::from(&WHITE).stroke_width(width + 2),
                    ))?;
                }
                area.draw(&PathElement::new(
                    square,
                    ShapeStyle::from(&color).stroke_width(width),
                ))
            }
        }
    }

    /// Width of the glyph's slot in a legend for half-size `r`.
    const fn slot(self, r: i32) -> i32 {
        match self {
            Self::None => 0,
            Self::Line(..) | Self::Marked(..) => 4 * r,
            _ => 2 * r,
        }
    }
}

/// The `k`-th marker shape in `color`: dot, square, diamond, ring, outlined square.
pub(crate) const fn mark(k: usize, color: RGBColor) -> Glyph {
    match k % 5 {
        0 => Glyph::Dot(color),
        1 => Glyph::Square(color),
        2 => Glyph::Diamond(color),
        3 => Glyph::Ring(color),
        _ => Glyph::Outline(color, true),
    }
}

/// Draws marker `k` of `n` lines along `points` (data coordinates of `chart`): about six
/// per line, each line's markers shifted by `k / n` of the spacing, so that lines that lie
/// on top of each other still show every line's markers.
pub(crate) fn draw_marks<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    points: &[(f64, f64)],
    (k, n): (usize, usize),
    color: RGBColor,
    r: i32,
) -> Drawn<DB> {
    if points.is_empty() {
        return Ok(());
    }
    let plot = chart.plotting_area();
    let (xr, yr) = plot.get_pixel_range();
    let area = plot.strip_coord_spec();
    let step = (points.len() / 6).max(1);
    let offset = step * k / n.max(1) + step / 2;
    for p in points.iter().skip(offset % step.max(1)).step_by(step) {
        let (x, y) = chart.backend_coord(p);
        if x < xr.start || x > xr.end || y < yr.start || y > yr.end {
            continue;
        }
        mark(k, color).draw(&area, (x - xr.start, y - yr.start), r)?;
    }
    Ok(())
}

/// Draws a small grey tick down from the top of `chart`'s plot at each time in `days`
/// (medium changes).
pub(crate) fn time_marks<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    days: &[f64],
    m: &Metrics,
) -> Drawn<DB> {
    let plot = chart.plotting_area();
    let (xr, _) = plot.get_pixel_range();
    let area = plot.strip_coord_spec();
    let len = ipx(m.tick * 0.5);
    for &t in days {
        let (x, _) = chart.backend_coord(&(t, 0.0));
        if x <= xr.start || x >= xr.end {
            continue;
        }
        let x = x - xr.start;
        area.draw(&Polygon::new(
            vec![(x - len / 2, 0), (x + len / 2, 0), (x, len)],
            GREY.filled(),
        ))?;
    }
    Ok(())
}

/// The medium-change times in days within `[0, end_days]` for a change every
/// `every_days` (none if there is no interval).
pub(crate) fn medium_changes(every_days: Option<f64>, end_days: f64) -> Vec<f64> {
    let Some(every) = every_days.filter(|e| e.is_finite() && *e > 0.0) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut t = every;
    while t < end_days - 1e-9 && out.len() < 1000 {
        out.push(t);
        t += every;
    }
    out
}

/// A legend entry: glyph and label.
pub(crate) type Entry = (Glyph, String);

/// Lays out `entries` as a grid of equal columns no wider than `max_width` in all:
/// the column width, the number of columns and the number of rows.
fn grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    m: &Metrics,
    max_width: i32,
) -> (i32, usize, usize) {
    let font = Metrics::text(m.legend);
    let r = glyph_radius(m);
    let slot = entries.iter().map(|(g, _)| g.slot(r)).max().unwrap_or(0);
    let text = entries
        .iter()
        .map(|(_, l)| i32::try_from(style::text_size(area, l, &font).0).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let column = slot + ipx(m.legend * 0.4) + text;
    let gap = ipx(m.legend * 1.2);
    let fit = usize::try_from((max_width + gap) / (column + gap).max(1)).unwrap_or(1);
    let columns = fit.clamp(1, entries.len().max(1));
    let rows = entries.len().div_ceil(columns);
    (column, columns, rows)
}

/// Glyph half-size of legends.
pub(crate) fn glyph_radius(m: &Metrics) -> i32 {
    ipx(m.legend * 0.38)
}

/// Usable legend width of an area.
fn legend_max_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, m: &Metrics) -> i32 {
    i32::try_from(area.dim_in_pixel().0.saturating_sub(2 * m.pad)).unwrap_or(i32::MAX)
}

/// Height of the legend block that [`legend_rows`] draws for `entries` on `area`.
pub(crate) fn legend_rows_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    m: &Metrics,
) -> u32 {
    let (_, _, rows) = grid(area, entries, m, legend_max_width(area, m));
    u32::try_from(rows).unwrap_or(1) * row_height(m)
}

/// Height of one legend row.
fn row_height(m: &Metrics) -> u32 {
    Metrics::line_height(m.legend) + px(m.legend * 0.3)
}

/// Draws `entries` as a centred grid of aligned columns starting at `top` on `area`;
/// returns the height used.
pub(crate) fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    m: &Metrics,
    top: i32,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    if entries.is_empty() {
        return Ok(0);
    }
    let (w, _) = area.dim_in_pixel();
    let (column, columns, rows) = grid(area, entries, m, legend_max_width(area, m));
    let gap = ipx(m.legend * 1.2);
    let r = glyph_radius(m);
    let slot = entries.iter().map(|(g, _)| g.slot(r)).max().unwrap_or(0);
    let h = i32::try_from(row_height(m)).unwrap_or(40);
    let n_cols = i32::try_from(columns).unwrap_or(1);
    let block = n_cols * column + (n_cols - 1) * gap;
    let x0 = (i32::try_from(w).unwrap_or(0) - block) / 2;
    for (k, (glyph, label)) in entries.iter().enumerate() {
        let row = i32::try_from(k / columns).unwrap_or(0);
        let col = i32::try_from(k % columns).unwrap_or(0);
        let x = x0 + col * (column + gap);
        let cy = top + row * h + h / 2;
        glyph.draw(area, (x + slot / 2, cy), r)?;
        let text_x = x + slot + ipx(m.legend * 0.4);
        let room = u32::try_from(i32::try_from(w).unwrap_or(0) - text_x - ipx(f64::from(m.pad)))
            .unwrap_or(0);
        fitted_text(
            area,
            label,
            m.legend,
            INK,
            (text_x, cy),
            HPos::Left,
            VPos::Center,
            room,
        )?;
    }
    Ok(u32::try_from(rows).unwrap_or(0) * row_height(m))
}

/// Width of a vertical legend of `entries`.
pub(crate) fn side_legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    m: &Metrics,
) -> u32 {
    let font = Metrics::text(m.legend);
    let r = glyph_radius(m);
    let slot = entries.iter().map(|(g, _)| g.slot(r)).max().unwrap_or(0);
    let text = entries
        .iter()
        .map(|(_, l)| style::text_size(area, l, &font).0)
        .max()
        .unwrap_or(0);
    u32::try_from(slot).unwrap_or(0) + text + px(m.legend * 1.2)
}

/// Draws `entries` as a vertical list with its top left corner at `(x, y)` of `area`.
pub(crate) fn side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    m: &Metrics,
    (x, y): (i32, i32),
) -> Drawn<DB> {
    let r = glyph_radius(m);
    let slot = entries.iter().map(|(g, _)| g.slot(r)).max().unwrap_or(0);
    let line_h = i32::try_from(Metrics::line_height(m.legend)).unwrap_or(30);
    for (i, (glyph, label)) in entries.iter().enumerate() {
        let cy = y + line_h * i32::try_from(i).unwrap_or(0) + line_h / 2;
        glyph.draw(area, (x + slot / 2, cy), r)?;
        area.draw(&Text::new(
            label.clone(),
            (x + slot + ipx(m.legend * 0.4), cy),
            Metrics::anchored(m.legend, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// Draws an x axis description at the bottom of `area`, centred under the plot (whose
/// backend pixel columns are `plot_x`) but kept inside the area, shrunk if wider.
pub(crate) fn x_description<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot_x: &Range<i32>,
    desc: &str,
    m: &Metrics,
) -> Drawn<DB> {
    let (w, h) = area.dim_in_pixel();
    let (bx, _) = area.get_base_pixel();
    let font = Metrics::text(m.axis);
    let text_w = i32::try_from(style::text_size(area, desc, &font).0.min(w)).unwrap_or(0);
    let centre = ((plot_x.start + plot_x.end) / 2 - bx)
        .min(i32::try_from(w).unwrap_or(0) - text_w / 2)
        .max(text_w / 2);
    fitted_text(
        area,
        desc,
        m.axis,
        INK,
        (centre, i32::try_from(h).unwrap_or(0)),
        HPos::Center,
        VPos::Bottom,
        w,
    )
    .map(|_| ())
}

/// The six panels of a time-course or dose-response figure below a header `used` pixels
/// high: 2 rows × 3 columns on a slide, 3 × 2 on a paper page. Returns the panels in
/// reading order with the number of rows and columns.
pub(crate) fn six_panels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    used: u32,
    style: super::Style,
    m: &Metrics,
) -> (Vec<DrawingArea<DB, Shift>>, usize, usize) {
    let body = root.margin(used, m.pad * 2, m.pad, m.pad);
    let (rows, cols) = match style {
        super::Style::Talk => (2, 3),
        super::Style::Paper => (3, 2),
    };
    let half = px(f64::from(m.pad) * 0.5);
    let cells = body
        .split_evenly((rows, cols))
        .iter()
        .map(|c| c.margin(half, half, 0, half))
        .collect();
    (cells, rows, cols)
}

/// `points` split where a value does not exist (a non-finite coordinate: an empty field
/// of a recorded file): each run of finite points is its own line, so a missing value is
/// a gap in the line, never a jump across it and never a NaN coordinate.
pub(crate) fn finite_runs(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if x.is_finite() && y.is_finite() {
            current.push((x, y));
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The polygons of a band between `low` and `high` over `xs`, one per run of at least
/// two x where both bounds exist (a gap where either does not): the upper edge left to
/// right, then the lower edge back.
pub(crate) fn band_polygons(xs: &[f64], low: &[f64], high: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut polygons = Vec::new();
    let mut start = 0;
    let n = xs.len().min(low.len()).min(high.len());
    while start < n {
        let exists = |i: usize| xs[i].is_finite() && low[i].is_finite() && high[i].is_finite();
        if !exists(start) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < n && exists(end) {
            end += 1;
        }
        if end - start >= 2 {
            let upper = (start..end).map(|i| (xs[i], high[i]));
            let lower = (start..end).rev().map(|i| (xs[i], low[i]));
            polygons.push(upper.chain(lower).collect());
        }
        start = end;
    }
    polygons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_split_lines_and_bands() {
        let nan = f64::NAN;
        let runs = finite_runs([(0.0, 1.0), (1.0, 2.0), (2.0, nan), (3.0, 4.0), (4.0, nan)]);
        assert_eq!(runs, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0)]]);
        assert!(finite_runs([(0.0, nan), (1.0, f64::INFINITY)]).is_empty());
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let low = [0.0, 0.0, nan, 0.0, 0.0, 0.0];
        let high = [1.0, 1.0, 1.0, 1.0, 1.0, nan];
        let bands = band_polygons(&xs, &low, &high);
        assert_eq!(
            bands,
            vec![
                vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)],
                vec![(3.0, 1.0), (4.0, 1.0), (4.0, 0.0), (3.0, 0.0)],
            ]
        );
    }
}
