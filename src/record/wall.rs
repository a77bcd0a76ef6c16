//! `wall.csv`: every site of the wall at every snapshot time.

use super::table::{self, CsvFile, ReadError};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::Path;

/// One site at one snapshot time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WallRow {
    /// [days] Snapshot time.
    #[serde(serialize_with = "table::display")]
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
    #[serde(serialize_with = "table::display")]
    pub axial_mm: f64,
    /// [mm] Circumferential position.
    #[serde(serialize_with = "table::display")]
    pub circumferential_mm: f64,
    /// `empty`, `contractile`, `synthetic`, `osteogenic`, `apoptotic`, `apoptotic_body`.
    pub occupant: &'static str,
    /// Cell id, if any (an empty field if none).
    pub cell_id: Option<u64>,
    /// [1] CHOP of the cell (0 if empty).
    #[serde(serialize_with = "table::display")]
    pub chop: f64,
    /// [1] Runx2 of the cell.
    #[serde(serialize_with = "table::display")]
    pub runx2: f64,
    /// [1] ALP of the cell.
    #[serde(serialize_with = "table::display")]
    pub alp: f64,
    /// [1] Competence-weighted vesicles.
    #[serde(serialize_with = "table::display")]
    pub vesicles: f64,
    /// [pmol Ca] ACP.
    #[serde(serialize_with = "table::display")]
    pub mineral_acp_pmol: f64,
    /// [pmol Ca] Hydroxyapatite.
    #[serde(serialize_with = "table::display")]
    pub mineral_hap_pmol: f64,
    /// [µg Ca mm⁻²] All mineral per wall area.
    #[serde(serialize_with = "table::display")]
    pub mineral_ug_per_mm2: f64,
    /// [µg Ca mm⁻²] The part of it that nucleated on the site's elastic lamella and grew
    /// from it (0 at a site without a lamella).
    #[serde(serialize_with = "table::display")]
    pub mineral_lamella_ug_per_mm2: f64,
}

/// Which wall snapshots a run keeps in `wall.csv` (the `--wall` flag of `vcsim run` and
/// `vcsim compare`; `manifest.json` records it as `wall_kept`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WallKept {
    /// No `wall.csv` at all: the time series only.
    None,
    /// The snapshot at the end of the run only (the final mineral map and wall section).
    Last,
    /// Every snapshot of `record.snapshots_days` (and day 0 and the end).
    #[default]
    All,
}

impl WallKept {
    /// The three choices, as the flag and `manifest.json` name them.
    pub const NAMES: [&'static str; 3] = ["none", "last", "all"];

    /// The name of the choice (`none`, `last`, `all`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Last => "last",
            Self::All => "all",
        }
    }

    /// The choice named `name` (as [`Self::name`] writes it).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::None, Self::Last, Self::All]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// The rows of `rows` that this choice keeps, in a run whose last snapshot is at
    /// `last_days` ([`last_snapshot_days`]).
    #[must_use]
    pub fn kept_rows(self, last_days: f64, mut rows: Vec<WallRow>) -> Vec<WallRow> {
        rows.retain(|row| self.keeps(row.time_days, last_days));
        rows
    }

    /// Whether a row of the snapshot at `time_days` is kept, in a run whose last snapshot
    /// is at `last_days` (both from the same minutes through `min_to_days`, so equal
    /// times compare equal).
    #[must_use]
    #[expect(
        clippy::float_cmp,
        reason = "both times come from the same minutes through the same conversion"
    )]
    pub fn keeps(self, time_days: f64, last_days: f64) -> bool {
        match self {
            Self::None => false,
            Self::Last => time_days == last_days,
            Self::All => true,
        }
    }
}

/// [days] The time of the last wall snapshot of `scenario` (its end).
#[must_use]
pub fn last_snapshot_days(scenario: &crate::scenario::Scenario) -> f64 {
    crate::units::min_to_days(
        scenario
            .record
            .snapshots_min
            .last()
            .copied()
            .unwrap_or(scenario.time.duration_min),
    )
}

/// The header of `wall.csv`.
pub const WALL_COLUMNS: [&str; 17] = [
    "time_days",
    "axial_index",
    "circumferential_index",
    "layer_index",
    "layer",
    "axial_mm",
    "circumferential_mm",
    "occupant",
    "cell_id",
    "chop",
    "runx2",
    "alp",
    "vesicles",
    "mineral_acp_pmol",
    "mineral_hap_pmol",
    "mineral_ug_per_mm2",
    "mineral_lamella_ug_per_mm2",
];

/// Writes `wall.csv` snapshot by snapshot: the header when created, rows as they come.
pub struct WallWriter<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> WallWriter<W> {
    /// Starts `wall.csv` on `out` with its header line.
    ///
    /// # Errors
    /// I/O errors of the writer.
    pub fn new(out: W) -> io::Result<Self> {
        let mut writer = table::writer(out);
        writer.write_record(WALL_COLUMNS).map_err(table::io_error)?;
        Ok(Self { writer })
    }

    /// Goes on writing a `wall.csv` whose header (and earlier rows) `out` already holds
    /// (a run resumed from a checkpoint).
    #[must_use]
    pub fn appending(out: W) -> Self {
        Self {
            writer: table::writer(out),
        }
    }

    /// Writes what is buffered to the underlying writer (which may buffer on its own).
    ///
    /// # Errors
    /// I/O errors of the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// The underlying writer.
    #[must_use]
    pub fn get_ref(&self) -> &W {
        self.writer.get_ref()
    }

    /// Writes rows (e.g. one snapshot).
    ///
    /// # Errors
    /// I/O errors of the writer.
    pub fn write_rows(&mut self, rows: &[WallRow]) -> io::Result<()> {
        for row in rows {
            self.writer.serialize(row).map_err(table::io_error)?;
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// I/O errors of the writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

/// Writes `wall.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_wall(out: &mut dyn Write, rows: &[WallRow]) -> io::Result<()> {
    let mut writer = WallWriter::new(out)?;
    writer.write_rows(rows)?;
    writer.finish()?.flush()
}

/// The columns of one `wall.csv` line that a reader of the lattice needs.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WallSite {
    /// [days] Snapshot time.
    pub time_days: f64,
    /// Axial index.
    pub axial_index: usize,
    /// Circumferential index.
    pub circumferential_index: usize,
    /// Radial layer index (0 = innermost).
    pub layer_index: usize,
    /// Layer kind name.
    pub layer: String,
    /// [mm] Axial position.
    pub axial_mm: f64,
    /// `empty`, `contractile`, `synthetic`, `osteogenic`, `apoptotic`, `apoptotic_body`.
    pub occupant: String,
    /// [µg Ca mm⁻²] All mineral per wall area.
    pub mineral_ug_per_mm2: f64,
    /// [µg Ca mm⁻²] The lamellar part of it (absent from files written before it was
    /// recorded: read as 0).
    #[serde(default)]
    pub mineral_lamella_ug_per_mm2: f64,
}

/// Reads `wall.csv` site by site, calling `site` with the line number and the site
/// (an error message it returns is reported at that line).
///
/// # Errors
/// [`ReadError`] naming the file, line and field.
pub fn read_wall_sites(
    path: &Path,
    site: impl FnMut(usize, WallSite) -> Result<(), String>,
) -> Result<(), ReadError> {
    let file = CsvFile::open(path)?;
    file.require(&[
        "time_days",
        "axial_index",
        "circumferential_index",
        "layer_index",
        "layer",
        "axial_mm",
        "occupant",
        "mineral_ug_per_mm2",
    ])?;
    file.for_each_row(site)
}
