//! Wall figures: the unrolled wall's mineral with its axial profile (`mineral-wall`,
//! `mineral-wall-day<D>`), the animation frames, and the section with every cell's state
//! (`wall-section`).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{self, Axis, Chart, Drawn, Entry, Glyph};
use super::data::{Occupant, Snapshot, Wall};
use super::style::{self, GREY, INK, Metrics, ipx, okabe_ito, px};
use super::{Figure, Style};

/// Largest number of blocks drawn along the axis and around the circumference of an
/// unrolled wall; larger lattices are averaged over square blocks of sites.
const MAX_BLOCKS: (usize, usize) = (480, 270);

/// The colour and glyph of each cell state.
fn state_glyph(occupant: Occupant) -> Option<Glyph> {
    match occupant {
        Occupant::Empty => None,
        Occupant::Contractile => Some(Glyph::Dot(okabe_ito::BLUISH_GREEN)),
        Occupant::Synthetic => Some(Glyph::Dot(okabe_ito::SKY_BLUE)),
        Occupant::Osteogenic => Some(Glyph::Square(okabe_ito::VERMILLION)),
        Occupant::Apoptotic => Some(Glyph::Dot(okabe_ito::REDDISH_PURPLE)),
        Occupant::ApoptoticBody => Some(Glyph::Diamond(okabe_ito::BLACK)),
    }
}

/// Label of the shaded, cell-free adventitia (here and in `mineral-radial`).
pub(crate) const ADVENTITIA_LABEL: &str = "adventitia (no cells modelled)";

/// Fill of the cell-free adventitia.
pub(crate) const ADVENTITIA_GREY: RGBColor = RGBColor(226, 226, 226);

/// Cell states in legend order with their labels.
const STATES: [(Occupant, &str); 5] = [
    (Occupant::Contractile, "contractile"),
    (Occupant::Synthetic, "synthetic"),
    (Occupant::Osteogenic, "osteogenic"),
    (Occupant::Apoptotic, "apoptotic"),
    (Occupant::ApoptoticBody, "apoptotic body"),
];

/// The unrolled wall at one snapshot, summed over layers and averaged over blocks.
#[derive(Clone, Debug)]
struct Field {
    /// Blocks along the axis.
    nx: usize,
    /// Blocks around the circumference.
    ny: usize,
    /// Sites per block side.
    block: usize,
    /// [µg Ca mm⁻²] Mineral per wall area of each block (`j · nx + i`).
    values: Vec<f64>,
    /// Whether a block holds an osteogenic cell in any layer.
    osteogenic: Vec<bool>,
    /// Whether a block holds an apoptotic body in any layer.
    bodies: Vec<bool>,
    /// Osteogenic cells in the whole wall.
    osteogenic_count: usize,
    /// Apoptotic bodies in the whole wall.
    body_count: usize,
}

impl Field {
    /// Projects a snapshot of `wall`.
    fn new(wall: &Wall, snapshot: &Snapshot) -> Self {
        let block = block_size(wall);
        let nx = wall.axial.div_ceil(block);
        let ny = wall.circumferential.div_ceil(block);
        let mut sums = vec![0.0; nx * ny];
        let mut counts = vec![0usize; nx * ny];
        let mut osteogenic = vec![false; nx * ny];
        let mut bodies = vec![false; nx * ny];
        let (mut osteogenic_count, mut body_count) = (0, 0);
        for c in 0..wall.circumferential {
            for a in 0..wall.axial {
                let b = (c / block) * nx + a / block;
                let mut column = 0.0;
                for l in 0..wall.layers.len() {
                    let i = wall.index(a, c, l);
                    column += snapshot.mineral[i];
                    match snapshot.occupant[i] {
                        Occupant::Osteogenic => {
                            osteogenic[b] = true;
                            osteogenic_count += 1;
                        }
                        Occupant::ApoptoticBody => {
                            bodies[b] = true;
                            body_count += 1;
                        }
                        _ => {}
                    }
                }
                sums[b] += column;
                counts[b] += 1;
            }
        }
        #[expect(clippy::cast_precision_loss, reason = "small counts")]
        let values = sums
            .iter()
            .zip(&counts)
            .map(|(s, n)| if *n > 0 { s / *n as f64 } else { 0.0 })
            .collect();
        Self {
            nx,
            ny,
            block,
            values,
            osteogenic,
            bodies,
            osteogenic_count,
            body_count,
        }
    }

    /// Largest block value.
    fn max(&self) -> f64 {
        self.values.iter().copied().fold(0.0, f64::max)
    }
}

/// Sites per block side for a lattice.
fn block_size(wall: &Wall) -> usize {
    wall.axial
        .div_ceil(MAX_BLOCKS.0)
        .max(wall.circumferential.div_ceil(MAX_BLOCKS.1))
        .max(1)
}

/// [µg Ca mm⁻¹] Mineral per mm of vessel along the axis: the sum over circumference and
/// layers of mineral per area × site area, divided by the site spacing.
fn axial_profile(wall: &Wall, snapshot: &Snapshot) -> Vec<f64> {
    (0..wall.axial)
        .map(|a| {
            let mut sum = 0.0;
            for l in 0..wall.layers.len() {
                for c in 0..wall.circumferential {
                    sum += snapshot.mineral[wall.index(a, c, l)];
                }
            }
            sum * wall.spacing_mm * wall.spacing_mm / wall.spacing_mm
        })
        .collect()
}

/// A colour scale for mineral per area: display unit and the axis of the colour bar.
#[derive(Clone, Debug)]
struct Scale {
    /// Multiplier from µg to the display unit.
    factor: f64,
    /// Colour-bar axis in display units (from 0).
    axis: Axis,
    /// Whether there is no mineral at all.
    empty: bool,
    /// The display unit (`ng`, ...).
    unit: &'static str,
}

impl Scale {
    /// A scale from 0 to a nice bound above `max_ug` (µg Ca mm⁻²), labelled `what`
    /// followed by the unit.
    fn new(max_ug: f64, what: &str, per: &str) -> Self {
        let (factor, unit) = style::mass_unit(max_ug);
        let axis = Axis::from_zero(
            max_ug * factor,
            6,
            Some(format!("{what} ({unit} Ca/{per})")),
        );
        Self {
            factor,
            axis,
            empty: max_ug.is_nan() || max_ug <= 0.0,
            unit,
        }
    }

    /// The colour of a value in µg.
    fn color(&self, value_ug: f64) -> RGBColor {
        style::viridis(value_ug * self.factor / self.axis.hi, 0.0)
    }

    /// The same scale with its colour bar labelled `what` followed by the unit.
    fn relabelled(&self, what: &str, per: &str) -> Self {
        let mut out = self.clone();
        out.axis.desc = Some(format!("{what} ({} Ca/{per})", self.unit));
        out
    }
}

/// The mineral colour scales and profile bound of a run, computed once from all its
/// snapshots, so that one colour means one amount in every figure of a kind: the mineral
/// maps of every day and the animation share `map`, and the wall section has `section`.
/// In a well the two are the same scale. In a vessel the maps sum the layers while the
/// section shows each layer's sites: at most a map block's mineral (all of it in one
/// layer), a tenth of it when ten layers share it evenly, so a section on the maps' scale
/// would show its lamellar bands near 0.
#[derive(Clone, Debug)]
pub(crate) struct RunScale {
    /// The maps' colour scale: 0 to a nice bound at or above the largest map block of
    /// any snapshot (summed over the layers of a vessel).
    map: Scale,
    /// The section's colour scale: 0 to a nice bound at or above the largest single
    /// site of any snapshot (the same as `map` in a well).
    section: Scale,
    /// [µg Ca mm⁻¹] Largest axial-profile value over the snapshots.
    max_profile: f64,
}

impl RunScale {
    /// The scales of `wall`'s snapshots.
    pub(crate) fn of(wall: &Wall) -> Self {
        let mut max_field: f64 = 0.0;
        let mut max_site: f64 = 0.0;
        let mut max_profile: f64 = 0.0;
        for snapshot in &wall.snapshots {
            max_field = max_field.max(Field::new(wall, snapshot).max());
            max_site = snapshot.mineral.iter().copied().fold(max_site, f64::max);
            max_profile = axial_profile(wall, snapshot)
                .into_iter()
                .fold(max_profile, f64::max);
        }
        let map = if wall.is_vessel() {
            max_field
        } else {
            // A well's map is its single layer, averaged over blocks on a large lattice:
            // the section's sites and the map's blocks share the larger bound.
            max_field.max(max_site)
        };
        let section = if wall.is_vessel() { max_site } else { map };
        Self {
            map: Scale::new(map, "mineral", "mm²"),
            section: Scale::new(section, "mineral", "mm²"),
            max_profile,
        }
    }
}

/// \[px\] The size of a plot showing `extent_mm` (width, height in mm) at the same
/// millimetres per pixel on both axes, as large as fits in `available` pixels (width,
/// height): the plotted data area of the mineral maps, the animation frames and the
/// monolayer's top view.
#[must_use]
pub fn equal_aspect_plot(available: (u32, u32), extent_mm: (f64, f64)) -> (u32, u32) {
    let (w, h) = (f64::from(available.0), f64::from(available.1));
    let (x, y) = extent_mm;
    if !(x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite()) {
        return available;
    }
    let px_per_mm = (w / x).min(h / y);
    (
        px(x * px_per_mm).min(available.0),
        px(y * px_per_mm).min(available.1),
    )
}

/// Names of the axes of the unrolled wall.
fn wall_axes(wall: &Wall) -> (&'static str, &'static str) {
    if wall.is_vessel() {
        ("axial position (mm)", "circumference (mm)")
    } else {
        ("x (mm)", "y (mm)")
    }
}

/// Colour of the outline of osteogenic cells on the unrolled wall.
const OSTEOGENIC_LINE: RGBColor = okabe_ito::VERMILLION;

/// The legend of the outlines on the unrolled wall, with the counts of the snapshot.
fn marker_entries(wall: &Wall, field: &Field) -> Vec<Entry> {
    let layers = if wall.is_vessel() {
        format!(", in any of {} layers", wall.layers.len())
    } else {
        String::new()
    };
    vec![
        (
            Glyph::Outline(OSTEOGENIC_LINE, false),
            format!(
                "region of osteogenic cells ({}{layers})",
                field.osteogenic_count
            ),
        ),
        (
            Glyph::Outline(okabe_ito::BLACK, true),
            format!("region of apoptotic bodies ({})", field.body_count),
        ),
    ]
}

/// The outline of the blocks where `inside` holds, as horizontal and vertical segments
/// in block coordinates (`(i0, j0, i1, j1)`), neighbouring edges merged.
fn outline(nx: usize, ny: usize, inside: &[bool]) -> Vec<(usize, usize, usize, usize)> {
    let at = |i: usize, j: usize| inside[j * nx + i];
    let mut segments = Vec::new();
    // Horizontal edges at y = j (between rows j - 1 and j).
    for j in 0..=ny {
        let mut run: Option<usize> = None;
        for i in 0..=nx {
            let edge = i < nx && {
                let below = j > 0 && at(i, j - 1);
                let above = j < ny && at(i, j);
                below != above
            };
            match (edge, run) {
                (true, None) => run = Some(i),
                (false, Some(start)) => {
                    segments.push((start, j, i, j));
                    run = None;
                }
                _ => {}
            }
        }
    }
    // Vertical edges at x = i.
    for i in 0..=nx {
        let mut run: Option<usize> = None;
        for j in 0..=ny {
            let edge = j < ny && {
                let left = i > 0 && at(i - 1, j);
                let right = i < nx && at(i, j);
                left != right
            };
            match (edge, run) {
                (true, None) => run = Some(j),
                (false, Some(start)) => {
                    segments.push((i, start, i, j));
                    run = None;
                }
                _ => {}
            }
        }
    }
    segments
}

/// Draws the mineral field of the unrolled wall on `chart`, with the regions of
/// osteogenic cells and of apoptotic bodies outlined: at any density the outlines show
/// where they are (a few cells as small squares, most of the wall as the holes left).
fn draw_field<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    wall: &Wall,
    field: &Field,
    scale: &Scale,
    m: &Metrics,
) -> Drawn<DB> {
    #[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
    let edge = |i: usize, n: usize| (i * field.block).min(n) as f64 * wall.spacing_mm;
    let rects = (0..field.ny).flat_map(|j| {
        (0..field.nx).map(move |i| {
            let color = scale.color(field.values[j * field.nx + i]);
            Rectangle::new(
                [
                    (edge(i, wall.axial), edge(j, wall.circumferential)),
                    (edge(i + 1, wall.axial), edge(j + 1, wall.circumferential)),
                ],
                color.filled(),
            )
        })
    });
    chart.draw_series(rects)?;
    let plot = chart.plotting_area();
    let (xr, yr) = plot.get_pixel_range();
    let area = plot.strip_coord_spec();
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    let cell_px = (f64::from(xr.end - xr.start) / field.nx as f64)
        .min(f64::from(yr.end - yr.start) / field.ny as f64);
    let width = px((cell_px * 0.22).clamp(1.0, f64::from(m.line) * 0.6)).max(1);
    let to_px = |i: usize, j: usize| {
        let (x, y) = chart.backend_coord(&(edge(i, wall.axial), edge(j, wall.circumferential)));
        (x - xr.start, y - yr.start)
    };
    for (inside, color, halo) in [
        (&field.osteogenic, OSTEOGENIC_LINE, false),
        (&field.bodies, okabe_ito::BLACK, true),
    ] {
        let segments = outline(field.nx, field.ny, inside);
        if halo {
            for &(i0, j0, i1, j1) in &segments {
                area.draw(&PathElement::new(
                    vec![to_px(i0, j0), to_px(i1, j1)],
                    ShapeStyle::from(&WHITE).stroke_width(width + 2),
                ))?;
            }
        }
        for &(i0, j0, i1, j1) in &segments {
            area.draw(&PathElement::new(
                vec![to_px(i0, j0), to_px(i1, j1)],
                ShapeStyle::from(&color).stroke_width(width),
            ))?;
        }
    }
    if scale.empty {
        let (w, h) = area.dim_in_pixel();
        let font = Metrics::anchored(m.axis, HPos::Center, VPos::Center);
        let (tw, th) = style::text_size(&area, "no mineral", &font);
        let (cx, cy) = (ipx(f64::from(w) / 2.0), ipx(f64::from(h) / 2.0));
        let (hw, hh) = (
            ipx(f64::from(tw) / 2.0 + m.axis * 0.6),
            ipx(f64::from(th) / 2.0 + m.axis * 0.4),
        );
        area.draw(&Rectangle::new(
            [(cx - hw, cy - hh), (cx + hw, cy + hh)],
            WHITE.mix(0.9).filled(),
        ))?;
        area.draw(&Text::new("no mineral", (cx, cy), font))?;
    }
    Ok(())
}

/// Draws a vertical colour bar for `scale` on `area`, its bar spanning the same pixel rows
/// as a chart with `bottom` pixels of label area below.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &Scale,
    m: &Metrics,
    margin_top: u32,
    bottom: u32,
) -> Drawn<DB> {
    let font = Metrics::text(m.tick);
    let widest = scale
        .axis
        .labels
        .iter()
        .map(|l| style::text_size(area, l, &font).0)
        .max()
        .unwrap_or(0);
    let right = widest + px(m.tick * 1.0) + Metrics::line_height(m.axis) + px(m.axis * 0.3);
    let (w, _) = area.dim_in_pixel();
    let bar = px(m.tick * 1.3);
    let left = w.saturating_sub(right + bar);
    let x = Axis {
        lo: 0.0,
        hi: 1.0,
        ticks: vec![],
        labels: vec![],
        desc: None,
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(margin_top)
        .margin_left(left)
        .right_y_label_area_size(right)
        .x_label_area_size(bottom)
        .build_cartesian_2d(x.coord(), scale.axis.coord())?;
    let steps = 256;
    let hi = scale.axis.hi;
    chart.draw_series((0..steps).map(|k| {
        let t0 = f64::from(k) / f64::from(steps);
        let t1 = f64::from(k + 1) / f64::from(steps);
        Rectangle::new(
            [(0.0, t0 * hi), (1.0, t1 * hi)],
            style::viridis(f64::midpoint(t0, t1), 0.0).filled(),
        )
    }))?;
    chart::mesh(&mut chart, &x, &scale.axis, m, false)?;
    chart.draw_series(std::iter::once(Rectangle::new(
        [(0.0, 0.0), (1.0, hi)],
        ShapeStyle::from(&INK).stroke_width(1),
    )))?;
    Ok(())
}

/// Width of the colour-bar column for `scale`.
fn colour_bar_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &Scale,
    m: &Metrics,
) -> u32 {
    let font = Metrics::text(m.tick);
    let widest = scale
        .axis
        .labels
        .iter()
        .map(|l| style::text_size(area, l, &font).0)
        .max()
        .unwrap_or(0);
    m.pad
        + px(m.tick * 1.3)
        + widest
        + px(m.tick * 1.0)
        + Metrics::line_height(m.axis)
        + px(m.axis * 0.3)
}

/// `mineral-wall` (and `mineral-wall-day<D>`): the unrolled wall's mineral at one
/// snapshot at the same millimetres per pixel on both axes, its axial profile beneath on
/// the same axis, with the regions of osteogenic cells and apoptotic bodies outlined.
/// The colour and profile scales are the run's ([`RunScale`]).
pub(crate) struct MineralWall<'a> {
    wall: &'a Wall,
    index: usize,
    name: Option<&'a str>,
    field: Field,
    scale: Scale,
    profile: Vec<f64>,
    profile_factor: f64,
    profile_axis: Axis,
}

impl<'a> MineralWall<'a> {
    /// The figure for snapshot `index` of `wall` on the run's map scale; `name` is the
    /// scenario name.
    pub(crate) fn new(wall: &'a Wall, index: usize, name: Option<&'a str>, run: &RunScale) -> Self {
        let snapshot = &wall.snapshots[index];
        let (profile_factor, unit) = style::mass_unit(run.max_profile);
        let per = if wall.is_vessel() {
            "mineral, all layers"
        } else {
            "mineral"
        };
        Self {
            wall,
            index,
            name,
            field: Field::new(wall, snapshot),
            scale: run.map.relabelled(per, "mm²"),
            profile: axial_profile(wall, snapshot),
            profile_factor,
            profile_axis: Axis::from_zero(
                run.max_profile * profile_factor,
                4,
                Some(format!("{unit} Ca/mm")),
            ),
        }
    }

    /// \[mm\] Width and height of the unrolled wall.
    #[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
    fn extent(&self) -> (f64, f64) {
        (
            self.wall.axial as f64 * self.wall.spacing_mm,
            self.wall.circumferential as f64 * self.wall.spacing_mm,
        )
    }
}

impl Figure for MineralWall<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let wall = self.wall;
        let day = style::format_day(wall.snapshots[self.index].time_days);
        let title = if wall.is_vessel() {
            format!("Mineral in the unrolled vessel wall, day {day}")
        } else {
            format!("Mineral in the cell layer, day {day}")
        };
        let mut used = chart::title_block(root, &title, self.name, &m)?;
        let entries = marker_entries(wall, &self.field);
        used += chart::legend_rows(root, &entries, &m, ipx(f64::from(used)))?;
        let body = root.margin(used + px(m.tick * 0.7), m.pad, m.pad, m.pad);
        let (bw, bh) = body.dim_in_pixel();
        let cb_w = colour_bar_width(&body, &self.scale, &m);
        let (x_desc, y_desc) = wall_axes(wall);
        let (x_max, y_max) = self.extent();
        // The map takes up to 62% of the height, the profile (caption, plot, axis) the rest.
        let heat_h_max = px(f64::from(bh) * 0.62);
        let heat_y = Axis::linear(
            0.0,
            y_max,
            Axis::fit_vertical(heat_h_max.saturating_sub(60), m.tick),
            Some(y_desc.to_string()),
        );
        let left = chart::y_area_width(&body, &heat_y, &m).max(chart::y_area_width(
            &body,
            &self.profile_axis,
            &m,
        ));
        let probe = Axis::linear(0.0, x_max, 2, None);
        let heat_bottom = chart::x_area_height(&probe, &m);
        let (plot_w, plot_h) = equal_aspect_plot(
            (
                bw.saturating_sub(cb_w + left),
                heat_h_max.saturating_sub(heat_bottom),
            ),
            (x_max, y_max),
        );
        // The map, its axis labels and colour bar, centred across the page.
        let block_w = left + plot_w + cb_w;
        let side = bw.saturating_sub(block_w) / 2;
        let body = body.margin(0, 0, side, bw.saturating_sub(block_w + side));
        let main_w = left + plot_w;
        let n_x = Axis::fit(plot_w, m.tick, 4);
        let heat_x = Axis::linear(0.0, x_max, n_x, None);
        let profile_x = Axis::linear(0.0, x_max, n_x, Some(x_desc.to_string()));
        let (heat, lower) = body.split_vertically(plot_h + heat_bottom);
        let (heat_main, heat_cb) = heat.split_horizontally(main_w);
        let mut chart = chart::build(&heat_main, &heat_x, &heat_y, left, heat_bottom, 0, 0)?;
        draw_field(&mut chart, wall, &self.field, &self.scale, &m)?;
        chart::mesh(&mut chart, &heat_x, &heat_y, &m, false)?;
        colour_bar(&heat_cb, &self.scale, &m, 0, heat_bottom)?;

        // Axial profile beneath, on the same x axis.
        let (lower_main, _) = lower.split_horizontally(main_w);
        let caption_h = Metrics::line_height(m.legend) + px(m.legend * 0.3);
        let gap = px(f64::from(m.pad) * 1.2);
        let profile_area = lower_main.margin(gap + caption_h, 0, 0, 0);
        let bottom = chart::x_area_height(&profile_x, &m);
        let mut chart = chart::build(
            &profile_area,
            &profile_x,
            &self.profile_axis,
            left,
            bottom,
            0,
            0,
        )?;
        chart::mesh(&mut chart, &profile_x, &self.profile_axis, &m, true)?;
        let mut steps = Vec::with_capacity(2 * self.profile.len());
        for (a, v) in self.profile.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
            let x0 = a as f64 * wall.spacing_mm;
            let y = v * self.profile_factor;
            steps.push((x0, y));
            steps.push((x0 + wall.spacing_mm, y));
        }
        chart.draw_series(AreaSeries::new(
            steps.iter().copied(),
            0.0,
            okabe_ito::BLUE.mix(0.25).filled(),
        ))?;
        chart.draw_series(LineSeries::new(
            steps.iter().copied(),
            style::line_style(okabe_ito::BLUE, m.line),
        ))?;
        let caption = if wall.is_vessel() {
            "Axial profile: mineral per mm of vessel (all layers, whole circumference)"
        } else {
            "Profile along x: mineral per mm (summed across the well)"
        };
        // The caption starts above the profile's axis, or further left if it would not
        // fit the page; it is drawn on the page's own coordinates.
        let (page_w, _) = root.dim_in_pixel();
        let (rx, ry) = root.get_base_pixel();
        let (lx, ly) = lower_main.get_base_pixel();
        let caption_w = style::text_size(root, caption, &Metrics::text(m.legend)).0;
        let want = lx - rx + i32::try_from(left).unwrap_or(0);
        let last = i32::try_from(page_w.saturating_sub(m.pad + caption_w)).unwrap_or(0);
        let caption_x = want.min(last).max(i32::try_from(m.pad).unwrap_or(0));
        chart::fitted_text(
            root,
            caption,
            m.legend,
            INK,
            (caption_x, ly - ry + i32::try_from(gap).unwrap_or(0)),
            HPos::Left,
            VPos::Top,
            page_w.saturating_sub(m.pad + u32::try_from(caption_x).unwrap_or(0)),
        )?;
        Ok(())
    }
}

/// One frame of `animation.gif`: the unrolled wall's mineral at one snapshot on the run's
/// colour scale, at the same millimetres per pixel on both axes, with a large time stamp.
pub(crate) struct Frame<'a> {
    inner: MineralWall<'a>,
}

impl<'a> Frame<'a> {
    /// The frame for snapshot `index` on the run's map scale.
    pub(crate) fn new(wall: &'a Wall, index: usize, name: Option<&'a str>, run: &RunScale) -> Self {
        Self {
            inner: MineralWall::new(wall, index, name, run),
        }
    }
}

impl Figure for Frame<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let fig = &self.inner;
        let wall = fig.wall;
        let title = if wall.is_vessel() {
            "Mineral in the unrolled vessel wall"
        } else {
            "Mineral in the cell layer"
        };
        let mut used = chart::title_block(root, title, fig.name, &m)?;
        let entries = marker_entries(wall, &fig.field);
        used += chart::legend_rows(root, &entries, &m, ipx(f64::from(used)))?;
        let stamp_h = Metrics::line_height(m.title * 1.3);
        let body = root.margin(used + px(m.tick * 0.7), m.pad, m.pad, m.pad);
        let (bw, bh) = body.dim_in_pixel();
        let cb_w = colour_bar_width(&body, &fig.scale, &m);
        let (x_desc, y_desc) = wall_axes(wall);
        let (x_max, y_max) = fig.extent();
        let probe = Axis::linear(0.0, x_max, 2, Some(x_desc.to_string()));
        let bottom = chart::x_area_height(&probe, &m);
        let y = Axis::linear(
            0.0,
            y_max,
            Axis::fit_vertical(bh.saturating_sub(stamp_h + bottom), m.tick),
            Some(y_desc.to_string()),
        );
        let left = chart::y_area_width(&body, &y, &m);
        let (plot_w, plot_h) = equal_aspect_plot(
            (
                bw.saturating_sub(cb_w + left),
                bh.saturating_sub(stamp_h + bottom),
            ),
            (x_max, y_max),
        );
        let block_w = left + plot_w + cb_w;
        let side = bw.saturating_sub(block_w) / 2;
        let body = body.margin(
            0,
            bh.saturating_sub(stamp_h + plot_h + bottom),
            side,
            bw.saturating_sub(block_w + side),
        );
        let main_w = left + plot_w;
        let x = Axis::linear(
            0.0,
            x_max,
            Axis::fit(plot_w, m.tick, 4),
            Some(x_desc.to_string()),
        );
        let (main, cb) = body.split_horizontally(main_w);
        let mut chart = chart::build(&main, &x, &y, left, bottom, stamp_h, 0)?;
        draw_field(&mut chart, wall, &fig.field, &fig.scale, &m)?;
        chart::mesh(&mut chart, &x, &y, &m, false)?;
        colour_bar(&cb, &fig.scale, &m, stamp_h, bottom)?;
        let (mw, _) = main.dim_in_pixel();
        main.draw(&Text::new(
            format!(
                "day {}",
                style::format_day(wall.snapshots[fig.index].time_days)
            ),
            (i32::try_from(mw).unwrap_or(0), 0),
            Metrics::anchored(m.title * 1.3, HPos::Right, VPos::Top),
        ))?;
        Ok(())
    }
}

/// `wall-section`: every cell of the final snapshot drawn as a glyph coloured by state over
/// the mineral field: a longitudinal section (axial position × layer) through the most
/// mineralised circumferential position of a vessel, or the top view of a monolayer. A
/// lattice too large to show each cell is shown as a window around its most mineralised
/// site.
pub(crate) struct Section<'a> {
    wall: &'a Wall,
    name: Option<&'a str>,
    /// The run's section scale ([`RunScale`]: the maps' in a well, its own in a vessel).
    scale: Scale,
}

impl<'a> Section<'a> {
    /// The section of the final snapshot of `wall`, on the run's section scale.
    pub(crate) fn new(wall: &'a Wall, name: Option<&'a str>, run: &RunScale) -> Self {
        let per = if wall.is_vessel() {
            "mineral per layer"
        } else {
            "mineral"
        };
        Self {
            wall,
            name,
            scale: run.section.relabelled(per, "mm²"),
        }
    }
}

/// A window `[start, start + len)` of `n` sites of at most `max` sites, centred on
/// `focus`.
fn window(n: usize, max: usize, focus: usize) -> (usize, usize) {
    let len = n.min(max.max(1));
    let start = focus.saturating_sub(len / 2).min(n - len);
    (start, len)
}

/// Index of the largest value (the first on ties).
fn argmax(values: impl Iterator<Item = f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// Display names of the layers: kind and number within the kind ("media 3").
pub(crate) fn layer_names(layers: &[String]) -> Vec<String> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    layers
        .iter()
        .map(|l| {
            let kind = match l.as_str() {
                "media_lamella" => "media",
                other => other,
            }
            .replace('_', " ");
            let count = if let Some(entry) = seen.iter_mut().find(|(k, _)| *k == kind) {
                entry.1 += 1;
                entry.1
            } else {
                seen.push((kind.clone(), 1));
                1
            };
            format!("{kind} {count}")
        })
        .collect()
}

impl Section<'_> {
    /// The legend entries with the count of each state from `count`, and the elastic
    /// lamella for a vessel that has them.
    fn entries(&self, m: &Metrics, count: impl Fn(Occupant) -> usize) -> Vec<Entry> {
        let mut entries: Vec<Entry> = STATES
            .iter()
            .filter_map(|(state, label)| {
                state_glyph(*state).map(|g| (g, format!("{label} ({})", count(*state))))
            })
            .collect();
        if self.wall.layers.iter().any(|l| l == "media_lamella") {
            entries.push((
                Glyph::Line(GREY, m.line),
                "elastic lamella (the band above it: mineral it nucleated)".to_string(),
            ));
        }
        if self.wall.layers.iter().any(|l| l == "adventitia") {
            entries.push((Glyph::Square(ADVENTITIA_GREY), ADVENTITIA_LABEL.to_string()));
        }
        entries
    }
}

/// [1] Share of a lamella layer's row in the wall section given to the band of mineral
/// that nucleated on its lamella (drawn along the lamella, on the layer's outer side).
const LAMELLA_BAND: f64 = 0.25;

/// How many of `n` sites to show along a side with room for `room` cells of the smallest
/// size: all if they nearly fit (the cells then shrink a little), else a window.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a small non-negative count"
)]
fn shown(n: usize, room: f64) -> usize {
    let fit = room.max(4.0).floor() as usize;
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    let nearly = (n as f64) <= (fit as f64) * 1.25;
    if nearly { n } else { fit.min(n) }
}

impl Figure for Section<'_> {
    #[expect(
        clippy::too_many_lines,
        reason = "one figure's layout, read top to bottom"
    )]
    #[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let wall = self.wall;
        let snapshot = wall.last();
        let s = wall.spacing_mm;
        let vessel = wall.is_vessel();
        let n_layers = wall.layers.len();
        let min_cell = m.tick * 0.55;

        // What to show: the most mineralised circumferential position of a vessel, and
        // around the most mineralised axial position if the lattice is too long.
        let c_star = argmax((0..wall.circumferential).map(|c| {
            (0..n_layers)
                .flat_map(|l| (0..wall.axial).map(move |a| (a, l)))
                .map(|(a, l)| snapshot.mineral[wall.index(a, c, l)])
                .sum::<f64>()
        }));
        let scale = &self.scale;
        let column_mineral = |a: usize| -> f64 {
            if vessel {
                (0..n_layers)
                    .map(|l| snapshot.mineral[wall.index(a, c_star, l)])
                    .sum()
            } else {
                (0..wall.circumferential)
                    .map(|c| snapshot.mineral[wall.index(a, c, 0)])
                    .sum()
            }
        };

        // Layout: legend above (vessel, or when that leaves bigger cells) or beside.
        let total = wall.axial * wall.circumferential * n_layers;
        let measure = self.entries(&m, |_| total);
        let day = style::format_day(snapshot.time_days);
        let mut base_subtitle: Vec<String> = self.name.map(str::to_string).into_iter().collect();
        let title = if vessel {
            base_subtitle.push(format!(
                "longitudinal section at {:.2} mm around the circumference",
                (c_star as f64 + 0.5) * s
            ));
            format!("Cells and mineral in the wall, day {day}")
        } else {
            base_subtitle.push("top view".to_string());
            format!("Cells and mineral in the cell layer, day {day}")
        };
        // Room for the longest subtitle (with a detail note).
        let probe = format!(
            "{} · detail: {} × {} of {} × {} sites",
            base_subtitle.join(" · "),
            wall.axial,
            wall.circumferential,
            wall.axial,
            wall.circumferential
        );
        let title_h = chart::title_block_height(&m, root.dim_in_pixel().0, &title, Some(&probe));
        let body = root.margin(title_h, m.pad, m.pad, m.pad);
        let (bw, bh) = body.dim_in_pixel();
        let gap = px(m.legend);
        let bottom = chart::x_area_height(&Axis::linear(0.0, 1.0, 2, Some(String::new())), &m);
        let cb_w = colour_bar_width(&body, scale, &m);
        let names = layer_names(&wall.layers);
        let y_probe = if vessel {
            Axis {
                lo: 0.0,
                hi: 1.0,
                ticks: vec![],
                labels: names.clone(),
                desc: Some(String::new()),
            }
        } else {
            Axis::linear(0.0, wall.circumferential as f64 * s, 6, Some(String::new()))
        };
        let left = chart::y_area_width(&body, &y_probe, &m);
        let top_h = chart::legend_rows_height(root, &measure, &m) + gap / 2;
        let side_w = chart::side_legend_width(&body, &measure, &m) + gap;
        let room = |legend_w: u32, legend_h: u32| {
            (
                f64::from(bw.saturating_sub(left + cb_w + legend_w)),
                f64::from(bh.saturating_sub(bottom + legend_h)),
            )
        };
        let side = !vessel && {
            let (w_side, h_side) = room(side_w, 0);
            let (w_top, h_top) = room(0, top_h);
            let rows = wall.circumferential as f64;
            let cols = wall.axial as f64;
            (w_side / cols).min(h_side / rows) > (w_top / cols).min(h_top / rows)
        };
        let (legend_w, legend_h) = if side { (side_w, 0) } else { (0, top_h) };
        let (room_w, room_h) = room(legend_w, legend_h);
        let na = shown(wall.axial, room_w / min_cell);
        let (a0, na) = window(wall.axial, na, argmax((0..wall.axial).map(column_mineral)));
        let rows: Vec<(usize, usize)> = if vessel {
            (0..n_layers).map(|l| (c_star, l)).collect()
        } else {
            let nc = shown(wall.circumferential, room_h / min_cell);
            let focus_c = argmax((0..wall.circumferential).map(|c| {
                (a0..a0 + na)
                    .map(|a| snapshot.mineral[wall.index(a, c, 0)])
                    .sum()
            }));
            let (c0, nc) = window(wall.circumferential, nc, focus_c);
            (c0..c0 + nc).rev().map(|c| (c, 0)).collect()
        };
        let n_rows = rows.len();
        let sites: Vec<(usize, usize, usize)> = rows
            .iter()
            .enumerate()
            .flat_map(|(row, &(c, l))| (a0..a0 + na).map(move |a| (row, a, wall.index(a, c, l))))
            .collect();

        // Axes of what is shown.
        let x_lo = a0 as f64 * s;
        let x_hi = (a0 + na) as f64 * s;
        let plot_w_max = bw.saturating_sub(left + cb_w + legend_w);
        let plot_h_max = bh.saturating_sub(bottom + legend_h);
        let x = Axis::linear(
            x_lo,
            x_hi,
            Axis::fit(plot_w_max, m.tick, 4),
            Some(
                if vessel {
                    "axial position (mm)"
                } else {
                    "x (mm)"
                }
                .to_string(),
            ),
        );
        let y = if vessel {
            Axis {
                lo: 0.0,
                hi: n_rows as f64,
                ticks: (0..n_rows)
                    .map(|r| n_rows as f64 - r as f64 - 0.5)
                    .collect(),
                labels: names,
                desc: Some("layer (lumen side at top)".to_string()),
            }
        } else {
            let c_lo = rows.last().map_or(0, |r| r.0) as f64 * s;
            let c_hi = (rows.first().map_or(0, |r| r.0) + 1) as f64 * s;
            Axis::linear(
                c_lo,
                c_hi,
                Axis::fit_vertical(plot_h_max, m.tick),
                Some("y (mm)".to_string()),
            )
        };
        // A monolayer's cells are square: the plot shrinks to whole square cells.
        let (plot_w, plot_h) = if vessel {
            (plot_w_max, plot_h_max)
        } else {
            let cell =
                (f64::from(plot_w_max) / na as f64).min(f64::from(plot_h_max) / n_rows as f64);
            (px(cell * na as f64), px(cell * n_rows as f64))
        };
        let inset_x = plot_w_max.saturating_sub(plot_w) / 2;
        let inset_y = plot_h_max.saturating_sub(plot_h) / 2;
        let block = body.margin(legend_h + inset_y, inset_y, inset_x, inset_x + legend_w);
        let (main, cb) = block.split_horizontally(left + plot_w);
        let mut chart = chart::build(&main, &x, &y, left, bottom, 0, 0)?;

        // Mineral under the cells, at full saturation on the section's scale (the glyphs
        // have white rims).
        let y_of = |row: usize| -> (f64, f64) {
            if vessel {
                let top = (n_rows - row) as f64;
                (top - 1.0, top)
            } else {
                let c = rows[row].0 as f64;
                (c * s, (c + 1.0) * s)
            }
        };
        // The cell-free adventitia is shaded grey where it holds no mineral, not drawn as
        // mineral-free sites on the colour scale (mineral there, if any, keeps its colour).
        let adventitia = |row: usize| vessel && wall.layers[rows[row].1] == "adventitia";
        let lamella_row = |row: usize| vessel && wall.layers[rows[row].1] == "media_lamella";
        chart.draw_series(sites.iter().flat_map(|&(row, a, i)| {
            let (y0, y1) = y_of(row);
            let x0 = a as f64 * s;
            if lamella_row(row) {
                // The lamella lies on the layer's outer side (the lower edge here): a band
                // there holds the mineral that nucleated on it, the rest of the site the
                // mineral of the cell's matrix, both per site area on the section's scale.
                let band = y0 + LAMELLA_BAND * (y1 - y0);
                let lamella = snapshot.lamella[i];
                let matrix = (snapshot.mineral[i] - lamella).max(0.0);
                return vec![
                    Rectangle::new([(x0, band), (x0 + s, y1)], scale.color(matrix).filled()),
                    Rectangle::new([(x0, y0), (x0 + s, band)], scale.color(lamella).filled()),
                ];
            }
            let fill = if adventitia(row) && snapshot.mineral[i] <= 0.0 {
                ADVENTITIA_GREY
            } else {
                scale.color(snapshot.mineral[i])
            };
            vec![Rectangle::new([(x0, y0), (x0 + s, y1)], fill.filled())]
        }))?;
        if vessel {
            for l in (0..n_layers).filter(|&l| wall.layers[l] == "media_lamella") {
                let (y0, _) = y_of(l);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x_lo, y0), (x_hi, y0)],
                    ShapeStyle::from(&GREY).stroke_width(m.line),
                )))?;
            }
        }
        let plot = chart.plotting_area();
        let (xr, yr) = plot.get_pixel_range();
        let area = plot.strip_coord_spec();
        let cell_px = (f64::from(xr.end - xr.start) / na as f64)
            .min(f64::from(yr.end - yr.start) / n_rows as f64);
        let r = ipx((cell_px * 0.34).clamp(2.0, m.legend));
        for &(row, a, i) in &sites {
            let Some(glyph) = state_glyph(snapshot.occupant[i]) else {
                continue;
            };
            let (y0, y1) = y_of(row);
            let (px_x, px_y) = chart.backend_coord(&((a as f64 + 0.5) * s, f64::midpoint(y0, y1)));
            glyph.draw(&area, (px_x - xr.start, px_y - yr.start), r)?;
        }
        chart::mesh(&mut chart, &x, &y, &m, false)?;
        colour_bar(&cb, scale, &m, 0, bottom)?;

        // Titles and legend.
        let mut subtitle = base_subtitle;
        if na < wall.axial && vessel {
            subtitle.push(format!(
                "detail: {na} of {} sites along the axis",
                wall.axial
            ));
        } else if na < wall.axial || n_rows < wall.circumferential && !vessel {
            subtitle.push(format!(
                "detail: {na} × {n_rows} of {} × {} sites",
                wall.axial, wall.circumferential
            ));
        }
        chart::title_block(root, &title, Some(&subtitle.join(" · ")), &m)?;
        let entries = self.entries(&m, |state| {
            sites
                .iter()
                .filter(|&&(_, _, i)| snapshot.occupant[i] == state)
                .count()
        });
        if side {
            let (bx, by) = block.get_base_pixel();
            let x = bx + i32::try_from(left + plot_w + cb_w + gap).unwrap_or(0);
            chart::side_legend(root, &entries, &m, (x, by))?;
        } else {
            chart::legend_rows(root, &entries, &m, i32::try_from(title_h).unwrap_or(0))?;
        }
        Ok(())
    }
}
