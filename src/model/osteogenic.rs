//! The osteogenic / contractile module: Runx2, ALP (TNAP), PiT-1/2, autocrine BMP-2 and
//! the contractile markers α-SMA / SM22α (`docs/model.md` §3.3.5; claims OS-1..OS-4).
//!
//! ```text
//! A4eff   = A4 (1 + phiT1) / (1 + phiT2K)                    CDK9-CyclinT1 activates ATF4 (TX-3)
//! Pi_in   = PiT (1 - PFA) (Pi/(KPiT + Pi)) / (Pi0/(KPiT + Pi0))
//! dPiT/dt = kPT  (1 + aPT4 (A4eff - 1)+ - PiT)                ATF4 → PiT1/2 (Masuda 2016)
//! dR/dt   = kR   ((1 + aRX (x-1)+/(KRX + (x-1)+) + aRB (Bmp_tot-1)+/(KRB + (Bmp_tot-1)+)
//!                   + aRP (Pi_in-1)+/(KRP + (Pi_in-1)+) + aRN NFkB + aRROS ROS)
//!                  (1 + abcat (1 - XBP1u_frac)) - R)
//! dAlp/dt = kAlp (1 + aAR (R - 1)+ + aAA4 (A4eff - 1)+ - Alp)
//! dBmp/dt = kB   (1 + aBR (R - 1)+ + aBN NFkB - Bmp)           Bmp_tot = Bmp + BMP-2 (exogenous)
//! dSma/dt = kSma (1/(1 + aSR (R - 1)+) - Sma)
//! OCN = 1 + aOA4 (A4eff-1)+ + aOR (R-1)+;  OPN = 1 + aOPN (R-1)+
//! Enpp1 = fENPP1 / (1 + aEA4 (A4eff - 1)+);  O = (R-1)+ / ((R-1)+ + KO)
//! ```
//!
//! Deviations from the original design, made knowingly:
//! - the design writes the BMP-2 drive as `aRB Bmp_tot/(KRB + Bmp_tot)`, which is 1 at rest
//!   (Bmp = 1) and would put Runx2 at 2 in an unstimulated cell; vcsim uses the excess
//!   over rest, `(Bmp_tot - 1)+`, like every other drive.
//! - The autocrine loop Runx2 → BMP-2 → Runx2 has gain `aRB aBR / KRB` at rest. With
//!   the design's `aBR = 1` that gain is 2, so rest would be unstable and every cell would
//!   switch to osteogenic on its own; vcsim uses `aBR = 0.25` (gain 0.5).

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::{Reference, Source};
use crate::units::per_h_to_per_min;

/// The five state variables of the module, each 1 at rest.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OsteogenicState {
    /// [1] Runx2 (Cbfa1), the osteogenic master transcription factor.
    pub runx2: f64,
    /// [1] Alkaline phosphatase (TNAP) activity.
    pub alp: f64,
    /// [1] Phosphate transporters PiT-1/PiT-2.
    pub pit: f64,
    /// [1] Autocrine BMP-2.
    pub bmp2: f64,
    /// [1] Contractile markers α-SMA and SM22α.
    pub alpha_sma: f64,
}

/// Parameters of the osteogenic module.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OsteogenicParams {
    /// `kR` [h⁻¹]: Runx2 relaxation (t½ ≈ 14 h; programme over days).
    pub runx2_relaxation_rate_per_h: f64,
    /// `aRX` [1]: XBP1s drive on Runx2 (binds the Runx2 promoter).
    pub xbp1s_runx2_gain: f64,
    /// `KRX` [1]: Xbp1s excess for half-maximal Runx2 drive.
    pub xbp1s_runx2_half_activation: f64,
    /// `aRB` [1]: BMP-2 drive on Runx2 (BMP-2 100 ng/mL = 1).
    pub bmp2_runx2_gain: f64,
    /// `KRB` [1]: BMP-2 excess for half-maximal Runx2 drive.
    pub bmp2_runx2_half_activation: f64,
    /// `aRP` [1]: intracellular phosphate drive on Runx2.
    pub phosphate_runx2_gain: f64,
    /// `KRP` [1]: `Pi_in` excess for half-maximal Runx2 drive.
    pub phosphate_runx2_half_activation: f64,
    /// `aRN` [1]: inflammatory (NF-κB) drive on Runx2.
    pub nfkb_runx2_gain: f64,
    /// `aRROS` [1]: oxidative-stress drive on Runx2.
    pub ros_runx2_gain: f64,
    /// `abcat` [1]: β-catenin drive on Runx2 released by loss of unspliced XBP1 (0 = off).
    pub xbp1u_beta_catenin_gain: f64,
    /// `θR` [1]: saturation of Runx2's summed drive: the excess `E` of the drive above rest
    /// (every drive together) becomes `E/(1 + θR·E)`, at most `1/θR`, before the cell's
    /// osteogenic sensitivity scales it; 0 leaves the drives adding without bound.
    pub runx2_drive_saturation: f64,
    /// `kAlp` [h⁻¹]: ALP (TNAP) activity relaxation (t½ ≈ 35 h).
    pub alp_relaxation_rate_per_h: f64,
    /// `aAR` [1]: Runx2 induction of ALP.
    pub runx2_alp_gain: f64,
    /// `aAA4` [1]: ATF4 induction of ALP.
    pub atf4_alp_gain: f64,
    /// `kB` [h⁻¹]: autocrine BMP-2 relaxation.
    pub bmp2_relaxation_rate_per_h: f64,
    /// `aBR` [1]: Runx2 induction of autocrine BMP-2.
    pub runx2_bmp2_gain: f64,
    /// `aBN` [1]: NF-κB induction of BMP-2.
    pub nfkb_bmp2_gain: f64,
    /// `kSma` [h⁻¹]: α-SMA/SM22α relaxation.
    pub contractile_relaxation_rate_per_h: f64,
    /// `aSR` [1]: Runx2 repression of contractile markers.
    pub runx2_contractile_repression: f64,
    /// `kPT` [h⁻¹]: PiT-1/2 relaxation.
    pub pit_relaxation_rate_per_h: f64,
    /// `aPT4` [1]: ATF4 induction of PiT-1/2.
    pub atf4_pit_gain: f64,
    /// `KPiT` [mM]: extracellular Pi for half-maximal PiT uptake.
    pub pit_half_saturation: f64,
    /// `Pi0` [mM]: extracellular Pi at which `Pi_in` = 1: the level up to which phosphate
    /// gives no osteogenic drive (Jono 2000: no Cbfa1/Runx2 response or mineral at 1.4 mM,
    /// dose-dependent above; the upper end of normal serum phosphate).
    pub reference_phosphate: f64,
    /// `aOA4` [1]: ATF4 induction of osteocalcin (readout).
    pub atf4_osteocalcin_gain: f64,
    /// `aOR` [1]: Runx2 induction of osteocalcin (readout).
    pub runx2_osteocalcin_gain: f64,
    /// `aOPN` [1]: Runx2 induction of osteopontin (readout).
    pub runx2_osteopontin_gain: f64,
    /// `aEA4` [1]: ATF4 suppression of PPi generation (ENPP1/ANK).
    pub atf4_enpp1_suppression: f64,
    /// `fENPP1` [1]: ENPP1 expression (0 in ENPP1 knockout).
    pub enpp1_expression: f64,
    /// `KO` [1]: Runx2 excess at osteogenic index 0.5.
    pub osteogenic_index_half: f64,
    /// `phiT1` [1]: CDK9-CyclinT1 activation of ATF4 (> 0 up, < 0 inhibited).
    pub cdk9_cyclin_t1_activity: f64,
    /// `phiT2K` [1]: CDK9-CyclinT2/K opposition to ATF4 activation.
    pub cyclin_t2k_activity: f64,
}

impl Default for OsteogenicParams {
    fn default() -> Self {
        Self {
            runx2_relaxation_rate_per_h: 0.05,
            xbp1s_runx2_gain: 1.0,
            xbp1s_runx2_half_activation: 2.0,
            bmp2_runx2_gain: 2.0,
            bmp2_runx2_half_activation: 1.0,
            phosphate_runx2_gain: 2.0,
            phosphate_runx2_half_activation: 1.0,
            nfkb_runx2_gain: 1.0,
            ros_runx2_gain: 1.0,
            xbp1u_beta_catenin_gain: 0.0,
            runx2_drive_saturation: 0.0,
            alp_relaxation_rate_per_h: 0.02,
            runx2_alp_gain: 2.0,
            atf4_alp_gain: 1.0,
            bmp2_relaxation_rate_per_h: 0.05,
            runx2_bmp2_gain: 0.25,
            nfkb_bmp2_gain: 1.0,
            contractile_relaxation_rate_per_h: 0.02,
            runx2_contractile_repression: 1.0,
            pit_relaxation_rate_per_h: 0.05,
            atf4_pit_gain: 1.0,
            pit_half_saturation: 1.0,
            reference_phosphate: 1.4,
            atf4_osteocalcin_gain: 1.0,
            runx2_osteocalcin_gain: 1.0,
            runx2_osteopontin_gain: 1.0,
            atf4_enpp1_suppression: 1.0,
            enpp1_expression: 1.0,
            osteogenic_index_half: 1.0,
            cdk9_cyclin_t1_activity: 0.0,
            cyclin_t2k_activity: 0.0,
        }
    }
}

const fn assumed(why: &'static str) -> Source {
    Source::Assumed(why)
}

#[rustfmt::skip]
static SPECS: [ParamSpec<OsteogenicParams>; 31] = [
    spec("kR", "runx2_relaxation_rate_per_h", "h⁻¹", "Runx2 relaxation (t½ ≈ 14 h; programme over days)", assumed("Runx2 up by day 1-3; docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.runx2_relaxation_rate_per_h),
    spec("aRX", "xbp1s_runx2_gain", "1", "XBP1s drive on Runx2 (binds the Runx2 promoter)", Source::Claim("OS-2"), 0.0, 10.0, |p| &mut p.xbp1s_runx2_gain),
    spec("KRX", "xbp1s_runx2_half_activation", "1", "Xbp1s excess for half-maximal Runx2 drive", assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.xbp1s_runx2_half_activation),
    spec("aRB", "bmp2_runx2_gain", "1", "BMP-2 drive on Runx2 (BMP-2 100 ng/mL = 1)", Source::Claim("OS-2"), 0.0, 10.0, |p| &mut p.bmp2_runx2_gain),
    spec("KRB", "bmp2_runx2_half_activation", "1", "BMP-2 excess for half-maximal Runx2 drive", assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.bmp2_runx2_half_activation),
    spec("aRP", "phosphate_runx2_gain", "1", "intracellular phosphate drive on Runx2", Source::Paper(Reference::Jono2000), 0.0, 10.0, |p| &mut p.phosphate_runx2_gain),
    spec("KRP", "phosphate_runx2_half_activation", "1", "Pi_in excess for half-maximal Runx2 drive", assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.phosphate_runx2_half_activation),
    spec("aRN", "nfkb_runx2_gain", "1", "inflammatory (NF-κB) drive on Runx2", Source::Claim("IN-8, IN-9"), 0.0, 10.0, |p| &mut p.nfkb_runx2_gain),
    spec("aRROS", "ros_runx2_gain", "1", "oxidative-stress drive on Runx2", Source::Paper(Reference::Liu2014), 0.0, 10.0, |p| &mut p.ros_runx2_gain),
    spec("abcat", "xbp1u_beta_catenin_gain", "1", "β-catenin drive on Runx2 released by loss of unspliced XBP1 (0 = off)", Source::Paper(Reference::Yang2022), 0.0, 10.0, |p| &mut p.xbp1u_beta_catenin_gain),
    spec("θR", "runx2_drive_saturation", "1", "saturation of Runx2's summed drive (its excess E above rest becomes E/(1 + θR E); 0 = none)", assumed("built-in 0: the drives add without bound, as before the parameter existed. A transcription factor's induction saturates, but no measured maximal Runx2 fold in VSMCs was found; docs/model.md §3.3.5"), 0.0, 10.0, |p| &mut p.runx2_drive_saturation),
    spec("kAlp", "alp_relaxation_rate_per_h", "h⁻¹", "ALP (TNAP) activity relaxation (t½ ≈ 35 h)", assumed("ALP 2-5x by day 7 in calcifying medium; docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.alp_relaxation_rate_per_h),
    spec("aAR", "runx2_alp_gain", "1", "Runx2 induction of ALP", Source::Claim("OS-1"), 0.0, 10.0, |p| &mut p.runx2_alp_gain),
    spec("aAA4", "atf4_alp_gain", "1", "ATF4 induction of ALP", Source::Claim("OS-4"), 0.0, 10.0, |p| &mut p.atf4_alp_gain),
    spec("kB", "bmp2_relaxation_rate_per_h", "h⁻¹", "autocrine BMP-2 relaxation", assumed("docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.bmp2_relaxation_rate_per_h),
    spec("aBR", "runx2_bmp2_gain", "1", "Runx2 induction of autocrine BMP-2", assumed("loop gain aRB·aBR/KRB = 0.5 < 1 keeps rest stable (the design's 1 gives 2)"), 0.0, 10.0, |p| &mut p.runx2_bmp2_gain),
    spec("aBN", "nfkb_bmp2_gain", "1", "NF-κB induction of BMP-2", Source::Claim("IN-8"), 0.0, 10.0, |p| &mut p.nfkb_bmp2_gain),
    spec("kSma", "contractile_relaxation_rate_per_h", "h⁻¹", "α-SMA/SM22α relaxation", assumed("markers fall 30-60% by day 7; docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.contractile_relaxation_rate_per_h),
    spec("aSR", "runx2_contractile_repression", "1", "Runx2 repression of contractile markers", Source::Claim("OS-1"), 0.0, 10.0, |p| &mut p.runx2_contractile_repression),
    spec("kPT", "pit_relaxation_rate_per_h", "h⁻¹", "PiT-1/2 relaxation", assumed("docs/model.md §3.4"), 0.001, 10.0, |p| &mut p.pit_relaxation_rate_per_h),
    spec("aPT4", "atf4_pit_gain", "1", "ATF4 induction of PiT-1/2", Source::Paper(Reference::Masuda2016), 0.0, 10.0, |p| &mut p.atf4_pit_gain),
    spec("KPiT", "pit_half_saturation", "mM", "extracellular Pi for half-maximal PiT uptake", assumed("docs/model.md §3.4"), 0.01, 10.0, |p| &mut p.pit_half_saturation),
    spec("Pi0", "reference_phosphate", "mM", "extracellular Pi at which Pi_in = 1 (no phosphate drive up to it)", Source::Paper(Reference::Jono2000), 0.1, 5.0, |p| &mut p.reference_phosphate),
    spec("aOA4", "atf4_osteocalcin_gain", "1", "ATF4 induction of osteocalcin (readout)", Source::Claim("IN-1"), 0.0, 10.0, |p| &mut p.atf4_osteocalcin_gain),
    spec("aOR", "runx2_osteocalcin_gain", "1", "Runx2 induction of osteocalcin (readout)", Source::Claim("OS-1"), 0.0, 10.0, |p| &mut p.runx2_osteocalcin_gain),
    spec("aOPN", "runx2_osteopontin_gain", "1", "Runx2 induction of osteopontin (readout)", Source::Claim("OS-1"), 0.0, 10.0, |p| &mut p.runx2_osteopontin_gain),
    spec("aEA4", "atf4_enpp1_suppression", "1", "ATF4 suppression of PPi generation (ENPP1/ANK)", Source::Paper(Reference::UremiaMtorc1), 0.0, 10.0, |p| &mut p.atf4_enpp1_suppression),
    spec("fENPP1", "enpp1_expression", "1", "ENPP1 expression (0 in ENPP1 knockout)", Source::Claim("TX-6"), 0.0, 5.0, |p| &mut p.enpp1_expression),
    spec("KO", "osteogenic_index_half", "1", "Runx2 excess at osteogenic index 0.5", assumed("docs/model.md §3.4"), 0.01, 100.0, |p| &mut p.osteogenic_index_half),
    spec("phiT1", "cdk9_cyclin_t1_activity", "1", "CDK9-CyclinT1 activation of ATF4 (> 0 up, < 0 inhibited)", Source::Paper(Reference::Shiozaki2018), -0.99, 10.0, |p| &mut p.cdk9_cyclin_t1_activity),
    spec("phiT2K", "cyclin_t2k_activity", "1", "CDK9-CyclinT2/K opposition to ATF4 activation", Source::Paper(Reference::Shiozaki2018), -0.99, 10.0, |p| &mut p.cyclin_t2k_activity),
];

impl ParameterTable for OsteogenicParams {
    const MODULE: &'static str = "osteogenic";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// The algebraic outputs of the module.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OsteogenicReadout {
    /// [1] Osteocalcin.
    pub osteocalcin: f64,
    /// [1] Osteopontin.
    pub osteopontin: f64,
    /// [1] PPi production capacity (ENPP1 + ANK).
    pub enpp1_capacity: f64,
    /// [1] Osteogenic index in [0, 1).
    pub osteogenic_index: f64,
}

/// The inputs the module reads from the rest of the cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OsteogenicDrives {
    /// [1] Xbp1s.
    pub xbp1s: f64,
    /// [1] Unspliced XBP1 relative to rest.
    pub xbp1u_fraction: f64,
    /// [1] ATF4 transcriptional activity `A4eff`.
    pub atf4_activity: f64,
    /// [1] Intracellular phosphate load `Pi_in`.
    pub phosphate_intracellular: f64,
    /// [1] NF-κB drive.
    pub nfkb: f64,
    /// [1] Oxidative stress.
    pub ros: f64,
    /// [1] Exogenous BMP-2.
    pub bmp2_exogenous: f64,
    /// [1] In a population, the BMP-2 excess of the cell's site shared with its
    /// neighbours (`paracrine.rs`), which replaces the cell's own `Bmp − 1` in the Runx2
    /// drive; `None` for a single cell, which answers to its own BMP-2 (autocrine).
    pub bmp2_paracrine: Option<f64>,
    /// [1] The cell's osteogenic sensitivity: multiplies the Runx2 drive above rest
    /// (cell-to-cell heterogeneity, `docs/model.md` §4.0; 1 = reference cell).
    pub sensitivity: f64,
}

impl OsteogenicParams {
    /// [1] ATF4 transcriptional activity after CDK9-Cyclin modulation, `A4eff`.
    #[must_use]
    pub fn atf4_activity(&self, atf4: f64) -> f64 {
        atf4 * (1.0 + self.cdk9_cyclin_t1_activity) / (1.0 + self.cyclin_t2k_activity)
    }

    /// [1] Extracellular uptake factor of phosphate relative to that at `Pi0`,
    /// `(Pi/(KPiT + Pi)) / (Pi0/(KPiT + Pi0))`, reduced by transporter block.
    #[must_use]
    pub fn phosphate_uptake_factor(&self, phosphate: f64, transport_block: f64) -> f64 {
        let k = self.pit_half_saturation;
        (1.0 - transport_block) * (phosphate / (k + phosphate))
            / (self.reference_phosphate / (k + self.reference_phosphate))
    }

    /// The readouts for a state and ATF4 activity.
    #[must_use]
    pub fn readout(&self, s: &OsteogenicState, atf4_activity: f64) -> OsteogenicReadout {
        let runx2_excess = (s.runx2 - 1.0).max(0.0);
        let atf4_excess = (atf4_activity - 1.0).max(0.0);
        OsteogenicReadout {
            osteocalcin: 1.0
                + self.atf4_osteocalcin_gain * atf4_excess
                + self.runx2_osteocalcin_gain * runx2_excess,
            osteopontin: 1.0 + self.runx2_osteopontin_gain * runx2_excess,
            enpp1_capacity: self.enpp1_expression
                / (1.0 + self.atf4_enpp1_suppression * atf4_excess),
            osteogenic_index: runx2_excess / (runx2_excess + self.osteogenic_index_half),
        }
    }
}

/// [min⁻¹] The time derivative of the module's state.
#[must_use]
pub fn rates(p: &OsteogenicParams, s: &OsteogenicState, d: &OsteogenicDrives) -> OsteogenicState {
    let excess = |value: f64| (value - 1.0).max(0.0);
    let xbp1s_excess = excess(d.xbp1s);
    let own_bmp2 = d.bmp2_paracrine.map_or(s.bmp2, |shared| 1.0 + shared);
    let bmp_excess = excess(own_bmp2 + d.bmp2_exogenous);
    let pi_excess = excess(d.phosphate_intracellular);
    let runx2_drive = 1.0
        + d.sensitivity
            * saturated_drive_excess(
                p,
                runx2_drive_at_unit_sensitivity(p, d, xbp1s_excess, bmp_excess, pi_excess) - 1.0,
            );
    let runx2_excess = excess(s.runx2);
    let atf4_excess = excess(d.atf4_activity);
    OsteogenicState {
        runx2: per_h_to_per_min(p.runx2_relaxation_rate_per_h) * (runx2_drive - s.runx2),
        alp: per_h_to_per_min(p.alp_relaxation_rate_per_h)
            * (1.0 + p.runx2_alp_gain * runx2_excess + p.atf4_alp_gain * atf4_excess - s.alp),
        pit: per_h_to_per_min(p.pit_relaxation_rate_per_h)
            * (1.0 + p.atf4_pit_gain * atf4_excess - s.pit),
        bmp2: per_h_to_per_min(p.bmp2_relaxation_rate_per_h)
            * (1.0 + p.runx2_bmp2_gain * runx2_excess + p.nfkb_bmp2_gain * d.nfkb - s.bmp2),
        alpha_sma: per_h_to_per_min(p.contractile_relaxation_rate_per_h)
            * (1.0 / (1.0 + p.runx2_contractile_repression * runx2_excess) - s.alpha_sma),
    }
}

/// [1] The excess of Runx2's summed drive above rest after its saturation `θR`:
/// `E/(1 + θR·E)`; `E` itself when `θR` = 0 (bit for bit).
fn saturated_drive_excess(p: &OsteogenicParams, excess: f64) -> f64 {
    excess / p.runx2_drive_saturation.mul_add(excess, 1.0)
}

/// [1] The Runx2 drive of a cell of unit osteogenic sensitivity (1 at rest).
fn runx2_drive_at_unit_sensitivity(
    p: &OsteogenicParams,
    d: &OsteogenicDrives,
    xbp1s_excess: f64,
    bmp_excess: f64,
    pi_excess: f64,
) -> f64 {
    (1.0 + p.xbp1s_runx2_gain * xbp1s_excess / (p.xbp1s_runx2_half_activation + xbp1s_excess)
        + p.bmp2_runx2_gain * bmp_excess / (p.bmp2_runx2_half_activation + bmp_excess)
        + p.phosphate_runx2_gain * pi_excess / (p.phosphate_runx2_half_activation + pi_excess)
        + p.nfkb_runx2_gain * d.nfkb
        + p.ros_runx2_gain * d.ros)
        * (1.0 + p.xbp1u_beta_catenin_gain * (1.0 - d.xbp1u_fraction).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REST: OsteogenicState = OsteogenicState {
        runx2: 1.0,
        alp: 1.0,
        pit: 1.0,
        bmp2: 1.0,
        alpha_sma: 1.0,
    };

    fn rest_drives() -> OsteogenicDrives {
        OsteogenicDrives {
            xbp1s: 1.0,
            xbp1u_fraction: 1.0,
            atf4_activity: 1.0,
            phosphate_intracellular: 1.0,
            nfkb: 0.0,
            ros: 0.0,
            bmp2_exogenous: 0.0,
            bmp2_paracrine: None,
            sensitivity: 1.0,
        }
    }

    #[test]
    fn the_summed_drive_saturates_at_one_over_theta_and_not_at_all_at_zero() {
        let mut p = OsteogenicParams::default();
        // A strong drive: every input on.
        let strong = OsteogenicDrives {
            xbp1s: 5.0,
            phosphate_intracellular: 4.0,
            nfkb: 1.0,
            ros: 1.0,
            ..rest_drives()
        };
        let runx2_target = |p: &OsteogenicParams, d: &OsteogenicDrives| {
            // At Runx2 = 0 the rate is kR·drive: the target itself, in min⁻¹ units.
            let at_zero = OsteogenicState { runx2: 0.0, ..REST };
            rates(p, &at_zero, d).runx2 / per_h_to_per_min(p.runx2_relaxation_rate_per_h)
        };
        let unbounded = runx2_target(&p, &strong);
        assert!(unbounded > 4.0, "{unbounded}");
        // θR = 0 is the law without saturation, bit for bit.
        assert_eq!(saturated_drive_excess(&p, 3.7).to_bits(), 3.7_f64.to_bits());
        p.runx2_drive_saturation = 0.5;
        let saturated = runx2_target(&p, &strong);
        let excess = unbounded - 1.0;
        assert!((saturated - (1.0 + excess / (1.0 + 0.5 * excess))).abs() < 1e-12);
        assert!(saturated < 3.0, "at most 1 + 1/θR: {saturated}");
        // The cell's sensitivity scales the saturated excess.
        let sensitive = OsteogenicDrives {
            sensitivity: 1.5,
            ..strong
        };
        let scaled = runx2_target(&p, &sensitive);
        assert!((scaled - 1.0 - 1.5 * (saturated - 1.0)).abs() < 1e-12);
        // Rest stays rest.
        let r = rates(&p, &REST, &rest_drives());
        assert!(r.runx2.abs() < 1e-15);
    }

    #[test]
    fn rest_is_a_fixed_point() {
        let r = rates(&OsteogenicParams::default(), &REST, &rest_drives());
        for v in [r.runx2, r.alp, r.pit, r.bmp2, r.alpha_sma] {
            assert!(v.abs() < 1e-15);
        }
    }

    #[test]
    fn autocrine_bmp2_loop_is_stable_at_rest() {
        // A small Runx2 excess must decay: loop gain aRB/KRB * aBR < 1.
        let p = OsteogenicParams::default();
        let gain = p.bmp2_runx2_gain / p.bmp2_runx2_half_activation * p.runx2_bmp2_gain;
        assert!(gain < 1.0, "loop gain {gain}");
    }

    #[test]
    fn phosphate_and_exogenous_bmp2_drive_runx2() {
        let p = OsteogenicParams::default();
        let mut d = rest_drives();
        d.phosphate_intracellular = 2.0;
        assert!(rates(&p, &REST, &d).runx2 > 0.0);
        let mut d = rest_drives();
        d.bmp2_exogenous = 1.0;
        assert!(rates(&p, &REST, &d).runx2 > 0.0);
    }

    #[test]
    fn in_a_population_the_shared_bmp2_replaces_the_cells_own() {
        let p = OsteogenicParams::default();
        let secreting = OsteogenicState { bmp2: 2.0, ..REST };
        // Alone, the cell answers to its own BMP-2.
        let alone = rates(&p, &secreting, &rest_drives()).runx2;
        assert!(alone > 0.0);
        // Among neighbours that secrete nothing, to its share of the site's excess.
        let mut d = rest_drives();
        d.bmp2_paracrine = Some(0.0);
        assert!(rates(&p, &secreting, &d).runx2.abs() < 1e-15);
        d.bmp2_paracrine = Some(0.3);
        let shared = rates(&p, &secreting, &d).runx2;
        assert!(shared > 0.0 && shared < alone);
        // Where every cell secretes alike, the shared excess is its own: the same drive.
        d.bmp2_paracrine = Some(1.0);
        assert!((rates(&p, &secreting, &d).runx2 - alone).abs() < 1e-15);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<OsteogenicParams>();
    }
}
