//! The unfolded protein response (UPR) core of Diedrichs et al. 2018, verbatim from the
//! published SBML (BioModels BIOMD0000000703).
//!
//! Eleven ODEs in minutes; every species is normalised to its unstressed steady state
//! (the `*_star` reference values, all 1 by default). Free BiP, active PERK and active
//! IRE1 are quasi-steady algebraic relations (BiP binding is fast):
//!
//! ```text
//! B    = Btot / (1 + U/KBU)                                         free BiP
//! KUP  = (1/f  - 1) U* / (1 + (Btot*/KBP) / (1 + U*/KBU))          makes Pp* = 1
//! KUI  = (1/fi - 1) U* / (1 + (Btot*/KBI) / (1 + U*/KBU))          makes Ip* = 1
//! Pp   = KOperk (1/f)  U / (KUP + (KUP/KBP) B + U)                  active PERK
//! Ip   = KOire1 (1/fi) U / (KUI + (KUI/KBI) B + U)                  active IRE1
//! rho  = (1 + alphaI (Ip - Ip*)) / (1 + betaI (Ip - Ip*))           IRE1 (RIDD) on Bip mRNA turnover
//!
//! dU/dt    = (ksU/(1 + KUI' (Ip - Ip*)) + S) / (1 + Ep/KE + (U/KUU)^nU) - delta U B / (1 + KII (Ip - Ip*))
//! dA6/dt   = kdA6 A6* + kcl (U - U*) (A6tot - A6) / (1 + B/KBA6) - kdA6 A6
//! db/dt    = kdb rho b* + alphaA6 (1 + Kb6 A4) (A6-A6*)^nA6 / ((A6-A6*)^nA6 + KA6^nA6 (1 + Kth6 A4^nA))
//!          + alphaA4 (1 + Kb4 A6) (A4-A4*)^nA4 / ((A4-A4*)^nA4 + KA4^nA4 (1 + Kth4 A6)^nA4)
//!          + alphaX (x - x*) / (x - x* + KX) - kdb rho b
//! dBtot/dt = kdB (Btot*/b*) b - kdB Btot
//! dA4/dt   = kdA4 A4* + gamma (U - U*) Ep - kdA4 A4
//! dc/dt    = kdc c* + muA4 (1 + Kc4 A6) (A4-A4*)^n / ((A4-A4*)^n + KA4c^n (1 + Kth4c A6)^n) - kdc c
//! dC/dt    = (kdC C*/c* + ktC (Ep - Ep*)) c - kdC C
//! dg/dt    = kdg g* + etaC ((A4-A4*) + KA4g (A4-A4*)(C-C*)) / ((A4-A4*) + Kth4g (A4-A4*)(C-C*) + KC) - kdg g
//! dG/dt    = (kdG G*/g* + ktG (Ep - Ep*)) g - kdG G
//! dEp/dt   = kph (Etot - Ep) Pp / (Kph + Etot - Ep) - (kdeph1 + kdeph2 (G - G*)) Ep / (Kdeph + Ep)
//! dx/dt    = ksp Ip (xtot - x) / (Kx + xtot - x) - kdx x
//! ```
//!
//! `KUI'` is the SBML's local `KUI = 0.01` of reaction `U_syn`, which shadows the global
//! assignment-rule `KUI` used only in `Ip`. `S` is the stress input (SBML `Stress`,
//! min⁻¹): 2 ≈ 2.5 nM and 8 ≈ 10 nM thapsigargin in MEFs.
//!
//! The VSMC extensions (`docs/model.md` §3.3) act on the core only through
//! [`CoreCoupling`]: client-synthesis scaling by mTORC1, chemical-chaperone folding
//! gain, and autophagic (ER-phagy) clearance. With [`CoreCoupling::published`] the
//! equations above hold exactly.
//!
//! Every parameter, its unit and source is listed by `vcsim params --module upr_core`
//! (Diedrichs 2018, Table 2, and BIOMD0000000703). The range a scenario may override a
//! rate or constant to is one order of magnitude either side of the published value (0
//! allowed where 0 switches a term off); gene switches are 0 or 1.

use crate::model::parameters::{ParamSpec, ParameterTable};
use crate::references::{Reference, Source};

const D18: Source = Source::Paper(Reference::Diedrichs2018);

/// The eleven state variables of the Diedrichs 2018 core, each a fold change over the
/// unstressed steady state (dimensionless, 1 at rest).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UprCoreState {
    /// [1] Unfolded or misfolded ER client protein load (`U`).
    pub unfolded_protein: f64,
    /// [1] Cleaved, active ATF6 (ATF6(N)) (`A6`).
    pub atf6_cleaved: f64,
    /// [1] BiP/GRP78 (*Hspa5*) mRNA (`b`).
    pub bip_mrna: f64,
    /// [1] Total BiP/GRP78 protein, free plus bound (`Btot`).
    pub bip_protein: f64,
    /// [1] ATF4 protein (`A4`).
    pub atf4: f64,
    /// [1] *Chop* (*Ddit3*) mRNA (`c`).
    pub chop_mrna: f64,
    /// [1] CHOP protein (`C`).
    pub chop_protein: f64,
    /// [1] *Gadd34* (*Ppp1r15a*) mRNA (`g`).
    pub gadd34_mrna: f64,
    /// [1] GADD34 protein (`G`).
    pub gadd34_protein: f64,
    /// [1] Phosphorylated eIF2α (`Ep`); total eIF2α is `Etot` = 20 in these units.
    pub p_eif2a: f64,
    /// [1] Spliced *Xbp1* mRNA (`x`), the proxy for XBP1s protein; total is `xtot` = 16.
    pub xbp1s: f64,
}

impl UprCoreState {
    /// Number of state variables.
    pub const LEN: usize = 11;

    /// Column names, in state order (CSV headers of `vcsim cell`).
    pub const NAMES: [&'static str; Self::LEN] = [
        "unfolded_protein",
        "atf6_cleaved",
        "bip_mrna",
        "bip_protein",
        "atf4",
        "chop_mrna",
        "chop_protein",
        "gadd34_mrna",
        "gadd34_protein",
        "p_eif2a",
        "xbp1s",
    ];

    /// The published initial state: every species at its reference value `X*` (the SBML
    /// initial assignments `X = X_star`), so a knockout starts with, e.g., ATF4 = 0.
    #[must_use]
    pub fn initial(params: &UprCoreParams) -> Self {
        Self {
            unfolded_protein: params.unfolded_protein_ref,
            atf6_cleaved: params.atf6_cleaved_ref,
            bip_mrna: params.bip_mrna_ref,
            bip_protein: params.bip_protein_ref,
            atf4: params.atf4_ref,
            chop_mrna: params.chop_mrna_ref,
            chop_protein: params.chop_protein_ref,
            gadd34_mrna: params.gadd34_mrna_ref,
            gadd34_protein: params.gadd34_protein_ref,
            p_eif2a: params.p_eif2a_ref,
            xbp1s: params.xbp1s_ref,
        }
    }

    /// The state as an array in [`Self::NAMES`] order.
    #[must_use]
    pub const fn to_array(&self) -> [f64; Self::LEN] {
        [
            self.unfolded_protein,
            self.atf6_cleaved,
            self.bip_mrna,
            self.bip_protein,
            self.atf4,
            self.chop_mrna,
            self.chop_protein,
            self.gadd34_mrna,
            self.gadd34_protein,
            self.p_eif2a,
            self.xbp1s,
        ]
    }

    /// The state from an array in [`Self::NAMES`] order.
    #[must_use]
    pub const fn from_array(a: [f64; Self::LEN]) -> Self {
        Self {
            unfolded_protein: a[0],
            atf6_cleaved: a[1],
            bip_mrna: a[2],
            bip_protein: a[3],
            atf4: a[4],
            chop_mrna: a[5],
            chop_protein: a[6],
            gadd34_mrna: a[7],
            gadd34_protein: a[8],
            p_eif2a: a[9],
            xbp1s: a[10],
        }
    }
}

/// The quasi-steady algebraic quantities of the core.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UprSensors {
    /// [1] Free (unbound) BiP, `B`.
    pub free_bip: f64,
    /// [1] Active (phosphorylated) PERK, `Pp`.
    pub p_perk: f64,
    /// [1] Active (phosphorylated) IRE1, `Ip`.
    pub p_ire1: f64,
}

/// How the VSMC extensions act on the core. [`CoreCoupling::published`] leaves the
/// published model untouched.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoreCoupling {
    /// [min⁻¹] Stress input `S` (SBML `Stress`).
    pub stress: f64,
    /// [1] Multiplier on basal client synthesis `ksU` (mTORC1-driven translation).
    pub client_synthesis_scale: f64,
    /// [1] Multiplier on BiP-assisted folding `delta` (chemical chaperones: `1 + phi_chap`).
    pub folding_gain: f64,
    /// [min⁻¹] Autophagic (ER-phagy) clearance coefficient `kAU (Aut - 1)`; negative when
    /// autophagy is below its resting level.
    pub autophagic_clearance: f64,
}

impl CoreCoupling {
    /// The published model under stress input `stress` [min⁻¹].
    #[must_use]
    pub const fn published(stress: f64) -> Self {
        Self {
            stress,
            client_synthesis_scale: 1.0,
            folding_gain: 1.0,
            autophagic_clearance: 0.0,
        }
    }
}

/// The parameters of the Diedrichs 2018 core, with the SBML's knockout switches.
/// Values: Table 2 of Diedrichs et al. 2018 and the BIOMD0000000703 SBML.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct UprCoreParams {
    /// `KBU` [1]: BiP-unfolded protein dissociation constant.
    pub bip_unfolded_dissociation: f64,
    /// `KBP` [1]: BiP-PERK dissociation constant.
    pub bip_perk_dissociation: f64,
    /// `KBA6` [1]: BiP-ATF6 dissociation constant.
    pub bip_atf6_dissociation: f64,
    /// `A6tot` [1]: total ATF6 (cleavable pool).
    pub atf6_total: f64,
    /// `kdB` [min⁻¹]: BiP protein decay (t½ 46 h).
    pub bip_protein_degradation_rate: f64,
    /// `kdb` [min⁻¹]: Bip mRNA decay (t½ 9.0 h).
    pub bip_mrna_degradation_rate: f64,
    /// `kdA4` [min⁻¹]: ATF4 decay (t½ 3.0 h).
    pub atf4_degradation_rate: f64,
    /// `kdA6` [min⁻¹]: cleaved ATF6 decay (t½ 3.0 h).
    pub atf6_degradation_rate: f64,
    /// `kdc` [min⁻¹]: Chop mRNA decay (t½ 2.9 h).
    pub chop_mrna_degradation_rate: f64,
    /// `kdC` [min⁻¹]: CHOP protein decay (t½ 2.1 h).
    pub chop_protein_degradation_rate: f64,
    /// `kdg` [min⁻¹]: Gadd34 mRNA decay (t½ 3.3 h).
    pub gadd34_mrna_degradation_rate: f64,
    /// `kdG` [min⁻¹]: GADD34 protein decay (t½ 3.0 h).
    pub gadd34_protein_degradation_rate: f64,
    /// `Etot` [1]: total eIF2α relative to basal p-eIF2α.
    pub eif2a_total: f64,
    /// `f` [1]: fraction of PERK active at rest.
    pub perk_basal_active_fraction: f64,
    /// `xtot` [1]: total Xbp1 mRNA relative to basal Xbp1s.
    pub xbp1_total: f64,
    /// `kdx` [min⁻¹]: Xbp1s mRNA decay (t½ 1.8 h).
    pub xbp1s_degradation_rate: f64,
    /// `KBI` [1]: BiP-IRE1 dissociation constant.
    pub bip_ire1_dissociation: f64,
    /// `fi` [1]: fraction of IRE1 active at rest.
    pub ire1_basal_active_fraction: f64,
    /// `alphaI` [1]: IRE1 (RIDD) effect on Bip mRNA turnover, numerator.
    pub ire1_bip_mrna_turnover_gain: f64,
    /// `betaI` [1]: IRE1 (RIDD) effect on Bip mRNA turnover, denominator.
    pub ire1_bip_mrna_turnover_saturation: f64,
    /// `KA4` [1]: ATF4 excess for half-maximal Bip transcription.
    pub atf4_bip_half_activation: f64,
    /// `KA6` [1]: ATF6(N) excess for half-maximal Bip transcription.
    pub atf6_bip_half_activation: f64,
    /// `KX` [1]: Xbp1s excess for half-maximal Bip transcription.
    pub xbp1s_bip_half_activation: f64,
    /// `Kb4` [1]: ATF6 co-activation of ATF4-driven Bip transcription.
    pub atf6_coactivation_of_atf4_bip: f64,
    /// `Kb6` [1]: ATF4 co-activation of ATF6-driven Bip transcription.
    pub atf4_coactivation_of_atf6_bip: f64,
    /// `Kth4` [1]: ATF6 shift of the ATF4 threshold for Bip.
    pub atf6_threshold_shift_of_atf4_bip: f64,
    /// `Kth6` [1]: ATF4 shift of the ATF6 threshold for Bip.
    pub atf4_threshold_shift_of_atf6_bip: f64,
    /// `alphaA4` [min⁻¹]: maximal ATF4-driven Bip transcription.
    pub atf4_bip_transcription_rate: f64,
    /// `alphaA6` [min⁻¹]: maximal ATF6-driven Bip transcription.
    pub atf6_bip_transcription_rate: f64,
    /// `alphaX` [min⁻¹]: maximal XBP1s-driven Bip transcription.
    pub xbp1s_bip_transcription_rate: f64,
    /// `nA` [1]: Hill exponent of ATF4 in the ATF6-Bip threshold.
    pub atf4_threshold_shift_hill: f64,
    /// `nA4` [1]: Hill exponent of ATF4-driven Bip transcription.
    pub atf4_bip_hill: f64,
    /// `nA6` [1]: Hill exponent of ATF6-driven Bip transcription.
    pub atf6_bip_hill: f64,
    /// `kcl` [min⁻¹]: ATF6 release and cleavage by unfolded protein.
    pub atf6_cleavage_rate: f64,
    /// `KII` [1]: IRE1 effect on unfolded-protein clearance.
    pub ire1_clearance_modulation: f64,
    /// `delta` [min⁻¹]: BiP-assisted folding and clearance of unfolded protein.
    pub bip_folding_rate: f64,
    /// `gamma` [min⁻¹]: ATF4 translation ∝ (U - U*) p-eIF2α.
    pub atf4_translation_rate: f64,
    /// `KA4c` [1]: ATF4 excess for half-maximal Chop transcription.
    pub atf4_chop_half_activation: f64,
    /// `Kc4` [1]: ATF6 co-activation of ATF4-driven Chop.
    pub atf6_coactivation_of_chop: f64,
    /// `Kth4c` [1]: ATF6 shift of the ATF4 threshold for Chop.
    pub atf6_threshold_shift_of_chop: f64,
    /// `muA4` [min⁻¹]: maximal ATF4-driven Chop transcription.
    pub chop_transcription_rate: f64,
    /// `n` [1]: Hill exponent of ATF4-driven Chop transcription.
    pub chop_hill: f64,
    /// `ktC` [min⁻¹]: p-eIF2α feed-forward on CHOP translation.
    pub chop_translation_gain: f64,
    /// `KA4g` [1]: CHOP co-activation of ATF4-driven Gadd34.
    pub chop_gadd34_coactivation: f64,
    /// `KC` [1]: saturation constant of Gadd34 transcription.
    pub gadd34_transcription_saturation: f64,
    /// `Kth4g` [1]: CHOP shift of the Gadd34 saturation.
    pub chop_gadd34_threshold_shift: f64,
    /// `etaC` [min⁻¹]: maximal ATF4/CHOP-driven Gadd34 transcription.
    pub gadd34_transcription_rate: f64,
    /// `ktG` [min⁻¹]: p-eIF2α feed-forward on GADD34 translation.
    pub gadd34_translation_gain: f64,
    /// `Kdeph` [1]: p-eIF2α dephosphorylation saturation.
    pub dephosphorylation_saturation: f64,
    /// `kdeph1` [min⁻¹]: CReP-like basal p-eIF2α dephosphorylation.
    pub basal_dephosphorylation_rate: f64,
    /// `kdeph2` [min⁻¹]: GADD34-PP1 p-eIF2α dephosphorylation.
    pub gadd34_dephosphorylation_rate: f64,
    /// `KE` [1]: p-eIF2α level that halves client synthesis.
    pub translation_attenuation: f64,
    /// `KUI'` [1]: IRE1 (RIDD) reduction of client synthesis (local KUI of `U_syn`).
    pub ire1_client_synthesis_modulation: f64,
    /// `KUU` [1]: unfolded load that saturates its own synthesis.
    pub unfolded_synthesis_saturation: f64,
    /// `ksU` [min⁻¹]: basal ER client (unfolded protein) synthesis.
    pub client_synthesis_rate: f64,
    /// `nU` [1]: Hill exponent of the synthesis saturation.
    pub unfolded_synthesis_hill: f64,
    /// `Kph` [1]: eIF2α phosphorylation saturation.
    pub eif2a_phosphorylation_saturation: f64,
    /// `kph` [min⁻¹]: PERK-driven eIF2α phosphorylation.
    pub eif2a_phosphorylation_rate: f64,
    /// `Kx` [1]: Xbp1 splicing saturation.
    pub xbp1_splicing_saturation: f64,
    /// `ksp` [min⁻¹]: IRE1-driven Xbp1 splicing.
    pub xbp1_splicing_rate: f64,
    /// `U*` [1]: unstressed reference of U.
    pub unfolded_protein_ref: f64,
    /// `A6*` [1]: unstressed reference of ATF6(N) (0 in the ATF6 deletion).
    pub atf6_cleaved_ref: f64,
    /// `b*` [1]: unstressed reference of Bip mRNA.
    pub bip_mrna_ref: f64,
    /// `Btot*` [1]: unstressed reference of BiP protein.
    pub bip_protein_ref: f64,
    /// `A4*` [1]: unstressed reference of ATF4 (0 in the ATF4 deletion).
    pub atf4_ref: f64,
    /// `c*` [1]: unstressed reference of Chop mRNA.
    pub chop_mrna_ref: f64,
    /// `C*` [1]: unstressed reference of CHOP protein.
    pub chop_protein_ref: f64,
    /// `g*` [1]: unstressed reference of Gadd34 mRNA (0 in the GADD34 deletion).
    pub gadd34_mrna_ref: f64,
    /// `G*` [1]: unstressed reference of GADD34 (0 in the GADD34 deletion).
    pub gadd34_protein_ref: f64,
    /// `Ep*` [1]: unstressed reference of p-eIF2α.
    pub p_eif2a_ref: f64,
    /// `x*` [1]: unstressed reference of Xbp1s.
    pub xbp1s_ref: f64,
    /// `Ip*` [1]: unstressed reference of active IRE1.
    pub p_ire1_ref: f64,
    /// `KOperk` [1]: PERK gene present (1) or deleted (0).
    pub perk_present: f64,
    /// `KOire1` [1]: IRE1 gene present (1) or deleted (0).
    pub ire1_present: f64,
}

impl Default for UprCoreParams {
    fn default() -> Self {
        Self {
            bip_unfolded_dissociation: 0.8,
            bip_perk_dissociation: 0.01,
            bip_atf6_dissociation: 1.6e-5,
            atf6_total: 15.0,
            bip_protein_degradation_rate: 2.514e-4,
            bip_mrna_degradation_rate: 0.001_284,
            atf4_degradation_rate: 0.003_84,
            atf6_degradation_rate: 0.003_84,
            chop_mrna_degradation_rate: 0.003_93,
            chop_protein_degradation_rate: 0.005_478,
            gadd34_mrna_degradation_rate: 0.003_468,
            gadd34_protein_degradation_rate: 0.003_852,
            eif2a_total: 20.0,
            perk_basal_active_fraction: 0.02,
            xbp1_total: 16.0,
            xbp1s_degradation_rate: 0.006_546,
            bip_ire1_dissociation: 0.01,
            ire1_basal_active_fraction: 0.01,
            ire1_bip_mrna_turnover_gain: 0.2,
            ire1_bip_mrna_turnover_saturation: 0.1,
            atf4_bip_half_activation: 3.0,
            atf6_bip_half_activation: 3.0,
            xbp1s_bip_half_activation: 8.0,
            atf6_coactivation_of_atf4_bip: 0.5,
            atf4_coactivation_of_atf6_bip: 0.56,
            atf6_threshold_shift_of_atf4_bip: 0.167,
            atf4_threshold_shift_of_atf6_bip: 1e-5,
            atf4_bip_transcription_rate: 0.007,
            atf6_bip_transcription_rate: 0.012,
            xbp1s_bip_transcription_rate: 0.002,
            atf4_threshold_shift_hill: 7.0,
            atf4_bip_hill: 2.0,
            atf6_bip_hill: 2.0,
            atf6_cleavage_rate: 4.0,
            ire1_clearance_modulation: 0.01,
            bip_folding_rate: 1.5,
            atf4_translation_rate: 0.001,
            atf4_chop_half_activation: 2.0,
            atf6_coactivation_of_chop: 0.56,
            atf6_threshold_shift_of_chop: 0.25,
            chop_transcription_rate: 0.1,
            chop_hill: 2.0,
            chop_translation_gain: 1e-4,
            chop_gadd34_coactivation: 0.75,
            gadd34_transcription_saturation: 5.0,
            chop_gadd34_threshold_shift: 0.1,
            gadd34_transcription_rate: 0.012,
            gadd34_translation_gain: 0.0015,
            dephosphorylation_saturation: 7.0,
            basal_dephosphorylation_rate: 0.03,
            gadd34_dephosphorylation_rate: 0.08,
            translation_attenuation: 3.0,
            ire1_client_synthesis_modulation: 0.01,
            unfolded_synthesis_saturation: 6.0,
            client_synthesis_rate: 0.89,
            unfolded_synthesis_hill: 4.0,
            eif2a_phosphorylation_saturation: 14.0,
            eif2a_phosphorylation_rate: 0.006_51,
            xbp1_splicing_saturation: 3.0,
            xbp1_splicing_rate: 0.007_85,
            unfolded_protein_ref: 1.0,
            atf6_cleaved_ref: 1.0,
            bip_mrna_ref: 1.0,
            bip_protein_ref: 1.0,
            atf4_ref: 1.0,
            chop_mrna_ref: 1.0,
            chop_protein_ref: 1.0,
            gadd34_mrna_ref: 1.0,
            gadd34_protein_ref: 1.0,
            p_eif2a_ref: 1.0,
            xbp1s_ref: 1.0,
            p_ire1_ref: 1.0,
            perk_present: 1.0,
            ire1_present: 1.0,
        }
    }
}

/// The in-silico deletions of Diedrichs et al. 2018, set through the SBML's switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoreKnockout {
    /// PERK deletion: SBML `KOperk = 0`, so active PERK `Pp = 0`.
    Perk,
    /// IRE1 deletion: SBML `KOire1 = 0`, so active IRE1 `Ip = 0` (its reference `Ip*`
    /// stays 1, as in the SBML).
    Ire1,
    /// ATF6 deletion: `A6tot = 0`, `A6* = 0` (cleaved ATF6 starts and stays at 0).
    Atf6,
    /// ATF4 deletion: `A4* = 0`, `gamma = 0` (ATF4 starts and stays at 0).
    Atf4,
    /// CHOP (*Ddit3*) deletion, not in the SBML: `c* = C* = 0` and no ATF4-driven
    /// transcription (`muA4 = 0`), so CHOP mRNA and protein stay 0 (claims IN-10, TX-6).
    Chop,
    /// XBP1 deletion (SMC-specific *Xbp1* knockout, Yang 2022), not in the SBML: no *Xbp1*
    /// mRNA at all (`xtot = x* = 0`, no splicing), so neither XBP1s nor XBP1u is made.
    Xbp1,
    /// GADD34 deletion: `g* = G* = 0` as in the paper. The SBML's `G_syn` then divides
    /// 0 by 0 (`kdG G*/g*`); vcsim reads that ratio as 0 and also silences *Gadd34*
    /// transcription (`etaC = 0`), so mRNA and protein stay 0 as in a gene deletion.
    Gadd34,
}

impl CoreKnockout {
    /// Every knockout, in a fixed order.
    pub const ALL: [Self; 7] = [
        Self::Perk,
        Self::Ire1,
        Self::Atf6,
        Self::Atf4,
        Self::Gadd34,
        Self::Chop,
        Self::Xbp1,
    ];

    /// The lower-case gene name used on the command line and in scenario files.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Perk => "perk",
            Self::Ire1 => "ire1",
            Self::Atf6 => "atf6",
            Self::Atf4 => "atf4",
            Self::Gadd34 => "gadd34",
            Self::Chop => "chop",
            Self::Xbp1 => "xbp1",
        }
    }

    /// Applies the deletion to the core parameters.
    pub const fn apply(self, params: &mut UprCoreParams) {
        match self {
            Self::Perk => params.perk_present = 0.0,
            Self::Ire1 => params.ire1_present = 0.0,
            Self::Atf6 => {
                params.atf6_total = 0.0;
                params.atf6_cleaved_ref = 0.0;
            }
            Self::Atf4 => {
                params.atf4_ref = 0.0;
                params.atf4_translation_rate = 0.0;
            }
            Self::Gadd34 => {
                params.gadd34_mrna_ref = 0.0;
                params.gadd34_protein_ref = 0.0;
                params.gadd34_transcription_rate = 0.0;
            }
            Self::Chop => {
                params.chop_mrna_ref = 0.0;
                params.chop_protein_ref = 0.0;
                params.chop_transcription_rate = 0.0;
            }
            Self::Xbp1 => {
                params.xbp1_total = 0.0;
                params.xbp1s_ref = 0.0;
                params.xbp1_splicing_rate = 0.0;
            }
        }
    }
}

/// A Hill coefficient prepared once per model: integral exponents from 0 to 16 are
/// multiplied out by repeated squaring, inline (neither the `powi` runtime routine nor
/// a per-call integrality test, both of which showed in profiles of the rates); other
/// exponents go to `powf`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Exponent {
    /// `x²`, the commonest Hill coefficient of the core.
    Two,
    /// A small non-negative integer.
    Integer(u32),
    /// Anything else.
    Real(f64),
}

impl Exponent {
    fn new(exponent: f64) -> Self {
        // A saturating cast (NaN gives 0); the exponent is integral iff it survives the
        // round trip.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "the round trip below tests integrality and sign"
        )]
        let n = exponent as u32;
        #[expect(clippy::float_cmp, reason = "exact test for an integral exponent")]
        let integral = f64::from(n) == exponent;
        match n {
            2 if integral => Self::Two,
            0..=16 if integral => Self::Integer(n),
            _ => Self::Real(exponent),
        }
    }

    #[inline]
    fn raise(self, base: f64) -> f64 {
        match self {
            Self::Two => base * base,
            Self::Integer(n) => {
                let mut result = 1.0;
                let mut factor = base;
                let mut rest = n;
                while rest > 0 {
                    if rest & 1 == 1 {
                        result *= factor;
                    }
                    factor *= factor;
                    rest >>= 1;
                }
                result
            }
            // A real power of a negative number is NaN; a state is >= 0, but a stage of
            // the integrator can overshoot below 0 (the published exponents are
            // integers, which never take this path).
            Self::Real(exponent) => base.abs().powf(exponent),
        }
    }
}

/// `base^exponent` for a one-off power (constants derived once per model).
fn power(base: f64, exponent: f64) -> f64 {
    Exponent::new(exponent).raise(base)
}

/// [1] The smallest value of the published IRE1 modulation denominators
/// `1 + KUI' (Ip - Ip*)`, `1 + KII (Ip - Ip*)` and `1 + betaI (Ip - Ip*)` (the first two
/// divide client synthesis and BiP-assisted clearance, the last the RIDD turnover of Bip
/// mRNA). With `Ip >= 0` each is at least `1 - K Ip*`: 0.9 or more at the published
/// values, but 0 (a pole, then a sign change) once `K Ip*` reaches 1 within the
/// parameters' ranges (`Ip*` up to 10, the constants up to 0.1 and 1), e.g. in the IRE1
/// deletion (`Ip = 0`). Holding them at 0.1 or more (at most a tenfold amplification)
/// never binds at the published values. Assumed: the smallest floor that keeps the rates
/// finite and of the published sign.
pub const MIN_IRE1_MODULATION: f64 = 0.1;

/// `a / b`, read as 0 when both are 0 (the GADD34 deletion's `G*/g*`).
#[inline]
fn ratio_or_zero(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

/// Constants derived once from the parameters (the SBML's `KUP` and `KUI` rules, and
/// the Hill coefficients and constant powers of the rates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UprCoreDerived {
    /// [1] `KUP`, chosen so that `Pp* = 1`.
    pub perk_unfolded_affinity: f64,
    /// [1] `KUI`, chosen so that `Ip* = 1`.
    pub ire1_unfolded_affinity: f64,
    /// `nU`.
    unfolded_synthesis_hill: Exponent,
    /// `nA6`.
    atf6_bip_hill: Exponent,
    /// `nA4`.
    atf4_bip_hill: Exponent,
    /// `nA`.
    atf4_threshold_shift_hill: Exponent,
    /// `n` (CHOP).
    chop_hill: Exponent,
    /// [1] `KA6^nA6`.
    atf6_bip_half_activation_power: f64,
    /// [1] `KA4^nA4`.
    atf4_bip_half_activation_power: f64,
    /// [1] `KA4c^n`.
    atf4_chop_half_activation_power: f64,
}

impl UprCoreDerived {
    /// Computes `KUP` and `KUI` from the parameters.
    #[must_use]
    pub fn new(p: &UprCoreParams) -> Self {
        let bound_share = 1.0 / (1.0 + p.unfolded_protein_ref / p.bip_unfolded_dissociation);
        Self {
            perk_unfolded_affinity: (1.0 / p.perk_basal_active_fraction - 1.0)
                * p.unfolded_protein_ref
                / (1.0 + p.bip_protein_ref / p.bip_perk_dissociation * bound_share),
            ire1_unfolded_affinity: (1.0 / p.ire1_basal_active_fraction - 1.0)
                * p.unfolded_protein_ref
                / (1.0 + p.bip_protein_ref / p.bip_ire1_dissociation * bound_share),
            unfolded_synthesis_hill: Exponent::new(p.unfolded_synthesis_hill),
            atf6_bip_hill: Exponent::new(p.atf6_bip_hill),
            atf4_bip_hill: Exponent::new(p.atf4_bip_hill),
            atf4_threshold_shift_hill: Exponent::new(p.atf4_threshold_shift_hill),
            chop_hill: Exponent::new(p.chop_hill),
            atf6_bip_half_activation_power: power(p.atf6_bip_half_activation, p.atf6_bip_hill),
            atf4_bip_half_activation_power: power(p.atf4_bip_half_activation, p.atf4_bip_hill),
            atf4_chop_half_activation_power: power(p.atf4_chop_half_activation, p.chop_hill),
        }
    }
}

/// Free BiP, active PERK and active IRE1 for a state.
#[must_use]
pub fn sensors(s: &UprCoreState, p: &UprCoreParams, d: &UprCoreDerived) -> UprSensors {
    let u = s.unfolded_protein;
    let free_bip = s.bip_protein / (1.0 + u / p.bip_unfolded_dissociation);
    let kup = d.perk_unfolded_affinity;
    let kui = d.ire1_unfolded_affinity;
    let p_perk = p.perk_present * (1.0 / p.perk_basal_active_fraction) * u
        / (kup + kup / p.bip_perk_dissociation * free_bip + u);
    let p_ire1 = p.ire1_present * (1.0 / p.ire1_basal_active_fraction) * u
        / (kui + kui / p.bip_ire1_dissociation * free_bip + u);
    UprSensors {
        free_bip,
        p_perk,
        p_ire1,
    }
}

/// [min⁻¹] `dU/dt` from the unfolded protein `u`, p-eIF2α `ep`, free BiP `b_free` and
/// the IRE1 excess `Ip - Ip*`.
#[inline]
fn unfolded_protein_rate(
    u: f64,
    ep: f64,
    b_free: f64,
    ire1_excess: f64,
    p: &UprCoreParams,
    d: &UprCoreDerived,
    coupling: &CoreCoupling,
) -> f64 {
    // Unfolded protein: client synthesis (attenuated by p-eIF2a, saturating) minus
    // BiP-assisted folding/clearance, plus the VSMC ER-phagy hook.
    let synthesis = (p.client_synthesis_rate * coupling.client_synthesis_scale
        / (1.0 + p.ire1_client_synthesis_modulation * ire1_excess).max(MIN_IRE1_MODULATION)
        + coupling.stress)
        / (1.0
            + ep / p.translation_attenuation
            + d.unfolded_synthesis_hill
                .raise(u.abs() / p.unfolded_synthesis_saturation));
    let clearance = p.bip_folding_rate * coupling.folding_gain * u * b_free
        / (1.0 + p.ire1_clearance_modulation * ire1_excess).max(MIN_IRE1_MODULATION);
    // ER-phagy is receptor-limited: it saturates like BiP binding (KBU), so that
    // below-resting autophagy (3-MA) can never turn clearance into a source.
    let kbu = p.bip_unfolded_dissociation;
    let erphagy = coupling.autophagic_clearance * u / (1.0 + u / kbu) * (1.0 + 1.0 / kbu);
    synthesis - clearance - erphagy
}

/// [min⁻¹] `∂(dU/dt)/∂U`, the fast (stiff) mode of the core, by a forward difference with
/// every other state held (free BiP, PERK and IRE1 follow `U` through their quasi-steady
/// relations). The adaptive integrator puts it into its W matrix; it needs no more
/// accuracy than a few digits.
#[must_use]
pub fn unfolded_protein_slope(
    s: &UprCoreState,
    p: &UprCoreParams,
    d: &UprCoreDerived,
    coupling: &CoreCoupling,
) -> f64 {
    let rate_at = |u: f64| {
        let shifted = UprCoreState {
            unfolded_protein: u,
            ..*s
        };
        let sensors = sensors(&shifted, p, d);
        unfolded_protein_rate(
            u,
            s.p_eif2a,
            sensors.free_bip,
            sensors.p_ire1 - p.p_ire1_ref,
            p,
            d,
            coupling,
        )
    };
    let u = s.unfolded_protein;
    // [1] Forward-difference increment: √ε relative to U (U is of order 1 and >= 0).
    let shifted = u + f64::EPSILON.sqrt() * u.max(1.0);
    (rate_at(shifted) - rate_at(u)) / (shifted - u)
}

/// [min⁻¹] The diagonal partial derivatives `∂(dX/dt)/∂X` of the three core states whose
/// own turnover is state-dependent and can be fast: cleaved ATF6 (cleavage
/// `kcl (U - U*)(A6tot - A6)/(1 + B/KBA6)`, up to tens per minute when `kcl` is raised
/// and BiP is bound), p-eIF2α (saturable phosphorylation and dephosphorylation) and Xbp1s
/// (saturable splicing), in that order. Each is `<= 0` where the mode decays; a
/// positive value (growth) is returned as is.
#[must_use]
pub fn turnover_slopes(s: &UprCoreState, p: &UprCoreParams, d: &UprCoreDerived) -> [f64; 3] {
    let sensors = sensors(s, p, d);
    let atf6 = -p.atf6_cleavage_rate * (s.unfolded_protein - p.unfolded_protein_ref)
        / (1.0 + sensors.free_bip / p.bip_atf6_dissociation)
        - p.atf6_degradation_rate;
    let unphosphorylated = (p.eif2a_total - s.p_eif2a).max(0.0);
    let dephosphorylation = p.basal_dephosphorylation_rate
        + p.gadd34_dephosphorylation_rate * (s.gadd34_protein - p.gadd34_protein_ref);
    let p_eif2a =
        -p.eif2a_phosphorylation_rate * sensors.p_perk * p.eif2a_phosphorylation_saturation
            / (p.eif2a_phosphorylation_saturation + unphosphorylated).powi(2)
            - dephosphorylation * p.dephosphorylation_saturation
                / (p.dephosphorylation_saturation + s.p_eif2a).powi(2);
    let unspliced = (p.xbp1_total - s.xbp1s).max(0.0);
    let xbp1s = -p.xbp1_splicing_rate * sensors.p_ire1 * p.xbp1_splicing_saturation
        / (p.xbp1_splicing_saturation + unspliced).powi(2)
        - p.xbp1s_degradation_rate;
    [atf6, p_eif2a, xbp1s]
}

/// [min⁻¹] The time derivative of the core state, and the sensors it was computed with.
#[must_use]
pub fn rates(
    s: &UprCoreState,
    p: &UprCoreParams,
    d: &UprCoreDerived,
    coupling: &CoreCoupling,
) -> (UprCoreState, UprSensors) {
    let sensors = sensors(s, p, d);
    let UprSensors {
        free_bip: b_free,
        p_perk,
        p_ire1,
    } = sensors;
    let u = s.unfolded_protein;
    let a6 = s.atf6_cleaved;
    let a4 = s.atf4;
    let ep = s.p_eif2a;
    let ire1_excess = p_ire1 - p.p_ire1_ref;
    let d_unfolded = unfolded_protein_rate(u, ep, b_free, ire1_excess, p, d, coupling);

    let d_atf6 = p.atf6_degradation_rate * p.atf6_cleaved_ref
        + p.atf6_cleavage_rate * (u - p.unfolded_protein_ref) * (p.atf6_total - a6)
            / (1.0 + b_free / p.bip_atf6_dissociation)
        - p.atf6_degradation_rate * a6;

    // RIDD: a turnover factor, never negative (its numerator `1 + alphaI (Ip - Ip*)`
    // turns negative once `alphaI Ip*` exceeds 1, which would make Bip mRNA decay a
    // source; 0.8 or more at the published values).
    let rho = (1.0 + p.ire1_bip_mrna_turnover_gain * ire1_excess).max(0.0)
        / (1.0 + p.ire1_bip_mrna_turnover_saturation * ire1_excess).max(MIN_IRE1_MODULATION);
    // The Hill terms raise the excess over the reference to `n`: the published `n = 2`
    // reads a deficit like an excess, `|X - X*|²`. Other exponents in the parameters'
    // ranges follow that reading (`|X - X*|^n`): a real power of a negative number is NaN,
    // and an odd one would give the Hill denominators a pole.
    let a6_excess = d.atf6_bip_hill.raise((a6 - p.atf6_cleaved_ref).abs());
    let a4_excess_bip = d.atf4_bip_hill.raise((a4 - p.atf4_ref).abs());
    // `(x - x*)/(x - x* + KX)` has a pole at `x = x* - KX`, reachable when `x* > KX`
    // (both within their ranges); the deficit is held at `KX/2` or less, where the term
    // is -1 (at the published x* = 1, KX = 8 the deficit is at most 1).
    let x_excess = (s.xbp1s - p.xbp1s_ref).max(-0.5 * p.xbp1s_bip_half_activation);
    let bip_mrna_synthesis = p.bip_mrna_degradation_rate * rho * p.bip_mrna_ref
        + p.atf6_bip_transcription_rate * (1.0 + p.atf4_coactivation_of_atf6_bip * a4) * a6_excess
            / (a6_excess
                + d.atf6_bip_half_activation_power
                    * (1.0
                        + p.atf4_threshold_shift_of_atf6_bip
                            * d.atf4_threshold_shift_hill.raise(a4)))
        + p.atf4_bip_transcription_rate
            * (1.0 + p.atf6_coactivation_of_atf4_bip * a6)
            * a4_excess_bip
            / (a4_excess_bip
                + d.atf4_bip_half_activation_power
                    * d.atf4_bip_hill
                        .raise(1.0 + p.atf6_threshold_shift_of_atf4_bip * a6))
        + p.xbp1s_bip_transcription_rate * x_excess / (x_excess + p.xbp1s_bip_half_activation);
    let d_bip_mrna = bip_mrna_synthesis - p.bip_mrna_degradation_rate * rho * s.bip_mrna;

    let d_bip_protein = p.bip_protein_degradation_rate
        * ratio_or_zero(p.bip_protein_ref, p.bip_mrna_ref)
        * s.bip_mrna
        - p.bip_protein_degradation_rate * s.bip_protein;

    let d_atf4 = p.atf4_degradation_rate * p.atf4_ref
        + p.atf4_translation_rate * (u - p.unfolded_protein_ref) * ep
        - p.atf4_degradation_rate * a4;

    let a4_excess_chop = d.chop_hill.raise((a4 - p.atf4_ref).abs());
    let d_chop_mrna = p.chop_mrna_degradation_rate * p.chop_mrna_ref
        + p.chop_transcription_rate * (1.0 + p.atf6_coactivation_of_chop * a6) * a4_excess_chop
            / (a4_excess_chop
                + d.atf4_chop_half_activation_power
                    * d.chop_hill.raise(1.0 + p.atf6_threshold_shift_of_chop * a6))
        - p.chop_mrna_degradation_rate * s.chop_mrna;

    let ep_excess = ep - p.p_eif2a_ref;
    let d_chop_protein = (p.chop_protein_degradation_rate
        * ratio_or_zero(p.chop_protein_ref, p.chop_mrna_ref)
        + p.chop_translation_gain * ep_excess)
        * s.chop_mrna
        - p.chop_protein_degradation_rate * s.chop_protein;

    let a4_shift = a4 - p.atf4_ref;
    let chop_shift = s.chop_protein - p.chop_protein_ref;
    // The published denominator `(A4 - A4*)(1 + Kth4g (C - C*)) + KC` changes sign when
    // ATF4 is below its reference while CHOP is high (or KC is small): a pole the
    // solution runs into. It is held at `KC/2` or more, which it never is below at the
    // published values in a cell that stays near them.
    // Synthesis is held at 0 or more: the published numerator `(A4 - A4*)(1 + ...)` is
    // negative once ATF4 is below its reference, and a negative synthesis (with mRNA
    // clamped at 0) drove GADD34 protein and then the dephosphorylation rate far negative
    // in integration stages, so that p-eIF2α blew up in finite time (property-test
    // draws with GADD34* high). The floor never acts at the published values or in the
    // shipped scenarios (the golden outputs are unchanged). The same holds for the
    // translation factor `kdeg G*/Gm* + ktlG (Ep - Ep*)` of GADD34 protein below.
    let d_gadd34_mrna = (p.gadd34_mrna_degradation_rate * p.gadd34_mrna_ref
        + p.gadd34_transcription_rate
            * (a4_shift + p.chop_gadd34_coactivation * a4_shift * chop_shift)
            / (a4_shift
                + p.chop_gadd34_threshold_shift * a4_shift * chop_shift
                + p.gadd34_transcription_saturation)
                .max(0.5 * p.gadd34_transcription_saturation))
    .max(0.0)
        - p.gadd34_mrna_degradation_rate * s.gadd34_mrna;

    let d_gadd34_protein = (p.gadd34_protein_degradation_rate
        * ratio_or_zero(p.gadd34_protein_ref, p.gadd34_mrna_ref)
        + p.gadd34_translation_gain * ep_excess)
        .max(0.0)
        * s.gadd34_mrna
        - p.gadd34_protein_degradation_rate * s.gadd34_protein;

    // No unphosphorylated eIF2α is left once p-eIF2α reaches the total: the published
    // `(Etot - Ep)/(Kph + Etot - Ep)` has a pole at `Ep = Etot + Kph` and pushes Ep
    // beyond it (Ep passes Etot only when the dephosphorylation rate
    // `kdeph1 + kdeph2 (G - G*)` turns negative, as the published model lets it once
    // GADD34 is far below its reference; a fuzz draw then ran off to 10¹¹).
    let unphosphorylated = (p.eif2a_total - ep).max(0.0);
    let d_p_eif2a = p.eif2a_phosphorylation_rate * unphosphorylated * p_perk
        / (p.eif2a_phosphorylation_saturation + unphosphorylated)
        - (p.basal_dephosphorylation_rate
            + p.gadd34_dephosphorylation_rate * (s.gadd34_protein - p.gadd34_protein_ref))
            * ep
            / (p.dephosphorylation_saturation + ep);

    // No unspliced Xbp1 is left once Xbp1s reaches the total (the same pole as eIF2α's).
    let unspliced = (p.xbp1_total - s.xbp1s).max(0.0);
    let d_xbp1s = p.xbp1_splicing_rate * p_ire1 * unspliced
        / (p.xbp1_splicing_saturation + unspliced)
        - p.xbp1s_degradation_rate * s.xbp1s;

    (
        UprCoreState {
            unfolded_protein: d_unfolded,
            atf6_cleaved: d_atf6,
            bip_mrna: d_bip_mrna,
            bip_protein: d_bip_protein,
            atf4: d_atf4,
            chop_mrna: d_chop_mrna,
            chop_protein: d_chop_protein,
            gadd34_mrna: d_gadd34_mrna,
            gadd34_protein: d_gadd34_protein,
            p_eif2a: d_p_eif2a,
            xbp1s: d_xbp1s,
        },
        sensors,
    )
}

/// [min⁻¹] An upper bound on the fastest decay rate of the core (the unfolded-protein
/// clearance `delta·B`), used to keep explicit steps inside their stability region.
#[must_use]
pub fn stiffness_bound(s: &UprCoreState, p: &UprCoreParams, coupling: &CoreCoupling) -> f64 {
    // B <= Btot and 1 + KII (Ip - Ip*) >= 1 - KII Ip*.
    let folding = p.bip_folding_rate * coupling.folding_gain * s.bip_protein
        / (1.0 - p.ire1_clearance_modulation * p.p_ire1_ref).max(0.5);
    let kbu = p.bip_unfolded_dissociation;
    folding + coupling.autophagic_clearance.abs() * (1.0 + 1.0 / kbu)
}

const fn spec(
    symbol: &'static str,
    field: &'static str,
    unit: &'static str,
    meaning: &'static str,
    min: f64,
    max: f64,
    access: fn(&mut UprCoreParams) -> &mut f64,
) -> ParamSpec<UprCoreParams> {
    ParamSpec {
        symbol,
        field,
        unit,
        meaning,
        source: D18,
        min,
        max,
        access,
    }
}

#[rustfmt::skip]
static SPECS: [ParamSpec<UprCoreParams>; 74] = [
    spec("KBU", "bip_unfolded_dissociation", "1", "BiP-unfolded protein dissociation constant", 0.08, 8.0, |p| &mut p.bip_unfolded_dissociation),
    spec("KBP", "bip_perk_dissociation", "1", "BiP-PERK dissociation constant", 0.001, 0.1, |p| &mut p.bip_perk_dissociation),
    spec("KBA6", "bip_atf6_dissociation", "1", "BiP-ATF6 dissociation constant", 1.6e-06, 0.00016, |p| &mut p.bip_atf6_dissociation),
    spec("A6tot", "atf6_total", "1", "total ATF6 (cleavable pool)", 0.0, 100.0, |p| &mut p.atf6_total),
    spec("kdB", "bip_protein_degradation_rate", "min⁻¹", "BiP protein decay (t½ 46 h)", 2.51e-05, 0.00251, |p| &mut p.bip_protein_degradation_rate),
    spec("kdb", "bip_mrna_degradation_rate", "min⁻¹", "Bip mRNA decay (t½ 9.0 h)", 0.000128, 0.01284, |p| &mut p.bip_mrna_degradation_rate),
    spec("kdA4", "atf4_degradation_rate", "min⁻¹", "ATF4 decay (t½ 3.0 h)", 0.000384, 0.0384, |p| &mut p.atf4_degradation_rate),
    spec("kdA6", "atf6_degradation_rate", "min⁻¹", "cleaved ATF6 decay (t½ 3.0 h)", 0.000384, 0.0384, |p| &mut p.atf6_degradation_rate),
    spec("kdc", "chop_mrna_degradation_rate", "min⁻¹", "Chop mRNA decay (t½ 2.9 h)", 0.000393, 0.0393, |p| &mut p.chop_mrna_degradation_rate),
    spec("kdC", "chop_protein_degradation_rate", "min⁻¹", "CHOP protein decay (t½ 2.1 h)", 0.000548, 0.05478, |p| &mut p.chop_protein_degradation_rate),
    spec("kdg", "gadd34_mrna_degradation_rate", "min⁻¹", "Gadd34 mRNA decay (t½ 3.3 h)", 0.000347, 0.03468, |p| &mut p.gadd34_mrna_degradation_rate),
    spec("kdG", "gadd34_protein_degradation_rate", "min⁻¹", "GADD34 protein decay (t½ 3.0 h)", 0.000385, 0.03852, |p| &mut p.gadd34_protein_degradation_rate),
    spec("Etot", "eif2a_total", "1", "total eIF2α relative to basal p-eIF2α", 2.0, 200.0, |p| &mut p.eif2a_total),
    spec("f", "perk_basal_active_fraction", "1", "fraction of PERK active at rest", 0.002, 0.2, |p| &mut p.perk_basal_active_fraction),
    spec("xtot", "xbp1_total", "1", "total Xbp1 mRNA relative to basal Xbp1s", 1.6, 1.6e2, |p| &mut p.xbp1_total),
    spec("kdx", "xbp1s_degradation_rate", "min⁻¹", "Xbp1s mRNA decay (t½ 1.8 h)", 0.000655, 0.0655, |p| &mut p.xbp1s_degradation_rate),
    spec("KBI", "bip_ire1_dissociation", "1", "BiP-IRE1 dissociation constant", 0.001, 0.1, |p| &mut p.bip_ire1_dissociation),
    spec("fi", "ire1_basal_active_fraction", "1", "fraction of IRE1 active at rest", 0.001, 0.1, |p| &mut p.ire1_basal_active_fraction),
    spec("alphaI", "ire1_bip_mrna_turnover_gain", "1", "IRE1 (RIDD) effect on Bip mRNA turnover, numerator", 0.0, 2.0, |p| &mut p.ire1_bip_mrna_turnover_gain),
    spec("betaI", "ire1_bip_mrna_turnover_saturation", "1", "IRE1 (RIDD) effect on Bip mRNA turnover, denominator", 0.0, 1.0, |p| &mut p.ire1_bip_mrna_turnover_saturation),
    spec("KA4", "atf4_bip_half_activation", "1", "ATF4 excess for half-maximal Bip transcription", 0.3, 30.0, |p| &mut p.atf4_bip_half_activation),
    spec("KA6", "atf6_bip_half_activation", "1", "ATF6(N) excess for half-maximal Bip transcription", 0.3, 30.0, |p| &mut p.atf6_bip_half_activation),
    spec("KX", "xbp1s_bip_half_activation", "1", "Xbp1s excess for half-maximal Bip transcription", 0.8, 80.0, |p| &mut p.xbp1s_bip_half_activation),
    spec("Kb4", "atf6_coactivation_of_atf4_bip", "1", "ATF6 co-activation of ATF4-driven Bip transcription", 0.0, 5.0, |p| &mut p.atf6_coactivation_of_atf4_bip),
    spec("Kb6", "atf4_coactivation_of_atf6_bip", "1", "ATF4 co-activation of ATF6-driven Bip transcription", 0.0, 5.6, |p| &mut p.atf4_coactivation_of_atf6_bip),
    spec("Kth4", "atf6_threshold_shift_of_atf4_bip", "1", "ATF6 shift of the ATF4 threshold for Bip", 0.0, 1.67, |p| &mut p.atf6_threshold_shift_of_atf4_bip),
    spec("Kth6", "atf4_threshold_shift_of_atf6_bip", "1", "ATF4 shift of the ATF6 threshold for Bip", 0.0, 0.0001, |p| &mut p.atf4_threshold_shift_of_atf6_bip),
    spec("alphaA4", "atf4_bip_transcription_rate", "min⁻¹", "maximal ATF4-driven Bip transcription", 0.0, 0.07, |p| &mut p.atf4_bip_transcription_rate),
    spec("alphaA6", "atf6_bip_transcription_rate", "min⁻¹", "maximal ATF6-driven Bip transcription", 0.0, 0.12, |p| &mut p.atf6_bip_transcription_rate),
    spec("alphaX", "xbp1s_bip_transcription_rate", "min⁻¹", "maximal XBP1s-driven Bip transcription", 0.0, 0.02, |p| &mut p.xbp1s_bip_transcription_rate),
    spec("nA", "atf4_threshold_shift_hill", "1", "Hill exponent of ATF4 in the ATF6-Bip threshold", 1.0, 8.0, |p| &mut p.atf4_threshold_shift_hill),
    spec("nA4", "atf4_bip_hill", "1", "Hill exponent of ATF4-driven Bip transcription", 1.0, 8.0, |p| &mut p.atf4_bip_hill),
    spec("nA6", "atf6_bip_hill", "1", "Hill exponent of ATF6-driven Bip transcription", 1.0, 8.0, |p| &mut p.atf6_bip_hill),
    spec("kcl", "atf6_cleavage_rate", "min⁻¹", "ATF6 release and cleavage by unfolded protein", 0.0, 40.0, |p| &mut p.atf6_cleavage_rate),
    spec("KII", "ire1_clearance_modulation", "1", "IRE1 effect on unfolded-protein clearance", 0.0, 0.1, |p| &mut p.ire1_clearance_modulation),
    spec("delta", "bip_folding_rate", "min⁻¹", "BiP-assisted folding and clearance of unfolded protein", 0.15, 5.0, |p| &mut p.bip_folding_rate),
    spec("gamma", "atf4_translation_rate", "min⁻¹", "ATF4 translation ∝ (U - U*) p-eIF2α", 0.0, 0.01, |p| &mut p.atf4_translation_rate),
    spec("KA4c", "atf4_chop_half_activation", "1", "ATF4 excess for half-maximal Chop transcription", 0.2, 20.0, |p| &mut p.atf4_chop_half_activation),
    spec("Kc4", "atf6_coactivation_of_chop", "1", "ATF6 co-activation of ATF4-driven Chop", 0.0, 5.6, |p| &mut p.atf6_coactivation_of_chop),
    spec("Kth4c", "atf6_threshold_shift_of_chop", "1", "ATF6 shift of the ATF4 threshold for Chop", 0.0, 2.5, |p| &mut p.atf6_threshold_shift_of_chop),
    spec("muA4", "chop_transcription_rate", "min⁻¹", "maximal ATF4-driven Chop transcription", 0.0, 1.0, |p| &mut p.chop_transcription_rate),
    spec("n", "chop_hill", "1", "Hill exponent of ATF4-driven Chop transcription", 1.0, 8.0, |p| &mut p.chop_hill),
    spec("ktC", "chop_translation_gain", "min⁻¹", "p-eIF2α feed-forward on CHOP translation", 0.0, 0.001, |p| &mut p.chop_translation_gain),
    spec("KA4g", "chop_gadd34_coactivation", "1", "CHOP co-activation of ATF4-driven Gadd34", 0.0, 7.5, |p| &mut p.chop_gadd34_coactivation),
    spec("KC", "gadd34_transcription_saturation", "1", "saturation constant of Gadd34 transcription", 0.5, 50.0, |p| &mut p.gadd34_transcription_saturation),
    spec("Kth4g", "chop_gadd34_threshold_shift", "1", "CHOP shift of the Gadd34 saturation", 0.0, 1.0, |p| &mut p.chop_gadd34_threshold_shift),
    spec("etaC", "gadd34_transcription_rate", "min⁻¹", "maximal ATF4/CHOP-driven Gadd34 transcription", 0.0, 0.12, |p| &mut p.gadd34_transcription_rate),
    spec("ktG", "gadd34_translation_gain", "min⁻¹", "p-eIF2α feed-forward on GADD34 translation", 0.0, 0.01, |p| &mut p.gadd34_translation_gain),
    spec("Kdeph", "dephosphorylation_saturation", "1", "p-eIF2α dephosphorylation saturation", 0.7, 70.0, |p| &mut p.dephosphorylation_saturation),
    spec("kdeph1", "basal_dephosphorylation_rate", "min⁻¹", "CReP-like basal p-eIF2α dephosphorylation", 0.003, 0.3, |p| &mut p.basal_dephosphorylation_rate),
    spec("kdeph2", "gadd34_dephosphorylation_rate", "min⁻¹", "GADD34-PP1 p-eIF2α dephosphorylation", 0.0, 0.8, |p| &mut p.gadd34_dephosphorylation_rate),
    spec("KE", "translation_attenuation", "1", "p-eIF2α level that halves client synthesis", 0.3, 30.0, |p| &mut p.translation_attenuation),
    spec("KUI'", "ire1_client_synthesis_modulation", "1", "IRE1 (RIDD) reduction of client synthesis (local KUI of U_syn)", 0.0, 0.1, |p| &mut p.ire1_client_synthesis_modulation),
    spec("KUU", "unfolded_synthesis_saturation", "1", "unfolded load that saturates its own synthesis", 1.0, 60.0, |p| &mut p.unfolded_synthesis_saturation),
    spec("ksU", "client_synthesis_rate", "min⁻¹", "basal ER client (unfolded protein) synthesis", 0.1, 5.0, |p| &mut p.client_synthesis_rate),
    spec("nU", "unfolded_synthesis_hill", "1", "Hill exponent of the synthesis saturation", 1.0, 8.0, |p| &mut p.unfolded_synthesis_hill),
    spec("Kph", "eif2a_phosphorylation_saturation", "1", "eIF2α phosphorylation saturation", 1.4, 100.0, |p| &mut p.eif2a_phosphorylation_saturation),
    spec("kph", "eif2a_phosphorylation_rate", "min⁻¹", "PERK-driven eIF2α phosphorylation", 0.0, 0.0651, |p| &mut p.eif2a_phosphorylation_rate),
    spec("Kx", "xbp1_splicing_saturation", "1", "Xbp1 splicing saturation", 0.3, 30.0, |p| &mut p.xbp1_splicing_saturation),
    spec("ksp", "xbp1_splicing_rate", "min⁻¹", "IRE1-driven Xbp1 splicing", 0.0, 0.0785, |p| &mut p.xbp1_splicing_rate),
    spec("U*", "unfolded_protein_ref", "1", "unstressed reference of U", 0.1, 10.0, |p| &mut p.unfolded_protein_ref),
    spec("A6*", "atf6_cleaved_ref", "1", "unstressed reference of ATF6(N) (0 in the ATF6 deletion)", 0.0, 10.0, |p| &mut p.atf6_cleaved_ref),
    spec("b*", "bip_mrna_ref", "1", "unstressed reference of Bip mRNA", 0.1, 10.0, |p| &mut p.bip_mrna_ref),
    spec("Btot*", "bip_protein_ref", "1", "unstressed reference of BiP protein", 0.1, 10.0, |p| &mut p.bip_protein_ref),
    spec("A4*", "atf4_ref", "1", "unstressed reference of ATF4 (0 in the ATF4 deletion)", 0.0, 10.0, |p| &mut p.atf4_ref),
    spec("c*", "chop_mrna_ref", "1", "unstressed reference of Chop mRNA", 0.1, 10.0, |p| &mut p.chop_mrna_ref),
    spec("C*", "chop_protein_ref", "1", "unstressed reference of CHOP protein", 0.1, 10.0, |p| &mut p.chop_protein_ref),
    spec("g*", "gadd34_mrna_ref", "1", "unstressed reference of Gadd34 mRNA (0 in the GADD34 deletion)", 0.0, 10.0, |p| &mut p.gadd34_mrna_ref),
    spec("G*", "gadd34_protein_ref", "1", "unstressed reference of GADD34 (0 in the GADD34 deletion)", 0.0, 10.0, |p| &mut p.gadd34_protein_ref),
    spec("Ep*", "p_eif2a_ref", "1", "unstressed reference of p-eIF2α", 0.1, 10.0, |p| &mut p.p_eif2a_ref),
    spec("x*", "xbp1s_ref", "1", "unstressed reference of Xbp1s", 0.1, 10.0, |p| &mut p.xbp1s_ref),
    spec("Ip*", "p_ire1_ref", "1", "unstressed reference of active IRE1", 0.1, 10.0, |p| &mut p.p_ire1_ref),
    spec("KOperk", "perk_present", "1", "PERK gene present (1) or deleted (0)", 0.0, 1.0, |p| &mut p.perk_present),
    spec("KOire1", "ire1_present", "1", "IRE1 gene present (1) or deleted (0)", 0.0, 1.0, |p| &mut p.ire1_present),
];

impl ParameterTable for UprCoreParams {
    const MODULE: &'static str = "upr_core";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates_at_rest(stress: f64) -> UprCoreState {
        let p = UprCoreParams::default();
        let d = UprCoreDerived::new(&p);
        rates(
            &UprCoreState::initial(&p),
            &p,
            &d,
            &CoreCoupling::published(stress),
        )
        .0
    }

    #[test]
    fn sensors_are_one_at_rest() {
        let p = UprCoreParams::default();
        let d = UprCoreDerived::new(&p);
        let s = sensors(&UprCoreState::initial(&p), &p, &d);
        assert!((s.p_perk - 1.0).abs() < 1e-12);
        assert!((s.p_ire1 - 1.0).abs() < 1e-12);
        assert!((s.free_bip - 1.0 / (1.0 + 1.0 / 0.8)).abs() < 1e-12);
        // The SBML's KUP and KUI rules.
        assert!((d.perk_unfolded_affinity - 1.078_239_608_801_96).abs() < 1e-12);
        assert!((d.ire1_unfolded_affinity - 2.178_484_107_579_46).abs() < 1e-12);
    }

    #[test]
    fn unstressed_state_is_nearly_a_fixed_point() {
        // The published values are rounded: ksU = 0.89 is slightly above the exact
        // balance (about 0.8894) and the p-eIF2a rates differ by about 2e-6 per minute,
        // so the all-ones start drifts by at most 0.15% over 48 h (reference README).
        let r = rates_at_rest(0.0).to_array();
        assert!(r[0].abs() < 1e-3, "dU/dt at rest = {}", r[0]);
        for (name, rate) in UprCoreState::NAMES.iter().zip(r).skip(1) {
            assert!(rate.abs() < 1e-5, "d{name}/dt at rest = {rate}");
        }
    }

    #[test]
    fn stress_raises_unfolded_protein_immediately() {
        assert!(rates_at_rest(2.0).unfolded_protein > 0.5);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<UprCoreParams>();
    }

    #[test]
    fn table_accessors_read_their_own_field() {
        let p = UprCoreParams::default();
        for row in p.rows() {
            let mut changed = p.clone();
            changed.set(row.field, row.max).unwrap();
            assert!(changed.get(row.field).unwrap().to_bits() == row.max.to_bits());
            // exactly one field changed
            let differing = changed
                .rows()
                .iter()
                .zip(p.rows())
                .filter(|(a, b)| a.value.to_bits() != b.value.to_bits())
                .count();
            assert!(differing <= 1, "{} changed {differing} fields", row.field);
        }
    }

    #[test]
    fn gadd34_knockout_keeps_gadd34_at_zero_under_stress() {
        let mut p = UprCoreParams::default();
        CoreKnockout::Gadd34.apply(&mut p);
        let d = UprCoreDerived::new(&p);
        let mut s = UprCoreState::initial(&p);
        s.unfolded_protein = 5.0;
        s.atf4 = 4.0;
        s.p_eif2a = 5.0;
        let (r, _) = rates(&s, &p, &d, &CoreCoupling::published(8.0));
        assert!(r.gadd34_mrna.abs() < 1e-15 && r.gadd34_protein.abs() < 1e-15);
    }

    #[test]
    fn gadd34_synthesis_is_never_negative() {
        // ATF4 far below its reference, CHOP high, p-eIF2α below its reference and no
        // GADD34: the published forms give negative transcription and translation.
        let p = UprCoreParams {
            gadd34_translation_gain: 0.5,
            ..UprCoreParams::default()
        };
        let d = UprCoreDerived::new(&p);
        let mut s = UprCoreState::initial(&p);
        s.atf4 = 0.0;
        s.chop_protein = 1.0e3;
        s.p_eif2a = 0.0;
        s.gadd34_mrna = 0.0;
        s.gadd34_protein = 0.0;
        let (r, _) = rates(&s, &p, &d, &CoreCoupling::published(0.0));
        assert!(r.gadd34_mrna >= 0.0, "GADD34 mRNA rate {}", r.gadd34_mrna);
        s.gadd34_mrna = 1.0;
        let (r, _) = rates(&s, &p, &d, &CoreCoupling::published(0.0));
        assert!(
            r.gadd34_protein >= 0.0,
            "GADD34 protein rate {}",
            r.gadd34_protein
        );
    }
}
