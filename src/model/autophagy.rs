//! Autophagy flux (LC3-II / Beclin-1 / ATG5 proxy) and its feedback on ER stress
//! (`docs/model.md` §3.3.3, §4.5).
//!
//! ```text
//! dAut/dt = kAut ((1 + aAU (U - 1)+ + aAPi (Pi_in - 1)+) (1 - eta3MA) (1 + induction)
//!                 (1 + bAM) / (1 + bAM M) - Aut)
//! ER-phagy clearance coefficient in dU/dt:  kAU (Aut - 1)
//! ```
//!
//! ER stress (unfolded protein) and intracellular phosphate induce autophagy (AU-2; Dai
//! 2013); mTORC1 inhibits it (AU-4); 3-MA blocks it (AU-3). Autophagy clears unfolded
//! protein (negative feedback on ER stress, AU-2) and lowers matrix-vesicle release
//! (AU-1, population model).
//!
//! Deviation from the original design, made knowingly: the design's mTORC1 term
//! `1/(1 + bAM (M - 1)+)` only acts when mTORC1 is above rest, so rapamycin could not raise
//! autophagy in an unstressed cell. The form `(1 + bAM)/(1 + bAM M)` equals 1 at rest,
//! falls when mTORC1 rises and rises (to at most `1 + bAM`) when mTORC1 is inhibited,
//! as rapamycin-induced autophagy requires.

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};
use crate::units::{per_h_to_per_min, per_min_to_per_h};

/// Parameters of the autophagy module.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AutophagyParams {
    /// `kAut` [h⁻¹]: autophagy flux relaxation.
    pub autophagy_relaxation_rate_per_h: f64,
    /// `aAU` [1]: ER-stress (unfolded protein) induction of autophagy.
    pub unfolded_autophagy_gain: f64,
    /// `aAPi` [1]: phosphate induction of autophagy.
    pub phosphate_autophagy_gain: f64,
    /// `bAM` [1]: mTORC1 inhibition of autophagy.
    pub mtorc1_autophagy_inhibition: f64,
    /// `kAU` [min⁻¹]: autophagic (ER-phagy) clearance of unfolded protein per unit flux above rest.
    pub erphagy_clearance_rate: f64,
}

impl Default for AutophagyParams {
    fn default() -> Self {
        Self {
            autophagy_relaxation_rate_per_h: 0.5,
            unfolded_autophagy_gain: 0.1,
            phosphate_autophagy_gain: 0.5,
            mtorc1_autophagy_inhibition: 3.0,
            erphagy_clearance_rate: 0.3,
        }
    }
}

#[rustfmt::skip]
static SPECS: [ParamSpec<AutophagyParams>; 5] = [
    spec("kAut", "autophagy_relaxation_rate_per_h", "h⁻¹", "autophagy flux relaxation", Source::Assumed("flux adapts within hours; docs/model.md §3.4"), 0.01, per_min_to_per_h(1.0), |p| &mut p.autophagy_relaxation_rate_per_h),
    spec("aAU", "unfolded_autophagy_gain", "1", "ER-stress (unfolded protein) induction of autophagy", Source::Claim("AU-2"), 0.0, 10.0, |p| &mut p.unfolded_autophagy_gain),
    spec("aAPi", "phosphate_autophagy_gain", "1", "phosphate induction of autophagy", Source::Paper(Reference::Dai2013), 0.0, 10.0, |p| &mut p.phosphate_autophagy_gain),
    spec("bAM", "mtorc1_autophagy_inhibition", "1", "mTORC1 inhibition of autophagy", Source::Assumed("calibrated: AU-4 (persistent mTORC1 in CKD lowers ATG5 and LC3-II despite ER stress and high phosphate, which induce autophagy)"), 0.0, 10.0, |p| &mut p.mtorc1_autophagy_inhibition),
    spec("kAU", "erphagy_clearance_rate", "min⁻¹", "autophagic (ER-phagy) clearance of unfolded protein per unit flux above rest", Source::Assumed("calibrated: AU-2, AU-3 (3-MA raises GRP78 in calcifying VSMCs, Dai 2013); docs/model.md §3.4 suggests 0.1"), 0.0, 1.0, |p| &mut p.erphagy_clearance_rate),
];

impl ParameterTable for AutophagyParams {
    const MODULE: &'static str = "autophagy";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// [min⁻¹] `dAut/dt`.
#[must_use]
pub fn rate(
    p: &AutophagyParams,
    autophagy: f64,
    unfolded_protein: f64,
    phosphate_intracellular: f64,
    mtorc1: f64,
    block: f64,
    induction: f64,
) -> f64 {
    let inhibition = p.mtorc1_autophagy_inhibition;
    let drive = (1.0
        + p.unfolded_autophagy_gain * (unfolded_protein - 1.0).max(0.0)
        + p.phosphate_autophagy_gain * (phosphate_intracellular - 1.0).max(0.0))
        * (1.0 - block)
        * (1.0 + induction)
        * (1.0 + inhibition)
        / (1.0 + inhibition * mtorc1);
    per_h_to_per_min(p.autophagy_relaxation_rate_per_h) * (drive - autophagy)
}

/// [min⁻¹] The ER-phagy clearance coefficient `kAU (Aut - 1)` handed to the UPR core.
#[must_use]
pub fn erphagy_clearance(p: &AutophagyParams, autophagy: f64) -> f64 {
    p.erphagy_clearance_rate * (autophagy - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_is_a_fixed_point() {
        let r = rate(&AutophagyParams::default(), 1.0, 1.0, 1.0, 1.0, 0.0, 0.0);
        assert!(r.abs() < 1e-15);
    }

    #[test]
    fn mtorc1_inhibition_raises_and_3ma_lowers_the_drive() {
        let p = AutophagyParams::default();
        assert!(rate(&p, 1.0, 1.0, 1.0, 0.2, 0.0, 0.0) > 0.0);
        assert!(rate(&p, 1.0, 1.0, 1.0, 1.0, 0.7, 0.0) < 0.0);
        assert!(rate(&p, 1.0, 4.0, 2.0, 1.0, 0.0, 0.0) > 0.0);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<AutophagyParams>();
    }
}
