//! The reference workload on vcsim's engine: the same `World`, components, executor,
//! task pool, lattice and keyed random streams as [`crate::sim::Simulation`], with the
//! toy model of [`crate::workload`] in place of the biology.
//!
//! The schedule is chained (`update_cells` → `take_up` → `diffuse` → `advance_step`)
//! on the single-threaded executor with ambiguity detection on; parallelism is inside
//! the systems, on bevy's `ComputeTaskPool` (sized once per process by
//! [`crate::sim::init_threads`]).

use super::{
    Config, Outcome, STATES, WorkloadError, advance_cell, diffuse_rows, initial_state, uptake,
};
use crate::sim::components::{CellId, WallSite};
use crate::sim::grid::Lattice;
use crate::sim::init_threads;
use crate::sim::resources::RunSeed;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};
use bevy_tasks::ComputeTaskPool;
use std::sync::atomic::{AtomicU64, Ordering};

/// The ten states of a cell, in the order `U, B, P, E, A, C, I, X, T, R`: one component,
/// because the update touches all of them.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct ToyState(pub [f64; STATES]);

/// Whether the cell is alive; dead cells neither update nor take up phosphate.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alive(pub bool);

/// The phosphate field on the lattice, with a second buffer for the diffusion step.
#[derive(Resource, Clone, Debug)]
pub struct Phosphate {
    /// The lattice the field lives on.
    pub lattice: Lattice,
    /// The field, one value per site.
    pub phi: Vec<f64>,
    /// The buffer the next diffusion step writes into.
    pub next: Vec<f64>,
}

/// What the cells took up this step, one slot per site (the bits of an `f64`), written
/// by the cells and applied to the field by `take_up`.
///
/// With one cell per site no two cells share a slot, so the (relaxed, atomic) stores
/// never race and the field does not depend on the thread count or the order of the
/// cells. A lattice with several cells per site would gather per-cell amounts in site
/// order instead, as `sim::systems::extracellular` does.
#[derive(Resource, Debug)]
pub struct Deposits(pub Vec<AtomicU64>);

/// Completed steps (the step key of the random streams).
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepCounter(pub u64);

/// The workload on vcsim's engine.
pub struct EngineWorkload {
    world: World,
    schedule: Schedule,
    config: Config,
}

impl EngineWorkload {
    /// Builds the world: one cell entity per site in site order, the field at 0, and the
    /// schedule. Uses every core unless [`init_threads`] was called first.
    ///
    /// # Errors
    /// [`WorkloadError::Empty`] for a lattice without sites; [`WorkloadError::Schedule`]
    /// if the systems conflict (a bug).
    pub fn new(config: &Config) -> Result<Self, WorkloadError> {
        init_threads(std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
        let lattice = config.lattice();
        let n = lattice.len();
        if n == 0 {
            return Err(WorkloadError::Empty);
        }
        let mut world = World::new();
        world.spawn_batch((0..n).map(|site| {
            (
                CellId(site as u64),
                WallSite(site),
                ToyState(initial_state()),
                Alive(true),
            )
        }));
        world.insert_resource(Phosphate {
            lattice,
            phi: vec![0.0; n],
            next: vec![0.0; n],
        });
        world.insert_resource(Deposits((0..n).map(|_| AtomicU64::new(0)).collect()));
        world.insert_resource(StepCounter(0));
        world.insert_resource(RunSeed(config.seed));

        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        schedule.add_systems((update_cells, take_up, diffuse, advance_step).chain());
        schedule
            .initialize(&mut world)
            .map_err(|_| WorkloadError::Schedule)?;
        Ok(Self {
            world,
            schedule,
            config: *config,
        })
    }

    /// Worker threads of the engine's pool.
    #[must_use]
    pub fn threads() -> usize {
        ComputeTaskPool::try_get().map_or(1, |pool| pool.thread_num())
    }

    /// Runs one step.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
    }

    /// Runs the configured number of steps (from where the run stands) and returns the
    /// outcome.
    pub fn run(&mut self) -> Outcome {
        for _ in 0..self.config.steps {
            self.step();
        }
        self.outcome()
    }

    /// The state of the run: steps, survivors, sums in site and cell order.
    pub fn outcome(&mut self) -> Outcome {
        let n = self.config.cells();
        let mut query = self.world.query::<(&CellId, &ToyState, &Alive)>();
        let alive = query.iter(&self.world).filter(|(_, _, a)| a.0).count();
        // The table holds the cells in spawn (= id) order unless something reordered it;
        // sum in place then, and through a copy sorted by id otherwise.
        let in_id_order = query
            .iter(&self.world)
            .enumerate()
            .all(|(k, (id, _, _))| id.0 == k as u64);
        let state_sum = if in_id_order {
            query.iter(&self.world).flat_map(|(_, s, _)| s.0).sum()
        } else {
            let mut states: Vec<(u64, [f64; STATES])> = query
                .iter(&self.world)
                .map(|(id, s, _)| (id.0, s.0))
                .collect();
            states.sort_unstable_by_key(|(id, _)| *id);
            states.iter().flat_map(|(_, s)| *s).sum()
        };
        let field = self.world.resource::<Phosphate>();
        Outcome {
            steps: self.world.resource::<StepCounter>().0,
            cells: n,
            alive,
            phosphate_sum: field.phi.iter().sum(),
            state_sum,
        }
    }
}

/// Step 1: every living cell takes its Euler step with the field at the start of the
/// step and draws its death, in parallel; each writes only its own components.
fn update_cells(
    seed: Res<RunSeed>,
    step: Res<StepCounter>,
    field: Res<Phosphate>,
    deposits: Res<Deposits>,
    mut cells: Query<(&CellId, &WallSite, &mut ToyState, &mut Alive)>,
) {
    let (seed, step, phi, deposits) = (seed.0, step.0, &field.phi, &deposits.0);
    // Slices of whole table chunks instead of one item at a time: the same loop shape as
    // a struct-of-arrays loop, with the states of one cell side by side.
    cells
        .contiguous_par_iter_mut()
        .expect("all four components live in tables, so the query is dense")
        .for_each(|(ids, sites, mut states, mut alive)| {
            // The systems are chained and nothing reads change ticks: skip the writes.
            let states = states.bypass_change_detection();
            let alive = alive.bypass_change_detection();
            for (((id, site), state), alive) in ids.iter().zip(sites).zip(states).zip(alive) {
                if !alive.0 {
                    continue;
                }
                let here = phi[site.0];
                if advance_cell(&mut state.0, here, seed, id.0, step) {
                    deposits[site.0].store(uptake(here).to_bits(), Ordering::Relaxed);
                } else {
                    alive.0 = false;
                }
            }
        });
}

/// Step 2: uptake by the cells still alive, parallel over blocks of rows: each site
/// gives up what its cell deposited, and the slot is cleared for the next step.
fn take_up(mut field: ResMut<Phosphate>, mut deposits: ResMut<Deposits>) {
    let block = block_len(&field.lattice);
    let phi = &mut field.bypass_change_detection().phi;
    let deposits = &mut deposits.bypass_change_detection().0;
    on_pool(
        phi.chunks_mut(block).zip(deposits.chunks_mut(block)),
        |_, (phi, deposits)| {
            for (phi, slot) in phi.iter_mut().zip(deposits) {
                // Same arithmetic as `after_uptake`: phi - uptake(phi); empty slots hold 0.
                *phi -= f64::from_bits(std::mem::take(slot.get_mut()));
            }
        },
    );
}

/// Step 3: diffusion plus source into the second buffer, parallel over blocks of rows,
/// then the buffers swap.
fn diffuse(mut field: ResMut<Phosphate>) {
    let field = field.bypass_change_detection();
    let axial = field.lattice.axial;
    let block = block_len(&field.lattice);
    let phi = &field.phi;
    on_pool(field.next.chunks_mut(block), |k, out| {
        diffuse_rows(phi, axial, k * (block / axial), out);
    });
    std::mem::swap(&mut field.phi, &mut field.next);
}

/// Sites per block of whole rows: one block per worker thread.
fn block_len(lattice: &Lattice) -> usize {
    let rows = lattice.circumferential * lattice.layers.len();
    let threads = ComputeTaskPool::get().thread_num().max(1);
    rows.div_ceil(threads).max(1) * lattice.axial
}

/// Runs `work(k, block)` on every block, in parallel on the engine's pool (in this thread
/// when the pool has one worker).
fn on_pool<T: Send>(blocks: impl Iterator<Item = T>, work: impl Fn(usize, T) + Sync) {
    let pool = ComputeTaskPool::get();
    if pool.thread_num() <= 1 {
        for (k, block) in blocks.enumerate() {
            work(k, block);
        }
        return;
    }
    let work = &work;
    pool.scope(|scope| {
        for (k, block) in blocks.enumerate() {
            scope.spawn(async move { work(k, block) });
        }
    });
}

fn advance_step(mut step: ResMut<StepCounter>) {
    step.0 += 1;
}
