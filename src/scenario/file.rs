//! The raw scenario file, exactly as written: serde structs with unit-suffixed keys,
//! `deny_unknown_fields` everywhere, every value wrapped in [`Spanned`] so validation can
//! point at its line and column.
//!
//! Every key is optional at this stage, so that a missing key is reported by validation
//! together with every other problem rather than alone by the parser.

use super::error::{Location, Problem, ProblemKind, ScenarioError, Value};
use super::reference as r;
use crate::model::parameters::{DidYouMean, closest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Parameter overrides: module → field → value.
pub type ParameterTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<f64>>>;

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// `[meta]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Spanned<MetaFile>>,
    /// `[geometry]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geometry: Option<Spanned<GeometryFile>>,
    /// `[time]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Spanned<TimeFile>>,
    /// `[environment]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<Spanned<EnvironmentFile>>,
    /// `[stress]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stress: Option<Spanned<StressFile>>,
    /// `[genetics]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genetics: Option<Spanned<GeneticsFile>>,
    /// `[parameters.<module>]` tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<ParameterTables>,
    /// `[record]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<Spanned<RecordFile>>,
    /// `[[treatment]]` entries: inducers and interventions from the catalog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment: Option<Vec<Spanned<TreatmentFile>>>,
}

/// One `[[treatment]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct TreatmentFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_days: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_days: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub between_animal_cv: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onset_days: Option<Spanned<f64>>,
}

/// `[meta]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct MetaFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<Spanned<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<Spanned<u64>>,
}

/// `[geometry]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct GeometryFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axial_sites: Option<Spanned<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circumferential_sites: Option<Spanned<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_spacing_um: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupancy: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium_depth_mm: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intima_layers: Option<Spanned<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_layers: Option<Spanned<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adventitia_layers: Option<Spanned<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lamella_every: Option<Spanned<i64>>,
}

/// `[time]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct TimeFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_days: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dt_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrator: Option<Spanned<String>>,
}

/// `[environment]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct EnvironmentFile {
    #[serde(rename = "calcium_mM", skip_serializing_if = "Option::is_none")]
    pub calcium_mm: Option<Spanned<f64>>,
    #[serde(rename = "phosphate_mM", skip_serializing_if = "Option::is_none")]
    pub phosphate_mm: Option<Spanned<f64>>,
    #[serde(rename = "pyrophosphate_uM", skip_serializing_if = "Option::is_none")]
    pub pyrophosphate_um: Option<Spanned<f64>>,
    #[serde(
        rename = "beta_glycerophosphate_mM",
        skip_serializing_if = "Option::is_none"
    )]
    pub beta_glycerophosphate_mm: Option<Spanned<f64>>,
    #[serde(rename = "fetuin_a_uM", skip_serializing_if = "Option::is_none")]
    pub fetuin_a_um: Option<Spanned<f64>>,
    #[serde(rename = "magnesium_mM", skip_serializing_if = "Option::is_none")]
    pub magnesium_mm: Option<Spanned<f64>>,
    #[serde(rename = "glucose_mM", skip_serializing_if = "Option::is_none")]
    pub glucose_mm: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tnf_alpha: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub il1_beta: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub il6: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lps: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ros: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rage: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bmp2: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium_change_every_days: Option<Spanned<f64>>,
    #[serde(rename = "bath_uL_per_mm2", skip_serializing_if = "Option::is_none")]
    pub bath_ul_per_mm2: Option<Spanned<f64>>,
}

/// `[stress]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct StressFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stress_per_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_per_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_per_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_h: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low_per_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high_per_min: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_h: Option<Spanned<f64>>,
}

/// `[genetics]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct GeneticsFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub species: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knockouts: Option<Vec<Spanned<String>>>,
}

/// The conditions an experiment arm may set on top of its base scenario: the tables of
/// a scenario file that describe what the cells live in (see [`ScenarioFile::overlay`]).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// `[arm.environment]`: the medium or plasma.
    pub environment: Option<Spanned<EnvironmentFile>>,
    /// `[arm.stress]`: the direct ER stress schedule.
    pub stress: Option<Spanned<StressFile>>,
    /// `[arm.genetics]`: the cells' species (replaces the base's) and knockouts added to
    /// the base's.
    pub genetics: Option<Spanned<GeneticsFile>>,
    /// `[arm.parameters.<module>]`: parameter overrides.
    pub parameters: Option<ParameterTables>,
}

/// `[record]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "the keys are documented in `reference.rs`")]
pub struct RecordFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every_h: Option<Spanned<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshots_days: Option<Vec<Spanned<f64>>>,
}

impl ScenarioFile {
    /// Parses the TOML text. Syntax errors, values of the wrong type and unknown keys
    /// are reported here, every one of them (see [`parse_all`]); everything else is left
    /// to [`validate`](super::validate::validate).
    ///
    /// `origin` names the text in messages (usually the file path).
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem the parser found, each with its
    /// line, column and key path.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        let parsed = parse_all::<Self>(text, &scenario_type_in_words);
        match parsed.value {
            Some(file) if parsed.problems.is_empty() => Ok(file),
            _ => Err(ScenarioError::Invalid {
                origin: origin.to_string(),
                problems: parsed.problems,
            }),
        }
    }
}

/// What a scenario key holds, in the words of the reference (`a whole number in [1,
/// 10000]`), for messages about a value of the wrong type; `None` for keys the
/// reference does not list.
#[must_use]
pub fn scenario_type_in_words(key_path: &str) -> Option<String> {
    let key = without_indices(key_path);
    if key == r::META_SEED.key {
        return Some(format!("a whole number in [0, {}]", u64::MAX));
    }
    if let Some(found) = r::KEYS.iter().find(|k| k.key == key) {
        return Some(key_in_words(found));
    }
    if key == "treatment" {
        return Some("`[[treatment]]` tables (an array of tables)".to_string());
    }
    if r::REQUIRED_TABLES.contains(&key.as_str())
        || ["environment", "stress", "genetics", "record", "parameters"].contains(&key.as_str())
    {
        return Some(format!("a table `[{key}]`"));
    }
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["parameters", _] => Some("a table of parameter values (see `vcsim params`)".to_string()),
        ["parameters", module, _] => Some(format!(
            "a number in the range `vcsim params --module {module}` lists"
        )),
        _ => None,
    }
}

/// A key's type and allowed values in words: "a number in [0, 10] mM", "a string, one
/// of ...", "an array of strings, each one of ...".
#[must_use]
pub fn key_in_words(key: &r::KeyRef) -> String {
    let allowed = match key.allowed {
        r::Allowed::Range(bounds) => {
            let mut text = if bounds.max.is_finite() {
                format!("in {bounds}")
            } else {
                bounds.to_string()
            };
            if key.unit.contains(' ') {
                text.push_str(&format!(" ({})", key.unit));
            } else if !key.unit.is_empty() && key.unit != "1" {
                text.push(' ');
                text.push_str(key.unit);
            }
            text
        }
        r::Allowed::OneOf(names) => format!("one of {}", r::quoted_list(names)),
        r::Allowed::Form(form) => form.to_string(),
    };
    match key.value_type {
        r::ValueType::Float => format!("a number {allowed}"),
        r::ValueType::Integer => format!("a whole number {allowed}"),
        r::ValueType::Text => match key.allowed {
            r::Allowed::OneOf(_) => format!("a string, {allowed}"),
            _ => format!("a string: {allowed}"),
        },
        r::ValueType::TextArray => format!("an array of strings, each {allowed}"),
        r::ValueType::FloatArray => format!("an array of numbers, each {allowed}"),
    }
}

/// `treatment[1].dose` → `treatment.dose`.
#[must_use]
pub fn without_indices(key_path: &str) -> String {
    let mut out = String::with_capacity(key_path.len());
    let mut depth = 0_usize;
    for c in key_path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// [problems] The most problems the parser stage reports for one file.
const MAX_PARSE_PROBLEMS: usize = 100;

/// The result of [`parse_all`].
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value, parsed with every entry that had a problem left out; `None` if the
    /// text could not be parsed at all (a syntax error).
    pub value: Option<T>,
    /// Every problem found (one per entry), in file order.
    pub problems: Vec<Problem>,
    /// The key paths of the entries left out, e.g. `treatment[1].doze` (their absence
    /// is not a further problem).
    pub left_out: Vec<String>,
}

/// Parses `text` into `T` and finds every type error and unknown key, not only the
/// first: each time the parser stops, the problem is recorded, the offending entry
/// (`key = value`, or a whole `[table]` section) is blanked out with spaces (so that
/// every other position stays the same) and the text is parsed again. A syntax error
/// ends the search (there is no entry to leave out).
///
/// `type_in_words` says what a key holds, in the reference's words, for messages about
/// a value of the wrong type.
pub fn parse_all<T: serde::de::DeserializeOwned>(
    text: &str,
    type_in_words: &dyn Fn(&str) -> Option<String>,
) -> Parsed<T> {
    let mut parsed = parse_each::<T>(text, type_in_words);
    parsed.problems.sort_by_key(|p| p.location);
    parsed
}

/// [`parse_all`] with the problems in the order found.
fn parse_each<T: serde::de::DeserializeOwned>(
    text: &str,
    type_in_words: &dyn Fn(&str) -> Option<String>,
) -> Parsed<T> {
    let mut working = text.to_string();
    let mut problems = Vec::new();
    let mut left_out = Vec::new();
    loop {
        let error = match toml::from_str::<T>(&working) {
            Ok(value) => {
                return Parsed {
                    value: Some(value),
                    problems,
                    left_out,
                };
            }
            Err(error) => error,
        };
        // A syntax error after a blanking is the blanking's (a dotted key cut in two),
        // not the file's: stop with the problems found so far.
        if !left_out.is_empty() && DeTable::parse(&working).is_err() {
            return Parsed {
                value: None,
                problems,
                left_out,
            };
        }
        let problem = problem_from_toml(&working, &error, type_in_words);
        let entry = error
            .span()
            .and_then(|span| entry_range(&working, span.start));
        let key = problem.key.clone();
        problems.push(problem);
        match entry {
            Some(range) if problems.len() < MAX_PARSE_PROBLEMS && !range.is_empty() => {
                working = blank(&working, &range);
                left_out.push(key);
            }
            _ => {
                return Parsed {
                    value: None,
                    problems,
                    left_out,
                };
            }
        }
    }
}

/// `text` with every character in `range` but line breaks replaced by spaces (one space
/// per byte, so every later offset stays the same).
fn blank(text: &str, range: &Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        if range.contains(&index) && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// The byte range of the entry the parser stopped at: a `[table]` or `[[table]]`
/// section from its header to the next header when the offset is on a header line,
/// else the innermost `key = value` holding the offset. `None` if the text does not
/// parse.
fn entry_range(text: &str, offset: usize) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next().unwrap_or("");
    if line.trim_start().starts_with('[') {
        let mut end = text.len();
        let mut position = line_start + line.len();
        for rest in text.get(position..)?.split_inclusive('\n') {
            if rest.trim_start().starts_with('[') && position > line_start + line.len() {
                end = position;
                break;
            }
            position += rest.len();
        }
        return Some(line_start..end);
    }
    entry_in_table(text, document.get_ref(), offset)
}

fn entry_in_table(text: &str, table: &DeTable<'_>, offset: usize) -> Option<Range<usize>> {
    for (key, value) in table {
        let mut whole = key.span().start..value.span().end.max(key.span().end);
        // A key that starts its line (`a.b = 1`, `key = [...]`) is blanked to the end of
        // the line at least, so that no part of a dotted key is left behind.
        let line_start = text.get(..whole.start)?.rfind('\n').map_or(0, |i| i + 1);
        if text.get(line_start..whole.start)?.trim().is_empty() {
            let line_end = text
                .get(whole.start..)?
                .find('\n')
                .map_or(text.len(), |i| whole.start + i);
            whole.end = whole.end.max(line_end);
        }
        if let Some(inner) = entry_in_value(text, value, offset) {
            return Some(inner);
        }
        if contains(&whole, offset) {
            return Some(whole);
        }
    }
    None
}

fn entry_in_value(text: &str, value: &Spanned<DeValue<'_>>, offset: usize) -> Option<Range<usize>> {
    match value.get_ref() {
        DeValue::Table(table) => entry_in_table(text, table, offset),
        DeValue::Array(array) => array.iter().find_map(|element| match element.get_ref() {
            DeValue::Table(table) => entry_in_table(text, table, offset),
            _ => None,
        }),
        _ => None,
    }
}

/// The span of a value set by code rather than read from the text (an experiment's arm
/// or lattice size, a test's resizing): it has no line and column in the scenario text,
/// so problems with it are reported without a location.
pub const SET_BY_CODE: Range<usize> = usize::MAX..usize::MAX;

/// A value set by code (see [`SET_BY_CODE`]).
#[must_use]
pub fn set_by_code<T>(value: T) -> Spanned<T> {
    Spanned::new(SET_BY_CODE, value)
}

/// The table `slot` holds, created (with no place in the text) if absent.
fn table_mut<T: Default>(slot: &mut Option<Spanned<T>>) -> &mut T {
    slot.get_or_insert_with(|| set_by_code(T::default()))
        .get_mut()
}

/// Composition and resizing work on the raw file; the result goes through
/// [`validate`](super::validate::validate) again, like a file read from disk.
impl ScenarioFile {
    /// `[meta]`, created if absent.
    pub fn meta_mut(&mut self) -> &mut MetaFile {
        table_mut(&mut self.meta)
    }

    /// `[geometry]`, created if absent.
    pub fn geometry_mut(&mut self) -> &mut GeometryFile {
        table_mut(&mut self.geometry)
    }

    /// `[time]`, created if absent.
    pub fn time_mut(&mut self) -> &mut TimeFile {
        table_mut(&mut self.time)
    }

    /// `[environment]`, created if absent.
    pub fn environment_mut(&mut self) -> &mut EnvironmentFile {
        table_mut(&mut self.environment)
    }

    /// `[record]`, created if absent.
    pub fn record_mut(&mut self) -> &mut RecordFile {
        table_mut(&mut self.record)
    }

    /// Sets the lattice size (sites along and across the well or vessel).
    pub fn set_lattice(&mut self, axial_sites: usize, circumferential_sites: usize) {
        let as_key = |sites: usize| Some(set_by_code(i64::try_from(sites).unwrap_or(i64::MAX)));
        let geometry = self.geometry_mut();
        geometry.axial_sites = as_key(axial_sites);
        geometry.circumferential_sites = as_key(circumferential_sites);
    }

    /// Sets `time.duration_days` and keeps the record inside the new run: snapshots after
    /// the new end are dropped and a record interval longer than the run is shortened to
    /// it.
    pub fn set_duration_days(&mut self, days: f64) {
        self.time_mut().duration_days = Some(set_by_code(days));
        let Some(record) = self.record.as_mut().map(Spanned::get_mut) else {
            return;
        };
        if let Some(snapshots) = &mut record.snapshots_days {
            snapshots.retain(|s| *s.get_ref() <= days);
        }
        if let Some(every) = &record.every_h
            && *every.get_ref() > days * 24.0
        {
            record.every_h = Some(set_by_code(days * 24.0));
        }
    }

    /// Sets `record.every_h`, shortened to the run's duration if longer.
    pub fn set_record_every_h(&mut self, hours: f64) {
        let duration_h = self
            .time
            .as_ref()
            .and_then(|t| t.get_ref().duration_days.as_ref())
            .map_or(f64::INFINITY, |d| *d.get_ref() * 24.0);
        self.record_mut().every_h = Some(set_by_code(hours.min(duration_h)));
    }

    /// Lays an experiment arm's conditions over this file (the arm's base): each key of
    /// the arm's `[environment]` replaces the base's and the others stay; the arm's
    /// `[stress]` replaces the base's schedule whole (its keys depend on the kind); the
    /// arm's species replaces the base's and its knockouts are added to the base's; each
    /// `[parameters.<module>]` field the arm
    /// sets replaces the base's. The result is validated like a file read from disk.
    pub fn overlay(&mut self, conditions: Conditions) {
        if let Some(arm) = conditions.environment {
            let arm = arm.into_inner();
            let base = self.environment_mut();
            macro_rules! over {
                ($($field:ident),*) => {$(
                    if arm.$field.is_some() {
                        base.$field = arm.$field;
                    }
                )*};
            }
            over!(
                calcium_mm,
                phosphate_mm,
                pyrophosphate_um,
                beta_glycerophosphate_mm,
                fetuin_a_um,
                magnesium_mm,
                glucose_mm,
                tnf_alpha,
                il1_beta,
                il6,
                lps,
                ros,
                rage,
                bmp2,
                medium_change_every_days,
                bath_ul_per_mm2
            );
        }
        if let Some(stress) = conditions.stress {
            self.stress = Some(stress);
        }
        if let Some(genetics) = conditions.genetics {
            let GeneticsFile { species, knockouts } = genetics.into_inner();
            let base = table_mut(&mut self.genetics);
            if let Some(species) = species {
                base.species = Some(species);
            }
            if let Some(knockouts) = knockouts {
                base.knockouts
                    .get_or_insert_with(Vec::new)
                    .extend(knockouts);
            }
        }
        if let Some(modules) = conditions.parameters {
            let base = self.parameters.get_or_insert_with(BTreeMap::new);
            for (module, fields) in modules {
                base.entry(module).or_default().extend(fields);
            }
        }
    }

    /// Appends a `[[treatment]]`.
    pub fn add_treatment(&mut self, treatment: TreatmentFile) {
        self.treatment
            .get_or_insert_with(Vec::new)
            .push(set_by_code(treatment));
    }
}

/// Turns a parser error into a [`Problem`] with line, column and key path; a value of
/// the wrong type is described with `type_in_words` (the reference's words), not in the
/// parser's Rust types.
fn problem_from_toml(
    text: &str,
    error: &toml::de::Error,
    type_in_words: &dyn Fn(&str) -> Option<String>,
) -> Problem {
    let span = error.span();
    let location = span.as_ref().map(|s| Location::at(text, s.start));
    let message = error.message().trim().to_string();
    let key = span
        .as_ref()
        .and_then(|s| {
            key_path_at(text, s).or_else(|| {
                // The document does not parse, so there is no tree to find the key in;
                // a duplicate key's span is the key itself.
                (message == "duplicate key").then(|| text.get(s.clone()).map(str::to_string))?
            })
        })
        .unwrap_or_default();
    let found = span
        .as_ref()
        .and_then(|s| text.get(s.clone()))
        .map(|t| compact_literal(t.trim()));
    let (value, kind) = if let Some((name, expected)) = unknown_field(&message) {
        let candidates = backticked(expected);
        let kind = ProblemKind::UnknownKey {
            expected: expected.to_string(),
            suggestion: DidYouMean(closest(name, candidates.iter().copied())),
        };
        (None, kind)
    } else if let Some(expected) = wrong_type(&message) {
        let expected = type_in_words(&key).unwrap_or_else(|| rust_type_in_words(expected));
        (
            found.map(Value::Literal),
            ProblemKind::WrongType { expected },
        )
    } else {
        (None, ProblemKind::Toml { message })
    };
    Problem {
        location,
        key,
        value,
        kind,
    }
}

/// [characters] The longest value text quoted in a message.
const MAX_LITERAL_CHARS: usize = 40;

/// A value's text for a message: the first line, at most [`MAX_LITERAL_CHARS`].
fn compact_literal(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    if first.chars().count() > MAX_LITERAL_CHARS || first.len() < text.len() {
        let short: String = first.chars().take(MAX_LITERAL_CHARS).collect();
        format!("{short}...")
    } else {
        first.to_string()
    }
}

/// The "expected ..." part of serde's `invalid type: ..., expected X` or
/// `invalid value: ..., expected X`.
fn wrong_type(message: &str) -> Option<&str> {
    if !(message.starts_with("invalid type: ") || message.starts_with("invalid value: ")) {
        return None;
    }
    message
        .rsplit_once(", expected ")
        .map(|(_, expected)| expected)
}

/// serde's name of a Rust type in words, for keys the reference does not list.
fn rust_type_in_words(expected: &str) -> String {
    match expected {
        "i64" | "u64" | "usize" | "i32" | "u32" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a string" => "a string".to_string(),
        "a sequence" => "an array".to_string(),
        e if e.starts_with("struct ") || e == "a map" => "a table".to_string(),
        e => e.to_string(),
    }
}

/// Splits serde's ``unknown field `x`, expected one of `a`, `b` `` into the name and
/// the part from "expected" on.
fn unknown_field(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once("`, ")?;
    Some((name, rest))
}

/// The names in backticks of a serde message.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The dotted key path of the key or value the span starts in, e.g. `time.duraton_days`
/// or `meta.claims[1]`. `None` if the text does not parse or the span is outside keys.
fn key_path_at(text: &str, span: &Range<usize>) -> Option<String> {
    let document = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    find_in_table(document.get_ref(), span.start, &mut path).then(|| path.join("."))
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn find_in_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        if contains(&key.span(), offset) || find_in_value(value, offset, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn find_in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<String>) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => {
            find_in_table(table, offset, path) || contains(&value.span(), offset)
        }
        DeValue::Array(array) => {
            for (index, element) in array.into_iter().enumerate() {
                // The span of a `[[table]]` element may be its header only: look inside.
                let inside = match element.get_ref() {
                    DeValue::Table(table) => {
                        let mut inner = Vec::new();
                        find_in_table(table, offset, &mut inner).then_some(inner)
                    }
                    _ => None,
                };
                if inside.is_some() || contains(&element.span(), offset) {
                    if let Some(last) = path.last_mut() {
                        last.push_str(&format!("[{index}]"));
                    }
                    path.extend(inside.unwrap_or_default());
                    return true;
                }
            }
            contains(&value.span(), offset)
        }
        _ => contains(&value.span(), offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_path_names_a_nested_key_an_inline_value_and_an_array_element() {
        let text = "[time]\nduration_days = 14\n[meta]\nclaims = ['OS-1', 'x']\n\
                    [parameters.upr_core]\nbip = 1\n";
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            key_path_at(text, &(start..start + needle.len()))
        };
        assert_eq!(at("duration_days").as_deref(), Some("time.duration_days"));
        assert_eq!(at("14").as_deref(), Some("time.duration_days"));
        assert_eq!(at("'x'").as_deref(), Some("meta.claims[1]"));
        assert_eq!(at("bip").as_deref(), Some("parameters.upr_core.bip"));
    }

    #[test]
    fn unknown_field_message_splits_into_name_and_expected_list() {
        let message = "unknown field `duraton_days`, expected `duration_days` or `dt_min`";
        let (name, expected) = unknown_field(message).unwrap();
        assert_eq!(name, "duraton_days");
        assert_eq!(backticked(expected), ["duration_days", "dt_min"]);
    }

    #[test]
    fn every_unknown_key_and_type_error_is_found_and_nothing_else() {
        let text = "[time]\nduraton_days = 14\nmeta.foo = 1\ndt_min = 'x'\n\
                    [geometry]\nshape = [\n  1,\n  2,\n]\naxial_sites = 1.5\n";
        let parsed = parse_all::<ScenarioFile>(text, &scenario_type_in_words);
        let found: Vec<String> = parsed
            .problems
            .iter()
            .map(|p| format!("{:?} {p}", p.location.map(|l| l.line)))
            .collect();
        assert_eq!(
            found,
            [
                "Some(2) time.duraton_days: unknown key, expected one of `duration_days`, \
                 `dt_min`, `integrator`, did you mean `duration_days`?",
                "Some(3) time.meta: unknown key, expected one of `duration_days`, `dt_min`, \
                 `integrator`",
                "Some(4) time.dt_min = 'x': expected a number in [0.01, 5] min",
                "Some(6) geometry.shape: unknown key, expected one of `mode`, `axial_sites`, \
                 `circumferential_sites`, `site_spacing_um`, `occupancy`, `medium_depth_mm`, \
                 `intima_layers`, `media_layers`, `adventitia_layers`, `lamella_every`",
                "Some(10) geometry.axial_sites = 1.5: expected a whole number in [1, 10000]",
            ]
        );
        assert!(parsed.value.is_some());
        let mut left_out = parsed.left_out;
        left_out.sort();
        assert_eq!(
            left_out,
            [
                "geometry.axial_sites",
                "geometry.shape",
                "time.dt_min",
                "time.duraton_days",
                "time.meta",
            ]
        );
    }

    #[test]
    fn a_syntax_error_stops_the_search() {
        let text = "[time]\nduraton_days = 14\ndt_min = \n";
        let parsed = parse_all::<ScenarioFile>(text, &scenario_type_in_words);
        assert!(parsed.value.is_none());
        assert_eq!(parsed.problems.len(), 1);
    }

    #[test]
    fn wrong_type_is_reported_with_key_and_position() {
        let error = ScenarioFile::parse("[time]\nduration_days = 'x'\n", "x.toml").unwrap_err();
        let problem = &error.problems()[0];
        assert_eq!(
            problem.location,
            Some(Location {
                line: 2,
                column: 17
            })
        );
        assert_eq!(problem.key, "time.duration_days");
        assert_eq!(
            problem.to_string(),
            "time.duration_days = 'x': expected a number in (0, 3650] d"
        );
    }
}
