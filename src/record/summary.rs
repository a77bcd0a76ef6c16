//! `summary.csv` of an experiment (`vcsim compare`): one row per readout and arm, with
//! the replicates' mean and 95% CI and, for every arm but control, the paired
//! comparison with control. A statistic that does not exist is an empty field, never
//! `NaN`: the SD and the CIs of one replicate, the mean of a readout no replicate has a
//! value for (no cell alive at the end), the comparison in the control's own rows, a
//! ratio to a value that is not positive. `n` counts the replicates with a value, so it
//! says why (0: no mean; 1: no SD or CI). The readout label and the arm name are always
//! quoted.

use super::column::Column;
use super::table::{self, CsvFile, ReadError};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::Path;

/// One row of `summary.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// The readout's label ([`Column::summary_label`]).
    #[serde(serialize_with = "table::quoted")]
    pub readout: String,
    /// The readout's `timeseries.csv` column.
    pub column: Column,
    /// The arm's name.
    #[serde(serialize_with = "table::quoted")]
    pub arm: String,
    /// Replicates with a value at the end of the run (a readout of the living cells has
    /// none in a replicate where no cell is alive).
    pub n: usize,
    /// Mean over the replicates at the end of the run, in the column's unit (empty for
    /// `n` = 0).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub mean: f64,
    /// Sample SD, in the column's unit (empty for `n` < 2).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub sd: f64,
    /// Lower end of the 95% CI of the mean (empty for `n` < 2).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ci95_low: f64,
    /// Upper end of the 95% CI of the mean (empty for `n` < 2).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ci95_high: f64,
    /// Mean paired difference arm - control, in the column's unit (empty for control).
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub difference_vs_control: f64,
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
    /// [1] Ratio to control: geometric mean of within-pair ratios.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub ratio_vs_control: f64,
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
    /// [1] Two-sided paired t-test p-value versus control.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan"
    )]
    pub p_value_paired_t: f64,
    /// [1] The p-value adjusted by Holm's step-down method over every comparison of the
    /// experiment (each readout of each arm versus control); empty where the test does not
    /// exist.
    #[serde(
        serialize_with = "table::display_or_empty",
        deserialize_with = "table::number_or_nan",
        default = "not_computed"
    )]
    pub p_value_holm: f64,
}

/// A value a file of an earlier version did not record: NaN, a value that does not
/// exist.
const fn not_computed() -> f64 {
    f64::NAN
}

/// The header of `summary.csv`.
pub const SUMMARY_COLUMNS: [&str; 16] = [
    "readout",
    "column",
    "arm",
    "n",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "difference_vs_control",
    "difference_ci95_low",
    "difference_ci95_high",
    "ratio_vs_control",
    "ratio_ci95_low",
    "ratio_ci95_high",
    "p_value_paired_t",
    "p_value_holm",
];

/// Writes `summary.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_summary(out: &mut dyn Write, rows: &[SummaryRow]) -> io::Result<()> {
    let mut w = table::writer(out);
    w.write_record(SUMMARY_COLUMNS).map_err(table::io_error)?;
    for row in rows {
        w.serialize(row).map_err(table::io_error)?;
    }
    w.flush()
}

/// Reads `summary.csv`.
///
/// # Errors
/// [`ReadError`] naming the file, line and field.
pub fn read_summary(path: &Path) -> Result<Vec<SummaryRow>, ReadError> {
    let file = CsvFile::open(path)?;
    // `p_value_holm` came later: a summary written before it still reads (as NaN).
    file.require(&SUMMARY_COLUMNS[..SUMMARY_COLUMNS.len() - 1])?;
    Ok(file.deserialize()?.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_with_the_old_bytes() {
        let row = SummaryRow {
            readout: "GRP78 (fold)".to_string(),
            column: Column::Grp78Mean,
            arm: "4-PBA, 1 mM".to_string(),
            n: 1,
            mean: 1.5,
            sd: f64::NAN,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            difference_vs_control: 0.1,
            difference_ci95_low: f64::NAN,
            difference_ci95_high: f64::NAN,
            ratio_vs_control: 1e-7,
            ratio_ci95_low: f64::NAN,
            ratio_ci95_high: f64::NAN,
            p_value_paired_t: f64::NAN,
            p_value_holm: f64::NAN,
        };
        let mut out = Vec::new();
        write_summary(&mut out, std::slice::from_ref(&row)).expect("in memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text.lines().nth(1),
            Some("\"GRP78 (fold)\",grp78_mean,\"4-PBA, 1 mM\",1,1.5,,,,0.1,,,0.0000001,,,,")
        );
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("summary.csv");
        std::fs::write(&path, &text).expect("write");
        let back = read_summary(&path).expect("reads");
        assert_eq!(back[0].arm, row.arm);
        assert!((back[0].ratio_vs_control - 1e-7).abs() < 1e-20);
        assert!(back[0].p_value_paired_t.is_nan());
        std::fs::write(&path, text.replace("grp78_mean", "grp87_mean")).expect("write");
        let e = read_summary(&path).expect_err("unknown column").to_string();
        assert!(
            e.contains("summary.csv:2:") && e.contains("`grp87_mean`"),
            "{e}"
        );
    }
}
