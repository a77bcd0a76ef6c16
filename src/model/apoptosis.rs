//! The apoptosis integrator: Bcl-2 buffer, pro-apoptotic drive and the hazard of
//! apoptosis per hour (`docs/model.md` §3.3.6; claims AP-1..AP-5).
//!
//! ```text
//! dBcl2/dt = kBcl (1/(1 + bCB (C - 1)+) - Bcl2)           CHOP represses Bcl-2 (AP-2)
//! BH3      = 1 + bCH (C - 1)+ / (KCH + (C - 1)+)           CHOP induces Bim, DR5 (AP-2)
//! D        = wC (BH3/Bcl2 - 1) + w12 (K12 - 1)+ + wJ (J - 1)+ + wX Xext + wAut (Aut - 1)
//! h_apo    = F_surv (h0 + h1 D+^nD / (KD^nD + D+^nD))      [h⁻¹]  (F_surv: high glucose's factor, stress_input)
//! ```
//!
//! The structure follows Erguler et al. 2013 (CHOP ⊣ Bcl-2, CHOP → BH3-only proteins);
//! the rule "persistent, not transient, CHOP kills" follows Rutkowski et al. 2006. Both
//! arms that feed the drive are slow and persistence-sensing: Bcl-2 (t½ ≈ 23 h) is only
//! dented by a CHOP pulse, and caspase-12 needs unresolved stress. With the defaults the
//! published core gives 72-h survival of about 0.9 at S = 2 and about 0.2 at S = 8.
//! `D` can be negative (Bcl-2 above rest); only its positive part drives the hazard.

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};
use crate::units::per_h_to_per_min;

/// Parameters of the apoptosis integrator.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ApoptosisParams {
    /// `kBcl` [h⁻¹]: Bcl-2 turnover (t½ ≈ 23 h).
    pub bcl2_relaxation_rate_per_h: f64,
    /// `bCB` [1]: CHOP repression of Bcl-2.
    pub chop_bcl2_repression: f64,
    /// `bCH` [1]: optional CHOP induction of Bim/DR5 (0 = off).
    pub chop_bh3_gain: f64,
    /// `KCH` [1]: CHOP excess for half-maximal BH3 induction.
    pub chop_bh3_half_activation: f64,
    /// `wC` [1]: weight of the CHOP/Bcl-2 route in the drive.
    pub chop_route_weight: f64,
    /// `w12` [1]: weight of the caspase-12 route.
    pub caspase12_route_weight: f64,
    /// `wJ` [1]: weight of the JNK route.
    pub jnk_route_weight: f64,
    /// `wX` [1]: weight of extrinsic death signals (TNF-α, Fas, oxysterols).
    pub extrinsic_route_weight: f64,
    /// `wAut` [1]: weight of autophagy in the drive (0: no protection, no harm).
    pub autophagy_route_weight: f64,
    /// `h0` [h⁻¹]: basal apoptosis hazard in culture (about 0.7%/day).
    pub basal_hazard_per_h: f64,
    /// `h0_vivo` [h⁻¹]: basal apoptosis hazard of medial VSMCs in a vessel wall (used in vessel mode).
    pub basal_hazard_in_vivo_per_h: f64,
    /// `h1_vivo` [1]: factor on the stress-driven hazard of medial VSMCs in a vessel wall (used in vessel mode).
    pub stress_hazard_scale_in_vivo: f64,
    /// `h1` [h⁻¹]: maximal stress-induced hazard (about 60%/day).
    pub maximal_stress_hazard_per_h: f64,
    /// `KD` [1]: pro-apoptotic drive at half-maximal hazard.
    pub drive_half_hazard: f64,
    /// `nD` [1]: Hill exponent of the hazard.
    pub drive_hill: f64,
}

impl Default for ApoptosisParams {
    fn default() -> Self {
        Self {
            bcl2_relaxation_rate_per_h: 0.03,
            chop_bcl2_repression: 0.3,
            chop_bh3_gain: 0.0,
            chop_bh3_half_activation: 5.0,
            chop_route_weight: 1.0,
            caspase12_route_weight: 1.0,
            jnk_route_weight: 0.5,
            extrinsic_route_weight: 1.0,
            autophagy_route_weight: 0.0,
            basal_hazard_per_h: 3e-4,
            basal_hazard_in_vivo_per_h: 1e-5,
            stress_hazard_scale_in_vivo: 0.03,
            maximal_stress_hazard_per_h: 0.04,
            drive_half_hazard: 2.0,
            drive_hill: 4.0,
        }
    }
}

#[rustfmt::skip]
static SPECS: [ParamSpec<ApoptosisParams>; 15] = [
    spec("kBcl", "bcl2_relaxation_rate_per_h", "h⁻¹", "Bcl-2 turnover (t½ ≈ 23 h)", Source::Calibrated("persistent, not transient, CHOP kills (Rutkowski 2006); docs/model.md §3.3.6"), 0.001, 10.0, |p| &mut p.bcl2_relaxation_rate_per_h),
    spec("bCB", "chop_bcl2_repression", "1", "CHOP repression of Bcl-2", Source::Claim("AP-2"), 0.0, 10.0, |p| &mut p.chop_bcl2_repression),
    spec("bCH", "chop_bh3_gain", "1", "optional CHOP induction of Bim/DR5 (0 = off)", Source::Claim("AP-2"), 0.0, 10.0, |p| &mut p.chop_bh3_gain),
    spec("KCH", "chop_bh3_half_activation", "1", "CHOP excess for half-maximal BH3 induction", Source::Assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.chop_bh3_half_activation),
    spec("wC", "chop_route_weight", "1", "weight of the CHOP/Bcl-2 route in the drive", Source::Calibrated("72-h survival 0.9 at S = 2, about 0.2 at S = 8 (Rutkowski 2006, Diedrichs 2018)"), 0.0, 10.0, |p| &mut p.chop_route_weight),
    spec("w12", "caspase12_route_weight", "1", "weight of the caspase-12 route", Source::Calibrated("as wC; caspase-12 route of AP-2"), 0.0, 10.0, |p| &mut p.caspase12_route_weight),
    spec("wJ", "jnk_route_weight", "1", "weight of the JNK route", Source::Assumed("p-JNK unchanged in VDN rats (AP-3): minor route"), 0.0, 10.0, |p| &mut p.jnk_route_weight),
    spec("wX", "extrinsic_route_weight", "1", "weight of extrinsic death signals (TNF-α, Fas, oxysterols)", Source::Assumed("docs/model.md §3.4"), 0.0, 10.0, |p| &mut p.extrinsic_route_weight),
    spec("wAut", "autophagy_route_weight", "1", "weight of autophagy in the drive (0: no protection, no harm)", Source::Paper(Reference::Dai2013), -10.0, 10.0, |p| &mut p.autophagy_route_weight),
    spec("h0", "basal_hazard_per_h", "h⁻¹", "basal apoptosis hazard in culture (about 0.7%/day)", Source::Assumed("typical culture turnover; docs/model.md §3.4"), 0.0, 0.1, |p| &mut p.basal_hazard_per_h),
    spec("h0_vivo", "basal_hazard_in_vivo_per_h", "h⁻¹", "basal apoptosis hazard of medial VSMCs in a vessel wall (used in vessel mode)", Source::Assumed("medial SMC turnover is very low in adult arteries; docs/model.md §3.4"), 0.0, 0.1, |p| &mut p.basal_hazard_in_vivo_per_h),
    spec("h1_vivo", "stress_hazard_scale_in_vivo", "1", "factor on the stress-driven hazard of medial VSMCs in a vessel wall (used in vessel mode)", Source::Assumed("calibrated: AP-3, AP-4 (VDN rat aortas keep their media over 4 weeks while caspase-12 and CHOP rise; survival signals of the wall); the in-vitro h1 kills a chronically stressed media within days"), 0.0, 1.0, |p| &mut p.stress_hazard_scale_in_vivo),
    spec("h1", "maximal_stress_hazard_per_h", "h⁻¹", "maximal stress-induced hazard (about 60%/day)", Source::Calibrated("72-h survival targets, docs/model.md §3.3.6"), 0.0, 1.0, |p| &mut p.maximal_stress_hazard_per_h),
    spec("KD", "drive_half_hazard", "1", "pro-apoptotic drive at half-maximal hazard", Source::Calibrated("72-h survival targets, docs/model.md §3.3.6"), 0.01, 100.0, |p| &mut p.drive_half_hazard),
    spec("nD", "drive_hill", "1", "Hill exponent of the hazard", Source::Assumed("switch-like commitment; docs/model.md §3.4"), 1.0, 8.0, |p| &mut p.drive_hill),
];

impl ParameterTable for ApoptosisParams {
    const MODULE: &'static str = "apoptosis";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// The number of death routes ([`DeathRoute::ALL`]).
pub const DEATH_ROUTES: usize = 7;

/// A route of apoptosis: the three ER-stress routes (AP-2), death receptors, autophagic
/// death, calcium-phosphate deposits a cell touches and basal turnover. A cell's hazard is
/// the sum of its routes' hazards ([`RouteHazards`]); a death is credited to one route.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DeathRoute {
    /// No positive drive: basal turnover only.
    #[default]
    Basal,
    /// CHOP: Bcl-2 down, BH3-only proteins up.
    Chop,
    /// Caspase-12 → caspase-9 → caspase-3.
    Caspase12,
    /// IRE1-TRAF2-ASK1-JNK.
    Jnk,
    /// Death receptors (TNF-α, Fas) and oxysterols.
    Extrinsic,
    /// Autophagic death.
    Autophagy,
    /// Calcium-phosphate deposits a cell touches, taken up and dissolved in its lysosomes
    /// (Ewence 2008; `h_HA`, `docs/model.md` §5.3). Never the dominant route of the
    /// drive: it acts on the hazard, not on `D`.
    Crystal,
}

impl DeathRoute {
    /// The snake-case name used in CSV output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Basal => "basal",
            Self::Chop => "chop",
            Self::Caspase12 => "caspase12",
            Self::Jnk => "jnk",
            Self::Extrinsic => "extrinsic",
            Self::Autophagy => "autophagy",
            Self::Crystal => "crystal",
        }
    }

    /// Every route, in the order of [`RouteHazards`] and of the output columns.
    pub const ALL: [Self; DEATH_ROUTES] = [
        Self::Basal,
        Self::Chop,
        Self::Caspase12,
        Self::Jnk,
        Self::Extrinsic,
        Self::Autophagy,
        Self::Crystal,
    ];

    /// The route's position in [`Self::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// [h⁻¹] A cell's hazard of apoptosis split by route, for crediting a death to the route
/// that caused it (competing risks: a death in a step comes from route `r` with
/// probability `h_r / Σ h`).
///
/// The stress hazard, a nonlinear function of the summed drive `D`, is split among the
/// routes in proportion to their positive contributions to `D` (a route that lowers `D`,
/// such as protective autophagy, is credited with none); basal turnover and deposits are
/// separate terms of the hazard and keep their own.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct RouteHazards(pub [f64; DEATH_ROUTES]);

impl RouteHazards {
    /// [h⁻¹] The hazard of one route.
    #[must_use]
    pub const fn of(&self, route: DeathRoute) -> f64 {
        self.0[route.index()]
    }

    /// The same split with `hazard_per_h` added to `route`.
    #[must_use]
    pub fn with(mut self, route: DeathRoute, hazard_per_h: f64) -> Self {
        self.0[route.index()] += hazard_per_h.max(0.0);
        self
    }

    /// The route credited with a death, given a uniform `v` in [0, 1) drawn for it: the
    /// first route whose cumulative share of the hazard exceeds `v`. Basal when the
    /// hazard is zero.
    #[must_use]
    pub fn pick(&self, v: f64) -> DeathRoute {
        let total: f64 = self.0.iter().sum();
        if total <= 0.0 {
            return DeathRoute::Basal;
        }
        let target = v * total;
        let mut cumulative = 0.0;
        let mut last = DeathRoute::Basal;
        for route in DeathRoute::ALL {
            let h = self.of(route);
            if h <= 0.0 {
                continue;
            }
            cumulative += h;
            last = route;
            if target < cumulative {
                return route;
            }
        }
        last
    }
}

/// The pro-apoptotic drive and the hazard it gives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApoptoticDrive {
    /// [1] BH3-only protein level (Bim, DR5), 1 at rest.
    pub bh3: f64,
    /// [1] Pro-apoptotic drive `D` (0 at rest; may be negative).
    pub drive: f64,
    /// [h⁻¹] Hazard of apoptosis.
    pub hazard_per_h: f64,
    /// The route contributing most to `D`.
    pub dominant_route: DeathRoute,
    /// [h⁻¹] `hazard_per_h` split by route (basal turnover and the stress hazard).
    pub route_hazards: RouteHazards,
}

impl ApoptoticDrive {
    /// The same drive with its hazard, and every route's share of it, multiplied by
    /// `factor` [1] (the surroundings' `F_surv`, `docs/model.md` §6.1; unchanged at 1).
    #[must_use]
    pub fn with_hazard_factor(mut self, factor: f64) -> Self {
        self.hazard_per_h *= factor;
        for h in &mut self.route_hazards.0 {
            *h *= factor;
        }
        self
    }
}

/// [min⁻¹] `dBcl2/dt`.
#[must_use]
pub fn bcl2_rate(p: &ApoptosisParams, bcl2: f64, chop_protein: f64) -> f64 {
    per_h_to_per_min(p.bcl2_relaxation_rate_per_h)
        * (1.0 / (1.0 + p.chop_bcl2_repression * (chop_protein - 1.0).max(0.0)) - bcl2)
}

/// The drive and hazard for the current cell state; `threshold_scale` is the cell's
/// death-threshold multiplier on `KD` (heterogeneity, `docs/model.md` §4.0).
#[must_use]
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per input of the drive, as in the equations"
)]
pub fn drive(
    p: &ApoptosisParams,
    bcl2: f64,
    chop_protein: f64,
    caspase12: f64,
    p_jnk: f64,
    extrinsic_death: f64,
    autophagy: f64,
    threshold_scale: f64,
) -> ApoptoticDrive {
    let chop_excess = (chop_protein - 1.0).max(0.0);
    let bh3 = 1.0 + p.chop_bh3_gain * chop_excess / (p.chop_bh3_half_activation + chop_excess);
    // Bcl-2 is clamped away from 0 by the integrator's non-negativity; guard the ratio.
    let contributions = [
        (
            DeathRoute::Chop,
            p.chop_route_weight * (bh3 / bcl2.max(1e-9) - 1.0),
        ),
        (
            DeathRoute::Caspase12,
            p.caspase12_route_weight * (caspase12 - 1.0).max(0.0),
        ),
        (DeathRoute::Jnk, p.jnk_route_weight * (p_jnk - 1.0).max(0.0)),
        (
            DeathRoute::Extrinsic,
            p.extrinsic_route_weight * extrinsic_death,
        ),
        (
            DeathRoute::Autophagy,
            p.autophagy_route_weight * (autophagy - 1.0),
        ),
    ];
    let total: f64 = contributions.iter().map(|(_, c)| c).sum();
    let dominant_route = contributions
        .iter()
        .filter(|(_, c)| *c > 0.0)
        .fold((DeathRoute::Basal, 0.0), |best, &(route, c)| {
            if c > best.1 { (route, c) } else { best }
        })
        .0;
    let positive = total.max(0.0);
    let activation = positive.powf(p.drive_hill);
    let stress_hazard = p.maximal_stress_hazard_per_h * activation
        / ((p.drive_half_hazard * threshold_scale).powf(p.drive_hill) + activation);
    let positive_sum: f64 = contributions.iter().map(|(_, c)| c.max(0.0)).sum();
    let mut route_hazards = RouteHazards::default().with(DeathRoute::Basal, p.basal_hazard_per_h);
    if positive_sum > 0.0 {
        for (route, c) in contributions {
            route_hazards = route_hazards.with(route, stress_hazard * c.max(0.0) / positive_sum);
        }
    }
    ApoptoticDrive {
        bh3,
        drive: total,
        hazard_per_h: p.basal_hazard_per_h + stress_hazard,
        dominant_route,
        route_hazards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_has_basal_hazard_only() {
        let p = ApoptosisParams::default();
        let d = drive(&p, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0);
        assert!(d.drive.abs() < 1e-15);
        assert!((d.hazard_per_h - p.basal_hazard_per_h).abs() < 1e-15);
        assert_eq!(d.dominant_route, DeathRoute::Basal);
        assert!(bcl2_rate(&p, 1.0, 1.0).abs() < 1e-15);
    }

    #[test]
    fn a_hazard_factor_scales_every_route_and_keeps_the_drive() {
        let p = ApoptosisParams::default();
        let d = drive(&p, 0.5, 3.0, 2.0, 1.5, 0.2, 1.0, 1.0);
        let kept = d.with_hazard_factor(1.0);
        assert_eq!(kept, d);
        let half = d.with_hazard_factor(0.5);
        assert_eq!(half.drive.to_bits(), d.drive.to_bits());
        assert!((half.hazard_per_h - 0.5 * d.hazard_per_h).abs() < 1e-15);
        let total: f64 = half.route_hazards.0.iter().sum();
        assert!((total - half.hazard_per_h).abs() < 1e-12);
    }

    #[test]
    fn a_negative_drive_does_not_raise_the_hazard() {
        // Bcl-2 above rest gives D < 0; an even Hill exponent must not turn it positive.
        let p = ApoptosisParams::default();
        let d = drive(&p, 3.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0);
        assert!(d.drive < 0.0);
        assert!((d.hazard_per_h - p.basal_hazard_per_h).abs() < 1e-15);
    }

    #[test]
    fn bcl2_loss_and_caspase12_raise_the_hazard() {
        let p = ApoptosisParams::default();
        let d = drive(&p, 0.5, 4.0, 2.5, 1.0, 0.0, 1.0, 1.0);
        assert!(d.hazard_per_h > 0.01);
        assert_eq!(d.dominant_route, DeathRoute::Caspase12);
    }

    #[test]
    fn the_route_split_adds_up_to_the_hazard_and_follows_the_contributions() {
        let p = ApoptosisParams::default();
        let d = drive(&p, 0.5, 4.0, 2.5, 1.5, 0.0, 0.5, 1.0);
        let sum: f64 = d.route_hazards.0.iter().sum();
        assert!((sum - d.hazard_per_h).abs() <= 1e-12 * d.hazard_per_h);
        assert!((d.route_hazards.of(DeathRoute::Basal) - p.basal_hazard_per_h).abs() < 1e-18);
        // Autophagy below rest lowers D: it is credited with none of the hazard.
        assert!(d.route_hazards.of(DeathRoute::Autophagy).abs() < f64::EPSILON);
        assert!(d.route_hazards.of(DeathRoute::Crystal).abs() < f64::EPSILON);
        // The stress shares stand in the ratio of the routes' contributions to D.
        let caspase = p.caspase12_route_weight * 1.5;
        let jnk = p.jnk_route_weight * 0.5;
        let ratio = d.route_hazards.of(DeathRoute::Caspase12) / d.route_hazards.of(DeathRoute::Jnk);
        assert!((ratio - caspase / jnk).abs() < 1e-9 * ratio);
    }

    #[test]
    fn a_death_is_credited_to_routes_in_proportion_to_their_hazards() {
        let hazards = RouteHazards::default()
            .with(DeathRoute::Basal, 1.0)
            .with(DeathRoute::Chop, 3.0)
            .with(DeathRoute::Crystal, 4.0);
        assert_eq!(hazards.pick(0.0), DeathRoute::Basal);
        assert_eq!(hazards.pick(0.124), DeathRoute::Basal);
        assert_eq!(hazards.pick(0.126), DeathRoute::Chop);
        assert_eq!(hazards.pick(0.49), DeathRoute::Chop);
        assert_eq!(hazards.pick(0.51), DeathRoute::Crystal);
        assert_eq!(hazards.pick(0.999_999), DeathRoute::Crystal);
        // A grid of draws reproduces the shares.
        let n = 8_000;
        let mut counts = [0_usize; DEATH_ROUTES];
        for i in 0..n {
            counts[hazards.pick((f64::from(i) + 0.5) / f64::from(n)).index()] += 1;
        }
        assert_eq!(counts[DeathRoute::Basal.index()], 1_000);
        assert_eq!(counts[DeathRoute::Chop.index()], 3_000);
        assert_eq!(counts[DeathRoute::Crystal.index()], 4_000);
        assert_eq!(RouteHazards::default().pick(0.3), DeathRoute::Basal);
        for (i, route) in DeathRoute::ALL.into_iter().enumerate() {
            assert_eq!(route.index(), i);
        }
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<ApoptosisParams>();
    }
}
