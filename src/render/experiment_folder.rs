//! What an experiment folder of `vcsim compare` holds, as the figures read it:
//! `experiment.json` (arm names, folders and doses, replicates, the dose series), the
//! per-arm rows of `summary.csv` and every replicate's `timeseries.csv`. Shared by the
//! arm figures ([`super::experiment`]) and the dose-response figure ([`super::dose`]).

use std::path::Path;

use super::RenderError;
use super::data::Timeseries;
use crate::record::{Column, summary};

/// One arm of `experiment.json`.
#[derive(Clone, Debug)]
pub(super) struct ArmInfo {
    /// Display name.
    pub name: String,
    /// Folder of its replicates, relative to the experiment folder.
    pub folder: String,
    /// \[dose unit\] The dose of the series' treatment (arms of a dose series only).
    pub dose: Option<f64>,
}

/// The `dose_series` of `experiment.json`.
#[derive(Clone, Debug)]
pub(super) struct SeriesInfo {
    /// Display name of the treatment.
    pub name: String,
    /// Dose unit.
    pub unit: String,
}

/// What `experiment.json` says.
#[derive(Clone, Debug)]
pub(super) struct Manifest {
    /// Experiment name.
    pub name: String,
    /// Replicates per arm.
    pub replicates: usize,
    /// The arms, control first.
    pub arms: Vec<ArmInfo>,
    /// The dose series, if the experiment has one.
    pub dose_series: Option<SeriesInfo>,
}

/// A parse error on `path` at `line`.
pub(super) fn parse_error(path: &Path, line: usize, message: impl Into<String>) -> RenderError {
    RenderError::Parse {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

impl Manifest {
    /// Reads `experiment.json`.
    pub(super) fn read(path: &Path) -> Result<Self, RenderError> {
        let json = super::data::read_manifest(path)?.ok_or_else(|| RenderError::MissingFile {
            path: path.to_path_buf(),
        })?;
        let name = json["experiment"]
            .as_str()
            .unwrap_or("experiment")
            .to_string();
        let replicates = json["replicates"]
            .as_u64()
            .and_then(|r| usize::try_from(r).ok())
            .filter(|r| *r > 0)
            .ok_or_else(|| parse_error(path, 1, "`replicates` is not a positive integer"))?;
        let arms = json["arms"]
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| parse_error(path, 1, "`arms` is not a non-empty list"))?
            .iter()
            .map(|arm| {
                let field = |key: &str| {
                    arm[key]
                        .as_str()
                        .map(str::to_string)
                        .ok_or_else(|| parse_error(path, 1, format!("an arm has no `{key}`")))
                };
                let dose = match &arm["dose"] {
                    serde_json::Value::Null => None,
                    value => {
                        Some(value.as_f64().filter(|d| d.is_finite()).ok_or_else(|| {
                            parse_error(path, 1, "an arm's `dose` is not a number")
                        })?)
                    }
                };
                Ok(ArmInfo {
                    name: field("name")?,
                    folder: field("folder")?,
                    dose,
                })
            })
            .collect::<Result<Vec<_>, RenderError>>()?;
        let dose_series = match &json["dose_series"] {
            serde_json::Value::Null => None,
            series => {
                let field = |key: &str| {
                    series[key].as_str().map(str::to_string).ok_or_else(|| {
                        parse_error(path, 1, format!("`dose_series` has no `{key}`"))
                    })
                };
                Some(SeriesInfo {
                    name: field("name")?,
                    unit: field("unit")?,
                })
            }
        };
        Ok(Self {
            name,
            replicates,
            arms,
            dose_series,
        })
    }
}

/// The `summary.csv` statistics of one arm for one readout.
#[derive(Clone, Copy, Debug)]
pub(super) struct ArmSummary {
    /// Mean over the replicates.
    pub mean: f64,
    /// Lower end of the 95% CI of the mean.
    pub ci_low: f64,
    /// Upper end of the 95% CI of the mean.
    pub ci_high: f64,
    /// Ratio to control (geometric mean of within-pair ratios).
    pub ratio: f64,
    /// Paired t-test p-value versus control.
    pub p_value: f64,
}

/// Reads the rows of `column` from `summary.csv`, one per arm of `manifest`, in its order.
pub(super) fn read_summary(
    path: &Path,
    manifest: &Manifest,
    column: Column,
) -> Result<Vec<ArmSummary>, RenderError> {
    let mut found: Vec<Option<ArmSummary>> = vec![None; manifest.arms.len()];
    for row in summary::read_summary(path)? {
        if row.column != column {
            continue;
        }
        if let Some(a) = manifest.arms.iter().position(|a| a.name == row.arm) {
            found[a] = Some(ArmSummary {
                mean: row.mean,
                ci_low: row.ci95_low,
                ci_high: row.ci95_high,
                ratio: row.ratio_vs_control,
                p_value: row.p_value_paired_t,
            });
        }
    }
    found
        .into_iter()
        .zip(&manifest.arms)
        .map(|(s, arm)| {
            s.ok_or_else(|| {
                parse_error(
                    path,
                    1,
                    format!("no row for column `{column}` and arm `{}`", arm.name),
                )
            })
        })
        .collect()
}

/// Reads every replicate's `timeseries.csv`, per arm.
pub(super) fn read_runs(
    dir: &Path,
    manifest: &Manifest,
) -> Result<Vec<Vec<Timeseries>>, RenderError> {
    manifest
        .arms
        .iter()
        .map(|arm| {
            (1..=manifest.replicates)
                .map(|rep| {
                    Timeseries::read(
                        &dir.join(&arm.folder)
                            .join(format!("rep{rep}"))
                            .join("timeseries.csv"),
                    )
                })
                .collect()
        })
        .collect()
}
