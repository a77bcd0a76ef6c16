//! The JSON manifests: `manifest.json` of a run folder ([`RunManifest`]),
//! `experiment.json` of an experiment folder ([`ExperimentManifest`]) and `manifest.json`
//! of a claims report ([`ValidationManifest`]).
//!
//! Keys are written in alphabetical order at every level, including inside the scenario
//! and the treatments, as the manifests have always been written (through
//! `serde_json::Value`, whose maps are sorted): the fields below are declared in that
//! order and nested values go through [`sorted`].

use crate::record::wall::WallKept;
use crate::scenario::Scenario;
use serde::{Serialize, Serializer};
use std::io::{self, Write};

/// Writes `value` through a `serde_json::Value`, so that its keys come out sorted.
///
/// # Errors
/// The serializer's errors.
pub fn sorted<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// Writes a manifest as pretty-printed JSON with a final line end.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_json(out: &mut dyn Write, manifest: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, manifest).map_err(io::Error::other)?;
    writeln!(out)
}

/// `manifest.json` of a run folder (`vcsim run`, and every replicate of `vcsim compare`).
#[derive(Clone, Debug, Serialize)]
pub struct RunManifest<'a> {
    /// The doses this run's animal received of each treatment whose dose varies between
    /// animals (`treatment.between_animal_cv`), in scenario order; absent when none
    /// varies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub animal_doses: Vec<AnimalDose>,
    /// [s since the Unix epoch] When the files were written.
    pub finished_unix_s: f64,
    /// The git commit vcsim was built from (`unknown` if not known).
    pub git_commit: &'a str,
    /// The other files of the folder (without `wall.csv` when no wall was kept).
    pub outputs: &'a [&'static str],
    /// `os-arch`.
    pub platform: String,
    /// The scenario as run.
    #[serde(serialize_with = "sorted")]
    pub scenario: &'a Scenario,
    /// 64-bit FNV-1a of the scenario file's text, 16 hex digits.
    pub scenario_fnv1a64: String,
    /// The scenario's name.
    pub scenario_name: &'a str,
    /// The seed of the run.
    pub seed: u64,
    /// [s since the Unix epoch] When the run started.
    pub started_unix_s: f64,
    /// Worker threads.
    pub threads: usize,
    /// vcsim's version.
    pub vcsim_version: &'a str,
    /// Which wall snapshots `wall.csv` holds (`all`, `last`, or `none`: no `wall.csv`).
    pub wall_kept: WallKept,
    /// [s] Wall-clock time of the simulation.
    pub wall_time_s: f64,
}

/// One treatment's dose as one animal received it ([`RunManifest::animal_doses`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnimalDose {
    /// \[dose unit\] The animal's dose.
    pub dose: f64,
    /// The catalog id.
    pub id: &'static str,
    /// \[dose unit\] The scenario's dose (the cohort's mean).
    pub nominal_dose: f64,
}

/// The files of a run folder besides `manifest.json`, as [`RunManifest::outputs`] lists
/// them.
pub const RUN_OUTPUTS: [&str; 5] = [
    "timeseries.csv",
    "layers.csv",
    "wall.csv",
    "parameters.csv",
    "CITATIONS.md",
];

/// [`RUN_OUTPUTS`] of a run that kept no `wall.csv`.
pub const RUN_OUTPUTS_WITHOUT_WALL: [&str; 4] = [
    "timeseries.csv",
    "layers.csv",
    "parameters.csv",
    "CITATIONS.md",
];

/// The files a run folder holds besides `manifest.json`, given what it keeps of the wall.
#[must_use]
pub fn run_outputs(wall: WallKept) -> &'static [&'static str] {
    match wall {
        WallKept::None => &RUN_OUTPUTS_WITHOUT_WALL,
        WallKept::Last | WallKept::All => &RUN_OUTPUTS,
    }
}

/// `experiment.json` of an experiment folder (`vcsim compare`).
#[derive(Clone, Debug, Serialize)]
pub struct ExperimentManifest<'a> {
    /// The arms, control first.
    pub arms: Vec<ArmEntry<'a>>,
    /// The claims the experiment tests.
    pub claims: &'a [String],
    /// What the experiment is.
    pub description: &'a str,
    /// The dose series, if the experiment has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_series: Option<DoseSeriesEntry<'a>>,
    /// The experiment's name.
    pub experiment: &'a str,
    /// The posterior draws the experiment ran over (`vcsim compare --posterior`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<PosteriorEntry<'a>>,
    /// Replicates per arm (per draw, with a posterior).
    pub replicates: usize,
    /// Runs in parallel.
    pub threads: usize,
    /// vcsim's version.
    pub vcsim_version: &'a str,
    /// [s] Wall-clock time of all runs.
    pub wall_time_s: f64,
}

/// One arm of [`ExperimentManifest`].
#[derive(Clone, Debug, Serialize)]
pub struct ArmEntry<'a> {
    /// Seed of replicate 1 (replicate i uses `base_seed + i - 1`).
    pub base_seed: u64,
    /// The arm's colour in the figures (`#rrggbb`), if the experiment file sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<&'a str>,
    /// \[dose unit\] The dose of the series' treatment (arms of a dose series only; the
    /// dose-response figure reads it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose: Option<f64>,
    /// Folder of its replicates, relative to the experiment folder.
    pub folder: &'a str,
    /// Display name.
    pub name: &'a str,
    /// The arm's treatments, as the scenario serializes them (a JSON value, whose keys
    /// are sorted).
    pub treatments: serde_json::Value,
}

/// The `dose_series` of [`ExperimentManifest`].
#[derive(Clone, Debug, Serialize)]
pub struct DoseSeriesEntry<'a> {
    /// Display name of the treatment.
    pub name: &'a str,
    /// The treatment's catalog id.
    pub treatment: &'a str,
    /// The dose unit.
    pub unit: &'a str,
}

/// The `posterior` of [`ExperimentManifest`]: which draws of a posterior sample an
/// experiment ran, chosen how. Slot `d` (1-based folder `draw<d>`) of every arm ran
/// under `draws[d - 1]`, replicate `i` with seed `base_seed + (d - 1)·replicates + i - 1`.
#[derive(Clone, Debug, Serialize)]
pub struct PosteriorEntry<'a> {
    /// Draws in the posterior file.
    pub available: usize,
    /// The number of each slot's draw (`draw` column of the file), slot by slot.
    pub draws: Vec<usize>,
    /// The posterior file as given on the command line.
    pub file: &'a str,
    /// How the draws were chosen.
    pub method: &'a str,
    /// The systematic resampling offset `u` in `[0, 1/K)`.
    pub offset: f64,
    /// The importance weight of each slot's draw in the file.
    pub weights: Vec<f64>,
}

/// `manifest.json` of a claims report (`vcsim validate`).
#[derive(Clone, Debug, Serialize)]
pub struct ValidationManifest<'a> {
    /// The claims checked.
    pub claims: Vec<&'a str>,
    /// The claims that pass.
    pub claims_passing: Vec<&'a str>,
    /// The experiments run.
    pub experiments: Vec<ExperimentEntry<'a>>,
    /// `quick` or `full`.
    pub mode: &'a str,
    /// Simulations run.
    pub runs: usize,
    /// Runs in parallel.
    pub threads: usize,
    /// vcsim's version.
    pub vcsim_version: &'a str,
    /// [s] Wall-clock time of all runs.
    pub wall_time_s: f64,
}

/// One experiment of [`ValidationManifest`].
#[derive(Clone, Debug, Serialize)]
pub struct ExperimentEntry<'a> {
    /// Its arms' names.
    pub arms: Vec<&'a str>,
    /// Its name.
    pub name: &'a str,
    /// Replicates per arm.
    pub replicates: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest is byte-identical to the `serde_json::json!` object it replaced.
    #[test]
    fn the_run_manifest_keeps_its_bytes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/calcifying-medium.toml"
        );
        let scenario = Scenario::load(std::path::Path::new(path)).expect("shipped scenario");
        let manifest = RunManifest {
            animal_doses: Vec::new(),
            finished_unix_s: 2.5,
            git_commit: "abc",
            outputs: &RUN_OUTPUTS,
            platform: "linux-x86_64".to_string(),
            scenario: &scenario,
            scenario_fnv1a64: "0123456789abcdef".to_string(),
            scenario_name: &scenario.meta.name,
            seed: scenario.meta.seed,
            started_unix_s: 1.25,
            threads: 2,
            vcsim_version: "0.1.0",
            wall_kept: WallKept::All,
            wall_time_s: 0.1,
        };
        let old = serde_json::json!({
            "vcsim_version": "0.1.0",
            "git_commit": "abc",
            "scenario_name": scenario.meta.name,
            "scenario_fnv1a64": "0123456789abcdef",
            "seed": scenario.meta.seed,
            "threads": 2,
            "started_unix_s": 1.25,
            "finished_unix_s": 2.5,
            "wall_time_s": 0.1,
            "wall_kept": "all",
            "platform": "linux-x86_64",
            "outputs": ["timeseries.csv", "layers.csv", "wall.csv", "parameters.csv", "CITATIONS.md"],
            "scenario": scenario,
        });
        let mut new_bytes = Vec::new();
        write_json(&mut new_bytes, &manifest).expect("in memory");
        let mut old_bytes = Vec::new();
        write_json(&mut old_bytes, &old).expect("in memory");
        assert_eq!(
            String::from_utf8(new_bytes).expect("UTF-8"),
            String::from_utf8(old_bytes).expect("UTF-8")
        );
    }

    #[test]
    fn the_experiment_and_validation_manifests_keep_their_bytes() {
        let claims = vec!["OS-3".to_string()];
        let treatments = serde_json::json!([{"id": "4-pba", "dose": 1.0}]);
        let manifest = ExperimentManifest {
            arms: vec![
                ArmEntry {
                    base_seed: 7,
                    colour: None,
                    dose: None,
                    folder: "control",
                    name: "control",
                    treatments: serde_json::json!([]),
                },
                ArmEntry {
                    base_seed: 7,
                    colour: Some("#1b9e77"),
                    dose: Some(1.0),
                    folder: "pba",
                    name: "4-PBA",
                    treatments: treatments.clone(),
                },
            ],
            claims: &claims,
            description: "d",
            posterior: None,
            dose_series: Some(DoseSeriesEntry {
                name: "4-PBA",
                treatment: "4-pba",
                unit: "mM",
            }),
            experiment: "e",
            replicates: 3,
            threads: 2,
            vcsim_version: "0.1.0",
            wall_time_s: 1.5,
        };
        let mut old = serde_json::json!({
            "vcsim_version": "0.1.0", "experiment": "e", "description": "d", "claims": claims,
            "replicates": 3,
            "arms": [
                {"name": "control", "folder": "control", "treatments": [], "base_seed": 7},
                {"name": "4-PBA", "folder": "pba", "treatments": treatments, "base_seed": 7,
                 "dose": 1.0, "colour": "#1b9e77"},
            ],
            "threads": 2, "wall_time_s": 1.5,
        });
        old["dose_series"] =
            serde_json::json!({"treatment": "4-pba", "name": "4-PBA", "unit": "mM"});
        assert_eq!(
            serde_json::to_string_pretty(&manifest).expect("JSON"),
            serde_json::to_string_pretty(&old).expect("JSON")
        );
        let validation = ValidationManifest {
            claims: vec!["OS-3"],
            claims_passing: vec![],
            experiments: vec![ExperimentEntry {
                arms: vec!["control", "calcifying"],
                name: "calcifying-vs-normal",
                replicates: 2,
            }],
            mode: "quick",
            runs: 4,
            threads: 2,
            vcsim_version: "0.1.0",
            wall_time_s: 3.0,
        };
        let old = serde_json::json!({
            "vcsim_version": "0.1.0", "mode": "quick", "claims": ["OS-3"],
            "claims_passing": Vec::<&str>::new(),
            "experiments": [{"name": "calcifying-vs-normal", "arms": ["control", "calcifying"],
                             "replicates": 2}],
            "runs": 4, "threads": 2, "wall_time_s": 3.0,
        });
        assert_eq!(
            serde_json::to_string_pretty(&validation).expect("JSON"),
            serde_json::to_string_pretty(&old).expect("JSON")
        );
    }
}
