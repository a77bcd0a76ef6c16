//! Per-cell systems, parallel over cells: sense the voxel, integrate the intracellular
//! model, apply the fate rules. Each cell writes only its own components; random draws
//! come from keyed streams, so the result does not depend on the thread count.
//!
//! Each system takes its components as contiguous table slices and runs a plain loop over
//! chunks of them on the engine's workers ([`crate::sim::parallel`]); the loop body is an
//! adapter from the components to a `model/` kernel (the solver, the fate rules).

use crate::model::apoptosis::DeathRoute;
use crate::model::cell::{ApoptosisState, AutophagyState, CellState};
use crate::model::fate::{self, Fate, FateDraws, FateInputs, Released, osteogenic_responsiveness};
use crate::model::heterogeneity::CellTraits;
use crate::model::integrate::advance_counted;
use crate::model::mineral::{crystal_bmp2, crystal_death_hazard_per_h};
use crate::model::osteogenic::OsteogenicState;
use crate::model::upr_core::UprCoreState;
use crate::sim::SimError;
use crate::sim::components::{
    CellId, Integration, PendingFateEvent, Sensed, Susceptibility, WallSite,
};
use crate::sim::parallel::Parallelism;
use crate::sim::resources::{Exposure, Failure, IntegrationWork, Model, RunSeed, SimClock, Wall};
use crate::sim::rng::{KeyedStream, Purpose};
use crate::units::HOUR;
use bevy_ecs::prelude::*;
use rand_distr::Normal;
use rayon::prelude::*;

/// Why the per-cell queries are always dense: every cell component is stored in tables
/// (bevy's default), never in sparse sets.
const DENSE: &str = "cell components live in tables, so per-cell queries are dense";

/// Cells per chunk in the cheap per-cell passes (sensing, fate rules).
const CELLS_PER_CHUNK: usize = 1024;

/// Each living cell reads its voxel's fluid at the start of the step.
pub fn sense_environment(
    parallelism: Res<Parallelism>,
    model: Res<Model>,
    wall: Res<Wall>,
    mut cells: Query<(&WallSite, &Fate, &mut Sensed)>,
) {
    let wall = &*wall;
    let mineral = &model.params.mineral;
    // The mean mineral of a site and its lattice neighbours [pmol Ca].
    let mineral_nearby = |site: usize| {
        let mut neighbours = [0; 6];
        let n = wall.lattice.neighbours(site, &mut neighbours);
        let around: f64 = neighbours[..n].iter().map(|&j| wall.sites[j].total()).sum();
        (wall.sites[site].total() + around) / (n + 1) as f64
    };
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
                    let nearby = mineral_nearby(site.0);
                    *sensed = Sensed {
                        calcium: fluid.calcium * wall.calcium_sensing_factor,
                        phosphate: fluid.phosphate,
                        pyrophosphate: fluid.pyrophosphate,
                        fetuin_a: fluid.fetuin_a,
                        crystal_bmp2: crystal_bmp2(mineral, nearby),
                        bmp2_paracrine: wall.bmp2_paracrine.get(site.0).copied().unwrap_or(0.0),
                        crystal_death_hazard_per_h: crystal_death_hazard_per_h(
                            mineral,
                            nearby,
                            fluid.fetuin_a,
                        ),
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

/// The components the integration reads and writes, one cell per row.
type IntegratedCell<'a> = (
    &'a Sensed,
    &'a Susceptibility,
    &'a Fate,
    &'a mut UprCoreState,
    &'a mut AutophagyState,
    &'a mut ApoptosisState,
    &'a mut OsteogenicState,
    &'a mut Integration,
);

/// Integrates every living cell's 22-state model over one coupling step: gathers its
/// concerns into the solver's [`CellState`], integrates, scatters the result back.
pub fn integrate_signalling(
    parallelism: Res<Parallelism>,
    model: Res<Model>,
    clock: Res<SimClock>,
    exposure: Res<Exposure>,
    mut cells: Query<IntegratedCell>,
) {
    let (model, exposure) = (&*model, &*exposure);
    // The coupling step cut at every switch of the stress schedule and of the
    // treatments acting on cells: the same pieces for every cell.
    let pieces = &exposure.pieces(clock.time_min, clock.step_min);
    // Adaptive steps make the work per cell uneven (a cell in a transient takes tens of
    // steps an hour, one at steady state one), and cells with similar histories sit
    // together in storage: small chunks, so that a thread that finishes its share steals
    // from the busy one.
    let n = INTEGRATION_CELLS_PER_CHUNK;
    for (
        sensed,
        susceptibility,
        fates,
        mut upr,
        mut autophagy,
        mut apoptosis,
        mut osteogenic,
        mut integration,
    ) in cells.contiguous_iter_mut().expect(DENSE)
    {
        let columns = (
            sensed,
            susceptibility,
            fates,
            upr.bypass_change_detection(),
            autophagy.bypass_change_detection(),
            apoptosis.bypass_change_detection(),
            osteogenic.bypass_change_detection(),
            integration.bypass_change_detection(),
        );
        parallelism.for_each_chunk(
            columns,
            |(
                sensed,
                susceptibility,
                fates,
                upr,
                autophagy,
                apoptosis,
                osteogenic,
                integration,
            )| {
                (
                    sensed.par_chunks(n),
                    susceptibility.par_chunks(n),
                    fates.par_chunks(n),
                    upr.par_chunks_mut(n),
                    autophagy.par_chunks_mut(n),
                    apoptosis.par_chunks_mut(n),
                    osteogenic.par_chunks_mut(n),
                    integration.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(
                sensed,
                susceptibility,
                fates,
                upr,
                autophagy,
                apoptosis,
                osteogenic,
                integration,
            )| {
                for k in 0..fates.len() {
                    if !fates[k].is_alive() {
                        continue;
                    }
                    let mut state = CellState::from_parts(
                        &upr[k],
                        &autophagy[k],
                        &apoptosis[k],
                        &osteogenic[k],
                    );
                    let bookkeeping = &mut integration[k];
                    bookkeeping.rhs_evaluations = 0;
                    for &(start_min, duration_min) in pieces {
                        // What the cell senses over the piece, read at its middle (clear
                        // of the switches at its ends).
                        let mut surroundings = exposure.surroundings(
                            start_min + 0.5 * duration_min,
                            &sensed[k],
                            &susceptibility[k].0,
                        );
                        surroundings.osteogenic_sensitivity *= osteogenic_responsiveness(
                            &model.params.fate,
                            fates[k].phenotype,
                            model.in_vitro,
                        );
                        let cell_exposure = model.cell.exposure(&surroundings);
                        if let Err(e) = advance_counted(
                            &model.cell,
                            &mut state,
                            &cell_exposure,
                            start_min,
                            duration_min,
                            &model.integrator,
                            &mut bookkeeping.step_hint_min,
                            &mut bookkeeping.rhs_evaluations,
                            &mut |_, _| {},
                        ) {
                            bookkeeping.failure = Some(e);
                            break;
                        }
                    }
                    upr[k] = state.upr;
                    autophagy[k] = state.autophagy_part();
                    apoptosis[k] = state.apoptosis_part();
                    osteogenic[k] = state.osteogenic;
                }
            },
        );
    }
}

/// Stops the run at the first non-finite cell state (lowest cell id, for determinism),
/// and adds the step's integration cost to [`IntegrationWork`].
pub fn check_integration(
    cells: Query<(&CellId, &Integration)>,
    mut failure: ResMut<Failure>,
    mut work: ResMut<IntegrationWork>,
) {
    work.rhs_evaluations += cells
        .iter()
        .map(|(_, integration)| integration.rhs_evaluations)
        .sum::<u64>();
    let first = cells
        .iter()
        .filter_map(|(id, integration)| integration.failure.map(|f| (*id, f)))
        .min_by_key(|(id, _)| *id);
    if let Some((id, error)) = first
        && failure.0.is_none()
    {
        failure.0 = Some(SimError::NonFinite { cell: id.0, error });
    }
}

/// The fate rules' random draws for one cell and step, from keyed streams.
struct KeyedFateDraws {
    seed: u64,
    cell: u64,
    tick: u64,
}

impl FateDraws for KeyedFateDraws {
    fn apoptosis(&mut self) -> f64 {
        KeyedStream::new(self.seed, self.cell, self.tick, Purpose::Apoptosis).uniform()
    }

    fn cycle_entry(&mut self) -> f64 {
        KeyedStream::new(self.seed, self.cell, self.tick, Purpose::CycleEntry).uniform()
    }

    fn g1_duration_h(&mut self, mean_h: f64, sd_h: f64) -> f64 {
        // The parameter table keeps the standard deviation finite and non-negative, the
        // only case `Normal` refuses; the mean stands in for it.
        Normal::new(mean_h, sd_h).map_or(mean_h, |g1| {
            KeyedStream::new(self.seed, self.cell, self.tick, Purpose::CycleLength).sample(&g1)
        })
    }

    fn osteogenic_commitment(&mut self) -> f64 {
        KeyedStream::new(
            self.seed,
            self.cell,
            self.tick,
            Purpose::OsteogenicCommitment,
        )
        .uniform()
    }

    fn dedifferentiation(&mut self) -> f64 {
        KeyedStream::new(self.seed, self.cell, self.tick, Purpose::Dedifferentiation).uniform()
    }
}

/// The components the fate rules read and write, one cell per row.
type FateCell<'a> = (
    &'a CellId,
    &'a WallSite,
    &'a UprCoreState,
    &'a AutophagyState,
    &'a ApoptosisState,
    &'a OsteogenicState,
    &'a Sensed,
    &'a Susceptibility,
    &'a mut Fate,
    &'a mut Released,
    &'a mut PendingFateEvent,
);

/// Phenotype labels, apoptosis draws, execution into apoptotic bodies, vesicle release
/// and cell-cycle progress, at the end of each coupling step ([`fate::advance`]); the
/// events are left for turnover.
pub fn apply_fate_rules(
    parallelism: Res<Parallelism>,
    model: Res<Model>,
    clock: Res<SimClock>,
    seed: Res<RunSeed>,
    wall: Res<Wall>,
    exposure: Res<Exposure>,
    mut cells: Query<FateCell>,
) {
    let fate_params = &model.params.fate;
    let timing = FateInputs {
        step_h: clock.step_min / HOUR,
        end_min: clock.time_min + clock.step_min,
        max_division_rate_per_h: if model.in_vitro {
            fate_params.max_division_rate_in_vitro_of(model.species)
        } else {
            fate_params.max_division_rate_in_vivo_per_h
        },
        // Culture medium here always carries serum (docs/model.md §4.1).
        serum_culture: model.in_vitro,
        species: model.species,
        division_rate_scale: 1.0,
        ..FateInputs::default()
    };
    let (model, clock, seed, wall, exposure) = (&*model, &*clock, seed.0, &*wall, &*exposure);
    // What the rules read of a living cell: its state, readouts and surroundings.
    let inputs_of = |site: &WallSite, state: &CellState, sensed: &Sensed, traits: &CellTraits| {
        let surroundings = exposure.surroundings(clock.time_min, sensed, traits);
        let readout = model
            .cell
            .readout(state, &model.cell.exposure(&surroundings));
        FateInputs {
            alpha_sma: state.osteogenic.alpha_sma,
            alp: state.osteogenic.alp,
            grp78: state.upr.bip_protein,
            p_eif2a: state.upr.p_eif2a,
            autophagy: state.autophagy,
            osteogenic_index: readout.osteogenic.osteogenic_index,
            enpp1_capacity: readout.osteogenic.enpp1_capacity,
            bmp2_secretion: (state.osteogenic.bmp2 - 1.0).max(0.0),
            apoptosis_hazard_per_h: readout.apoptosis.hazard_per_h
                + sensed.crystal_death_hazard_per_h,
            death_route_hazards: readout
                .apoptosis
                .route_hazards
                .with(DeathRoute::Crystal, sensed.crystal_death_hazard_per_h),
            calcium: surroundings.calcium,
            fetuin_a: surroundings.fetuin_a,
            free_neighbour_fraction: wall.free_neighbour_fraction(site.0),
            division_rate_scale: f64::from(traits.division_rate),
            ..timing
        }
    };
    let n = CELLS_PER_CHUNK;
    for (
        ids,
        sites,
        upr,
        autophagy,
        apoptosis,
        osteogenic,
        sensed,
        susceptibility,
        mut fates,
        mut released,
        mut events,
    ) in cells.contiguous_iter_mut().expect(DENSE)
    {
        let columns = (
            ids,
            sites,
            upr,
            autophagy,
            apoptosis,
            osteogenic,
            sensed,
            susceptibility,
            fates.bypass_change_detection(),
            released.bypass_change_detection(),
            events.bypass_change_detection(),
        );
        parallelism.for_each_chunk(
            columns,
            |(
                ids,
                sites,
                upr,
                autophagy,
                apoptosis,
                osteogenic,
                sensed,
                susceptibility,
                fates,
                released,
                events,
            )| {
                (
                    ids.par_chunks(n),
                    sites.par_chunks(n),
                    upr.par_chunks(n),
                    autophagy.par_chunks(n),
                    apoptosis.par_chunks(n),
                    osteogenic.par_chunks(n),
                    sensed.par_chunks(n),
                    susceptibility.par_chunks(n),
                    fates.par_chunks_mut(n),
                    released.par_chunks_mut(n),
                    events.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(
                ids,
                sites,
                upr,
                autophagy,
                apoptosis,
                osteogenic,
                sensed,
                susceptibility,
                fates,
                released,
                events,
            )| {
                for k in 0..fates.len() {
                    let fate = &mut fates[k];
                    let inputs = if fate.is_alive() {
                        let state = CellState::from_parts(
                            &upr[k],
                            &autophagy[k],
                            &apoptosis[k],
                            &osteogenic[k],
                        );
                        inputs_of(&sites[k], &state, &sensed[k], &susceptibility[k].0)
                    } else {
                        timing
                    };
                    let mut draws = KeyedFateDraws {
                        seed,
                        cell: ids[k].0,
                        tick: clock.tick,
                    };
                    events[k].0 =
                        fate::advance(fate_params, fate, &inputs, &mut draws, &mut released[k]);
                }
            },
        );
    }
}
