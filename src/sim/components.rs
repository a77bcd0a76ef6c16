//! Components of a VSMC entity, one per concern. The biological ones are the plain
//! structs of `model/` (the component impls are here, so that `model/` stays free of the
//! ECS):
//!
//! | component | concern | states |
//! |---|---|---|
//! | [`UprCoreState`] | ER stress and the UPR (the published core) | unfolded protein, ATF6, BiP, ATF4, CHOP, GADD34, p-eIF2α, XBP1s |
//! | [`AutophagyState`] | nutrient sensing and autophagy | mTORC1, Sestrin, autophagy flux |
//! | [`ApoptosisState`] | apoptotic signalling | p-JNK, caspase-12, Bcl-2 |
//! | [`OsteogenicState`] | the osteogenic programme | Runx2, ALP, PiT, BMP-2, α-SMA |
//! | [`Fate`] | phenotype label, life status, cell cycle | |
//! | [`Released`] | what the cell put into its voxel | vesicles, ALP, ENPP1 |
//!
//! plus [`CellId`], [`WallSite`], [`Sensed`], [`Susceptibility`], the integrator's
//! bookkeeping ([`Integration`]) and the fate event of the step ([`PendingFateEvent`]).
//! The integration system gathers the four biological components into the solver's
//! [`crate::model::cell::CellState`] and scatters the result back.

use crate::model::cell::{ApoptosisState, AutophagyState};
use crate::model::fate::{Fate, FateEvent, Released};
use crate::model::heterogeneity::CellTraits;
use crate::model::integrate::NonFiniteState;
use crate::model::osteogenic::OsteogenicState;
use crate::model::surroundings::Surroundings;
use crate::model::upr_core::UprCoreState;
use bevy_ecs::component::{Component, Mutable, StorageType};

/// Makes plain `model/` structs table-stored, mutable components.
macro_rules! table_components {
    ($($component:ty),* $(,)?) => {
        $(
            impl Component for $component {
                const STORAGE_TYPE: StorageType = StorageType::Table;
                type Mutability = Mutable;
            }
        )*
    };
}

table_components!(
    UprCoreState,
    AutophagyState,
    ApoptosisState,
    OsteogenicState,
    Fate,
    Released,
);

/// A stable cell identifier: the RNG key and output key (never the bevy `Entity`).
#[derive(
    Component,
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct CellId(pub u64);

/// The lattice site a cell occupies.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WallSite(pub usize);

/// The adaptive integrator's bookkeeping for one cell.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Integration {
    /// [min] The adaptive integrator's proposed next step (0 before the first step).
    pub step_hint_min: f64,
    /// Set if the last integration produced a non-finite value.
    pub failure: Option<NonFiniteState>,
    /// Evaluations of the cell's rates in the last coupling step (its cost).
    pub rhs_evaluations: u64,
}

impl Integration {
    /// A cell not integrated yet.
    pub const NEW: Self = Self {
        step_hint_min: 0.0,
        failure: None,
        rhs_evaluations: 0,
    };
}

/// The event of the cell's last fate step, which turnover carries out.
#[derive(
    Component, Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize,
)]
pub struct PendingFateEvent(pub Option<FateEvent>);

/// What the cell read from its voxel at the start of the tick: the local fluid. The rest
/// of its surroundings (the other constituents of the medium or plasma, the stress
/// schedule, the treatments) is the same for every cell and is rebuilt when needed
/// ([`crate::sim::resources::Exposure::surroundings`]), which keeps this component at
/// 40 bytes instead of a whole [`Surroundings`] (192).
#[derive(Component, Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sensed {
    /// [mM] Calcium.
    pub calcium: f64,
    /// [mM] Phosphate.
    pub phosphate: f64,
    /// [µM] Pyrophosphate.
    pub pyrophosphate: f64,
    /// [µM] Fetuin-A.
    pub fetuin_a: f64,
    /// [1] BMP-2-like drive from the mineral around the cell (100 ng/mL BMP-2 = 1;
    /// [`crate::model::mineral::crystal_bmp2`]).
    pub crystal_bmp2: f64,
    /// [1] BMP-2 excess secreted by the cell and its neighbours at the end of the last
    /// step (`crate::model::paracrine`).
    pub bmp2_paracrine: f64,
    /// [h⁻¹] Apoptosis hazard from the mineral around the cell
    /// ([`crate::model::mineral::crystal_death_hazard_per_h`]).
    pub crystal_death_hazard_per_h: f64,
    /// Whether the cell has sensed yet; before, it sees [`Surroundings::reference`].
    pub sensed: bool,
}

impl Sensed {
    /// A cell that has not sensed its voxel yet.
    #[must_use]
    pub fn unsensed() -> Self {
        let reference = Surroundings::reference();
        Self {
            calcium: reference.calcium,
            phosphate: reference.phosphate,
            pyrophosphate: reference.pyrophosphate,
            fetuin_a: reference.fetuin_a,
            crystal_bmp2: 0.0,
            bmp2_paracrine: 0.0,
            crystal_death_hazard_per_h: 0.0,
            sensed: false,
        }
    }
}

/// The cell's heterogeneity multipliers (client load, folding capacity, osteogenic
/// sensitivity, death threshold, division rate; `docs/model.md` §4.0), log-normal with
/// mean 1, drawn at seeding and inherited with noise at division.
#[derive(Component, Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Susceptibility(pub CellTraits);
