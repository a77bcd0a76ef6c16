//! Errors of loading a scenario: the file could not be read, or its content has problems.
//!
//! Every [`Problem`] knows where it is (line and column, when the parser gives a span),
//! which key it is about, the value found and what is allowed. [`ScenarioError`] renders
//! one problem per line as `file:line:col: key = value: what is allowed`.

use super::reference::{Bounds, Condition, quoted_list};
use crate::model::parameters::DidYouMean;
use std::fmt;
use std::path::PathBuf;

/// A position in the scenario text, both 1-based; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Location {
    /// The line and column of the byte `offset` in `text` (clamped to the end).
    #[must_use]
    pub fn at(text: &str, offset: usize) -> Self {
        let mut location = Self { line: 1, column: 1 };
        for (index, c) in text.char_indices() {
            if index >= offset {
                break;
            }
            if c == '\n' {
                location.line += 1;
                location.column = 1;
            } else {
                location.column += 1;
            }
        }
        location
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value found in the file, as shown in messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number (shown like `-1` or `0.5`).
    Number(f64),
    /// An integer.
    Integer(i64),
    /// A string (shown quoted).
    Text(String),
    /// A value as written in the file, shown as is (a value of the wrong type).
    Literal(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(value) => write!(f, "{value}"),
            Self::Integer(value) => write!(f, "{value}"),
            Self::Text(value) => write!(f, "{value:?}"),
            Self::Literal(value) => f.write_str(value),
        }
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::Text(value.to_string())
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Self::Text(value.clone())
    }
}

/// What is wrong, and what would be allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    /// The TOML parser rejected the text: a syntax error, or a value of the wrong type.
    Toml {
        /// The parser's message.
        message: String,
    },
    /// A value of the wrong type, e.g. a string where a number belongs.
    WrongType {
        /// What the key holds, in the reference's words (`a whole number in [1, 10000]`).
        expected: String,
    },
    /// The file is of another kind (an experiment file given to `vcsim run`).
    WrongFile {
        /// What the file is and the command it is for.
        hint: &'static str,
    },
    /// A key the format does not have.
    UnknownKey {
        /// The keys allowed here, as the parser lists them (``one of `a`, `b` ``).
        expected: String,
        /// The closest allowed key, if the unknown one looks like a typo.
        suggestion: DidYouMean,
    },
    /// A required table is absent.
    MissingTable,
    /// A required key is absent.
    MissingKey {
        /// The key is only required under this condition.
        when: Option<Condition>,
    },
    /// A number outside its allowed interval.
    OutOfRange {
        /// The allowed interval.
        allowed: Bounds,
        /// The unit of the value (empty for counts).
        unit: &'static str,
    },
    /// A name that is not one of the allowed names.
    UnknownName {
        /// What kind of name, e.g. `knockout` or `parameter module`.
        what: &'static str,
        /// The allowed names, or empty when there are too many to list.
        expected: Vec<&'static str>,
        /// The closest allowed name, if the value looks like a typo.
        suggestion: DidYouMean,
    },
    /// A string that does not have the required form.
    BadForm {
        /// The required form; completes "must be ...".
        expected: &'static str,
    },
    /// The same entry is listed twice.
    Duplicate,
    /// A key that does not belong to the selected mode or kind.
    NotApplicable {
        /// The selecting key and the value it must have for this key to be allowed.
        only_when: Condition,
        /// The value the selecting key has.
        selected: String,
    },
    /// A value that contradicts another key.
    Inconsistent {
        /// The requirement, e.g. `must be <= time.duration_days (14)`.
        requirement: String,
    },
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Toml { message } => f.write_str(message),
            Self::WrongType { expected } => write!(f, "expected {expected}"),
            Self::WrongFile { hint } => f.write_str(hint),
            Self::UnknownKey {
                expected,
                suggestion,
            } => write!(f, "unknown key, {expected}{suggestion}"),
            Self::MissingTable => f.write_str("required table is missing"),
            Self::MissingKey { when: None } => f.write_str("required key is missing"),
            Self::MissingKey { when: Some(when) } => {
                write!(f, "required key is missing (required when {when})")
            }
            Self::OutOfRange { allowed, unit } => {
                write!(f, "must be ")?;
                if allowed.max.is_finite() {
                    write!(f, "in ")?;
                }
                write!(f, "{allowed}")?;
                if !unit.is_empty() && *unit != "1" {
                    write!(f, " {unit}")?;
                }
                Ok(())
            }
            Self::UnknownName {
                what,
                expected,
                suggestion,
            } => {
                write!(f, "unknown {what}")?;
                if !expected.is_empty() {
                    write!(f, "; expected one of {}", quoted_list(expected))?;
                }
                write!(f, "{suggestion}")
            }
            Self::BadForm { expected } => write!(f, "must be {expected}"),
            Self::Duplicate => f.write_str("listed more than once"),
            Self::NotApplicable {
                only_when,
                selected,
            } => write!(
                f,
                "not allowed when {} = \"{selected}\" (only when {only_when})",
                only_when.key
            ),
            Self::Inconsistent { requirement } => f.write_str(requirement),
        }
    }
}

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// The dotted key path, e.g. `environment.phosphate_mM`; empty for problems of the
    /// document as a whole (a syntax error outside any key).
    pub key: String,
    /// The value found, if there is one to show.
    pub value: Option<Value>,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    /// `key = value: message`, `key: message` or `message`, without the location.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.key.is_empty() {
            f.write_str(&self.key)?;
            if let Some(value) = &self.value {
                write!(f, " = {value}")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// Loading a scenario failed.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read (missing, unreadable).
    #[error("{}: cannot read the scenario file: {source}", path.display())]
    Io {
        /// The path that was asked for.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file was read but its content is not a valid scenario.
    #[error("{}", render(origin, problems))]
    Invalid {
        /// The file name used in messages.
        origin: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems of an invalid scenario; empty for an I/O error.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Io { .. } => &[],
            Self::Invalid { problems, .. } => problems,
        }
    }
}

/// One line per problem: `origin:line:col: problem`, or `origin: problem` without a
/// location.
fn render(origin: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| render_one(origin, problem))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One problem as `origin:line:col: problem`, or `origin: problem` without a location.
#[must_use]
pub fn render_one(origin: &str, problem: &Problem) -> String {
    match problem.location {
        Some(location) => format!("{origin}:{location}: {problem}"),
        None => format!("{origin}: {problem}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters_from_one() {
        let text = "a = 1\nµ = 2\n";
        assert_eq!(Location::at(text, 0), Location { line: 1, column: 1 });
        // "µ" is two bytes but one column.
        let offset = text.rfind('=').unwrap();
        assert_eq!(Location::at(text, offset), Location { line: 2, column: 3 });
        assert_eq!(Location::at(text, 1000), Location { line: 3, column: 1 });
    }

    #[test]
    fn invalid_scenario_renders_one_line_per_problem() {
        let error = ScenarioError::Invalid {
            origin: "x.toml".into(),
            problems: vec![
                Problem {
                    location: Some(Location {
                        line: 12,
                        column: 15,
                    }),
                    key: "environment.phosphate_mM".into(),
                    value: Some(Value::Number(-1.0)),
                    kind: ProblemKind::OutOfRange {
                        allowed: Bounds::closed(0.0, 10.0),
                        unit: "mM",
                    },
                },
                Problem {
                    location: None,
                    key: "time".into(),
                    value: None,
                    kind: ProblemKind::MissingTable,
                },
            ],
        };
        assert_eq!(
            error.to_string(),
            "x.toml:12:15: environment.phosphate_mM = -1: must be in [0, 10] mM\n\
             x.toml: time: required table is missing"
        );
    }
}
