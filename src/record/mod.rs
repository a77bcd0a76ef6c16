//! Observables and output files, the one schema of what vcsim writes and reads back
//! (`docs/model.md` §9.3): the tidy time series ([`Column`], [`timeseries`]), the wall by layer
//! ([`layers`]), wall snapshots ([`wall`]), an experiment's summary ([`summary`]), the claims report's checks
//! ([`check`]), the manifests ([`manifest`]), the parameter table and citations. CSV
//! goes through the `csv` crate, JSON through `serde_json`, and every result file or
//! folder is written atomically ([`atomic`]). Numbers are written with Rust's shortest
//! round-trip formatting, so equal values give equal bytes.
//!
//! **A value that does not exist is an empty field, never `NaN`**: in `timeseries.csv` a
//! mean, percentile or fraction of the living cells once none is alive (`cells_alive` = 0
//! on the row says why); in `summary.csv` a mean no replicate has a value for, the SD and
//! CIs of fewer than two (its `n` counts the replicates with a value), the comparison in
//! control's rows; in `validation.csv` the statistics that cannot be computed. Readers
//! take an empty field as a missing value and refuse the text `NaN` (vcsim never writes
//! it). `docs/outputs.md` lists every file's columns and these cases.

pub mod atomic;
pub mod check;
pub mod column;
pub mod layers;
pub mod manifest;
pub mod summary;
pub mod table;
pub mod timeseries;
pub mod wall;

pub use column::{ALIZARIN_MARGIN_SHARE, Column, TimeseriesRow, UnknownColumn};
pub use layers::{LayerRow, write_layers};
pub use table::ReadError;
pub use timeseries::{TimeseriesFile, write_timeseries};
pub use wall::{WallKept, WallRow, WallWriter, last_snapshot_days, write_wall};

use crate::model::parameters::ParamRow;
use std::io::{self, Write};

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
