//! mTORC1 activity and Sestrin1/3 (`docs/model.md` §3.3.2).
//!
//! ```text
//! dM/dt   = kM   ((1 + aPi (Pi_in - 1)+ + aRAGE RAGE + aGF GF)
//!                  / ((1 + bSes (Ses - 1)+) (1 + Rapa/IC50)) - M)
//! dSes/dt = kSes (1 + aSA sigmaCKD (A4eff - 1)+ - Ses)
//! ```
//!
//! PERK → ATF4 → Sestrin1/3 inhibits mTORC1 (claim AU-4); intracellular phosphate and
//! RAGE keep mTORC1 on in CKD, where Sestrin induction is blunted (`sigmaCKD` < 1, uremia
//! /mTORC1 paper). mTORC1 drives translation and so the ER client load (`stress_input`),
//! and suppresses autophagy (`autophagy`). Rates are per hour in the table and converted
//! to per minute here.

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};
use crate::units::{per_h_to_per_min, per_min_to_per_h};

/// Parameters of the mTORC1-Sestrin module.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Mtorc1Params {
    /// `kM` [h⁻¹]: mTORC1 activity relaxation.
    pub mtorc1_relaxation_rate_per_h: f64,
    /// `aPi` [1]: intracellular phosphate drive on mTORC1.
    pub phosphate_mtorc1_gain: f64,
    /// `aRAGE` [1]: RAGE drive on mTORC1 (persistent in uraemia).
    pub rage_mtorc1_gain: f64,
    /// `aGF` [1]: growth-factor drive on mTORC1.
    pub growth_factor_mtorc1_gain: f64,
    /// `bSes` [1]: Sestrin1/3 inhibition of mTORC1.
    pub sestrin_mtorc1_inhibition: f64,
    /// `IC50_rapa` [nM]: rapamycin concentration halving mTORC1 activity.
    pub rapamycin_ic50: f64,
    /// `kSes` [h⁻¹]: Sestrin1/3 turnover.
    pub sestrin_relaxation_rate_per_h: f64,
    /// `aSA` [1]: ATF4 induction of Sestrin1/3.
    pub atf4_sestrin_gain: f64,
    /// `sigmaCKD` [1]: Sestrin responsiveness (1 normal, 0.3 in CKD).
    pub ckd_sestrin_responsiveness: f64,
}

impl Default for Mtorc1Params {
    fn default() -> Self {
        Self {
            mtorc1_relaxation_rate_per_h: 1.0,
            phosphate_mtorc1_gain: 0.5,
            rage_mtorc1_gain: 1.0,
            growth_factor_mtorc1_gain: 0.5,
            sestrin_mtorc1_inhibition: 1.0,
            rapamycin_ic50: 1.0,
            sestrin_relaxation_rate_per_h: 0.2,
            atf4_sestrin_gain: 1.0,
            ckd_sestrin_responsiveness: 1.0,
        }
    }
}

#[rustfmt::skip]
static SPECS: [ParamSpec<Mtorc1Params>; 9] = [
    spec("kM", "mtorc1_relaxation_rate_per_h", "h⁻¹", "mTORC1 activity relaxation", Source::Assumed("kinase signalling settles within about an hour; docs/model.md §3.4"), 0.01, per_min_to_per_h(1.0), |p| &mut p.mtorc1_relaxation_rate_per_h),
    spec("aPi", "phosphate_mtorc1_gain", "1", "intracellular phosphate drive on mTORC1", Source::Paper(Reference::UremiaMtorc1), 0.0, 10.0, |p| &mut p.phosphate_mtorc1_gain),
    spec("aRAGE", "rage_mtorc1_gain", "1", "RAGE drive on mTORC1 (persistent in uraemia)", Source::Paper(Reference::UremiaMtorc1), 0.0, 10.0, |p| &mut p.rage_mtorc1_gain),
    spec("aGF", "growth_factor_mtorc1_gain", "1", "growth-factor drive on mTORC1", Source::Assumed("docs/model.md §3.4"), 0.0, 10.0, |p| &mut p.growth_factor_mtorc1_gain),
    spec("bSes", "sestrin_mtorc1_inhibition", "1", "Sestrin1/3 inhibition of mTORC1", Source::Claim("AU-4"), 0.0, 10.0, |p| &mut p.sestrin_mtorc1_inhibition),
    spec("IC50_rapa", "rapamycin_ic50", "nM", "rapamycin concentration halving mTORC1 activity", Source::Assumed("order of magnitude of cellular IC50; 10-100 nM is saturating (docs/model.md §3.4)"), 0.01, 1000.0, |p| &mut p.rapamycin_ic50),
    spec("kSes", "sestrin_relaxation_rate_per_h", "h⁻¹", "Sestrin1/3 turnover", Source::Assumed("transcriptional target, hours; docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.sestrin_relaxation_rate_per_h),
    spec("aSA", "atf4_sestrin_gain", "1", "ATF4 induction of Sestrin1/3", Source::Claim("AU-4"), 0.0, 10.0, |p| &mut p.atf4_sestrin_gain),
    spec("sigmaCKD", "ckd_sestrin_responsiveness", "1", "Sestrin responsiveness (1 normal, 0.3 in CKD)", Source::Paper(Reference::UremiaMtorc1), 0.0, 1.0, |p| &mut p.ckd_sestrin_responsiveness),
];

impl ParameterTable for Mtorc1Params {
    const MODULE: &'static str = "mtorc1";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// [min⁻¹] `dM/dt` and `dSes/dt`.
#[must_use]
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per biological input"
)]
pub fn rates(
    p: &Mtorc1Params,
    mtorc1: f64,
    sestrin: f64,
    atf4_activity: f64,
    phosphate_intracellular: f64,
    rage: f64,
    growth_factors: f64,
    rapamycin: f64,
) -> (f64, f64) {
    let drive = (1.0
        + p.phosphate_mtorc1_gain * (phosphate_intracellular - 1.0).max(0.0)
        + p.rage_mtorc1_gain * rage
        + p.growth_factor_mtorc1_gain * growth_factors)
        / ((1.0 + p.sestrin_mtorc1_inhibition * (sestrin - 1.0).max(0.0))
            * (1.0 + rapamycin / p.rapamycin_ic50));
    let sestrin_drive =
        1.0 + p.atf4_sestrin_gain * p.ckd_sestrin_responsiveness * (atf4_activity - 1.0).max(0.0);
    (
        per_h_to_per_min(p.mtorc1_relaxation_rate_per_h) * (drive - mtorc1),
        per_h_to_per_min(p.sestrin_relaxation_rate_per_h) * (sestrin_drive - sestrin),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_is_a_fixed_point() {
        let (dm, ds) = rates(&Mtorc1Params::default(), 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0);
        assert!(dm.abs() < 1e-15 && ds.abs() < 1e-15);
    }

    #[test]
    fn rapamycin_and_sestrin_lower_mtorc1_drive() {
        let p = Mtorc1Params::default();
        assert!(rates(&p, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 10.0).0 < 0.0);
        assert!(rates(&p, 1.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.0).0 < 0.0);
        assert!(rates(&p, 1.0, 1.0, 1.0, 2.0, 1.0, 0.0, 0.0).0 > 0.0);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<Mtorc1Params>();
    }
}
