//! JNK (IRE1-TRAF2-ASK1 route) and caspase-12 (ER Ca²⁺ / calpain route) activation, two
//! of the three ER-stress death routes of claim AP-2 (`docs/model.md` §3.3.4).
//!
//! ```text
//! dJ/dt   = kJ  (1 + aJ  (Ip - 1)+ / (KJ  + (Ip - 1)+) - J)
//! dK12/dt = k12 (1 + a12 (U - Uthr)+ / (K12 + (U - Uthr)+) - K12)
//! ```
//!
//! Caspase-12 senses *unresolved* stress: it is driven only while unfolded protein stays
//! above `Uthr`, so the transient load of an adaptive dose does not cleave it but
//! chronic high stress does (about 3× in vitamin D3 + nicotine rat aortas, AP-3). JNK is
//! weak by default because p-JNK was unchanged in those aortas (AP-3, AP-5).

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::Source;
use crate::units::{per_h_to_per_min, per_min_to_per_h};

/// Parameters of the JNK and caspase-12 module.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct JnkCaspase12Params {
    /// `kJ` [h⁻¹]: p-JNK relaxation.
    pub jnk_relaxation_rate_per_h: f64,
    /// `aJ` [1]: maximal IRE1-TRAF2-ASK1 activation of JNK.
    pub ire1_jnk_gain: f64,
    /// `KJ` [1]: active-IRE1 excess for half-maximal JNK.
    pub ire1_jnk_half_activation: f64,
    /// `k12` [h⁻¹]: cleaved caspase-12 turnover (t½ ≈ 14 h).
    pub caspase12_relaxation_rate_per_h: f64,
    /// `a12` [1]: maximal caspase-12 cleavage by unresolved stress.
    pub caspase12_gain: f64,
    /// `K12` [1]: unfolded excess over Uthr for half-maximal cleavage.
    pub caspase12_half_activation: f64,
    /// `Uthr` [1]: unfolded-protein level above which caspase-12 is cleaved.
    pub caspase12_unfolded_threshold: f64,
}

impl Default for JnkCaspase12Params {
    fn default() -> Self {
        Self {
            jnk_relaxation_rate_per_h: 1.0,
            ire1_jnk_gain: 0.5,
            ire1_jnk_half_activation: 10.0,
            caspase12_relaxation_rate_per_h: 0.05,
            caspase12_gain: 3.0,
            caspase12_half_activation: 2.0,
            caspase12_unfolded_threshold: 3.0,
        }
    }
}

#[rustfmt::skip]
static SPECS: [ParamSpec<JnkCaspase12Params>; 7] = [
    spec("kJ", "jnk_relaxation_rate_per_h", "h⁻¹", "p-JNK relaxation", Source::Assumed("kinase cascade, about an hour; docs/model.md §3.4"), 0.01, per_min_to_per_h(1.0), |p| &mut p.jnk_relaxation_rate_per_h),
    spec("aJ", "ire1_jnk_gain", "1", "maximal IRE1-TRAF2-ASK1 activation of JNK", Source::Claim("AP-3 (p-JNK unchanged in VDN rats: weak by default)"), 0.0, 10.0, |p| &mut p.ire1_jnk_gain),
    spec("KJ", "ire1_jnk_half_activation", "1", "active-IRE1 excess for half-maximal JNK", Source::Assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.ire1_jnk_half_activation),
    spec("k12", "caspase12_relaxation_rate_per_h", "h⁻¹", "cleaved caspase-12 turnover (t½ ≈ 14 h)", Source::Assumed("slow, persistence-sensing arm; docs/model.md §3.3.6"), 0.001, 10.0, |p| &mut p.caspase12_relaxation_rate_per_h),
    spec("a12", "caspase12_gain", "1", "maximal caspase-12 cleavage by unresolved stress", Source::Claim("AP-3 (caspase-12 about 3x in VDN aortas)"), 0.0, 20.0, |p| &mut p.caspase12_gain),
    spec("K12", "caspase12_half_activation", "1", "unfolded excess over Uthr for half-maximal cleavage", Source::Assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.caspase12_half_activation),
    spec("Uthr", "caspase12_unfolded_threshold", "1", "unfolded-protein level above which caspase-12 is cleaved", Source::Assumed("U falls below 3 within 24 h at S = 2 but not at S = 8 (docs/model.md §3.3.6)"), 1.0, 20.0, |p| &mut p.caspase12_unfolded_threshold),
];

impl ParameterTable for JnkCaspase12Params {
    const MODULE: &'static str = "jnk_caspase12";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// [min⁻¹] `dJ/dt` and `dK12/dt`.
#[must_use]
pub fn rates(
    p: &JnkCaspase12Params,
    p_jnk: f64,
    caspase12: f64,
    p_ire1: f64,
    unfolded_protein: f64,
) -> (f64, f64) {
    let ire1_excess = (p_ire1 - 1.0).max(0.0);
    let jnk_drive =
        1.0 + p.ire1_jnk_gain * ire1_excess / (p.ire1_jnk_half_activation + ire1_excess);
    let unresolved = (unfolded_protein - p.caspase12_unfolded_threshold).max(0.0);
    let caspase_drive =
        1.0 + p.caspase12_gain * unresolved / (p.caspase12_half_activation + unresolved);
    (
        per_h_to_per_min(p.jnk_relaxation_rate_per_h) * (jnk_drive - p_jnk),
        per_h_to_per_min(p.caspase12_relaxation_rate_per_h) * (caspase_drive - caspase12),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caspase12_ignores_resolved_stress_and_senses_unresolved_stress() {
        let p = JnkCaspase12Params::default();
        assert!(rates(&p, 1.0, 1.0, 1.0, 2.5).1.abs() < 1e-15);
        assert!(rates(&p, 1.0, 1.0, 1.0, 6.0).1 > 0.0);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<JnkCaspase12Params>();
    }
}
