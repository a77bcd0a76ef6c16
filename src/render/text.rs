//! Text on the figures: one layout of the embedded font for measuring and drawing.
//!
//! plotters' bitmap text path places every glyph at the truncated pen position and drops
//! its left side bearing, so letters drift apart or together ("Ap optosis", "m TORC1"),
//! and it draws glyphs about 6% larger than the SVG backend writes them. [`Typeset`]
//! wraps a backend and replaces its text drawing and measuring with one layout: glyphs at
//! sub-pixel pen positions with their side bearings and kerning, at the em size the SVG
//! backend writes (`font-size` = plotters size / 1.24), on the SVG's baselines (top:
//! 0.76 em below the anchor; centre: 0.5 ex; bottom: 0.5 ex above). Every text element
//! drawn is also kept as a [`TextBox`], so that tests can check that no text leaves its
//! canvas ([`super::text_layout`]).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use super::style::DEJAVU_SANS;

/// Plotters' text size is `EM_TO_PLOTTERS` em (see `style::EM_TO_PLOTTERS`).
const PLOTTERS_PER_EM: f64 = 1.24;
/// \[em\] Baseline below a top anchor (the SVG backend's `dy="0.76em"`).
const TOP_BASELINE: f64 = 0.76;
/// \[em\] Half the x-height of `DejaVu Sans` (1120/2048 em), the SVG backend's `0.5ex`.
const HALF_EX: f64 = 0.2734;
/// \[em\] Ascent of the tallest glyphs drawn (accented capitals) above the baseline.
const ASCENT: f64 = 0.76;
/// \[em\] Descent below the baseline.
const DESCENT: f64 = 0.24;

/// The embedded font, parsed once.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(DEJAVU_SANS).ok())
        .as_ref()
}

/// One text element as drawn: its text, em size and the pixel box it covers
/// (`x0 ≤ x < x1`, `y0 ≤ y < y1`, from the pen's advance and the font's ascent and
/// descent, rotation applied).
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    /// The text.
    pub text: String,
    /// \[px\] Em size (the `font-size` of the SVG).
    pub em: f64,
    /// \[px\] Left edge.
    pub x0: f64,
    /// \[px\] Top edge.
    pub y0: f64,
    /// \[px\] Right edge.
    pub x1: f64,
    /// \[px\] Bottom edge.
    pub y1: f64,
}

/// \[px\] Advance width of `text` at em size `em` (with kerning).
pub(crate) fn advance(text: &str, em: f64) -> f64 {
    let Some(font) = font() else {
        return 0.0;
    };
    let scaled = font.as_scaled(scale(font, em));
    let mut x = 0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        x += scaled.h_advance(id);
        prev = Some(id);
    }
    f64::from(x)
}

/// The `PxScale` that gives an em of `em` pixels.
#[expect(clippy::cast_possible_truncation, reason = "pixel sizes are small")]
fn scale(font: &FontRef<'_>, em: f64) -> PxScale {
    let units = font.units_per_em().unwrap_or(2048.0);
    PxScale::from((em * f64::from(font.height_unscaled()) / f64::from(units)) as f32)
}

/// Where a text element goes, unrotated, relative to its anchor: the left end of the
/// baseline, and the box `[x0, x1) × [y0, y1)`.
fn place(text: &str, em: f64, h: HPos, v: VPos) -> ((f64, f64), [f64; 4]) {
    let width = advance(text, em);
    let left = match h {
        HPos::Left => 0.0,
        HPos::Center => -width / 2.0,
        HPos::Right => -width,
    };
    let baseline = match v {
        VPos::Top => TOP_BASELINE * em,
        VPos::Center => HALF_EX * em,
        VPos::Bottom => -HALF_EX * em,
    };
    (
        (left, baseline),
        [
            left,
            baseline - ASCENT * em,
            left + width,
            baseline + DESCENT * em,
        ],
    )
}

/// The box of a text element at `pos` in pixels, rotation applied.
fn text_box<S: BackendTextStyle>(text: &str, style: &S, pos: BackendCoord) -> TextBox {
    let em = style.size() / PLOTTERS_PER_EM;
    let anchor = style.anchor();
    let (_, [a, b, c, d]) = place(text, em, anchor.h_pos, anchor.v_pos);
    let corners = [(a, b), (c, d)].map(|(x, y)| rotate(&style.transform(), x, y));
    let (x0, x1) = (
        corners[0].0.min(corners[1].0),
        corners[0].0.max(corners[1].0),
    );
    let (y0, y1) = (
        corners[0].1.min(corners[1].1),
        corners[0].1.max(corners[1].1),
    );
    TextBox {
        text: text.to_string(),
        em,
        x0: x0 + f64::from(pos.0),
        y0: y0 + f64::from(pos.1),
        x1: x1 + f64::from(pos.0),
        y1: y1 + f64::from(pos.1),
    }
}

/// A local offset rotated as plotters rotates text.
fn rotate(t: &FontTransform, x: f64, y: f64) -> (f64, f64) {
    match t {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y, x),
        FontTransform::Rotate180 => (-x, -y),
        FontTransform::Rotate270 => (y, -x),
    }
}

/// A backend whose text is laid out and (unless `draws_glyphs` is off) rasterised here,
/// everything else drawn by `inner`; every text element is kept in `boxes`.
pub(crate) struct Typeset<B: DrawingBackend> {
    inner: B,
    draws_glyphs: bool,
    /// Where the text elements drawn are kept, if anywhere.
    boxes: Option<Rc<RefCell<Vec<TextBox>>>>,
}

impl<B: DrawingBackend> Typeset<B> {
    /// Wraps a bitmap backend: text drawn here.
    pub(crate) const fn bitmap(inner: B) -> Self {
        Self {
            inner,
            draws_glyphs: true,
            boxes: None,
        }
    }

    /// Wraps a vector backend: text measured here, written by `inner` as text.
    pub(crate) const fn vector(inner: B) -> Self {
        Self {
            inner,
            draws_glyphs: false,
            boxes: None,
        }
    }

    /// Keeps every text element drawn in `boxes`.
    pub(crate) fn recording(mut self, boxes: Rc<RefCell<Vec<TextBox>>>) -> Self {
        self.boxes = Some(boxes);
        self
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let em = style.size() / PLOTTERS_PER_EM;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "text widths are small and non-negative"
        )]
        let width = advance(text, em).ceil().max(0.0) as u32;
        Ok((width, super::style::px(em)))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        if let Some(boxes) = &self.boxes {
            boxes.borrow_mut().push(text_box(text, style, pos));
        }
        if !self.draws_glyphs {
            return self.inner.draw_text(text, style, pos);
        }
        let Some(font) = font() else {
            return self.inner.draw_text(text, style, pos);
        };
        let em = style.size() / PLOTTERS_PER_EM;
        let anchor = style.anchor();
        let ((left, baseline), _) = place(text, em, anchor.h_pos, anchor.v_pos);
        let px_scale = scale(font, em);
        let scaled = font.as_scaled(px_scale);
        let transform = style.transform();
        let (w, h) = self.inner.get_size();
        #[expect(clippy::cast_possible_truncation, reason = "pixel positions are small")]
        let (mut pen, base) = (left as f32, baseline as f32);
        let mut prev = None;
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(px_scale, point(pen, base));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            #[expect(clippy::cast_possible_truncation, reason = "pixel positions are small")]
            let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|x, y, coverage| {
                #[expect(clippy::cast_possible_wrap, reason = "glyph bitmaps are small")]
                pixels.push((bx + x as i32, by + y as i32, coverage));
            });
        }
        for (x, y, coverage) in pixels {
            if coverage <= 0.0 {
                continue;
            }
            let (dx, dy) = rotate(&transform, f64::from(x), f64::from(y));
            let (px_x, px_y) = (super::style::ipx(dx) + pos.0, super::style::ipx(dy) + pos.1);
            if px_x < 0 || px_y < 0 || px_x >= i32::try_from(w).unwrap_or(i32::MAX) {
                continue;
            }
            if px_y >= i32::try_from(h).unwrap_or(i32::MAX) {
                continue;
            }
            self.inner.draw_pixel(
                (px_x, px_y),
                BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                },
            )?;
        }
        Ok(())
    }
}

/// A backend that draws nothing and keeps the text elements: for laying out figures
/// without writing them ([`super::text_layout`]).
pub(crate) struct Measure {
    size: (u32, u32),
}

impl Measure {
    /// A canvas of `size` pixels.
    pub(crate) const fn new(size: (u32, u32)) -> Self {
        Self { size }
    }
}

/// The error of [`Measure`] (never raised).
#[derive(Debug)]
pub(crate) struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl DrawingBackend for Measure {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        _: &str,
        _: &S,
        _: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pen advances by the font's advance widths: "mTORC1" is as wide as "m" and
    /// "TORC1" side by side (plus kerning, none here), and boxes follow the anchor.
    #[test]
    fn advances_add_up_and_anchors_place_the_box() {
        let whole = advance("mTORC1", 26.0);
        let parts = advance("m", 26.0) + advance("TORC1", 26.0);
        assert!((whole - parts).abs() < 0.5, "{whole} vs {parts}");
        let (_, [x0, y0, x1, y1]) = place("abc", 20.0, HPos::Center, VPos::Top);
        assert!((x0 + x1).abs() < 1e-9);
        assert!(y0.abs() < 1e-9 && (y1 - 20.0).abs() < 1e-9);
    }
}
