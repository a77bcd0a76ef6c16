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
//! occupancy = 0.25                     # optional: fraction of cell sites seeded
//!
//! [[arm]]
//! name = "control"                     # the first arm is the control
//!
//! [record]                           # optional: replaces the base's record keys
//! snapshots_days = [0.0, 7.0, 14.0]
//!
//! [[arm]]
//! name = "4-PBA"
//! colour = "#d95f02"                   # optional: `#RRGGBB` or an Okabe-Ito name
//! [[arm.treatment]]
//! id = "4-pba"
//! dose = 5.0
//! ```

use crate::scenario::error::{Location, Problem, ProblemKind, Value, render_one};
use crate::scenario::file::{
    Conditions, EnvironmentFile, GeneticsFile, ParameterTables, RecordFile, StressFile,
    TreatmentFile, key_in_words, parse_all, scenario_type_in_words, set_by_code, without_indices,
};
use crate::scenario::overrides::ParameterOverrides;
use crate::scenario::reference::{self as r, Bounds};
use crate::scenario::validate::{is_claim_id, is_valid_name};
use crate::scenario::{SCENARIO_TABLES, Scenario, ScenarioError, other_kind_of_file, read_text};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

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

/// The raw experiment file: every key optional (a missing one is reported with the
/// others), every value with its place in the text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    experiment: Option<Spanned<ExperimentMeta>>,
    arm: Option<Vec<Spanned<ArmFile>>>,
    dose_series: Option<Spanned<DoseSeriesFile>>,
    /// `[record]`: the scenario file's table, its keys replacing the base's for every arm.
    record: Option<Spanned<RecordFile>>,
}

/// `[dose_series]`: one treatment at several doses, an arm per dose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoseSeriesFile {
    treatment: Option<Spanned<String>>,
    doses: Option<Spanned<Vec<Spanned<f64>>>>,
    start_days: Option<Spanned<f64>>,
    stop_days: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentMeta {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    base: Option<Spanned<String>>,
    replicates: Option<Spanned<i64>>,
    claims: Option<Vec<Spanned<String>>>,
    duration_days: Option<Spanned<f64>>,
    axial_sites: Option<Spanned<i64>>,
    circumferential_sites: Option<Spanned<i64>>,
    occupancy: Option<Spanned<f64>>,
    seed: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArmFile {
    name: Option<Spanned<String>>,
    colour: Option<Spanned<String>>,
    treatment: Option<Vec<Spanned<TreatmentFile>>>,
    environment: Option<Spanned<EnvironmentFile>>,
    stress: Option<Spanned<StressFile>>,
    genetics: Option<Spanned<GeneticsFile>>,
    parameters: Option<ParameterTables>,
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
    /// The arm's colour in the figures, `#rrggbb`, if the file sets one (`colour`).
    pub colour: Option<String>,
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
    /// Where each of `claims` is written: `file:line:col` (for checks of the IDs
    /// against the claims of the review, which live in a higher layer).
    pub claim_places: Vec<String>,
    /// Replicates per arm.
    pub replicates: usize,
    /// The dose series, if the experiment has one (its arms carry their doses).
    pub dose_series: Option<DoseSeries>,
    /// The arms, control first.
    pub arms: Vec<Arm>,
    /// What is valid but probably not meant (a shortened run that drops the base's
    /// snapshots), one line each, `file:line:col: ...`; the command line prints them.
    pub warnings: Vec<String>,
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

/// [1] Replicates per arm when neither the file nor `--replicates` gives them.
const DEFAULT_REPLICATES: usize = 3;

/// The allowed form of `experiment.name`.
const NAME_FORM: &str =
    "1-64 characters from `a-z`, `0-9`, `_` and `-` (it names the output folder)";

/// The colours an arm's `colour` may name: the Okabe-Ito palette (safe for colour-blind
/// readers), as red, green, blue.
pub const ARM_COLOUR_NAMES: [(&str, [u8; 3]); 8] = [
    ("black", [0, 0, 0]),
    ("orange", [230, 159, 0]),
    ("sky-blue", [86, 180, 233]),
    ("bluish-green", [0, 158, 115]),
    ("yellow", [240, 228, 66]),
    ("blue", [0, 114, 178]),
    ("vermillion", [213, 94, 0]),
    ("reddish-purple", [204, 121, 167]),
];

/// What an arm's `colour` may be, in words.
const COLOUR_FORM: &str = "`#RRGGBB` (six hexadecimal digits, like `#1b9e77`) or an Okabe-Ito \
     colour: black, orange, sky-blue, bluish-green, yellow, blue, vermillion, reddish-purple";

/// An arm colour written `#RRGGBB` or as one of [`ARM_COLOUR_NAMES`] (case, spaces and
/// `_` for `-` do not matter), as red, green, blue.
#[must_use]
pub fn parse_arm_colour(text: &str) -> Option<[u8; 3]> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some([byte(0)?, byte(2)?, byte(4)?]);
    }
    let name = text.to_ascii_lowercase().replace([' ', '_'], "-");
    ARM_COLOUR_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
}

fn slug(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            // A run of other characters (spaces, `+`, `,`) is one separator.
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

fn toml_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

/// What an experiment key holds, in the words of the reference, for messages about a
/// value of the wrong type.
fn experiment_type_in_words(key_path: &str) -> Option<String> {
    let key = without_indices(key_path);
    let words = match key.as_str() {
        "experiment" => "a table `[experiment]`".to_string(),
        "experiment.name" => format!("a string: {NAME_FORM}"),
        "experiment.description" => "a string: non-empty text".to_string(),
        "experiment.base" => {
            "a string: the path of the base scenario file, relative to this file".to_string()
        }
        "experiment.replicates" => format!("a whole number in [1, {MAX_REPLICATES}]"),
        "experiment.claims" => key_in_words(&r::META_CLAIMS),
        "experiment.duration_days" => key_in_words(&r::TIME_DURATION),
        "experiment.axial_sites" => key_in_words(&r::GEOMETRY_AXIAL),
        "experiment.circumferential_sites" => key_in_words(&r::GEOMETRY_CIRCUMFERENTIAL),
        "experiment.occupancy" => key_in_words(&r::GEOMETRY_OCCUPANCY),
        "experiment.seed" => key_in_words(&r::META_SEED),
        "arm" => "`[[arm]]` tables (an array of tables)".to_string(),
        "arm.name" => "a string: the arm's name".to_string(),
        "arm.colour" => format!("a string: {COLOUR_FORM}"),
        "record" => "a table `[record]`".to_string(),
        "dose_series" => "a table `[dose_series]`".to_string(),
        "dose_series.treatment" => key_in_words(&r::TREATMENT_ID),
        "dose_series.doses" => {
            "an array of at least two numbers, each >= 0, increasing".to_string()
        }
        "dose_series.start_days" => key_in_words(&r::TREATMENT_START),
        "dose_series.stop_days" => key_in_words(&r::TREATMENT_STOP),
        other if other.starts_with("record.") => return scenario_type_in_words(other),
        other => return other.strip_prefix("arm.").and_then(scenario_type_in_words),
    };
    Some(words)
}

/// Collects the problems of an experiment file, each rendered as
/// `file:line:col: key = value: what is allowed`.
struct Checker<'t> {
    text: &'t str,
    origin: &'t str,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn report(
        &mut self,
        span: Option<Range<usize>>,
        key: &str,
        value: Option<Value>,
        kind: ProblemKind,
    ) {
        let problem = Problem {
            location: span.map(|s| Location::at(self.text, s.start)),
            key: key.to_string(),
            value,
            kind,
        };
        self.problems.push(render_one(self.origin, &problem));
    }

    fn missing(&mut self, table: Range<usize>, key: &str) {
        self.report(
            Some(table),
            key,
            None,
            ProblemKind::MissingKey { when: None },
        );
    }

    /// A whole number of the file in `[min, max]`, as a count.
    fn count_in(&mut self, value: &Spanned<i64>, key: &str, min: f64, max: f64) -> Option<usize> {
        let v = *value.get_ref();
        let allowed = Bounds::closed(min, max);
        if allowed.contains(v as f64) {
            usize::try_from(v).ok()
        } else {
            let kind = ProblemKind::OutOfRange { allowed, unit: "" };
            self.report(Some(value.span()), key, Some(Value::Integer(v)), kind);
            None
        }
    }
}

impl Experiment {
    /// The experiment with `values` laid over every arm's scenario
    /// ([`ParameterOverrides::apply`]: a value an arm or its base sets itself is kept).
    ///
    /// # Errors
    /// An arm whose changed scenario does not validate, naming the arm.
    pub fn with_overrides(mut self, values: &ParameterOverrides) -> Result<Self, ExperimentError> {
        if values.is_empty() {
            return Ok(self);
        }
        for arm in &mut self.arms {
            arm.scenario = values
                .apply(&arm.scenario)
                .map_err(|e| ExperimentError::Invalid {
                    problems: vec![format!(
                        "{}: arm {:?} with the parameter values laid over it: {e}",
                        self.name, arm.name
                    )],
                })?;
        }
        Ok(self)
    }

    /// Loads and validates an experiment file and the scenarios of all its arms.
    ///
    /// # Errors
    /// I/O errors (`Io`, `BaseIo`) and every content problem found (`Invalid`).
    pub fn load(path: &Path, replicates_override: Option<usize>) -> Result<Self, ExperimentError> {
        let origin = path.display().to_string();
        let text = read_text(path).map_err(|error| match error {
            ScenarioError::Io { path, source } => ExperimentError::Io { path, source },
            ScenarioError::Invalid { .. } => ExperimentError::Invalid {
                problems: error.to_string().lines().map(str::to_string).collect(),
            },
        })?;
        let folder = path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        Self::parse(&text, &origin, replicates_override, &|base: &Path| {
            let base_path = folder.join(base);
            read_text(&base_path)
                .map(|text| (text, base_path.display().to_string()))
                .map_err(|error| match error {
                    ScenarioError::Io { .. } => ExperimentError::BaseIo(error),
                    ScenarioError::Invalid { .. } => ExperimentError::Invalid {
                        problems: error.to_string().lines().map(str::to_string).collect(),
                    },
                })
        })
    }

    /// Validates an experiment given as text. `origin` names it in messages;
    /// `read_base` returns the text and display name of the base scenario named in the
    /// file (so experiments bundled in the binary resolve their bases without a disk).
    ///
    /// Every problem is reported once, at its line in the experiment file: those of the
    /// file itself, those of the base scenario (once, not per arm), and those of each
    /// arm's treatments (a dose series' once, at the series' keys).
    ///
    /// # Errors
    /// Errors of `read_base`, and every content problem found (`Invalid`).
    pub fn parse(
        text: &str,
        origin: &str,
        replicates_override: Option<usize>,
        read_base: &BaseReader<'_>,
    ) -> Result<Self, ExperimentError> {
        let mut check = Checker {
            text,
            origin,
            problems: Vec::new(),
        };
        if let Some(replicates) = replicates_override
            && !(1..=MAX_REPLICATES).contains(&replicates)
        {
            check.problems.push(format!(
                "--replicates {replicates}: must be in [1, {MAX_REPLICATES}] (replicates per arm)"
            ));
        }
        if let Some(problem) = other_kind_of_file(text, "[experiment]", SCENARIO_TABLES) {
            check.problems.push(render_one(origin, &problem));
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        }
        let parsed = parse_all::<ExperimentFile>(text, &experiment_type_in_words);
        check
            .problems
            .extend(parsed.problems.iter().map(|p| render_one(origin, p)));
        let Some(file) = parsed.value else {
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        };
        let left_out = |key: &str| parsed.left_out.iter().any(|l| without_indices(l) == key);
        let Some(meta) = &file.experiment else {
            if !left_out("experiment") {
                check.report(None, "experiment", None, ProblemKind::MissingTable);
            }
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        };
        let table = meta.span();
        let meta = meta.get_ref();

        let file_replicates = meta
            .replicates
            .as_ref()
            .and_then(|v| check.count_in(v, "experiment.replicates", 1.0, MAX_REPLICATES as f64));
        let replicates = replicates_override
            .or(file_replicates)
            .unwrap_or(DEFAULT_REPLICATES);
        let name = match &meta.name {
            Some(name) => {
                if !is_valid_name(name.get_ref()) {
                    let kind = ProblemKind::BadForm {
                        expected: NAME_FORM,
                    };
                    let value = Some(Value::from(name.get_ref()));
                    check.report(Some(name.span()), "experiment.name", value, kind);
                }
                name.get_ref().clone()
            }
            None => {
                if !left_out("experiment.name") {
                    check.missing(table.clone(), "experiment.name");
                }
                String::new()
            }
        };
        let description = match &meta.description {
            Some(description) => {
                if description.get_ref().trim().is_empty() {
                    let kind = ProblemKind::BadForm {
                        expected: "non-empty text",
                    };
                    let value = Some(Value::from(description.get_ref()));
                    check.report(
                        Some(description.span()),
                        "experiment.description",
                        value,
                        kind,
                    );
                }
                description.get_ref().clone()
            }
            None => {
                if !left_out("experiment.description") {
                    check.missing(table.clone(), "experiment.description");
                }
                String::new()
            }
        };
        let mut claims = Vec::new();
        let mut claim_places = Vec::new();
        for claim in meta.claims.iter().flatten() {
            if !is_claim_id(claim.get_ref()) {
                let kind = ProblemKind::BadForm {
                    expected: "a claim ID: 2-3 capital letters, `-` and digits, like `OS-1`",
                };
                let value = Some(Value::from(claim.get_ref()));
                check.report(Some(claim.span()), "experiment.claims", value, kind);
            }
            claims.push(claim.get_ref().clone());
            claim_places.push(format!(
                "{origin}:{}",
                Location::at(text, claim.span().start)
            ));
        }
        let mut overrides_valid = true;
        if let Some(days) = &meta.duration_days
            && let Some(allowed) = r::TIME_DURATION.bounds()
            && !allowed.contains(*days.get_ref())
        {
            overrides_valid = false;
            let kind = ProblemKind::OutOfRange {
                allowed,
                unit: r::TIME_DURATION.unit,
            };
            let value = Some(Value::Number(*days.get_ref()));
            check.report(Some(days.span()), "experiment.duration_days", value, kind);
        }
        if let Some(occupancy) = &meta.occupancy
            && let Some(allowed) = r::GEOMETRY_OCCUPANCY.bounds()
            && !allowed.contains(*occupancy.get_ref())
        {
            overrides_valid = false;
            let kind = ProblemKind::OutOfRange {
                allowed,
                unit: r::GEOMETRY_OCCUPANCY.unit,
            };
            let value = Some(Value::Number(*occupancy.get_ref()));
            check.report(Some(occupancy.span()), "experiment.occupancy", value, kind);
        }
        for (sites, key, reference) in [
            (
                &meta.axial_sites,
                "experiment.axial_sites",
                &r::GEOMETRY_AXIAL,
            ),
            (
                &meta.circumferential_sites,
                "experiment.circumferential_sites",
                &r::GEOMETRY_CIRCUMFERENTIAL,
            ),
        ] {
            if let (Some(sites), Some(allowed)) = (sites, reference.bounds())
                && check
                    .count_in(sites, key, allowed.min, allowed.max)
                    .is_none()
            {
                overrides_valid = false;
            }
        }

        let arms_given = file.arm.as_ref().is_some_and(|a| !a.is_empty());
        if !arms_given && file.dose_series.is_none() && !left_out("arm") && !left_out("dose_series")
        {
            check.problems.push(format!(
                "{origin}: at least one [[arm]] or a [dose_series] is required (the first arm is the control)"
            ));
        }

        // The base: read, then checked alone, so that its problems are reported once.
        let Some(base) = &meta.base else {
            if !left_out("experiment.base") {
                check.missing(table, "experiment.base");
            }
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        };
        let (base_text, base_name) = match read_base(Path::new(base.get_ref())) {
            Ok(found) => found,
            Err(error) if check.problems.is_empty() => return Err(error),
            Err(error) => {
                check.problems.push(error.to_string());
                return Err(ExperimentError::Invalid {
                    problems: check.problems,
                });
            }
        };
        let base_scenario = match Scenario::from_toml(&base_text, &base_name) {
            Ok(scenario) => scenario,
            Err(error) => {
                check
                    .problems
                    .extend(error.to_string().lines().map(str::to_string));
                return Err(ExperimentError::Invalid {
                    problems: check.problems,
                });
            }
        };

        // The base with the experiment's duration and lattice, checked once.
        let mut warnings = Vec::new();
        let mut shared = base_scenario.file().clone();
        if let Some(days) = meta.duration_days.as_ref().filter(|d| {
            r::TIME_DURATION
                .bounds()
                .is_some_and(|b| b.contains(*d.get_ref()))
        }) {
            let dropped: Vec<String> = shared
                .record
                .as_ref()
                .and_then(|record| record.get_ref().snapshots_days.as_ref())
                .into_iter()
                .flatten()
                .map(|s| *s.get_ref())
                .filter(|s| *s > *days.get_ref())
                .map(|s| s.to_string())
                .collect();
            let replaced = file
                .record
                .as_ref()
                .is_some_and(|r| r.get_ref().snapshots_days.is_some());
            if !dropped.is_empty() && !replaced {
                let location = Location::at(text, days.span().start);
                warnings.push(format!(
                    "{origin}:{location}: experiment.duration_days = {}: drops the base's \
                     snapshots at day {} (record.snapshots_days in {base_name}); the runs \
                     record day 0 and their end",
                    days.get_ref(),
                    dropped.join(", ")
                ));
            }
            shared.set_duration_days(*days.get_ref());
        }
        // A lattice size out of range is already reported; the arms are checked on the
        // base's.
        if overrides_valid {
            if let Some(sites) = &meta.axial_sites {
                shared.geometry_mut().axial_sites = Some(set_by_code(*sites.get_ref()));
            }
            if let Some(sites) = &meta.circumferential_sites {
                shared.geometry_mut().circumferential_sites = Some(set_by_code(*sites.get_ref()));
            }
            if let Some(occupancy) = &meta.occupancy {
                shared.geometry_mut().occupancy = Some(set_by_code(*occupancy.get_ref()));
            }
        }
        if let Some(seed) = &meta.seed {
            shared.meta_mut().seed = Some(seed.clone());
        }
        if let Err(error) = Scenario::from_file(shared.clone(), &base_text, &base_name) {
            for line in error.to_string().lines() {
                check.problems.push(format!(
                    "{origin}: with the experiment's duration and lattice, {line}"
                ));
            }
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        }
        // The experiment's `[record]`: each key replaces the base's; checked by the
        // scenario validator on the base as changed so far (valid), so every problem is
        // one of these keys, reported at its line in this file.
        if let Some(record) = &file.record {
            let base_record = shared.record_mut();
            let record = record.get_ref().clone();
            if record.every_h.is_some() {
                base_record.every_h = record.every_h;
            }
            if record.snapshots_days.is_some() {
                base_record.snapshots_days = record.snapshots_days;
            }
            if let Err(error) = Scenario::from_file(shared.clone(), text, origin) {
                check.problems.extend(
                    error
                        .problems()
                        .iter()
                        .map(|problem| render_one(origin, problem)),
                );
                return Err(ExperimentError::Invalid {
                    problems: check.problems,
                });
            }
        }

        // The arms: the listed ones, then a dose series' (one per dose).
        let mut arms = Vec::new();
        let mut slugs = Vec::new();
        let mut seen = HashSet::new();
        let listed = file.arm.iter().flatten().map(|arm| {
            let a = arm.get_ref();
            let colour = a.colour.as_ref().and_then(|colour| {
                let parsed = parse_arm_colour(colour.get_ref());
                if parsed.is_none() {
                    let kind = ProblemKind::BadForm {
                        expected: COLOUR_FORM,
                    };
                    let value = Some(Value::from(colour.get_ref()));
                    check.report(Some(colour.span()), "arm.colour", value, kind);
                }
                parsed.map(|[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}"))
            });
            ArmPlan {
                name: a
                    .name
                    .as_ref()
                    .map(|n| (n.get_ref().clone(), Some(n.span()))),
                table: arm.span(),
                treatments: a.treatment.clone().unwrap_or_default(),
                conditions: Conditions {
                    environment: a.environment.clone(),
                    stress: a.stress.clone(),
                    genetics: a.genetics.clone(),
                    parameters: a.parameters.clone(),
                },
                dose: None,
                colour,
            }
        });
        let listed: Vec<ArmPlan> = listed.collect();
        let series = file
            .dose_series
            .as_ref()
            .map(|series| dose_series_arms(series, &mut check))
            .unwrap_or_default();
        for plan in listed.into_iter().chain(series) {
            let Some((arm_name, name_span)) = plan.name else {
                check.missing(plan.table, "arm.name");
                continue;
            };
            let arm_slug = slug(&arm_name);
            if arm_slug.is_empty() || slugs.contains(&arm_slug) {
                let kind = ProblemKind::BadForm {
                    expected: "non-empty and distinct from the other arms",
                };
                let value = Some(Value::from(&arm_name));
                check.report(name_span, "arm.name", value, kind);
                continue;
            }
            slugs.push(arm_slug.clone());
            let mut arm_file = shared.clone();
            arm_file.overlay(plan.conditions);
            arm_file
                .treatment
                .get_or_insert_with(Vec::new)
                .extend(plan.treatments);
            let arm_origin = format!("{origin} [arm {arm_name:?} on {base_name}]");
            match Scenario::from_file(arm_file.clone(), &base_text, &arm_origin) {
                Ok(scenario) => arms.push(Arm {
                    name: arm_name,
                    slug: arm_slug,
                    dose: plan.dose,
                    colour: plan.colour,
                    scenario,
                }),
                Err(_) => {
                    // The base with the experiment's changes is valid, so every problem
                    // is one of this arm's treatments, whose places are in this file.
                    let error = Scenario::from_file(arm_file, text, origin).err();
                    for problem in error.iter().flat_map(ScenarioError::problems) {
                        let line = match plan.dose {
                            Some(_) => render_one(origin, &in_dose_series(problem)),
                            None => {
                                let rendered = render_one("", problem);
                                let (place, rest) =
                                    rendered.split_once(": ").unwrap_or(("", &rendered));
                                format!("{origin}{place}: arm {arm_name:?}: {rest}")
                            }
                        };
                        if seen.insert(line.clone()) {
                            check.problems.push(line);
                        }
                    }
                }
            }
        }
        if !check.problems.is_empty() {
            return Err(ExperimentError::Invalid {
                problems: check.problems,
            });
        }
        Ok(Self {
            name,
            description,
            claims,
            claim_places,
            replicates,
            dose_series: file.dose_series.as_ref().and_then(|series| {
                let id = series.get_ref().treatment.as_ref()?;
                crate::treatment::find(id.get_ref()).map(|entry| DoseSeries {
                    treatment: entry.id.to_string(),
                    name: entry.name.to_string(),
                    unit: entry.dose_unit.to_string(),
                })
            }),
            arms,
            warnings,
        })
    }
}

/// An arm to build: its name (with its place), its table, its treatments and, for a
/// dose series, its dose.
struct ArmPlan {
    name: Option<(String, Option<Range<usize>>)>,
    table: Range<usize>,
    treatments: Vec<Spanned<TreatmentFile>>,
    /// The arm's own conditions, laid over the base.
    conditions: Conditions,
    dose: Option<f64>,
    /// The arm's colour (`#rrggbb`), if it sets a valid one.
    colour: Option<String>,
}

/// A problem of a dose series' generated treatment, named by the series' own keys.
fn in_dose_series(problem: &Problem) -> Problem {
    let key = match problem.key.as_str() {
        "treatment" | "treatment.id" => "dose_series.treatment".to_string(),
        "treatment.dose" => "dose_series.doses".to_string(),
        other => other.replacen("treatment.", "dose_series.", 1),
    };
    Problem {
        key,
        ..problem.clone()
    }
}

/// The arms of a dose series: one per dose, named `<name> <dose> <unit>`; dose 0 is the
/// untreated arm. Their treatments carry the places of the series' keys, so that a
/// problem of the treatment is reported at the series.
fn dose_series_arms(series: &Spanned<DoseSeriesFile>, check: &mut Checker<'_>) -> Vec<ArmPlan> {
    let table = series.span();
    let series = series.get_ref();
    let Some(id) = &series.treatment else {
        check.missing(table, "dose_series.treatment");
        return Vec::new();
    };
    let Some(doses) = &series.doses else {
        check.missing(table, "dose_series.doses");
        return Vec::new();
    };
    let values: Vec<f64> = doses.get_ref().iter().map(|d| *d.get_ref()).collect();
    let listed = format!("{values:?}");
    if values.len() < 2 {
        let kind = ProblemKind::BadForm {
            expected: "at least two doses (the first is the reference)",
        };
        check.report(
            Some(doses.span()),
            "dose_series.doses",
            Some(Value::Literal(listed)),
            kind,
        );
        return Vec::new();
    }
    if values
        .iter()
        .zip(std::iter::once(&f64::NEG_INFINITY).chain(&values))
        .any(|(d, previous)| !d.is_finite() || *d < 0.0 || *d <= *previous)
    {
        let kind = ProblemKind::BadForm {
            expected: "finite, >= 0 and increasing",
        };
        check.report(
            Some(doses.span()),
            "dose_series.doses",
            Some(Value::Literal(listed)),
            kind,
        );
        return Vec::new();
    }
    let entry = crate::treatment::find(id.get_ref());
    doses
        .get_ref()
        .iter()
        .map(|dose| {
            let d = *dose.get_ref();
            let name = match entry {
                Some(entry) => format!("{} {} {}", entry.name, toml_number(d), entry.dose_unit),
                None => format!("{} {}", id.get_ref(), toml_number(d)),
            };
            let treatments = if d > 0.0 {
                vec![Spanned::new(
                    table.clone(),
                    TreatmentFile {
                        id: Some(id.clone()),
                        dose: Some(dose.clone()),
                        start_days: series.start_days.clone(),
                        stop_days: series.stop_days.clone(),
                        between_animal_cv: None,
                        onset_days: None,
                    },
                )]
            } else {
                Vec::new()
            };
            ArmPlan {
                name: Some((name, None)),
                table: table.clone(),
                treatments,
                conditions: Conditions::default(),
                dose: Some(d),
                colour: None,
            }
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
                    // The tutorial's reference arm is the treated medium it asks about
                    // (does TUDCA protect in high phosphate?), named for what it is.
                    None if path.ends_with("tutorial.toml") => {
                        assert_eq!(experiment.arms[0].name, "high phosphate");
                    }
                    None => assert_eq!(experiment.arms[0].name, "control", "{}", path.display()),
                }
                count += 1;
            }
        }
        assert!(count >= 18);
    }

    const BASE: &str = "[meta]\nname = \"b\"\ndescription = \"d\"\n[geometry]\n\
        mode = \"in_vitro\"\naxial_sites = 2\ncircumferential_sites = 2\n[time]\n\
        duration_days = 14\n[record]\nsnapshots_days = [0, 7, 14]\n";

    fn parse_with_base(
        text: &str,
        base: &str,
        replicates: Option<usize>,
    ) -> Result<Experiment, ExperimentError> {
        let base = base.to_string();
        Experiment::parse(text, "e.toml", replicates, &move |_: &Path| {
            Ok((base.clone(), "b.toml".to_string()))
        })
    }

    fn problems(text: &str, base: &str, replicates: Option<usize>) -> Vec<String> {
        match parse_with_base(text, base, replicates) {
            Err(ExperimentError::Invalid { problems }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    const HEAD: &str = "[experiment]\nname = \"e\"\ndescription = \"d\"\nbase = \"b.toml\"\n";

    #[test]
    fn type_errors_speak_the_reference_and_value_errors_have_line_and_column() {
        let text =
            format!("{HEAD}replicates = \"x\"\naxial_sites = 0\n[[arm]]\nname = \"control\"\n");
        assert_eq!(
            problems(&text, BASE, None),
            [
                "e.toml:5:14: experiment.replicates = \"x\": expected a whole number in [1, 100]",
                "e.toml:6:15: experiment.axial_sites = 0: must be in [1, 10000]",
            ]
        );
    }

    #[test]
    fn a_bad_replicates_flag_is_blamed_on_the_flag() {
        let text = format!("{HEAD}[[arm]]\nname = \"control\"\n");
        assert_eq!(
            problems(&text, BASE, Some(0)),
            ["--replicates 0: must be in [1, 100] (replicates per arm)"]
        );
    }

    #[test]
    fn an_invalid_base_is_reported_once_not_per_arm() {
        let text = format!("{HEAD}[[arm]]\nname = \"a\"\n[[arm]]\nname = \"b\"\n");
        let found = problems(&text, "[meta]\nname = \"b\"\ndescription = \"d\"\n", None);
        assert_eq!(
            found,
            [
                "b.toml: geometry: required table is missing",
                "b.toml: time: required table is missing"
            ]
        );
    }

    #[test]
    fn an_arm_treatment_problem_points_at_the_arm_line_in_the_experiment_file() {
        let text = format!(
            "{HEAD}[[arm]]\nname = \"control\"\n[[arm]]\nname = \"x\"\n[[arm.treatment]]\nid = \"4-pbb\"\n"
        );
        assert_eq!(
            problems(&text, BASE, None),
            [
                "e.toml:10:6: arm \"x\": treatment.id = \"4-pbb\": unknown treatment (see `vcsim catalog`), did you mean `4-pba`?"
            ]
        );
    }

    #[test]
    fn a_dose_series_problem_is_reported_once_at_the_series() {
        let text = format!("{HEAD}[dose_series]\ntreatment = \"4-pbb\"\ndoses = [0, 1, 2, 4]\n");
        assert_eq!(
            problems(&text, BASE, None),
            [
                "e.toml:6:13: dose_series.treatment = \"4-pbb\": unknown treatment (see `vcsim catalog`), did you mean `4-pba`?"
            ]
        );
    }

    #[test]
    fn a_shorter_run_that_drops_snapshots_is_a_warning() {
        let text = format!("{HEAD}duration_days = 4\n[[arm]]\nname = \"control\"\n");
        let experiment = parse_with_base(&text, BASE, None).unwrap();
        assert_eq!(
            experiment.warnings,
            [
                "e.toml:5:17: experiment.duration_days = 4: drops the base's snapshots at day 7, 14 \
              (record.snapshots_days in b.toml); the runs record day 0 and their end"
            ]
        );
        let text = format!("{HEAD}duration_days = 7\n[[arm]]\nname = \"control\"\n");
        assert!(parse_with_base(&text, BASE, None).unwrap().warnings.len() == 1);
    }

    #[test]
    fn a_scenario_file_given_as_an_experiment_names_the_command_for_it() {
        let found = problems(BASE, BASE, None);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("e.toml:1:2: meta: this is a scenario file"),
            "{found:?}"
        );
        assert!(found[0].ends_with("run it with `vcsim run`"));
    }

    #[test]
    fn slugs_are_folder_safe() {
        assert_eq!(slug("ATF4 knockdown"), "atf4-knockdown");
        assert_eq!(slug("4-PBA"), "4-pba");
        assert_eq!(slug("4-PBA + rapamycin"), "4-pba-rapamycin");
        assert_eq!(slug("+ TUDCA, 25 mM glucose"), "tudca-25-mm-glucose");
    }

    #[test]
    fn an_arm_sets_its_own_conditions_and_only_its_own() {
        let text = format!(
            "{HEAD}seed = 9\n[[arm]]\nname = \"control\"\n\
             [[arm]]\nname = \"hot\"\n[arm.environment]\nglucose_mM = 25.0\n\
             [arm.stress]\nkind = \"constant\"\nstress_per_min = 2.0\n\
             [arm.parameters.autophagy]\nerphagy_clearance_rate = 0.2\n\
             [arm.genetics]\nknockouts = [\"chop\"]\n"
        );
        let experiment = parse_with_base(&text, BASE, Some(1)).expect("valid");
        let (control, hot) = (&experiment.arms[0].scenario, &experiment.arms[1].scenario);
        assert_eq!((control.meta.seed, hot.meta.seed), (9, 9));
        assert!((control.environment.medium.glucose - 5.5).abs() < 1e-12);
        assert!((hot.environment.medium.glucose - 25.0).abs() < 1e-12);
        // The base's other environment keys stay.
        assert!(
            (hot.environment.medium.fluid.calcium - control.environment.medium.fluid.calcium).abs()
                < 1e-12
        );
        assert_eq!(
            hot.stress,
            crate::scenario::StressSchedule::Constant { stress: 2.0 }
        );
        assert_eq!(
            control.stress,
            crate::scenario::StressSchedule::Constant { stress: 0.0 }
        );
        assert!((hot.params.cell.autophagy.erphagy_clearance_rate - 0.2).abs() < 1e-12);
        assert!(
            (control.params.cell.autophagy.erphagy_clearance_rate - 0.2).abs() > 1e-6,
            "the control keeps the default"
        );
        assert_eq!(hot.knockouts.len(), control.knockouts.len() + 1);
    }

    #[test]
    fn an_arm_condition_problem_is_reported_at_its_line_in_the_experiment_file() {
        let text = format!(
            "{HEAD}[[arm]]\nname = \"control\"\n[[arm]]\nname = \"hot\"\n\
             [arm.environment]\nglucose_mM = 250.0\nglucse_mM = 1.0\n\
             [arm.parameters.autophagy]\nerphagy_clearance_rat = 0.2\n"
        );
        let found = problems(&text, BASE, Some(1));
        let joined = found.join("\n");
        assert!(
            joined.contains(
                "e.toml:10:14: arm \"hot\": environment.glucose_mM = 250: must be in [0, 100] mM"
            ),
            "{joined}"
        );
        assert!(
            joined.contains("e.toml:11:") && joined.contains("glucse_mM"),
            "{joined}"
        );
        assert!(
            joined.contains("did you mean `erphagy_clearance_rate`"),
            "{joined}"
        );
    }

    #[test]
    fn an_arm_colour_is_kept_as_hex_and_a_bad_one_is_reported_at_its_line() {
        let text = format!(
            "{HEAD}[[arm]]\nname = \"control\"\ncolour = \"Sky Blue\"\n\
             [[arm]]\nname = \"x\"\ncolour = \"#1B9E77\"\n[[arm]]\nname = \"y\"\n"
        );
        let experiment = parse_with_base(&text, BASE, Some(1)).expect("valid");
        let colours: Vec<Option<&str>> = experiment
            .arms
            .iter()
            .map(|a| a.colour.as_deref())
            .collect();
        assert_eq!(colours, [Some("#56b4e9"), Some("#1b9e77"), None]);
        let text = format!("{HEAD}[[arm]]\nname = \"control\"\ncolour = \"#1b9e7\"\n");
        let found = problems(&text, BASE, Some(1));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("e.toml:7:10: arm.colour = \"#1b9e7\": must be `#RRGGBB`"),
            "{found:?}"
        );
        assert_eq!(parse_arm_colour("#+1b9e7"), None, "a sign is not a digit");
        assert_eq!(parse_arm_colour("reddish_purple"), Some([204, 121, 167]));
    }

    #[test]
    fn the_experiment_record_replaces_the_base_keys_it_sets_and_is_checked_at_its_line() {
        let text = format!(
            "{HEAD}duration_days = 10\n[record]\nevery_h = 12.0\nsnapshots_days = [0, 5, 10]\n\
             [[arm]]\nname = \"control\"\n"
        );
        let experiment = parse_with_base(&text, BASE, Some(1)).expect("valid");
        let record = &experiment.arms[0].scenario.record;
        assert!((record.every_min - 720.0).abs() < 1e-9);
        assert_eq!(record.snapshots_min, [0.0, 5.0 * 1440.0, 10.0 * 1440.0]);
        // The experiment's own snapshots replace the base's: no warning about dropping
        // the base's day 14.
        assert!(experiment.warnings.is_empty(), "{:?}", experiment.warnings);
        // Only every_h: the base's snapshots stay.
        let text = format!("{HEAD}[record]\nevery_h = 6.0\n[[arm]]\nname = \"control\"\n");
        let experiment = parse_with_base(&text, BASE, Some(1)).expect("valid");
        assert_eq!(
            experiment.arms[0].scenario.record.snapshots_min,
            [0.0, 7.0 * 1440.0, 14.0 * 1440.0]
        );
        let text = format!(
            "{HEAD}duration_days = 10\n[record]\nsnapshots_days = [0, 12]\n[[arm]]\nname = \"control\"\n"
        );
        let found = problems(&text, BASE, Some(1));
        assert_eq!(
            found,
            ["e.toml:7:22: record.snapshots_days = 12: must be <= time.duration_days (10)"]
        );
    }
}
