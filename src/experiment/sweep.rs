//! Parameter sweeps (`vcsim sweep SWEEP.toml`) and the parts they share with sensitivity
//! analyses ([`super::sensitivity`]): factors laid over a base scenario, readouts taken
//! from each run's `timeseries.csv`, and the tidy table of runs.
//!
//! ```toml
//! [sweep]
//! name = "phosphate-tudca"
//! base = "calcifying-medium.toml"      # relative to this file
//! design = "grid"                      # "grid", "latin_hypercube" or "sobol"
//! replicates = 2                       # seeds seed, seed + 1, ... at every point
//! readouts = ["calcium_ug_per_mg_protein@14", "chop_mean"]
//!
//! [[factor]]
//! environment = "phosphate_mM"
//! values = [1.0, 2.0, 3.0]
//!
//! [[factor]]
//! treatment = "tudca"
//! field = "dose"
//! values = [0.0, 0.5, 1.0]
//! ```
//!
//! A factor is any parameter override (`parameter = "module.field"`, as `vcsim params`
//! lists them), any environment key (`environment = "phosphate_mM"`) or a treatment's
//! `dose`, `start_days` or `stop_days` (`treatment = "tudca"`, `field = "dose"`). Each
//! value is laid over the base exactly as an experiment arm's conditions are
//! ([`ScenarioFile::overlay`]) and the result validated like a scenario file, so every
//! value of a factor is checked as if it were written in a scenario.
//!
//! A grid takes `values = [...]` per factor (every combination is a point); a Latin
//! hypercube or a scrambled Sobol design takes `range = [lo, hi]` (and `scale = "log"` to
//! sample the logarithm uniformly) and `samples` points. Replicate `r` of every point runs
//! with seed `seed + r` (common random numbers: points differ by their factors, not by
//! their noise).

use crate::record::{Column, TimeseriesRow};
use crate::scenario::error::{Location, Problem, ProblemKind, Value, render_one};
use crate::scenario::file::{
    Conditions, EnvironmentFile, ParameterTables, ScenarioFile, TreatmentFile, parse_all,
    set_by_code, without_indices,
};
use crate::scenario::reference::{self as r, Bounds};
use crate::scenario::validate::is_valid_name;
use crate::scenario::{Scenario, ScenarioError, read_text};
use crate::sensitivity::design::{DesignError, latin_hypercube, sobol_points};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A problem with a sweep or sensitivity file.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    /// The file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file's content is invalid; one problem per line.
    #[error("{}", .problems.join("\n"))]
    Invalid {
        /// The problems, each naming the file, line and key.
        problems: Vec<String>,
    },
    /// The base scenario could not be read.
    #[error("{0}")]
    BaseIo(ScenarioError),
}

/// Returns the text and display name of a base scenario named in a sweep or sensitivity
/// file.
pub type BaseReader<'a> = dyn Fn(&Path) -> Result<(String, String), StudyError> + 'a;

/// [1] The most replicates per point.
pub const MAX_REPLICATES: usize = 100;

/// [1] The most runs (points × replicates) of one sweep or sensitivity analysis: a
/// million small runs is days of a cluster; more is a mistake in the file.
pub const MAX_RUNS: usize = 1_000_000;

/// Which field of a treatment a factor sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatmentField {
    /// `dose`, in the catalog's dose unit.
    Dose,
    /// `start_days`.
    StartDays,
    /// `stop_days`.
    StopDays,
}

impl TreatmentField {
    const NAMES: [&'static str; 3] = ["dose", "start_days", "stop_days"];

    fn parse(name: &str) -> Option<Self> {
        match name {
            "dose" => Some(Self::Dose),
            "start_days" => Some(Self::StartDays),
            "stop_days" => Some(Self::StopDays),
            _ => None,
        }
    }

    /// The key's name in a `[[treatment]]`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Dose => "dose",
            Self::StartDays => "start_days",
            Self::StopDays => "stop_days",
        }
    }
}

/// What a factor sets in the base scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// `[parameters.<module>] <field> = value`.
    Parameter {
        /// Module, as `vcsim params` lists it.
        module: String,
        /// Field.
        field: String,
    },
    /// `[environment] <key> = value`.
    Environment {
        /// The key (`phosphate_mM`).
        key: String,
    },
    /// A field of the base's `[[treatment]]` of this id (added if the base has none).
    Treatment {
        /// Catalog id.
        id: String,
        /// Which field.
        field: TreatmentField,
    },
}

impl Target {
    /// The factor's default name: `module.field`, the environment key, `id.field`.
    fn default_name(&self) -> String {
        match self {
            Self::Parameter { module, field } => format!("{module}.{field}"),
            Self::Environment { key } => key.clone(),
            Self::Treatment { id, field } => format!("{id}.{}", field.name()),
        }
    }
}

/// One factor of a sweep or sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    /// Its column in the tables (`phosphate_mM`, `upr_core.k_chop`, `tudca.dose`).
    pub name: String,
    /// What it sets.
    pub target: Target,
    /// Unit of its values (as `vcsim params`, the key's suffix or the catalog say).
    pub unit: String,
    /// The values of a grid (empty for a range).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
    /// The range of a sampled design.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Whether the range is sampled uniformly in the logarithm (and drawn on a log axis).
    pub log: bool,
}

impl Factor {
    /// The value at unit coordinate `u` in `[0, 1]` of the range (uniform, or uniform in
    /// the logarithm for a log factor). A factor without a range gives NaN.
    #[must_use]
    pub fn at(&self, u: f64) -> f64 {
        let Some([lo, hi]) = self.range else {
            return f64::NAN;
        };
        if self.log {
            (lo.ln() + u * (hi.ln() - lo.ln())).exp()
        } else {
            lo + u * (hi - lo)
        }
    }

    /// The label of the factor on an axis: its name with its unit.
    #[must_use]
    pub fn label(&self) -> String {
        if self.unit.is_empty() || self.unit == "1" {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.unit)
        }
    }
}

/// One readout: a `timeseries.csv` column at a recorded day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// Its column in the tables: `<column>_day<D>`.
    pub name: String,
    /// The column.
    pub column: Column,
    /// \[days\] When it is read.
    pub day: f64,
}

impl Readout {
    /// The label on an axis: the column's label and the day.
    #[must_use]
    pub fn label(&self) -> String {
        format!("{}, day {}", self.column.summary_label(), self.day)
    }

    /// The readout's value in a run's time course: the row at its day (NaN if the run
    /// has no row there or the value does not exist).
    #[must_use]
    pub fn value(&self, rows: &[TimeseriesRow]) -> f64 {
        rows.iter()
            .find(|row| (row.get(Column::TimeDays) - self.day).abs() <= 1e-6)
            .map_or(f64::NAN, |row| row.get(self.column))
    }
}

/// What every study (sweep or sensitivity analysis) has: a name, the base scenario (with
/// the file's duration, lattice and seed), the replicates, factors and readouts.
#[derive(Clone, Debug)]
pub struct Study {
    /// Name (names the output folder).
    pub name: String,
    /// What it asks (may be empty).
    pub description: String,
    /// The base scenario's path as written in the file.
    pub base_path: String,
    /// The base, validated, with the file's overrides.
    base: ScenarioFile,
    base_text: String,
    base_name: String,
    /// The seed of replicate 0 (and of the design's sampling).
    pub seed: u64,
    /// Replicates per point.
    pub replicates: usize,
    /// The factors.
    pub factors: Vec<Factor>,
    /// The readouts.
    pub readouts: Vec<Readout>,
}

impl Study {
    /// The scenario of one run: the base with every factor set to its value in `point`
    /// and the replicate's seed.
    ///
    /// # Errors
    /// The problems of the combined scenario (each factor's values are checked alone
    /// when the file is read; a combination can still conflict, e.g. a treatment window
    /// that closes before it opens).
    pub fn scenario(&self, point: &[f64], replicate: usize) -> Result<Scenario, ScenarioError> {
        let mut file = self.base.clone();
        for (factor, value) in self.factors.iter().zip(point) {
            apply(&mut file, &factor.target, *value);
        }
        Scenario::from_file(file, &self.base_text, &self.base_name)
            .map(|s| s.with_seed(self.seed.wrapping_add(replicate as u64)))
    }
}

/// The sampling of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "design", rename_all = "snake_case")]
pub enum Design {
    /// Every combination of the factors' values.
    Grid,
    /// A Latin hypercube of `samples` points.
    LatinHypercube {
        /// Points.
        samples: usize,
    },
    /// `samples` points of the Owen-scrambled Sobol sequence.
    Sobol {
        /// Points.
        samples: usize,
    },
}

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Base, factors, readouts, replicates.
    pub study: Study,
    /// How the points were chosen.
    pub design: Design,
    /// The points: each factor's value, in factor order.
    pub points: Vec<Vec<f64>>,
}

/// One run of a sweep or sensitivity analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunIndex {
    /// The design point.
    pub point: usize,
    /// The replicate (0-based; folder `rep<replicate + 1>`).
    pub replicate: usize,
}

/// Every run of `points` design points × `replicates`, point by point.
#[must_use]
pub fn runs(points: usize, replicates: usize) -> Vec<RunIndex> {
    (0..points)
        .flat_map(|point| (0..replicates).map(move |replicate| RunIndex { point, replicate }))
        .collect()
}

/// The folder of a run in the result folder, `runs/p<point>/rep<replicate + 1>` (the
/// point number zero-padded to the width of the largest, at least 4 digits).
#[must_use]
pub fn run_id(run: RunIndex, points: usize) -> String {
    let width = points.saturating_sub(1).to_string().len().max(4);
    format!(
        "runs/p{:0width$}/rep{}",
        run.point,
        run.replicate + 1,
        width = width
    )
}

// ---------------------------------------------------------------------------------------
// Reading the files.

/// `[[factor]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FactorFile {
    name: Option<Spanned<String>>,
    parameter: Option<Spanned<String>>,
    environment: Option<Spanned<String>>,
    treatment: Option<Spanned<String>>,
    field: Option<Spanned<String>>,
    values: Option<Spanned<Vec<Spanned<f64>>>>,
    range: Option<Spanned<Vec<Spanned<f64>>>>,
    scale: Option<Spanned<String>>,
}

/// The keys every study's head table has, as written.
pub(super) struct HeadKeys<'a> {
    /// `sweep` or `sensitivity`: the table's name, for messages.
    pub table: &'static str,
    pub span: Range<usize>,
    pub name: &'a Option<Spanned<String>>,
    pub description: &'a Option<Spanned<String>>,
    pub base: &'a Option<Spanned<String>>,
    pub replicates: &'a Option<Spanned<i64>>,
    pub seed: &'a Option<Spanned<u64>>,
    pub readouts: &'a Option<Spanned<Vec<Spanned<String>>>>,
    pub duration_days: &'a Option<Spanned<f64>>,
    pub axial_sites: &'a Option<Spanned<i64>>,
    pub circumferential_sites: &'a Option<Spanned<i64>>,
}

/// How the factors of a study give their values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FactorForm {
    /// `values = [...]` (a grid).
    Values,
    /// `range = [lo, hi]` (a sampled design).
    Range,
}

/// Collects the problems of a file, each rendered as `file:line:col: key = value: what
/// is allowed`.
pub(super) struct Checker<'t> {
    pub text: &'t str,
    pub origin: &'t str,
    pub problems: Vec<String>,
    pub left_out: Vec<String>,
}

impl Checker<'_> {
    pub fn report(
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

    pub fn missing(&mut self, table: Range<usize>, key: &str) {
        if !self.left_out(key) {
            self.report(
                Some(table),
                key,
                None,
                ProblemKind::MissingKey { when: None },
            );
        }
    }

    /// Whether the parser left out `key` (already reported).
    pub fn left_out(&self, key: &str) -> bool {
        self.left_out.iter().any(|l| without_indices(l) == key)
    }

    /// A whole number of the file in `[min, max]`, as a count.
    pub fn count_in(
        &mut self,
        value: &Spanned<i64>,
        key: &str,
        min: f64,
        max: f64,
    ) -> Option<usize> {
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

    /// A problem at `span` in the words of `message`.
    pub fn at(&mut self, span: Range<usize>, message: &str) {
        let location = Location::at(self.text, span.start);
        self.problems
            .push(format!("{}:{location}: {message}", self.origin));
    }

    pub fn into_error(self) -> StudyError {
        StudyError::Invalid {
            problems: self.problems,
        }
    }
}

/// What the common keys of a study hold, in the reference's words.
pub(super) fn common_type_in_words(table: &str, key_path: &str) -> Option<String> {
    let key = without_indices(key_path);
    let rest = key.strip_prefix(table).and_then(|k| k.strip_prefix('.'));
    let words = match (rest, key.as_str()) {
        (Some("name"), _) => {
            "a string: 1-64 characters from `a-z`, `0-9`, `_` and `-` (it names the output folder)"
                .to_string()
        }
        (Some("description"), _) => "a string".to_string(),
        (Some("base"), _) => {
            "a string: the path of the base scenario file, relative to this file".to_string()
        }
        (Some("replicates"), _) => format!("a whole number in [1, {MAX_REPLICATES}]"),
        (Some("seed"), _) => crate::scenario::file::key_in_words(&r::META_SEED),
        (Some("readouts"), _) => READOUT_FORM.to_string(),
        (Some("duration_days"), _) => crate::scenario::file::key_in_words(&r::TIME_DURATION),
        (Some("axial_sites"), _) => crate::scenario::file::key_in_words(&r::GEOMETRY_AXIAL),
        (Some("circumferential_sites"), _) => {
            crate::scenario::file::key_in_words(&r::GEOMETRY_CIRCUMFERENTIAL)
        }
        (_, "factor") => "`[[factor]]` tables (an array of tables)".to_string(),
        (_, "factor.name") => FACTOR_NAME_FORM.to_string(),
        (_, "factor.parameter") => {
            "a string: `module.field`, a parameter as `vcsim params` lists it".to_string()
        }
        (_, "factor.environment") => {
            "a string: an `[environment]` key of a scenario, e.g. `phosphate_mM`".to_string()
        }
        (_, "factor.treatment") => "a string: a treatment id of `vcsim catalog`".to_string(),
        (_, "factor.field") => "a string: `dose`, `start_days` or `stop_days`".to_string(),
        (_, "factor.values") => "an array of numbers".to_string(),
        (_, "factor.range") => "an array of two numbers, `[lo, hi]` with lo < hi".to_string(),
        (_, "factor.scale") => "a string: `linear` or `log`".to_string(),
        _ => return None,
    };
    Some(words)
}

/// The form of a readout.
const READOUT_FORM: &str = "an array of strings, each a `timeseries.csv` column with an optional `@DAY` (`calcium_ug_per_mg_protein@14`; without a day, the end of the run)";

/// The allowed form of a factor's name.
const FACTOR_NAME_FORM: &str =
    "a string: 1-64 characters from `A-Z`, `a-z`, `0-9`, `_`, `.` and `-` (a column of the tables)";

/// The `[environment]` keys a factor may set.
pub const ENVIRONMENT_KEYS: [&str; 14] = [
    "calcium_mM",
    "phosphate_mM",
    "pyrophosphate_uM",
    "beta_glycerophosphate_mM",
    "fetuin_a_uM",
    "glucose_mM",
    "tnf_alpha",
    "il1_beta",
    "il6",
    "lps",
    "ros",
    "rage",
    "bmp2",
    "medium_change_every_days",
];

/// The slot of an `[environment]` key.
fn environment_slot<'e>(
    environment: &'e mut EnvironmentFile,
    key: &str,
) -> Option<&'e mut Option<Spanned<f64>>> {
    Some(match key {
        "calcium_mM" => &mut environment.calcium_mm,
        "phosphate_mM" => &mut environment.phosphate_mm,
        "pyrophosphate_uM" => &mut environment.pyrophosphate_um,
        "beta_glycerophosphate_mM" => &mut environment.beta_glycerophosphate_mm,
        "fetuin_a_uM" => &mut environment.fetuin_a_um,
        "glucose_mM" => &mut environment.glucose_mm,
        "tnf_alpha" => &mut environment.tnf_alpha,
        "il1_beta" => &mut environment.il1_beta,
        "il6" => &mut environment.il6,
        "lps" => &mut environment.lps,
        "ros" => &mut environment.ros,
        "rage" => &mut environment.rage,
        "bmp2" => &mut environment.bmp2,
        "medium_change_every_days" => &mut environment.medium_change_every_days,
        _ => return None,
    })
}

/// The unit of an environment key: its suffix (`_mM`, `_uM`, `_days`); the signals are
/// dimensionless.
fn environment_unit(key: &str) -> &'static str {
    if key.ends_with("_mM") {
        "mM"
    } else if key.ends_with("_uM") {
        "µM"
    } else if key.ends_with("_days") {
        "days"
    } else {
        ""
    }
}

/// Sets `target` to `value` in `file`, as an experiment arm's conditions are laid over
/// its base: a parameter or environment key replaces the base's; a treatment field is set
/// on the base's treatment of that id, or on a new treatment of that id if the base has
/// none.
fn apply(file: &mut ScenarioFile, target: &Target, value: f64) {
    match target {
        Target::Parameter { module, field } => {
            let mut fields = BTreeMap::new();
            fields.insert(set_by_code(field.clone()), set_by_code(value));
            let mut modules: ParameterTables = BTreeMap::new();
            modules.insert(set_by_code(module.clone()), fields);
            file.overlay(Conditions {
                parameters: Some(modules),
                ..Conditions::default()
            });
        }
        Target::Environment { key } => {
            let mut environment = EnvironmentFile::default();
            if let Some(slot) = environment_slot(&mut environment, key) {
                *slot = Some(set_by_code(value));
            }
            file.overlay(Conditions {
                environment: Some(set_by_code(environment)),
                ..Conditions::default()
            });
        }
        Target::Treatment { id, field } => {
            let treatments = file.treatment.get_or_insert_with(Vec::new);
            let index = treatments
                .iter()
                .position(|t| t.get_ref().id.as_ref().is_some_and(|i| i.get_ref() == id));
            let index = index.unwrap_or_else(|| {
                treatments.push(set_by_code(TreatmentFile {
                    id: Some(set_by_code(id.clone())),
                    ..TreatmentFile::default()
                }));
                treatments.len() - 1
            });
            let treatment = treatments[index].get_mut();
            let slot = match field {
                TreatmentField::Dose => &mut treatment.dose,
                TreatmentField::StartDays => &mut treatment.start_days,
                TreatmentField::StopDays => &mut treatment.stop_days,
            };
            *slot = Some(set_by_code(value));
        }
    }
}

/// Reads a study's file (sweep or sensitivity) and its base; `parse` checks the text.
pub(super) fn load_file<T>(
    path: &Path,
    parse: impl FnOnce(&str, &str, &BaseReader<'_>) -> Result<T, StudyError>,
) -> Result<T, StudyError> {
    let origin = path.display().to_string();
    let text = read_text(path).map_err(|error| match error {
        ScenarioError::Io { path, source } => StudyError::Io { path, source },
        ScenarioError::Invalid { .. } => StudyError::Invalid {
            problems: error.to_string().lines().map(str::to_string).collect(),
        },
    })?;
    let folder = path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .to_path_buf();
    parse(&text, &origin, &|base: &Path| {
        let base_path = folder.join(base);
        read_text(&base_path)
            .map(|text| (text, base_path.display().to_string()))
            .map_err(|error| match error {
                ScenarioError::Io { .. } => StudyError::BaseIo(error),
                ScenarioError::Invalid { .. } => StudyError::Invalid {
                    problems: error.to_string().lines().map(str::to_string).collect(),
                },
            })
    })
}

/// The raw file of a study parsed with [`parse_all`], its problems in `check`.
pub(super) fn parse_raw<T: serde::de::DeserializeOwned>(
    text: &str,
    check: &mut Checker<'_>,
    type_in_words: &dyn Fn(&str) -> Option<String>,
) -> Option<T> {
    let parsed = parse_all::<T>(text, type_in_words);
    check
        .problems
        .extend(parsed.problems.iter().map(|p| render_one(check.origin, p)));
    check.left_out = parsed.left_out;
    parsed.value
}

/// Checks the common keys and the factors of a study and reads its base. Returns `None`
/// when a problem was found (all of them are in `check`).
pub(super) fn study(
    head: &HeadKeys<'_>,
    factor_files: Option<&Vec<Spanned<FactorFile>>>,
    form: FactorForm,
    check: &mut Checker<'_>,
    read_base: &BaseReader<'_>,
) -> Result<Option<Study>, StudyError> {
    let table = head.table;
    let key = |k: &str| format!("{table}.{k}");
    let name = match head.name {
        Some(name) => {
            if !is_valid_name(name.get_ref()) {
                let kind = ProblemKind::BadForm {
                    expected: "1-64 characters from `a-z`, `0-9`, `_` and `-` (it names the output folder)",
                };
                check.report(
                    Some(name.span()),
                    &key("name"),
                    Some(Value::from(name.get_ref())),
                    kind,
                );
            }
            name.get_ref().clone()
        }
        None => {
            check.missing(head.span.clone(), &key("name"));
            String::new()
        }
    };
    let description = head
        .description
        .as_ref()
        .map(|d| d.get_ref().clone())
        .unwrap_or_default();
    let replicates = head.replicates.as_ref().map_or(Some(1), |v| {
        check.count_in(v, &key("replicates"), 1.0, MAX_REPLICATES as f64)
    });
    let mut overrides_valid = true;
    if let Some(days) = head.duration_days
        && let Some(allowed) = r::TIME_DURATION.bounds()
        && !allowed.contains(*days.get_ref())
    {
        overrides_valid = false;
        let kind = ProblemKind::OutOfRange {
            allowed,
            unit: r::TIME_DURATION.unit,
        };
        check.report(
            Some(days.span()),
            &key("duration_days"),
            Some(Value::Number(*days.get_ref())),
            kind,
        );
    }
    for (sites, k, reference) in [
        (head.axial_sites, "axial_sites", &r::GEOMETRY_AXIAL),
        (
            head.circumferential_sites,
            "circumferential_sites",
            &r::GEOMETRY_CIRCUMFERENTIAL,
        ),
    ] {
        if let (Some(sites), Some(allowed)) = (sites, reference.bounds())
            && check
                .count_in(sites, &key(k), allowed.min, allowed.max)
                .is_none()
        {
            overrides_valid = false;
        }
    }
    let factors_raw: Vec<(Range<usize>, Option<Factor>, &FactorFile)> = factor_files
        .into_iter()
        .flatten()
        .map(|f| (f.span(), factor(f, form, check), f.get_ref()))
        .collect();
    if factors_raw.is_empty() && !check.left_out("factor") {
        check.problems.push(format!(
            "{}: at least one [[factor]] is required",
            check.origin
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for (span, factor, raw) in &factors_raw {
        if let Some(f) = factor {
            if names.contains(&f.name.as_str()) {
                let place = raw.name.as_ref().map_or(span.clone(), Spanned::span);
                check.at(
                    place,
                    &format!(
                        "factor {:?}: another factor has this name (a factor is a column of the tables; name them apart with `name = \"...\"`)",
                        f.name
                    ),
                );
            }
            names.push(&f.name);
        }
    }
    // The base: read, then checked alone, so that its problems are reported once.
    let Some(base) = head.base else {
        check.missing(head.span.clone(), &key("base"));
        return Ok(None);
    };
    let (base_text, base_name) = match read_base(Path::new(base.get_ref())) {
        Ok(found) => found,
        Err(error) if check.problems.is_empty() => return Err(error),
        Err(error) => {
            check.problems.push(error.to_string());
            return Ok(None);
        }
    };
    let base_scenario = match Scenario::from_toml(&base_text, &base_name) {
        Ok(scenario) => scenario,
        Err(error) => {
            check
                .problems
                .extend(error.to_string().lines().map(str::to_string));
            return Ok(None);
        }
    };
    let mut shared = base_scenario.file().clone();
    if overrides_valid {
        if let Some(days) = head.duration_days {
            shared.set_duration_days(*days.get_ref());
        }
        if let Some(sites) = head.axial_sites {
            shared.geometry_mut().axial_sites = Some(set_by_code(*sites.get_ref()));
        }
        if let Some(sites) = head.circumferential_sites {
            shared.geometry_mut().circumferential_sites = Some(set_by_code(*sites.get_ref()));
        }
    }
    let shared_scenario = match Scenario::from_file(shared.clone(), &base_text, &base_name) {
        Ok(scenario) => scenario,
        Err(error) => {
            for line in error.to_string().lines() {
                check.problems.push(format!(
                    "{}: with the file's duration and lattice, {line}",
                    check.origin
                ));
            }
            return Ok(None);
        }
    };
    let seed = head
        .seed
        .as_ref()
        .map_or(shared_scenario.meta.seed, |s| *s.get_ref());
    let readouts = readouts(head, &shared_scenario, check);
    // Each factor's values, each alone on the base.
    let mut factors = Vec::new();
    for (_, factor, raw) in &factors_raw {
        let Some(factor) = factor else { continue };
        let mut places: Vec<(f64, Range<usize>)> = Vec::new();
        if let Some(values) = &raw.values {
            places.extend(values.get_ref().iter().map(|v| (*v.get_ref(), v.span())));
        }
        if let Some(range) = &raw.range {
            places.extend(range.get_ref().iter().map(|v| (*v.get_ref(), v.span())));
        }
        let mut valid = true;
        for (value, span) in places {
            let mut file = shared.clone();
            apply(&mut file, &factor.target, value);
            if let Err(error) = Scenario::from_file(file, &base_text, &base_name) {
                valid = false;
                for problem in error.problems() {
                    let text = match problem.location {
                        // A problem of the base's own keys that this value brings out.
                        Some(location) => format!("{problem} (at {base_name}:{location})"),
                        None => problem.to_string(),
                    };
                    check.at(
                        span.clone(),
                        &format!("factor {:?} = {value}: {text}", factor.name),
                    );
                }
                break;
            }
        }
        if valid {
            let mut factor = factor.clone();
            if factor.unit.is_empty() {
                factor.unit = unit_of(&factor.target, &shared_scenario);
            }
            factors.push(factor);
        }
    }
    if !check.problems.is_empty() {
        return Ok(None);
    }
    let (Some(replicates), Some(readouts)) = (replicates, readouts) else {
        return Ok(None);
    };
    Ok(Some(Study {
        name,
        description,
        base_path: base.get_ref().clone(),
        base: shared,
        base_text,
        base_name,
        seed,
        replicates,
        factors,
        readouts,
    }))
}

/// The unit of a factor's values.
fn unit_of(target: &Target, base: &Scenario) -> String {
    match target {
        Target::Parameter { module, field } => base
            .params
            .rows()
            .iter()
            .find(|row| row.module == module && row.field == field)
            .map(|row| row.unit.to_string())
            .unwrap_or_default(),
        Target::Environment { key } => environment_unit(key).to_string(),
        Target::Treatment { id, field } => match field {
            TreatmentField::Dose => crate::treatment::find(id)
                .map(|e| e.dose_unit.to_string())
                .unwrap_or_default(),
            TreatmentField::StartDays | TreatmentField::StopDays => "days".to_string(),
        },
    }
}

/// Checks one `[[factor]]`; `None` (with its problems in `check`) if it is not valid.
fn factor(
    spanned: &Spanned<FactorFile>,
    form: FactorForm,
    check: &mut Checker<'_>,
) -> Option<Factor> {
    let table = spanned.span();
    let f = spanned.get_ref();
    let given: Vec<&Spanned<String>> = [&f.parameter, &f.environment, &f.treatment]
        .into_iter()
        .flatten()
        .collect();
    if given.len() != 1 {
        if given.len() > 1
            || !["factor.parameter", "factor.environment", "factor.treatment"]
                .iter()
                .any(|k| check.left_out(k))
        {
            check.at(
                table,
                "[[factor]]: exactly one of `parameter`, `environment` or `treatment` is required (what the factor sets)",
            );
        }
        return None;
    }
    let mut valid = true;
    let target = if let Some(parameter) = &f.parameter {
        let Some((module, field)) = parameter.get_ref().split_once('.') else {
            let kind = ProblemKind::BadForm {
                expected: "`module.field`, a parameter as `vcsim params` lists it",
            };
            check.report(
                Some(parameter.span()),
                "factor.parameter",
                Some(Value::from(parameter.get_ref())),
                kind,
            );
            return None;
        };
        Target::Parameter {
            module: module.to_string(),
            field: field.to_string(),
        }
    } else if let Some(environment) = &f.environment {
        let key = environment.get_ref();
        if !ENVIRONMENT_KEYS.contains(&key.as_str()) {
            let kind = ProblemKind::UnknownName {
                what: "environment key",
                expected: ENVIRONMENT_KEYS.to_vec(),
                suggestion: crate::model::parameters::DidYouMean(
                    crate::model::parameters::closest(key, ENVIRONMENT_KEYS),
                ),
            };
            check.report(
                Some(environment.span()),
                "factor.environment",
                Some(Value::from(key)),
                kind,
            );
            return None;
        }
        Target::Environment { key: key.clone() }
    } else {
        let id = f.treatment.as_ref()?;
        let Some(field) = &f.field else {
            if !check.left_out("factor.field") {
                check.at(
                    table,
                    "factor.field: required key is missing (a treatment factor sets `dose`, `start_days` or `stop_days`)",
                );
            }
            return None;
        };
        let Some(which) = TreatmentField::parse(field.get_ref()) else {
            let kind = ProblemKind::UnknownName {
                what: "treatment field",
                expected: TreatmentField::NAMES.to_vec(),
                suggestion: crate::model::parameters::DidYouMean(
                    crate::model::parameters::closest(field.get_ref(), TreatmentField::NAMES),
                ),
            };
            check.report(
                Some(field.span()),
                "factor.field",
                Some(Value::from(field.get_ref())),
                kind,
            );
            return None;
        };
        Target::Treatment {
            id: id.get_ref().clone(),
            field: which,
        }
    };
    if f.field.is_some()
        && f.treatment.is_none()
        && let Some(field) = &f.field
    {
        check.at(
            field.span(),
            "factor.field: only a treatment factor has a field (a parameter or environment factor names its key itself)",
        );
        valid = false;
    }
    let name = match &f.name {
        Some(name) => {
            let n = name.get_ref();
            let ok = (1..=64).contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
            if !ok {
                let kind = ProblemKind::BadForm {
                    expected: "1-64 characters from `A-Z`, `a-z`, `0-9`, `_`, `.` and `-` (a column of the tables)",
                };
                check.report(Some(name.span()), "factor.name", Some(Value::from(n)), kind);
                valid = false;
            }
            n.clone()
        }
        None => target.default_name(),
    };
    let log = match &f.scale {
        None => false,
        Some(scale) => match scale.get_ref().as_str() {
            "linear" => false,
            "log" => true,
            other => {
                let kind = ProblemKind::UnknownName {
                    what: "scale",
                    expected: vec!["linear", "log"],
                    suggestion: crate::model::parameters::DidYouMean(
                        crate::model::parameters::closest(other, ["linear", "log"]),
                    ),
                };
                check.report(
                    Some(scale.span()),
                    "factor.scale",
                    Some(Value::from(other)),
                    kind,
                );
                valid = false;
                false
            }
        },
    };
    let mut values = Vec::new();
    let mut range = None;
    match form {
        FactorForm::Values => {
            if let Some(r) = &f.range {
                check.at(
                    r.span(),
                    &format!(
                        "factor {name:?}: range = [...]: a grid takes `values = [...]`; a range is for design = \"latin_hypercube\" or \"sobol\""
                    ),
                );
                valid = false;
            }
            match &f.values {
                None => {
                    if f.range.is_none() && !check.left_out("factor.values") {
                        check.at(table.clone(), &format!("factor {name:?}: factor.values: required key is missing (the grid's values of the factor)"));
                    }
                    valid = false;
                }
                Some(v) => {
                    values = v.get_ref().iter().map(|x| *x.get_ref()).collect();
                    let bad = values.is_empty()
                        || values.iter().any(|x| !x.is_finite())
                        || values.windows(2).any(|w| w[1] <= w[0])
                        || (log && values.iter().any(|x| *x <= 0.0));
                    if bad {
                        let expected = if log {
                            "at least one number, each > 0 (scale = \"log\"), increasing"
                        } else {
                            "at least one finite number, increasing"
                        };
                        check.report(
                            Some(v.span()),
                            "factor.values",
                            Some(Value::Literal(format!("{values:?}"))),
                            ProblemKind::BadForm { expected },
                        );
                        valid = false;
                    }
                }
            }
        }
        FactorForm::Range => {
            if let Some(v) = &f.values {
                check.at(
                    v.span(),
                    &format!(
                        "factor {name:?}: values = [...]: a sampled design takes `range = [lo, hi]`; values are for design = \"grid\""
                    ),
                );
                valid = false;
            }
            match &f.range {
                None => {
                    if f.values.is_none() && !check.left_out("factor.range") {
                        check.at(table.clone(), &format!("factor {name:?}: factor.range: required key is missing (`range = [lo, hi]`)"));
                    }
                    valid = false;
                }
                Some(v) => {
                    let r: Vec<f64> = v.get_ref().iter().map(|x| *x.get_ref()).collect();
                    let ok = r.len() == 2
                        && r.iter().all(|x| x.is_finite())
                        && r[0] < r[1]
                        && (!log || r[0] > 0.0);
                    if ok {
                        range = Some([r[0], r[1]]);
                    } else {
                        let expected = if log {
                            "two numbers `[lo, hi]` with 0 < lo < hi (scale = \"log\")"
                        } else {
                            "two finite numbers `[lo, hi]` with lo < hi"
                        };
                        check.report(
                            Some(v.span()),
                            "factor.range",
                            Some(Value::Literal(format!("{r:?}"))),
                            ProblemKind::BadForm { expected },
                        );
                        valid = false;
                    }
                }
            }
        }
    }
    valid.then_some(Factor {
        name,
        target,
        unit: String::new(),
        values,
        range,
        log,
    })
}

/// Checks the readouts against the base (a recorded column at a recorded day).
fn readouts(head: &HeadKeys<'_>, base: &Scenario, check: &mut Checker<'_>) -> Option<Vec<Readout>> {
    let key = format!("{}.readouts", head.table);
    let Some(list) = head.readouts else {
        check.missing(head.span.clone(), &key);
        return None;
    };
    if list.get_ref().is_empty() {
        check.report(
            Some(list.span()),
            &key,
            Some(Value::Literal("[]".to_string())),
            ProblemKind::BadForm {
                expected: "at least one readout",
            },
        );
        return None;
    }
    let end_days = base.time.duration_min / 1440.0;
    let every_min = base.record.every_min;
    let mut found = Vec::new();
    let mut valid = true;
    for item in list.get_ref() {
        let text = item.get_ref().trim();
        let (column_name, day_text) = match text.split_once('@') {
            Some((c, d)) => (c.trim(), Some(d.trim())),
            None => (text, None),
        };
        let Ok(column) = Column::from_name(column_name) else {
            let names: Vec<&str> = Column::ALL
                .iter()
                .filter(|c| !matches!(c, Column::TimeH | Column::TimeDays))
                .map(|c| c.name())
                .collect();
            let kind = ProblemKind::UnknownName {
                what: "timeseries.csv column (see docs/outputs.md)",
                expected: Vec::new(),
                suggestion: crate::model::parameters::DidYouMean(
                    crate::model::parameters::closest(column_name, names),
                ),
            };
            check.report(
                Some(item.span()),
                &key,
                Some(Value::from(item.get_ref())),
                kind,
            );
            valid = false;
            continue;
        };
        if matches!(column, Column::TimeH | Column::TimeDays) {
            check.report(
                Some(item.span()),
                &key,
                Some(Value::from(item.get_ref())),
                ProblemKind::BadForm {
                    expected: "a readout, not the time",
                },
            );
            valid = false;
            continue;
        }
        let day = match day_text {
            None => end_days,
            Some(d) => match d.parse::<f64>() {
                Ok(day) if day.is_finite() && day >= 0.0 => day,
                _ => {
                    check.report(
                        Some(item.span()),
                        &key,
                        Some(Value::from(item.get_ref())),
                        ProblemKind::BadForm {
                            expected: READOUT_FORM,
                        },
                    );
                    valid = false;
                    continue;
                }
            },
        };
        let minute = day * 1440.0;
        let steps = minute / every_min;
        let recorded = (minute - base.time.duration_min).abs() < 1e-6
            || (minute <= base.time.duration_min + 1e-6 && (steps - steps.round()).abs() < 1e-6);
        if !recorded {
            check.at(
                item.span(),
                &format!(
                    "{key} = {:?}: day {day} is not a recorded time of the base ({} records every {} h up to day {}); choose a multiple of the record interval or the end",
                    item.get_ref(),
                    head.base.as_ref().map_or("the base", |b| b.get_ref().as_str()),
                    every_min / 60.0,
                    end_days
                ),
            );
            valid = false;
            continue;
        }
        let name = format!("{}_day{}", column.name(), day);
        if found.iter().any(|r: &Readout| r.name == name) {
            check.report(
                Some(item.span()),
                &key,
                Some(Value::from(item.get_ref())),
                ProblemKind::Duplicate,
            );
            valid = false;
            continue;
        }
        found.push(Readout { name, column, day });
    }
    valid.then_some(found)
}

// ---------------------------------------------------------------------------------------
// The sweep file.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    sweep: Option<Spanned<SweepMeta>>,
    factor: Option<Vec<Spanned<FactorFile>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepMeta {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    base: Option<Spanned<String>>,
    design: Option<Spanned<String>>,
    samples: Option<Spanned<i64>>,
    replicates: Option<Spanned<i64>>,
    seed: Option<Spanned<u64>>,
    readouts: Option<Spanned<Vec<Spanned<String>>>>,
    duration_days: Option<Spanned<f64>>,
    axial_sites: Option<Spanned<i64>>,
    circumferential_sites: Option<Spanned<i64>>,
}

fn sweep_type_in_words(key_path: &str) -> Option<String> {
    let key = without_indices(key_path);
    match key.as_str() {
        "sweep" => Some("a table `[sweep]`".to_string()),
        "sweep.design" => Some("a string: `grid`, `latin_hypercube` or `sobol`".to_string()),
        "sweep.samples" => Some(format!(
            "a whole number in [1, {}]: the points of a sampled design",
            crate::sensitivity::design::MAX_SOBOL_POINTS
        )),
        _ => common_type_in_words("sweep", key_path),
    }
}

/// The designs of a sweep.
const DESIGNS: [&str; 3] = ["grid", "latin_hypercube", "sobol"];

impl Sweep {
    /// Loads and validates a sweep file and its base scenario.
    ///
    /// # Errors
    /// I/O errors (`Io`, `BaseIo`) and every content problem found (`Invalid`).
    pub fn load(path: &Path) -> Result<Self, StudyError> {
        load_file(path, |text, origin, read_base| {
            Self::parse(text, origin, read_base)
        })
    }

    /// Validates a sweep given as text; `origin` names it in messages, `read_base` returns
    /// the text and display name of the base scenario it names.
    ///
    /// # Errors
    /// Errors of `read_base`, and every content problem found (`Invalid`).
    pub fn parse(text: &str, origin: &str, read_base: &BaseReader<'_>) -> Result<Self, StudyError> {
        let mut check = Checker {
            text,
            origin,
            problems: Vec::new(),
            left_out: Vec::new(),
        };
        let Some(file) = parse_raw::<SweepFile>(text, &mut check, &sweep_type_in_words) else {
            return Err(check.into_error());
        };
        let Some(meta) = &file.sweep else {
            if !check.left_out("sweep") {
                check.report(None, "sweep", None, ProblemKind::MissingTable);
            }
            return Err(check.into_error());
        };
        let span = meta.span();
        let meta = meta.get_ref();
        let design_name = meta
            .design
            .as_ref()
            .map_or("grid", |d| d.get_ref().as_str());
        // An unknown design is reported once; its factors are checked as the file wrote
        // them (values for a grid unless it asks for samples).
        let grid_like = !DESIGNS.contains(&design_name) && meta.samples.is_none();
        let form = if design_name == "grid" || grid_like {
            FactorForm::Values
        } else {
            FactorForm::Range
        };
        let mut design_valid = true;
        if !DESIGNS.contains(&design_name) {
            design_valid = false;
            if let Some(design) = &meta.design {
                let kind = ProblemKind::UnknownName {
                    what: "design",
                    expected: DESIGNS.to_vec(),
                    suggestion: crate::model::parameters::DidYouMean(
                        crate::model::parameters::closest(design_name, DESIGNS),
                    ),
                };
                check.report(
                    Some(design.span()),
                    "sweep.design",
                    Some(Value::from(design_name)),
                    kind,
                );
            }
        }
        let max_points = crate::sensitivity::design::MAX_SOBOL_POINTS;
        let samples = match (&meta.samples, form) {
            (Some(s), FactorForm::Values) => {
                check.at(s.span(), "sweep.samples: a grid has the points of its values; `samples` is for design = \"latin_hypercube\" or \"sobol\"");
                design_valid = false;
                None
            }
            (Some(s), FactorForm::Range) => {
                let max = if design_name == "sobol" {
                    max_points
                } else {
                    MAX_RUNS
                };
                let n = check.count_in(s, "sweep.samples", 1.0, max as f64);
                design_valid &= n.is_some();
                n
            }
            (None, FactorForm::Range) => {
                if design_valid {
                    check.missing(span.clone(), "sweep.samples");
                }
                design_valid = false;
                None
            }
            (None, FactorForm::Values) => None,
        };
        let head = HeadKeys {
            table: "sweep",
            span: span.clone(),
            name: &meta.name,
            description: &meta.description,
            base: &meta.base,
            replicates: &meta.replicates,
            seed: &meta.seed,
            readouts: &meta.readouts,
            duration_days: &meta.duration_days,
            axial_sites: &meta.axial_sites,
            circumferential_sites: &meta.circumferential_sites,
        };
        let study = study(&head, file.factor.as_ref(), form, &mut check, read_base)?;
        let (Some(study), true) = (study, design_valid) else {
            return Err(check.into_error());
        };
        let k = study.factors.len();
        let design_error = |e: DesignError| format!("{origin}: sweep: {e}");
        let (design, points) = match (design_name, samples) {
            ("latin_hypercube", Some(n)) => {
                let unit = latin_hypercube(n, k, study.seed).map_err(|e| StudyError::Invalid {
                    problems: vec![design_error(e)],
                })?;
                (
                    Design::LatinHypercube { samples: n },
                    to_values(&study.factors, &unit),
                )
            }
            ("sobol", Some(n)) => {
                let unit = sobol_points(n, k, study.seed).map_err(|e| StudyError::Invalid {
                    problems: vec![design_error(e)],
                })?;
                (
                    Design::Sobol { samples: n },
                    to_values(&study.factors, &unit),
                )
            }
            _ => {
                let count = study
                    .factors
                    .iter()
                    .try_fold(1_usize, |n, f| n.checked_mul(f.values.len()));
                match count {
                    Some(n) if n.saturating_mul(study.replicates) <= MAX_RUNS => {}
                    _ => {
                        return Err(StudyError::Invalid {
                            problems: vec![format!(
                                "{origin}: the grid has {} points x {} replicates, more than the {MAX_RUNS} runs a sweep may have",
                                count.map_or_else(|| "too many".to_string(), |n| n.to_string()),
                                study.replicates
                            )],
                        });
                    }
                }
                (Design::Grid, grid(&study.factors))
            }
        };
        if points.len().saturating_mul(study.replicates) > MAX_RUNS {
            return Err(StudyError::Invalid {
                problems: vec![format!(
                    "{origin}: {} points x {} replicates is more than the {MAX_RUNS} runs a sweep may have",
                    points.len(),
                    study.replicates
                )],
            });
        }
        Ok(Self {
            study,
            design,
            points,
        })
    }

    /// Every run, point by point.
    #[must_use]
    pub fn runs(&self) -> Vec<RunIndex> {
        runs(self.points.len(), self.study.replicates)
    }

    /// The scenario of a run.
    ///
    /// # Errors
    /// As [`Study::scenario`].
    pub fn scenario(&self, run: RunIndex) -> Result<Scenario, ScenarioError> {
        self.study.scenario(&self.points[run.point], run.replicate)
    }
}

/// Unit-cube points mapped onto the factors' ranges.
#[must_use]
pub fn to_values(factors: &[Factor], unit: &[Vec<f64>]) -> Vec<Vec<f64>> {
    unit.iter()
        .map(|u| factors.iter().zip(u).map(|(f, x)| f.at(*x)).collect())
        .collect()
}

/// Every combination of the factors' values, the first factor slowest.
fn grid(factors: &[Factor]) -> Vec<Vec<f64>> {
    factors.iter().fold(vec![Vec::new()], |points, factor| {
        points
            .iter()
            .flat_map(|p| {
                factor.values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(*v);
                    q
                })
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------------------
// The table of runs.

/// A number of a table: Rust's shortest round-trip form; a value that does not exist
/// (NaN) is an empty field (docs/outputs.md).
fn field(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else {
        format!("{value}")
    }
}

/// Writes the header of the table of runs: `run,point,replicate,seed`, each factor's
/// name, each readout's name.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_table_header(out: &mut dyn Write, study: &Study) -> io::Result<()> {
    let mut names = vec![
        "run".to_string(),
        "point".into(),
        "replicate".into(),
        "seed".into(),
    ];
    names.extend(study.factors.iter().map(|f| f.name.clone()));
    names.extend(study.readouts.iter().map(|r| r.name.clone()));
    writeln!(out, "{}", names.join(","))
}

/// Writes one run's row of the table of runs (`replicate` from 1).
///
/// # Errors
/// I/O errors of the writer.
pub fn write_table_row(
    out: &mut dyn Write,
    study: &Study,
    id: &str,
    run: RunIndex,
    point: &[f64],
    readouts: &[f64],
) -> io::Result<()> {
    let mut fields = vec![
        id.to_string(),
        run.point.to_string(),
        (run.replicate + 1).to_string(),
        study.seed.wrapping_add(run.replicate as u64).to_string(),
    ];
    fields.extend(point.iter().map(|v| field(*v)));
    fields.extend(readouts.iter().map(|v| field(*v)));
    writeln!(out, "{}", fields.join(","))
}

/// `sweep.json`: what was run, for reproducing it.
#[derive(Debug, Serialize)]
pub struct SweepManifest<'a> {
    /// The sweep's name.
    pub sweep: &'a str,
    /// Its description.
    pub description: &'a str,
    /// The base scenario as the file names it.
    pub base: &'a str,
    /// The design.
    pub design: Design,
    /// Replicates per point.
    pub replicates: usize,
    /// Seed of replicate 0 and of the sampling.
    pub seed: u64,
    /// The factors.
    pub factors: &'a [Factor],
    /// The readouts.
    pub readouts: &'a [Readout],
    /// Every point: the factors' values in factor order.
    pub points: &'a [Vec<f64>],
    /// The vcsim version that ran it.
    pub vcsim_version: &'static str,
}

impl Sweep {
    /// Its `sweep.json`.
    #[must_use]
    pub fn manifest(&self) -> SweepManifest<'_> {
        SweepManifest {
            sweep: &self.study.name,
            description: &self.study.description,
            base: &self.study.base_path,
            design: self.design,
            replicates: self.study.replicates,
            seed: self.study.seed,
            factors: &self.study.factors,
            readouts: &self.study.readouts,
            points: &self.points,
            vcsim_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[meta]\nname = \"b\"\ndescription = \"d\"\n[geometry]\n\
        mode = \"in_vitro\"\naxial_sites = 2\ncircumferential_sites = 2\n[time]\n\
        duration_days = 2\n[record]\nevery_h = 12\n";

    fn parse(text: &str) -> Result<Sweep, StudyError> {
        Sweep::parse(text, "s.toml", &|_: &Path| {
            Ok((BASE.to_string(), "b.toml".to_string()))
        })
    }

    fn problems(text: &str) -> Vec<String> {
        match parse(text) {
            Err(StudyError::Invalid { problems }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    const HEAD: &str = "[sweep]\nname = \"s\"\nbase = \"b.toml\"\nreadouts = [\"chop_mean@1\", \"calcium_ug_per_mg_protein\"]\n";

    #[test]
    fn a_grid_is_every_combination_with_the_first_factor_slowest() {
        let text = format!(
            "{HEAD}replicates = 2\n[[factor]]\nenvironment = \"phosphate_mM\"\nvalues = [1, 2]\n\
             [[factor]]\ntreatment = \"tudca\"\nfield = \"dose\"\nvalues = [0, 0.5, 1]\n"
        );
        let sweep = parse(&text).expect("valid");
        assert_eq!(sweep.points.len(), 6);
        assert_eq!(sweep.points[0], [1.0, 0.0]);
        assert_eq!(sweep.points[1], [1.0, 0.5]);
        assert_eq!(sweep.points[5], [2.0, 1.0]);
        assert_eq!(sweep.runs().len(), 12);
        assert_eq!(sweep.study.factors[1].name, "tudca.dose");
        assert_eq!(sweep.study.factors[0].unit, "mM");
        assert_eq!(sweep.study.readouts[0].name, "chop_mean_day1");
        assert_eq!(
            sweep.study.readouts[1].name,
            "calcium_ug_per_mg_protein_day2"
        );
        // The values reach the scenario, and replicates get their seeds.
        let run = RunIndex {
            point: 5,
            replicate: 1,
        };
        let scenario = sweep.scenario(run).expect("valid run");
        assert!((scenario.environment.medium.fluid.phosphate - 2.0).abs() < 1e-12);
        assert_eq!(scenario.treatments.len(), 1);
        assert_eq!(scenario.meta.seed, sweep.study.seed + 1);
        assert_eq!(run_id(run, 6), "runs/p0005/rep2");
    }

    #[test]
    fn sampled_designs_stay_in_their_ranges_and_log_factors_sample_the_logarithm() {
        let text = format!(
            "{HEAD}design = \"latin_hypercube\"\nsamples = 50\n[[factor]]\nparameter = \"autophagy.erphagy_clearance_rate\"\nrange = [0.01, 1.0]\nscale = \"log\"\n"
        );
        let sweep = parse(&text).expect("valid");
        assert_eq!(sweep.points.len(), 50);
        let below = sweep.points.iter().filter(|p| p[0] < 0.1).count();
        // Half the strata of the logarithm lie below 0.1: 25 of 50 points.
        assert_eq!(below, 25);
        assert!(sweep.points.iter().all(|p| (0.01..=1.0).contains(&p[0])));
        let scenario = sweep
            .scenario(RunIndex {
                point: 3,
                replicate: 0,
            })
            .expect("valid");
        assert!(
            (scenario.params.cell.autophagy.erphagy_clearance_rate - sweep.points[3][0]).abs()
                < 1e-12
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_line_with_its_key() {
        let text = format!(
            "{HEAD}design = \"grd\"\n[[factor]]\nenvironment = \"phosphate_mm\"\nvalues = [1]\n\
             [[factor]]\nparameter = \"upr_core\"\nvalues = [1]\n"
        );
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p
                .starts_with("s.toml:5:10: sweep.design = \"grd\": unknown design")
                && p.contains("did you mean `grid`")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p
                .starts_with("s.toml:7:15: factor.environment = \"phosphate_mm\"")
                && p.contains("did you mean `phosphate_mM`")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.starts_with(
                "s.toml:10:13: factor.parameter = \"upr_core\": must be `module.field`"
            )),
            "{found:?}"
        );
    }

    #[test]
    fn a_value_the_scenario_refuses_is_reported_at_the_value() {
        let text = format!(
            "{HEAD}[[factor]]\nenvironment = \"glucose_mM\"\nvalues = [5, 500]\n\
             [[factor]]\nparameter = \"autophagy.erphagy_clearanse_rate\"\nvalues = [0.1]\n"
        );
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p.starts_with("s.toml:7:14: factor \"glucose_mM\" = 500: environment.glucose_mM = 500: must be in [0, 100] mM")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.starts_with("s.toml:10:11:")
                && p.contains("did you mean `erphagy_clearance_rate`")),
            "{found:?}"
        );
    }

    #[test]
    fn a_readout_must_be_a_recorded_column_and_day() {
        let text = "[sweep]\nname = \"s\"\nbase = \"b.toml\"\nreadouts = [\"chop_man\", \"chop_mean@0.3\", \"chop_mean@9\"]\n[[factor]]\nenvironment = \"glucose_mM\"\nvalues = [5]\n";
        let found = problems(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("did you mean `chop_mean`"), "{found:?}");
        assert!(
            found[1].contains("day 0.3 is not a recorded time"),
            "{found:?}"
        );
        assert!(
            found[2].contains("day 9 is not a recorded time"),
            "{found:?}"
        );
    }

    #[test]
    fn the_table_has_one_column_per_factor_and_readout_and_empty_fields_for_missing_values() {
        let text = format!("{HEAD}[[factor]]\nenvironment = \"phosphate_mM\"\nvalues = [1.5]\n");
        let sweep = parse(&text).expect("valid");
        let mut out = Vec::new();
        write_table_header(&mut out, &sweep.study).expect("write");
        let run = RunIndex {
            point: 0,
            replicate: 0,
        };
        write_table_row(
            &mut out,
            &sweep.study,
            &run_id(run, 1),
            run,
            &sweep.points[0],
            &[0.25, f64::NAN],
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            format!(
                "run,point,replicate,seed,phosphate_mM,chop_mean_day1,calcium_ug_per_mg_protein_day2\n\
                 runs/p0000/rep1,0,1,{},1.5,0.25,\n",
                sweep.study.seed
            )
        );
    }
}
