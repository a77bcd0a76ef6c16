//! Extracellular phosphate chemistry and calcium-phosphate mineral (`docs/model.md` §5.2-5.4;
//! claims VC-1, AP-1; Millán 2021 framework).
//!
//! Amounts: mineral in pmol of calcium per lattice site; ions in the fluid in mM (Ca, Pi,
//! β-glycerophosphate) and µM (PPi, fetuin-A); fluid volume in µL (1 mM · 1 µL = 1 nmol).
//! The ion product `Π = [Ca]·[Pi]` (mM²) is the supersaturation proxy.
//!
//! ```text
//! Φ     = 1 / ((1 + PPi/K_PPi_n)(1 + Fet/K_F)(1 + MGP/K_MGP))                inhibitors
//! N_t   = Σ κ (vesicles) + ε_AB Σ ALP (apoptotic bodies) + ε_el · elastin       templates
//! J_nuc = k_nuc N_t ((Π/Π_het) - 1)+^n_n Φ                                        [pmol h⁻¹]
//! G     = k_g m^(2/3) ((Π/Π_sol) - 1)+^2 / (1 + PPi/K_PPi_g)                       growth on existing mineral
//! J_hom = k_hom ((Π/Π_hom) - 1)+^3 Φ                                              bulk precipitation
//! dACP/dt = J_nuc + J_hom + f_a G - k_mat ACP;   dHAP/dt = k_mat ACP + (1 - f_a) G
//! fluid: Ca -= mineral formed; Pi -= ν_P · mineral formed
//! TNAP (ALP): β-GP → Pi, Michaelis-Menten  V_β ΣALP β/(K_β + β);  PPi → 2 Pi, first order
//! ENPP1/ANK: PPi production s_E Σ ENPP1
//! ```
//!
//! Growth acts only on mineral already present (no seed term), so nothing forms below the
//! heterogeneous threshold `Π_het`: with Ca 1.8 mM, no mineral at Pi 1.4 mM (Π = 2.52)
//! and mineral rising with Pi above it (Jono 2000). In a closed well every pmol of Ca and
//! Pi that mineral takes leaves the fluid (mass balance to rounding).

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};
use crate::units::{DAY, HOUR};

/// [µg pmol⁻¹] Mass of one pmol of calcium (40.078 g/mol).
pub const CALCIUM_UG_PER_PMOL: f64 = 40.078e-6;

/// Parameters of the extracellular chemistry and mineral.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MineralParams {
    /// `Π_sol` [mM²]: effective ACP solubility; growth stops below.
    pub solubility_product: f64,
    /// `Π_het` [mM²]: ion product for template nucleation (inhibitor-free).
    pub heterogeneous_threshold: f64,
    /// `Π_hom` [mM²]: ion product for bulk precipitation.
    pub homogeneous_threshold: f64,
    /// `n_n` [1]: order of nucleation in supersaturation.
    pub nucleation_exponent: f64,
    /// `K_PPi_n` [µM]: PPi halving nucleation.
    pub ppi_nucleation_half: f64,
    /// `K_PPi_g` [µM]: PPi halving crystal growth.
    pub ppi_growth_half: f64,
    /// `K_F` [µM]: fetuin-A halving nucleation.
    pub fetuin_nucleation_half: f64,
    /// `K_MGP` [1]: carboxylated MGP halving nucleation.
    pub mgp_half: f64,
    /// `MGP` [1]: carboxylated matrix Gla protein (1 normal; warfarin lowers it).
    pub matrix_gla_protein: f64,
    /// `ε_AB` [1]: nucleation template of an apoptotic body per unit ALP.
    pub apoptotic_body_template: f64,
    /// `ε_el` [1]: nucleation template of elastic-lamella sites (medial calcification).
    pub elastin_template: f64,
    /// `k_mat` [d⁻¹]: ACP → hydroxyapatite maturation.
    pub maturation_rate_per_day: f64,
    /// `k_nuc` [pmol h⁻¹]: nucleation per template unit at unit excess.
    pub nucleation_rate_per_h: f64,
    /// `k_g` [pmol^⅓ h⁻¹]: crystal growth on existing mineral.
    pub growth_rate_per_h: f64,
    /// `f_a` [1]: share of growth laid down as ACP.
    pub acp_growth_fraction: f64,
    /// `k_hom` [pmol h⁻¹]: bulk precipitation per site at unit excess.
    pub homogeneous_rate_per_h: f64,
    /// `ν_P` [1]: Pi taken per Ca into mineral (HAP 0.60, ACP 0.67).
    pub phosphate_per_calcium: f64,
    /// `V_β` [fmol h⁻¹]: β-glycerophosphate hydrolysis per cell per unit ALP.
    pub bgp_hydrolysis_vmax_per_h: f64,
    /// `K_β` [mM]: β-glycerophosphate for half-maximal hydrolysis.
    pub bgp_half_saturation: f64,
    /// `s_E` [fmol h⁻¹]: PPi production per cell per unit ENPP1 capacity.
    pub ppi_production_per_h: f64,
    /// `k_T` [µL h⁻¹]: PPi clearance by ALP per cell per unit ALP.
    pub ppi_hydrolysis_clearance_per_h: f64,
    /// `k_ex` [h⁻¹]: exchange of a wall site's fluid with plasma.
    pub tissue_exchange_rate_per_h: f64,
    /// `m_AR` [pmol]: mineral per site that stains Alizarin-positive.
    pub alizarin_threshold: f64,
    /// `prot` [ng]: protein per VSMC, for µg Ca/mg protein.
    pub protein_per_cell: f64,
}

impl Default for MineralParams {
    fn default() -> Self {
        Self {
            solubility_product: 2.0,
            heterogeneous_threshold: 2.6,
            homogeneous_threshold: 6.0,
            nucleation_exponent: 2.0,
            ppi_nucleation_half: 0.5,
            ppi_growth_half: 1.0,
            fetuin_nucleation_half: 5.0,
            mgp_half: 1.0,
            matrix_gla_protein: 1.0,
            apoptotic_body_template: 5.0,
            elastin_template: 0.5,
            maturation_rate_per_day: 0.2,
            nucleation_rate_per_h: 1e-6,
            growth_rate_per_h: 5e-5,
            acp_growth_fraction: 0.5,
            homogeneous_rate_per_h: 1e-3,
            phosphate_per_calcium: 0.63,
            bgp_hydrolysis_vmax_per_h: 80.0,
            bgp_half_saturation: 2.0,
            ppi_production_per_h: 1.5,
            ppi_hydrolysis_clearance_per_h: 0.00073,
            tissue_exchange_rate_per_h: 120.0,
            alizarin_threshold: 0.05,
            protein_per_cell: 0.3,
        }
    }
}

const A53: Source = Source::Assumed("docs/model.md §5.3 initial value");

#[rustfmt::skip]
static SPECS: [ParamSpec<MineralParams>; 24] = [
    spec("Π_sol", "solubility_product", "mM²", "effective ACP solubility; growth stops below", A53, 0.5, 10.0, |p| &mut p.solubility_product),
    spec("Π_het", "heterogeneous_threshold", "mM²", "ion product for template nucleation (inhibitor-free)", Source::Paper(Reference::Jono2000), 1.0, 10.0, |p| &mut p.heterogeneous_threshold),
    spec("Π_hom", "homogeneous_threshold", "mM²", "ion product for bulk precipitation", A53, 2.0, 50.0, |p| &mut p.homogeneous_threshold),
    spec("n_n", "nucleation_exponent", "1", "order of nucleation in supersaturation", A53, 1.0, 6.0, |p| &mut p.nucleation_exponent),
    spec("K_PPi_n", "ppi_nucleation_half", "µM", "PPi halving nucleation", Source::Assumed("plasma 2-3 µM PPi suffices to prevent aortic calcification (O'Neill 2011)"), 0.01, 100.0, |p| &mut p.ppi_nucleation_half),
    spec("K_PPi_g", "ppi_growth_half", "µM", "PPi halving crystal growth", A53, 0.01, 100.0, |p| &mut p.ppi_growth_half),
    spec("K_F", "fetuin_nucleation_half", "µM", "fetuin-A halving nucleation", Source::Assumed("fetuin-A inhibits concentration-dependently (Reynolds 2005)"), 0.01, 1000.0, |p| &mut p.fetuin_nucleation_half),
    spec("K_MGP", "mgp_half", "1", "carboxylated MGP halving nucleation", A53, 0.01, 100.0, |p| &mut p.mgp_half),
    spec("MGP", "matrix_gla_protein", "1", "carboxylated matrix Gla protein (1 normal; warfarin lowers it)", A53, 0.0, 10.0, |p| &mut p.matrix_gla_protein),
    spec("ε_AB", "apoptotic_body_template", "1", "nucleation template of an apoptotic body per unit ALP", Source::Claim("AP-1 (Proudfoot 2000: apoptotic bodies concentrate calcium)"), 0.0, 1000.0, |p| &mut p.apoptotic_body_template),
    spec("ε_el", "elastin_template", "1", "nucleation template of elastic-lamella sites (medial calcification)", A53, 0.0, 1000.0, |p| &mut p.elastin_template),
    spec("k_mat", "maturation_rate_per_day", "d⁻¹", "ACP → hydroxyapatite maturation", A53, 0.0, 10.0, |p| &mut p.maturation_rate_per_day),
    spec("k_nuc", "nucleation_rate_per_h", "pmol h⁻¹", "nucleation per template unit at unit excess", Source::Calibrated("mineral onset by day 3-7, robust at day 7-14 in calcifying medium (docs/model.md §5.3)"), 0.0, 1.0, |p| &mut p.nucleation_rate_per_h),
    spec("k_g", "growth_rate_per_h", "pmol^⅓ h⁻¹", "crystal growth on existing mineral", Source::Calibrated("calcium content of calcifying VSMC at day 14 (docs/model.md §5.3)"), 0.0, 10.0, |p| &mut p.growth_rate_per_h),
    spec("f_a", "acp_growth_fraction", "1", "share of growth laid down as ACP", A53, 0.0, 1.0, |p| &mut p.acp_growth_fraction),
    spec("k_hom", "homogeneous_rate_per_h", "pmol h⁻¹", "bulk precipitation per site at unit excess", A53, 0.0, 1.0, |p| &mut p.homogeneous_rate_per_h),
    spec("ν_P", "phosphate_per_calcium", "1", "Pi taken per Ca into mineral (HAP 0.60, ACP 0.67)", Source::Assumed("between HAP and ACP stoichiometry; docs/model.md §5.3"), 0.5, 0.7, |p| &mut p.phosphate_per_calcium),
    spec("V_β", "bgp_hydrolysis_vmax_per_h", "fmol h⁻¹", "β-glycerophosphate hydrolysis per cell per unit ALP", Source::Calibrated("medium Pi from 10 mM β-GP rises over days, as in calcifying-medium protocols"), 0.0, 1e5, |p| &mut p.bgp_hydrolysis_vmax_per_h),
    spec("K_β", "bgp_half_saturation", "mM", "β-glycerophosphate for half-maximal hydrolysis", Source::Assumed("docs/model.md §5.2"), 0.01, 100.0, |p| &mut p.bgp_half_saturation),
    spec("s_E", "ppi_production_per_h", "fmol h⁻¹", "PPi production per cell per unit ENPP1 capacity", Source::Calibrated("resting PPi about 1-3 µM (docs/model.md §5.2) without raising medium Pi by more than about 0.05 mM per medium change"), 0.0, 1e4, |p| &mut p.ppi_production_per_h),
    spec("k_T", "ppi_hydrolysis_clearance_per_h", "µL h⁻¹", "PPi clearance by ALP per cell per unit ALP", Source::Calibrated("PPi t½ about 30 min at resting ALP in confluent culture (O'Neill 2011: plasma t½ 33 min)"), 0.0, 10.0, |p| &mut p.ppi_hydrolysis_clearance_per_h),
    spec("k_ex", "tissue_exchange_rate_per_h", "h⁻¹", "exchange of a wall site's fluid with plasma", Source::Assumed("ion diffusion across 100 µm of media takes about 30 s (docs/model.md §5.2)"), 1.0, 1e4, |p| &mut p.tissue_exchange_rate_per_h),
    spec("m_AR", "alizarin_threshold", "pmol", "mineral per site that stains Alizarin-positive", Source::Assumed("detection limit of the stain, per 50-µm site"), 0.0, 100.0, |p| &mut p.alizarin_threshold),
    spec("prot", "protein_per_cell", "ng", "protein per VSMC, for µg Ca/mg protein", Source::Assumed("docs/model.md §5.3"), 0.01, 10.0, |p| &mut p.protein_per_cell),
];

impl ParameterTable for MineralParams {
    const MODULE: &'static str = "mineral";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// The mineral and templates of one lattice site.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SiteMineral {
    /// [pmol Ca] Amorphous calcium phosphate.
    pub acp: f64,
    /// [pmol Ca] Hydroxyapatite.
    pub hap: f64,
    /// [1] Competence-weighted matrix vesicles deposited here by living cells.
    pub vesicles: f64,
    /// [1] Calcifying vesicle equivalents apoptotic bodies left here (the apoptotic-body
    /// channel; they nucleate like matrix vesicles and turn over with them).
    pub body_vesicles: f64,
    /// [1] Apoptotic-body template: Σ ALP of the apoptotic bodies here.
    pub apoptotic_bodies: f64,
    /// [1] Elastin (1 on an elastic lamella).
    pub elastin: f64,
}

impl SiteMineral {
    /// [pmol Ca] All mineral.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.acp + self.hap
    }
}

/// The fluid a site's mineral forms from, constant over one chemistry step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fluid {
    /// [mM] Calcium.
    pub calcium: f64,
    /// [mM] Phosphate.
    pub phosphate: f64,
    /// [µM] Pyrophosphate.
    pub pyrophosphate: f64,
    /// [µM] Fetuin-A.
    pub fetuin_a: f64,
}

/// [pmol Ca h⁻¹] New mineral per hour at one site: (into ACP, into HAP).
#[must_use]
pub fn mineral_formation(p: &MineralParams, site: &SiteMineral, fluid: &Fluid) -> (f64, f64) {
    let ion_product = fluid.calcium * fluid.phosphate;
    let inhibition = 1.0
        / ((1.0 + fluid.pyrophosphate / p.ppi_nucleation_half)
            * (1.0 + fluid.fetuin_a / p.fetuin_nucleation_half)
            * (1.0 + p.matrix_gla_protein / p.mgp_half));
    let templates = site.vesicles
        + site.body_vesicles
        + p.apoptotic_body_template * site.apoptotic_bodies
        + p.elastin_template * site.elastin;
    let het_excess = (ion_product / p.heterogeneous_threshold - 1.0).max(0.0);
    let nucleation =
        p.nucleation_rate_per_h * templates * het_excess.powf(p.nucleation_exponent) * inhibition;
    let hom_excess = (ion_product / p.homogeneous_threshold - 1.0).max(0.0);
    let homogeneous = p.homogeneous_rate_per_h * hom_excess.powi(3) * inhibition;
    let growth_excess = (ion_product / p.solubility_product - 1.0).max(0.0);
    let growth =
        p.growth_rate_per_h * site.total().max(0.0).powf(2.0 / 3.0) * growth_excess.powi(2)
            / (1.0 + fluid.pyrophosphate / p.ppi_growth_half);
    (
        nucleation + homogeneous + p.acp_growth_fraction * growth,
        (1.0 - p.acp_growth_fraction) * growth,
    )
}

/// Matures ACP into hydroxyapatite over `step_h` hours (exact exponential; conserves Ca).
pub fn mature(p: &MineralParams, site: &mut SiteMineral, step_h: f64) {
    let converted = site.acp * (1.0 - (-p.maturation_rate_per_day * step_h * HOUR / DAY).exp());
    site.acp -= converted;
    site.hap += converted;
}

/// [mM] β-glycerophosphate left after `step_h` hours of Michaelis-Menten hydrolysis at
/// maximal rate `vmax_per_h` [mM h⁻¹] (exact solution of `dβ/dt = -vmax β/(K + β)` by
/// Newton's method).
#[must_use]
pub fn bgp_after(initial: f64, vmax_per_h: f64, half_saturation: f64, step_h: f64) -> f64 {
    if initial <= 0.0 || vmax_per_h <= 0.0 || step_h <= 0.0 {
        return initial.max(0.0);
    }
    // K ln(β0/β) + (β0 - β) = vmax t;  f(β) = K ln(β0/β) + β0 - β - vmax t, decreasing in β.
    let target = vmax_per_h * step_h;
    let f = |b: f64| half_saturation * (initial / b).ln() + initial - b - target;
    let mut b = (initial * (-target / (half_saturation + initial)).exp()).max(initial * 1e-300);
    for _ in 0..60 {
        let derivative = -half_saturation / b - 1.0;
        let next = b - f(b) / derivative;
        let next = if next <= 0.0 {
            0.5 * b
        } else {
            next.min(initial)
        };
        if (next - b).abs() <= 1e-15 * initial {
            b = next;
            break;
        }
        b = next;
    }
    b
}

/// [µM] PPi after `step_h` hours with production `production_per_h` [µM h⁻¹] and
/// first-order clearance `clearance_per_h` [h⁻¹] (exact).
#[must_use]
pub fn ppi_after(initial: f64, production_per_h: f64, clearance_per_h: f64, step_h: f64) -> f64 {
    if clearance_per_h <= 0.0 {
        return initial + production_per_h * step_h;
    }
    let decay = (-clearance_per_h * step_h).exp();
    initial * decay + production_per_h / clearance_per_h * (1.0 - decay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fluid(calcium: f64, phosphate: f64) -> Fluid {
        Fluid {
            calcium,
            phosphate,
            pyrophosphate: 0.0,
            fetuin_a: 0.0,
        }
    }

    #[test]
    fn no_mineral_forms_at_pi_1_4_with_ca_1_8_and_more_forms_as_pi_rises() {
        // Jono 2000 (docs/model.md §7 row 21).
        let p = MineralParams::default();
        let site = SiteMineral {
            vesicles: 100.0,
            ..SiteMineral::default()
        };
        let at = |pi: f64| {
            let (acp, hap) = mineral_formation(&p, &site, &fluid(1.8, pi));
            acp + hap
        };
        assert!(at(1.4).abs() < 1e-300);
        assert!(at(2.0) > 0.0 && at(2.5) > at(2.0) && at(3.0) > at(2.5));
    }

    #[test]
    fn pyrophosphate_and_fetuin_inhibit_nucleation() {
        let p = MineralParams::default();
        let site = SiteMineral {
            vesicles: 100.0,
            ..SiteMineral::default()
        };
        let free = mineral_formation(&p, &site, &fluid(2.8, 3.0)).0;
        let mut inhibited = fluid(2.8, 3.0);
        inhibited.pyrophosphate = 3.0;
        inhibited.fetuin_a = 10.0;
        assert!(mineral_formation(&p, &site, &inhibited).0 < 0.1 * free);
    }

    #[test]
    fn maturation_conserves_calcium() {
        let p = MineralParams::default();
        let mut site = SiteMineral {
            acp: 3.0,
            hap: 1.0,
            ..SiteMineral::default()
        };
        mature(&p, &mut site, 24.0);
        assert!((site.total() - 4.0).abs() < 1e-12 && site.hap > 1.0);
    }

    #[test]
    fn bgp_hydrolysis_matches_the_michaelis_menten_integral() {
        let (b0, vmax, k, t) = (10.0, 0.5, 2.0, 7.0);
        let b = bgp_after(b0, vmax, k, t);
        assert!((k * (b0 / b).ln() + b0 - b - vmax * t).abs() < 1e-9);
        assert!(b < b0 && b > 0.0);
        // Fine explicit integration agrees.
        let mut e = b0;
        let steps = 700_000;
        let h = t / f64::from(steps);
        for _ in 0..steps {
            e -= h * vmax * e / (k + e);
        }
        assert!((e - b).abs() < 1e-5);
    }

    #[test]
    fn ppi_relaxes_to_production_over_clearance() {
        assert!((ppi_after(0.0, 2.0, 1.0, 50.0) - 2.0).abs() < 1e-12);
        assert!((ppi_after(5.0, 0.0, 1.0, 1.0) - 5.0 * (-1.0_f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<MineralParams>();
    }
}
