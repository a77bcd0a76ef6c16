//! Parameter tables: one row per model parameter with its symbol, value, unit, meaning,
//! source and the range a user may set it to.
//!
//! Each pathway's parameter struct implements [`ParameterTable`] with a static list of
//! [`ParamSpec`]s. The `Default` impl of the struct is the single source of truth for
//! values; the table reads them through an accessor, so values are never written twice.
//! The same accessors let scenario files override a parameter by module and field name.

use crate::references::Source;
use std::fmt;

/// The description of one parameter of the struct `P`.
pub struct ParamSpec<P> {
    /// The symbol in the source paper or in `docs/model.md`, e.g. `kdB`.
    pub symbol: &'static str,
    /// The Rust field name, also the key in parameter overrides.
    pub field: &'static str,
    /// The unit, e.g. `min⁻¹`, `h⁻¹`, `mM`, `1` (dimensionless).
    pub unit: &'static str,
    /// What the parameter means, in a few words a biologist reads.
    pub meaning: &'static str,
    /// Where the value comes from.
    pub source: Source,
    /// The smallest value a user may set.
    pub min: f64,
    /// The largest value a user may set.
    pub max: f64,
    /// Reads or writes the field.
    pub access: fn(&mut P) -> &mut f64,
}

/// Builds a [`ParamSpec`]; used by the static tables of every module.
#[must_use]
#[expect(clippy::too_many_arguments, reason = "one argument per table column")]
pub const fn spec<P>(
    symbol: &'static str,
    field: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: Source,
    min: f64,
    max: f64,
    access: fn(&mut P) -> &mut f64,
) -> ParamSpec<P> {
    ParamSpec {
        symbol,
        field,
        unit,
        meaning,
        source,
        min,
        max,
        access,
    }
}

/// One rendered row of a parameter table, independent of the struct it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamRow {
    /// The module (pathway) the parameter belongs to, e.g. `upr_core`.
    pub module: &'static str,
    /// The symbol in the source.
    pub symbol: &'static str,
    /// The field name.
    pub field: &'static str,
    /// The current value.
    pub value: f64,
    /// The unit.
    pub unit: &'static str,
    /// The meaning.
    pub meaning: &'static str,
    /// The source.
    pub source: Source,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
}

/// A problem with setting a parameter by name.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// The module has no parameter with that field name.
    #[error("module `{module}` has no parameter `{field}`{suggestion}")]
    UnknownField {
        /// The module.
        module: &'static str,
        /// The name that was asked for.
        field: String,
        /// ", did you mean `...`?" or empty.
        suggestion: DidYouMean,
    },
    /// There is no module of that name.
    #[error("no parameter module `{module}`{suggestion}")]
    UnknownModule {
        /// The name that was asked for.
        module: String,
        /// ", did you mean `...`?" or empty.
        suggestion: DidYouMean,
    },
    /// The value is outside the documented range.
    #[error("{module}.{field} = {value} is outside the allowed range [{min}, {max}] ({unit})")]
    OutOfRange {
        /// The module.
        module: &'static str,
        /// The field.
        field: &'static str,
        /// The value given.
        value: f64,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
        /// Unit of the parameter.
        unit: &'static str,
    },
}

/// An optional "did you mean" hint, rendered as `, did you mean `x`?`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DidYouMean(pub Option<String>);

impl fmt::Display for DidYouMean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(name) => write!(f, ", did you mean `{name}`?"),
            None => Ok(()),
        }
    }
}

/// The closest candidate to `wanted` by edit distance, if it is close enough to be a typo.
#[must_use]
///
/// Case does not count (`4-PBA` finds `4-pba`), nor does a missing end of at least 4
/// characters' start (`erphagy_clearance` finds `erphagy_clearance_rate`). A typo is at
/// most one edit in a name of
/// up to 4 characters (`ire` → `ire1`, but `foo` finds nothing in `ros`), two up to 12
/// characters (`aft4` → `atf4`), and a sixth of the length beyond.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        let (shorter, longer) = if wanted_lower.len() <= candidate_lower.len() {
            (&wanted_lower, &candidate_lower)
        } else {
            (&candidate_lower, &wanted_lower)
        };
        // A name cut short (`erphagy_clearance` for `erphagy_clearance_rate`) counts as
        // one edit.
        let distance = if shorter.chars().count() >= 4 && longer.starts_with(shorter.as_str()) {
            1
        } else {
            edit_distance(&wanted_lower, &candidate_lower)
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.filter(|(d, c)| *d <= typo_limit(c.chars().count().max(wanted.chars().count())))
        .map(|(_, c)| c.to_string())
}

/// The most edits that still look like a typo of a name of `length` characters.
const fn typo_limit(length: usize) -> usize {
    match length {
        0..=4 => 1,
        5..=12 => 2,
        _ => length / 6,
    }
}

/// Edits (insertions, deletions, substitutions and swaps of neighbours, each 1) from
/// `a` to `b` (optimal string alignment distance).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before_previous: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                best = best.min(before_previous[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        before_previous = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

/// A parameter struct with a documented table.
pub trait ParameterTable: Clone + Sized + 'static {
    /// The module name used by `vcsim params --module` and in overrides.
    const MODULE: &'static str;

    /// The specification of every parameter, in table order.
    fn specs() -> &'static [ParamSpec<Self>];

    /// The table with the current values.
    fn rows(&self) -> Vec<ParamRow> {
        let mut copy = self.clone();
        Self::specs()
            .iter()
            .map(|spec| ParamRow {
                module: Self::MODULE,
                symbol: spec.symbol,
                field: spec.field,
                value: *(spec.access)(&mut copy),
                unit: spec.unit,
                meaning: spec.meaning,
                source: spec.source,
                min: spec.min,
                max: spec.max,
            })
            .collect()
    }

    /// Sets a parameter by field name, checking its documented range.
    ///
    /// # Errors
    /// [`ParamError::UnknownField`] with a suggestion for a typo, or
    /// [`ParamError::OutOfRange`].
    fn set(&mut self, field: &str, value: f64) -> Result<(), ParamError> {
        let Some(spec) = Self::specs().iter().find(|s| s.field == field) else {
            return Err(ParamError::UnknownField {
                module: Self::MODULE,
                field: field.to_string(),
                suggestion: DidYouMean(closest(field, Self::specs().iter().map(|s| s.field))),
            });
        };
        if !(value.is_finite() && value >= spec.min && value <= spec.max) {
            return Err(ParamError::OutOfRange {
                module: Self::MODULE,
                field: spec.field,
                value,
                min: spec.min,
                max: spec.max,
                unit: spec.unit,
            });
        }
        *(spec.access)(self) = value;
        Ok(())
    }

    /// Reads a parameter by field name.
    fn get(&self, field: &str) -> Option<f64> {
        let mut copy = self.clone();
        Self::specs()
            .iter()
            .find(|s| s.field == field)
            .map(|spec| *(spec.access)(&mut copy))
    }
}

/// The field names of a parameter struct, sorted, read through serde (test helper that
/// proves every field appears in the table).
#[cfg(test)]
pub(crate) fn field_names<P: serde::Serialize>(params: &P) -> Vec<String> {
    let value = serde_json::to_value(params).expect("parameter structs serialise");
    let mut names: Vec<String> = value
        .as_object()
        .expect("parameter structs serialise to objects")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

/// Asserts that every field of `P` is in its table and vice versa (test helper).
#[cfg(test)]
pub(crate) fn assert_table_complete<P: ParameterTable + serde::Serialize + Default>() {
    let mut table: Vec<String> = P::specs().iter().map(|s| s.field.to_string()).collect();
    table.sort();
    assert_eq!(field_names(&P::default()), table, "module {}", P::MODULE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_ignores_case_counts_a_swap_as_one_edit_and_refuses_far_names() {
        assert_eq!(
            closest("4-PBA", ["4-pba", "tudca"]).as_deref(),
            Some("4-pba")
        );
        assert_eq!(closest("aft4", ["atf4", "atf6"]).as_deref(), Some("atf4"));
        assert_eq!(closest("foo", ["ros", "il6", "lps"]), None);
        assert_eq!(closest("ire", ["ire1", "perk"]).as_deref(), Some("ire1"));
        assert_eq!(
            closest(
                "erphagy_clearance",
                ["erphagy_clearance_rate", "erphagy_max"]
            )
            .as_deref(),
            Some("erphagy_clearance_rate")
        );
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_suggests_a_near_typo_and_nothing_for_nonsense() {
        let names = ["bip_protein_degradation_rate", "atf4_degradation_rate"];
        assert_eq!(
            closest("bip_protien_degradation_rate", names).as_deref(),
            Some("bip_protein_degradation_rate")
        );
        assert_eq!(closest("zzz", names), None);
    }
}
