//! Reading a run folder's recorded files: `timeseries.csv`, `wall.csv` and (optionally)
//! the scenario name from `manifest.json`. Every problem is a [`RenderError`] naming the
//! file and line.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::RenderError;
use crate::record::Column;

/// Reads a CSV file of the recorder's shape (no quoting, `,`-separated, every line ended
/// by a newline) and calls `row` with the line number (1 = header) and the fields of each
/// data line. Returns the header.
fn read_csv(
    path: &Path,
    mut row: impl FnMut(usize, &[&str]) -> Result<(), String>,
) -> Result<Vec<String>, RenderError> {
    let file = File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            RenderError::MissingFile {
                path: path.to_path_buf(),
            }
        } else {
            RenderError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    let mut number = 0usize;
    let mut header: Option<Vec<String>> = None;
    let parse = |number: usize, message: String| RenderError::Parse {
        path: path.to_path_buf(),
        line: number,
        message,
    };
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|source| RenderError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if read == 0 {
            break;
        }
        number += 1;
        let Some(text) = line.strip_suffix('\n') else {
            return Err(parse(
                number,
                "the file ends in the middle of a line (truncated?)".to_string(),
            ));
        };
        let text = text.strip_suffix('\r').unwrap_or(text);
        let fields: Vec<&str> = text.split(',').collect();
        match &header {
            None => header = Some(fields.iter().map(|f| f.trim().to_string()).collect()),
            Some(names) => {
                if fields.len() != names.len() {
                    return Err(parse(
                        number,
                        format!(
                            "{} fields where the header has {} (truncated or damaged file?)",
                            fields.len(),
                            names.len()
                        ),
                    ));
                }
                row(number, &fields).map_err(|message| parse(number, message))?;
            }
        }
    }
    header.ok_or_else(|| parse(1, "empty file: no header line".to_string()))
}

/// Parses one numeric field.
fn number(field: &str, name: &str) -> Result<f64, String> {
    field
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("`{name}` = `{field}` is not a number"))
}

/// Parses one index field.
fn index(field: &str, name: &str) -> Result<usize, String> {
    field
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{name}` = `{field}` is not a non-negative integer"))
}

/// Position of a required column in a header.
fn column(header: &[String], name: &str, path: &Path) -> Result<usize, RenderError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| RenderError::Parse {
            path: path.to_path_buf(),
            line: 1,
            message: format!("missing column `{name}`"),
        })
}

/// `timeseries.csv`: every column as numbers.
#[derive(Clone, Debug)]
pub(crate) struct Timeseries {
    /// The file read.
    pub path: PathBuf,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of values, in header order.
    pub rows: Vec<Vec<f64>>,
}

impl Timeseries {
    /// Reads `timeseries.csv`.
    pub(crate) fn read(path: &Path) -> Result<Self, RenderError> {
        let mut rows = Vec::new();
        let header = read_csv(path, |_, fields| {
            let values = fields
                .iter()
                .enumerate()
                .map(|(i, f)| number(f, &format!("column {}", i + 1)))
                .collect::<Result<Vec<f64>, String>>()?;
            rows.push(values);
            Ok(())
        })?;
        if rows.is_empty() {
            return Err(RenderError::Parse {
                path: path.to_path_buf(),
                line: 1,
                message: "no data rows after the header (truncated file?)".to_string(),
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// The values of a column, or a parse error naming the missing column.
    pub(crate) fn column(&self, column: Column) -> Result<Vec<f64>, RenderError> {
        let i = self::column(&self.header, column.name(), &self.path)?;
        Ok(self.rows.iter().map(|r| r[i]).collect())
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

/// The `wall.csv` columns the renderer reads.
const WALL_COLUMNS: [&str; 8] = [
    "time_days",
    "axial_index",
    "circumferential_index",
    "layer_index",
    "layer",
    "axial_mm",
    "occupant",
    "mineral_ug_per_mm2",
];

impl Wall {
    /// Reads `wall.csv`.
    pub(crate) fn read(path: &Path) -> Result<Self, RenderError> {
        let header: Vec<String> = first_line(path)?
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        let mut found = [0usize; 8];
        for (slot, name) in found.iter_mut().zip(WALL_COLUMNS) {
            *slot = column(&header, name, path)?;
        }
        let [t, a, c, l, layer, x, occ, min] = found;
        let mut rows: Vec<SiteRow> = Vec::new();
        let mut layers: Vec<String> = Vec::new();
        let mut spacing_mm: Option<f64> = None;
        read_csv(path, |line, f| {
            let occupant =
                Occupant::parse(f[occ]).ok_or_else(|| format!("unknown occupant `{}`", f[occ]))?;
            let row = SiteRow {
                line,
                time_days: number(f[t], "time_days")?,
                a: index(f[a], "axial_index")?,
                c: index(f[c], "circumferential_index")?,
                l: index(f[l], "layer_index")?,
                occupant,
                mineral: number(f[min], "mineral_ug_per_mm2")?,
            };
            if row.l >= layers.len() {
                if row.l > 10_000 {
                    return Err(format!("`layer_index` = {} is implausibly large", row.l));
                }
                layers.resize(row.l + 1, String::new());
            }
            if layers[row.l].is_empty() {
                layers[row.l] = f[layer].trim().to_string();
            }
            if spacing_mm.is_none() {
                let axial_mm = number(f[x], "axial_mm")?;
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

/// The first line of a file (the header), or the errors `read_csv` would give.
fn first_line(path: &Path) -> Result<String, RenderError> {
    let file = File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            RenderError::MissingFile {
                path: path.to_path_buf(),
            }
        } else {
            RenderError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let mut line = String::new();
    BufReader::new(file)
        .read_line(&mut line)
        .map_err(|source| RenderError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if line.trim().is_empty() {
        return Err(RenderError::Parse {
            path: path.to_path_buf(),
            line: 1,
            message: "empty file: no header line".to_string(),
        });
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// The scenario name recorded in `manifest.json`, if the file is there and has one.
pub(crate) fn scenario_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.pointer("/scenario/meta/name")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
}
