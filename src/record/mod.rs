//! Observables and output files: the tidy time series, wall snapshots, parameter table,
//! citations and run manifest (`design.md` §6). Numbers are written with Rust's shortest
//! round-trip formatting, so equal values give equal bytes.

pub mod atomic;
pub mod column;

pub use column::{Column, TimeseriesRow, UnknownColumn};

use crate::model::parameters::ParamRow;
use std::io::{self, Write};

/// One site at one snapshot time.
#[derive(Clone, Debug, PartialEq)]
pub struct WallRow {
    /// [days] Snapshot time.
    pub time_days: f64,
    /// Axial index.
    pub axial_index: usize,
    /// Circumferential index.
    pub circumferential_index: usize,
    /// Radial layer index (0 = innermost).
    pub layer_index: usize,
    /// Layer kind name.
    pub layer: &'static str,
    /// [mm] Axial position.
    pub axial_mm: f64,
    /// [mm] Circumferential position.
    pub circumferential_mm: f64,
    /// `empty`, `contractile`, `synthetic`, `osteogenic`, `apoptotic`, `apoptotic_body`.
    pub occupant: &'static str,
    /// Cell id, if any.
    pub cell_id: Option<u64>,
    /// [1] CHOP of the cell (0 if empty).
    pub chop: f64,
    /// [1] Runx2 of the cell.
    pub runx2: f64,
    /// [1] ALP of the cell.
    pub alp: f64,
    /// [1] Competence-weighted vesicles.
    pub vesicles: f64,
    /// [pmol Ca] ACP.
    pub mineral_acp_pmol: f64,
    /// [pmol Ca] Hydroxyapatite.
    pub mineral_hap_pmol: f64,
    /// [µg Ca mm⁻²] All mineral per wall area.
    pub mineral_ug_per_mm2: f64,
}

/// Writes `timeseries.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_timeseries(out: &mut dyn Write, rows: &[TimeseriesRow]) -> io::Result<()> {
    let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    writeln!(out, "{}", names.join(","))?;
    for row in rows {
        let values: Vec<String> = row.iter().map(|(_, v)| v.to_string()).collect();
        writeln!(out, "{}", values.join(","))?;
    }
    Ok(())
}

/// Writes `wall.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_wall(out: &mut dyn Write, rows: &[WallRow]) -> io::Result<()> {
    write_wall_header(out)?;
    write_wall_rows(out, rows)
}

/// Writes the header line of `wall.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_wall_header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "time_days,axial_index,circumferential_index,layer_index,layer,axial_mm,circumferential_mm,occupant,cell_id,chop,runx2,alp,vesicles,mineral_acp_pmol,mineral_hap_pmol,mineral_ug_per_mm2"
    )
}

/// Writes rows of `wall.csv` (after [`write_wall_header`]), e.g. one snapshot at a time.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_wall_rows(out: &mut dyn Write, rows: &[WallRow]) -> io::Result<()> {
    for r in rows {
        let id = r.cell_id.map_or(String::new(), |id| id.to_string());
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.time_days,
            r.axial_index,
            r.circumferential_index,
            r.layer_index,
            r.layer,
            r.axial_mm,
            r.circumferential_mm,
            r.occupant,
            id,
            r.chop,
            r.runx2,
            r.alp,
            r.vesicles,
            r.mineral_acp_pmol,
            r.mineral_hap_pmol,
            r.mineral_ug_per_mm2
        )?;
    }
    Ok(())
}

/// Writes `parameters.csv`: every parameter with value, unit and source.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_parameters(out: &mut dyn Write, rows: &[ParamRow]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "module", "symbol", "field", "value", "unit", "meaning", "source", "min", "max",
    ])
    .map_err(io::Error::other)?;
    for r in rows {
        w.write_record([
            r.module.to_string(),
            r.symbol.to_string(),
            r.field.to_string(),
            r.value.to_string(),
            r.unit.to_string(),
            r.meaning.to_string(),
            r.source.to_string(),
            r.min.to_string(),
            r.max.to_string(),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}

/// Writes `CITATIONS.md`: the literature the model rests on.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_citations(out: &mut dyn Write, rows: &[ParamRow]) -> io::Result<()> {
    use crate::references::{Reference, Source};
    let mut cited: Vec<Reference> = rows
        .iter()
        .filter_map(|r| match r.source {
            Source::Paper(reference) => Some(reference),
            _ => None,
        })
        .collect();
    cited.push(Reference::Diedrichs2018);
    cited.push(Reference::ZengReview);
    cited.sort();
    cited.dedup();
    writeln!(out, "# Citations\n")?;
    writeln!(
        out,
        "This run used vcsim {}. Please cite the model's sources:\n",
        env!("CARGO_PKG_VERSION")
    )?;
    for reference in cited {
        writeln!(out, "- **{}**: {}", reference.key(), reference.citation())?;
    }
    writeln!(
        out,
        "\nParameters marked `assumed` or `calibrated` in `parameters.csv` are vcsim's own choices."
    )
}
