//! Cell-fate rules (`docs/model.md` §4): phenotype labels with hysteresis, apoptosis and its
//! execution into an apoptotic body, proliferation with contact inhibition (the ISR3D
//! cell cycle), matrix-vesicle release and efferocytosis. Pure functions: the random
//! draws are made by the caller from keyed streams and passed in ([`FateDraws`]).
//!
//! [`advance`] is one cell's fate step: it updates the cell's [`Fate`], says what the
//! cell released into its voxel and returns the event (commitment to apoptosis,
//! execution into a body, division) that the caller carries out on the population.
//!
//! | rule | form | source |
//! |---|---|---|
//! | contractile | `α-SMA ≥ 0.7` and `O < 0.3`; the label of medial cells in a vessel | docs/model.md §4.1 [A] |
//! | dedifferentiation | a contractile cell with `α-SMA < 0.7` or `O ≥ 0.3` becomes synthetic with hazard `k_d` per hour (a keyed draw); in serum culture at once | docs/model.md §4.1; Pai 2011 |
//! | synthetic | back to contractile after `α-SMA ≥ 0.8` for 48 h and `O < 0.3`, outside serum culture only | docs/model.md §4.1; Owens 2004 |
//! | osteogenic responsiveness | a contractile cell's Runx2 drives × `f_CO` (outside serum culture) | docs/model.md §4.1; Steitz 2001, Speer 2009 |
//! | osteogenic | a synthetic cell, after `O ≥ 0.5` for 24 h, commits with hazard `k_o` per hour (mean 7 days); reverts only after `O < 0.3` for 7 days | docs/model.md §4.1 [A]; VC only partly reversible |
//! | apoptosis | per fate step, `p = 1 - exp(-h_apo Δt)` | docs/model.md §4.2; Rutkowski 2006 |
//! | apoptotic body | 4 h after commitment; a nucleation site (AP-1) | Proudfoot 2000 |
//! | division | `p_G1 = p_max m_div (free neighbours) f_Ep f_pheno` per hour; G1 ~ N(16 h, 2 h) in human cells, N(3.4 h, 2 h) in rat cells; S/G2/M 13 h | ISR3D; Alberts; Bačáková 1997 |
//! | matrix vesicles (living cells) | `r_MV = r0 (1 + aMO O + aMER (Btot-1)+ + aMCa (Ca/Ca0 - 1)+) / (1 + bMAut (Aut-1)+)` | docs/model.md §4.4; Furmanik 2021, Dai 2013 |
//! | apoptotic-body vesicles | `n_AB ALP_death` once, at execution; a channel of their own | docs/model.md §4.4; Proudfoot 2000 |
//! | MV competence | `κ = Alp (1 + aKG (Btot-1)+) / (1 + Fet/KF_MV)`, times `c_N` unless the cell is osteogenic | docs/model.md §4.4; Reynolds 2005 |
//! | efferocytosis | `k_eff = k_eff0 n_live_neighbours (1 + Fet/KF_eff)` | docs/model.md §4.6 [A] |

use crate::model::apoptosis::{DeathRoute, RouteHazards};
use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::model::species::Species;
use crate::references::{Reference, Source};
use crate::units::{HOUR, YEAR, min_to_h};

/// The phenotype label of a living cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
pub struct FateParams {
    /// `Sma_c` [1]: α-SMA at or above which a cell can be contractile.
    pub contractile_sma_threshold: f64,
    /// `Sma_r` [1]: α-SMA a synthetic cell must hold to return to contractile.
    pub contractile_return_sma: f64,
    /// `t_r` [h]: time above `Sma_r` before a synthetic cell returns to contractile.
    pub contractile_return_h: f64,
    /// `O_c` [1]: osteogenic index below which a cell can be contractile.
    pub contractile_index_ceiling: f64,
    /// `O_s` [1]: osteogenic index below which a cell can be synthetic.
    pub synthetic_index_ceiling: f64,
    /// `O_o` [1]: osteogenic index for entry into the osteogenic state.
    pub osteogenic_index_threshold: f64,
    /// `t_o` [h]: time O must stay above `O_o` before commitment can start.
    pub osteogenic_entry_h: f64,
    /// `k_o` [h⁻¹]: hazard of commitment to the osteogenic label once O has stayed above
    /// `O_o` for `t_o`.
    pub osteogenic_commitment_rate_per_h: f64,
    /// `f_CO` [1]: how strongly a contractile cell's Runx2 answers its osteogenic drives
    /// (phosphate, XBP1s, BMP-2, inflammation), relative to a synthetic cell's; outside
    /// serum culture only (in serum culture every cell is synthetic).
    pub contractile_osteogenic_responsiveness: f64,
    /// `k_d` [h⁻¹]: hazard with which a contractile cell outside serum culture becomes
    /// synthetic while its α-SMA is below `Sma_c` or its osteogenic index at or above
    /// `O_c` (dedifferentiation, which precedes the osteogenic switch).
    pub contractile_dedifferentiation_rate_per_h: f64,
    /// `O_x` [1]: osteogenic index below which reversal can start.
    pub osteogenic_exit_index: f64,
    /// `t_x` [h]: time below `O_x` before an osteogenic cell reverts.
    pub osteogenic_exit_h: f64,
    /// `τ_exec` [h]: time from commitment to apoptotic body.
    pub execution_h: f64,
    /// `p_max` [h⁻¹]: maximal G1 entry rate of a subconfluent cultured human VSMC (the
    /// default species).
    pub max_division_rate_in_vitro_per_h: f64,
    /// `p_max_rat` [h⁻¹]: maximal G1 entry rate of a subconfluent cultured rat VSMC.
    pub rat_max_division_rate_in_vitro_per_h: f64,
    /// `p_max_vivo` [h⁻¹]: maximal G1 entry rate of an adult medial VSMC.
    pub max_division_rate_in_vivo_per_h: f64,
    /// `G1` [h]: mean G1 duration.
    pub g1_mean_h: f64,
    /// `sd_G1` [h]: standard deviation of G1 duration.
    pub g1_sd_h: f64,
    /// `SG2M` [h]: duration of S, G2 and M.
    pub s_g2_m_h: f64,
    /// `G1_rat` [h]: mean G1 duration of rat VSMCs (`G1` is the human one; `sd_G1` and
    /// `SG2M` are shared). Bačáková 1997: male rat aortic SMCs double in 16.4 h while
    /// growing exponentially, nearly all of them cycling (³H-thymidine labels 99% in
    /// 52 h), so the cycle lasts about 16.4 h; the 2-h labelling index of 61% puts S at
    /// 0.61 × 16.4 − 2 ≈ 8 h, the human S of `SG2M`. The rest of the difference is G1:
    /// 16.4 − 13 = 3.4 h.
    pub rat_g1_mean_h: f64,
    /// `f_free` [1]: fraction of free neighbouring cell sites at and above which contact
    /// does not slow G1 entry; below it the rate falls in proportion (`min(1, free/f_free)`).
    pub contact_free_fraction: f64,
    /// `f_C` [1]: division propensity of contractile cells.
    pub contractile_division_factor: f64,
    /// `f_S` [1]: division propensity of synthetic cells.
    pub synthetic_division_factor: f64,
    /// `f_O` [1]: division propensity of osteogenic cells.
    pub osteogenic_division_factor: f64,
    /// `r0` [MV h⁻¹]: basal matrix-vesicle release per cell (MV units).
    pub vesicle_base_rate_per_h: f64,
    /// `aMO` [1]: osteogenic index raises vesicle release.
    pub osteogenic_vesicle_gain: f64,
    /// `aMER` [1]: GRP78 (ER stress) raises vesicle release via SMPD3.
    pub er_stress_vesicle_gain: f64,
    /// `aMCa` [1]: extracellular calcium raises vesicle release.
    pub calcium_vesicle_gain: f64,
    /// `Ca0` [mM]: calcium at which the calcium term is 0.
    pub reference_calcium: f64,
    /// `bMAut` [1]: autophagy lowers vesicle release.
    pub autophagy_vesicle_inhibition: f64,
    /// `aKG` [1]: GRP78-loaded vesicles are more calcifying.
    pub grp78_competence_gain: f64,
    /// `c_N` [1]: competence of the vesicles of a cell not committed to the osteogenic
    /// label, relative to an osteogenic cell's.
    pub uncommitted_vesicle_competence: f64,
    /// `KF_MV` [µM]: fetuin-A that halves vesicle competence.
    pub fetuin_vesicle_half: f64,
    /// `k_MV` [h⁻¹]: turnover of deposited vesicle competence.
    pub vesicle_clearance_rate_per_h: f64,
    /// `n_AB` [1]: calcifying vesicle equivalents an apoptotic body leaves in the matrix, per unit ALP.
    pub apoptotic_body_vesicles: f64,
    /// `k_eff0` [h⁻¹]: clearance of an apoptotic body per live neighbour.
    pub efferocytosis_rate_per_neighbour_per_h: f64,
    /// `KF_eff` [µM]: fetuin-A that doubles efferocytosis.
    pub fetuin_efferocytosis_half: f64,
    /// `c_AB` [1]: share of its site's apoptotic-body vesicle equivalents (`n_AB · Alp`
    /// left by the bodies that died there) that efferocytosis removes with a body: the
    /// phagocyte engulfs the body's calcifying fragments with it. 0 (built in) leaves them
    /// to turn over at `k_MV` whether the body is cleared or not. Assumed (Proudfoot 2000:
    /// uncleared apoptotic bodies initiate VSMC calcification; the share is not measured).
    pub body_fragment_clearance_share: f64,
    /// `CV_load` [1]: cell-to-cell coefficient of variation of the client-load multiplier.
    pub client_load_cv: f64,
    /// `CV_fold` [1]: coefficient of variation of the folding-capacity multiplier.
    pub folding_capacity_cv: f64,
    /// `CV_osteo` [1]: coefficient of variation of the osteogenic-sensitivity multiplier.
    pub osteogenic_sensitivity_cv: f64,
    /// `CV_death` [1]: coefficient of variation of the death-threshold multiplier.
    pub death_threshold_cv: f64,
    /// `CV_div` [1]: coefficient of variation of the division-rate multiplier.
    pub division_rate_cv: f64,
    /// `ρ_inh` [1]: correlation of a daughter's log-multipliers with its mother's.
    pub trait_inheritance: f64,
    /// `Ca_cell` [µg Ca/mg protein]: calcium the calcium assay finds in a culture layer
    /// without mineral (cells and their matrix). A wall's is per dry mass instead
    /// (`mineral.wall_basal_calcium_ug_per_mg_dry`).
    pub basal_calcium_ug_per_mg_protein: f64,
}

/// [h] The cell-cycle phase durations of one species ([`FateParams::cycle_of`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CyclePhases {
    /// [h] Mean G1 duration.
    pub g1_mean_h: f64,
    /// [h] Standard deviation of the G1 duration.
    pub g1_sd_h: f64,
    /// [h] Duration of S, G2 and M.
    pub s_g2_m_h: f64,
}

impl FateParams {
    /// The cell-cycle phases of `species`' VSMCs: only G1 differs between species
    /// (`G1`, `G1_rat`); its spread and S/G2/M are shared.
    #[must_use]
    pub const fn cycle_of(&self, species: Species) -> CyclePhases {
        CyclePhases {
            g1_mean_h: match species {
                Species::Human => self.g1_mean_h,
                Species::Rat => self.rat_g1_mean_h,
            },
            g1_sd_h: self.g1_sd_h,
            s_g2_m_h: self.s_g2_m_h,
        }
    }

    /// [h⁻¹] The maximal G1 entry rate of a subconfluent cultured VSMC of `species`
    /// (`p_max`, `p_max_rat`).
    #[must_use]
    pub const fn max_division_rate_in_vitro_of(&self, species: Species) -> f64 {
        match species {
            Species::Human => self.max_division_rate_in_vitro_per_h,
            Species::Rat => self.rat_max_division_rate_in_vitro_per_h,
        }
    }
}

impl Default for FateParams {
    fn default() -> Self {
        Self {
            contractile_sma_threshold: 0.7,
            contractile_return_sma: 0.8,
            contractile_return_h: 48.0,
            contractile_index_ceiling: 0.3,
            synthetic_index_ceiling: 0.5,
            osteogenic_index_threshold: 0.5,
            osteogenic_entry_h: 24.0,
            osteogenic_commitment_rate_per_h: 1.0 / 168.0,
            contractile_osteogenic_responsiveness: 0.3,
            contractile_dedifferentiation_rate_per_h: 1.0 / 168.0,
            osteogenic_exit_index: 0.3,
            osteogenic_exit_h: 168.0,
            execution_h: 4.0,
            max_division_rate_in_vitro_per_h: 0.05,
            rat_max_division_rate_in_vitro_per_h: 0.05,
            max_division_rate_in_vivo_per_h: 1e-4,
            g1_mean_h: 16.0,
            g1_sd_h: 2.0,
            s_g2_m_h: 13.0,
            rat_g1_mean_h: 3.4,
            contact_free_fraction: 0.25,
            contractile_division_factor: 0.1,
            synthetic_division_factor: 1.0,
            osteogenic_division_factor: 0.3,
            vesicle_base_rate_per_h: 1.0,
            osteogenic_vesicle_gain: 4.0,
            er_stress_vesicle_gain: 1.0,
            calcium_vesicle_gain: 2.0,
            reference_calcium: 1.8,
            autophagy_vesicle_inhibition: 1.0,
            grp78_competence_gain: 0.5,
            uncommitted_vesicle_competence: 0.1,
            fetuin_vesicle_half: 5.0,
            vesicle_clearance_rate_per_h: 0.01,
            apoptotic_body_vesicles: 10_000.0,
            efferocytosis_rate_per_neighbour_per_h: 0.005,
            fetuin_efferocytosis_half: 10.0,
            body_fragment_clearance_share: 0.0,
            client_load_cv: 0.25,
            folding_capacity_cv: 0.25,
            osteogenic_sensitivity_cv: 0.25,
            death_threshold_cv: 0.25,
            division_rate_cv: 0.25,
            trait_inheritance: 0.6,
            basal_calcium_ug_per_mg_protein: 1.08,
        }
    }
}

const A41: Source = Source::Assumed("docs/model.md §4.1 label thresholds");
const ISR3D: Source =
    Source::Assumed("ISR3D cell cycle (github.com/ISR3D/ISR3D), docs/model.md §4.3");

#[rustfmt::skip]
static SPECS: [ParamSpec<FateParams>; 45] = [
    spec("Sma_c", "contractile_sma_threshold", "1", "α-SMA at or above which a cell can be contractile", A41, 0.1, 1.0, |p| &mut p.contractile_sma_threshold),
    spec("Sma_r", "contractile_return_sma", "1", "α-SMA a synthetic cell must hold to return to contractile", A41, 0.1, 1.5, |p| &mut p.contractile_return_sma),
    spec("t_r", "contractile_return_h", "h", "time above Sma_r before a synthetic cell returns to contractile", A41, 1.0, 720.0, |p| &mut p.contractile_return_h),
    spec("O_c", "contractile_index_ceiling", "1", "osteogenic index below which a cell can be contractile", A41, 0.0, 1.0, |p| &mut p.contractile_index_ceiling),
    spec("O_s", "synthetic_index_ceiling", "1", "osteogenic index below which a cell can be synthetic", A41, 0.0, 1.0, |p| &mut p.synthetic_index_ceiling),
    spec("O_o", "osteogenic_index_threshold", "1", "osteogenic index for entry into the osteogenic state", A41, 0.05, 0.99, |p| &mut p.osteogenic_index_threshold),
    spec("t_o", "osteogenic_entry_h", "h", "time O must stay above O_o before commitment can start", A41, 1.0, 720.0, |p| &mut p.osteogenic_entry_h),
    spec("k_o", "osteogenic_commitment_rate_per_h", "h⁻¹", "hazard of commitment to the osteogenic label once O has stayed above O_o for t_o", Source::Assumed("mean 7 days: Runx2 rises within days, ALP and mineral follow over 1-2 weeks in calcifying medium (Jono 2000); lineage tracing finds a subset of SMCs switching, not all; docs/model.md §4.1"), 0.0, 1.0, |p| &mut p.osteogenic_commitment_rate_per_h),
    spec("f_CO", "contractile_osteogenic_responsiveness", "1", "how strongly a contractile cell's Runx2 answers its osteogenic drives, relative to a synthetic cell's (outside serum culture)", Source::Assumed("medial SMCs lose their contractile markers before or as they gain Runx2 and other osteochondrogenic markers (Steitz 2001, Circ Res 89:1147; lineage tracing: Speer 2009, Circ Res 104:733): the differentiated contractile state resists the osteogenic programme, as it resists division (f_C). 0.3 assumed; docs/model.md §4.1"), 0.0, 1.0, |p| &mut p.contractile_osteogenic_responsiveness),
    spec("k_d", "contractile_dedifferentiation_rate_per_h", "h⁻¹", "hazard with which a contractile cell outside serum culture becomes synthetic while α-SMA < Sma_c or O ≥ O_c", Source::Assumed("mean 7 days. In uraemic mice the VSMC phenotype change was detected at week 4, one week after the high-phosphate diet began and four weeks before medial calcification (Pai 2011, Am J Pathol 178:764); dispersed SMCs modulate to the synthetic phenotype in 5-9 days (Chamley 1977, Cell Tissue Res 177:503; Chamley-Campbell 1981, Atherosclerosis 40:347); after balloon injury medial α-SM actin falls from day 2 and is lowest near 2 weeks. No paper read gives the share of medial cells that switch or a per-cell rate; docs/model.md §4.1"), 1e-4, 1.0, |p| &mut p.contractile_dedifferentiation_rate_per_h),
    spec("O_x", "osteogenic_exit_index", "1", "osteogenic index below which reversal can start", Source::Assumed("calcification is only partly reversible; docs/model.md §4.1"), 0.0, 0.99, |p| &mut p.osteogenic_exit_index),
    spec("t_x", "osteogenic_exit_h", "h", "time below O_x before an osteogenic cell reverts", Source::Assumed("7 days; docs/model.md §4.1"), 1.0, min_to_h(YEAR), |p| &mut p.osteogenic_exit_h),
    spec("τ_exec", "execution_h", "h", "time from commitment to apoptotic body", Source::Assumed("apoptosis executes in hours; docs/model.md §4.1"), 0.5, 48.0, |p| &mut p.execution_h),
    spec("p_max", "max_division_rate_in_vitro_per_h", "h⁻¹", "maximal G1 entry rate of a subconfluent cultured human VSMC", Source::Assumed("calibrated to the doubling time of human arterial SMCs in log-phase growth (72 h, Eskin 1981 In Vitro 17:713; OBS079): with the human 29-h cycle that leaves a sparse cell about 40 h in G0 on average. How the 72 h divide between time in G0 and a longer cycle has not been measured for human SMCs; docs/model.md §4.3"), 0.0, 1.0, |p| &mut p.max_division_rate_in_vitro_per_h),
    spec("p_max_rat", "rat_max_division_rate_in_vitro_per_h", "h⁻¹", "maximal G1 entry rate of a subconfluent cultured rat VSMC", Source::Assumed("calibrated to the doubling times of rat aortic SMCs (11.2 h on days 2-5 and 33 h on days 5-7, Pařízek 2013; OBS081, OBS082): nearly every rat SMC of a growing culture cycles (³H-thymidine labels 99% in 52 h, Bačáková 1997), so the rate is high; docs/model.md §4.3"), 0.0, 10.0, |p| &mut p.rat_max_division_rate_in_vitro_per_h),
    spec("p_max_vivo", "max_division_rate_in_vivo_per_h", "h⁻¹", "maximal G1 entry rate of an adult medial VSMC", Source::Assumed("medial SMC turnover is very low; docs/model.md §4.3"), 0.0, 0.1, |p| &mut p.max_division_rate_in_vivo_per_h),
    spec("G1", "g1_mean_h", "h", "mean G1 duration of human VSMCs (the default species)", ISR3D, 1.0, 100.0, |p| &mut p.g1_mean_h),
    spec("sd_G1", "g1_sd_h", "h", "standard deviation of G1 duration", ISR3D, 0.0, 20.0, |p| &mut p.g1_sd_h),
    spec("SG2M", "s_g2_m_h", "h", "duration of S, G2 and M", Source::Assumed("a typical proliferating mammalian cell spends about 13 h in S (8 h), G2 (4 h) and M (1 h) (Alberts, Molecular Biology of the Cell); ISR3D uses 16 h. Fixed and shared by every species: the doubling-time rows identify only the sum of the cycle and G0 waiting times; the rat's 2-h thymidine labelling index puts its S at about 8 h too (Bačáková 1997)"), 1.0, 100.0, |p| &mut p.s_g2_m_h),
    spec("G1_rat", "rat_g1_mean_h", "h", "mean G1 duration of rat VSMCs", Source::Paper(Reference::Bacakova1997), 1.0, 100.0, |p| &mut p.rat_g1_mean_h),
    spec("f_free", "contact_free_fraction", "1", "free share of the neighbouring cell sites at and above which contact does not slow G1 entry", Source::Assumed("sparse VSMC cultures grow exponentially until near confluence and stop there (density-dependent inhibition; OBS082: rat SMCs slow only over days 5-7): one free neighbour of a monolayer's four is space enough for a daughter; 1 gives the linear ISR3D-like law, which slowed a 15%-seeded well long before confluence; docs/model.md §4.3"), 0.05, 1.0, |p| &mut p.contact_free_fraction),
    spec("f_C", "contractile_division_factor", "1", "division propensity of contractile cells", Source::Assumed("docs/model.md §4.3"), 0.0, 1.0, |p| &mut p.contractile_division_factor),
    spec("f_S", "synthetic_division_factor", "1", "division propensity of synthetic cells", Source::Paper(Reference::Owens2004), 0.0, 1.0, |p| &mut p.synthetic_division_factor),
    spec("f_O", "osteogenic_division_factor", "1", "division propensity of osteogenic cells", Source::Assumed("docs/model.md §4.3"), 0.0, 1.0, |p| &mut p.osteogenic_division_factor),
    spec("r0", "vesicle_base_rate_per_h", "MV h⁻¹", "basal matrix-vesicle release per cell (MV units)", Source::Assumed("arbitrary units; docs/model.md §4.4"), 0.0, 100.0, |p| &mut p.vesicle_base_rate_per_h),
    spec("aMO", "osteogenic_vesicle_gain", "1", "osteogenic index raises vesicle release", Source::Claim("VC-1"), 0.0, 20.0, |p| &mut p.osteogenic_vesicle_gain),
    spec("aMER", "er_stress_vesicle_gain", "1", "GRP78 (ER stress) raises vesicle release via SMPD3", Source::Paper(Reference::Furmanik2021), 0.0, 20.0, |p| &mut p.er_stress_vesicle_gain),
    spec("aMCa", "calcium_vesicle_gain", "1", "extracellular calcium raises vesicle release", Source::Assumed("Reynolds 2004, Kapustin 2011 (not read in full); docs/model.md §4.4"), 0.0, 20.0, |p| &mut p.calcium_vesicle_gain),
    spec("Ca0", "reference_calcium", "mM", "calcium at which the calcium term is 0", Source::Assumed("DMEM 1.8 mM"), 0.1, 10.0, |p| &mut p.reference_calcium),
    spec("bMAut", "autophagy_vesicle_inhibition", "1", "autophagy lowers vesicle release", Source::Paper(Reference::Dai2013), 0.0, 20.0, |p| &mut p.autophagy_vesicle_inhibition),
    spec("aKG", "grp78_competence_gain", "1", "GRP78-loaded vesicles are more calcifying", Source::Paper(Reference::Furmanik2021), 0.0, 20.0, |p| &mut p.grp78_competence_gain),
 spec("c_N", "uncommitted_vesicle_competence", "1", "competence of the vesicles of a cell not committed to the osteogenic label, relative to an osteogenic cell's", Source::Assumed("vesicles of non-osteogenic VSMCs carry MGP and fetuin-A and mineralise little (Reynolds 2004, Kapustin 2011; not read in full); mineral then starts in nodules of committed cells; docs/model.md §4.4"), 0.0, 1.0, |p| &mut p.uncommitted_vesicle_competence),
    spec("KF_MV", "fetuin_vesicle_half", "µM", "fetuin-A that halves vesicle competence", Source::Assumed("Reynolds 2005: fetuin-A in vesicles abrogates nucleation; docs/model.md §4.4"), 0.01, 1000.0, |p| &mut p.fetuin_vesicle_half),
    spec("k_MV", "vesicle_clearance_rate_per_h", "h⁻¹", "turnover of deposited vesicle competence", Source::Assumed("vesicles are phagocytosed or dissolve over days; keeps MV density bounded"), 0.0, 1.0, |p| &mut p.vesicle_clearance_rate_per_h),
    spec("n_AB", "apoptotic_body_vesicles", "1", "calcifying vesicle equivalents an apoptotic body leaves in the matrix, per unit ALP", Source::Assumed("calibrated: AP-1 (Proudfoot 2000: apoptotic bodies concentrate calcium and Z-VAD cuts calcium by about 40%); an apoptotic body (1-4 um) holds about 10^3-10^4 times the volume of a matrix vesicle (100-300 nm)"), 0.0, 1e6, |p| &mut p.apoptotic_body_vesicles),
    spec("k_eff0", "efferocytosis_rate_per_neighbour_per_h", "h⁻¹", "clearance of an apoptotic body per live neighbour", Source::Assumed("docs/model.md §4.6"), 0.0, 1.0, |p| &mut p.efferocytosis_rate_per_neighbour_per_h),
    spec("KF_eff", "fetuin_efferocytosis_half", "µM", "fetuin-A that doubles efferocytosis", Source::Assumed("Reynolds 2005 direction; docs/model.md §4.6"), 0.01, 1000.0, |p| &mut p.fetuin_efferocytosis_half),
    spec("c_AB", "body_fragment_clearance_share", "1", "share of its site's apoptotic-body vesicle equivalents that efferocytosis removes with a body (0: the fragments turn over at k_MV whether the body is cleared or not)", Source::Assumed("0 in the built-in table (the model before this parameter) until a calibration frees it. Apoptotic bodies left uncleared concentrate calcium and initiate VSMC calcification, and VSMCs phagocytose them (Proudfoot 2000, Circ Res 87:1055), so an engulfed body's fragments would no longer nucleate; what share of a body's calcifying fragments leaves with it is not measured. docs/model.md §4.6"), 0.0, 1.0, |p| &mut p.body_fragment_clearance_share),
    spec("CV_load", "client_load_cv", "1", "cell-to-cell coefficient of variation of the client-load multiplier", Source::Paper(Reference::Sigal2006), 0.0, 1.0, |p| &mut p.client_load_cv),
    spec("CV_fold", "folding_capacity_cv", "1", "coefficient of variation of the folding-capacity (chaperone) multiplier", Source::Paper(Reference::Sigal2006), 0.0, 1.0, |p| &mut p.folding_capacity_cv),
    spec("CV_osteo", "osteogenic_sensitivity_cv", "1", "coefficient of variation of the osteogenic-sensitivity multiplier (Runx2 drive)", Source::Paper(Reference::Sigal2006), 0.0, 1.0, |p| &mut p.osteogenic_sensitivity_cv),
    spec("CV_death", "death_threshold_cv", "1", "coefficient of variation of the death-threshold multiplier (KD)", Source::Paper(Reference::Spencer2009), 0.0, 1.0, |p| &mut p.death_threshold_cv),
    spec("CV_div", "division_rate_cv", "1", "coefficient of variation of the division-rate multiplier", Source::Assumed("the protein-level CV of Sigal 2006 (0.15-0.3), carried over to cycle regulators"), 0.0, 1.0, |p| &mut p.division_rate_cv),
    spec("ρ_inh", "trait_inheritance", "1", "correlation of a daughter's log-multipliers with its mother's", Source::Paper(Reference::Sigal2006), 0.0, 1.0, |p| &mut p.trait_inheritance),
    spec("Ca_cell", "basal_calcium_ug_per_mg_protein", "µg Ca/mg protein", "calcium the calcium assay finds in a layer without mineral (cells and matrix)", Source::Assumed("27 nmol Ca/mg dry weight in control rat aortas (adenine-rat study, PMC3129884; authors not verified), read per mg protein (cell dry mass is mostly protein); real control cultures are not 0"), 0.0, 100.0, |p| &mut p.basal_calcium_ug_per_mg_protein),
];

impl ParameterTable for FateParams {
    const MODULE: &'static str = "fate";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// Hysteresis timers of the phenotype label, in hours.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct PhenotypeTimers {
    /// [h] Time the osteogenic index has stayed at or above the entry threshold.
    pub above_osteogenic_h: f64,
    /// [h] Time the osteogenic index has stayed below the exit threshold.
    pub below_exit_h: f64,
    /// [h] Time α-SMA has stayed at or above the return level.
    pub contractile_return_h: f64,
}

/// Where the cell is in its life.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Alive.
    Alive,
    /// Committed to apoptosis at `since_min`; becomes an apoptotic body after execution.
    Apoptotic {
        /// [min] Time of commitment.
        since_min: f64,
    },
    /// An apoptotic body: a nucleation site until cleared by efferocytosis.
    Body,
}

/// The cell-cycle position (ISR3D machine).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Cycle {
    /// Quiescent.
    G0,
    /// In G1, with hours left.
    G1 {
        /// [h] Time left in G1.
        remaining_h: f64,
    },
    /// In S/G2/M, with hours left before division.
    Sg2m {
        /// [h] Time left before division.
        remaining_h: f64,
    },
}

/// Phenotype label, life status, cell cycle.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fate {
    /// Alive, apoptotic or apoptotic body.
    pub status: Status,
    /// Contractile, synthetic or osteogenic (meaningful while alive).
    pub phenotype: Phenotype,
    /// Hysteresis timers of the label.
    pub timers: PhenotypeTimers,
    /// Cell-cycle position.
    pub cycle: Cycle,
    /// [1] ALP at commitment (the apoptotic body's nucleation competence).
    pub alp_at_death: f64,
    /// The dominant death route at commitment.
    pub death_route: DeathRoute,
}

impl Fate {
    /// A quiescent contractile cell.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            status: Status::Alive,
            phenotype: Phenotype::Contractile,
            timers: PhenotypeTimers {
                above_osteogenic_h: 0.0,
                below_exit_h: 0.0,
                contractile_return_h: 0.0,
            },
            cycle: Cycle::G0,
            alp_at_death: 0.0,
            death_route: DeathRoute::Basal,
        }
    }

    /// Whether the cell is alive (not committed to apoptosis).
    #[must_use]
    pub const fn is_alive(&self) -> bool {
        matches!(self.status, Status::Alive)
    }
}

impl Default for Fate {
    fn default() -> Self {
        Self::new()
    }
}

/// What a cell put into its voxel during one fate step.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Released {
    /// [1] Competence-weighted matrix vesicles released this step by a living cell.
    pub vesicles: f64,
    /// [1] Calcifying vesicle equivalents an apoptotic body left in the matrix this step
    /// (at execution only): the apoptotic-body channel, kept apart from `vesicles`.
    pub body_vesicles: f64,
    /// [1] ALP (TNAP) activity presented to the fluid.
    pub alp: f64,
    /// [1] PPi production capacity (ENPP1 + ANK).
    pub enpp1: f64,
    /// [1] BMP-2 secreted by a living cell, its autocrine BMP-2 above rest `(Bmp − 1)₊`
    /// (shared with its neighbours, `paracrine.rs`).
    #[serde(default)]
    pub bmp2: f64,
}

/// What happened to a cell in a fate step that the population must carry out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FateEvent {
    /// The cell committed to apoptosis (counted as a death).
    CommittedToApoptosis,
    /// The apoptotic cell finished execution and is now an apoptotic body (it stays on
    /// its site as a nucleation template until efferocytosis clears it).
    BecameApoptoticBody,
    /// The cell finished S/G2/M and divides into a free neighbouring site.
    Divides,
}

/// The step and the surroundings the fate rules see, and the signals of a living cell
/// (read only while the cell is alive).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct FateInputs {
    /// [h] Length of the fate step.
    pub step_h: f64,
    /// [min] Time at the end of the step.
    pub end_min: f64,
    /// [h⁻¹] Maximal G1 entry rate here (`p_max` in culture or in the vessel wall).
    pub max_division_rate_per_h: f64,
    /// [1] α-SMA.
    pub alpha_sma: f64,
    /// [1] ALP (TNAP).
    pub alp: f64,
    /// [1] GRP78 (BiP protein), the ER-stress load of the vesicles.
    pub grp78: f64,
    /// [1] Phosphorylated eIF2α (slows G1 entry).
    pub p_eif2a: f64,
    /// [1] Autophagy flux.
    pub autophagy: f64,
    /// [1] Osteogenic index `O`.
    pub osteogenic_index: f64,
    /// [1] PPi production capacity (ENPP1 + ANK).
    pub enpp1_capacity: f64,
    /// [1] BMP-2 secretion: the autocrine BMP-2 above rest, `(Bmp − 1)₊`.
    pub bmp2_secretion: f64,
    /// [h⁻¹] Hazard of apoptosis (every route).
    pub apoptosis_hazard_per_h: f64,
    /// [h⁻¹] The hazard split by route, summing to `apoptosis_hazard_per_h`: a death is
    /// credited to one route in proportion to these.
    pub death_route_hazards: RouteHazards,
    /// [mM] Extracellular calcium.
    pub calcium: f64,
    /// [µM] Fetuin-A.
    pub fetuin_a: f64,
    /// [1] Fraction of the neighbouring sites that are free (contact inhibition).
    pub free_neighbour_fraction: f64,
    /// [1] The cell's division-rate multiplier (heterogeneity, `docs/model.md` §4.0).
    pub division_rate_scale: f64,
    /// Whether the cell lives in serum-containing culture medium, whose mitogens keep it
    /// synthetic (Owens 2004): no return to the contractile label there.
    pub serum_culture: bool,
    /// The species the cell comes from: its cell-cycle phases.
    pub species: Species,
}

/// The random draws of one cell's fate step, made by the caller (from keyed streams, so
/// that a draw does not depend on the order in which cells are visited); each is asked
/// for at most once per step, and only when the rules need it.
pub trait FateDraws {
    /// A uniform draw in [0, 1) against the probability of committing to apoptosis.
    fn apoptosis(&mut self) -> f64;
    /// A uniform draw in [0, 1) against the probability of entering G1.
    fn cycle_entry(&mut self) -> f64;
    /// [h] A normal draw of the G1 duration with mean `mean_h` and standard deviation
    /// `sd_h`.
    fn g1_duration_h(&mut self, mean_h: f64, sd_h: f64) -> f64;
    /// A uniform draw in [0, 1) against the probability of committing to the osteogenic
    /// label (intrinsic noise of the switch).
    fn osteogenic_commitment(&mut self) -> f64;
    /// A uniform draw in [0, 1) against the probability that a contractile cell
    /// signalled to dedifferentiate becomes synthetic this step.
    fn dedifferentiation(&mut self) -> f64;
}

/// One cell's fate step (`docs/model.md` §4): the phenotype label, vesicle release, the
/// apoptosis draw, execution into an apoptotic body and cell-cycle progress. Updates
/// `fate`, writes what the cell released into `released` and returns the event the
/// population must carry out, if any.
pub fn advance(
    p: &FateParams,
    fate: &mut Fate,
    inputs: &FateInputs,
    draws: &mut impl FateDraws,
    released: &mut Released,
) -> Option<FateEvent> {
    let step_h = inputs.step_h;
    *released = Released::default();
    match fate.status {
        Status::Alive => {
            let index = inputs.osteogenic_index;
            let label = next_phenotype(
                p,
                fate.phenotype,
                &mut fate.timers,
                inputs.alpha_sma,
                index,
                step_h,
                inputs.serum_culture,
            );
            // Eligible for the osteogenic switch: commit with hazard k_o (intrinsic
            // noise), so that cells switch over days to weeks, not all at once.
            fate.phenotype = match label {
                Eligible::Osteogenic => {
                    let p_commit = event_probability(p.osteogenic_commitment_rate_per_h, step_h);
                    if draws.osteogenic_commitment() < p_commit {
                        Phenotype::Osteogenic
                    } else {
                        fate.phenotype
                    }
                }
                // Signalled to dedifferentiate: a contractile cell becomes synthetic with
                // hazard k_d, so a wall leaves the contractile state over weeks.
                Eligible::Synthetic => {
                    let p_leave =
                        event_probability(p.contractile_dedifferentiation_rate_per_h, step_h);
                    if draws.dedifferentiation() < p_leave {
                        Phenotype::Synthetic
                    } else {
                        Phenotype::Contractile
                    }
                }
                Eligible::Label(label) => label,
            };
            released.alp = inputs.alp;
            released.enpp1 = inputs.enpp1_capacity;
            released.bmp2 = inputs.bmp2_secretion;
            // Committed osteogenic cells shed mineralisation-competent vesicles; the
            // vesicles of other cells carry inhibitors (c_N).
            let committed = if fate.phenotype == Phenotype::Osteogenic {
                1.0
            } else {
                p.uncommitted_vesicle_competence
            };
            released.vesicles =
                vesicle_release_rate(p, index, inputs.grp78, inputs.calcium, inputs.autophagy)
                    * vesicle_competence(p, inputs.alp, inputs.grp78, inputs.fetuin_a)
                    * committed
                    * step_h;
            let p_death = event_probability(inputs.apoptosis_hazard_per_h, step_h);
            let draw = draws.apoptosis();
            if draw < p_death {
                fate.status = Status::Apoptotic {
                    since_min: inputs.end_min,
                };
                fate.alp_at_death = inputs.alp;
                // Given a death, draw / p_death is uniform on [0, 1): it picks the route
                // (competing risks) without another draw.
                fate.death_route = inputs.death_route_hazards.pick(draw / p_death);
                fate.cycle = Cycle::G0;
                return Some(FateEvent::CommittedToApoptosis);
            }
            fate.cycle = match fate.cycle {
                Cycle::G0 => {
                    let free = inputs.free_neighbour_fraction;
                    let rate = division_rate(
                        p,
                        inputs.max_division_rate_per_h * inputs.division_rate_scale,
                        free,
                        inputs.p_eif2a,
                        fate.phenotype,
                    );
                    if free > 0.0 && draws.cycle_entry() < event_probability(rate, step_h) {
                        let phases = p.cycle_of(inputs.species);
                        let g1 = draws
                            .g1_duration_h(phases.g1_mean_h, phases.g1_sd_h)
                            .max(1.0);
                        Cycle::G1 { remaining_h: g1 }
                    } else {
                        Cycle::G0
                    }
                }
                Cycle::G1 { remaining_h } if remaining_h > step_h => Cycle::G1 {
                    remaining_h: remaining_h - step_h,
                },
                Cycle::G1 { .. } => Cycle::Sg2m {
                    remaining_h: p.cycle_of(inputs.species).s_g2_m_h,
                },
                Cycle::Sg2m { remaining_h } => Cycle::Sg2m {
                    remaining_h: remaining_h - step_h,
                },
            };
            match fate.cycle {
                Cycle::Sg2m { remaining_h } if remaining_h <= 1e-9 => Some(FateEvent::Divides),
                _ => None,
            }
        }
        Status::Apoptotic { since_min } => {
            released.alp = fate.alp_at_death;
            if inputs.end_min - since_min >= p.execution_h * HOUR - 1e-9 {
                fate.status = Status::Body;
                // The body's calcium-phosphate-laden membrane fragments join the site's
                // templates (AP-1), in a channel of their own.
                released.body_vesicles = p.apoptotic_body_vesicles * fate.alp_at_death;
                Some(FateEvent::BecameApoptoticBody)
            } else {
                None
            }
        }
        Status::Body => None,
    }
}

/// What the label rules allow after a step: a label, or eligibility for the stochastic
/// osteogenic commitment (which the caller draws).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eligible {
    /// The label after the step.
    Label(Phenotype),
    /// A contractile cell outside serum culture whose α-SMA is below `Sma_c` or whose
    /// osteogenic index is at or above `O_c`: it becomes synthetic with hazard `k_d`, and
    /// stays contractile until it does.
    Synthetic,
    /// A synthetic cell whose osteogenic index has stayed above `O_o` for `t_o`: it
    /// commits with hazard `k_o`, and keeps its label until it does.
    Osteogenic,
}

/// The next phenotype label after `step_h` hours, with hysteresis (`docs/model.md` §4.1).
/// In serum culture (`serum_culture`) a synthetic cell does not return to contractile.
#[must_use]
pub fn next_phenotype(
    p: &FateParams,
    current: Phenotype,
    timers: &mut PhenotypeTimers,
    alpha_sma: f64,
    osteogenic_index: f64,
    step_h: f64,
    serum_culture: bool,
) -> Eligible {
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
    let label = match current {
        Phenotype::Osteogenic => {
            if timers.below_exit_h >= p.osteogenic_exit_h {
                Phenotype::Synthetic
            } else {
                Phenotype::Osteogenic
            }
        }
        Phenotype::Synthetic if timers.above_osteogenic_h >= p.osteogenic_entry_h => {
            return Eligible::Osteogenic;
        }
        // Dedifferentiation precedes the osteogenic switch (Steitz 2001, Speer 2009): a
        // contractile cell leaves for the synthetic label first, at once in serum culture
        // and with hazard k_d elsewhere.
        Phenotype::Contractile => {
            if serum_culture {
                Phenotype::Synthetic
            } else if alpha_sma < p.contractile_sma_threshold
                || osteogenic_index >= p.contractile_index_ceiling
                || timers.above_osteogenic_h >= p.osteogenic_entry_h
            {
                return Eligible::Synthetic;
            } else {
                Phenotype::Contractile
            }
        }
        Phenotype::Synthetic => {
            if !serum_culture
                && timers.contractile_return_h >= p.contractile_return_h
                && osteogenic_index < p.contractile_index_ceiling
            {
                Phenotype::Contractile
            } else {
                Phenotype::Synthetic
            }
        }
    };
    Eligible::Label(label)
}

/// The factor on a cell's osteogenic sensitivity that its phenotype sets: `f_CO` for a
/// contractile cell outside serum culture, 1 otherwise. A differentiated contractile SMC
/// answers osteogenic drives weakly until it loses its contractile markers (Steitz 2001;
/// Speer 2009); once synthetic it answers fully, so the switch feeds itself and the cells
/// most sensitive to a drive leave the contractile state first.
#[must_use]
pub fn osteogenic_responsiveness(p: &FateParams, phenotype: Phenotype, serum_culture: bool) -> f64 {
    if phenotype == Phenotype::Contractile && !serum_culture {
        p.contractile_osteogenic_responsiveness
    } else {
        1.0
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
    p.vesicle_base_rate_per_h
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
    p.efferocytosis_rate_per_neighbour_per_h
        * neighbours
        * (1.0 + fetuin_a / p.fetuin_efferocytosis_half)
}

/// [1] A site's apoptotic-body vesicle equivalents after efferocytosis clears the body on
/// it: `(1 − c_AB)` of them stay (all of them, bit for bit, at the built-in `c_AB` = 0,
/// since `x · 1.0` is `x`; `c_AB` is held to [0, 1] by its parameter range).
#[must_use]
pub fn body_vesicles_after_clearance(p: &FateParams, body_vesicles: f64) -> f64 {
    body_vesicles * (1.0 - p.body_fragment_clearance_share)
}

/// [h⁻¹] Rate of G1 entry (`docs/model.md` §4.3):
/// `p_max · min(1, free/f_free) · f_Ep · f_pheno`.
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
    let contact = (free_neighbour_fraction / p.contact_free_fraction).min(1.0);
    max_rate * contact / (1.0 + (p_eif2a - 1.0).max(0.0)) * pheno
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osteogenic_eligibility_needs_24_hours_above_threshold() {
        let p = FateParams::default();
        let mut timers = PhenotypeTimers::default();
        let mut label = Phenotype::Synthetic;
        for _ in 0..23 {
            let next = next_phenotype(&p, label, &mut timers, 0.5, 0.6, 1.0, false);
            let Eligible::Label(next) = next else {
                panic!("eligible before 24 h");
            };
            label = next;
            assert_ne!(label, Phenotype::Osteogenic);
        }
        assert_eq!(
            next_phenotype(&p, label, &mut timers, 0.5, 0.6, 1.0, false),
            Eligible::Osteogenic
        );
        // A contractile cell with the same history must dedifferentiate first.
        assert_eq!(
            next_phenotype(
                &p,
                Phenotype::Contractile,
                &mut timers,
                0.5,
                0.6,
                1.0,
                false
            ),
            Eligible::Synthetic
        );
        // Once osteogenic, a dip below the exit threshold for a day does not revert it.
        let mut label = Phenotype::Osteogenic;
        for _ in 0..24 {
            let Eligible::Label(next) =
                next_phenotype(&p, label, &mut timers, 0.9, 0.1, 1.0, false)
            else {
                panic!("an osteogenic cell is never 'eligible'");
            };
            label = next;
        }
        assert_eq!(label, Phenotype::Osteogenic);
    }

    #[test]
    fn contractile_cells_become_synthetic_when_alpha_sma_falls_and_return_two_days_later() {
        let p = FateParams::default();
        let mut timers = PhenotypeTimers::default();
        // A contractile cell signalled to dedifferentiate is taken to leave at once here
        // (the draw is the kernel's; see the test of the dedifferentiation hazard).
        let step = |label, timers: &mut PhenotypeTimers, sma, serum| match next_phenotype(
            &p, label, timers, sma, 0.1, 1.0, serum,
        ) {
            Eligible::Label(label) => label,
            Eligible::Synthetic => Phenotype::Synthetic,
            Eligible::Osteogenic => panic!("not eligible at O = 0.1"),
        };
        let mut label = step(Phenotype::Contractile, &mut timers, 0.6, false);
        assert_eq!(label, Phenotype::Synthetic);
        for _ in 0..47 {
            label = step(label, &mut timers, 0.85, false);
        }
        assert_eq!(label, Phenotype::Synthetic);
        label = step(label, &mut timers, 0.85, false);
        assert_eq!(label, Phenotype::Contractile);
        // Serum mitogens keep a cultured cell synthetic, whatever its α-SMA.
        let mut timers = PhenotypeTimers::default();
        let mut label = step(Phenotype::Contractile, &mut timers, 1.0, true);
        assert_eq!(label, Phenotype::Synthetic);
        for _ in 0..200 {
            label = step(label, &mut timers, 1.0, true);
        }
        assert_eq!(label, Phenotype::Synthetic);
    }

    #[test]
    fn autophagy_lowers_and_calcium_raises_vesicle_release() {
        let p = FateParams::default();
        let rest = vesicle_release_rate(&p, 0.0, 1.0, 1.8, 1.0);
        assert!((rest - p.vesicle_base_rate_per_h).abs() < 1e-12);
        assert!(vesicle_release_rate(&p, 0.0, 1.0, 1.8, 2.0) < rest);
        assert!(vesicle_release_rate(&p, 0.0, 1.0, 2.8, 1.0) > rest);
        assert!(vesicle_competence(&p, 1.0, 1.0, 10.0) < vesicle_competence(&p, 1.0, 1.0, 0.0));
    }

    /// Fixed draws, counting how often each is asked for.
    #[derive(Default)]
    struct Fixed {
        apoptosis: f64,
        cycle_entry: f64,
        g1_h: f64,
        commitment: f64,
        dedifferentiation: f64,
        asked: [u32; 5],
        /// [h] The mean and standard deviation the last G1 draw was asked for.
        g1_asked_h: (f64, f64),
    }

    impl FateDraws for Fixed {
        fn apoptosis(&mut self) -> f64 {
            self.asked[0] += 1;
            self.apoptosis
        }
        fn cycle_entry(&mut self) -> f64 {
            self.asked[1] += 1;
            self.cycle_entry
        }
        fn g1_duration_h(&mut self, mean_h: f64, sd_h: f64) -> f64 {
            self.asked[2] += 1;
            self.g1_asked_h = (mean_h, sd_h);
            self.g1_h
        }
        fn osteogenic_commitment(&mut self) -> f64 {
            self.asked[3] += 1;
            self.commitment
        }
        fn dedifferentiation(&mut self) -> f64 {
            self.asked[4] += 1;
            self.dedifferentiation
        }
    }

    /// A healthy contractile cell with free neighbours, one hour ending at `end_min`.
    fn healthy(end_min: f64) -> FateInputs {
        FateInputs {
            step_h: 1.0,
            end_min,
            max_division_rate_per_h: 0.05,
            alpha_sma: 1.0,
            alp: 2.0,
            grp78: 1.0,
            p_eif2a: 1.0,
            autophagy: 1.0,
            osteogenic_index: 0.1,
            enpp1_capacity: 1.0,
            bmp2_secretion: 0.3,
            apoptosis_hazard_per_h: 0.01,
            death_route_hazards: RouteHazards::default().with(DeathRoute::Chop, 0.01),
            calcium: 1.8,
            fetuin_a: 0.0,
            free_neighbour_fraction: 0.5,
            division_rate_scale: 1.0,
            serum_culture: false,
            species: Species::Human,
        }
    }

    #[test]
    fn a_draw_below_the_death_probability_commits_the_cell_to_apoptosis() {
        let p = FateParams::default();
        let mut fate = Fate::new();
        let mut released = Released::default();
        let inputs = healthy(HOUR);
        let p_death = event_probability(inputs.apoptosis_hazard_per_h, 1.0);
        // A draw just above the probability: the cell lives.
        let mut draws = Fixed {
            apoptosis: p_death,
            cycle_entry: 1.0,
            ..Fixed::default()
        };
        assert_eq!(
            advance(&p, &mut fate, &inputs, &mut draws, &mut released),
            None
        );
        assert!(fate.is_alive());
        assert!(released.vesicles > 0.0 && (released.alp - 2.0).abs() < 1e-15);
        // A living cell secretes its BMP-2 excess to its neighbours.
        assert!((released.bmp2 - 0.3).abs() < 1e-15);
        // Just below: it commits, keeps its ALP and the route, and leaves the cycle.
        fate.cycle = Cycle::G1 { remaining_h: 5.0 };
        let mut draws = Fixed {
            apoptosis: p_death * 0.999,
            ..Fixed::default()
        };
        let event = advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(event, Some(FateEvent::CommittedToApoptosis));
        assert_eq!(fate.status, Status::Apoptotic { since_min: HOUR });
        assert_eq!(fate.cycle, Cycle::G0);
        assert!((fate.alp_at_death - 2.0).abs() < 1e-15);
        assert_eq!(fate.death_route, DeathRoute::Chop);
        assert_eq!(
            draws.asked,
            [1, 0, 0, 0, 0],
            "no cycle draws once committed"
        );
    }

    #[test]
    fn a_death_is_credited_to_a_route_by_the_commitment_draw_itself() {
        // Basal 1/4 and deposits 3/4 of the hazard: the lower quarter of the draws that
        // kill credit basal turnover, the rest the deposits; no other draw is asked for.
        let p = FateParams::default();
        let inputs = FateInputs {
            apoptosis_hazard_per_h: 0.04,
            death_route_hazards: RouteHazards::default()
                .with(DeathRoute::Basal, 0.01)
                .with(DeathRoute::Crystal, 0.03),
            ..healthy(HOUR)
        };
        let p_death = event_probability(inputs.apoptosis_hazard_per_h, 1.0);
        for (share, route) in [
            (0.2, DeathRoute::Basal),
            (0.3, DeathRoute::Crystal),
            (0.99, DeathRoute::Crystal),
        ] {
            let mut fate = Fate::new();
            let mut released = Released::default();
            let mut draws = Fixed {
                apoptosis: share * p_death,
                ..Fixed::default()
            };
            let event = advance(&p, &mut fate, &inputs, &mut draws, &mut released);
            assert_eq!(event, Some(FateEvent::CommittedToApoptosis));
            assert_eq!(fate.death_route, route, "draw at {share} of p");
            assert_eq!(draws.asked, [1, 0, 0, 0, 0]);
        }
    }

    #[test]
    fn an_apoptotic_cell_becomes_a_body_after_execution_and_releases_its_vesicles() {
        let p = FateParams::default();
        let mut fate = Fate {
            status: Status::Apoptotic { since_min: HOUR },
            alp_at_death: 2.0,
            ..Fate::new()
        };
        let mut released = Released::default();
        let mut draws = Fixed::default();
        let hours = p.execution_h as u32;
        for h in 2..=hours {
            let inputs = healthy(HOUR * f64::from(h));
            assert_eq!(
                advance(&p, &mut fate, &inputs, &mut draws, &mut released),
                None
            );
            assert!(released.vesicles == 0.0 && released.body_vesicles == 0.0);
            assert!((released.alp - 2.0).abs() < 1e-15);
            assert!(released.bmp2 == 0.0, "a dying cell secretes no BMP-2");
        }
        let inputs = healthy(HOUR * f64::from(hours + 1));
        let event = advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(event, Some(FateEvent::BecameApoptoticBody));
        assert_eq!(fate.status, Status::Body);
        // The body's vesicle equivalents go to their own channel, not to the living
        // cells' matrix vesicles.
        assert!((released.body_vesicles - p.apoptotic_body_vesicles * 2.0).abs() < 1e-9);
        assert!(released.vesicles == 0.0);
        // A body does nothing more and releases nothing.
        assert_eq!(
            advance(&p, &mut fate, &inputs, &mut draws, &mut released),
            None
        );
        assert_eq!(released, Released::default());
        assert_eq!(draws.asked, [0, 0, 0, 0, 0], "a dying cell draws nothing");
    }

    #[test]
    fn the_cycle_runs_from_entry_through_g1_and_s_g2_m_to_division() {
        let p = FateParams::default();
        let mut fate = Fate {
            phenotype: Phenotype::Synthetic,
            ..Fate::new()
        };
        let mut released = Released::default();
        let mut inputs = healthy(HOUR);
        inputs.alpha_sma = 0.5; // stays synthetic
        let mut draws = Fixed {
            apoptosis: 1.0,
            cycle_entry: 0.0,
            g1_h: 2.5,
            ..Fixed::default()
        };
        assert_eq!(
            advance(&p, &mut fate, &inputs, &mut draws, &mut released),
            None
        );
        assert_eq!(fate.cycle, Cycle::G1 { remaining_h: 2.5 });
        assert_eq!(draws.asked[2], 1);
        // G1: 2.5 h -> 1.5 h -> 0.5 h -> S/G2/M.
        for _ in 0..2 {
            advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        }
        assert_eq!(fate.cycle, Cycle::G1 { remaining_h: 0.5 });
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(
            fate.cycle,
            Cycle::Sg2m {
                remaining_h: p.s_g2_m_h
            }
        );
        let mut events = Vec::new();
        for _ in 0..(p.s_g2_m_h as u32) {
            events.push(advance(&p, &mut fate, &inputs, &mut draws, &mut released));
        }
        assert_eq!(events.last(), Some(&Some(FateEvent::Divides)));
        assert!(events[..events.len() - 1].iter().all(Option::is_none));
        // Entry and length were drawn once; a short G1 draw is floored at 1 h.
        assert_eq!(draws.asked[1..], [1, 1, 0, 0]);
        let mut fate = Fate::new();
        draws.g1_h = 0.2;
        fate.phenotype = Phenotype::Synthetic;
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.cycle, Cycle::G1 { remaining_h: 1.0 });
    }

    #[test]
    fn a_rat_cell_draws_its_shorter_g1_and_shares_s_g2_m() {
        let p = FateParams::default();
        let mut released = Released::default();
        for (species, g1_mean_h) in [(Species::Human, 16.0), (Species::Rat, 3.4)] {
            let mut fate = Fate {
                phenotype: Phenotype::Synthetic,
                ..Fate::new()
            };
            let mut inputs = healthy(HOUR);
            inputs.alpha_sma = 0.5;
            inputs.species = species;
            let mut draws = Fixed {
                apoptosis: 1.0,
                cycle_entry: 0.0,
                g1_h: 1.0,
                ..Fixed::default()
            };
            advance(&p, &mut fate, &inputs, &mut draws, &mut released);
            assert_eq!(draws.g1_asked_h, (g1_mean_h, p.g1_sd_h), "{species:?}");
            advance(&p, &mut fate, &inputs, &mut draws, &mut released);
            assert_eq!(
                fate.cycle,
                Cycle::Sg2m {
                    remaining_h: p.s_g2_m_h
                },
                "{species:?}"
            );
        }
        // Bačáková 1997: the rat cycle (G1 + S/G2/M) is the 16.4-h exponential doubling.
        let rat = p.cycle_of(Species::Rat);
        assert!((rat.g1_mean_h + rat.s_g2_m_h - 16.4).abs() < 1e-9);
    }

    #[test]
    fn each_species_enters_g1_in_culture_at_its_own_rate() {
        let p = FateParams {
            max_division_rate_in_vitro_per_h: 0.02,
            rat_max_division_rate_in_vitro_per_h: 0.7,
            ..FateParams::default()
        };
        assert!((p.max_division_rate_in_vitro_of(Species::Human) - 0.02).abs() < 1e-15);
        assert!((p.max_division_rate_in_vitro_of(Species::Rat) - 0.7).abs() < 1e-15);
        let human_only = FateParams {
            max_division_rate_in_vitro_per_h: 0.3,
            ..p.clone()
        };
        assert!((human_only.max_division_rate_in_vitro_of(Species::Rat) - 0.7).abs() < 1e-15);
    }

    #[test]
    fn contact_inhibited_cells_do_not_enter_the_cycle() {
        let p = FateParams::default();
        let mut fate = Fate::new();
        let mut released = Released::default();
        let mut inputs = healthy(HOUR);
        inputs.free_neighbour_fraction = 0.0;
        let mut draws = Fixed {
            apoptosis: 1.0,
            ..Fixed::default()
        };
        assert_eq!(
            advance(&p, &mut fate, &inputs, &mut draws, &mut released),
            None
        );
        assert_eq!(fate.cycle, Cycle::G0);
        assert_eq!(draws.asked, [1, 0, 0, 0, 0]);
    }

    #[test]
    fn contact_slows_g1_entry_only_below_the_free_share_that_leaves_room() {
        let p = FateParams::default();
        let rate = |free| division_rate(&p, 0.1, free, 1.0, Phenotype::Synthetic);
        // One free neighbour of four, or more: the full rate.
        assert!((rate(0.25) - 0.1).abs() < 1e-15);
        assert!((rate(1.0) - 0.1).abs() < 1e-15);
        // Below it, in proportion; none free: no entry.
        assert!((rate(0.125) - 0.05).abs() < 1e-15);
        assert!(rate(0.0) == 0.0);
        // f_free = 1 is the linear law.
        let linear = FateParams {
            contact_free_fraction: 1.0,
            ..FateParams::default()
        };
        let linear_rate = division_rate(&linear, 0.1, 0.5, 1.0, Phenotype::Synthetic);
        assert!((linear_rate - 0.05).abs() < 1e-15);
    }

    #[test]
    fn the_kernel_commits_a_cell_to_osteogenic_by_a_draw_after_a_day_above_the_threshold() {
        let p = FateParams::default();
        let mut fate = Fate::new();
        let mut released = Released::default();
        let mut inputs = healthy(HOUR);
        inputs.osteogenic_index = 0.6;
        inputs.free_neighbour_fraction = 0.0;
        let p_commit = event_probability(p.osteogenic_commitment_rate_per_h, 1.0);
        // A draw just above the commitment probability: eligible, but not committed.
        let mut draws = Fixed {
            apoptosis: 1.0,
            commitment: p_commit,
            ..Fixed::default()
        };
        for _ in 0..30 {
            advance(&p, &mut fate, &inputs, &mut draws, &mut released);
            assert_ne!(fate.phenotype, Phenotype::Osteogenic);
        }
        assert_eq!(draws.asked[3], 7, "asked once per hour from hour 24 on");
        draws.commitment = p_commit * 0.999;
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.phenotype, Phenotype::Osteogenic);
        // The osteogenic index raises vesicle release.
        let mut calm = Fate::new();
        let mut calm_released = Released::default();
        advance(
            &p,
            &mut calm,
            &healthy(HOUR),
            &mut draws,
            &mut calm_released,
        );
        assert!(released.vesicles > calm_released.vesicles);
    }

    #[test]
    fn a_signalled_contractile_cell_dedifferentiates_by_a_draw_with_hazard_k_d() {
        let p = FateParams::default();
        let p_leave = event_probability(p.contractile_dedifferentiation_rate_per_h, 1.0);
        let mut released = Released::default();
        let mut inputs = healthy(HOUR);
        inputs.free_neighbour_fraction = 0.0;
        // Unsignalled (α-SMA 1, O 0.1): no draw, contractile.
        let mut fate = Fate::new();
        let mut draws = Fixed {
            apoptosis: 1.0,
            ..Fixed::default()
        };
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.phenotype, Phenotype::Contractile);
        assert_eq!(draws.asked[4], 0);
        // Signalled by its osteogenic index (O ≥ O_c): a draw each hour, and it stays
        // contractile while the draws are at or above the probability.
        inputs.osteogenic_index = p.contractile_index_ceiling;
        draws.dedifferentiation = p_leave;
        for hour in 1..=100 {
            advance(&p, &mut fate, &inputs, &mut draws, &mut released);
            assert_eq!(fate.phenotype, Phenotype::Contractile);
            assert_eq!(draws.asked[4], hour);
        }
        draws.dedifferentiation = p_leave * 0.999;
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.phenotype, Phenotype::Synthetic);
        // Signalled by α-SMA alone.
        let mut fate = Fate::new();
        let mut inputs = healthy(HOUR);
        inputs.alpha_sma = p.contractile_sma_threshold * 0.99;
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.phenotype, Phenotype::Synthetic);
        // In serum culture a contractile cell is synthetic at once, without a draw.
        let mut fate = Fate::new();
        let mut inputs = healthy(HOUR);
        inputs.serum_culture = true;
        let asked = draws.asked[4];
        advance(&p, &mut fate, &inputs, &mut draws, &mut released);
        assert_eq!(fate.phenotype, Phenotype::Synthetic);
        assert_eq!(draws.asked[4], asked);
    }

    #[test]
    fn a_contractile_cell_answers_osteogenic_drives_weakly_outside_serum_culture() {
        let p = FateParams::default();
        let f = p.contractile_osteogenic_responsiveness;
        assert!(f > 0.0 && f < 1.0);
        assert!((osteogenic_responsiveness(&p, Phenotype::Contractile, false) - f).abs() < 1e-15);
        for phenotype in [Phenotype::Synthetic, Phenotype::Osteogenic] {
            assert!((osteogenic_responsiveness(&p, phenotype, false) - 1.0).abs() < 1e-15);
        }
        // In serum culture every cell is synthetic: no contractile damping.
        assert!((osteogenic_responsiveness(&p, Phenotype::Contractile, true) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<FateParams>();
    }

    #[test]
    fn clearing_a_body_takes_its_share_of_the_sites_fragments() {
        let mut p = FateParams::default();
        // Built in: every fragment stays, bit for bit.
        assert_eq!(
            body_vesicles_after_clearance(&p, 1234.5).to_bits(),
            1234.5_f64.to_bits()
        );
        p.body_fragment_clearance_share = 0.25;
        assert!((body_vesicles_after_clearance(&p, 1000.0) - 750.0).abs() < 1e-9);
        p.body_fragment_clearance_share = 1.0;
        assert_eq!(
            body_vesicles_after_clearance(&p, 1000.0).to_bits(),
            0.0_f64.to_bits()
        );
    }
}
