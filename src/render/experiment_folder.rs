//! What an experiment folder of `vcsim compare` holds, as the figures read it:
//! `experiment.json` (arm names, folders and doses, replicates, the dose series), the
//! per-arm rows of `summary.csv` and every replicate's `timeseries.csv`. Shared by the
//! arm figures ([`super::experiment`]) and the dose-response figure ([`super::dose`]).

use std::path::Path;

use plotters::style::RGBColor;

use super::RenderError;
use super::data::Timeseries;
use super::style::okabe_ito;
use crate::experiment::design::{ARM_COLOUR_NAMES, parse_arm_colour};
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
    /// Catalog IDs of the arm's treatments.
    pub treatments: Vec<String>,
    /// The colour the experiment gives the arm (`colour`: `#RRGGBB` or an Okabe-Ito
    /// name), if any.
    pub colour: Option<RGBColor>,
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
    /// Replicates per arm (per posterior draw, with a posterior).
    pub replicates: usize,
    /// The posterior draws (slots) the experiment ran over (`vcsim compare --posterior`);
    /// 0 without a posterior.
    pub draws: usize,
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
        let draws = match &json["posterior"] {
            serde_json::Value::Null => 0,
            posterior => posterior["draws"]
                .as_array()
                .map(Vec::len)
                .filter(|d| *d > 0)
                .ok_or_else(|| parse_error(path, 1, "`posterior.draws` is not a non-empty list"))?,
        };
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
                let treatments = arm["treatments"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|t| t["id"].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                let colour = match &arm["colour"] {
                    serde_json::Value::Null => None,
                    value => Some(value.as_str().and_then(parse_colour).ok_or_else(|| {
                        parse_error(
                            path,
                            1,
                            format!(
                                "an arm's `colour` = {value}: not `#RRGGBB` or an Okabe-Ito colour \
                                 ({})",
                                ARM_COLOUR_NAMES
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?),
                };
                Ok(ArmInfo {
                    name: field("name")?,
                    folder: field("folder")?,
                    dose,
                    treatments,
                    colour,
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
            draws,
            arms,
            dose_series,
        })
    }
}

impl Manifest {
    /// The run folders of an arm, relative to its folder: `rep<i>`, or `draw<d>/rep<i>`
    /// draw by draw in an experiment over posterior draws.
    pub(super) fn run_folders(&self) -> Vec<String> {
        if self.draws == 0 {
            (1..=self.replicates).map(|r| format!("rep{r}")).collect()
        } else {
            (1..=self.draws)
                .flat_map(|d| (1..=self.replicates).map(move |r| format!("draw{d}/rep{r}")))
                .collect()
        }
    }

    /// The first run folder of an arm, relative to its folder.
    pub(super) fn first_run(&self) -> &'static str {
        if self.draws == 0 {
            "rep1"
        } else {
            "draw1/rep1"
        }
    }
}

/// A colour written `#RRGGBB` or as an Okabe-Ito name (`vermillion`, `sky-blue`, ...),
/// as an experiment file's arm `colour` allows ([`parse_arm_colour`]).
pub(super) fn parse_colour(text: &str) -> Option<RGBColor> {
    parse_arm_colour(text).map(|[r, g, b]| RGBColor(r, g, b))
}

/// The colours of the arms that no arm sets itself, in order of preference.
const ARM_PALETTE: [RGBColor; 6] = [
    okabe_ito::BLUE,
    okabe_ito::VERMILLION,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::ORANGE,
    okabe_ito::REDDISH_PURPLE,
    okabe_ito::SKY_BLUE,
];

/// The colour of every arm of `arms`, stable across figures and experiments: an arm's own
/// `colour` if it sets one; black for the control (an arm with nothing beyond the
/// treatments every arm has); otherwise a palette colour fixed by what the arm adds (the
/// catalog IDs of its treatments that not every arm has, so `4-pba` is the same colour
/// in every experiment and a combination has its own). Two arms of one experiment that
/// would share a colour get the next free one.
pub(super) fn arm_colours(arms: &[ArmInfo]) -> Vec<RGBColor> {
    let common: Vec<&String> = arms
        .first()
        .map(|a| {
            a.treatments
                .iter()
                .filter(|t| arms.iter().all(|b| b.treatments.contains(t)))
                .collect()
        })
        .unwrap_or_default();
    let mut used: Vec<RGBColor> = arms.iter().filter_map(|a| a.colour).collect();
    arms.iter()
        .map(|arm| {
            if let Some(colour) = arm.colour {
                return colour;
            }
            let mut added: Vec<&str> = arm
                .treatments
                .iter()
                .filter(|t| !common.contains(t))
                .map(String::as_str)
                .collect();
            if added.is_empty() && !used.contains(&okabe_ito::BLACK) {
                used.push(okabe_ito::BLACK);
                return okabe_ito::BLACK;
            }
            added.sort_unstable();
            let key = added.join("+");
            // FNV-1a: the same IDs give the same colour on every machine and run.
            let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            let start = usize::try_from(hash % ARM_PALETTE.len() as u64).unwrap_or(0);
            let colour = (0..ARM_PALETTE.len())
                .map(|k| ARM_PALETTE[(start + k) % ARM_PALETTE.len()])
                .find(|c| !used.contains(c))
                .unwrap_or(ARM_PALETTE[start]);
            used.push(colour);
            colour
        })
        .collect()
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
    /// Paired t-test p-value versus control, Holm-adjusted over every arm and readout of
    /// the experiment (`p_value_holm`); the raw one (`p_value_paired_t`) for a summary
    /// written before the adjustment existed (see `p_is_holm`).
    pub p_value: f64,
    /// Whether `p_value` is Holm-adjusted.
    pub p_is_holm: bool,
    /// In an experiment over posterior draws: the 95% intervals of the mean and of the
    /// ratio to control that combine parameter and stochastic uncertainty
    /// (`mean_combined_ci95_*`, `ratio_combined_ci95_*` of `summary.csv`).
    pub combined: Option<CombinedIntervals>,
}

/// The combined intervals of one arm's row of `summary.csv` (posterior experiments).
#[derive(Clone, Copy, Debug)]
pub(super) struct CombinedIntervals {
    /// 95% interval of the mean.
    pub mean: (f64, f64),
    /// 95% interval of the ratio to control (NaN for control).
    pub ratio: (f64, f64),
}

/// The posterior columns of a row of `summary.csv` that the figures use.
#[derive(serde::Deserialize)]
struct PosteriorRow {
    column: Column,
    arm: String,
    #[serde(deserialize_with = "crate::record::table::number_or_nan")]
    mean_combined_ci95_low: f64,
    #[serde(deserialize_with = "crate::record::table::number_or_nan")]
    mean_combined_ci95_high: f64,
    #[serde(deserialize_with = "crate::record::table::number_or_nan")]
    ratio_combined_ci95_low: f64,
    #[serde(deserialize_with = "crate::record::table::number_or_nan")]
    ratio_combined_ci95_high: f64,
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
                // A summary without Holm values reads them as NaN; a NaN raw p-value
                // (no variance) stays NaN either way.
                p_value: if row.p_value_holm.is_nan() && row.p_value_paired_t.is_finite() {
                    row.p_value_paired_t
                } else {
                    row.p_value_holm
                },
                p_is_holm: !(row.p_value_holm.is_nan() && row.p_value_paired_t.is_finite()),
                combined: None,
            });
        }
    }
    if manifest.draws > 0 {
        let file = crate::record::table::CsvFile::open(path)?;
        file.require(&[
            "mean_combined_ci95_low",
            "mean_combined_ci95_high",
            "ratio_combined_ci95_low",
            "ratio_combined_ci95_high",
        ])?;
        for (_, row) in file.deserialize::<PosteriorRow>()? {
            if row.column != column {
                continue;
            }
            if let Some(Some(found)) = manifest
                .arms
                .iter()
                .position(|a| a.name == row.arm)
                .map(|a| found.get_mut(a).and_then(Option::as_mut))
            {
                found.combined = Some(CombinedIntervals {
                    mean: (row.mean_combined_ci95_low, row.mean_combined_ci95_high),
                    ratio: (row.ratio_combined_ci95_low, row.ratio_combined_ci95_high),
                });
            }
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
            manifest
                .run_folders()
                .iter()
                .map(|run| {
                    Timeseries::read(&dir.join(&arm.folder).join(run).join("timeseries.csv"))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(name: &str, treatments: &[&str], colour: Option<&str>) -> ArmInfo {
        ArmInfo {
            name: name.to_string(),
            folder: name.to_string(),
            dose: None,
            treatments: treatments.iter().map(|t| (*t).to_string()).collect(),
            colour: colour.and_then(parse_colour),
        }
    }

    /// An arm's colour follows what it adds, not its position: 4-PBA is the same colour
    /// wherever it stands and whatever the other arms are; the control is black; a
    /// treatment every arm has (the stressor) does not count; an arm's own colour wins.
    #[test]
    fn arm_colours_follow_the_treatments() {
        let one = arm_colours(&[
            arm("control", &[], None),
            arm("4-PBA", &["4-pba"], None),
            arm("rapamycin", &["rapamycin"], None),
        ]);
        let two = arm_colours(&[
            arm("thapsigargin", &["thapsigargin"], None),
            arm("rapamycin", &["thapsigargin", "rapamycin"], None),
            arm("3-MA", &["thapsigargin", "3-ma"], None),
            arm("4-PBA", &["thapsigargin", "4-pba"], None),
        ]);
        assert_eq!(one[0], okabe_ito::BLACK);
        assert_eq!(two[0], okabe_ito::BLACK);
        assert_eq!(one[1], two[3], "4-PBA");
        assert_eq!(one[2], two[1], "rapamycin");
        let mut distinct = two.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), two.len());
        let own = arm_colours(&[
            arm("control", &[], Some("#112233")),
            arm("x", &["4-pba"], Some("sky blue")),
        ]);
        assert_eq!(own, [RGBColor(0x11, 0x22, 0x33), okabe_ito::SKY_BLUE]);
        assert_eq!(parse_colour("#12345"), None);
        assert_eq!(parse_colour("mauve"), None);
    }
}
