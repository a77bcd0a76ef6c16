//! The catalog of inducers and interventions (`docs/model.md` §6; claims in `docs/model.md` §7.2).
//!
//! Each entry has an id, a display name, a dose unit and the typical experimental dose,
//! the model quantities it acts on ([`Effect`]s), the claim IDs it bears on and its
//! sources. A dose is used relative to the typical dose, `r = dose / typical` (docs/model.md
//! §6: a typical dose = 1):
//!
//! - additive effects (ER load, ions, cytokines, ROS, drug exposure) scale linearly with `r`;
//! - fractional blocks (`v` at `r = 1`) follow an Emax curve, `v r / (v r + 1 - v)`, which
//!   is 0 at no dose, `v` at the typical dose and tends to 1;
//! - multiplicative effects (`× f` at `r = 1`) scale as `f^r`;
//! - gene deletions and set values ignore the dose.

use crate::model::medium::Medium;
use crate::model::parameter_set::ModelParams;
use crate::model::parameters::ParamError;
use crate::model::surroundings::Surroundings;
use crate::model::upr_core::CoreKnockout;
use crate::units::{DAY, min_to_h};

/// Inducer or intervention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Drives ER stress or calcification.
    Inducer,
    /// A drug, gene manipulation or supplement tested against an inducer.
    Intervention,
}

/// A cytokine or danger signal of the surroundings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// TNF-α.
    TnfAlpha,
    /// IL-1β.
    Il1Beta,
    /// IL-6.
    Il6,
    /// Lipopolysaccharide.
    Lps,
    /// Reactive oxygen species.
    Ros,
    /// RAGE activation (AGEs).
    Rage,
    /// Exogenous BMP-2.
    Bmp2,
    /// Death-receptor signal other than TNF-α (Fas, oxysterols).
    ExtrinsicDeath,
}

/// A fluid component of the medium or plasma.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Solute {
    /// Calcium [mM].
    Calcium,
    /// Phosphate [mM].
    Phosphate,
    /// β-glycerophosphate [mM].
    BetaGlycerophosphate,
    /// Pyrophosphate [µM].
    Pyrophosphate,
    /// Fetuin-A [µM].
    FetuinA,
    /// Glucose [mM].
    Glucose,
}

/// A drug effect on the cell (`model::surroundings::DrugExposure`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Drug {
    /// Rapamycin [nM].
    Rapamycin,
    /// Chemical-chaperone folding gain `phi_chap`.
    ChaperoneFolding,
    /// Chemical-chaperone load relief `psi_chap` (fraction).
    ChaperoneLoadRelief,
    /// Autophagy block `eta3MA` (fraction).
    AutophagyBlock,
    /// Extra autophagy drive.
    AutophagyInduction,
    /// PiT block (fraction).
    PhosphateTransportBlock,
}

/// What an entry does to the model, at the typical dose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Adds direct ER client load `S_ext` [min⁻¹].
    ErStress(f64),
    /// Multiplies the direct ER load of all inducers (`S_ext`).
    ErStressScale(f64),
    /// Adds to a signal (dimensionless, 1 = typical dose).
    Signal(Signal, f64),
    /// Multiplies a signal (0 removes it: neutralising antibody, antagonist).
    SignalScale(Signal, f64),
    /// Adds to a solute of the medium or plasma (its unit).
    Solute(Solute, f64),
    /// Multiplies a solute of the medium or plasma.
    SoluteScale(Solute, f64),
    /// Adds drug exposure (additive drugs) or a fractional block (Emax in dose).
    Drug(Drug, f64),
    /// Multiplies a model parameter.
    ParamScale(&'static str, &'static str, f64),
    /// Sets a model parameter.
    ParamSet(&'static str, &'static str, f64),
    /// Deletes a gene.
    Knockout(CoreKnockout),
    /// Glucose fluctuating in a square wave from the treatment's start: `+amplitude_mm`
    /// [mM] above the medium's glucose for the first half of each `period_min` [min],
    /// the medium's level for the second half; with `swing_ros` (dimensionless, ROS
    /// units) of extra oxidative stress in the high half, the NADPH-oxidase/PKC burst
    /// that intermittent high glucose gives beyond constant high glucose (Quagliaro
    /// 2003 Diabetes 52:2795; Monnier 2006 JAMA 295:1681).
    GlucoseSwing {
        /// [mM] Rise above the medium's glucose in the high half.
        amplitude_mm: f64,
        /// [min] Period of the wave.
        period_min: f64,
        /// [1] Extra ROS in the high half.
        swing_ros: f64,
    },
}

/// The doses a scenario may give an entry, in its dose unit, and why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DoseRange {
    /// The smallest dose.
    pub min: f64,
    /// The largest dose.
    pub max: f64,
    /// Why these limits: a source, or `assumed` and the reason.
    pub basis: &'static str,
}

impl DoseRange {
    /// `[min, max] (basis)`, or `1 only (basis)` for an all-or-none entry.
    #[must_use]
    pub fn describe(&self) -> String {
        #[expect(clippy::float_cmp, reason = "the all-or-none range is exactly [1, 1]")]
        let single = self.min == self.max;
        if single {
            format!("{} only ({})", self.min, self.basis)
        } else {
            format!("[{}, {}] ({})", self.min, self.max, self.basis)
        }
    }

    /// Whether `dose` is finite and within the range.
    #[must_use]
    pub fn contains(&self, dose: f64) -> bool {
        dose.is_finite() && dose >= self.min && dose <= self.max
    }
}

/// Most entries: from none to ten times the typical dose.
const fn up_to_ten_typical(typical: f64) -> DoseRange {
    DoseRange {
        min: 0.0,
        max: 10.0 * typical,
        basis: "assumed: effects are calibrated at the typical dose and extrapolated \
                (linearly, by Emax or as a power); the catalog's sources do not reach \
                beyond ten times it",
    }
}

/// A gene deletion or a fixed manipulation: present (1) or not given.
const ALL_OR_NONE: DoseRange = DoseRange {
    min: 1.0,
    max: 1.0,
    basis: "all-or-none: a deletion or a set value has no graded dose (a partial loss is a \
            knockdown: atf4-knockdown, chop-sirna)",
};

/// A knockdown: the dose scales its strength, the residual level being `f^dose` of
/// the published knockdown's residual fraction `f`.
const KNOCKDOWN: DoseRange = DoseRange {
    min: 0.0,
    max: 1.0,
    basis: "the published knockdown (1) or a weaker one (residual fraction f^dose); a \
            stronger loss is the knockout",
};

/// One inducer or intervention.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// Identifier used in scenario and experiment files.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Inducer or intervention.
    pub kind: Kind,
    /// Unit of the dose.
    pub dose_unit: &'static str,
    /// The typical experimental dose (relative dose 1).
    pub typical_dose: f64,
    /// The doses a scenario may give, in [`Entry::dose_unit`].
    pub doses: DoseRange,
    /// What it acts on, at the typical dose.
    pub effects: &'static [Effect],
    /// The mechanism in words.
    pub mechanism: &'static str,
    /// Claim IDs of the review it bears on.
    pub claims: &'static [&'static str],
    /// Papers (and docs/model.md sections) it rests on.
    pub sources: &'static str,
}

use CoreKnockout as Ko;
use Drug as D;
use Effect as E;
use Signal as Sg;
use Solute as So;

/// Every inducer and intervention.
pub static CATALOG: &[Entry] = &[
    // ---- inducers -------------------------------------------------------------------
    Entry {
        id: "calcifying-medium",
        name: "CaCl2 + beta-glycerophosphate",
        kind: Kind::Inducer,
        dose_unit: "x (1 = +1 mM CaCl2, 10 mM beta-GP)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::Solute(So::Calcium, 1.0),
            E::Solute(So::BetaGlycerophosphate, 10.0),
        ],
        mechanism: "raises Ca and, through ALP hydrolysis of beta-GP, Pi: Ca x Pi ER stress, PiT/Runx2, mineral",
        claims: &["OS-1", "OS-3", "AP-1", "VC-1"],
        sources: "Duan 2013 Apoptosis 18:1132; docs/model.md §6.1",
    },
    Entry {
        id: "high-phosphate",
        name: "High phosphate",
        kind: Kind::Inducer,
        dose_unit: "mM added Pi",
        typical_dose: 2.0,
        doses: up_to_ten_typical(2.0),
        effects: &[E::Solute(So::Phosphate, 2.0)],
        mechanism: "PiT-1 uptake raises Pi_in: Runx2, mTORC1, autophagy; Ca x Pi ER stress; mineral above the threshold",
        claims: &["OS-1", "AU-1"],
        sources: "Jono 2000 Circ Res 87:e10; Dai 2013 Kidney Int 83:1042",
    },
    Entry {
        id: "bmp2",
        name: "BMP-2",
        kind: Kind::Inducer,
        dose_unit: "ng/mL",
        typical_dose: 100.0,
        doses: up_to_ten_typical(100.0),
        effects: &[E::Signal(Sg::Bmp2, 1.0)],
        mechanism: "Smad → Runx2; NADPH oxidase → ROS → ER stress → XBP1 → Runx2",
        claims: &["OS-2", "IN-11"],
        sources: "Liberman 2011 (not read in full); docs/model.md §6.1",
    },
    Entry {
        id: "stearic-acid",
        name: "Stearic acid (saturated fatty acid)",
        kind: Kind::Inducer,
        dose_unit: "µM",
        typical_dose: 300.0,
        doses: DoseRange {
            min: 0.0,
            max: 1500.0,
            basis: "muA4 × 1.5^(dose/300) stays within its documented range (ten times the \
                    published value) up to 1,700 µM; assumed: no more than five times the \
                    typical dose",
        },
        effects: &[
            E::ErStress(2.0),
            E::ParamSet("osteogenic", "cdk9_cyclin_t1_activity", 0.5),
            // CDK9-CyclinT1-activated ATF4 on Chop, as in cdk9-cyclin-t1-activation.
            E::ParamScale("upr_core", "chop_transcription_rate", 1.5),
        ],
        mechanism: "saturated phosphatidic acids → ER stress → PERK-eIF2a-ATF4; CDK9-CyclinT1 activates ATF4",
        claims: &["IN-1", "TX-3"],
        sources: "Masuda 2012, 2015 (not read in full); Shiozaki 2018 JBC 293:17008",
    },
    Entry {
        id: "homocysteine-hfd",
        name: "Homocysteine + high-fat diet",
        kind: Kind::Inducer,
        dose_unit: "x (1 = Hcy + HFD model)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::ErStress(1.5), E::Signal(Sg::Il6, 0.5)],
        mechanism: "ER stress and vascular inflammation (NF-κB)",
        claims: &["IN-2"],
        sources: "Ren 2019 J Cardiovasc Pharmacol Ther",
    },
    Entry {
        id: "7-ketocholesterol",
        name: "7-ketocholesterol / oxysterols",
        kind: Kind::Inducer,
        dose_unit: "µM",
        typical_dose: 20.0,
        doses: up_to_ten_typical(20.0),
        effects: &[E::ErStress(2.0), E::Signal(Sg::ExtrinsicDeath, 0.5)],
        mechanism: "oxysterol ER stress and apoptosis",
        claims: &["IN-3"],
        sources: "review [24]; docs/model.md §6.1",
    },
    Entry {
        id: "25-hydroxycholesterol",
        name: "25-hydroxycholesterol",
        kind: Kind::Inducer,
        dose_unit: "µM",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[
            E::ErStress(1.5),
            E::Signal(Sg::TnfAlpha, 0.3),
            E::Signal(Sg::Il1Beta, 0.3),
        ],
        mechanism: "raises TNF-a and IL-1b → ER stress, ATF4/CHOP, apoptosis",
        claims: &["IN-10"],
        sources: "review [32]",
    },
    Entry {
        id: "high-glucose",
        name: "High glucose",
        kind: Kind::Inducer,
        dose_unit: "mM added glucose",
        typical_dose: 19.5,
        doses: up_to_ten_typical(19.5),
        effects: &[E::Solute(So::Glucose, 19.5)],
        mechanism: "glucose ER stress and ROS, and protection from apoptosis (PKC, Bcl-xL; docs/model.md §6.1) (25 mM vs 5.5 mM)",
        claims: &["IN-4", "IN-5"],
        sources: "Xu 2019 Eur J Inflamm; Diabetol Metab Syndr 2019; Hall 2000 Circ Res 87:574",
    },
    Entry {
        id: "fluctuating-glucose",
        name: "Fluctuating glucose (square wave)",
        kind: Kind::Inducer,
        dose_unit: "mM rise in the high half",
        typical_dose: 19.5,
        doses: up_to_ten_typical(19.5),
        effects: &[E::GlucoseSwing {
            amplitude_mm: 19.5,
            period_min: DAY,
            // [1] assumed: Quagliaro 2003 report more ROS/apoptosis with 24-h
            // intermittent than constant high glucose, without a number; 1 ROS unit
            // = the xanthine/xanthine-oxidase dose. calibrated: IN-5 (the smallest
            // round value at which time-averaged GRP78 under the wave exceeds constant
            // 25 mM by the 5% effect floor with margin; 1.0 gave 1.05x).
            swing_ros: 1.5,
        }],
        mechanism: "glucose alternating 12 h high / 12 h at the medium's level (5.5 -> 25 mM); swings add an oxidative burst",
        claims: &["IN-5"],
        sources: "Diabetol Metab Syndr 2019; Quagliaro 2003 Diabetes 52:2795",
    },
    Entry {
        id: "ages",
        name: "Advanced glycation end products (via RAGE)",
        kind: Kind::Inducer,
        dose_unit: "µg/mL",
        typical_dose: 100.0,
        doses: up_to_ten_typical(100.0),
        effects: &[E::Signal(Sg::Rage, 1.0)],
        mechanism: "RAGE → ROS, NF-κB, persistent mTORC1",
        claims: &["IN-7", "AU-4"],
        sources: "Acta Pharmacol Sin 2014 (PMC4002782); Wei 2013",
    },
    Entry {
        id: "oxidised-ldl",
        name: "Oxidised LDL",
        kind: Kind::Inducer,
        dose_unit: "µg/mL",
        typical_dose: 50.0,
        doses: up_to_ten_typical(50.0),
        effects: &[E::ErStress(1.5)],
        mechanism: "lipid ER stress; combine with high-glucose for IN-6",
        claims: &["IN-6"],
        sources: "review [28]",
    },
    Entry {
        id: "tnf-alpha",
        name: "TNF-alpha",
        kind: Kind::Inducer,
        dose_unit: "ng/mL",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Signal(Sg::TnfAlpha, 1.0)],
        mechanism: "NF-κB → Runx2/BMP-2; extrinsic apoptosis; mild ER stress",
        claims: &["IN-8"],
        sources: "SelS 2018 (PMID 29721770); docs/model.md §6.1",
    },
    Entry {
        id: "il-1beta",
        name: "IL-1beta",
        kind: Kind::Inducer,
        dose_unit: "ng/mL",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Signal(Sg::Il1Beta, 1.0)],
        mechanism: "NF-κB drive",
        claims: &["IN-10"],
        sources: "docs/model.md §6.1",
    },
    Entry {
        id: "il-6",
        name: "IL-6",
        kind: Kind::Inducer,
        dose_unit: "ng/mL",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Signal(Sg::Il6, 1.0)],
        mechanism: "NF-κB drive",
        claims: &["IN-8"],
        sources: "docs/model.md §6.1",
    },
    Entry {
        id: "lps",
        name: "Lipopolysaccharide",
        kind: Kind::Inducer,
        dose_unit: "µg/mL",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::Signal(Sg::Lps, 1.0)],
        mechanism: "TLR4 → NF-κB",
        claims: &["IN-9"],
        sources: "SelS 2018 (PMID 29721770)",
    },
    Entry {
        id: "xanthine-oxidase",
        name: "Xanthine / xanthine oxidase",
        kind: Kind::Inducer,
        dose_unit: "x (1 = X/XO)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::Signal(Sg::Ros, 1.0)],
        mechanism: "oxidative stress → ER stress, apoptosis, ALP, Runx2",
        claims: &["IN-12"],
        sources: "Liu 2014 J Biol Inorg Chem",
    },
    Entry {
        id: "vitamin-d3-nicotine",
        name: "Vitamin D3 + nicotine (VDN rat)",
        kind: Kind::Inducer,
        dose_unit: "x (1 = VDN model)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            // Hypercalcaemia and hyperphosphataemia of vitamin D toxicity: +30% Ca,
            // +50% Pi (assumed within the +20-40% Ca and +30-60% Pi reported for VDN
            // rats; calibrated: AP-3 so that the media mineralises, Π above Π_het).
            E::SoluteScale(So::Calcium, 1.3),
            E::SoluteScale(So::Phosphate, 1.5),
            E::ErStress(6.0),
        ],
        mechanism: "systemic Ca (+30%) and Pi (+50%); strong chronic ER stress; caspase-12 about 3x, p-JNK unchanged",
        claims: &["AP-3", "AP-4", "TX-5"],
        sources: "Shi 2019 Int J Biol Sci 15:138",
    },
    Entry {
        id: "high-dose-vitamin-d",
        name: "High-dose vitamin D",
        kind: Kind::Inducer,
        dose_unit: "x",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::SoluteScale(So::Calcium, 1.3),
            E::SoluteScale(So::Phosphate, 1.3),
            E::ErStress(8.0),
        ],
        mechanism: "hypercalcaemia and acute ER stress (CHOP about 10x early)",
        claims: &["AP-3"],
        sources: "review [14]",
    },
    Entry {
        id: "ckd-uremia",
        name: "CKD / uraemic milieu",
        kind: Kind::Inducer,
        dose_unit: "x (1 = CKD)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::Solute(So::Phosphate, 1.3),
            E::Signal(Sg::Rage, 1.0),
            E::ParamSet("mtorc1", "ckd_sestrin_responsiveness", 0.3),
            E::SoluteScale(So::Pyrophosphate, 0.69),
            E::SoluteScale(So::FetuinA, 0.7),
        ],
        mechanism: "hyperphosphataemia, RAGE, blunted Sestrin (persistent mTORC1), PPi 2.26 vs 3.26 µM, fetuin-A -30%",
        claims: &["AU-4"],
        sources: "uraemia/mTORC1 paper; Lomashvili 2005 J Am Soc Nephrol 16:2495",
    },
    Entry {
        id: "thapsigargin",
        name: "Thapsigargin",
        kind: Kind::Inducer,
        dose_unit: "nM",
        typical_dose: 2.5,
        doses: up_to_ten_typical(2.5),
        effects: &[E::ErStress(2.0)],
        mechanism: "SERCA block: direct ER stress (S = 2 per 2.5 nM)",
        claims: &["ER-2"],
        sources: "Diedrichs 2018; Rutkowski 2006",
    },
    Entry {
        id: "tunicamycin",
        name: "Tunicamycin",
        kind: Kind::Inducer,
        dose_unit: "µg/mL",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::ErStress(4.0)],
        mechanism: "N-glycosylation block: direct ER stress",
        claims: &["ER-2"],
        sources: "Furmanik 2021 (positive control); S per dose assumed",
    },
    Entry {
        id: "warfarin",
        name: "Warfarin",
        kind: Kind::Inducer,
        dose_unit: "µM",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[
            E::ErStress(1.0),
            E::ParamScale("mineral", "matrix_gla_protein", 0.3),
        ],
        mechanism: "PERK-ATF4 ER stress and MGP inactivation",
        claims: &["TX-7"],
        sources: "Furmanik 2021 ATVB",
    },
    Entry {
        id: "warfarin-vitamin-k",
        name: "Warfarin + vitamin K (rat regimen)",
        kind: Kind::Inducer,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::ErStress(1.0),
            E::ParamSet("mineral", "matrix_gla_protein", 0.0),
        ],
        mechanism: "high-dose warfarin with vitamin K in vivo: extra-hepatic MGP γ-carboxylation \
                    blocked (carboxylated MGP 0, assumed complete; the vitamin K keeps the \
                    liver's clotting factors carboxylated) and warfarin's PERK-ATF4 ER load as \
                    in culture",
        claims: &["TX-7"],
        sources: "Price 1998 ATVB 18:1400 (the regimen inactivates MGP; serum Ca and Pi \
                  unchanged); ER load as the warfarin entry (Furmanik 2021 ATVB)",
    },
    // ---- interventions --------------------------------------------------------------
    Entry {
        id: "4-pba",
        name: "4-phenylbutyrate",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 5.0,
        doses: up_to_ten_typical(5.0),
        effects: &[
            E::Drug(D::ChaperoneFolding, 0.75),
            E::Drug(D::ChaperoneLoadRelief, 0.3),
        ],
        mechanism: "chemical chaperone: folding capacity up, client load down",
        claims: &["IN-8", "TX-1"],
        sources: "Duan 2013; Ren 2019; docs/model.md §6.2",
    },
    Entry {
        id: "tudca",
        name: "Tauroursodeoxycholic acid",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 0.5,
        doses: up_to_ten_typical(0.5),
        effects: &[
            E::Drug(D::ChaperoneFolding, 0.75),
            E::Drug(D::ChaperoneLoadRelief, 0.3),
        ],
        mechanism: "chemical chaperone",
        claims: &["IN-8", "TX-2", "AU-4"],
        sources: "review [30], [35]; docs/model.md §6.2",
    },
    Entry {
        id: "taurine",
        name: "Taurine",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Drug(D::ChaperoneFolding, 0.3)],
        mechanism: "weaker ER-stress inhibitor",
        claims: &["TX-1"],
        sources: "Duan 2013",
    },
    Entry {
        id: "rapamycin",
        name: "Rapamycin",
        kind: Kind::Intervention,
        dose_unit: "nM",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Drug(D::Rapamycin, 10.0)],
        mechanism: "mTORC1 inhibition: less client load, more autophagy",
        claims: &["AU-4"],
        sources: "uraemia/mTORC1 paper; Zhao 2015 Kidney Int 88:711",
    },
    Entry {
        id: "3-ma",
        name: "3-methyladenine",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 5.0,
        doses: up_to_ten_typical(5.0),
        effects: &[E::Drug(D::AutophagyBlock, 0.7)],
        mechanism: "autophagy block: more ER stress and vesicle release",
        claims: &["AU-3", "AU-1"],
        sources: "Dai 2013 Kidney Int 83:1042",
    },
    Entry {
        id: "valproate",
        name: "Valproate",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::Drug(D::AutophagyInduction, 1.0)],
        mechanism: "autophagy inducer (drive x2)",
        claims: &["AU-1"],
        sources: "Dai 2013",
    },
    Entry {
        id: "fgf21",
        name: "FGF21",
        kind: Kind::Intervention,
        dose_unit: "x (1 = treatment)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::Drug(D::ChaperoneLoadRelief, 0.4),
            E::ParamScale("apoptosis", "caspase12_route_weight", 0.5),
            E::ParamScale("apoptosis", "chop_route_weight", 0.5),
        ],
        mechanism: "anti-ER-stress and anti-apoptotic (CHOP and caspase-12 routes), no JNK effect",
        claims: &["AP-5"],
        sources: "Shi 2019 Int J Biol Sci 15:138",
    },
    Entry {
        id: "epo",
        name: "Erythropoietin",
        kind: Kind::Intervention,
        dose_unit: "x (1 = treatment)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::Drug(D::ChaperoneLoadRelief, 0.3),
            E::ParamScale("apoptosis", "maximal_stress_hazard_per_h", 0.5),
        ],
        mechanism: "EPOR: less ER stress and ER-stress apoptosis",
        claims: &["TX-4"],
        sources: "review [37] (primary not located)",
    },
    Entry {
        id: "selenite",
        name: "Sodium selenite",
        kind: Kind::Intervention,
        dose_unit: "µM",
        typical_dose: 0.5,
        doses: up_to_ten_typical(0.5),
        effects: &[
            E::SignalScale(Sg::Ros, 0.3),
            E::SignalScale(Sg::TnfAlpha, 0.5),
            E::SignalScale(Sg::Lps, 0.5),
        ],
        mechanism: "selenoprotein antioxidant: ROS and NF-κB down",
        claims: &["IN-12"],
        sources: "Liu 2010, 2014",
    },
    Entry {
        id: "selenoprotein-s-knockout",
        name: "Selenoprotein S knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::SignalScale(Sg::Ros, 1.5),
            E::SignalScale(Sg::TnfAlpha, 1.5),
            E::SignalScale(Sg::Lps, 1.5),
            E::ErStress(0.5),
        ],
        mechanism: "loss of ERAD component: more ER stress and inflammation",
        claims: &["IN-9"],
        sources: "SelS 2018 (PMID 29721770)",
    },
    Entry {
        id: "simvastatin-ezetimibe",
        name: "Simvastatin + ezetimibe",
        kind: Kind::Intervention,
        dose_unit: "x (1 = treatment)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            // docs/model.md §6.2: s_ox and s_oxLDL x 0.5 (oxysterol levels halved).
            E::ErStressScale(0.5),
            E::SignalScale(Sg::ExtrinsicDeath, 0.5),
        ],
        mechanism: "lower oxysterols: less lipid ER stress",
        claims: &["IN-3"],
        sources: "review [24]",
    },
    Entry {
        id: "intermedin",
        name: "Intermedin1-53",
        kind: Kind::Intervention,
        dose_unit: "x (1 = treatment)",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::Drug(D::ChaperoneLoadRelief, 0.5),
            E::ParamScale("osteogenic", "phosphate_runx2_gain", 0.5),
        ],
        mechanism: "cAMP/PKA: ER stress down; Klotho up (less Pi-driven Runx2)",
        claims: &["IN-2"],
        sources: "Ren 2019; Chang 2016 Kidney Int",
    },
    Entry {
        id: "anti-tnf",
        name: "TNF-alpha neutralising antibody",
        kind: Kind::Intervention,
        dose_unit: "x",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::SignalScale(Sg::TnfAlpha, 0.0)],
        mechanism: "removes TNF-a",
        claims: &["IN-8"],
        sources: "review [30]",
    },
    Entry {
        id: "rage-antagonist",
        name: "RAGE antagonist",
        kind: Kind::Intervention,
        dose_unit: "x",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::SignalScale(Sg::Rage, 0.0)],
        mechanism: "blocks AGE signalling",
        claims: &["IN-7"],
        sources: "review [29]",
    },
    Entry {
        id: "ganglion-block",
        name: "Sympathetic ganglion block",
        kind: Kind::Intervention,
        dose_unit: "x",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[
            E::SignalScale(Sg::TnfAlpha, 0.5),
            E::SignalScale(Sg::Il6, 0.5),
            E::ErStressScale(0.8),
        ],
        mechanism: "less systemic catecholamine and inflammatory drive (qualitative)",
        claims: &["TX-5"],
        sources: "review [16]",
    },
    Entry {
        id: "cdk9-cyclin-t1-activation",
        name: "CDK9-CyclinT1 activation",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::ParamSet("osteogenic", "cdk9_cyclin_t1_activity", 0.5),
            // ATF4 phosphorylated by CDK9-CyclinT1 transactivates Chop: its
            // transcription scales with (1 + phi_T1) like the osteogenic targets
            // (Shiozaki 2018; docs/model.md §6.2).
            E::ParamScale("upr_core", "chop_transcription_rate", 1.5),
        ],
        mechanism: "ATF4 phosphorylation → CHOP",
        claims: &["TX-3"],
        sources: "Shiozaki 2018",
    },
    Entry {
        id: "cdk9-inhibitor",
        name: "CDK9 inhibition / CyclinT1 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::ParamSet("osteogenic", "cdk9_cyclin_t1_activity", -0.5),
            // Chop transcription scales with (1 + phi_T1) (Shiozaki 2018).
            E::ParamScale("upr_core", "chop_transcription_rate", 0.5),
        ],
        mechanism: "less ATF4 activity",
        claims: &["TX-3"],
        sources: "Shiozaki 2018",
    },
    Entry {
        id: "cyclin-t2k-knockout",
        name: "CyclinT2/K knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::ParamSet("osteogenic", "cyclin_t2k_activity", -0.3),
            // Losing the T2/K brake raises ATF4 activity on Chop by (1 + 0.3)
            // (Shiozaki 2018).
            E::ParamScale("upr_core", "chop_transcription_rate", 1.3),
        ],
        mechanism: "loss of the ATF4 brake: more ATF4 activity",
        claims: &["TX-3"],
        sources: "Shiozaki 2018",
    },
    Entry {
        id: "atf4-knockdown",
        name: "ATF4 siRNA",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: KNOCKDOWN,
        effects: &[E::ParamScale("upr_core", "atf4_translation_rate", 0.25)],
        mechanism: "ATF4 synthesis x0.25 (CHOP 3.3 → 1.4 at S = 4)",
        claims: &["OS-3"],
        sources: "Duan 2013; docs/model.md §3.5",
    },
    Entry {
        id: "atf4-knockout",
        name: "ATF4 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Atf4)],
        mechanism: "no ATF4",
        claims: &["OS-3", "OS-4"],
        sources: "Diedrichs 2018; Masuda 2016",
    },
    Entry {
        id: "chop-knockout",
        name: "CHOP knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Chop)],
        mechanism: "no CHOP",
        claims: &["IN-10", "TX-6"],
        sources: "Shiozaki 2018; review [32]",
    },
    Entry {
        id: "chop-sirna",
        name: "CHOP siRNA",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: KNOCKDOWN,
        effects: &[E::ParamScale("upr_core", "chop_transcription_rate", 0.2)],
        mechanism: "Chop transcription x0.2",
        claims: &["TX-6"],
        sources: "review [38]",
    },
    Entry {
        id: "xbp1-overexpression",
        name: "XBP1s overexpression",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: DoseRange {
            min: 0.0,
            max: 2.0,
            basis: "ksp × 3^dose stays within its documented range (ten times the published \
                    value) up to dose 2.09",
        },
        effects: &[E::ParamScale("upr_core", "xbp1_splicing_rate", 3.0)],
        mechanism: "more XBP1s (splicing x3, assumed proxy for overexpression)",
        claims: &["OS-2"],
        sources: "review [11]",
    },
    Entry {
        id: "xbp1-smc-deletion",
        name: "SMC-specific XBP1 deletion",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::Knockout(Ko::Xbp1),
            E::ParamSet("osteogenic", "xbp1u_beta_catenin_gain", 1.0),
        ],
        mechanism: "no XBP1s and no XBP1u: beta-catenin released → Runx2",
        claims: &["OS-2"],
        sources: "Yang 2022 Circ Res",
    },
    Entry {
        id: "enpp1-knockout",
        name: "ENPP1 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::ParamSet("osteogenic", "enpp1_expression", 0.0)],
        mechanism: "no PPi production",
        claims: &["TX-6"],
        sources: "O'Neill 2011 Kidney Int 79:512",
    },
    Entry {
        id: "enpp1-deficiency",
        name: "ENPP1 deficiency (germline, as in GACI and Enpp1 ttw/asj mice)",
        kind: Kind::Inducer,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[
            E::ParamSet("osteogenic", "enpp1_expression", 0.0),
            E::SoluteScale(So::Pyrophosphate, 0.1),
        ],
        mechanism: "whole-body loss of ENPP1: the wall's cells make no PPi (as enpp1-knockout) \
                    and plasma PPi falls to a tenth of normal (assumed: the human figure; \
                    ENPP1-deficient mice have 'significantly reduced' plasma PPi, no number read); \
                    in a well the medium holds no PPi of the organism's, so only a PPi given \
                    to the medium is scaled",
        claims: &["TX-6"],
        sources: "plasma PPi 10% of normal with pathogenic ENPP1 variants (review figure legend, \
                  PMC11062289 Fig. 1; measurement not shown); Li 2014 PLoS One, PMC4257536 \
                  (Enpp1 asj-2J mice: plasma PPi significantly reduced, arterial mineralisation)",
    },
    Entry {
        id: "perk-knockout",
        name: "PERK knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Perk)],
        mechanism: "no p-PERK",
        claims: &["ER-3"],
        sources: "Diedrichs 2018",
    },
    Entry {
        id: "ire1-knockout",
        name: "IRE1 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Ire1)],
        mechanism: "no p-IRE1",
        claims: &["ER-4"],
        sources: "Diedrichs 2018",
    },
    Entry {
        id: "atf6-knockout",
        name: "ATF6 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Atf6)],
        mechanism: "no ATF6(N)",
        claims: &["ER-5"],
        sources: "Diedrichs 2018",
    },
    Entry {
        id: "gadd34-knockout",
        name: "GADD34 knockout",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: &[E::Knockout(Ko::Gadd34)],
        mechanism: "no GADD34: p-eIF2a stays high",
        claims: &["ER-3"],
        sources: "Diedrichs 2018",
    },
    Entry {
        id: "ppi-supplementation",
        name: "Pyrophosphate supplementation",
        kind: Kind::Intervention,
        dose_unit: "µM added PPi",
        typical_dose: 3.0,
        doses: up_to_ten_typical(3.0),
        effects: &[E::Solute(So::Pyrophosphate, 3.0)],
        mechanism: "mineral inhibitor",
        claims: &["TX-6"],
        sources: "O'Neill 2011 (aortic Ca -70%)",
    },
    Entry {
        id: "pyrophosphatase",
        name: "Inorganic pyrophosphatase (added to the medium)",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: PPI_HYDROLYSIS_IN_MEDIUM,
        mechanism: "hydrolyses the PPi of the wall or pericellular fluid (first order, \
                    10⁴ h⁻¹: enzyme in excess, assumed)",
        claims: &["TX-6"],
        sources: "Lomashvili 2004 J Am Soc Nephrol 15:1392 (aortic rings calcify with it)",
    },
    Entry {
        id: "alkaline-phosphatase",
        name: "Alkaline phosphatase (added to the medium)",
        kind: Kind::Intervention,
        dose_unit: "–",
        typical_dose: 1.0,
        doses: ALL_OR_NONE,
        effects: PPI_HYDROLYSIS_IN_MEDIUM,
        mechanism: "hydrolyses the PPi of the wall or pericellular fluid (first order, \
                    10⁴ h⁻¹: enzyme in excess, assumed); its other substrates (ATP, \
                    β-glycerophosphate, phosphoproteins) are not represented",
        claims: &["TX-6"],
        sources: "Lomashvili 2004 J Am Soc Nephrol 15:1392 (aortic rings calcify along the \
                  elastic lamina with it)",
    },
    Entry {
        id: "fetuin-a",
        name: "Fetuin-A",
        kind: Kind::Intervention,
        dose_unit: "µM added",
        typical_dose: 10.0,
        doses: up_to_ten_typical(10.0),
        effects: &[E::Solute(So::FetuinA, 10.0)],
        mechanism: "mineral and vesicle inhibitor",
        claims: &["VC-1"],
        sources: "Reynolds 2005 J Am Soc Nephrol 16:2920",
    },
    Entry {
        id: "zvad",
        name: "Z-VAD-FMK (caspase inhibitor)",
        kind: Kind::Intervention,
        dose_unit: "µM",
        typical_dose: 50.0,
        doses: up_to_ten_typical(50.0),
        // A pan-caspase inhibitor blocks execution of basal and stress-induced
        // apoptosis alike.
        effects: &[
            E::ParamScale("apoptosis", "maximal_stress_hazard_per_h", 0.1),
            E::ParamScale("apoptosis", "basal_hazard_per_h", 0.1),
            E::ParamScale("apoptosis", "basal_hazard_in_vivo_per_h", 0.1),
        ],
        mechanism: "caspase-dependent apoptosis (basal and stress-induced) x0.1",
        claims: &["AP-1"],
        sources: "Proudfoot 2000 Circ Res 87:1055 (Ca -40%)",
    },
    Entry {
        id: "atorvastatin",
        name: "Atorvastatin (Gas6-Axl survival)",
        kind: Kind::Intervention,
        dose_unit: "µM",
        typical_dose: 0.1,
        doses: up_to_ten_typical(0.1),
        // [1] assumed: in human aortic SMCs statins prevent the apoptosis that Pi
        // induces by restoring Gas6-Axl survival signalling, which Pi suppresses, and
        // not through Pi transport (Son 2006, abstract: no size given). "Prevent" is
        // read as a block of Z-VAD's size (x0.1), applied to the stress-induced hazards
        // (the ER-stress routes' `h1` and the deposits' `h_HA`: Pi-induced apoptosis);
        // basal turnover is left alone (Z-VAD's entry scales `h1` and the basal hazards).
        // Son's effect is concentration-dependent; the full block at 0.1 uM, the dose
        // of the paper's -49%, is assumed. No lipid lowering: a culture has no plasma
        // lipids.
        effects: &[
            E::ParamScale("apoptosis", "maximal_stress_hazard_per_h", 0.1),
            E::ParamScale("mineral", "crystal_death_hazard_max_per_h", 0.1),
        ],
        mechanism: "restores Gas6-Axl survival signalling that Pi suppresses: stress- and deposit-induced apoptosis x0.1 (basal turnover and Pi transport unchanged)",
        claims: &["AP-1"],
        sources: "Son 2006 Circ Res 98:1024 (PMID 16556867)",
    },
    Entry {
        id: "iron-citrate",
        name: "Iron citrate (Fe3+)",
        kind: Kind::Intervention,
        dose_unit: "µM Fe3+",
        typical_dose: 50.0,
        doses: up_to_ten_typical(50.0),
        // [1] In rat VSMCs in 5 mM Pi, 50 µM Fe3+ "completely prevents" the apoptosis Pi
        // induces (DNA fragmentation 1.51 -> 1.03; through Gas6-Axl) and stimulates
        // autophagy (LC3-II flux); Runx2's rise is unchanged (Ciceri 2016, abstract).
        // The apoptosis block is read as atorvastatin's (x0.1 of the stress-induced
        // hazards, assumed); the autophagy drive as valproate's (x2, assumed: the
        // abstract gives no fold). Its BMP-2 effect (the rise prevented) is left out:
        // Runx2, which the model's BMP-2 feeds, did not change. Its rise in osteopontin
        // (a mineral inhibitor) is not represented either: osteopontin is a readout.
        effects: &[
            E::ParamScale("apoptosis", "maximal_stress_hazard_per_h", 0.1),
            E::ParamScale("mineral", "crystal_death_hazard_max_per_h", 0.1),
            E::Drug(D::AutophagyInduction, 1.0),
        ],
        mechanism: "prevents Pi-induced apoptosis (Gas6-Axl; stress- and deposit-induced hazards x0.1) and induces autophagy (drive x2); Runx2 unchanged",
        claims: &["AP-1", "AU-1"],
        sources: "Ciceri 2016 Atherosclerosis (PMID 27716569); Ciceri 2019 Int J Mol Sci 20:5925",
    },
    Entry {
        id: "pfa",
        name: "Phosphonoformic acid",
        kind: Kind::Intervention,
        dose_unit: "mM",
        typical_dose: 1.0,
        doses: up_to_ten_typical(1.0),
        effects: &[E::Drug(D::PhosphateTransportBlock, 0.8)],
        mechanism: "PiT block (PiT x0.2)",
        claims: &["OS-1"],
        sources: "Jono 2000",
    },
    Entry {
        id: "levamisole",
        name: "Levamisole (TNAP inhibitor)",
        kind: Kind::Intervention,
        dose_unit: "µM",
        typical_dose: 7.2,
        doses: up_to_ten_typical(7.2),
        effects: &[
            E::ParamScale("mineral", "bgp_hydrolysis_vmax_per_h", 0.5),
            E::ParamScale("mineral", "serum_bgp_hydrolysis_vmax_per_h", 0.5),
            E::ParamScale("mineral", "ppi_hydrolysis_clearance_per_h", 0.5),
        ],
        mechanism: "ALP (TNAP) activity halved at the IC50, the cells' and the serum's: less beta-GP and PPi hydrolysis",
        claims: &["VC-1"],
        sources: "Azpiazu 2018 Sci Rep 8:11089 (IC50 7.2 µM)",
    },
];

/// [h⁻¹] PPi hydrolysis in the wall or pericellular fluid by an enzyme added to the
/// medium (the pyrophosphatase and alkaline-phosphatase entries). Assumed: the papers add
/// the enzyme in excess and do not give its activity. An addition of about 1 U/mL
/// (1 µmol min⁻¹ mL⁻¹) acting on µM PPi with a Km of a few µM (assumed) hydrolyses PPi at
/// about 200 min⁻¹, i.e. 10⁴ h⁻¹, in free solution, taken to reach the interstitial fluid
/// of a ring over its days in culture. A wall's own TNAP clears PPi at about 20 h⁻¹ per
/// unit ALP. The value matters: at 10³ h⁻¹ a ring's PPi stays about 4 times higher, at
/// 10⁵ h⁻¹ about 8 times lower (docs/model.md §5.2).
pub const EXOGENOUS_PPI_HYDROLYSIS_PER_H: f64 = 1.0e4;

/// The effect of an enzyme added to the medium that hydrolyses PPi (the pyrophosphatase
/// and alkaline-phosphatase entries: in the model only their PPi hydrolysis acts).
const PPI_HYDROLYSIS_IN_MEDIUM: &[Effect] = &[Effect::ParamSet(
    "mineral",
    "exogenous_ppi_hydrolysis_rate_per_h",
    EXOGENOUS_PPI_HYDROLYSIS_PER_H,
)];

/// The entry with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Entry> {
    CATALOG.iter().find(|e| e.id == id)
}

/// Emax scaling of a fractional block: `v` at relative dose 1, 0 at 0, towards 1.
#[must_use]
pub fn fractional(value: f64, relative_dose: f64) -> f64 {
    let x = value * relative_dose;
    if x <= 0.0 { 0.0 } else { x / (x + 1.0 - value) }
}

fn is_fraction(drug: Drug) -> bool {
    matches!(
        drug,
        Drug::ChaperoneLoadRelief | Drug::AutophagyBlock | Drug::PhosphateTransportBlock
    )
}

impl Entry {
    /// Applies the static (whole-run) effects to the parameters and knockouts.
    ///
    /// # Errors
    /// A parameter change outside the parameter's allowed range.
    pub fn apply_to_params(
        &self,
        relative_dose: f64,
        params: &mut ModelParams,
        knockouts: &mut Vec<CoreKnockout>,
    ) -> Result<(), ParamError> {
        self.apply_to_params_in_part(relative_dose, 1.0, params, knockouts)
    }

    /// [`Entry::apply_to_params`] for a `share` (0-1) of the way through an onset
    /// ([`Treatment::onset_min`](super::Treatment::onset_min)): a scaling acts at the
    /// relative dose times `share`, a parameter set moves `share` of the way from its
    /// current value to the set one. A share of 1 is the full effect.
    ///
    /// # Errors
    /// The first parameter taken out of its range.
    pub fn apply_to_params_in_part(
        &self,
        relative_dose: f64,
        share: f64,
        params: &mut ModelParams,
        knockouts: &mut Vec<CoreKnockout>,
    ) -> Result<(), ParamError> {
        let current_of = |params: &ModelParams, module: &str, field: &str| {
            params
                .rows()
                .into_iter()
                .find(|r| r.module == module && r.field == field)
                .map_or(f64::NAN, |r| r.value)
        };
        let partial = share < 1.0;
        for effect in self.effects {
            match *effect {
                Effect::ParamScale(module, field, factor) => {
                    let current = current_of(params, module, field);
                    let dose = if partial {
                        relative_dose * share
                    } else {
                        relative_dose
                    };
                    params.set(module, field, current * factor.powf(dose))?;
                }
                Effect::ParamSet(module, field, value) if partial => {
                    let current = current_of(params, module, field);
                    params.set(module, field, share.mul_add(value - current, current))?;
                }
                Effect::ParamSet(module, field, value) => params.set(module, field, value)?,
                Effect::Knockout(knockout) if !knockouts.contains(&knockout) => {
                    knockouts.push(knockout);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the entry changes genes or parameters (gene deletions hold for the whole
    /// run; parameter changes for a time window switch the model at coupling steps).
    #[must_use]
    pub fn changes_genes_or_parameters(&self) -> bool {
        self.effects.iter().any(|e| {
            matches!(
                e,
                Effect::ParamScale(..) | Effect::ParamSet(..) | Effect::Knockout(_)
            )
        })
    }

    /// Whether the entry changes the medium or plasma composition.
    #[must_use]
    pub fn changes_solutes(&self) -> bool {
        self.effects
            .iter()
            .any(|e| matches!(e, Effect::Solute(..) | Effect::SoluteScale(..)))
    }

    /// Applies the effects on the medium or plasma.
    pub fn apply_to_medium(&self, relative_dose: f64, medium: &mut Medium) {
        for effect in self.effects {
            let (solute, add, scale) = match *effect {
                Effect::Solute(s, v) => (s, v * relative_dose, 1.0),
                Effect::SoluteScale(s, f) => (s, 0.0, f.powf(relative_dose)),
                _ => continue,
            };
            let value = match solute {
                Solute::Calcium => &mut medium.fluid.calcium,
                Solute::Phosphate => &mut medium.fluid.phosphate,
                Solute::BetaGlycerophosphate => &mut medium.fluid.beta_glycerophosphate,
                Solute::Pyrophosphate => &mut medium.fluid.pyrophosphate,
                Solute::FetuinA => &mut medium.fluid.fetuin_a,
                Solute::Glucose => &mut medium.glucose,
            };
            *value = (*value * scale + add).max(0.0);
        }
    }

    /// Applies the effects a cell senses: ER load, signals and drugs.
    /// `since_start_min` is the time since the treatment started [min] (for schedules).
    pub fn apply_to_surroundings(
        &self,
        relative_dose: f64,
        since_start_min: f64,
        s: &mut Surroundings,
    ) {
        for effect in self.effects {
            match *effect {
                Effect::GlucoseSwing {
                    amplitude_mm,
                    period_min,
                    swing_ros,
                } if since_start_min.rem_euclid(period_min) < 0.5 * period_min => {
                    s.glucose += amplitude_mm * relative_dose;
                    s.ros += swing_ros * relative_dose;
                }
                Effect::ErStress(v) => s.er_stress += v * relative_dose,
                Effect::ErStressScale(f) => s.er_stress *= f.powf(relative_dose),
                Effect::Signal(signal, v) => *signal_of(s, signal) += v * relative_dose,
                // An antioxidant (or its loss) acts on all ROS, exogenous and induced.
                Effect::SignalScale(Signal::Ros, f) => s.ros_scale *= f.powf(relative_dose),
                Effect::SignalScale(signal, f) => *signal_of(s, signal) *= f.powf(relative_dose),
                Effect::Drug(drug, v) => {
                    let d = &mut s.drugs;
                    let target = match drug {
                        Drug::Rapamycin => &mut d.rapamycin,
                        Drug::ChaperoneFolding => &mut d.chaperone_folding_gain,
                        Drug::ChaperoneLoadRelief => &mut d.chaperone_load_relief,
                        Drug::AutophagyBlock => &mut d.autophagy_block,
                        Drug::AutophagyInduction => &mut d.autophagy_induction,
                        Drug::PhosphateTransportBlock => &mut d.phosphate_transport_block,
                    };
                    if is_fraction(drug) {
                        // Combine independent blocks: 1 - (1 - a)(1 - b).
                        let block = fractional(v, relative_dose);
                        *target = 1.0 - (1.0 - *target) * (1.0 - block);
                        if drug == Drug::ChaperoneLoadRelief {
                            *target = target.min(0.99);
                        }
                    } else {
                        *target += v * relative_dose;
                    }
                }
                _ => {}
            }
        }
    }
}

impl Effect {
    /// The effect at the typical dose, in words and units.
    #[must_use]
    pub fn describe(&self) -> String {
        match *self {
            Self::ErStress(v) => format!("ER load S_ext +{v} min⁻¹"),
            Self::ErStressScale(f) => format!("ER load S_ext ×{f}"),
            Self::Signal(signal, v) => format!("{} +{v}", signal_name(signal)),
            Self::SignalScale(signal, f) => format!("{} ×{f}", signal_name(signal)),
            Self::Solute(solute, v) => {
                let (name, unit) = solute_name(solute);
                format!("{name} +{v} {unit}")
            }
            Self::SoluteScale(solute, f) => format!("{} ×{f}", solute_name(solute).0),
            Self::Drug(drug, v) => match drug {
                Drug::Rapamycin => format!("rapamycin {v} nM"),
                Drug::ChaperoneFolding => format!("chaperone folding gain phi_chap {v}"),
                Drug::ChaperoneLoadRelief => format!("client-load relief psi_chap {v}"),
                Drug::AutophagyBlock => format!("autophagy block eta_3MA {v}"),
                Drug::AutophagyInduction => format!("autophagy drive +{v}×"),
                Drug::PhosphateTransportBlock => format!("PiT block {v}"),
            },
            Self::ParamScale(module, field, f) => format!("{module}.{field} ×{f}"),
            Self::ParamSet(module, field, v) => format!("{module}.{field} = {v}"),
            Self::Knockout(k) => format!("{} deletion", k.name().to_uppercase()),
            Self::GlucoseSwing {
                amplitude_mm,
                period_min,
                swing_ros,
            } => format!(
                "glucose +{amplitude_mm} mM in the first half of every {} h (ROS +{swing_ros} then)",
                min_to_h(period_min)
            ),
        }
    }
}

const fn signal_name(signal: Signal) -> &'static str {
    match signal {
        Signal::TnfAlpha => "TNF-α",
        Signal::Il1Beta => "IL-1β",
        Signal::Il6 => "IL-6",
        Signal::Lps => "LPS",
        Signal::Ros => "ROS",
        Signal::Rage => "RAGE",
        Signal::Bmp2 => "BMP-2",
        Signal::ExtrinsicDeath => "extrinsic death signal",
    }
}

const fn solute_name(solute: Solute) -> (&'static str, &'static str) {
    match solute {
        Solute::Calcium => ("Ca", "mM"),
        Solute::Phosphate => ("Pi", "mM"),
        Solute::BetaGlycerophosphate => ("β-glycerophosphate", "mM"),
        Solute::Pyrophosphate => ("PPi", "µM"),
        Solute::FetuinA => ("fetuin-A", "µM"),
        Solute::Glucose => ("glucose", "mM"),
    }
}

fn signal_of(s: &mut Surroundings, signal: Signal) -> &mut f64 {
    match signal {
        Signal::TnfAlpha => &mut s.tnf_alpha,
        Signal::Il1Beta => &mut s.il1_beta,
        Signal::Il6 => &mut s.il6,
        Signal::Lps => &mut s.lps,
        Signal::Ros => &mut s.ros,
        Signal::Rage => &mut s.rage,
        Signal::Bmp2 => &mut s.bmp2,
        Signal::ExtrinsicDeath => &mut s.extrinsic_death,
    }
}

/// One catalog entry as the `vcsim catalog` listing shows it: every field in words.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CatalogRow {
    /// The id a scenario names it by.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// `inducer` or `intervention`.
    pub kind: &'static str,
    /// The unit of its dose.
    pub dose_unit: &'static str,
    /// The typical dose, in `dose_unit`.
    pub typical_dose: f64,
    /// The doses a scenario may give, in words.
    pub allowed_doses: String,
    /// What it acts on at the typical dose.
    pub acts_on: String,
    /// Its mechanism.
    pub mechanism: &'static str,
    /// The claims of the review it bears on.
    pub claims: Vec<&'static str>,
    /// Where its effects come from.
    pub sources: &'static str,
}

/// Every catalog entry as a listing row, in catalog order.
#[must_use]
pub fn catalog_rows() -> Vec<CatalogRow> {
    CATALOG
        .iter()
        .map(|e| CatalogRow {
            id: e.id,
            name: e.name,
            kind: match e.kind {
                Kind::Inducer => "inducer",
                Kind::Intervention => "intervention",
            },
            dose_unit: e.dose_unit,
            typical_dose: e.typical_dose,
            allowed_doses: e.doses.describe(),
            acts_on: e
                .effects
                .iter()
                .map(Effect::describe)
                .collect::<Vec<_>>()
                .join("; "),
            mechanism: e.mechanism,
            claims: e.claims.to_vec(),
            sources: e.sources,
        })
        .collect()
}

/// `rows` as a Markdown table.
#[must_use]
pub fn rows_markdown(rows: &[CatalogRow]) -> String {
    let mut out = String::from(
        "| id | name | kind | dose unit | typical dose | allowed doses | acts on (at the typical dose) | mechanism | claims | sources |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            r.name,
            r.kind,
            r.dose_unit,
            r.typical_dose,
            r.allowed_doses,
            r.acts_on,
            r.mechanism,
            r.claims.join(", "),
            r.sources
        ));
    }
    out
}

/// The whole catalog as a Markdown table (`docs/catalog.md`).
#[must_use]
pub fn catalog_markdown() -> String {
    rows_markdown(&catalog_rows())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = CATALOG.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate ids");
        for e in CATALOG {
            assert!(
                e.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                e.id
            );
            assert!(
                e.typical_dose > 0.0
                    && !e.effects.is_empty()
                    && !e.claims.is_empty()
                    && !e.sources.is_empty(),
                "{}",
                e.id
            );
        }
    }

    #[test]
    fn every_claim_id_exists_in_the_review() {
        const CLAIMS: [&str; 41] = [
            "ER-1", "ER-2", "ER-3", "ER-4", "ER-5", "VC-1", "VC-2", "OS-1", "OS-2", "OS-3", "OS-4",
            "AP-1", "AP-2", "AP-3", "AP-4", "AP-5", "AU-1", "AU-2", "AU-3", "AU-4", "AU-5", "IN-1",
            "IN-2", "IN-3", "IN-4", "IN-5", "IN-6", "IN-7", "IN-8", "IN-9", "IN-10", "IN-11",
            "IN-12", "TX-1", "TX-2", "TX-3", "TX-4", "TX-5", "TX-6", "TX-7", "SUM-1",
        ];
        for e in CATALOG {
            for claim in e.claims {
                assert!(
                    CLAIMS.contains(claim),
                    "{} cites unknown claim {claim}",
                    e.id
                );
            }
        }
    }

    #[test]
    fn every_parameter_effect_is_valid_at_the_typical_dose() {
        for e in CATALOG {
            let mut params = ModelParams::default();
            let mut knockouts = Vec::new();
            e.apply_to_params(1.0, &mut params, &mut knockouts)
                .unwrap_or_else(|err| panic!("{}: {err}", e.id));
        }
    }

    #[test]
    fn every_dose_in_an_entry_s_range_is_valid() {
        // The documented dose range is the whole story: no parameter leaves its range
        // and the cell's rates stay finite anywhere in it.
        use crate::model::cell::{CellModel, ModelVariant};
        for e in CATALOG {
            assert!(
                e.doses.min <= e.typical_dose && e.typical_dose <= e.doses.max,
                "{}: typical dose outside its range",
                e.id
            );
            for dose in [e.doses.min, e.typical_dose, e.doses.max] {
                let relative = dose / e.typical_dose;
                let mut params = ModelParams::default();
                let mut knockouts = Vec::new();
                e.apply_to_params(relative, &mut params, &mut knockouts)
                    .unwrap_or_else(|err| panic!("{} at dose {dose}: {err}", e.id));
                let mut s = Surroundings::reference();
                e.apply_to_surroundings(relative, 0.0, &mut s);
                assert!(s.validate().is_ok(), "{} at dose {dose}: {s:?}", e.id);
                let model = CellModel::new(params.cell.clone(), &knockouts, ModelVariant::Vsmc);
                let rates = model.rates(&model.initial_state(), &model.exposure(&s));
                assert!(
                    rates.to_array().iter().all(|r| r.is_finite()),
                    "{} at dose {dose}",
                    e.id
                );
            }
        }
    }

    #[test]
    fn fractional_blocks_follow_emax() {
        assert!(fractional(0.7, 0.0).abs() < 1e-15);
        assert!((fractional(0.7, 1.0) - 0.7).abs() < 1e-12);
        assert!(fractional(0.7, 10.0) > 0.95 && fractional(0.7, 10.0) < 1.0);
    }

    #[test]
    fn the_review_s_named_agents_are_all_listed() {
        for id in [
            "calcifying-medium",
            "high-phosphate",
            "bmp2",
            "stearic-acid",
            "homocysteine-hfd",
            "7-ketocholesterol",
            "25-hydroxycholesterol",
            "high-glucose",
            "ages",
            "oxidised-ldl",
            "tnf-alpha",
            "il-1beta",
            "il-6",
            "lps",
            "xanthine-oxidase",
            "vitamin-d3-nicotine",
            "high-dose-vitamin-d",
            "ckd-uremia",
            "thapsigargin",
            "tunicamycin",
            "4-pba",
            "tudca",
            "taurine",
            "rapamycin",
            "3-ma",
            "fgf21",
            "epo",
            "selenite",
            "selenoprotein-s-knockout",
            "simvastatin-ezetimibe",
            "intermedin",
            "anti-tnf",
            "rage-antagonist",
            "ganglion-block",
            "cdk9-cyclin-t1-activation",
            "cdk9-inhibitor",
            "cyclin-t2k-knockout",
            "atf4-knockdown",
            "atf4-knockout",
            "chop-knockout",
            "chop-sirna",
            "xbp1-overexpression",
            "xbp1-smc-deletion",
            "enpp1-knockout",
            "perk-knockout",
            "ire1-knockout",
            "atf6-knockout",
            "gadd34-knockout",
            "ppi-supplementation",
            "pyrophosphatase",
            "alkaline-phosphatase",
            "fetuin-a",
            "zvad",
            "pfa",
            "levamisole",
            "valproate",
        ] {
            assert!(find(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn drugs_add_and_blocks_combine() {
        let mut s = Surroundings::reference();
        find("3-ma")
            .unwrap()
            .apply_to_surroundings(1.0, 0.0, &mut s);
        assert!((s.drugs.autophagy_block - 0.7).abs() < 1e-12);
        find("rapamycin")
            .unwrap()
            .apply_to_surroundings(2.0, 0.0, &mut s);
        assert!((s.drugs.rapamycin - 20.0).abs() < 1e-12);
        find("anti-tnf")
            .unwrap()
            .apply_to_surroundings(1.0, 0.0, &mut s);
        assert!(s.tnf_alpha.abs() < 1e-15);
    }
}
