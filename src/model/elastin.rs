//! Elastic lamellae: their degradation by the proteases of phenotypically modulated VSMCs
//! and the nucleation template that degradation exposes (`docs/model.md` §5.3).
//!
//! ```text
//! A        = mean over the lamella site and its cell-holding neighbours of a_cell   elastolytic activity
//! a_cell   = 1 for a living osteo/chondrogenic cell, 0 for any other, dead or absent one
//! d(t+Δt)  = 1 − (1 − d(t)) · exp(−k_el · A · Δt)                                   degraded share
//! template = ε_el · elastin · (f_el + (1 − f_el) · d)                              nucleation template (mineral.rs)
//! ```
//!
//! Why: in medial calcification mineral forms first on the elastic lamellae, and elastin
//! degradation goes before it. Uraemic mice show elastin turnover together with the VSMC
//! phenotype change by week 4, and medial calcification by week 8 (Pai 2011, Am J Pathol
//! 178:764). The elastases (cathepsin S, MMP-2) rise in the uraemic aorta with the
//! osteo/chondrogenic change (Pai 2011). Mice lacking cathepsin S (Aikawa 2009,
//! Circulation 119:1785) or MMP-2 or MMP-9 (Basalyga 2004, Circulation 110:3480) are
//! protected from elastin degradation and calcification (both not read in full).
//! Contractile medial cells leave elastin alone: elastin in adult arteries turns over
//! over decades. So a lamella's template is small while its neighbours are contractile.
//! It grows once they change, which gives medial calcification its lag and its place.

use crate::model::fate::Phenotype;
use crate::model::mineral::MineralParams;
use crate::units::{DAY, HOUR};

/// [1] Elastolytic activity (cathepsin S, MMP-2) of a living cell with `phenotype`,
/// relative to an osteo/chondrogenic cell: 1 for osteogenic cells, 0 for the others.
/// Cathepsin S and MMP-2 rise with the osteo/chondrogenic change of uraemic media
/// (Pai 2011; Aikawa 2009, Circulation 119:1785: cathepsin S deficiency prevents elastin
/// degradation and calcification in CKD mice; not read in full). Synthetic cells are not
/// counted (assumed): the model's synthetic label in a wall also marks the low-α-SMA tail
/// of a healthy media (about 17% of its cells in normal plasma), whose elastin is stable
/// for decades.
#[must_use]
pub const fn elastolytic_activity(phenotype: Phenotype) -> f64 {
    match phenotype {
        Phenotype::Osteogenic => 1.0,
        Phenotype::Contractile | Phenotype::Synthetic => 0.0,
    }
}

/// [1] The degraded share of a lamella after `step_h` hours under elastolytic activity
/// `activity` [1] (0-1, the mean over the lamella site and its neighbours): exact for
/// first-order degradation of the intact share at `k_el · activity`.
#[must_use]
pub fn degraded_after(p: &MineralParams, degraded: f64, activity: f64, step_h: f64) -> f64 {
    let rate_per_h = p.elastolysis_rate_per_day * HOUR / DAY;
    let intact = (1.0 - degraded).clamp(0.0, 1.0);
    1.0 - intact * (-rate_per_h * activity.max(0.0) * step_h).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_osteogenic_neighbours_degrade_elastin() {
        let p = MineralParams::default();
        for quiet in [Phenotype::Contractile, Phenotype::Synthetic] {
            let a = elastolytic_activity(quiet);
            assert!(degraded_after(&p, 0.0, a, 24.0 * 365.0).abs() < 1e-15);
        }
        let a = elastolytic_activity(Phenotype::Osteogenic);
        assert!(degraded_after(&p, 0.0, a, 24.0 * 7.0) > 0.1);
    }

    #[test]
    fn degradation_is_first_order_in_the_intact_share_and_composes_over_steps() {
        let p = MineralParams::default();
        let k_per_h = p.elastolysis_rate_per_day / 24.0;
        let one = degraded_after(&p, 0.0, 1.0, 240.0);
        assert!((one - (1.0 - (-k_per_h * 240.0).exp())).abs() < 1e-12);
        let mut d = 0.0;
        for _ in 0..240 {
            d = degraded_after(&p, d, 1.0, 1.0);
        }
        assert!((d - one).abs() < 1e-12, "stepwise {d} vs one step {one}");
        // Half the activity takes twice as long.
        assert!((degraded_after(&p, 0.0, 0.5, 480.0) - one).abs() < 1e-12);
        // Never beyond fully degraded.
        assert!(degraded_after(&p, 0.99, 1.0, 1e6) <= 1.0);
    }

    #[test]
    fn the_template_grows_from_the_intact_share_to_the_full_template() {
        use crate::model::mineral::lamella_template_share;
        let p = MineralParams::default();
        assert!((lamella_template_share(&p, 0.0) - p.intact_elastin_template_share).abs() < 1e-15);
        assert!((lamella_template_share(&p, 1.0) - 1.0).abs() < 1e-15);
        let half = lamella_template_share(&p, 0.5);
        assert!(half > lamella_template_share(&p, 0.0) && half < 1.0);
    }
}
