//! # vcsim-bench: the reference workload and the bench harness
//!
//! This library is the reference workload of issue 6: a synthetic model, the same in both
//! of its implementations, that measures what vcsim's engine costs over a plain parallel
//! loop. The `vcsim-bench` binary (`src/main.rs`) measures it and the real model, each
//! run in its own process, and prints the table (`cargo run --release -p vcsim-bench`).
//! Neither ships with the `vcsim` library or program.
//!
//! No biology: ten coupled states per cell on a phosphate-like field, chosen so that the
//! per-cell work is about as heavy as a cheap cell model and the field work as light as
//! a stencil can be, which makes engine overhead visible. It runs twice:
//!
//! - [`engine`]: vcsim's engine, as `sim` uses it: a bevy `World` with the
//!   [`CellId`](vcsim::sim::components::CellId) and
//!   [`WallSite`](vcsim::sim::components::WallSite) components, a field on a
//!   [`Lattice`], a chained `Schedule` on the single-threaded executor, per-cell systems
//!   on the engine's rayon workers over contiguous table slices, and draws from
//!   [`KeyedStream`];
//! - [`plain`]: a struct-of-arrays loop on a rayon pool.
//!
//! Both give bit-identical results for any thread count.
//!
//! # The model
//!
//! The lattice is `axial × circumferential` sites, one static cell per site, periodic
//! around the circumference and no-flux at the axial ends. Each cell carries ten states
//! `U, B, P, E, A, C, I, X, T, R`, all 0 except `B = 1`. With `h(s) = s² / (0.25 + s²)`
//! and `φ` the phosphate at the cell's site, one explicit Euler step of `dt = 0.05`:
//!
//! ```text
//! dU = 0.5 (1 + φ) − 0.8 U B − 0.1 U      dB = 0.3 (1 + 2 T) − 0.8 U B − 0.2 B
//! dP = h(U) − 0.5 P                       dE = P − 0.7 E
//! dA = 0.8 E − 0.4 A                      dC = 0.6 A − 0.3 C
//! dI = h(U) − 0.5 I                       dX = 0.9 I − 0.6 X
//! dT = 0.5 h(U) − 0.4 T                   dR = 0.3 X + 0.2 A − 0.1 R
//! ```
//!
//! # One step, in this order
//!
//! 1. Every living cell takes its Euler step with `φ` at the start of the step, then
//!    dies with probability `1e-4 C²` (with the updated `C`), drawn from its own stream
//!    `KeyedStream(seed, cell, step, Apoptosis)`. Dead cells stop updating and
//!    consuming.
//! 2. Uptake: each cell still alive removes `0.02 φ` at its site.
//! 3. Diffusion and source: explicit 5-point diffusion with `D dt / dx² = 0.1` into a
//!    second buffer, plus `0.01` per site.
//!
//! Every quantity is dimensionless; the step is the unit of time.

pub mod engine;
pub mod plain;

use vcsim::sim::grid::{Lattice, LayerKind};
use vcsim::sim::rng::{KeyedStream, Purpose};

/// Number of states per cell.
pub const STATES: usize = 10;
/// Index of `U` (unfolded load) in a cell's states; the rest follow in the order
/// `U, B, P, E, A, C, I, X, T, R`.
pub const U: usize = 0;
/// Index of `B` (the buffer), the only state that starts at 1.
pub const B: usize = 1;
/// Index of `C`, the state whose square sets the death probability.
pub const C: usize = 5;
/// Explicit Euler step.
pub const DT: f64 = 0.05;
/// Diffusion number `D dt / dx²` of the field (stable below 0.25).
pub const DIFFUSION_NUMBER: f64 = 0.1;
/// Phosphate added to every site each step.
pub const SOURCE_PER_STEP: f64 = 0.01;
/// Fraction of the site's phosphate a living cell takes up each step.
pub const UPTAKE_PER_STEP: f64 = 0.02;
/// Death probability per step is this times `C²`.
pub const DEATH_PER_C_SQUARED: f64 = 1e-4;
/// `K²` of the Hill function `h(s) = s² / (K² + s²)`.
pub const HILL_K_SQUARED: f64 = 0.25;
/// Steps of a reference run.
pub const REFERENCE_STEPS: u64 = 1000;

/// Size and length of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Sites along the axis (no-flux ends).
    pub axial: usize,
    /// Sites around the circumference (periodic).
    pub circumferential: usize,
    /// Steps to run.
    pub steps: u64,
    /// Root of the cells' random streams.
    pub seed: u64,
}

impl Config {
    /// The small reference size: 200 × 50 sites (10,000 cells), 1000 steps.
    pub const SMALL: Self = Self {
        axial: 200,
        circumferential: 50,
        steps: REFERENCE_STEPS,
        seed: 1,
    };

    /// The large reference size: 500 × 200 sites (100,000 cells), 1000 steps.
    pub const LARGE: Self = Self {
        axial: 500,
        circumferential: 200,
        steps: REFERENCE_STEPS,
        seed: 1,
    };

    /// Number of cells (one per site).
    #[must_use]
    pub const fn cells(&self) -> usize {
        self.axial * self.circumferential
    }

    /// Cell updates the run performs, counting every cell at every step (living or not):
    /// the throughput unit "agent-steps".
    #[must_use]
    pub const fn agent_steps(&self) -> u64 {
        self.cells() as u64 * self.steps
    }

    /// The lattice: one monolayer, no-flux at the axial ends, periodic around.
    #[must_use]
    pub fn lattice(&self) -> Lattice {
        Lattice {
            axial: self.axial,
            circumferential: self.circumferential,
            layers: vec![LayerKind::Monolayer],
            spacing_um: 1.0,
            periodic_axial: false,
        }
    }
}

/// What a run ended with; equal between the two implementations to the bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Steps run.
    pub steps: u64,
    /// Cells (one per site).
    pub cells: usize,
    /// Cells still alive.
    pub alive: usize,
    /// Sum of the field over the sites, in site order.
    pub phosphate_sum: f64,
    /// Sum of all states of all cells, in cell order.
    pub state_sum: f64,
}

impl Outcome {
    /// Whether two outcomes are identical to the bit.
    #[must_use]
    pub fn identical(&self, other: &Self) -> bool {
        self.steps == other.steps
            && self.cells == other.cells
            && self.alive == other.alive
            && self.phosphate_sum.to_bits() == other.phosphate_sum.to_bits()
            && self.state_sum.to_bits() == other.state_sum.to_bits()
    }
}

/// A failure to set up a run.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    /// The rayon pool of the plain loop or of the engine could not be built.
    #[error("building the thread pool: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
    /// The engine's schedule could not be built (a bug: systems conflict).
    #[error("the workload schedule is invalid: conflicting systems")]
    Schedule,
    /// A size of 0 sites or steps.
    #[error("the lattice must have at least one site")]
    Empty,
}

/// The states of a new cell: all 0 except `B = 1`.
#[must_use]
pub const fn initial_state() -> [f64; STATES] {
    let mut state = [0.0; STATES];
    state[B] = 1.0;
    state
}

/// `h(s) = s² / (K² + s²)`.
#[inline]
#[must_use]
pub fn hill(s: f64) -> f64 {
    let s2 = s * s;
    s2 / (HILL_K_SQUARED + s2)
}

/// One Euler step of a living cell with phosphate `phi` at its site, then the death draw
/// from the cell's stream for this step. Returns whether the cell survives.
///
/// Always inlined, so that both versions keep the states in registers: called out of
/// line, the plain loop's ten scalar stores feed this function's wide loads and stall.
#[inline(always)]
#[must_use]
pub fn advance_cell(state: &mut [f64; STATES], phi: f64, seed: u64, cell: u64, step: u64) -> bool {
    let [u, b, p, e, a, c, i, x, t, r] = *state;
    let h = hill(u);
    let binding = 0.8 * u * b;
    let du = 0.5 * (1.0 + phi) - binding - 0.1 * u;
    let db = 0.3 * (1.0 + 2.0 * t) - binding - 0.2 * b;
    let dp = h - 0.5 * p;
    let de = p - 0.7 * e;
    let da = 0.8 * e - 0.4 * a;
    let dc = 0.6 * a - 0.3 * c;
    let di = h - 0.5 * i;
    let dx = 0.9 * i - 0.6 * x;
    let dt = 0.5 * h - 0.4 * t;
    let dr = 0.3 * x + 0.2 * a - 0.1 * r;
    let c = c + DT * dc;
    *state = [
        u + DT * du,
        b + DT * db,
        p + DT * dp,
        e + DT * de,
        a + DT * da,
        c,
        i + DT * di,
        x + DT * dx,
        t + DT * dt,
        r + DT * dr,
    ];
    let p_death = DEATH_PER_C_SQUARED * c * c;
    KeyedStream::new(seed, cell, step, Purpose::Apoptosis).uniform() >= p_death
}

/// What a living cell takes up from its site's phosphate `phi` in one step.
#[inline]
#[must_use]
pub fn uptake(phi: f64) -> f64 {
    UPTAKE_PER_STEP * phi
}

/// The site's phosphate after a living cell's uptake.
#[inline]
#[must_use]
pub fn after_uptake(phi: f64) -> f64 {
    phi - uptake(phi)
}

/// One explicit diffusion step plus the source for one row of sites (one circumferential
/// position, all axial positions): `here` is the row, `before` and `after` its
/// circumferential neighbours (periodic), and the axial ends reflect (no flux).
///
/// All four slices have the axial length.
pub fn diffuse_row(before: &[f64], here: &[f64], after: &[f64], out: &mut [f64]) {
    let n = here.len();
    debug_assert!(before.len() == n && after.len() == n && out.len() == n);
    let site = |left: f64, centre: f64, right: f64, below: f64, above: f64| {
        let laplacian = left + right + below + above - 4.0 * centre;
        centre + DIFFUSION_NUMBER * laplacian + SOURCE_PER_STEP
    };
    if n == 0 {
        return;
    }
    if n == 1 {
        out[0] = site(here[0], here[0], here[0], before[0], after[0]);
        return;
    }
    out[0] = site(here[0], here[0], here[1], before[0], after[0]);
    out[n - 1] = site(
        here[n - 2],
        here[n - 1],
        here[n - 1],
        before[n - 1],
        after[n - 1],
    );
    let interior = out[1..n - 1]
        .iter_mut()
        .zip(here.windows(3))
        .zip(before[1..n - 1].iter().zip(&after[1..n - 1]));
    for ((o, w), (&below, &above)) in interior {
        *o = site(w[0], w[1], w[2], below, above);
    }
}

/// The rows before and after row `c` on a periodic circumference of `rows` rows.
#[must_use]
pub const fn neighbour_rows(c: usize, rows: usize) -> (usize, usize) {
    ((c + rows - 1) % rows, (c + 1) % rows)
}

/// Diffuses the rows `first..first + out.len() / axial` of `phi` into `out`.
pub fn diffuse_rows(phi: &[f64], axial: usize, first: usize, out: &mut [f64]) {
    let rows = phi.len() / axial;
    for (k, out_row) in out.chunks_mut(axial).enumerate() {
        let c = first + k;
        let (b, a) = neighbour_rows(c, rows);
        diffuse_row(
            &phi[b * axial..(b + 1) * axial],
            &phi[c * axial..(c + 1) * axial],
            &phi[a * axial..(a + 1) * axial],
            out_row,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffusion_conserves_the_field_and_adds_the_source() {
        let (axial, rows) = (7, 5);
        let phi: Vec<f64> = (0..axial * rows).map(|i| f64::from(i as u32 % 4)).collect();
        let mut out = vec![0.0; phi.len()];
        diffuse_rows(&phi, axial, 0, &mut out);
        let before: f64 = phi.iter().sum();
        let after: f64 = out.iter().sum();
        #[expect(clippy::cast_precision_loss, reason = "small count")]
        let source = SOURCE_PER_STEP * phi.len() as f64;
        assert!((after - before - source).abs() < 1e-12, "{before} {after}");
    }

    #[test]
    fn a_new_cell_survives_its_first_step() {
        let mut state = initial_state();
        assert!(advance_cell(&mut state, 0.0, 1, 0, 0));
        assert!((state[U] - DT * 0.5).abs() < 1e-15);
    }
}
