//! The species the cells come from: an experimental condition, like the medium.
//!
//! Human, rat and mouse VSMCs are used side by side in the calcification literature, and
//! they do not grow alike: cultured rat aortic SMCs double in about 16 h while growing
//! exponentially (Bačáková 1997), human aortic SMCs in about 72 h (Eskin 1981). What
//! differs between species in the model is only what a measurement separates: the
//! duration of the cell-cycle phases ([`crate::model::fate::FateParams::cycle_of`]). Every
//! other parameter is shared, and a species without its own measured cycle is not offered
//! (a mouse culture runs as the default, human, and its protocol says so).

use serde::Serialize;

/// The species of the simulated VSMCs (`genetics.species` in a scenario file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Species {
    /// Human VSMCs: the default, and the species most parameters were measured in.
    #[default]
    Human,
    /// Rat VSMCs (aortic): a shorter cell cycle.
    Rat,
}

impl Species {
    /// Every species, in the order the scenario reference lists them.
    pub const ALL: [Self; 2] = [Self::Human, Self::Rat];

    /// The name a scenario file uses.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Rat => "rat",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_human_is_the_default() {
        assert_eq!(Species::default(), Species::Human);
        let names: Vec<_> = Species::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["human", "rat"]);
    }
}
