//! Experiment files: a base scenario, named arms (each a list of treatments added to the
//! base), and a replicate count. Replicate i of every arm uses the same seed (the base
//! seed + i): a paired design, so arm-to-control differences are the treatment's, not
//! noise.
//!
//! ```toml
//! [experiment]
//! name = "interventions"
//! description = "calcifying medium: control vs 4-PBA vs rapamycin"
//! base = "calcifying-medium.toml"      # relative to this file
//! replicates = 3
//! duration_days = 14.0                 # optional: replaces the base duration
//! axial_sites = 20                     # optional: replaces the base lattice size
//! circumferential_sites = 20
//!
//! [[arm]]
//! name = "control"                     # the first arm is the control
//!
//! [[arm]]
//! name = "4-PBA"
//! [[arm.treatment]]
//! id = "4-pba"
//! dose = 5.0
//! ```

use crate::scenario::file::TreatmentFile as ScenarioTreatment;
use crate::scenario::file::set_by_code;
use crate::scenario::validate::is_valid_name;
use crate::scenario::{Scenario, ScenarioError, ScenarioFile};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A problem with an experiment file.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// The file could not be read.
    #[error("{path}: cannot read the experiment file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file's content is invalid; one problem per line.
    #[error("{}", .problems.join("\n"))]
    Invalid {
        /// The problems, each naming the file and key.
        problems: Vec<String>,
    },
    /// The base scenario could not be read.
    #[error("{0}")]
    BaseIo(ScenarioError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    experiment: ExperimentMeta,
    #[serde(default)]
    arm: Vec<ArmFile>,
    dose_series: Option<DoseSeriesFile>,
}

/// `[dose_series]`: one treatment at several doses, an arm per dose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoseSeriesFile {
    treatment: String,
    doses: Vec<f64>,
    start_days: Option<f64>,
    stop_days: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentMeta {
    name: String,
    description: String,
    base: PathBuf,
    replicates: Option<usize>,
    claims: Option<Vec<String>>,
    duration_days: Option<f64>,
    axial_sites: Option<usize>,
    circumferential_sites: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArmFile {
    name: String,
    treatment: Option<Vec<TreatmentFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TreatmentFile {
    id: String,
    dose: Option<f64>,
    start_days: Option<f64>,
    stop_days: Option<f64>,
}

/// Returns the text and display name of a base scenario named in an experiment file.
pub type BaseReader<'a> = dyn Fn(&Path) -> Result<(String, String), ExperimentError> + 'a;

/// One arm: its name and its validated scenario (base + treatments).
#[derive(Clone, Debug)]
pub struct Arm {
    /// Display name.
    pub name: String,
    /// Folder-safe name.
    pub slug: String,
    /// The dose of the series' treatment, for the arms of a dose series.
    pub dose: Option<f64>,
    /// The scenario of this arm.
    pub scenario: Scenario,
}

/// A validated experiment.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// Name (names the output folder).
    pub name: String,
    /// What it tests.
    pub description: String,
    /// Claim IDs it tests.
    pub claims: Vec<String>,
    /// Replicates per arm.
    pub replicates: usize,
    /// The dose series, if the experiment has one (its arms carry their doses).
    pub dose_series: Option<DoseSeries>,
    /// The arms, control first.
    pub arms: Vec<Arm>,
}

/// The treatment of a dose series.
#[derive(Clone, Debug)]
pub struct DoseSeries {
    /// Catalog id.
    pub treatment: String,
    /// Display name.
    pub name: String,
    /// Dose unit.
    pub unit: String,
}

/// [1] The most replicates per arm.
pub const MAX_REPLICATES: usize = 100;

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_string()
}

fn toml_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

impl Experiment {
    /// Loads and validates an experiment file and the scenarios of all its arms.
    ///
    /// # Errors
    /// I/O errors (`Io`, `BaseIo`) and every content problem found (`Invalid`).
    pub fn load(path: &Path, replicates_override: Option<usize>) -> Result<Self, ExperimentError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ExperimentError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let folder = path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        Self::parse(&text, &origin, replicates_override, &|base: &Path| {
            let base_path = folder.join(base);
            std::fs::read_to_string(&base_path)
                .map(|text| (text, base_path.display().to_string()))
                .map_err(|source| {
                    ExperimentError::BaseIo(ScenarioError::Io {
                        path: base_path.clone(),
                        source,
                    })
                })
        })
    }

    /// Validates an experiment given as text. `origin` names it in messages;
    /// `read_base` returns the text and display name of the base scenario named in the
    /// file (so experiments bundled in the binary resolve their bases without a disk).
    ///
    /// # Errors
    /// Errors of `read_base`, and every content problem found (`Invalid`).
    pub fn parse(
        text: &str,
        origin: &str,
        replicates_override: Option<usize>,
        read_base: &BaseReader<'_>,
    ) -> Result<Self, ExperimentError> {
        let origin = origin.to_string();
        let file: ExperimentFile = toml::from_str(text).map_err(|e| {
            let place = e.span().map_or(String::new(), |span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!(":{line}")
            });
            ExperimentError::Invalid {
                problems: vec![format!("{origin}{place}: {}", e.message().trim())],
            }
        })?;
        let mut problems = Vec::new();
        let meta = &file.experiment;
        let replicates = replicates_override.or(meta.replicates).unwrap_or(3);
        if !(1..=MAX_REPLICATES).contains(&replicates) {
            problems.push(format!(
                "{origin}: experiment.replicates = {replicates}: must be in [1, {MAX_REPLICATES}]"
            ));
        }
        if !is_valid_name(&meta.name) {
            problems.push(format!(
                "{origin}: experiment.name = {:?}: must be 1-64 characters from `a-z`, `0-9`, `_` and `-` (it names the output folder)",
                meta.name
            ));
        }
        let series_arms = match &file.dose_series {
            Some(series) => dose_series_arms(series, &origin, &mut problems),
            None => Vec::new(),
        };
        if file.arm.is_empty() && series_arms.is_empty() {
            problems.push(format!(
                "{origin}: at least one [[arm]] or a [dose_series] is required (the first arm is the control)"
            ));
        }
        let (base_text, base_name) = read_base(&meta.base)?;
        let base_file =
            ScenarioFile::parse(&base_text, &base_name).map_err(|e| ExperimentError::Invalid {
                problems: e.to_string().lines().map(str::to_string).collect(),
            })?;
        let mut arms = Vec::new();
        let mut slugs = Vec::new();
        for (arm, dose) in file
            .arm
            .iter()
            .map(|a| (a, None))
            .chain(series_arms.iter().map(|(a, d)| (a, Some(*d))))
        {
            let arm_slug = slug(&arm.name);
            if arm_slug.is_empty() || slugs.contains(&arm_slug) {
                problems.push(format!(
                    "{origin}: arm.name = {:?}: must be non-empty and distinct from the other arms",
                    arm.name
                ));
                continue;
            }
            slugs.push(arm_slug.clone());
            let arm_origin = format!("{origin} [arm {:?} on {base_name}]", arm.name);
            let mut file = base_file.clone();
            for t in arm.treatment.iter().flatten() {
                file.add_treatment(ScenarioTreatment {
                    id: Some(set_by_code(t.id.clone())),
                    dose: t.dose.map(set_by_code),
                    start_days: t.start_days.map(set_by_code),
                    stop_days: t.stop_days.map(set_by_code),
                });
            }
            if let Some(days) = meta.duration_days {
                file.set_duration_days(days);
            }
            if meta.axial_sites.is_some() || meta.circumferential_sites.is_some() {
                let geometry = file.geometry_mut();
                let sites = |given: Option<usize>, base: &Option<toml::Spanned<i64>>| {
                    given.map_or_else(
                        || base.clone(),
                        |n| Some(set_by_code(i64::try_from(n).unwrap_or(i64::MAX))),
                    )
                };
                geometry.axial_sites = sites(meta.axial_sites, &geometry.axial_sites);
                geometry.circumferential_sites =
                    sites(meta.circumferential_sites, &geometry.circumferential_sites);
            }
            match Scenario::from_file(file, &base_text, &arm_origin) {
                Ok(scenario) => arms.push(Arm {
                    name: arm.name.clone(),
                    slug: arm_slug,
                    dose,
                    scenario,
                }),
                Err(e) => problems.extend(e.to_string().lines().map(str::to_string)),
            }
        }
        if !problems.is_empty() {
            return Err(ExperimentError::Invalid { problems });
        }
        Ok(Self {
            name: meta.name.clone(),
            description: meta.description.clone(),
            claims: meta.claims.clone().unwrap_or_default(),
            replicates,
            dose_series: file.dose_series.as_ref().and_then(|series| {
                crate::treatment::find(&series.treatment).map(|entry| DoseSeries {
                    treatment: entry.id.to_string(),
                    name: entry.name.to_string(),
                    unit: entry.dose_unit.to_string(),
                })
            }),
            arms,
        })
    }
}

/// The arms of a dose series: one per dose, named `<name> <dose> <unit>`; dose 0 is the
/// untreated arm.
fn dose_series_arms(
    series: &DoseSeriesFile,
    origin: &str,
    problems: &mut Vec<String>,
) -> Vec<(ArmFile, f64)> {
    let Some(entry) = crate::treatment::find(&series.treatment) else {
        // The treatment validator names the unknown id (with a suggestion) per arm.
        return series
            .doses
            .iter()
            .map(|d| {
                (
                    ArmFile {
                        name: format!("{} {}", series.treatment, toml_number(*d)),
                        treatment: Some(vec![TreatmentFile {
                            id: series.treatment.clone(),
                            dose: Some(*d),
                            start_days: series.start_days,
                            stop_days: series.stop_days,
                        }]),
                    },
                    *d,
                )
            })
            .collect();
    };
    if series.doses.len() < 2 {
        problems.push(format!(
            "{origin}: dose_series.doses: give at least two doses (the first is the reference)"
        ));
    }
    let mut previous = f64::NEG_INFINITY;
    for d in &series.doses {
        if !d.is_finite() || *d < 0.0 || *d <= previous {
            problems.push(format!(
                "{origin}: dose_series.doses = {:?}: must be finite, >= 0 and increasing",
                series.doses
            ));
            break;
        }
        previous = *d;
    }
    series
        .doses
        .iter()
        .map(|d| {
            let name = format!("{} {} {}", entry.name, toml_number(*d), entry.dose_unit);
            let treatment = (*d > 0.0).then(|| {
                vec![TreatmentFile {
                    id: series.treatment.clone(),
                    dose: Some(*d),
                    start_days: series.start_days,
                    stop_days: series.stop_days,
                }]
            });
            (ArmFile { name, treatment }, *d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_experiment_file_in_scenarios_loads_with_control_first() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut count = 0;
        for dir in [root.clone(), root.join("review")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "toml") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                if !text.lines().any(|l| l.trim() == "[experiment]") {
                    continue;
                }
                let experiment = Experiment::load(&path, None).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(experiment.name, path.file_stem().unwrap().to_str().unwrap());
                match &experiment.dose_series {
                    // A dose series starts at its lowest dose, 0 = untreated.
                    Some(_) => assert_eq!(experiment.arms[0].dose, Some(0.0)),
                    None => assert_eq!(experiment.arms[0].name, "control", "{}", path.display()),
                }
                count += 1;
            }
        }
        assert!(count >= 18);
    }

    #[test]
    fn slugs_are_folder_safe() {
        assert_eq!(slug("ATF4 knockdown"), "atf4-knockdown");
        assert_eq!(slug("4-PBA"), "4-pba");
    }
}
