//! Reading a run folder's recorded files: `timeseries.csv`, `wall.csv` and (optionally)
//! the scenario name from `manifest.json`. Every problem is a [`RenderError`] naming the
//! file and line.
//!
//! What the figures accept: an empty field is a value that does not exist (drawn as a
//! gap or left out, never as NaN); every other number must be finite and, where the
//! quantity cannot be negative (every `timeseries.csv` column; times, positions and
//! mineral of `wall.csv`), at least 0. vcsim never writes anything else, so a file that
//! does is damaged or not vcsim's, and is refused naming the file, line and column
//! rather than drawn. A JSON manifest must be one this version of vcsim reads
//! ([`read_manifest`]).

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
    /// [µg Ca mm⁻²] The part of each site's mineral that nucleated on its elastic
    /// lamella (0 where `wall.csv` has no such column).
    pub lamella: Vec<f64>,
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
    lamella: f64,
}

impl Wall {
    /// Reads `wall.csv`.
    pub(crate) fn read(path: &Path) -> Result<Self, RenderError> {
        let mut rows: Vec<SiteRow> = Vec::new();
        let mut layers: Vec<String> = Vec::new();
        let mut spacing_mm: Option<f64> = None;
        read_wall_sites(path, |line, site: WallSite| {
            for (column, value) in [
                ("time_days", site.time_days),
                ("axial_mm", site.axial_mm),
                ("mineral_ug_per_mm2", site.mineral_ug_per_mm2),
                (
                    "mineral_lamella_ug_per_mm2",
                    site.mineral_lamella_ug_per_mm2,
                ),
            ] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(format!(
                        "`{column}` = `{value}`: must be a finite number of at least 0"
                    ));
                }
            }
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
                lamella: site.mineral_lamella_ug_per_mm2.min(site.mineral_ug_per_mm2),
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
                    lamella: vec![0.0; sites],
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
                snapshot.mineral[i] = row.mineral;
                snapshot.lamella[i] = row.lamella;
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

/// The scenario name recorded in the run folder's `manifest.json`; `None` for a folder
/// without one (figures are then titled without the name).
///
/// # Errors
/// As [`read_manifest`], and [`RenderError::Parse`] for a manifest without a
/// `scenario_name` (not the manifest of a run).
pub(crate) fn scenario_name(dir: &Path) -> Result<Option<String>, RenderError> {
    let path = dir.join("manifest.json");
    let Some(json) = read_manifest(&path)? else {
        return Ok(None);
    };
    json.get("scenario_name")
        .and_then(serde_json::Value::as_str)
        .map(|name| Some(name.to_string()))
        .ok_or_else(|| RenderError::Parse {
            path,
            line: 1,
            message: "no `scenario_name`: not the manifest of a run folder written by `vcsim run` \
                      (damaged?)"
                .to_string(),
        })
}

/// \[days\] The medium-change interval of the run whose `manifest.json` is `path`
/// (`scenario.environment.medium_change_every_min`), if it has one; `None` for a missing
/// or unreadable manifest (the figures then show no medium changes).
pub(crate) fn medium_change_days(path: &Path) -> Option<f64> {
    let json = read_manifest(path).ok()??;
    json["scenario"]["environment"]["medium_change_every_min"]
        .as_f64()
        .filter(|m| m.is_finite() && *m > 0.0)
        .map(|m| m / 1440.0)
}

/// The treatments of the run whose `manifest.json` is `path` that act during a window
/// (`start_min` after 0 or a `stop_min`): catalog ID, start and stop in days (the stop
/// `None` for the end of the run). Empty for a missing or unreadable manifest.
pub(crate) fn treatment_windows(path: &Path) -> Vec<(String, f64, Option<f64>)> {
    let Ok(Some(json)) = read_manifest(path) else {
        return Vec::new();
    };
    json["scenario"]["treatments"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|t| {
                    let id = t["id"].as_str()?.to_string();
                    let start = t["start_min"].as_f64().unwrap_or(0.0) / 1440.0;
                    let stop = t["stop_min"].as_f64().map(|m| m / 1440.0);
                    (start > 0.0 || stop.is_some()).then_some((id, start, stop))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the JSON manifest `path` (`manifest.json` of a run or claims report,
/// `experiment.json`): `None` if there is no such file, else a JSON object whose
/// `vcsim_version` is one this vcsim reads (same major version; for 0.x, same minor).
///
/// # Errors
/// [`RenderError::Io`] if it cannot be read; [`RenderError::Parse`] naming the line for a
/// file that is not JSON (damaged or truncated), not an object, has no `vcsim_version` or
/// was written by an incompatible version.
pub(crate) fn read_manifest(path: &Path) -> Result<Option<serde_json::Value>, RenderError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(RenderError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let parse = |line: usize, message: String| RenderError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        parse(
            e.line().max(1),
            format!("not valid JSON (damaged or truncated?): {e}"),
        )
    })?;
    if !json.is_object() {
        return Err(parse(
            1,
            "not a vcsim manifest: a JSON object was expected".to_string(),
        ));
    }
    let Some(version) = json
        .get("vcsim_version")
        .and_then(serde_json::Value::as_str)
    else {
        return Err(parse(
            1,
            "no `vcsim_version`: not a manifest written by vcsim (damaged?)".to_string(),
        ));
    };
    let ours = env!("CARGO_PKG_VERSION");
    if !compatible(version, ours) {
        return Err(parse(
            1,
            format!(
                "`vcsim_version` = `{version}`: written by a version of vcsim whose results \
                 this one ({ours}) does not read; plot it with that version or re-run it"
            ),
        ));
    }
    Ok(Some(json))
}

/// Whether results written by vcsim `version` read with vcsim `ours`: the same major
/// version and, before 1.0, the same minor version (semantic versioning).
fn compatible(version: &str, ours: &str) -> bool {
    let parts = |v: &str| -> Option<(u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut numbers = core.split('.').map(str::parse::<u64>);
        let major = numbers.next()?.ok()?;
        let minor = numbers.next()?.ok()?;
        let patch = numbers.next()?;
        (patch.is_ok() && numbers.next().is_none()).then_some((major, minor))
    };
    match (parts(version), parts(ours)) {
        (Some((major, minor)), Some((our_major, our_minor))) => {
            major == our_major && (major > 0 || minor == our_minor)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_compatible_within_a_minor_before_one_and_a_major_after() {
        assert!(compatible("0.1.0", "0.1.3"));
        assert!(compatible("0.1.7-dev", "0.1.0"));
        assert!(!compatible("0.2.0", "0.1.0"));
        assert!(compatible("1.4.0", "1.0.2"));
        assert!(!compatible("2.0.0", "1.0.0"));
        assert!(!compatible("one", "0.1.0"));
        assert!(!compatible("0.1", "0.1.0"));
    }
}
