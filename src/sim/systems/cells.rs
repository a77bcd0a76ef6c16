//! Per-cell systems, parallel over cells: sense the voxel, integrate the intracellular
//! model, apply the fate rules. Each cell writes only its own components; random draws
//! come from keyed streams, so the result does not depend on the thread count.
//!
//! Each system takes its components as contiguous table slices and runs a plain loop over
//! chunks of them on the engine's workers ([`crate::sim::parallel`]).

use crate::model::fate::{
    division_rate, event_probability, next_phenotype, vesicle_competence, vesicle_release_rate,
};
use crate::model::integrate::advance;
use crate::sim::SimError;
use crate::sim::components::{
    CellId, Cycle, Fate, Intracellular, Released, Sensed, Status, Susceptibility, WallSite,
};
use crate::sim::parallel::Parallelism;
use crate::sim::resources::{Exposure, Failure, Model, RunSeed, SimClock, Wall};
use crate::sim::rng::{KeyedStream, Purpose};
use bevy_ecs::prelude::*;
use rayon::prelude::*;

/// Why the per-cell queries are always dense: every cell component is stored in tables
/// (bevy's default), never in sparse sets.
const DENSE: &str = "cell components live in tables, so per-cell queries are dense";

/// Cells per chunk in the cheap per-cell passes (sensing, fate rules).
const CELLS_PER_CHUNK: usize = 1024;

/// Each living cell reads its voxel's fluid at the start of the step.
pub fn sense_environment(
    parallelism: Res<Parallelism>,
    wall: Res<Wall>,
    mut cells: Query<(&WallSite, &Fate, &mut Sensed)>,
) {
    let wall = &*wall;
    let n = CELLS_PER_CHUNK;
    for (sites, fates, mut sensed) in cells.contiguous_iter_mut().expect(DENSE) {
        let sensed = sensed.bypass_change_detection();
        parallelism.for_each_chunk(
            (sites, fates, sensed),
            |(sites, fates, sensed)| {
                (
                    sites.par_chunks(n),
                    fates.par_chunks(n),
                    sensed.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(sites, fates, sensed)| {
                for ((site, fate), sensed) in sites.iter().zip(fates).zip(sensed) {
                    if !fate.is_alive() {
                        continue;
                    }
                    let fluid = wall.fluid_at(site.0);
                    *sensed = Sensed {
                        calcium: fluid.calcium,
                        phosphate: fluid.phosphate,
                        pyrophosphate: fluid.pyrophosphate,
                        fetuin_a: fluid.fetuin_a,
                        sensed: true,
                    };
                }
            },
        );
    }
}

/// Cells per chunk in the integration: a few hundred cells keep the cost of handing a
/// chunk to a worker (a microsecond or so) below 1% of its work (each cell-hour is a
/// microsecond or more), and leave enough chunks for work stealing to even out the
/// threads (see `integrate_signalling`).
const INTEGRATION_CELLS_PER_CHUNK: usize = 256;

/// Integrates every living cell's 22-state model over one coupling step.
pub fn integrate_signalling(
    parallelism: Res<Parallelism>,
    model: Res<Model>,
    clock: Res<SimClock>,
    exposure: Res<Exposure>,
    mut cells: Query<(&Sensed, &Susceptibility, &Fate, &mut Intracellular)>,
) {
    let (model, clock, exposure) = (&*model, &*clock, &*exposure);
    // Adaptive steps make the work per cell uneven (a cell in a transient takes tens of
    // steps an hour, one at steady state one), and cells with similar histories sit
    // together in storage: small chunks, so that a thread that finishes its share steals
    // from the busy one.
    let n = INTEGRATION_CELLS_PER_CHUNK;
    for (sensed, susceptibility, fates, mut cells) in cells.contiguous_iter_mut().expect(DENSE) {
        let cells = cells.bypass_change_detection();
        parallelism.for_each_chunk(
            (sensed, susceptibility, fates, cells),
            |(sensed, susceptibility, fates, cells)| {
                (
                    sensed.par_chunks(n),
                    susceptibility.par_chunks(n),
                    fates.par_chunks(n),
                    cells.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(sensed, susceptibility, fates, cells)| {
                let each = sensed.iter().zip(susceptibility).zip(fates).zip(cells);
                for (((sensed, susceptibility), fate), cell) in each {
                    if !fate.is_alive() {
                        continue;
                    }
                    let surroundings =
                        exposure.surroundings(clock.time_min, sensed, susceptibility.0);
                    let exposure = model.cell.exposure(&surroundings);
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
                }
            },
        );
    }
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
    parallelism: Res<Parallelism>,
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
    let (model, clock, seed, wall, exposure) = (&*model, &*clock, seed.0, &*wall, &*exposure);
    let apply = |id: &CellId,
                 site: &WallSite,
                 cell: &Intracellular,
                 sensed: &Sensed,
                 susceptibility: &Susceptibility,
                 fate: &mut Fate,
                 released: &mut Released| {
        *released = Released::default();
        match fate.status {
            Status::Alive => {
                let state = &cell.state;
                let surroundings = exposure.surroundings(clock.time_min, sensed, susceptibility.0);
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
                let mut draw = KeyedStream::new(seed, id.0, clock.tick, Purpose::Apoptosis);
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
                            KeyedStream::new(seed, id.0, clock.tick, Purpose::CycleEntry);
                        if free > 0.0 && draw.uniform() < event_probability(rate, step_h) {
                            let mut length =
                                KeyedStream::new(seed, id.0, clock.tick, Purpose::CycleLength);
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
    };
    let n = CELLS_PER_CHUNK;
    for (ids, sites, cells, sensed, susceptibility, mut fates, mut released) in
        cells.contiguous_iter_mut().expect(DENSE)
    {
        let (fates, released) = (
            fates.bypass_change_detection(),
            released.bypass_change_detection(),
        );
        parallelism.for_each_chunk(
            (ids, sites, cells, sensed, susceptibility, fates, released),
            |(ids, sites, cells, sensed, susceptibility, fates, released)| {
                (
                    ids.par_chunks(n),
                    sites.par_chunks(n),
                    cells.par_chunks(n),
                    sensed.par_chunks(n),
                    susceptibility.par_chunks(n),
                    fates.par_chunks_mut(n),
                    released.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(ids, sites, cells, sensed, susceptibility, fates, released)| {
                for (k, (fate, released)) in fates.iter_mut().zip(released).enumerate() {
                    apply(
                        &ids[k],
                        &sites[k],
                        &cells[k],
                        &sensed[k],
                        &susceptibility[k],
                        fate,
                        released,
                    );
                }
            },
        );
    }
}
