//! Reading a run folder's recorded files: `timeseries.csv`, `wall.csv` and (optionally)
//! the scenario name from `manifest.json`. Every problem is a [`RenderError`] naming the
//! file and line.

use std::path::Path;

use super::RenderError;
use crate::record::wall::{WallSite, read_wall_sites};
use crate::record::{Column, TimeseriesFile, TimeseriesRow};

/// `timeseries.csv`: every column as numbers.
#[derive(Clone, Debug)]
pub(crate) struct Timeseries(TimeseriesFile);

impl Timeseries {
    /// Reads `timeseries.csv`.
    pub(crate) fn read(path: &Path) -> Result<Self, RenderError> {
        Ok(Self(TimeseriesFile::read(path)?))
    }

    /// Rows of values, in file order.
    pub(crate) fn rows(&self) -> &[TimeseriesRow] {
        &self.0.rows
    }

    /// The values of a column, or a parse error naming the missing column.
    pub(crate) fn column(&self, column: Column) -> Result<Vec<f64>, RenderError> {
        Ok(self.0.column(column)?)
    }
}

/// What occupies a wall site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Occupant {
    /// No cell.
    Empty,
    /// Contractile VSMC.
    Contractile,
    /// Synthetic VSMC.
    Synthetic,
    /// Osteogenic (osteoblast-like) VSMC.
    Osteogenic,
    /// Apoptotic cell.
    Apoptotic,
    /// Apoptotic body.
    ApoptoticBody,
}

impl Occupant {
    /// Parses the recorder's label.
    fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "empty" => Self::Empty,
            "contractile" => Self::Contractile,
            "synthetic" => Self::Synthetic,
            "osteogenic" => Self::Osteogenic,
            "apoptotic" => Self::Apoptotic,
            "apoptotic_body" => Self::ApoptoticBody,
            _ => return None,
        })
    }
}

/// The wall at one snapshot time, dense in the simulator's site order
/// (`(layer · circumferential + c) · axial + a`).
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    /// [days] Snapshot time.
    pub time_days: f64,
    /// [µg Ca mm⁻²] Mineral per wall area of each site.
    pub mineral: Vec<f64>,
    /// Occupant of each site.
    pub occupant: Vec<Occupant>,
}

/// `wall.csv`: the lattice and its snapshots.
#[derive(Clone, Debug)]
pub(crate) struct Wall {
    /// Sites along the axis.
    pub axial: usize,
    /// Sites around the circumference (or across the well).
    pub circumferential: usize,
    /// Layer names, inner to outer.
    pub layers: Vec<String>,
    /// [mm] Site spacing.
    pub spacing_mm: f64,
    /// Snapshots in time order.
    pub snapshots: Vec<Snapshot>,
}

/// One parsed line of `wall.csv`.
struct SiteRow {
    line: usize,
    time_days: f64,
    a: usize,
    c: usize,
    l: usize,
    occupant: Occupant,
    mineral: f64,
}

impl Wall {
    /// Reads `wall.csv`.
    pub(crate) fn read(path: &Path) -> Result<Self, RenderError> {
        let mut rows: Vec<SiteRow> = Vec::new();
        let mut layers: Vec<String> = Vec::new();
        let mut spacing_mm: Option<f64> = None;
        read_wall_sites(path, |line, site: WallSite| {
            let occupant = Occupant::parse(&site.occupant)
                .ok_or_else(|| format!("`occupant`: unknown occupant `{}`", site.occupant))?;
            let row = SiteRow {
                line,
                time_days: site.time_days,
                a: site.axial_index,
                c: site.circumferential_index,
                l: site.layer_index,
                occupant,
                mineral: site.mineral_ug_per_mm2,
            };
            if row.l >= layers.len() {
                if row.l > 10_000 {
                    return Err(format!("`layer_index` = {} is implausibly large", row.l));
                }
                layers.resize(row.l + 1, String::new());
            }
            if layers[row.l].is_empty() {
                layers[row.l] = site.layer;
            }
            if spacing_mm.is_none() {
                let axial_mm = site.axial_mm;
                #[expect(clippy::cast_precision_loss, reason = "lattice indices are small")]
                let spacing = axial_mm / (row.a as f64 + 0.5);
                if !(spacing.is_finite() && spacing > 0.0) {
                    return Err(format!("`axial_mm` = {axial_mm} gives no site spacing"));
                }
                spacing_mm = Some(spacing);
            }
            rows.push(row);
            Ok(())
        })?;
        Self::assemble(path, &rows, layers, spacing_mm.unwrap_or(1.0))
    }

    /// Builds the dense snapshots from parsed rows, checking that every snapshot is whole.
    fn assemble(
        path: &Path,
        rows: &[SiteRow],
        layers: Vec<String>,
        spacing_mm: f64,
    ) -> Result<Self, RenderError> {
        let parse = |line: usize, message: String| RenderError::Parse {
            path: path.to_path_buf(),
            line,
            message,
        };
        if rows.is_empty() {
            return Err(parse(
                1,
                "no data rows after the header (truncated file?)".to_string(),
            ));
        }
        let axial = rows.iter().map(|r| r.a).max().unwrap_or(0) + 1;
        let circumferential = rows.iter().map(|r| r.c).max().unwrap_or(0) + 1;
        let n_layers = layers.len().max(1);
        let sites = axial
            .checked_mul(circumferential)
            .and_then(|n| n.checked_mul(n_layers))
            .filter(|&n| n <= 200_000_000)
            .ok_or_else(|| parse(1, "the lattice indices are implausibly large".to_string()))?;
        let mut snapshots: Vec<Snapshot> = Vec::new();
        let mut filled: Vec<bool> = Vec::new();
        let mut count = 0usize;
        let mut last_line = 1usize;
        let finish = |snapshot: &Snapshot, count: usize, line: usize| {
            if count == sites {
                Ok(())
            } else {
                Err(parse(
                    line,
                    format!(
                        "the snapshot at day {} has {count} of {sites} sites (truncated file?)",
                        snapshot.time_days
                    ),
                ))
            }
        };
        for row in rows {
            let line = row.line;
            let new_time = snapshots
                .last()
                .is_none_or(|s| s.time_days.to_bits() != row.time_days.to_bits());
            if new_time {
                if let Some(previous) = snapshots.last() {
                    finish(previous, count, last_line)?;
                }
                snapshots.push(Snapshot {
                    time_days: row.time_days,
                    mineral: vec![0.0; sites],
                    occupant: vec![Occupant::Empty; sites],
                });
                filled = vec![false; sites];
                count = 0;
            }
            let i = (row.l * circumferential + row.c) * axial + row.a;
            if filled[i] {
                return Err(parse(
                    line,
                    format!(
                        "site (axial {}, circumferential {}, layer {}) appears twice at day {}",
                        row.a, row.c, row.l, row.time_days
                    ),
                ));
            }
            filled[i] = true;
            count += 1;
            last_line = line;
            if let Some(snapshot) = snapshots.last_mut() {
                snapshot.mineral[i] = if row.mineral.is_finite() {
                    row.mineral
                } else {
                    0.0
                };
                snapshot.occupant[i] = row.occupant;
            }
        }
        if let Some(previous) = snapshots.last() {
            finish(previous, count, last_line)?;
        }
        Ok(Self {
            axial,
            circumferential,
            layers,
            spacing_mm,
            snapshots,
        })
    }

    /// Whether the lattice is a vessel wall (more than one layer or a non-monolayer
    /// layer) rather than a culture monolayer.
    pub(crate) fn is_vessel(&self) -> bool {
        self.layers.len() > 1 || self.layers.iter().any(|l| l != "monolayer")
    }

    /// Site index.
    pub(crate) const fn index(&self, a: usize, c: usize, l: usize) -> usize {
        (l * self.circumferential + c) * self.axial + a
    }

    /// The final snapshot.
    pub(crate) fn last(&self) -> &Snapshot {
        // `assemble` never builds a wall without snapshots.
        &self.snapshots[self.snapshots.len() - 1]
    }
}

/// The scenario name recorded in `manifest.json`, if the file is there and has one.
pub(crate) fn scenario_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.pointer("/scenario/meta/name")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
}
