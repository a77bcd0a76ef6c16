//! `mineral-radial`: the radial profile of a vessel's mineral, lumen to adventitia, beside
//! the axial profile of `mineral-wall`: per layer, the mean mineral per site and the
//! spread across the layer's sites (10th to 90th percentile) at the final snapshot, the
//! means of earlier snapshots as thinner lines, the elastic lamellae marked and the
//! adventitia shaded as a layer without cells. Layers run top to bottom from the lumen,
//! as in `wall-section`. A culture well has one layer and no radial profile.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::data::{Snapshot, Wall};
use super::style::{self, GREY, Metrics, ipx, okabe_ito, px};
use super::wall::{ADVENTITIA_GREY, ADVENTITIA_LABEL, layer_names};
use super::{Figure, Style};

/// Most snapshots drawn as mean lines (the last always among them).
const MAX_LINES: usize = 5;

/// One layer's mineral at one snapshot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LayerStats {
    /// [µg Ca mm⁻²] Mean over the layer's sites.
    pub mean: f64,
    /// [µg Ca mm⁻²] 10th percentile over the sites.
    pub p10: f64,
    /// [µg Ca mm⁻²] 90th percentile over the sites.
    pub p90: f64,
}

/// The `q` quantile of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[crate::stats::nearest_rank(sorted.len(), q) - 1]
}

/// Mean and spread of mineral per site of every layer of `snapshot`.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
pub(crate) fn layer_stats(wall: &Wall, snapshot: &Snapshot) -> Vec<LayerStats> {
    let per_layer = wall.axial * wall.circumferential;
    (0..wall.layers.len())
        .map(|l| {
            let mut values = snapshot.mineral[l * per_layer..(l + 1) * per_layer].to_vec();
            values.sort_by(f64::total_cmp);
            LayerStats {
                mean: values.iter().sum::<f64>() / values.len().max(1) as f64,
                p10: quantile(&values, 0.1),
                p90: quantile(&values, 0.9),
            }
        })
        .collect()
}

/// The snapshots drawn: at most [`MAX_LINES`], evenly spread, the last included.
fn shown_snapshots(n: usize) -> Vec<usize> {
    if n <= MAX_LINES {
        return (0..n).collect();
    }
    let mut out: Vec<usize> = (0..MAX_LINES)
        .map(|k| (k * (n - 1)).div_ceil(MAX_LINES - 1))
        .collect();
    out.dedup();
    out
}

/// The figure.
pub(crate) struct Radial<'a> {
    wall: &'a Wall,
    name: Option<&'a str>,
    /// Per shown snapshot: its index and the layers' statistics.
    stats: Vec<(usize, Vec<LayerStats>)>,
}

impl<'a> Radial<'a> {
    /// The radial profile of `wall` (a vessel); `name` is the scenario name.
    pub(crate) fn new(wall: &'a Wall, name: Option<&'a str>) -> Self {
        let n = wall.snapshots.len();
        // Snapshots without any mineral (day 0) add only a line along the axis.
        let stats = shown_snapshots(n)
            .into_iter()
            .map(|i| (i, layer_stats(wall, &wall.snapshots[i])))
            .filter(|(i, s)| *i + 1 == n || s.iter().any(|l| l.mean > 0.0))
            .collect();
        Self { wall, name, stats }
    }

    /// Colour of the line of the `k`-th of `n` shown snapshots: light to dark in time.
    #[expect(clippy::cast_precision_loss, reason = "a handful of lines")]
    fn line_color(k: usize, n: usize) -> RGBColor {
        if k + 1 == n {
            okabe_ito::BLUE
        } else {
            style::viridis(0.85 - 0.6 * k as f64 / n.max(2) as f64, 0.0)
        }
    }
}

impl Figure for Radial<'_> {
    #[expect(
        clippy::too_many_lines,
        reason = "one figure's layout, read top to bottom"
    )]
    #[expect(clippy::cast_precision_loss, reason = "layer counts are small")]
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let wall = self.wall;
        let n_layers = wall.layers.len();
        let (last_index, last) = self
            .stats
            .last()
            .map_or((0, &[][..]), |(i, s)| (*i, &s[..]));
        let day = style::format_day(wall.snapshots[last_index].time_days);
        let title = format!("Mineral across the wall, lumen to adventitia, day {day}");
        let mut subtitle: Vec<String> = self.name.map(str::to_string).into_iter().collect();
        subtitle.push(
            "mean mineral per site of each layer (lines, by day) and the spread across its sites"
                .to_string(),
        );
        let mut used = chart::title_block(root, &title, Some(&subtitle.join(" · ")), &m)?;

        // Legend: the snapshots' means, the spread, lamellae and adventitia.
        let n = self.stats.len();
        let mut entries: Vec<Entry> = self
            .stats
            .iter()
            .enumerate()
            .map(|(k, (i, _))| {
                let width = if k + 1 == n { m.line * 2 } else { m.line };
                (
                    Glyph::Line(Self::line_color(k, n), width),
                    format!(
                        "mean, day {}",
                        style::format_day(wall.snapshots[*i].time_days)
                    ),
                )
            })
            .collect();
        entries.push((
            Glyph::Square(SPREAD),
            format!("day {day}: 10th–90th percentile"),
        ));
        if wall.layers.iter().any(|l| l == "media_lamella") {
            entries.push((Glyph::Line(GREY, m.line), "elastic lamella".to_string()));
        }
        used += chart::legend_rows(root, &entries, &m, ipx(f64::from(used)))?;
        let body = root.margin(used + px(m.tick * 0.7), m.pad, m.pad, m.pad * 2);

        // Axes: mineral across, layers down (lumen at top).
        let max_ug = self
            .stats
            .iter()
            .flat_map(|(_, s)| s.iter().map(|l| l.p90.max(l.mean)))
            .fold(0.0, f64::max);
        let empty = max_ug.is_nan() || max_ug <= 0.0;
        let (factor, unit) = style::mass_unit(max_ug);
        let (bw, _) = body.dim_in_pixel();
        let x = Axis::from_zero(
            if empty { 1.0 } else { max_ug * factor },
            Axis::fit(bw, m.tick, 5),
            Some(format!("mineral per site ({unit} Ca/mm² of wall)")),
        );
        let names = layer_names(&wall.layers);
        let y = Axis {
            lo: 0.0,
            hi: n_layers as f64,
            ticks: (0..n_layers)
                .map(|l| n_layers as f64 - l as f64 - 0.5)
                .collect(),
            labels: names,
            desc: Some("layer (lumen side at top)".to_string()),
        };
        let left = chart::y_area_width(&body, &y, &m);
        let bottom = chart::x_area_height(&x, &m);
        let mut chart = chart::build(&body, &x, &y, left, bottom, 0, 0)?;
        let row = |l: usize| -> (f64, f64) {
            let top = (n_layers - l) as f64;
            (top - 1.0, top)
        };
        let centre = |l: usize| row(l).0 + 0.5;

        // The adventitia: a grey hatched band, labelled.
        for l in (0..n_layers).filter(|&l| wall.layers[l] == "adventitia") {
            let (y0, y1) = row(l);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x.lo, y0), (x.hi, y1)],
                ADVENTITIA_GREY.filled(),
            )))?;
            let hatches = 24;
            let span = x.hi - x.lo;
            chart.draw_series((0..hatches).map(|k| {
                let x0 = x.lo + span * f64::from(k) / f64::from(hatches);
                PathElement::new(
                    vec![(x0, y0), ((x0 + span / 24.0).min(x.hi), y1)],
                    ShapeStyle::from(&GREY.mix(0.5)).stroke_width(1),
                )
            }))?;
        }
        // Elastic lamellae on the outer side of their layer (as in the wall section).
        for l in (0..n_layers).filter(|&l| wall.layers[l] == "media_lamella") {
            let (y0, _) = row(l);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x.lo, y0), (x.hi, y0)],
                ShapeStyle::from(&GREY).stroke_width(m.line),
            )))?;
        }
        // The final snapshot's spread as horizontal bars, then every shown mean.
        let bar_h = 0.28;
        chart.draw_series(
            last.iter()
                .enumerate()
                .filter(|(l, _)| wall.layers[*l] != "adventitia")
                .map(|(l, s)| {
                    let c = centre(l);
                    Rectangle::new(
                        [(s.p10 * factor, c - bar_h), (s.p90 * factor, c + bar_h)],
                        SPREAD.filled(),
                    )
                }),
        )?;
        let r = ipx(m.legend * 0.3);
        for (k, (_, stats)) in self.stats.iter().enumerate() {
            let color = Self::line_color(k, n);
            let width = if k + 1 == n { m.line * 2 } else { m.line };
            // The cell-free adventitia is on the line only where it holds mineral.
            let points: Vec<(f64, f64)> = stats
                .iter()
                .enumerate()
                .filter(|(l, s)| wall.layers[*l] != "adventitia" || s.mean > 0.0)
                .map(|(l, s)| (s.mean * factor, centre(l)))
                .collect();
            chart.draw_series(LineSeries::new(
                points.iter().copied(),
                style::line_style(color, width),
            ))?;
            let plot = chart.plotting_area();
            let (xr, yr) = plot.get_pixel_range();
            let area = plot.strip_coord_spec();
            for p in &points {
                let (px_x, px_y) = chart.backend_coord(p);
                Glyph::Dot(color).draw(&area, (px_x - xr.start, px_y - yr.start), r)?;
            }
        }
        chart::mesh(&mut chart, &x, &y, &m, true)?;
        // The adventitia's label, over the grid lines.
        if let Some(first) = (0..n_layers).find(|&l| wall.layers[l] == "adventitia") {
            let count = wall.layers.iter().filter(|l| *l == "adventitia").count();
            let (_, top) = row(first);
            let mid = top - count as f64 / 2.0;
            let (px_x, px_y) = chart.backend_coord(&(x.lo + (x.hi - x.lo) * 0.5, mid));
            let (bx, by) = body.get_base_pixel();
            let font = Metrics::anchored(m.legend, HPos::Center, VPos::Center);
            let (tw, th) = style::text_size(&body, ADVENTITIA_LABEL, &font);
            let (cx, cy) = (px_x - bx, px_y - by);
            let (hw, hh) = (
                ipx(f64::from(tw) / 2.0 + m.legend * 0.4),
                ipx(f64::from(th) / 2.0 + m.legend * 0.2),
            );
            body.draw(&Rectangle::new(
                [(cx - hw, cy - hh), (cx + hw, cy + hh)],
                WHITE.filled(),
            ))?;
            body.draw(&Text::new(ADVENTITIA_LABEL, (cx, cy), font))?;
        }
        if empty {
            let plot = chart.plotting_area();
            let area = plot.strip_coord_spec();
            let (w, h) = area.dim_in_pixel();
            let font = Metrics::anchored(m.axis, HPos::Center, VPos::Center);
            area.draw(&Text::new(
                "no mineral",
                (ipx(f64::from(w) / 2.0), ipx(f64::from(h) / 2.0)),
                font,
            ))?;
        }
        Ok(())
    }
}

/// The spread band: Okabe–Ito blue at 30% on white.
const SPREAD: RGBColor = RGBColor(179, 211, 232);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_five_snapshots_are_drawn_and_the_last_is_one() {
        assert_eq!(shown_snapshots(3), vec![0, 1, 2]);
        let shown = shown_snapshots(29);
        assert!(shown.len() <= MAX_LINES);
        assert_eq!(shown.first(), Some(&0));
        assert_eq!(shown.last(), Some(&28));
    }

    #[test]
    fn quantiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile(&v, 0.1) - 1.0).abs() < 1e-12);
        assert!((quantile(&v, 0.9) - 9.0).abs() < 1e-12);
    }
}
