//! The raw scenario file, exactly as written: serde structs with unit-suffixed keys,
//! `deny_unknown_fields` everywhere, every value wrapped in [`Spanned`] so validation can
//! point at its line and column.
//!
//! Every key is optional at this stage, so that a missing key is reported by validation
//! together with every other problem rather than alone by the parser.

use super::error::{Location, Problem, ProblemKind, ScenarioError};
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
    pub seed: Option<Spanned<i64>>,
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
    pub knockouts: Option<Vec<Spanned<String>>>,
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
    /// are reported here (the parser stops at the first); everything else is left to
    /// [`validate`](super::validate::validate).
    ///
    /// `origin` names the text in messages (usually the file path).
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with the parser's first problem, with its line, column
    /// and key path.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        toml::from_str(text).map_err(|error| ScenarioError::Invalid {
            origin: origin.to_string(),
            problems: vec![problem_from_toml(text, &error)],
        })
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

    /// Appends a `[[treatment]]`.
    pub fn add_treatment(&mut self, treatment: TreatmentFile) {
        self.treatment
            .get_or_insert_with(Vec::new)
            .push(set_by_code(treatment));
    }
}

/// Turns a parser error into a [`Problem`] with line, column and key path.
fn problem_from_toml(text: &str, error: &toml::de::Error) -> Problem {
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
    let kind = match unknown_field(&message) {
        Some((name, expected)) => {
            let candidates = backticked(expected);
            ProblemKind::UnknownKey {
                expected: expected.to_string(),
                suggestion: DidYouMean(closest(name, candidates.iter().copied())),
            }
        }
        None => ProblemKind::Toml { message },
    };
    Problem {
        location,
        key,
        value: None,
        kind,
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
                if contains(&element.span(), offset) {
                    if let Some(last) = path.last_mut() {
                        last.push_str(&format!("[{index}]"));
                    }
                    if let DeValue::Table(table) = element.get_ref() {
                        find_in_table(table, offset, path);
                    }
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
        assert!(
            problem
                .to_string()
                .contains("invalid type: string \"x\", expected f64")
        );
    }
}
