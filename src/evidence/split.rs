//! The split of the dataset's papers into calibration and held-out sets
//! (`data/split.csv`, made once by `data/tools/split.py` before any fitting).

use super::DataError;
use std::collections::BTreeMap;

/// The set a paper belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaperSet {
    /// Rows a calibration fits to.
    Calibration,
    /// Rows only a validation of the fitted model reads.
    HeldOut,
}

impl PaperSet {
    /// The name used in the files (`calibration`, `held_out`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Calibration => "calibration",
            Self::HeldOut => "held_out",
        }
    }
}

/// Paper key -> set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    sets: BTreeMap<String, PaperSet>,
}

#[derive(serde::Deserialize)]
struct RawSplitRow {
    paper_key: String,
    set: String,
}

impl Split {
    /// Parses `split.csv` (columns `paper_key`, `set`, ...).
    ///
    /// # Errors
    /// A row that is not CSV, an unknown set name, an empty or repeated paper key.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut sets = BTreeMap::new();
        let error =
            |line: u64, field: &str, message: String| DataError::at(file, line, field, message);
        for (line, row) in super::records::<RawSplitRow>(file, text)? {
            let set = match row.set.as_str() {
                "calibration" => PaperSet::Calibration,
                "held_out" => PaperSet::HeldOut,
                other => {
                    return Err(error(
                        line,
                        "set",
                        format!("`{other}`: expected `calibration` or `held_out`"),
                    ));
                }
            };
            if row.paper_key.is_empty() {
                return Err(error(line, "paper_key", "empty".to_string()));
            }
            if sets.insert(row.paper_key.clone(), set).is_some() {
                return Err(error(
                    line,
                    "paper_key",
                    format!("`{}` is assigned twice", row.paper_key),
                ));
            }
        }
        Ok(Self { sets })
    }

    /// The set of a paper, if the split assigns it.
    #[must_use]
    pub fn set_of(&self, paper_key: &str) -> Option<PaperSet> {
        self.sets.get(paper_key).copied()
    }

    /// Every assigned paper and its set, by key.
    pub fn papers(&self) -> impl Iterator<Item = (&str, PaperSet)> {
        self.sets.iter().map(|(k, s)| (k.as_str(), *s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_set_names_line_and_field() {
        let text = "paper_key,set\na2000,calibration\nb2001,test\n";
        let e = Split::parse("split.csv", text).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "set"));
        assert!(e.to_string().starts_with("split.csv:3: set: `test`"), "{e}");
    }

    #[test]
    fn a_paper_assigned_twice_is_refused() {
        let text = "paper_key,set\na2000,calibration\na2000,held_out\n";
        let e = Split::parse("split.csv", text).unwrap_err();
        assert!(e.message.contains("assigned twice"), "{e}");
    }
}
