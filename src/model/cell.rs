//! One vascular smooth muscle cell: the published UPR core plus the VSMC extensions,
//! assembled into one ODE system of 22 states (`docs/model.md` §3.1).
//!
//! The coupling between modules, per step:
//!
//! 1. surroundings → stress signals (`stress_input`): `S_ext`, ROS, NF-κB, `Xext`;
//! 2. the UPR core (`upr_core`) under `S = S_ext (1 - psi_chap) T(M)`, basal client
//!    synthesis `ksU T(M)` with mTORC1-dependent translation `T(M) = 1 - fM + fM M`,
//!    folding `delta (1 + phi_chap)` and ER-phagy `kAU (Aut - 1)`;
//! 3. ATF4 activity → Sestrin ⊣ mTORC1 (`mtorc1`); mTORC1 ⊣ autophagy (`autophagy`);
//! 4. IRE1 → JNK, unresolved U → caspase-12 (`jnk_caspase12`);
//! 5. XBP1s, ATF4, Pi, BMP-2, NF-κB, ROS → Runx2 → ALP, BMP-2, ⊣ α-SMA (`osteogenic`);
//! 6. CHOP ⊣ Bcl-2, caspase-12, JNK, extrinsic → hazard (`apoptosis`).
//!
//! [`ModelVariant::PublishedCore`] switches off every feedback from the extensions onto
//! the core (step 2 uses the published equations with `S = S_ext (1 - psi_chap)` and
//! folding `delta (1 + phi_chap)`); the extensions are then driven one-way by the core,
//! and with no drugs the core is exactly the published SBML model.

use crate::model::apoptosis::{self, ApoptosisParams, ApoptoticDrive};
use crate::model::autophagy::{self, AutophagyParams};
use crate::model::jnk_caspase12::{self, JnkCaspase12Params};
use crate::model::mtorc1::{self, Mtorc1Params};
use crate::model::osteogenic::{
    self, OsteogenicDrives, OsteogenicParams, OsteogenicReadout, OsteogenicState,
};
use crate::model::parameters::{ParamError, ParamRow, ParameterTable, closest};
use crate::model::stress_input::{StressInputParams, StressSignals, stress_signals};
use crate::model::surroundings::Surroundings;
use crate::model::upr_core::{
    self, CoreCoupling, CoreKnockout, UprCoreDerived, UprCoreParams, UprCoreState, UprSensors,
};
use crate::units::per_h_to_per_min;

/// Every parameter of the cell model, one struct per module.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
pub struct CellParams {
    /// The published UPR core (Diedrichs 2018).
    pub upr_core: UprCoreParams,
    /// Surroundings → ER load, ROS, NF-κB.
    pub stress_input: StressInputParams,
    /// mTORC1 and Sestrin1/3.
    pub mtorc1: Mtorc1Params,
    /// Autophagy flux and ER-phagy.
    pub autophagy: AutophagyParams,
    /// JNK and caspase-12.
    pub jnk_caspase12: JnkCaspase12Params,
    /// Runx2, ALP, PiT, BMP-2, α-SMA.
    pub osteogenic: OsteogenicParams,
    /// Bcl-2 and the hazard of apoptosis.
    pub apoptosis: ApoptosisParams,
}

/// The module names, in table order.
pub const MODULES: [&str; 7] = [
    UprCoreParams::MODULE,
    StressInputParams::MODULE,
    Mtorc1Params::MODULE,
    AutophagyParams::MODULE,
    JnkCaspase12Params::MODULE,
    OsteogenicParams::MODULE,
    ApoptosisParams::MODULE,
];

impl CellParams {
    /// The whole parameter table, module by module.
    #[must_use]
    pub fn rows(&self) -> Vec<ParamRow> {
        let mut rows = self.upr_core.rows();
        rows.extend(self.stress_input.rows());
        rows.extend(self.mtorc1.rows());
        rows.extend(self.autophagy.rows());
        rows.extend(self.jnk_caspase12.rows());
        rows.extend(self.osteogenic.rows());
        rows.extend(self.apoptosis.rows());
        rows
    }

    /// Sets one parameter by module and field name.
    ///
    /// # Errors
    /// Unknown module or field (with a suggestion), or a value out of range.
    pub fn set(&mut self, module: &str, field: &str, value: f64) -> Result<(), ParamError> {
        match module {
            "upr_core" => self.upr_core.set(field, value),
            "stress_input" => self.stress_input.set(field, value),
            "mtorc1" => self.mtorc1.set(field, value),
            "autophagy" => self.autophagy.set(field, value),
            "jnk_caspase12" => self.jnk_caspase12.set(field, value),
            "osteogenic" => self.osteogenic.set(field, value),
            "apoptosis" => self.apoptosis.set(field, value),
            _ => Err(ParamError::UnknownModule {
                module: module.to_string(),
                suggestion: crate::model::parameters::DidYouMean(closest(module, MODULES)),
            }),
        }
    }
}

/// Which feedback from the VSMC extensions reaches the UPR core.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelVariant {
    /// The published Diedrichs 2018 core, unmodified; extensions are readouts driven by
    /// it. Used for the SBML cross-check.
    PublishedCore,
    /// The full VSMC model: mTORC1 scales client load, autophagy clears unfolded protein.
    #[default]
    Vsmc,
}

/// The full state of one cell: 22 variables, each 1 at rest (dimensionless).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct CellState {
    /// The 11 published UPR core states.
    pub upr: UprCoreState,
    /// [1] mTORC1 activity.
    pub mtorc1: f64,
    /// [1] Sestrin1/3.
    pub sestrin: f64,
    /// [1] Autophagy flux (LC3-II / Beclin-1 proxy).
    pub autophagy: f64,
    /// [1] Phosphorylated JNK.
    pub p_jnk: f64,
    /// [1] Cleaved caspase-12.
    pub caspase12: f64,
    /// [1] Bcl-2.
    pub bcl2: f64,
    /// Runx2, ALP, PiT, BMP-2, α-SMA.
    pub osteogenic: OsteogenicState,
}

/// The nutrient-sensing and autophagy states of a cell: the mTORC1 axis and the flux it
/// restrains (`mtorc1`, `autophagy`; each 1 at rest).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AutophagyState {
    /// [1] mTORC1 activity.
    pub mtorc1: f64,
    /// [1] Sestrin1/3.
    pub sestrin: f64,
    /// [1] Autophagy flux (LC3-II / Beclin-1 proxy).
    pub autophagy: f64,
}

/// The apoptotic-signalling states of a cell: the JNK and caspase-12 arms and the
/// anti-apoptotic Bcl-2 (`jnk_caspase12`, `apoptosis`; each 1 at rest).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApoptosisState {
    /// [1] Phosphorylated JNK.
    pub p_jnk: f64,
    /// [1] Cleaved caspase-12.
    pub caspase12: f64,
    /// [1] Bcl-2.
    pub bcl2: f64,
}

impl CellState {
    /// The state gathered from its concerns: the UPR core, nutrient sensing and
    /// autophagy, apoptotic signalling, the osteogenic programme.
    #[must_use]
    pub const fn from_parts(
        upr: &UprCoreState,
        autophagy: &AutophagyState,
        apoptosis: &ApoptosisState,
        osteogenic: &OsteogenicState,
    ) -> Self {
        Self {
            upr: *upr,
            mtorc1: autophagy.mtorc1,
            sestrin: autophagy.sestrin,
            autophagy: autophagy.autophagy,
            p_jnk: apoptosis.p_jnk,
            caspase12: apoptosis.caspase12,
            bcl2: apoptosis.bcl2,
            osteogenic: *osteogenic,
        }
    }

    /// The nutrient-sensing and autophagy states.
    #[must_use]
    pub const fn autophagy_part(&self) -> AutophagyState {
        AutophagyState {
            mtorc1: self.mtorc1,
            sestrin: self.sestrin,
            autophagy: self.autophagy,
        }
    }

    /// The apoptotic-signalling states.
    #[must_use]
    pub const fn apoptosis_part(&self) -> ApoptosisState {
        ApoptosisState {
            p_jnk: self.p_jnk,
            caspase12: self.caspase12,
            bcl2: self.bcl2,
        }
    }

    /// Number of state variables.
    pub const LEN: usize = 22;

    /// State names in array order (CSV headers).
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
        "mtorc1",
        "sestrin",
        "autophagy_flux",
        "p_jnk",
        "caspase12_cleaved",
        "bcl2",
        "runx2",
        "alp",
        "pit",
        "bmp2",
        "alpha_sma",
    ];

    /// The state as an array in [`Self::NAMES`] order.
    #[must_use]
    pub const fn to_array(&self) -> [f64; Self::LEN] {
        let u = self.upr.to_array();
        [
            u[0],
            u[1],
            u[2],
            u[3],
            u[4],
            u[5],
            u[6],
            u[7],
            u[8],
            u[9],
            u[10],
            self.mtorc1,
            self.sestrin,
            self.autophagy,
            self.p_jnk,
            self.caspase12,
            self.bcl2,
            self.osteogenic.runx2,
            self.osteogenic.alp,
            self.osteogenic.pit,
            self.osteogenic.bmp2,
            self.osteogenic.alpha_sma,
        ]
    }

    /// The state from an array in [`Self::NAMES`] order.
    #[must_use]
    pub const fn from_array(a: [f64; Self::LEN]) -> Self {
        Self {
            upr: UprCoreState::from_array([
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
            ]),
            mtorc1: a[11],
            sestrin: a[12],
            autophagy: a[13],
            p_jnk: a[14],
            caspase12: a[15],
            bcl2: a[16],
            osteogenic: OsteogenicState {
                runx2: a[17],
                alp: a[18],
                pit: a[19],
                bmp2: a[20],
                alpha_sma: a[21],
            },
        }
    }
}

/// The surroundings digested into what the equations read; constant over a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellExposure {
    /// Stress signals from the surroundings.
    pub signals: StressSignals,
    /// [1] Extracellular phosphate uptake factor (Pi and PFA), multiplies PiT.
    pub phosphate_uptake: f64,
    /// The surroundings the exposure was computed from.
    pub surroundings: Surroundings,
}

/// Algebraic quantities of a cell state, for output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellReadout {
    /// Free BiP, active PERK, active IRE1.
    pub sensors: UprSensors,
    /// [min⁻¹] The stress input the core sees, `S`.
    pub effective_stress: f64,
    /// [1] Intracellular phosphate load `Pi_in`.
    pub phosphate_intracellular: f64,
    /// [1] ATF4 transcriptional activity `A4eff`.
    pub atf4_activity: f64,
    /// Osteocalcin, osteopontin, ENPP1 capacity, osteogenic index.
    pub osteogenic: OsteogenicReadout,
    /// BH3, drive, hazard, dominant route.
    pub apoptosis: ApoptoticDrive,
}

impl CellReadout {
    /// Names of the numeric readout columns, in [`Self::values`] order.
    pub const NAMES: [&'static str; 14] = [
        "free_bip",
        "p_perk",
        "p_ire1",
        "effective_stress_per_min",
        "phosphate_intracellular",
        "atf4_activity",
        "osteocalcin",
        "osteopontin",
        "enpp1_capacity",
        "osteogenic_index",
        "bh3",
        "apoptotic_drive",
        "apoptosis_hazard_per_h",
        "dominant_death_route",
    ];

    /// The numeric readouts in [`Self::NAMES`] order (without the death route).
    #[must_use]
    pub const fn values(&self) -> [f64; 13] {
        [
            self.sensors.free_bip,
            self.sensors.p_perk,
            self.sensors.p_ire1,
            self.effective_stress,
            self.phosphate_intracellular,
            self.atf4_activity,
            self.osteogenic.osteocalcin,
            self.osteogenic.osteopontin,
            self.osteogenic.enpp1_capacity,
            self.osteogenic.osteogenic_index,
            self.apoptosis.bh3,
            self.apoptosis.drive,
            self.apoptosis.hazard_per_h,
        ]
    }
}

/// A cell model ready to integrate: parameters with knockouts applied, derived constants
/// and the variant.
#[derive(Clone, Debug, PartialEq)]
pub struct CellModel {
    params: CellParams,
    derived: UprCoreDerived,
    variant: ModelVariant,
    /// [min⁻¹] Minus each state's first-order turnover rate (see
    /// [`CellModel::jacobian_diagonal`]).
    turnover_diagonal: [f64; CellState::LEN],
}

/// [min⁻¹] Minus the first-order turnover rate of each state, in [`CellState::NAMES`]
/// order: the degradation rates of the core and the relaxation rates of the extensions.
/// The unfolded protein's entry is filled from the state; p-eIF2α has none.
fn turnover_diagonal(p: &CellParams) -> [f64; CellState::LEN] {
    let c = &p.upr_core;
    let o = &p.osteogenic;
    [
        0.0,
        -c.atf6_degradation_rate,
        -c.bip_mrna_degradation_rate,
        -c.bip_protein_degradation_rate,
        -c.atf4_degradation_rate,
        -c.chop_mrna_degradation_rate,
        -c.chop_protein_degradation_rate,
        -c.gadd34_mrna_degradation_rate,
        -c.gadd34_protein_degradation_rate,
        0.0,
        -c.xbp1s_degradation_rate,
        -per_h_to_per_min(p.mtorc1.mtorc1_relaxation_rate_per_h),
        -per_h_to_per_min(p.mtorc1.sestrin_relaxation_rate_per_h),
        -per_h_to_per_min(p.autophagy.autophagy_relaxation_rate_per_h),
        -per_h_to_per_min(p.jnk_caspase12.jnk_relaxation_rate_per_h),
        -per_h_to_per_min(p.jnk_caspase12.caspase12_relaxation_rate_per_h),
        -per_h_to_per_min(p.apoptosis.bcl2_relaxation_rate_per_h),
        -per_h_to_per_min(o.runx2_relaxation_rate_per_h),
        -per_h_to_per_min(o.alp_relaxation_rate_per_h),
        -per_h_to_per_min(o.pit_relaxation_rate_per_h),
        -per_h_to_per_min(o.bmp2_relaxation_rate_per_h),
        -per_h_to_per_min(o.contractile_relaxation_rate_per_h),
    ]
}

/// Indices in [`CellState::NAMES`] of cleaved ATF6, p-eIF2α and Xbp1s, the states of
/// [`upr_core::turnover_slopes`].
const STATE_DEPENDENT_TURNOVER: [usize; 3] = [1, 9, 10];

/// [min⁻¹] A state-dependent turnover faster than this enters the W matrix of the
/// adaptive integrator (a 1-min time scale, like the unfolded protein's). At the
/// published values these turnovers stay below 0.3 min⁻¹ (Xbp1 splicing with IRE1 fully
/// active: `ksp Ip/Kx` = 0.00785 · 100 / 3), so the published cell keeps its W matrix;
/// within the parameters' ranges ATF6 cleavage reached 56 min⁻¹.
const STIFF_TURNOVER_RATE: f64 = 1.0;

/// The quantities shared by [`CellModel::rates`] and [`CellModel::readout`].
struct Intermediates {
    coupling: CoreCoupling,
    atf4_activity: f64,
    phosphate_intracellular: f64,
    osteogenic_drives: OsteogenicDrives,
}

impl CellModel {
    /// Builds a model from parameters, knockouts and the variant.
    #[must_use]
    pub fn new(mut params: CellParams, knockouts: &[CoreKnockout], variant: ModelVariant) -> Self {
        for knockout in knockouts {
            knockout.apply(&mut params.upr_core);
        }
        let derived = UprCoreDerived::new(&params.upr_core);
        let turnover_diagonal = turnover_diagonal(&params);
        Self {
            params,
            derived,
            variant,
            turnover_diagonal,
        }
    }

    /// The parameters (knockouts applied).
    #[must_use]
    pub const fn params(&self) -> &CellParams {
        &self.params
    }

    /// The variant.
    #[must_use]
    pub const fn variant(&self) -> ModelVariant {
        self.variant
    }

    /// The unstressed initial state: core species at their references `X*` (so a
    /// knockout starts at 0), every extension state at 1.
    #[must_use]
    pub fn initial_state(&self) -> CellState {
        CellState {
            upr: UprCoreState::initial(&self.params.upr_core),
            mtorc1: 1.0,
            sestrin: 1.0,
            autophagy: 1.0,
            p_jnk: 1.0,
            caspase12: 1.0,
            bcl2: 1.0,
            osteogenic: OsteogenicState {
                runx2: 1.0,
                alp: 1.0,
                pit: 1.0,
                bmp2: 1.0,
                alpha_sma: 1.0,
            },
        }
    }

    /// Digests the surroundings for one step.
    #[must_use]
    pub fn exposure(&self, surroundings: &Surroundings) -> CellExposure {
        CellExposure {
            signals: stress_signals(&self.params.stress_input, surroundings),
            phosphate_uptake: self.params.osteogenic.phosphate_uptake_factor(
                surroundings.phosphate,
                surroundings.drugs.phosphate_transport_block,
            ),
            surroundings: *surroundings,
        }
    }

    fn intermediates(&self, s: &CellState, e: &CellExposure) -> Intermediates {
        let p = &self.params;
        let drugs = &e.surroundings.drugs;
        let load_relief = 1.0 - drugs.chaperone_load_relief;
        // Chemical chaperones add to the cell's own folding capacity (its heterogeneity
        // multiplier, docs/model.md §4.0).
        let folding_gain =
            (1.0 + drugs.chaperone_folding_gain) * e.surroundings.folding_capacity_scale;
        let coupling = match self.variant {
            ModelVariant::PublishedCore => CoreCoupling {
                stress: e.signals.er_stress * load_relief,
                client_synthesis_scale: 1.0,
                folding_gain,
                autophagic_clearance: 0.0,
            },
            ModelVariant::Vsmc => {
                let share = p.stress_input.mtorc1_translation_share;
                let translation = 1.0 - share + share * s.mtorc1;
                CoreCoupling {
                    stress: e.signals.er_stress * load_relief * translation,
                    client_synthesis_scale: translation,
                    folding_gain,
                    autophagic_clearance: autophagy::erphagy_clearance(&p.autophagy, s.autophagy),
                }
            }
        };
        let atf4_activity = p.osteogenic.atf4_activity(s.upr.atf4);
        let phosphate_intracellular = s.osteogenic.pit * e.phosphate_uptake;
        let xbp1_unspliced_rest = p.upr_core.xbp1_total - p.upr_core.xbp1s_ref;
        // With no Xbp1 gene (deletion) there is no unspliced XBP1 either.
        let xbp1u_fraction = if xbp1_unspliced_rest > 0.0 {
            (p.upr_core.xbp1_total - s.upr.xbp1s) / xbp1_unspliced_rest
        } else {
            0.0
        };
        Intermediates {
            coupling,
            atf4_activity,
            phosphate_intracellular,
            osteogenic_drives: OsteogenicDrives {
                xbp1s: s.upr.xbp1s,
                xbp1u_fraction,
                atf4_activity,
                phosphate_intracellular,
                nfkb: e.signals.nfkb,
                ros: e.signals.ros,
                bmp2_exogenous: e.surroundings.bmp2,
                bmp2_paracrine: e.surroundings.bmp2_paracrine,
                sensitivity: e.surroundings.osteogenic_sensitivity,
            },
        }
    }

    /// [min⁻¹] The time derivative of the whole cell state.
    #[must_use]
    pub fn rates(&self, s: &CellState, e: &CellExposure) -> CellState {
        let p = &self.params;
        let i = self.intermediates(s, e);
        let (upr, sensors) = upr_core::rates(&s.upr, &p.upr_core, &self.derived, &i.coupling);
        let env = &e.surroundings;
        let (d_mtorc1, d_sestrin) = mtorc1::rates(
            &p.mtorc1,
            s.mtorc1,
            s.sestrin,
            i.atf4_activity,
            i.phosphate_intracellular,
            env.rage,
            env.growth_factors,
            env.drugs.rapamycin,
        );
        let d_autophagy = autophagy::rate(
            &p.autophagy,
            s.autophagy,
            s.upr.unfolded_protein,
            i.phosphate_intracellular,
            s.mtorc1,
            env.drugs.autophagy_block,
            env.drugs.autophagy_induction,
        );
        let (d_jnk, d_caspase12) = jnk_caspase12::rates(
            &p.jnk_caspase12,
            s.p_jnk,
            s.caspase12,
            sensors.p_ire1,
            s.upr.unfolded_protein,
        );
        CellState {
            upr,
            mtorc1: d_mtorc1,
            sestrin: d_sestrin,
            autophagy: d_autophagy,
            p_jnk: d_jnk,
            caspase12: d_caspase12,
            bcl2: apoptosis::bcl2_rate(&p.apoptosis, s.bcl2, s.upr.chop_protein),
            osteogenic: osteogenic::rates(&p.osteogenic, &s.osteogenic, &i.osteogenic_drives),
        }
    }

    /// The algebraic readouts of a state.
    #[must_use]
    pub fn readout(&self, s: &CellState, e: &CellExposure) -> CellReadout {
        let p = &self.params;
        let i = self.intermediates(s, e);
        CellReadout {
            sensors: upr_core::sensors(&s.upr, &p.upr_core, &self.derived),
            effective_stress: i.coupling.stress,
            phosphate_intracellular: i.phosphate_intracellular,
            atf4_activity: i.atf4_activity,
            osteogenic: p.osteogenic.readout(&s.osteogenic, i.atf4_activity),
            apoptosis: apoptosis::drive(
                &p.apoptosis,
                s.bcl2,
                s.upr.chop_protein,
                s.caspase12,
                s.p_jnk,
                e.signals.extrinsic_death,
                s.autophagy,
                e.surroundings.death_threshold_scale,
            )
            .with_hazard_factor(e.signals.hazard_factor),
        }
    }

    /// [min⁻¹] An upper bound on the fastest decay rate of the system, for step control:
    /// the unfolded protein's clearance, or a state-dependent turnover of the core
    /// ([`upr_core::turnover_slopes`]) if that is faster.
    #[must_use]
    pub fn stiffness_bound(&self, s: &CellState, e: &CellExposure) -> f64 {
        let coupling = self.intermediates(s, e).coupling;
        let slopes = upr_core::turnover_slopes(&s.upr, &self.params.upr_core, &self.derived);
        slopes.into_iter().fold(
            upr_core::stiffness_bound(&s.upr, &self.params.upr_core, &coupling),
            |bound, slope| bound.max(-slope),
        )
    }

    /// [min⁻¹] A diagonal approximation of the Jacobian `∂f/∂y` for the adaptive
    /// (Rosenbrock-W) integrator: the stiff unfolded-protein mode `∂(dU/dt)/∂U` from the
    /// state, and minus the first-order turnover rate of every other state (its own
    /// degradation or relaxation rate; 0 for p-eIF2α, whose turnover is saturable).
    /// Only the stiff entry matters for stability at the default parameters; the others
    /// keep the step stable when a scenario raises a relaxation rate.
    #[must_use]
    pub fn jacobian_diagonal(&self, s: &CellState, e: &CellExposure) -> [f64; CellState::LEN] {
        let coupling = self.intermediates(s, e).coupling;
        let slope = upr_core::unfolded_protein_slope(
            &s.upr,
            &self.params.upr_core,
            &self.derived,
            &coupling,
        );
        let mut diagonal = self.turnover_diagonal;
        // A positive slope (never seen; U's synthesis falls and its clearance rises with
        // U) would make the W matrix singular; the W-method only needs an approximation.
        diagonal[0] = slope.min(0.0);
        // ATF6 cleavage, eIF2α phosphorylation and Xbp1 splicing: slow at the published
        // values (below 0.3 min⁻¹), but up to tens per minute for parameters within
        // their ranges; such a mode left out of W made the step unstable (ATF6 ran off
        // to 1e151 in one fuzz draw). Each enters W once it is faster than
        // STIFF_TURNOVER_RATE, so the published cell keeps its W matrix (and its bits).
        let slopes = upr_core::turnover_slopes(&s.upr, &self.params.upr_core, &self.derived);
        for (index, slope) in STATE_DEPENDENT_TURNOVER.into_iter().zip(slopes) {
            if slope < -STIFF_TURNOVER_RATE {
                diagonal[index] = slope;
            }
        }
        diagonal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_core_names() {
        assert_eq!(&CellState::NAMES[..11], &UprCoreState::NAMES[..]);
    }

    #[test]
    fn array_round_trip_is_exact() {
        let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
        let mut a = model.initial_state().to_array();
        for (i, v) in a.iter_mut().enumerate() {
            *v = 1.0 + f64::from(u8::try_from(i).unwrap());
        }
        let back = CellState::from_array(a).to_array();
        assert!(back.iter().zip(a).all(|(x, y)| x.to_bits() == y.to_bits()));
    }

    #[test]
    fn parts_round_trip_is_exact() {
        let a: [f64; CellState::LEN] =
            std::array::from_fn(|i| 1.5 + f64::from(u8::try_from(i).unwrap()));
        let s = CellState::from_array(a);
        let back = CellState::from_parts(
            &s.upr,
            &s.autophagy_part(),
            &s.apoptosis_part(),
            &s.osteogenic,
        );
        assert!(
            back.to_array()
                .iter()
                .zip(a)
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
    }

    #[test]
    fn extensions_are_at_rest_in_the_reference_medium() {
        let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
        let e = model.exposure(&Surroundings::reference());
        let r = model.rates(&model.initial_state(), &e).to_array();
        for (name, rate) in CellState::NAMES.iter().zip(r).skip(11) {
            assert!(rate.abs() < 1e-15, "d{name}/dt = {rate} at rest");
        }
    }

    #[test]
    fn set_reports_unknown_module_with_suggestion() {
        let mut p = CellParams::default();
        let err = p.set("autofagy", "kAut", 1.0).unwrap_err();
        assert!(err.to_string().contains("autophagy"), "{err}");
        assert!(
            p.set("autophagy", "autophagy_relaxation_rate_per_h", 0.4)
                .is_ok()
        );
    }
}
