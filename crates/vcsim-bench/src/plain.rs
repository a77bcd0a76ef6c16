//! The reference workload as a plain struct-of-arrays loop on a rayon pool: one `Vec<f64>`
//! per state, a `Vec<bool>` of living cells and the field, cell `i` at site `i`. The
//! yardstick the engine version is measured against.

use crate::{
    Config, Outcome, STATES, WorkloadError, advance_cell, after_uptake, diffuse_rows, initial_state,
};
use rayon::prelude::*;

/// Cells per rayon task in the cell loop.
const CELLS_PER_TASK: usize = 4096;

/// The workload as a plain loop.
pub struct PlainWorkload {
    arrays: Arrays,
    pool: rayon::ThreadPool,
}

/// The cells and the field.
struct Arrays {
    config: Config,
    /// `states[k][i]`: state `k` of cell `i`.
    states: [Vec<f64>; STATES],
    alive: Vec<bool>,
    phi: Vec<f64>,
    next: Vec<f64>,
    step: u64,
}

impl PlainWorkload {
    /// Builds the arrays and a rayon pool of `threads` workers.
    ///
    /// # Errors
    /// [`WorkloadError::Empty`] for a lattice without sites; [`WorkloadError::ThreadPool`]
    /// if the pool cannot be started.
    pub fn new(config: &Config, threads: usize) -> Result<Self, WorkloadError> {
        let n = config.cells();
        if n == 0 {
            return Err(WorkloadError::Empty);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|i| format!("vcsim-plain-{i}"))
            .build()?;
        let initial = initial_state();
        Ok(Self {
            arrays: Arrays {
                config: *config,
                states: std::array::from_fn(|k| vec![initial[k]; n]),
                alive: vec![true; n],
                phi: vec![0.0; n],
                next: vec![0.0; n],
                step: 0,
            },
            pool,
        })
    }

    /// Worker threads of the pool.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs one step.
    pub fn step(&mut self) {
        let arrays = &mut self.arrays;
        self.pool.install(|| arrays.step());
    }

    /// Runs the configured number of steps (from where the run stands) and returns the
    /// outcome. The whole run is one job on the pool, as a rayon program would be written.
    pub fn run(&mut self) -> Outcome {
        let arrays = &mut self.arrays;
        self.pool.install(|| {
            for _ in 0..arrays.config.steps {
                arrays.step();
            }
        });
        self.outcome()
    }

    /// The state of the run: steps, survivors, sums in site and cell order.
    #[must_use]
    pub fn outcome(&self) -> Outcome {
        let a = &self.arrays;
        let n = a.config.cells();
        Outcome {
            steps: a.step,
            cells: n,
            alive: a.alive.iter().filter(|a| **a).count(),
            phosphate_sum: a.phi.iter().sum(),
            state_sum: (0..n)
                .flat_map(|i| a.states.iter().map(move |s| s[i]))
                .sum(),
        }
    }
}

impl Arrays {
    /// One step, on the current rayon pool.
    fn step(&mut self) {
        let (seed, step, axial) = (self.config.seed, self.step, self.config.axial);
        let [u, b, p, e, a, c, i, x, t, r] = &mut self.states;
        let (alive, phi, next) = (&mut self.alive, &mut self.phi, &mut self.next);
        // Cells, then uptake: cell i reads and writes only site i, so both fit in
        // one pass.
        (
            u.par_chunks_mut(CELLS_PER_TASK),
            b.par_chunks_mut(CELLS_PER_TASK),
            p.par_chunks_mut(CELLS_PER_TASK),
            e.par_chunks_mut(CELLS_PER_TASK),
            a.par_chunks_mut(CELLS_PER_TASK),
            c.par_chunks_mut(CELLS_PER_TASK),
            i.par_chunks_mut(CELLS_PER_TASK),
            x.par_chunks_mut(CELLS_PER_TASK),
            t.par_chunks_mut(CELLS_PER_TASK),
            r.par_chunks_mut(CELLS_PER_TASK),
            alive.par_chunks_mut(CELLS_PER_TASK),
            phi.par_chunks_mut(CELLS_PER_TASK),
        )
            .into_par_iter()
            .enumerate()
            .for_each(|(chunk, (u, b, p, e, a, c, i, x, t, r, alive, phi))| {
                let first = (chunk * CELLS_PER_TASK) as u64;
                // All slices cut to one length, so the indexing below needs no checks.
                let n = u.len();
                let (b, p, e, a, c) = (
                    &mut b[..n],
                    &mut p[..n],
                    &mut e[..n],
                    &mut a[..n],
                    &mut c[..n],
                );
                let (i, x, t, r) = (&mut i[..n], &mut x[..n], &mut t[..n], &mut r[..n]);
                let (alive, phi) = (&mut alive[..n], &mut phi[..n]);
                for j in 0..n {
                    if !alive[j] {
                        continue;
                    }
                    let mut s = [u[j], b[j], p[j], e[j], a[j], c[j], i[j], x[j], t[j], r[j]];
                    let survives = advance_cell(&mut s, phi[j], seed, first + j as u64, step);
                    [u[j], b[j], p[j], e[j], a[j], c[j], i[j], x[j], t[j], r[j]] = s;
                    if survives {
                        phi[j] = after_uptake(phi[j]);
                    } else {
                        alive[j] = false;
                    }
                }
            });
        // Diffusion and source, parallel over rows.
        let phi = &*phi;
        next.par_chunks_mut(axial)
            .enumerate()
            .for_each(|(row, out)| diffuse_rows(phi, axial, row, out));
        std::mem::swap(&mut self.phi, &mut self.next);
        self.step += 1;
    }
}
