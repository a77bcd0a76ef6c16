//! Per-cell systems, parallel over cells: sense the voxel, integrate the intracellular
//! model, apply the fate rules. Each cell writes only its own components; random draws
//! come from keyed streams, so the result does not depend on the thread count.

use crate::model::fate::{
    division_rate, event_probability, next_phenotype, vesicle_competence, vesicle_release_rate,
};
use crate::model::integrate::advance;
use crate::sim::SimError;
use crate::sim::components::{
    CellId, Cycle, Fate, Intracellular, Released, Sensed, Status, Susceptibility, WallSite,
};
use crate::sim::resources::{Exposure, Failure, Model, Occupant, RunSeed, SimClock, Wall};
use crate::sim::rng::{KeyedStream, Purpose};
use bevy_ecs::batching::BatchingStrategy;
use bevy_ecs::prelude::*;

/// Each living cell reads its voxel's fluid at the start of the step.
pub fn sense_environment(wall: Res<Wall>, mut cells: Query<(&WallSite, &Fate, &mut Sensed)>) {
    cells.par_iter_mut().for_each(|(site, fate, mut sensed)| {
        if !fate.is_alive() {
            return;
        }
        let fluid = wall.fluid_at(site.0);
        *sensed.bypass_change_detection() = Sensed {
            calcium: fluid.calcium,
            phosphate: fluid.phosphate,
            pyrophosphate: fluid.pyrophosphate,
            fetuin_a: fluid.fetuin_a,
            sensed: true,
        };
    });
}

/// Batches of cells per worker thread in the integration (see `integrate_signalling`).
const INTEGRATION_BATCHES_PER_THREAD: usize = 16;
/// The smallest batch: a few hundred cells keep the cost of scheduling a batch (a few
/// microseconds) below 1% of its work (each cell-hour is a microsecond or more).
const INTEGRATION_MIN_BATCH: usize = 256;

/// Integrates every living cell's 22-state model over one coupling step.
pub fn integrate_signalling(
    model: Res<Model>,
    clock: Res<SimClock>,
    exposure: Res<Exposure>,
    mut cells: Query<(&Sensed, &Susceptibility, &Fate, &mut Intracellular)>,
) {
    // Adaptive steps make the work per cell uneven (a cell in a transient takes tens of
    // steps an hour, one at steady state one), and cells with similar histories sit
    // together in storage; bevy's default of one batch per thread would leave a thread
    // idle while the other finishes a busy half.
    let batching = BatchingStrategy::new()
        .batches_per_thread(INTEGRATION_BATCHES_PER_THREAD)
        .min_batch_size(INTEGRATION_MIN_BATCH);
    cells.par_iter_mut().batching_strategy(batching).for_each(
        |(sensed, susceptibility, fate, mut cell)| {
            if !fate.is_alive() {
                return;
            }
            let surroundings = exposure.surroundings(clock.time_min, sensed, susceptibility.0);
            let exposure = model.cell.exposure(&surroundings);
            let cell = cell.bypass_change_detection();
            if let Err(e) = advance(
                &model.cell,
                &mut cell.state,
                &exposure,
                clock.time_min,
                clock.step_min,
                &model.integrator,
                &mut cell.step_hint_min,
            ) {
                cell.failure = Some(e);
            }
        },
    );
}

/// Stops the run at the first non-finite cell state (lowest cell id, for determinism).
pub fn check_integration(cells: Query<(&CellId, &Intracellular)>, mut failure: ResMut<Failure>) {
    let first = cells
        .iter()
        .filter_map(|(id, cell)| cell.failure.map(|f| (*id, f)))
        .min_by_key(|(id, _)| *id);
    if let Some((id, error)) = first
        && failure.0.is_none()
    {
        failure.0 = Some(SimError::NonFinite { cell: id.0, error });
    }
}

/// Phenotype labels, apoptosis draws, execution into apoptotic bodies, vesicle release
/// and cell-cycle progress, at the end of each coupling step.
pub fn apply_fate_rules(
    model: Res<Model>,
    clock: Res<SimClock>,
    seed: Res<RunSeed>,
    wall: Res<Wall>,
    exposure: Res<Exposure>,
    mut cells: Query<(
        &CellId,
        &WallSite,
        &Intracellular,
        &Sensed,
        &Susceptibility,
        &mut Fate,
        &mut Released,
    )>,
) {
    let step_h = clock.step_min / 60.0;
    let end_min = clock.time_min + clock.step_min;
    let fate_params = &model.params.fate;
    let max_division = if model.in_vitro {
        fate_params.max_division_rate_in_vitro
    } else {
        fate_params.max_division_rate_in_vivo
    };
    cells.par_iter_mut().for_each(
        |(id, site, cell, sensed, susceptibility, mut fate, mut released)| {
            let fate = fate.bypass_change_detection();
            let released = released.bypass_change_detection();
            *released = Released::default();
            match fate.status {
                Status::Alive => {
                    let state = &cell.state;
                    let surroundings =
                        exposure.surroundings(clock.time_min, sensed, susceptibility.0);
                    let exposure = model.cell.exposure(&surroundings);
                    let readout = model.cell.readout(state, &exposure);
                    let index = readout.osteogenic.osteogenic_index;
                    fate.phenotype = next_phenotype(
                        fate_params,
                        fate.phenotype,
                        &mut fate.timers,
                        state.osteogenic.alpha_sma,
                        index,
                        step_h,
                    );
                    let grp78 = state.upr.bip_protein;
                    released.alp = state.osteogenic.alp;
                    released.enpp1 = readout.osteogenic.enpp1_capacity;
                    released.vesicles = vesicle_release_rate(
                        fate_params,
                        index,
                        grp78,
                        surroundings.calcium,
                        state.autophagy,
                    ) * vesicle_competence(
                        fate_params,
                        state.osteogenic.alp,
                        grp78,
                        surroundings.fetuin_a,
                    ) * step_h;
                    let p_death = event_probability(readout.apoptosis.hazard_per_hour, step_h);
                    let mut draw = KeyedStream::new(seed.0, id.0, clock.tick, Purpose::Apoptosis);
                    if draw.uniform() < p_death {
                        fate.status = Status::Apoptotic { since_min: end_min };
                        fate.alp_at_death = state.osteogenic.alp;
                        fate.death_route = readout.apoptosis.dominant_route;
                        fate.cycle = Cycle::G0;
                        released.died = true;
                        return;
                    }
                    fate.cycle = match fate.cycle {
                        Cycle::G0 => {
                            let free = wall.free_neighbour_fraction(site.0);
                            let rate = division_rate(
                                fate_params,
                                max_division,
                                free,
                                state.upr.p_eif2a,
                                fate.phenotype,
                            );
                            let mut draw =
                                KeyedStream::new(seed.0, id.0, clock.tick, Purpose::CycleEntry);
                            if free > 0.0 && draw.uniform() < event_probability(rate, step_h) {
                                let mut length = KeyedStream::new(
                                    seed.0,
                                    id.0,
                                    clock.tick,
                                    Purpose::CycleLength,
                                );
                                let g1 = length
                                    .normal(fate_params.g1_mean_hours, fate_params.g1_sd_hours)
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
                            remaining_h: fate_params.s_g2_m_hours,
                        },
                        Cycle::Sg2m { remaining_h } => Cycle::Sg2m {
                            remaining_h: remaining_h - step_h,
                        },
                    };
                }
                Status::Apoptotic { since_min } => {
                    released.alp = fate.alp_at_death;
                    if end_min - since_min >= fate_params.execution_hours * 60.0 - 1e-9 {
                        fate.status = Status::Body;
                        // The body's calcium-phosphate-laden membrane fragments join the
                        // site's vesicle templates (AP-1).
                        released.vesicles = fate_params.apoptotic_body_vesicles * fate.alp_at_death;
                    }
                }
                Status::Body => {}
            }
        },
    );
}

impl Wall {
    /// Fraction of a site's neighbours that are empty (contact inhibition).
    #[must_use]
    pub fn free_neighbour_fraction(&self, index: usize) -> f64 {
        let mut out = [0; 6];
        let n = self.lattice.neighbours(index, &mut out);
        if n == 0 {
            return 0.0;
        }
        let free = out[..n]
            .iter()
            .filter(|&&i| {
                self.occupants[i] == Occupant::Empty && self.lattice.layer_of(i).holds_cells()
            })
            .count();
        #[expect(clippy::cast_precision_loss, reason = "at most 6 neighbours")]
        let fraction = free as f64 / n as f64;
        fraction
    }
}
