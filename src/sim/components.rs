//! Components of a VSMC entity. One component per concern; the intracellular state is one
//! contiguous component because the integrator touches all of it every step.

use crate::model::apoptosis::DeathRoute;
use crate::model::cell::CellState;
use crate::model::fate::{Phenotype, PhenotypeTimers};
use crate::model::integrate::NonFiniteState;
use crate::model::surroundings::Surroundings;
use bevy_ecs::component::Component;

/// A stable cell identifier: the RNG key and output key (never the bevy `Entity`).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId(pub u64);

/// The lattice site a cell occupies.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct WallSite(pub usize);

/// The 22-state intracellular model of the cell.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Intracellular {
    /// The state.
    pub state: CellState,
    /// [min] The adaptive integrator's proposed next step (0 before the first step).
    pub step_hint_min: f64,
    /// Set if the last integration produced a non-finite value.
    pub failure: Option<NonFiniteState>,
}

/// What the cell read from its voxel at the start of the tick: the local fluid. The rest
/// of its surroundings (the other constituents of the medium or plasma, the stress
/// schedule, the treatments) is the same for every cell and is rebuilt when needed
/// ([`crate::sim::resources::Exposure::surroundings`]), which keeps this component at
/// 40 bytes instead of a whole [`Surroundings`] (192).
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Sensed {
    /// [mM] Calcium.
    pub calcium: f64,
    /// [mM] Phosphate.
    pub phosphate: f64,
    /// [µM] Pyrophosphate.
    pub pyrophosphate: f64,
    /// [µM] Fetuin-A.
    pub fetuin_a: f64,
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
            sensed: false,
        }
    }
}

/// Where the cell is in its life.
#[derive(Clone, Copy, Debug, PartialEq)]
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
#[derive(Clone, Copy, Debug, PartialEq)]
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
#[derive(Component, Clone, Copy, Debug, PartialEq)]
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

/// What the cell put into its voxel during the last fate step.
#[derive(Component, Clone, Copy, Debug, PartialEq, Default)]
pub struct Released {
    /// [1] Competence-weighted matrix vesicles released this step.
    pub vesicles: f64,
    /// [1] ALP (TNAP) activity presented to the fluid.
    pub alp: f64,
    /// [1] PPi production capacity (ENPP1 + ANK).
    pub enpp1: f64,
    /// Whether the cell committed to apoptosis this step.
    pub died: bool,
}

/// [1] The cell's intrinsic ER client-load multiplier (cell-to-cell variability),
/// lognormal with mean 1, drawn at seeding and inherited by daughters.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Susceptibility(pub f64);
