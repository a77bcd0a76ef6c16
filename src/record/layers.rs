//! `layers.csv`: the wall's mineral and cells by radial layer at every recorded time (the
//! times of `timeseries.csv`), one row per time and layer, inner layer first. A culture
//! well has one layer (`monolayer`).

use super::table;
use serde::Serialize;
use std::io::{self, Write};

/// One radial layer at one recorded time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerRow {
    /// [days] Recorded time.
    #[serde(serialize_with = "table::display")]
    pub time_days: f64,
    /// Radial layer index (0 = innermost, the lumen side of a vessel).
    pub layer_index: usize,
    /// Layer kind: `monolayer`, `intima`, `media`, `media_lamella` (a media layer with an
    /// elastic lamella on its outer side) or `adventitia` (no cells modelled).
    pub layer: &'static str,
    /// [sites] Sites of the layer.
    pub sites: usize,
    /// [cells] Living cells in the layer.
    pub cells_alive: u64,
    /// [cells] Living osteogenic cells in the layer.
    pub osteogenic: u64,
    /// [µg Ca] Calcium in the layer's mineral (ACP + hydroxyapatite; the cells' basal
    /// calcium, counted in `calcium_ug` of `timeseries.csv`, is not included).
    #[serde(serialize_with = "table::display")]
    pub mineral_ug: f64,
    /// [µg Ca mm⁻²] The layer's mineral per area of the layer (mean of `wall.csv`'s
    /// `mineral_ug_per_mm2` over its sites).
    #[serde(serialize_with = "table::display")]
    pub mineral_ug_per_mm2: f64,
    /// [1] The layer's share of the whole wall's mineral; empty when there is no mineral.
    #[serde(serialize_with = "table::display_or_empty")]
    pub mineral_fraction: f64,
    /// [µg Ca] The part of `mineral_ug` that nucleated on the layer's elastic lamella
    /// and grew from it (the rest nucleated on matrix vesicles and apoptotic bodies).
    #[serde(serialize_with = "table::display")]
    pub mineral_lamella_ug: f64,
}

/// The header of `layers.csv`.
pub const LAYER_COLUMNS: [&str; 10] = [
    "time_days",
    "layer_index",
    "layer",
    "sites",
    "cells_alive",
    "osteogenic",
    "mineral_ug",
    "mineral_ug_per_mm2",
    "mineral_fraction",
    "mineral_lamella_ug",
];

/// Writes `layers.csv` (the header even without rows).
///
/// # Errors
/// I/O errors of the writer.
pub fn write_layers(out: &mut dyn Write, rows: &[LayerRow]) -> io::Result<()> {
    let mut w = table::writer(out);
    w.write_record(LAYER_COLUMNS).map_err(table::io_error)?;
    for row in rows {
        w.serialize(row).map_err(table::io_error)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_header_and_no_mineral_is_an_empty_share() {
        let rows = [
            LayerRow {
                time_days: 1.5,
                layer_index: 0,
                layer: "media_lamella",
                sites: 4,
                cells_alive: 3,
                osteogenic: 1,
                mineral_ug: 0.25,
                mineral_ug_per_mm2: 0.125,
                mineral_fraction: 1.0,
                mineral_lamella_ug: 0.125,
            },
            LayerRow {
                time_days: 1.5,
                layer_index: 1,
                layer: "adventitia",
                sites: 4,
                cells_alive: 0,
                osteogenic: 0,
                mineral_ug: 0.0,
                mineral_ug_per_mm2: 0.0,
                mineral_fraction: f64::NAN,
                mineral_lamella_ug: 0.0,
            },
        ];
        let mut out = Vec::new();
        write_layers(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], LAYER_COLUMNS.join(","));
        assert_eq!(lines[1], "1.5,0,media_lamella,4,3,1,0.25,0.125,1,0.125");
        assert_eq!(lines[2], "1.5,1,adventitia,4,0,0,0,0,,0");
    }
}
