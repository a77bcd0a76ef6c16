//! Parameter values laid over every scenario of a command: a parameter file
//! (`--parameters FILE`, the output of `vcsim calibrate`) or one draw of a posterior
//! sample (`posterior.csv`).
//!
//! A parameter file has the scenario files' `[parameters.<module>]` tables and nothing
//! else but an optional `[about]` table of free text (who wrote it, from what):
//!
//! ```toml
//! [about]
//! written_by = "vcsim calibrate"
//!
//! [parameters.mineral]
//! k_nucleation = 2.0e-4
//! ```
//!
//! Every value is checked against the parameter table (module, field, allowed range)
//! when the file is read, and each problem names the file, line and key. Laid over a
//! scenario, a value replaces the shipped default; a value the scenario file (or an
//! experiment arm) sets itself is kept, so a knockout or a scenario's own choice is not
//! undone by a calibrated value.

use crate::model::parameter_set::ModelParams;
use crate::scenario::error::Location;
use crate::scenario::file::{ParameterTables, set_by_code};
use crate::scenario::{Scenario, ScenarioError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Parameter values by (module, field).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ParameterOverrides {
    values: BTreeMap<(String, String), f64>,
}

/// A parameter file or posterior that cannot be used, with its place.
#[derive(Debug, thiserror::Error)]
pub enum OverridesError {
    /// The file could not be read.
    #[error("{}: cannot read the parameter file: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file was read, but some of its content is not valid.
    #[error("{}", problems.join("\n"))]
    Invalid {
        /// One line per problem: `file:line:col: key: problem`.
        problems: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    #[serde(default)]
    about: Option<BTreeMap<String, toml::Value>>,
    #[serde(default)]
    parameters: Option<ParameterTables>,
}

/// `file:line:col` of a byte offset in `text` (columns in characters, as the scenario
/// files' errors count them).
fn place(file: &str, text: &str, offset: usize) -> String {
    format!("{file}:{}", Location::at(text, offset))
}

impl ParameterOverrides {
    /// No values.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one value, checked against the parameter table.
    ///
    /// # Errors
    /// Unknown module or field (with a "did you mean"), or a value out of its range.
    pub fn insert(
        &mut self,
        module: &str,
        field: &str,
        value: f64,
    ) -> Result<(), crate::model::parameters::ParamError> {
        ModelParams::default().set(module, field, value)?;
        self.values
            .insert((module.to_string(), field.to_string()), value);
        Ok(())
    }

    /// The values, by (module, field), in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, f64)> {
        self.values
            .iter()
            .map(|((m, f), v)| (m.as_str(), f.as_str(), *v))
    }

    /// The value set for `module.field`, if any.
    #[must_use]
    pub fn get(&self, module: &str, field: &str) -> Option<f64> {
        self.values
            .get(&(module.to_string(), field.to_string()))
            .copied()
    }

    /// Whether no value is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// How many values are set.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Reads a parameter file.
    ///
    /// # Errors
    /// The file cannot be read, is not TOML of the form above, or names an unknown
    /// module or field or a value out of range (every problem, with its place).
    pub fn load(path: &Path) -> Result<Self, OverridesError> {
        let text = std::fs::read_to_string(path).map_err(|source| OverridesError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a parameter file named `file` in messages.
    ///
    /// # Errors
    /// As [`ParameterOverrides::load`].
    pub fn parse(file: &str, text: &str) -> Result<Self, OverridesError> {
        let parsed: ParameterFile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map_or_else(|| file.to_string(), |s| place(file, text, s.start));
            OverridesError::Invalid {
                problems: vec![format!("{at}: {}", e.message().trim_end())],
            }
        })?;
        let _ = parsed.about;
        let mut out = Self::new();
        let mut problems = Vec::new();
        for (module, fields) in parsed.parameters.unwrap_or_default() {
            for (field, value) in fields {
                let at = place(file, text, value.span().start);
                let key = format!("parameters.{}.{}", module.get_ref(), field.get_ref());
                if let Err(e) = out.insert(module.get_ref(), field.get_ref(), *value.get_ref()) {
                    problems.push(format!("{at}: {key}: {e}"));
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(OverridesError::Invalid { problems })
        }
    }

    /// The file text: an `[about]` table of `about` (key, text) lines, then one
    /// `[parameters.<module>]` table per module, in name order; values in Rust's
    /// shortest round-trip form, so reading the text back gives the same values.
    #[must_use]
    pub fn to_toml(&self, about: &[(&str, String)]) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        if !about.is_empty() {
            out.push_str("[about]\n");
            for (key, text) in about {
                let _ = writeln!(out, "{key} = {}", toml::Value::String(text.clone()));
            }
        }
        let mut module = None;
        for ((m, f), v) in &self.values {
            if module != Some(m) {
                if !out.is_empty() {
                    out.push('\n');
                }
                let _ = writeln!(out, "[parameters.{m}]");
                module = Some(m);
            }
            let _ = writeln!(out, "{f} = {v:?}");
        }
        out
    }

    /// The scenario with these values laid over it: each value the scenario's file does
    /// not set itself replaces the default (see the module documentation).
    ///
    /// # Errors
    /// The changed scenario does not validate (it cannot, for values checked on insert,
    /// unless a treatment's scaling takes one out of range).
    pub fn apply(&self, scenario: &Scenario) -> Result<Scenario, ScenarioError> {
        if self.is_empty() {
            return Ok(scenario.clone());
        }
        scenario.revised(|file| {
            let tables = file.parameters.get_or_insert_with(BTreeMap::new);
            for ((module, field), value) in &self.values {
                let key = tables
                    .keys()
                    .find(|k| k.get_ref() == module)
                    .cloned()
                    .unwrap_or_else(|| set_by_code(module.clone()));
                let fields = tables.entry(key).or_default();
                if !fields.keys().any(|k| k.get_ref() == field) {
                    fields.insert(set_by_code(field.clone()), set_by_code(*value));
                }
            }
        })
    }
}

/// One draw of a posterior sample: its weight and its parameter values.
#[derive(Clone, Debug, PartialEq)]
pub struct PosteriorDraw {
    /// The draw's number in the file (`draw` column).
    pub draw: usize,
    /// Its importance weight (`weight` column; the weights of a file sum to 1).
    pub weight: f64,
    /// Its parameter values.
    pub values: ParameterOverrides,
}

/// Reads a posterior sample, `posterior.csv` of `vcsim calibrate`: a header
/// `draw,weight,distance,<module>.<field>,...` and one row per draw.
///
/// # Errors
/// The file cannot be read; a missing column; a value that is not a number, out of its
/// parameter's range, or a negative weight; no draws; weights that do not sum to 1
/// (within 1e-6). Each problem names the file, line and column.
pub fn read_posterior(path: &Path) -> Result<Vec<PosteriorDraw>, OverridesError> {
    let text = std::fs::read_to_string(path).map_err(|source| OverridesError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_posterior(&path.display().to_string(), &text)
}

/// Parses the text of a posterior sample named `file` in messages.
///
/// # Errors
/// As [`read_posterior`].
pub fn parse_posterior(file: &str, text: &str) -> Result<Vec<PosteriorDraw>, OverridesError> {
    let invalid = |problem: String| OverridesError::Invalid {
        problems: vec![problem],
    };
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(invalid(format!("{file}: empty: no header, no draws")));
    };
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.len() < 3 || columns[..3] != ["draw", "weight", "distance"] {
        return Err(invalid(format!(
            "{file}:1: the header must begin with draw,weight,distance (it is {header:?})"
        )));
    }
    let mut targets = Vec::new();
    for (i, name) in columns.iter().enumerate().skip(3) {
        let Some((module, field)) = name.split_once('.') else {
            return Err(invalid(format!(
                "{file}:1: column {}: {name:?} is not <module>.<field>",
                i + 1
            )));
        };
        let defaults = ModelParams::default();
        if !defaults
            .rows()
            .iter()
            .any(|r| r.module == module && r.field == field)
        {
            let mut probe = defaults;
            let why = probe
                .set(module, field, 0.0)
                .err()
                .map_or_else(|| "no such parameter".to_string(), |e| e.to_string());
            return Err(invalid(format!("{file}:1: column {}: {why}", i + 1)));
        }
        targets.push((module, field));
    }
    let mut draws = Vec::new();
    let mut total = 0.0;
    for (index, line) in lines {
        let n = index + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != columns.len() {
            return Err(invalid(format!(
                "{file}:{n}: {} fields, the header has {}",
                cells.len(),
                columns.len()
            )));
        }
        let number = |i: usize| -> Result<f64, OverridesError> {
            cells[i].parse::<f64>().map_err(|_| {
                invalid(format!(
                    "{file}:{n}: {}: {:?} is not a number",
                    columns[i], cells[i]
                ))
            })
        };
        let draw = cells[0].parse::<usize>().map_err(|_| {
            invalid(format!(
                "{file}:{n}: draw: {:?} is not a draw number",
                cells[0]
            ))
        })?;
        let weight = number(1)?;
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(invalid(format!(
                "{file}:{n}: weight: {weight} is not a weight (finite, at least 0)"
            )));
        }
        let mut values = ParameterOverrides::new();
        for (i, (module, field)) in targets.iter().enumerate() {
            let v = number(i + 3)?;
            values
                .insert(module, field, v)
                .map_err(|e| invalid(format!("{file}:{n}: {}: {e}", columns[i + 3])))?;
        }
        total += weight;
        draws.push(PosteriorDraw {
            draw,
            weight,
            values,
        });
    }
    if draws.is_empty() {
        return Err(invalid(format!("{file}: no draws below the header")));
    }
    if (total - 1.0).abs() > 1e-6 {
        return Err(invalid(format!(
            "{file}: the weights sum to {total}, not 1"
        )));
    }
    Ok(draws)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_parameter() -> (String, String, f64) {
        let row = ModelParams::default()
            .rows()
            .into_iter()
            .find(|r| r.max > r.min && r.value > r.min && r.value < r.max)
            .expect("a parameter with room on both sides");
        (row.module.to_string(), row.field.to_string(), row.value)
    }

    #[test]
    fn a_file_round_trips_and_problems_name_their_place() {
        let (module, field, value) = a_parameter();
        let mut values = ParameterOverrides::new();
        values.insert(&module, &field, value * 0.9).unwrap();
        let text = values.to_toml(&[("written_by", "a test".to_string())]);
        assert_eq!(ParameterOverrides::parse("p.toml", &text).unwrap(), values);

        let bad = format!("[parameters.{module}]\n{field}x = 1.0\n");
        let e = ParameterOverrides::parse("p.toml", &bad)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:2:"), "{e}");
        assert!(e.contains(&format!("parameters.{module}.{field}x")), "{e}");
        let bad = format!("[parameters.{module}]\n{field} = 1e300\n");
        let e = ParameterOverrides::parse("p.toml", &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the allowed range"), "{e}");
        let e = ParameterOverrides::parse("p.toml", "[other]\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:1:"), "{e}");
    }

    #[test]
    fn a_value_replaces_the_default_but_not_the_scenario_s_own() {
        let (module, field, value) = a_parameter();
        let base = "[meta]\nname = \"t\"\ndescription = \"t\"\n[geometry]\nmode = \"in_vitro\"\n\
                    axial_sites = 4\ncircumferential_sites = 4\n[time]\nduration_days = 1\n";
        let plain = Scenario::from_toml(base, "t.toml").unwrap();
        let mut values = ParameterOverrides::new();
        values.insert(&module, &field, value * 0.9).unwrap();
        let laid = values.apply(&plain).unwrap();
        let of = |s: &Scenario| {
            s.params
                .rows()
                .into_iter()
                .find(|r| r.module == module && r.field == field)
                .unwrap()
                .value
        };
        assert_eq!(of(&laid).to_bits(), (value * 0.9).to_bits());
        let own = format!(
            "{base}[parameters.{module}]\n{field} = {:?}\n",
            value * 0.95
        );
        let own = Scenario::from_toml(&own, "t.toml").unwrap();
        assert_eq!(
            of(&values.apply(&own).unwrap()).to_bits(),
            (value * 0.95).to_bits()
        );
    }

    #[test]
    fn a_posterior_is_read_and_checked() {
        let (module, field, value) = a_parameter();
        let text = format!(
            "draw,weight,distance,{module}.{field}\n0,0.25,1.0,{value}\n1,0.75,2.0,{}\n",
            value * 0.9
        );
        let draws = parse_posterior("post.csv", &text).unwrap();
        assert_eq!(draws.len(), 2);
        assert_eq!(draws[1].values.get(&module, &field), Some(value * 0.9));
        let unweighted = text.replace("0.75", "0.5");
        assert!(parse_posterior("post.csv", &unweighted).is_err());
        let bad = text.replace(&format!("{module}.{field}"), "nomodule.x");
        let e = parse_posterior("post.csv", &bad).unwrap_err().to_string();
        assert!(e.starts_with("post.csv:1:"), "{e}");
        let bad = text.replace("0,0.25", "0,x");
        let e = parse_posterior("post.csv", &bad).unwrap_err().to_string();
        assert!(e.starts_with("post.csv:2:"), "{e}");
    }
}
