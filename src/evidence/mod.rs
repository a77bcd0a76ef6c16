//! Published measurements as data (`data/` in the repository): the observations vcsim's
//! magnitudes are checked against, and the fixed split of their papers into a
//! calibration set and a held-out set.
//!
//! The files are compiled into the library ([`OBSERVATIONS_CSV`], [`SPLIT_CSV`]), so a
//! calibration or a validation reads exactly the committed data wherever vcsim runs.
//! Calibration code receives a [`CalibrationRows`], which can only be made from the rows
//! of calibration papers: a held-out row cannot reach a fit by construction, and
//! `tests/it/evidence.rs` checks that the split covers every paper.

pub mod observations;
pub mod protocols;
pub mod split;

pub use observations::{EffectKind, Observation, Theme};
pub use protocols::{Comparison, Mapping, ProtocolRow, Protocols};
pub use split::{PaperSet, Split};

use std::fmt;

/// `data/observations.csv`, as committed.
pub const OBSERVATIONS_CSV: &str = include_str!("../../data/observations.csv");
/// `data/split.csv`, as committed.
pub const SPLIT_CSV: &str = include_str!("../../data/split.csv");

/// A problem in a data file: the file, the line, the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// The file as the user knows it (`data/observations.csv`).
    pub file: String,
    /// 1-based line of the record (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// The column, or empty for the record as a whole.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.field.is_empty()) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (line, true) => write!(f, "{}:{line}: {}", self.file, self.message),
            (line, false) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
        }
    }
}

impl std::error::Error for DataError {}

impl DataError {
    /// A problem at `line` (and `field`, or "" for the record) of `file`.
    pub(crate) fn at(file: &str, line: u64, field: &str, message: String) -> Self {
        Self {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message,
        }
    }
}

/// The records of a CSV file with a header, each with its 1-based line, deserialised by
/// column name.
///
/// # Errors
/// The first record that is not CSV or lacks a column, at its line.
pub(crate) fn records<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<Vec<(u64, T)>, DataError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DataError::at(file, 1, "", e.to_string()))?
        .clone();
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                DataError::at(file, line, "", e.to_string())
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            let row = record
                .deserialize(Some(&headers))
                .map_err(|e| DataError::at(file, line, "", e.to_string()))?;
            Ok((line, row))
        })
        .collect()
}

/// The observations with the set of each one's paper.
#[derive(Debug, Clone)]
pub struct Dataset {
    observations: Vec<Observation>,
    split: Split,
}

/// The rows a calibration may read: only observations of papers in the calibration set.
/// The only constructor is [`Dataset::calibration_rows`].
#[derive(Debug, Clone, Copy)]
pub struct CalibrationRows<'a> {
    rows: &'a [Observation],
    split: &'a Split,
}

impl<'a> CalibrationRows<'a> {
    /// The calibration observations, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &'a Observation> + 'a {
        let split = self.split;
        self.rows
            .iter()
            .filter(move |o| split.set_of(&o.paper_key) == Some(PaperSet::Calibration))
    }

    /// The keys of the calibration set's papers, in key order (the split's side a fit may
    /// read; held-out papers are not named).
    pub fn papers(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.split
            .papers()
            .filter(|(_, set)| *set == PaperSet::Calibration)
            .map(|(key, _)| key)
    }

    /// How many calibration observations there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Dataset {
    /// The committed data, compiled into the library.
    ///
    /// # Errors
    /// A malformed row or a paper missing from the split (a defect of the committed data,
    /// caught by the tests before it ships).
    pub fn committed() -> Result<Self, DataError> {
        Self::parse(
            "data/observations.csv",
            OBSERVATIONS_CSV,
            "data/split.csv",
            SPLIT_CSV,
        )
    }

    /// Parses observations and a split; every observation's paper must be in the split.
    ///
    /// # Errors
    /// The first malformed row or a paper that the split does not assign.
    pub fn parse(
        observations_file: &str,
        observations_text: &str,
        split_file: &str,
        split_text: &str,
    ) -> Result<Self, DataError> {
        let observations = observations::parse(observations_file, observations_text)?;
        let split = Split::parse(split_file, split_text)?;
        for o in &observations {
            if split.set_of(&o.paper_key).is_none() {
                return Err(DataError {
                    file: observations_file.to_string(),
                    line: o.line,
                    field: "paper_key".to_string(),
                    message: format!(
                        "`{}` is not assigned to a set in {split_file} (run data/tools/split.py)",
                        o.paper_key
                    ),
                });
            }
        }
        Ok(Self {
            observations,
            split,
        })
    }

    /// Every observation, calibration and held-out, in file order (for reports that show
    /// both sets; a fit must use [`Self::calibration_rows`]).
    #[must_use]
    pub fn all(&self) -> &[Observation] {
        &self.observations
    }

    /// The set of an observation's paper.
    #[must_use]
    pub fn set_of(&self, observation: &Observation) -> PaperSet {
        // Every paper is assigned: checked in `parse`.
        self.split
            .set_of(&observation.paper_key)
            .unwrap_or(PaperSet::HeldOut)
    }

    /// The rows a calibration may read.
    #[must_use]
    pub fn calibration_rows(&self) -> CalibrationRows<'_> {
        CalibrationRows {
            rows: &self.observations,
            split: &self.split,
        }
    }

    /// The held-out rows, for testing a fitted model.
    pub fn held_out_rows(&self) -> impl Iterator<Item = &Observation> {
        self.observations
            .iter()
            .filter(|o| self.split.set_of(&o.paper_key) == Some(PaperSet::HeldOut))
    }
}
