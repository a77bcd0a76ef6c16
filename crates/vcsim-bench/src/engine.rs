//! The reference workload on vcsim's engine: the same `World`, components, executor,
//! worker threads, lattice and keyed random streams as [`vcsim::sim::Simulation`], with
//! the toy model of [the crate root](crate) in place of the biology.
//!
//! The schedule is chained (`update_cells` → `take_up_and_diffuse` → `advance_step`) on
//! the single-threaded executor with ambiguity detection on; parallelism is inside the
//! systems, on the workload's own pool ([`vcsim::sim::parallel::Threads`]), and a run
//! executes on a worker, as a simulation's steps do.
//!
//! Uptake has no pass of its own: each cell deposits what it takes up into its site's
//! slot, and the diffusion tasks subtract the deposits from the rows they read. A step is
//! then two parallel passes, as in the plain loop.

use crate::{
    Config, Outcome, STATES, WorkloadError, advance_cell, diffuse_row, initial_state,
    neighbour_rows, uptake,
};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use vcsim::sim::components::{CellId, WallSite};
use vcsim::sim::grid::Lattice;
use vcsim::sim::parallel::{Parallelism, Threads, on_pool};
use vcsim::sim::resources::RunSeed;

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

/// What each site's cell takes up from the field in a step (the bits of an `f64`): written
/// by the cell each step while it lives and set to 0 when it dies, read by the diffusion
/// tasks.
///
/// With one cell per site no two cells share a slot, so the (relaxed, atomic) stores
/// never race, the systems are chained so no read overlaps a write, and the field does
/// not depend on the thread count or the order of the cells. A lattice with several cells
/// per site would gather per-cell amounts in site order instead, as
/// `sim::systems::extracellular` does.
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
    threads: Threads,
    /// The pool the steps run on (none when serial).
    pool: Option<rayon::ThreadPool>,
}

impl EngineWorkload {
    /// Builds the world: one cell entity per site in site order, the field at 0, and the
    /// schedule, on `threads`.
    ///
    /// # Errors
    /// [`WorkloadError::Empty`] for a lattice without sites; [`WorkloadError::Schedule`]
    /// if the systems conflict (a bug); [`WorkloadError::ThreadPool`] if the worker
    /// threads cannot be started.
    pub fn new(config: &Config, threads: Threads) -> Result<Self, WorkloadError> {
        let pool = threads.build_pool()?;
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
        world.insert_resource(threads.parallelism());

        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        schedule.add_systems((update_cells, take_up_and_diffuse, advance_step).chain());
        schedule
            .initialize(&mut world)
            .map_err(|_| WorkloadError::Schedule)?;
        Ok(Self {
            world,
            schedule,
            config: *config,
            threads,
            pool,
        })
    }

    /// Worker threads of the engine.
    #[must_use]
    pub const fn threads(&self) -> usize {
        self.threads.count()
    }

    /// Runs one step.
    pub fn step(&mut self) {
        let (schedule, world) = (&mut self.schedule, &mut self.world);
        on_pool(self.pool.as_ref(), || schedule.run(world));
    }

    /// Runs the configured number of steps (from where the run stands) and returns the
    /// outcome. The whole run is one job on the workers, as in the plain loop.
    pub fn run(&mut self) -> Outcome {
        let (schedule, world, steps) = (&mut self.schedule, &mut self.world, self.config.steps);
        on_pool(self.pool.as_ref(), || {
            for _ in 0..steps {
                schedule.run(world);
            }
        });
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

/// Cells per chunk of the cell pass: about 7 µs of work while all cells live, short
/// enough that a thread waiting for the other's last chunk at the end of the pass is
/// still spinning, not asleep, when the next pass starts (with 4096-cell chunks the
/// engine's workers slept and were woken about 800 times in 1000 steps; with 1024, 200).
const CELLS_PER_CHUNK: usize = 1024;

/// Rows of sites per chunk of the diffusion pass (2,000 sites on the large lattice, a few
/// microseconds); each chunk recomputes the uptake of the two rows around it, a cheap
/// subtraction per site.
const ROWS_PER_CHUNK: usize = 4;

/// Step 1: every living cell takes its Euler step with the field at the start of the
/// step and draws its death, in parallel; each writes only its own components.
fn update_cells(
    parallelism: Res<Parallelism>,
    seed: Res<RunSeed>,
    step: Res<StepCounter>,
    field: Res<Phosphate>,
    deposits: Res<Deposits>,
    mut cells: Query<(&CellId, &WallSite, &mut ToyState, &mut Alive)>,
) {
    let (seed, step, phi, deposits) = (seed.0, step.0, &field.phi, &deposits.0);
    let n = CELLS_PER_CHUNK;
    // Slices of whole tables, cut into chunks: the same loop shape as a struct-of-arrays
    // loop, with the states of one cell side by side.
    for (ids, sites, mut states, mut alive) in cells
        .contiguous_iter_mut()
        .expect("all four components live in tables, so the query is dense")
    {
        // The systems are chained and nothing reads change ticks: skip the writes.
        let states = states.bypass_change_detection();
        let alive = alive.bypass_change_detection();
        parallelism.for_each_chunk(
            (ids, sites, states, alive),
            |(ids, sites, states, alive)| {
                (
                    ids.par_chunks(n),
                    sites.par_chunks(n),
                    states.par_chunks_mut(n),
                    alive.par_chunks_mut(n),
                )
                    .into_par_iter()
            },
            |(ids, sites, states, alive)| {
                for (((id, site), state), alive) in ids.iter().zip(sites).zip(states).zip(alive) {
                    if !alive.0 {
                        continue;
                    }
                    let here = phi[site.0];
                    let taken = if advance_cell(&mut state.0, here, seed, id.0, step) {
                        uptake(here)
                    } else {
                        alive.0 = false;
                        0.0
                    };
                    deposits[site.0].store(taken.to_bits(), Ordering::Relaxed);
                }
            },
        );
    }
}

/// Steps 2 and 3: uptake, then diffusion plus source into the second buffer, in one
/// parallel pass over chunks of rows; then the buffers swap. Each chunk keeps a rolling
/// window of three rows after uptake (`phi - deposit`, the same arithmetic as
/// [`after_uptake`](crate::after_uptake)), so each site's uptake is computed once per chunk.
fn take_up_and_diffuse(
    parallelism: Res<Parallelism>,
    mut field: ResMut<Phosphate>,
    deposits: Res<Deposits>,
) {
    let field = field.bypass_change_detection();
    let axial = field.lattice.axial;
    let rows = field.lattice.circumferential * field.lattice.layers.len();
    let (phi, deposits) = (&field.phi, &deposits.0);
    let after_uptake = |c: usize, row: &mut Vec<f64>| {
        let sites = c * axial..(c + 1) * axial;
        row.clear();
        row.extend(
            phi[sites.clone()]
                .iter()
                .zip(&deposits[sites])
                .map(|(phi, slot)| phi - f64::from_bits(slot.load(Ordering::Relaxed))),
        );
    };
    // Serially, the whole buffer is chunk 0.
    parallelism.for_each_chunk(
        (0, &mut field.next[..]),
        |(_, next)| next.par_chunks_mut(ROWS_PER_CHUNK * axial).enumerate(),
        |(k, out)| {
            let first = k * ROWS_PER_CHUNK;
            let (mut before, mut here, mut after) = (Vec::new(), Vec::new(), Vec::new());
            after_uptake(neighbour_rows(first, rows).0, &mut before);
            after_uptake(first, &mut here);
            for (r, out_row) in out.chunks_mut(axial).enumerate() {
                after_uptake(neighbour_rows(first + r, rows).1, &mut after);
                diffuse_row(&before, &here, &after, out_row);
                // Roll the window down one row.
                std::mem::swap(&mut before, &mut here);
                std::mem::swap(&mut here, &mut after);
            }
        },
    );
    std::mem::swap(&mut field.phi, &mut field.next);
}

fn advance_step(mut step: ResMut<StepCounter>) {
    step.0 += 1;
}
