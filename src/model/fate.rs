//! Cell-fate rules (`model.md` §4): phenotype labels with hysteresis, apoptosis and its
//! execution into an apoptotic body, proliferation with contact inhibition (the ISR3D
//! cell cycle), matrix-vesicle release and efferocytosis. Pure functions: the random
//! draws are made by the caller from keyed streams and passed in.
//!
//! | rule | form | source |
//! |---|---|---|
//! | contractile | `α-SMA ≥ 0.7` and `O < 0.3` | model.md §4.1 [A] |
//! | synthetic | `α-SMA < 0.7` and `O < 0.5`; back to contractile after `α-SMA ≥ 0.8` for 48 h | model.md §4.1 [A] |
//! | osteogenic | `O ≥ 0.5` for 24 h; reverts only after `O < 0.3` for 7 days | model.md §4.1 [A]; VC only partly reversible |
//! | apoptosis | per fate step, `p = 1 - exp(-h_apo Δt)` | model.md §4.2; Rutkowski 2006 |
//! | apoptotic body | 4 h after commitment; a nucleation site (AP-1) | Proudfoot 2000 |
//! | division | `p_G1 = p_max (free neighbours) f_Ep f_pheno` per hour; G1 ~ N(16 h, 2 h), S/G2/M 16 h | ISR3D |
//! | matrix vesicles | `r_MV = r0 (1 + aMO O + aMER (Btot-1)+ + aMCa (Ca/Ca0 - 1)+) / (1 + bMAut (Aut-1)+)` | model.md §4.4; Furmanik 2021, Dai 2013 |
//! | MV competence | `κ = Alp (1 + aKG (Btot-1)+) / (1 + Fet/KF_MV)` | model.md §4.4; Reynolds 2005 |
//! | efferocytosis | `k_eff = k_eff0 n_live_neighbours (1 + Fet/KF_eff)` | model.md §4.6 [A] |

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};

/// The phenotype label of a living cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phenotype {
    /// Contractile (α-SMA/SM22α high).
    Contractile,
    /// Synthetic / dedifferentiated.
    Synthetic,
    /// Osteoblast-like (Runx2 high).
    Osteogenic,
}

impl Phenotype {
    /// The snake-case label used in outputs.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Contractile => "contractile",
            Self::Synthetic => "synthetic",
            Self::Osteogenic => "osteogenic",
        }
    }
}

/// Parameters of the fate rules.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[allow(
    missing_docs,
    reason = "each field is documented in the parameter table (specs)"
)]
pub struct FateParams {
    pub contractile_sma_threshold: f64,
    pub contractile_return_sma: f64,
    pub contractile_return_hours: f64,
    pub contractile_index_ceiling: f64,
    pub synthetic_index_ceiling: f64,
    pub osteogenic_index_threshold: f64,
    pub osteogenic_entry_hours: f64,
    pub osteogenic_exit_index: f64,
    pub osteogenic_exit_hours: f64,
    pub execution_hours: f64,
    pub max_division_rate_in_vitro: f64,
    pub max_division_rate_in_vivo: f64,
    pub g1_mean_hours: f64,
    pub g1_sd_hours: f64,
    pub s_g2_m_hours: f64,
    pub contractile_division_factor: f64,
    pub synthetic_division_factor: f64,
    pub osteogenic_division_factor: f64,
    pub vesicle_base_rate: f64,
    pub osteogenic_vesicle_gain: f64,
    pub er_stress_vesicle_gain: f64,
    pub calcium_vesicle_gain: f64,
    pub reference_calcium: f64,
    pub autophagy_vesicle_inhibition: f64,
    pub grp78_competence_gain: f64,
    pub fetuin_vesicle_half: f64,
    pub vesicle_clearance_rate: f64,
    pub apoptotic_body_vesicles: f64,
    pub efferocytosis_rate_per_neighbour: f64,
    pub fetuin_efferocytosis_half: f64,
}

impl Default for FateParams {
    fn default() -> Self {
        Self {
            contractile_sma_threshold: 0.7,
            contractile_return_sma: 0.8,
            contractile_return_hours: 48.0,
            contractile_index_ceiling: 0.3,
            synthetic_index_ceiling: 0.5,
            osteogenic_index_threshold: 0.5,
            osteogenic_entry_hours: 24.0,
            osteogenic_exit_index: 0.3,
            osteogenic_exit_hours: 168.0,
            execution_hours: 4.0,
            max_division_rate_in_vitro: 0.05,
            max_division_rate_in_vivo: 1e-4,
            g1_mean_hours: 16.0,
            g1_sd_hours: 2.0,
            s_g2_m_hours: 16.0,
            contractile_division_factor: 0.1,
            synthetic_division_factor: 1.0,
            osteogenic_division_factor: 0.3,
            vesicle_base_rate: 1.0,
            osteogenic_vesicle_gain: 4.0,
            er_stress_vesicle_gain: 1.0,
            calcium_vesicle_gain: 2.0,
            reference_calcium: 1.8,
            autophagy_vesicle_inhibition: 1.0,
            grp78_competence_gain: 0.5,
            fetuin_vesicle_half: 5.0,
            vesicle_clearance_rate: 0.01,
            apoptotic_body_vesicles: 10_000.0,
            efferocytosis_rate_per_neighbour: 0.005,
            fetuin_efferocytosis_half: 10.0,
        }
    }
}

const A41: Source = Source::Assumed("model.md §4.1 label thresholds");
const ISR3D: Source = Source::Assumed("ISR3D cell cycle (github.com/ISR3D/ISR3D), model.md §4.3");

static SPECS: [ParamSpec<FateParams>; 30] = [
    spec(
        "Sma_c",
        "contractile_sma_threshold",
        "1",
        "α-SMA at or above which a cell can be contractile",
        A41,
        0.1,
        1.0,
        |p| &mut p.contractile_sma_threshold,
    ),
    spec(
        "Sma_r",
        "contractile_return_sma",
        "1",
        "α-SMA a synthetic cell must hold to return to contractile",
        A41,
        0.1,
        1.5,
        |p| &mut p.contractile_return_sma,
    ),
    spec(
        "t_r",
        "contractile_return_hours",
        "h",
        "time above Sma_r before a synthetic cell returns to contractile",
        A41,
        1.0,
        720.0,
        |p| &mut p.contractile_return_hours,
    ),
    spec(
        "O_c",
        "contractile_index_ceiling",
        "1",
        "osteogenic index below which a cell can be contractile",
        A41,
        0.0,
        1.0,
        |p| &mut p.contractile_index_ceiling,
    ),
    spec(
        "O_s",
        "synthetic_index_ceiling",
        "1",
        "osteogenic index below which a cell can be synthetic",
        A41,
        0.0,
        1.0,
        |p| &mut p.synthetic_index_ceiling,
    ),
    spec(
        "O_o",
        "osteogenic_index_threshold",
        "1",
        "osteogenic index for entry into the osteogenic state",
        A41,
        0.05,
        0.99,
        |p| &mut p.osteogenic_index_threshold,
    ),
    spec(
        "t_o",
        "osteogenic_entry_hours",
        "h",
        "time O must stay above O_o before the label changes",
        A41,
        1.0,
        720.0,
        |p| &mut p.osteogenic_entry_hours,
    ),
    spec(
        "O_x",
        "osteogenic_exit_index",
        "1",
        "osteogenic index below which reversal can start",
        Source::Assumed("calcification is only partly reversible; model.md §4.1"),
        0.0,
        0.99,
        |p| &mut p.osteogenic_exit_index,
    ),
    spec(
        "t_x",
        "osteogenic_exit_hours",
        "h",
        "time below O_x before an osteogenic cell reverts",
        Source::Assumed("7 days; model.md §4.1"),
        1.0,
        8760.0,
        |p| &mut p.osteogenic_exit_hours,
    ),
    spec(
        "τ_exec",
        "execution_hours",
        "h",
        "time from commitment to apoptotic body",
        Source::Assumed("apoptosis executes in hours; model.md §4.1"),
        0.5,
        48.0,
        |p| &mut p.execution_hours,
    ),
    spec(
        "p_max",
        "max_division_rate_in_vitro",
        "h⁻¹",
        "maximal G1 entry rate of a subconfluent cultured VSMC",
        Source::Assumed("doubling 30-48 h with the 32-h cycle; model.md §4.3"),
        0.0,
        1.0,
        |p| &mut p.max_division_rate_in_vitro,
    ),
    spec(
        "p_max_vivo",
        "max_division_rate_in_vivo",
        "h⁻¹",
        "maximal G1 entry rate of an adult medial VSMC",
        Source::Assumed("medial SMC turnover is very low; model.md §4.3"),
        0.0,
        0.1,
        |p| &mut p.max_division_rate_in_vivo,
    ),
    spec(
        "G1",
        "g1_mean_hours",
        "h",
        "mean G1 duration",
        ISR3D,
        1.0,
        100.0,
        |p| &mut p.g1_mean_hours,
    ),
    spec(
        "sd_G1",
        "g1_sd_hours",
        "h",
        "standard deviation of G1 duration",
        ISR3D,
        0.0,
        20.0,
        |p| &mut p.g1_sd_hours,
    ),
    spec(
        "SG2M",
        "s_g2_m_hours",
        "h",
        "duration of S, G2 and M",
        ISR3D,
        1.0,
        100.0,
        |p| &mut p.s_g2_m_hours,
    ),
    spec(
        "f_C",
        "contractile_division_factor",
        "1",
        "division propensity of contractile cells",
        Source::Assumed("model.md §4.3"),
        0.0,
        1.0,
        |p| &mut p.contractile_division_factor,
    ),
    spec(
        "f_S",
        "synthetic_division_factor",
        "1",
        "division propensity of synthetic cells",
        Source::Assumed("model.md §4.3"),
        0.0,
        1.0,
        |p| &mut p.synthetic_division_factor,
    ),
    spec(
        "f_O",
        "osteogenic_division_factor",
        "1",
        "division propensity of osteogenic cells",
        Source::Assumed("model.md §4.3"),
        0.0,
        1.0,
        |p| &mut p.osteogenic_division_factor,
    ),
    spec(
        "r0",
        "vesicle_base_rate",
        "MV h⁻¹",
        "basal matrix-vesicle release per cell (MV units)",
        Source::Assumed("arbitrary units; model.md §4.4"),
        0.0,
        100.0,
        |p| &mut p.vesicle_base_rate,
    ),
    spec(
        "aMO",
        "osteogenic_vesicle_gain",
        "1",
        "osteogenic index raises vesicle release",
        Source::Claim("VC-1"),
        0.0,
        20.0,
        |p| &mut p.osteogenic_vesicle_gain,
    ),
    spec(
        "aMER",
        "er_stress_vesicle_gain",
        "1",
        "GRP78 (ER stress) raises vesicle release via SMPD3",
        Source::Paper(Reference::Furmanik2021),
        0.0,
        20.0,
        |p| &mut p.er_stress_vesicle_gain,
    ),
    spec(
        "aMCa",
        "calcium_vesicle_gain",
        "1",
        "extracellular calcium raises vesicle release",
        Source::Assumed("Reynolds 2004, Kapustin 2011 (not read in full); model.md §4.4"),
        0.0,
        20.0,
        |p| &mut p.calcium_vesicle_gain,
    ),
    spec(
        "Ca0",
        "reference_calcium",
        "mM",
        "calcium at which the calcium term is 0",
        Source::Assumed("DMEM 1.8 mM"),
        0.1,
        10.0,
        |p| &mut p.reference_calcium,
    ),
    spec(
        "bMAut",
        "autophagy_vesicle_inhibition",
        "1",
        "autophagy lowers vesicle release",
        Source::Paper(Reference::Dai2013),
        0.0,
        20.0,
        |p| &mut p.autophagy_vesicle_inhibition,
    ),
    spec(
        "aKG",
        "grp78_competence_gain",
        "1",
        "GRP78-loaded vesicles are more calcifying",
        Source::Paper(Reference::Furmanik2021),
        0.0,
        20.0,
        |p| &mut p.grp78_competence_gain,
    ),
    spec(
        "KF_MV",
        "fetuin_vesicle_half",
        "µM",
        "fetuin-A that halves vesicle competence",
        Source::Assumed("Reynolds 2005: fetuin-A in vesicles abrogates nucleation; model.md §4.4"),
        0.01,
        1000.0,
        |p| &mut p.fetuin_vesicle_half,
    ),
    spec(
        "k_MV",
        "vesicle_clearance_rate",
        "h⁻¹",
        "turnover of deposited vesicle competence",
        Source::Assumed(
            "vesicles are phagocytosed or dissolve over days; keeps MV density bounded",
        ),
        0.0,
        1.0,
        |p| &mut p.vesicle_clearance_rate,
    ),
    spec(
        "n_AB",
        "apoptotic_body_vesicles",
        "1",
        "calcifying vesicle equivalents an apoptotic body leaves in the matrix, per unit ALP",
        Source::Assumed(
            "calibrated: AP-1 (Proudfoot 2000: apoptotic bodies concentrate calcium and \
             Z-VAD cuts calcium by about 40%); an apoptotic body (1-4 um) holds about \
             10^3-10^4 times the volume of a matrix vesicle (100-300 nm)",
        ),
        0.0,
        1e6,
        |p| &mut p.apoptotic_body_vesicles,
    ),
    spec(
        "k_eff0",
        "efferocytosis_rate_per_neighbour",
        "h⁻¹",
        "clearance of an apoptotic body per live neighbour",
        Source::Assumed("model.md §4.6"),
        0.0,
        1.0,
        |p| &mut p.efferocytosis_rate_per_neighbour,
    ),
    spec(
        "KF_eff",
        "fetuin_efferocytosis_half",
        "µM",
        "fetuin-A that doubles efferocytosis",
        Source::Assumed("Reynolds 2005 direction; model.md §4.6"),
        0.01,
        1000.0,
        |p| &mut p.fetuin_efferocytosis_half,
    ),
];

impl ParameterTable for FateParams {
    const MODULE: &'static str = "fate";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// Hysteresis timers of the phenotype label, in hours.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct PhenotypeTimers {
    /// [h] Time the osteogenic index has stayed at or above the entry threshold.
    pub above_osteogenic_h: f64,
    /// [h] Time the osteogenic index has stayed below the exit threshold.
    pub below_exit_h: f64,
    /// [h] Time α-SMA has stayed at or above the return level.
    pub contractile_return_h: f64,
}

/// The next phenotype label after `step_h` hours, with hysteresis (`model.md` §4.1).
#[must_use]
pub fn next_phenotype(
    p: &FateParams,
    current: Phenotype,
    timers: &mut PhenotypeTimers,
    alpha_sma: f64,
    osteogenic_index: f64,
    step_h: f64,
) -> Phenotype {
    timers.above_osteogenic_h = if osteogenic_index >= p.osteogenic_index_threshold {
        timers.above_osteogenic_h + step_h
    } else {
        0.0
    };
    timers.below_exit_h = if osteogenic_index < p.osteogenic_exit_index {
        timers.below_exit_h + step_h
    } else {
        0.0
    };
    timers.contractile_return_h = if alpha_sma >= p.contractile_return_sma {
        timers.contractile_return_h + step_h
    } else {
        0.0
    };
    match current {
        Phenotype::Osteogenic => {
            if timers.below_exit_h >= p.osteogenic_exit_hours {
                Phenotype::Synthetic
            } else {
                Phenotype::Osteogenic
            }
        }
        Phenotype::Contractile | Phenotype::Synthetic
            if timers.above_osteogenic_h >= p.osteogenic_entry_hours =>
        {
            Phenotype::Osteogenic
        }
        Phenotype::Contractile => {
            if alpha_sma < p.contractile_sma_threshold
                || osteogenic_index >= p.contractile_index_ceiling
            {
                Phenotype::Synthetic
            } else {
                Phenotype::Contractile
            }
        }
        Phenotype::Synthetic => {
            if timers.contractile_return_h >= p.contractile_return_hours
                && osteogenic_index < p.contractile_index_ceiling
            {
                Phenotype::Contractile
            } else {
                Phenotype::Synthetic
            }
        }
    }
}

/// Probability of an event with hazard `rate_per_h` within `step_h` hours.
#[must_use]
pub fn event_probability(rate_per_h: f64, step_h: f64) -> f64 {
    1.0 - (-rate_per_h.max(0.0) * step_h).exp()
}

/// [MV h⁻¹] Matrix-vesicle release rate of one cell.
#[must_use]
pub fn vesicle_release_rate(
    p: &FateParams,
    osteogenic_index: f64,
    grp78: f64,
    calcium: f64,
    autophagy: f64,
) -> f64 {
    p.vesicle_base_rate
        * (1.0
            + p.osteogenic_vesicle_gain * osteogenic_index
            + p.er_stress_vesicle_gain * (grp78 - 1.0).max(0.0)
            + p.calcium_vesicle_gain * (calcium / p.reference_calcium - 1.0).max(0.0))
        / (1.0 + p.autophagy_vesicle_inhibition * (autophagy - 1.0).max(0.0))
}

/// [1] Calcifying competence of one vesicle packet.
#[must_use]
pub fn vesicle_competence(p: &FateParams, alp: f64, grp78: f64, fetuin_a: f64) -> f64 {
    alp * (1.0 + p.grp78_competence_gain * (grp78 - 1.0).max(0.0))
        / (1.0 + fetuin_a / p.fetuin_vesicle_half)
}

/// [h⁻¹] Efferocytosis rate of an apoptotic body with `live_neighbours` live cells next to it.
#[must_use]
pub fn efferocytosis_rate(p: &FateParams, live_neighbours: usize, fetuin_a: f64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of neighbours")]
    let neighbours = live_neighbours as f64;
    p.efferocytosis_rate_per_neighbour * neighbours * (1.0 + fetuin_a / p.fetuin_efferocytosis_half)
}

/// [h⁻¹] Rate of G1 entry (`model.md` §4.3): `p_max · free_fraction · f_Ep · f_pheno`.
#[must_use]
pub fn division_rate(
    p: &FateParams,
    max_rate: f64,
    free_neighbour_fraction: f64,
    p_eif2a: f64,
    phenotype: Phenotype,
) -> f64 {
    let pheno = match phenotype {
        Phenotype::Contractile => p.contractile_division_factor,
        Phenotype::Synthetic => p.synthetic_division_factor,
        Phenotype::Osteogenic => p.osteogenic_division_factor,
    };
    max_rate * free_neighbour_fraction / (1.0 + (p_eif2a - 1.0).max(0.0)) * pheno
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osteogenic_label_needs_24_hours_above_threshold() {
        let p = FateParams::default();
        let mut timers = PhenotypeTimers::default();
        let mut label = Phenotype::Contractile;
        for _ in 0..23 {
            label = next_phenotype(&p, label, &mut timers, 0.5, 0.6, 1.0);
            assert_ne!(label, Phenotype::Osteogenic);
        }
        label = next_phenotype(&p, label, &mut timers, 0.5, 0.6, 1.0);
        assert_eq!(label, Phenotype::Osteogenic);
        // A dip below the exit threshold for a day does not revert it.
        for _ in 0..24 {
            label = next_phenotype(&p, label, &mut timers, 0.9, 0.1, 1.0);
        }
        assert_eq!(label, Phenotype::Osteogenic);
    }

    #[test]
    fn contractile_cells_become_synthetic_when_alpha_sma_falls_and_return_after_48_hours() {
        let p = FateParams::default();
        let mut timers = PhenotypeTimers::default();
        let label = next_phenotype(&p, Phenotype::Contractile, &mut timers, 0.6, 0.1, 1.0);
        assert_eq!(label, Phenotype::Synthetic);
        let mut label = label;
        for _ in 0..47 {
            label = next_phenotype(&p, label, &mut timers, 0.85, 0.1, 1.0);
        }
        assert_eq!(label, Phenotype::Synthetic);
        label = next_phenotype(&p, label, &mut timers, 0.85, 0.1, 1.0);
        assert_eq!(label, Phenotype::Contractile);
    }

    #[test]
    fn autophagy_lowers_and_calcium_raises_vesicle_release() {
        let p = FateParams::default();
        let rest = vesicle_release_rate(&p, 0.0, 1.0, 1.8, 1.0);
        assert!((rest - p.vesicle_base_rate).abs() < 1e-12);
        assert!(vesicle_release_rate(&p, 0.0, 1.0, 1.8, 2.0) < rest);
        assert!(vesicle_release_rate(&p, 0.0, 1.0, 2.8, 1.0) > rest);
        assert!(vesicle_competence(&p, 1.0, 1.0, 10.0) < vesicle_competence(&p, 1.0, 1.0, 0.0));
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<FateParams>();
    }
}
