//! `validation.csv` of the claims report (`vcsim validate`): one row per check. Text
//! fields that may hold spaces or commas (arms, readout label, expectation) are always
//! quoted; a statistic that does not exist (a mean without values, a ratio to a value
//! that is not positive, a test of fewer than two pairs) is an empty field, never `NaN`.

use super::column::Column;
use super::table::{self, CsvFile, ReadError};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::Path;

/// One row of `validation.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    /// Claim ID, e.g. `OS-3`.
    pub claim: String,
    /// Whether the whole claim passes (its evidence checks all pass).
    pub claim_pass: bool,
    /// The claim's verdict: `pass`, `FAIL` or `wiring only` (only wiring checks).
    #[serde(serialize_with = "table::quoted")]
    pub claim_verdict: String,
    /// `evidence` (counted) or `wiring` (follows from a mapping or a bound; reported,
    /// not counted).
    pub kind: String,
    /// Why a wiring check is wiring (empty for evidence).
    #[serde(serialize_with = "table::quoted")]
    pub wiring_reason: String,
    /// The bundled experiment.
    pub experiment: String,
    /// The treated arm.
    #[serde(serialize_with = "table::quoted")]
    pub arm: String,
    /// The reference arm.
    #[serde(serialize_with = "table::quoted")]
    pub reference: String,
    /// The readout's label ([`Column::label`]).
    #[serde(serialize_with = "table::quoted")]
    pub readout: String,
    /// The readout's `timeseries.csv` column.
    pub column: Column,
    /// Which value of the time course: `end`, `peak` or `time mean`.
    pub statistic: String,
    /// The expectation in words.
    #[serde(serialize_with = "table::quoted")]
    pub expected: String,
    /// [1] Lower end of the expected ratio (0 for "down").
    #[serde(
        serialize_with = "table::display",
        deserialize_with = "table::bound_or_nan"
    )]
    pub expected_low: f64,
    /// [1] Upper end of the expected ratio (infinite for "up").
    #[serde(
        serialize_with = "table::display",
        deserialize_with = "table::bound_or_nan"
    )]
    pub expected_high: f64,
    /// Replicates compared.
    pub replicates: usize,
    /// Mean of the arm's values, in the column's unit.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub arm_mean: f64,
    /// Mean of the reference's values, in the column's unit.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub reference_mean: f64,
    /// Mean paired difference arm - reference, in the column's unit.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub difference: f64,
    /// Lower end of its 95% CI.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub difference_ci95_low: f64,
    /// Upper end of its 95% CI.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub difference_ci95_high: f64,
    /// [1] Geometric mean of within-pair ratios (empty where a value is 0).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ratio: f64,
    /// [1] Lower end of its 95% CI.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ratio_ci95_low: f64,
    /// [1] Upper end of its 95% CI.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ratio_ci95_high: f64,
    /// [1] Two-sided paired t-test p-value.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub p_value_paired_t: f64,
    /// Whether the check passes.
    pub pass: bool,
}

/// The header of `validation.csv`.
pub const CHECK_COLUMNS: [&str; 25] = [
    "claim",
    "claim_pass",
    "claim_verdict",
    "kind",
    "wiring_reason",
    "experiment",
    "arm",
    "reference",
    "readout",
    "column",
    "statistic",
    "expected",
    "expected_low",
    "expected_high",
    "replicates",
    "arm_mean",
    "reference_mean",
    "difference",
    "difference_ci95_low",
    "difference_ci95_high",
    "ratio",
    "ratio_ci95_low",
    "ratio_ci95_high",
    "p_value_paired_t",
    "pass",
];

/// Writes `validation.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_checks(out: &mut dyn Write, rows: &[CheckRow]) -> io::Result<()> {
    let mut w = table::writer(out);
    w.write_record(CHECK_COLUMNS).map_err(table::io_error)?;
    for row in rows {
        w.serialize(row).map_err(table::io_error)?;
    }
    w.flush()
}

/// Reads `validation.csv`.
///
/// # Errors
/// [`ReadError`] naming the file, line and field.
pub fn read_checks(path: &Path) -> Result<Vec<CheckRow>, ReadError> {
    let file = CsvFile::open(path)?;
    file.require(&CHECK_COLUMNS)?;
    let rows = file.deserialize::<CheckRow>()?;
    for (line, row) in &rows {
        if row.claim.is_empty() {
            return Err(ReadError::Parse {
                path: path.to_path_buf(),
                line: *line,
                message: "`claim` is empty".to_string(),
            });
        }
    }
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}
