//! Scenario files: one TOML file describes one in-silico experiment.
//!
//! Loading goes in two stages (house style §4.7):
//!
//! 1. [`ScenarioFile`] is the raw file, with unit-suffixed keys
//!    (`duration_days`, `phosphate_mM`) and unknown keys rejected by the parser;
//! 2. [`Scenario`] is the validated experiment in canonical units: time in minutes;
//!    calcium, phosphate, β-glycerophosphate and glucose in mM; PPi and fetuin-A in µM.
//!
//! Validation reports every problem at once, each with its line, column, key, value and
//! what is allowed (see [`ScenarioError`]). Every key is documented in [`reference`].
//!
//! ```
//! use vcsim::scenario::{Scenario, StressSchedule};
//!
//! let text = r#"
//! [meta]
//! name = "low-dose"
//! description = "2.5 nM thapsigargin"
//! [geometry]
//! mode = "in_vitro"
//! axial_sites = 10
//! circumferential_sites = 10
//! [time]
//! duration_days = 2
//! [stress]
//! stress_per_min = 2.0
//! "#;
//! let scenario = Scenario::from_toml(text, "low-dose.toml")?;
//! assert_eq!(scenario.time.duration_min, 2880.0);
//! assert_eq!(scenario.stress, StressSchedule::Constant { stress: 2.0 });
//! # Ok::<(), vcsim::scenario::ScenarioError>(())
//! ```

pub mod error;
pub mod file;
pub mod overrides;
pub mod reference;
pub mod validate;

pub use crate::treatment::Treatment;
pub use error::{Location, Problem, ProblemKind, ScenarioError, Value};
pub use file::ScenarioFile;
pub use overrides::{ParameterOverrides, PosteriorDraw, read_posterior};

use crate::model::integrate::Integrator;
use crate::model::medium::Medium;
use crate::model::parameter_set::ModelParams;
use crate::model::species::Species;
use crate::model::upr_core::CoreKnockout;
use serde::Serialize;
use std::ops::Deref;
use std::path::Path;

/// A validated scenario in canonical units.
///
/// It is closed: its content is read through [`Deref`] to [`ScenarioContent`], but
/// nothing outside this module can change it. A changed scenario (an experiment arm with
/// treatments, a smaller lattice, a shorter run) is made from the raw file with
/// [`Scenario::revised`], which validates the changed file again.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Scenario {
    content: ScenarioContent,
    /// The raw file the content was validated from, for revisions.
    #[serde(skip)]
    file: ScenarioFile,
    /// What names the scenario in messages (usually the file path).
    #[serde(skip)]
    origin: String,
}

impl Deref for Scenario {
    type Target = ScenarioContent;

    fn deref(&self) -> &ScenarioContent {
        &self.content
    }
}

/// The content of a validated scenario, read through [`Scenario`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioContent {
    /// Name, description, claims and seed.
    pub meta: Meta,
    /// The lattice of cell sites.
    pub geometry: Geometry,
    /// Duration and step.
    pub time: TimeSettings,
    /// Culture medium (in vitro) or plasma (vessel).
    pub environment: Environment,
    /// The direct ER stress input over time.
    pub stress: StressSchedule,
    /// The species the cells come from (`genetics.species`; their cell-cycle phases).
    pub species: Species,
    /// Gene deletions of the UPR core, each once, in file order.
    #[serde(serialize_with = "serialize_knockouts")]
    pub knockouts: Vec<CoreKnockout>,
    /// The model parameters: defaults with the overrides applied.
    pub params: ModelParams,
    /// The overrides as given, sorted by module and field (a TOML table has no order),
    /// for the manifest.
    pub overrides: Vec<ParameterOverride>,
    /// Inducers and interventions from the catalog (`[[treatment]]`), resolved, in file
    /// order. Their whole-run effects (genes, parameters, medium) are already applied to
    /// `knockouts`, `params` and `environment`; the time-windowed ones act while the run
    /// goes (on the cells, the medium or plasma, and, for parameter changes, by switching
    /// the model at coupling steps: `sim::ModelPhase`).
    pub treatments: Vec<Treatment>,
    /// What to record and when.
    pub record: RecordSettings,
    /// The file's text, for the manifest hash.
    pub source_text: String,
}

/// What the scenario is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meta {
    /// `[a-z0-9_-]{1,64}`; names the output folder.
    pub name: String,
    /// What the scenario reproduces.
    pub description: String,
    /// Claim IDs of the review, e.g. `OS-1`.
    pub claims: Vec<String>,
    /// Seed of the random streams.
    pub seed: u64,
}

/// The lattice of cell sites.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Geometry {
    /// A monolayer at the bottom of a well of well-mixed medium.
    InVitro {
        /// Sites along the well.
        axial_sites: usize,
        /// Sites across the well.
        circumferential_sites: usize,
        /// Distance between neighbouring sites, µm.
        site_spacing_um: f64,
        /// Fraction of sites seeded with a cell, in (0, 1].
        occupancy: f64,
        /// Depth of the medium over the cells, mm.
        medium_depth_mm: f64,
    },
    /// A vessel wall: intima, media with elastic lamellae, adventitia, around the lumen.
    Vessel {
        /// Sites along the vessel axis.
        axial_sites: usize,
        /// Sites around the vessel (periodic).
        circumferential_sites: usize,
        /// Distance between neighbouring sites, µm.
        site_spacing_um: f64,
        /// Fraction of sites seeded with a cell, in (0, 1].
        occupancy: f64,
        /// Cell layers of the intima.
        intima_layers: usize,
        /// VSMC layers of the media.
        media_layers: usize,
        /// Cell layers of the adventitia.
        adventitia_layers: usize,
        /// An elastic lamella after every `lamella_every` media layers.
        lamella_every: usize,
    },
}

impl Geometry {
    /// Sites that may hold a cell: `axial × circumferential × (intima + media layers)`;
    /// the adventitia's fibroblasts are not modelled, so it holds no cells.
    #[must_use]
    pub const fn cell_sites(&self) -> usize {
        match *self {
            Self::InVitro {
                axial_sites,
                circumferential_sites,
                ..
            } => axial_sites.saturating_mul(circumferential_sites),
            Self::Vessel {
                axial_sites,
                circumferential_sites,
                intima_layers,
                media_layers,
                ..
            } => axial_sites
                .saturating_mul(circumferential_sites)
                .saturating_mul(intima_layers + media_layers),
        }
    }

    /// Stands in for a missing `[geometry]` while problems are collected.
    const fn stand_in() -> Self {
        Self::InVitro {
            axial_sites: 0,
            circumferential_sites: 0,
            site_spacing_um: 0.0,
            occupancy: 0.0,
            medium_depth_mm: 0.0,
        }
    }
}

/// Duration and integration step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeSettings {
    /// Simulated time, min.
    pub duration_min: f64,
    /// Step of the fixed-step RK4 integration, min.
    pub dt_min: f64,
    /// How the intracellular ODEs are integrated (RK4 with `dt_min`, or adaptive).
    pub integrator: Integrator,
}

/// The culture medium (in vitro) or plasma (vessel) and how often a well's medium is
/// changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Environment {
    /// Solutes, glucose and signals.
    #[serde(flatten)]
    pub medium: Medium,
    /// [min] Interval between medium changes; `None` for no medium changes (always
    /// `None` in a vessel in plasma).
    pub medium_change_every_min: Option<f64>,
    /// [µL mm⁻²] A vessel segment in a dish (ring or explant culture): the volume of
    /// medium per mm² of luminal wall surface that bathes it, finite and changed every
    /// `medium_change_every_min`; `None` for a vessel in plasma (a clamped reservoir)
    /// and always `None` in a well.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bath_ul_per_mm2: Option<f64>,
}

/// The direct ER stress input `S` (min⁻¹) over time.
///
/// Exact in continuous time: the cell integration stops at every switch of the
/// schedule inside a coupling step ([`StressSchedule::switches`]), so a step at 5.01 h
/// acts at 5.01 h and a square wave of any allowed period is high for half of each
/// period. The shortest allowed period and the latest step are in the reference
/// (`stress.period_h`, `stress.at_h`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StressSchedule {
    /// The same input throughout.
    Constant {
        /// Input, min⁻¹.
        stress: f64,
    },
    /// `before` until `at_min`, then `after`.
    Step {
        /// Input before the step, min⁻¹.
        before: f64,
        /// Input from the step on, min⁻¹.
        after: f64,
        /// Time of the step, min.
        at_min: f64,
    },
    /// `high` for the first half of each period, then `low`.
    SquareWave {
        /// Input in the low half, min⁻¹.
        low: f64,
        /// Input in the high half, min⁻¹.
        high: f64,
        /// Period, min.
        period_min: f64,
    },
}

impl StressSchedule {
    /// The stress input (min⁻¹) at `time_min`.
    ///
    /// ```
    /// use vcsim::scenario::StressSchedule;
    /// use vcsim::units::HOUR;
    /// let wave = StressSchedule::SquareWave { low: 1.0, high: 4.0, period_min: HOUR };
    /// assert_eq!(wave.at(10.0), 4.0);
    /// assert_eq!(wave.at(30.0), 1.0);
    /// assert_eq!(wave.at(HOUR), 4.0);
    /// ```
    #[must_use]
    pub fn at(&self, time_min: f64) -> f64 {
        match *self {
            Self::Constant { stress } => stress,
            Self::Step {
                before,
                after,
                at_min,
            } => {
                if time_min < at_min {
                    before
                } else {
                    after
                }
            }
            Self::SquareWave {
                low,
                high,
                period_min,
            } => {
                if time_min.rem_euclid(period_min) < 0.5 * period_min {
                    high
                } else {
                    low
                }
            }
        }
    }
}

impl StressSchedule {
    /// Appends to `out` the times [min] strictly between `start_min` and `end_min` at
    /// which the input switches (the step, or every half period of the wave), in
    /// ascending order.
    ///
    /// ```
    /// use vcsim::scenario::StressSchedule;
    /// let wave = StressSchedule::SquareWave { low: 1.0, high: 4.0, period_min: 30.0 };
    /// let mut switches = Vec::new();
    /// wave.switches(0.0, 60.0, &mut switches);
    /// assert_eq!(switches, [15.0, 30.0, 45.0]);
    /// ```
    pub fn switches(&self, start_min: f64, end_min: f64, out: &mut Vec<f64>) {
        match *self {
            Self::Constant { .. } => {}
            Self::Step { at_min, .. } => {
                if start_min < at_min && at_min < end_min {
                    out.push(at_min);
                }
            }
            Self::SquareWave { period_min, .. } => {
                let half = 0.5 * period_min;
                if half.is_nan() || half <= 0.0 {
                    return;
                }
                // The k-th switch is at k·half; the first after the start.
                let mut k = (start_min / half).floor() + 1.0;
                loop {
                    let at = k * half;
                    if at >= end_min {
                        break;
                    }
                    if at > start_min {
                        out.push(at);
                    }
                    k += 1.0;
                }
            }
        }
    }
}

/// A parameter override as written in the file.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ParameterOverride {
    /// The module, e.g. `upr_core`.
    pub module: String,
    /// The field, e.g. `bip_folding_rate`.
    pub field: String,
    /// The value, in the parameter's unit.
    pub value: f64,
}

/// What to record and when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordSettings {
    /// Interval between population summaries, min.
    pub every_min: f64,
    /// Times of full snapshots, min: sorted, without duplicates, always with 0 and the
    /// end.
    pub snapshots_min: Vec<f64>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] if the file cannot be read (or is not a regular file);
    /// [`ScenarioError::Invalid`] with every problem if its content is not a valid
    /// scenario (including text that is not UTF-8 or a file larger than
    /// [`MAX_FILE_BYTES`]).
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = read_text(path)?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates scenario text; `origin` names it in messages (usually the
    /// file path). Every problem is reported: values of the wrong type and unknown keys
    /// together with the problems of every other value.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem found.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        if let Some(problem) = other_kind_of_file(text, "[meta]", EXPERIMENT_TABLES) {
            return Err(ScenarioError::Invalid {
                origin: origin.to_string(),
                problems: vec![problem],
            });
        }
        let parsed = file::parse_all::<ScenarioFile>(text, &file::scenario_type_in_words);
        let Some(file) = parsed.value else {
            return Err(ScenarioError::Invalid {
                origin: origin.to_string(),
                problems: parsed.problems,
            });
        };
        if parsed.problems.is_empty() {
            return Self::from_file(file, text, origin);
        }
        let mut problems = parsed.problems;
        if let Err(error) = validate::validate(&file, text, origin) {
            // A misspelt key is reported as unknown (with its suggestion), not also as
            // the missing key it was meant to be.
            let meant = problems.iter().filter_map(|p| match &p.kind {
                ProblemKind::UnknownKey { suggestion, .. } => {
                    let table = p.key.rsplit_once('.').map_or("", |(table, _)| table);
                    let key = suggestion.0.as_ref()?;
                    Some(if table.is_empty() {
                        key.clone()
                    } else {
                        format!("{table}.{key}")
                    })
                }
                _ => None,
            });
            let left_out: Vec<String> = parsed
                .left_out
                .iter()
                .cloned()
                .chain(meant)
                .map(|k| file::without_indices(&k))
                .collect();
            let problems_of_values: Vec<Problem> = error
                .problems()
                .iter()
                .filter(|p| !follows_from_left_out(p, &left_out))
                .cloned()
                .collect();
            problems.extend(problems_of_values);
        }
        problems.sort_by_key(|p| p.location);
        Err(ScenarioError::Invalid {
            origin: origin.to_string(),
            problems,
        })
    }

    /// Validates a raw file; `text` is what its spans point into and `origin` names it
    /// in messages.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem found.
    pub fn from_file(file: ScenarioFile, text: &str, origin: &str) -> Result<Self, ScenarioError> {
        let content = validate::validate(&file, text, origin)?;
        Ok(Self {
            content,
            file,
            origin: origin.to_string(),
        })
    }

    /// The raw file this scenario was validated from.
    #[must_use]
    pub const fn file(&self) -> &ScenarioFile {
        &self.file
    }

    /// The scenario with its raw file changed by `edit` (e.g.
    /// [`ScenarioFile::set_lattice`]) and validated again; the seed is kept.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem of the changed file.
    pub fn revised(&self, edit: impl FnOnce(&mut ScenarioFile)) -> Result<Self, ScenarioError> {
        let mut file = self.file.clone();
        edit(&mut file);
        let seed = self.content.meta.seed;
        Ok(Self::from_file(file, &self.content.source_text, &self.origin)?.with_seed(seed))
    }

    /// The same scenario with another seed (the CLI's `--seed`, an experiment's
    /// replicates): any `u64` is a valid seed.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.content.meta.seed = seed;
        self
    }

    /// The claim IDs of `meta.claims`, each with its place in the file (for checks of
    /// the IDs against the claims of the review, which live in a higher layer).
    #[must_use]
    pub fn claim_places(&self) -> Vec<(String, Option<Location>)> {
        let claims = self
            .file
            .meta
            .iter()
            .flat_map(|m| m.get_ref().claims.iter().flatten());
        claims
            .map(|claim| {
                let span = claim.span();
                let location = (span != file::SET_BY_CODE)
                    .then(|| Location::at(&self.content.source_text, span.start));
                (claim.get_ref().clone(), location)
            })
            .collect()
    }

    /// The number of sites that may hold cells (before `occupancy` is applied).
    #[must_use]
    pub const fn cell_count_upper_bound(&self) -> usize {
        self.content.geometry.cell_sites()
    }
}

/// [bytes] The largest scenario or experiment file read (4 MiB): real files are a few
/// KiB; anything larger is not a scenario (a device, a log, a data file given by
/// mistake), and is refused without reading it whole.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The text of a scenario or experiment file: a regular file (not a folder, FIFO or
/// device, which could block or never end) of at most [`MAX_FILE_BYTES`], read through
/// `take` so that nothing is ever read unboundedly, in UTF-8.
///
/// # Errors
/// [`ScenarioError::Io`] for a file that cannot be opened or read or is not a regular
/// file; [`ScenarioError::Invalid`] for a file too large or not UTF-8, with its path
/// (and the position of the first invalid byte).
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    use std::io::Read as _;
    let io_error = |source: std::io::Error| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Checked before opening: opening a FIFO blocks until something writes to it.
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "a device, FIFO or socket"
        };
        return Err(io_error(std::io::Error::other(format!(
            "not a regular file (it is {what})"
        ))));
    }
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let origin = path.display().to_string();
    let whole_file = |message: String| ScenarioError::Invalid {
        origin: origin.clone(),
        problems: vec![Problem {
            location: None,
            key: String::new(),
            value: None,
            kind: ProblemKind::Toml { message },
        }],
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(whole_file(format!(
            "the file is larger than {} MiB; scenario and experiment files are a few KiB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        ScenarioError::Invalid {
            origin: origin.clone(),
            problems: vec![Problem {
                location: Some(Location::at(&prefix, prefix.len())),
                key: String::new(),
                value: None,
                kind: ProblemKind::Toml {
                    message: "the file is not valid UTF-8".to_string(),
                },
            }],
        }
    })
}

/// The top-level tables only an experiment file has.
pub const EXPERIMENT_TABLES: &[&str] = &["experiment", "arm", "dose_series"];
/// The top-level tables only a scenario file has.
pub const SCENARIO_TABLES: &[&str] = &[
    "meta",
    "geometry",
    "time",
    "environment",
    "stress",
    "genetics",
    "parameters",
    "record",
    "treatment",
];

/// A problem saying which command the text is for, when it has none of the tables of
/// the kind expected (`own`, e.g. `[meta]`) but one of `other_kind`'s; `None` otherwise
/// (also for text that does not parse: its own problems say more).
#[must_use]
pub fn other_kind_of_file(text: &str, own: &str, other_kind: &[&str]) -> Option<Problem> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let table = document.get_ref();
    let own_name = own.trim_matches(['[', ']']);
    if table.keys().any(|k| k.get_ref() == own_name) {
        return None;
    }
    let (key, _) = table
        .iter()
        .filter(|(k, _)| other_kind.contains(&k.get_ref().as_ref()))
        .min_by_key(|(k, _)| k.span().start)?;
    let hint = if other_kind == EXPERIMENT_TABLES {
        "this is an experiment file (it has [experiment], [[arm]] or [dose_series], no \
         [meta]): run it with `vcsim compare`"
    } else {
        "this is a scenario file (it has [meta], [geometry] or [time], no [experiment]): \
         run it with `vcsim run`"
    };
    Some(Problem {
        location: Some(Location::at(text, key.span().start)),
        key: key.get_ref().to_string(),
        value: None,
        kind: ProblemKind::WrongFile { hint },
    })
}

/// Whether a validation problem only follows from an entry the parser left out (a
/// required key whose value had the wrong type is not "missing" too; a key of another
/// kind is not "not allowed" when the kind itself was unreadable).
fn follows_from_left_out(problem: &Problem, left_out: &[String]) -> bool {
    let under = |key: &str| {
        left_out
            .iter()
            .any(|l| key == l || key.starts_with(&format!("{l}.")))
    };
    match &problem.kind {
        ProblemKind::MissingKey { .. } | ProblemKind::MissingTable => under(&problem.key),
        ProblemKind::NotApplicable { only_when, .. } => under(only_when.key),
        _ => false,
    }
}

fn serialize_knockouts<S: serde::Serializer>(
    knockouts: &[CoreKnockout],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(knockouts.iter().map(|k| k.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::medium::FluidComposition;
    use crate::units::{DAY, HOUR};
    use std::path::PathBuf;

    fn scenarios_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }

    fn load_named(name: &str) -> Scenario {
        match Scenario::load(&scenarios_dir().join(name)) {
            Ok(scenario) => scenario,
            Err(error) => panic!("{error}"),
        }
    }

    /// Scenario files in `scenarios/` (experiment files, with an `[experiment]` table,
    /// are tested in `experiment::design`; sweep and sensitivity files in
    /// `tests/it/sweep.rs`).
    fn is_scenario_file(path: &Path) -> bool {
        path.extension().is_some_and(|e| e == "toml")
            && !std::fs::read_to_string(path)
                .unwrap()
                .lines()
                .any(|l| ["[experiment]", "[sweep]", "[sensitivity]"].contains(&l.trim()))
    }

    #[test]
    fn every_file_in_scenarios_loads() {
        let mut count = 0;
        for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
            let path = entry.unwrap().path();
            if is_scenario_file(&path) {
                if let Err(error) = Scenario::load(&path) {
                    panic!("{error}");
                }
                count += 1;
            }
        }
        assert!(count >= 5, "found {count} scenario files");
    }

    #[test]
    fn each_scenario_file_is_named_like_its_meta_name() {
        for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
            let path = entry.unwrap().path();
            if is_scenario_file(&path) {
                let scenario = Scenario::load(&path).unwrap();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap();
                assert_eq!(scenario.meta.name, stem);
            }
        }
    }

    #[test]
    fn calcifying_medium_differs_from_control_only_in_medium_and_description() {
        let control = load_named("control-medium.toml");
        let calcifying = load_named("calcifying-medium.toml");
        assert_eq!(control.geometry, calcifying.geometry);
        assert_eq!(control.time, calcifying.time);
        assert_eq!(control.meta.seed, calcifying.meta.seed);
        assert_eq!(control.record, calcifying.record);
        assert_eq!(
            Environment {
                medium: Medium {
                    fluid: FluidComposition {
                        calcium: 2.8,
                        beta_glycerophosphate: 10.0,
                        ..control.environment.medium.fluid
                    },
                    ..control.environment.medium.clone()
                },
                ..control.environment.clone()
            },
            calcifying.environment
        );
        assert_eq!(control.environment.medium_change_every_min, Some(3600.0));
    }

    #[test]
    fn thapsigargin_doses_are_2_and_8_per_min() {
        let low = load_named("thapsigargin-low.toml");
        let high = load_named("thapsigargin-high.toml");
        assert_eq!(low.stress, StressSchedule::Constant { stress: 2.0 });
        assert_eq!(high.stress, StressSchedule::Constant { stress: 8.0 });
        assert_eq!(low.geometry, high.geometry);
    }

    #[test]
    fn vessel_media_is_a_ckd_vessel_wall() {
        let vessel = load_named("vessel-media.toml");
        assert_eq!(vessel.cell_count_upper_bound(), 60 * 20 * 8);
        assert_eq!(vessel.environment.medium_change_every_min, None);
        assert_eq!(vessel.time.duration_min.to_bits(), (28.0 * DAY).to_bits());
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let error = Scenario::load(Path::new("/nonexistent/scenario.toml")).unwrap_err();
        assert!(matches!(error, ScenarioError::Io { .. }));
        assert!(error.problems().is_empty());
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/scenario.toml: cannot read")
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_is_invalid_content_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, b"[meta]\nname = \"\xff\"\n").unwrap();
        let error = Scenario::load(&path).unwrap_err();
        assert_eq!(
            error.problems()[0].location,
            Some(Location { line: 2, column: 9 })
        );
        assert!(
            error
                .to_string()
                .ends_with(":2:9: the file is not valid UTF-8")
        );
    }

    #[test]
    fn only_regular_files_are_read() {
        for path in ["/dev/urandom", "/dev/null", "/tmp"] {
            let error = read_text(Path::new(path)).unwrap_err();
            assert!(matches!(error, ScenarioError::Io { .. }), "{path}: {error}");
            assert!(error.to_string().contains("not a regular file"), "{error}");
        }
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("scenario.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available on this platform");
            return;
        }
        let error = Scenario::load(&fifo).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }

    #[test]
    fn a_file_larger_than_the_cap_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        let cap = usize::try_from(MAX_FILE_BYTES).unwrap();
        std::fs::write(&path, "#".repeat(cap + 1)).unwrap();
        let error = Scenario::load(&path).unwrap_err();
        assert!(matches!(error, ScenarioError::Invalid { .. }));
        assert!(error.to_string().contains("larger than 4 MiB"), "{error}");
        // Exactly at the cap is read (and is then an empty scenario).
        std::fs::write(&path, "#".repeat(cap)).unwrap();
        let error = Scenario::load(&path).unwrap_err();
        assert!(
            error.to_string().contains("required table is missing"),
            "{error}"
        );
    }

    #[test]
    fn with_seed_replaces_only_the_seed() {
        let scenario = load_named("control-medium.toml");
        let reseeded = scenario.clone().with_seed(7);
        assert_eq!(reseeded.meta.seed, 7);
        assert_eq!(
            ScenarioContent {
                meta: scenario.meta.clone(),
                ..(*reseeded).clone()
            },
            *scenario
        );
    }

    #[test]
    fn a_revision_goes_through_the_validator_again() {
        let scenario = load_named("control-medium.toml");
        let error = scenario
            .revised(|file| file.set_lattice(10_000, 10_000))
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("too many cell sites"), "{message}");
        assert!(message.contains("must be <= 20000000"), "{message}");
        let error = scenario
            .revised(|file| file.set_lattice(10_001, 10))
            .unwrap_err();
        // A value set by code has no line in the file.
        assert_eq!(error.problems()[0].location, None);
        assert!(
            error.to_string().contains(
                "control-medium.toml: geometry.axial_sites = 10001: must be in [1, 10000]"
            )
        );
    }

    #[test]
    fn a_revision_keeps_the_seed_and_changes_only_what_it_sets() {
        let scenario = load_named("calcifying-medium.toml").with_seed(99);
        let shorter = scenario
            .revised(|file| {
                file.set_lattice(5, 6);
                file.set_duration_days(4.0);
            })
            .unwrap();
        assert_eq!(shorter.meta.seed, 99);
        assert_eq!(shorter.cell_count_upper_bound(), 30);
        assert_eq!(shorter.time.duration_min.to_bits(), (4.0 * DAY).to_bits());
        assert_eq!(shorter.record.snapshots_min, [0.0, 3.0 * DAY, 4.0 * DAY]);
        assert_eq!(shorter.environment, scenario.environment);
        assert_eq!(shorter.params, scenario.params);
    }

    #[test]
    fn constant_stress_is_the_same_at_every_time() {
        let s = StressSchedule::Constant { stress: 2.0 };
        assert_eq!(s.at(0.0).to_bits(), 2.0_f64.to_bits());
        assert_eq!(s.at(1e6).to_bits(), 2.0_f64.to_bits());
    }

    #[test]
    fn step_stress_switches_at_its_time() {
        let s = StressSchedule::Step {
            before: 1.0,
            after: 8.0,
            at_min: HOUR,
        };
        assert_eq!(s.at(59.9).to_bits(), 1.0_f64.to_bits());
        assert_eq!(s.at(HOUR).to_bits(), 8.0_f64.to_bits());
        assert_eq!(s.at(1e6).to_bits(), 8.0_f64.to_bits());
    }

    #[test]
    fn square_wave_starts_high_and_switches_every_half_period() {
        let s = StressSchedule::SquareWave {
            low: 1.0,
            high: 4.0,
            period_min: DAY,
        };
        let at = |t: f64| s.at(t).to_bits();
        assert_eq!(at(0.0), 4.0_f64.to_bits());
        assert_eq!(at(719.9), 4.0_f64.to_bits());
        assert_eq!(at(720.0), 1.0_f64.to_bits());
        assert_eq!(at(1439.9), 1.0_f64.to_bits());
        assert_eq!(at(DAY), 4.0_f64.to_bits());
        assert_eq!(at(2.0 * DAY + 800.0), 1.0_f64.to_bits());
    }

    #[test]
    fn scenario_serialises_knockouts_by_name_and_modes_by_tag() {
        let text = "[meta]\nname = \"k\"\ndescription = \"d\"\n[geometry]\nmode = \"vessel\"\n\
                    axial_sites = 2\ncircumferential_sites = 2\n[time]\nduration_days = 1\n\
                    [genetics]\nknockouts = [\"atf4\", \"perk\"]\n";
        let scenario = Scenario::from_toml(text, "k.toml").unwrap();
        let json = serde_json::to_value(&scenario).unwrap();
        assert_eq!(json["knockouts"], serde_json::json!(["atf4", "perk"]));
        assert_eq!(json["geometry"]["mode"], "vessel");
        assert_eq!(json["stress"]["kind"], "constant");
    }
}
