//! Numerical integration of the cell ODEs (`docs/model.md` §3.6): an adaptive linearly
//! implicit Rosenbrock-W scheme by default, and classical fourth-order Runge-Kutta with
//! fixed steps for checking.
//!
//! # The stiffness
//! The core is mildly stiff: the fastest mode is unfolded-protein clearance `delta·B`,
//! about 0.7 min⁻¹ at rest but up to about 4.5 min⁻¹ when stress is withdrawn from a cell
//! with high GRP78 (and more with chemical chaperones). Every other state turns over in
//! an hour or more (mRNA and protein half-lives of 1.8-46 h, kinase relaxation about
//! 1 h). An explicit method is held to steps of a minute or less by the fast mode even
//! when nothing changes; a cell spends most of a run near a slowly moving steady state.
//!
//! # Adaptive (default): ROS34PW2 with a diagonal W matrix
//! The Rosenbrock-W method ROS34PW2 of Rang & Angermann (2005; BIT 45:761; the
//! `ra34pw2` tableau of `PETSc`'s `TSROSW`): four stages, order 3 with an embedded order-2
//! solution, L-stable and stiffly accurate. Each stage solves
//! `(I - γ h J) k_i = h f(y + Σ α_ij k_j) + h J Σ γ_ij k_j`. A W-method keeps its order
//! for *any* matrix `J`, so `J` is the cheap diagonal of
//! [`CellModel::jacobian_diagonal`]: the stiff `∂(dU/dt)/∂U` (one finite difference per
//! step) and the first-order turnover of every other state. The solve is then one
//! division per state, and the stiff mode is damped whatever the step.
//!
//! Steps are chosen per cell by the embedded error estimate with a mixed tolerance
//! (`atol + rtol·|y|`, maximum over the states; ten times wider for the fast unfolded
//! protein, whose errors decay within minutes) and a PI controller (Gustafsson), are
//! never longer than [`MAX_ADAPTIVE_STEP`] (the hourly coupling step) and end exactly at
//! the end of the interval. A cell near steady state takes one step per hour; after a
//! jump in its surroundings it takes minute-long steps until the transient has passed.
//! The step size the controller proposes at the end is handed back (`step_hint`), so the
//! next interval starts with it. Everything is a pure function of the inputs: the same
//! cell gives the same bits on any thread. Should the controller fail (a step below
//! `MIN_STEP`, or more than `MAX_ATTEMPTS_PER_MIN` attempts per minute of the interval:
//! the rates have a pole, possible only for unusual parameters), the rest of the
//! interval is integrated with fixed-step RK4.
//!
//! # Fixed-step RK4 (for checking)
//! Each step of at most `max_step` minutes (0.5 min by default) is split into equal
//! substeps so that `λ_max·h ≤ 2.0`, where `λ_max` is an upper bound on `delta_eff·Btot`
//! computed from the state at the start of the step (RK4 is stable on the negative real
//! axis for `λ·h < 2.78`; a fixed 1-min step goes unstable on withdrawal, docs/model.md §3.6).
//!
//! Both schemes clamp every state at ≥ 0 after each (accepted) step (`docs/model.md` §3.6)
//! and check it is finite.

use crate::model::cell::{CellExposure, CellModel, CellState};
use crate::units::HOUR;

/// [min] The default largest step, verified for square-wave stress protocols (docs/model.md §3.6).
pub const DEFAULT_MAX_STEP: f64 = 0.5;

/// [1] The largest `λ·h` allowed in a substep (RK4's real-axis limit is 2.785).
const STABLE_LAMBDA_STEP: f64 = 2.0;

/// The most substeps one step is split into. A state that needs more grows without bound
/// (`delta·BiP` above 2.0e4 min⁻¹ at a 0.5-min step); RK4 then becomes unstable and the
/// non-finite check reports it instead of the run hanging.
const MAX_SUBSTEPS: f64 = 10_000.0;

/// The most substeps of the RK4 fallback of the adaptive scheme after the attempt budget
/// ([`MAX_ATTEMPTS_PER_MIN`]) is spent (`λ·h ≤ 2` up to `delta·BiP` = 400 min⁻¹ at a
/// 0.5-min step, a hundred times the stiffest well-posed cell). A crawling controller
/// means a pole of the rates; there the states run off by orders of magnitude and the
/// stiffness with them (10⁹ min⁻¹ in one random draw), and [`MAX_SUBSTEPS`] would let
/// one cell-hour take half a second. Beyond this bound RK4 goes unstable and the run
/// stops at the non-finite state, naming the cell. A step collapse below [`MIN_STEP`]
/// falls back the same way (it had [`MAX_SUBSTEPS`], up to 4.8 million rate evaluations
/// per cell-hour: a run 1,600 times slower than normal).
const FALLBACK_MAX_SUBSTEPS: f64 = 100.0;

/// A state became NaN or infinite.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("cell state `{state}` became {value} at t = {time_min} min")]
pub struct NonFiniteState {
    /// The state's name.
    pub state: &'static str,
    /// The offending value.
    pub value: f64,
    /// [min] Time at the end of the failing step.
    pub time_min: f64,
}

fn axpy(base: &[f64; CellState::LEN], h: f64, k: &[f64; CellState::LEN]) -> CellState {
    let mut out = *base;
    for (o, ki) in out.iter_mut().zip(k) {
        *o += h * ki;
    }
    CellState::from_array(out)
}

/// One classical RK4 step of size `h` [min], without clamping.
#[must_use]
pub fn rk4_step(model: &CellModel, s: &CellState, e: &CellExposure, h: f64) -> CellState {
    let y = s.to_array();
    let k1 = model.rates(s, e).to_array();
    let k2 = model.rates(&axpy(&y, 0.5 * h, &k1), e).to_array();
    let k3 = model.rates(&axpy(&y, 0.5 * h, &k2), e).to_array();
    let k4 = model.rates(&axpy(&y, h, &k3), e).to_array();
    let mut out = y;
    for i in 0..CellState::LEN {
        out[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }
    CellState::from_array(out)
}

/// [1] Default relative tolerance of the adaptive scheme per step. Chosen with margin for
/// the acceptance bounds (every state within 1% of libRoadRunner and of 0.5-min RK4):
/// `tests/it/model_reference.rs` and `tests/it/integrator_accuracy.rs` measure the result.
pub const DEFAULT_RTOL: f64 = 5e-4;
/// [1] Default absolute tolerance of the adaptive scheme (states are fold changes, 1 at
/// rest, so this is a millionth of the resting level).
pub const DEFAULT_ATOL: f64 = 1e-6;
/// [min] The longest adaptive step: the hourly coupling step of the population
/// (`docs/model.md` §5.5), over which the surroundings are constant anyway.
pub const MAX_ADAPTIVE_STEP: f64 = HOUR;
/// [min] The first step of a cell with no step hint: short enough for the fastest mode
/// after a jump (1/(delta·B) ≈ 1.5 min at rest); the controller grows it within a few
/// steps.
const FIRST_STEP: f64 = 0.1;
/// [min] A step shorter than this means the controller has failed: the solution runs
/// into a singularity of the rates. With random parameters a Hill term of the published
/// form `(A4 - A4*)...` can have a pole where its denominator changes sign; the exact
/// solution then blows up, and error control can only shrink the step towards it. The
/// rest of the interval is then integrated with fixed-step RK4 at [`DEFAULT_MAX_STEP`],
/// which steps across such a pole (as it always did), so the adaptive scheme is never
/// less robust than the checking scheme.
const MIN_STEP: f64 = 1e-6;
/// [min⁻¹] The most step attempts (accepted or rejected) per minute of an interval
/// before the controller is deemed to have failed and the rest of the interval goes to
/// fixed-step RK4, as below [`MIN_STEP`]. Near a pole of the rates the solution can
/// crawl at steps of 10⁻⁴ min without ever shrinking below `MIN_STEP` (with parameters
/// drawn at random within their ranges, the published GADD34 transcription term
/// `(A4 - A4*)(…)/((A4 - A4*)(1 + s·(C - C*)) + K)` has a pole once `K` is below the ATF4
/// reference: one such draw in 800 took 900,000 steps per simulated hour). 20 per minute
/// (1,200 per hour) is ten times the checking scheme's 0.5-min steps and two orders of
/// magnitude above what a cell in a stress transient needs (tens per hour), so it never
/// binds on a well-posed cell; it bounds a pathological one to about a millisecond of
/// work per simulated hour.
const MAX_ATTEMPTS_PER_MIN: f64 = 20.0;
/// The fewest attempts an interval gets, however short (a few minutes of transient
/// after a jump can take a few dozen steps).
const MIN_ATTEMPT_BUDGET: f64 = 100.0;
/// [1] The unfolded protein's error tolerance is this many times the others'. `U`
/// relaxes to its quasi-steady level within minutes (`1/(delta·B)` ≈ 1.5 min), so an
/// error in it at the end of a step is forgotten within the next few minutes; what it
/// leaves behind is its effect on the slow states, which are held to the full
/// tolerance. Without the factor the first step of nearly every hour, where the
/// surroundings change a little and `U` jumps to its new level, was rejected two or
/// three times (callgrind on a calcifying well: 2.4 rejections per cell-hour); with it,
/// 0.3, at unchanged accuracy against libRoadRunner and RK4 (the accuracy tests).
const UNFOLDED_TOLERANCE_FACTOR: f64 = 10.0;
/// [1] Safety factor on the step the error estimate allows (the usual 0.9).
const SAFETY: f64 = 0.9;
/// [1] Largest growth of the step from one step to the next.
const MAX_GROWTH: f64 = 5.0;
/// [1] Largest shrinkage of the step after a rejection.
const MAX_SHRINK: f64 = 0.2;
/// [1] PI controller exponents (Gustafsson 1991; Hairer & Wanner, Solving ODE II, IV.8):
/// `h_new = h·SAFETY·err^(-PI_PROPORTIONAL/q)·err_prev^(PI_INTEGRAL/q)`, `q = 3` (the
/// order of the embedded pair plus one).
const PI_PROPORTIONAL: f64 = 0.7;
/// [1] See [`PI_PROPORTIONAL`].
const PI_INTEGRAL: f64 = 0.4;
/// [1] `q` of the controller: embedded order 2, plus one.
const CONTROLLER_ORDER: f64 = 3.0;
/// [1] Floor of the previous error in the PI term, so that one nearly exact step does
/// not inflate the next.
const MIN_PREVIOUS_ERROR: f64 = 1e-4;

/// How the cell ODEs are integrated.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum Integrator {
    /// Adaptive Rosenbrock-W (ROS34PW2) with error control per cell (the default).
    Adaptive {
        /// [1] Relative tolerance per step.
        rtol: f64,
        /// [1] Absolute tolerance per step.
        atol: f64,
    },
    /// Classical RK4 with fixed steps of at most `max_step_min`, split further where the
    /// system is stiff (for checking).
    Rk4 {
        /// [min] Largest step.
        max_step_min: f64,
    },
}

impl Default for Integrator {
    fn default() -> Self {
        Self::ADAPTIVE
    }
}

impl Integrator {
    /// The adaptive scheme with the default tolerances.
    pub const ADAPTIVE: Self = Self::Adaptive {
        rtol: DEFAULT_RTOL,
        atol: DEFAULT_ATOL,
    };

    /// Fixed-step RK4 with steps of at most `max_step_min` minutes.
    #[must_use]
    pub const fn rk4(max_step_min: f64) -> Self {
        Self::Rk4 { max_step_min }
    }

    /// The scheme's name as a scenario or flag value: `adaptive` or `rk4`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Adaptive { .. } => "adaptive",
            Self::Rk4 { .. } => "rk4",
        }
    }
}

/// Advances `state` by `duration` minutes under a constant exposure with `integrator`;
/// clamps states at ≥ 0.
///
/// `step_hint` [min] carries the adaptive step size from one call to the next (0 = none;
/// it is left alone by RK4).
///
/// # Errors
/// [`NonFiniteState`] naming the first non-finite state and the time it appeared.
pub fn advance(
    model: &CellModel,
    state: &mut CellState,
    exposure: &CellExposure,
    start_min: f64,
    duration: f64,
    integrator: &Integrator,
    step_hint: &mut f64,
) -> Result<(), NonFiniteState> {
    advance_observed(
        model,
        state,
        exposure,
        start_min,
        duration,
        integrator,
        step_hint,
        &mut |_, _| {},
    )
}

/// Like [`advance`], calling `observe(time_min, state)` after every accepted step (every
/// adaptive step, or every `max_step` step of RK4), e.g. to integrate a readout.
///
/// # Errors
/// [`NonFiniteState`] naming the first non-finite state and the time it appeared.
#[expect(
    clippy::too_many_arguments,
    reason = "the integration problem, the scheme and its carried step, the observer"
)]
pub fn advance_observed(
    model: &CellModel,
    state: &mut CellState,
    exposure: &CellExposure,
    start_min: f64,
    duration: f64,
    integrator: &Integrator,
    step_hint: &mut f64,
    observe: &mut impl FnMut(f64, &CellState),
) -> Result<(), NonFiniteState> {
    let mut work = 0;
    advance_counted(
        model, state, exposure, start_min, duration, integrator, step_hint, &mut work, observe,
    )
}

/// Like [`advance_observed`], adding to `rhs_evaluations` the number of evaluations of
/// the rates ([`CellModel::rates`], counting the finite difference of the Jacobian
/// diagonal as one): the cost of the interval, which the step budget bounds
/// ([`MAX_RHS_EVALUATIONS_PER_HOUR`]).
///
/// # Errors
/// [`NonFiniteState`] naming the first non-finite state and the time it appeared.
#[expect(
    clippy::too_many_arguments,
    reason = "the integration problem, the scheme and its carried step, the cost, the observer"
)]
pub fn advance_counted(
    model: &CellModel,
    state: &mut CellState,
    exposure: &CellExposure,
    start_min: f64,
    duration: f64,
    integrator: &Integrator,
    step_hint: &mut f64,
    rhs_evaluations: &mut u64,
    observe: &mut impl FnMut(f64, &CellState),
) -> Result<(), NonFiniteState> {
    match *integrator {
        Integrator::Adaptive { rtol, atol } => advance_adaptive(
            model,
            state,
            exposure,
            start_min,
            duration,
            (rtol, atol),
            step_hint,
            rhs_evaluations,
            observe,
        ),
        Integrator::Rk4 { max_step_min } => advance_rk4(
            model,
            state,
            exposure,
            start_min,
            duration,
            (max_step_min, MAX_SUBSTEPS),
            rhs_evaluations,
            observe,
        ),
    }
}

/// The most rate evaluations the adaptive scheme spends on one cell-hour of a long
/// interval: the attempt budget ([`MAX_ATTEMPTS_PER_MIN`], 4 stages each plus the new
/// derivative and Jacobian diagonal of an accepted step) and, once it is spent, the
/// bounded RK4 fallback ([`FALLBACK_MAX_SUBSTEPS`] substeps of 4 stages per
/// [`DEFAULT_MAX_STEP`]). An interval shorter than [`MIN_ATTEMPT_BUDGET`] /
/// [`MAX_ATTEMPTS_PER_MIN`] minutes (a piece of a coupling step cut by a schedule's
/// switch) gets [`MIN_ATTEMPT_BUDGET`] attempts whatever its length.
pub const MAX_RHS_EVALUATIONS_PER_HOUR: f64 =
    MAX_ATTEMPTS_PER_MIN * HOUR * 6.0 + HOUR / DEFAULT_MAX_STEP * FALLBACK_MAX_SUBSTEPS * 4.0;

/// ROS34PW2 (Rang & Angermann 2005), `γ` = the diagonal of its `Γ` table.
const GAMMA: f64 = 0.435866521508459;
/// `α_ij` (strictly lower triangular; row 4 is `(0, 0, 1)`).
const ALPHA_21: f64 = 0.871733043016918;
/// See [`ALPHA_21`].
const ALPHA_31: f64 = 0.8445706001536942;
/// See [`ALPHA_21`].
const ALPHA_32: f64 = -0.11299064236484185;
/// `γ_ij` below the diagonal.
const GAMMA_21: f64 = -0.871733043016918;
/// See [`GAMMA_21`].
const GAMMA_31: f64 = -0.9033805701304408;
/// See [`GAMMA_21`].
const GAMMA_32: f64 = 0.054180672388095326;
/// See [`GAMMA_21`].
const GAMMA_41: f64 = 0.24212380706095346;
/// See [`GAMMA_21`].
const GAMMA_42: f64 = -1.2232505839045147;
/// See [`GAMMA_21`].
const GAMMA_43: f64 = 0.5452602553351021;
/// Weights of the order-3 solution (`b = α_4 + γ_4`: stiffly accurate).
const B: [f64; 4] = [
    0.24212380706095346,
    -1.2232505839045147,
    1.545260255335102,
    0.435866521508459,
];
/// Weights of the embedded order-2 solution.
const B_EMBEDDED: [f64; 4] = [
    0.3781090314581937,
    -0.09604229221242318,
    0.5,
    0.2179332607542295,
];

const N: usize = CellState::LEN;
/// Index of the unfolded protein `U` in [`CellState::NAMES`].
const UNFOLDED_PROTEIN: usize = 0;

/// One ROS34PW2 step of size `h` from `y` (whose derivative is `f0`) with the diagonal
/// approximation `jac` of the Jacobian, where `w_inv[i] = 1 / (1 - γ h jac[i])`.
/// Returns the order-3 solution and the embedded order-2 solution.
fn rosenbrock_step(
    model: &CellModel,
    exposure: &CellExposure,
    y: &[f64; N],
    f0: &[f64; N],
    jac: &[f64; N],
    w_inv: &[f64; N],
    h: f64,
) -> ([f64; N], [f64; N]) {
    let mut hj = [0.0; N];
    for i in 0..N {
        hj[i] = h * jac[i];
    }
    let rates = |y: &[f64; N]| model.rates(&CellState::from_array(*y), exposure).to_array();
    let mut k1 = [0.0; N];
    for i in 0..N {
        k1[i] = w_inv[i] * h * f0[i];
    }
    let mut y2 = *y;
    for i in 0..N {
        y2[i] += ALPHA_21 * k1[i];
    }
    let f2 = rates(&y2);
    let mut k2 = [0.0; N];
    for i in 0..N {
        k2[i] = w_inv[i] * (h * f2[i] + hj[i] * GAMMA_21 * k1[i]);
    }
    let mut y3 = *y;
    for i in 0..N {
        y3[i] += ALPHA_31 * k1[i] + ALPHA_32 * k2[i];
    }
    let f3 = rates(&y3);
    let mut k3 = [0.0; N];
    for i in 0..N {
        k3[i] = w_inv[i] * (h * f3[i] + hj[i] * (GAMMA_31 * k1[i] + GAMMA_32 * k2[i]));
    }
    let mut y4 = *y;
    for i in 0..N {
        y4[i] += k3[i];
    }
    let f4 = rates(&y4);
    let mut next = *y;
    let mut embedded = *y;
    for i in 0..N {
        let k4 = w_inv[i]
            * (h * f4[i] + hj[i] * (GAMMA_41 * k1[i] + GAMMA_42 * k2[i] + GAMMA_43 * k3[i]));
        let k = [k1[i], k2[i], k3[i], k4];
        next[i] += B[0] * k[0] + B[1] * k[1] + B[2] * k[2] + B[3] * k[3];
        embedded[i] += B_EMBEDDED[0] * k[0]
            + B_EMBEDDED[1] * k[1]
            + B_EMBEDDED[2] * k[2]
            + B_EMBEDDED[3] * k[3];
    }
    (next, embedded)
}

/// The error of a step relative to the tolerance (accept if ≤ 1): the maximum over the
/// states of `|W⁻¹ (y₃ - y₂)| / (atol + rtol·max(|y|, |y₃|))`, where `y₃` and `y₂` are
/// the order-3 and embedded solutions *after* clamping at 0 (the unfolded protein's
/// tolerance is [`UNFOLDED_TOLERANCE_FACTOR`] times wider).
///
/// The filter `W⁻¹` (Shampine's, as in RADAU5: Hairer & Wanner, Solving ODE II, IV.8)
/// damps the estimate in the stiff unfolded-protein component, where the embedded
/// solution is not L-stable and so reports the jump of `U` to its new quasi-steady level
/// after a change of the surroundings as an error; the order-3 solution, L-stable and
/// stiffly accurate, lands on that level. Without it every small hourly change of the
/// medium costs a cell several short steps.
///
/// Measuring the clamped solutions treats `y ≥ 0` as part of the problem: a state held
/// at 0 while its rate pushes it below (a species switched off, or a rate with a pole
/// below 0 for unusual Hill coefficients) is not an error, as RK4's clamp treats it.
fn scaled_error(
    y: &[f64; N],
    next: &[f64; N],
    embedded: &[f64; N],
    w_inv: &[f64; N],
    rtol: f64,
    atol: f64,
) -> f64 {
    let mut error = 0.0_f64;
    for i in 0..N {
        let kept = next[i].max(0.0);
        let mut scale = atol + rtol * y[i].abs().max(kept);
        if i == UNFOLDED_PROTEIN {
            scale *= UNFOLDED_TOLERANCE_FACTOR;
        }
        if next[i].is_nan() || embedded[i].is_nan() {
            // A stage left the rates' domain (a step too long): reject and shrink. If it
            // persists the controller collapses and the fallback reports the NaN.
            return f64::INFINITY;
        }
        let difference = w_inv[i] * (kept - embedded[i].max(0.0));
        error = error.max((difference / scale).abs());
    }
    error
}

#[expect(
    clippy::too_many_arguments,
    reason = "the integration problem, the tolerances, the carried step, the observer"
)]
fn advance_adaptive(
    model: &CellModel,
    state: &mut CellState,
    exposure: &CellExposure,
    start_min: f64,
    duration: f64,
    (rtol, atol): (f64, f64),
    step_hint: &mut f64,
    rhs_evaluations: &mut u64,
    observe: &mut impl FnMut(f64, &CellState),
) -> Result<(), NonFiniteState> {
    if duration <= 0.0 {
        return Ok(());
    }
    let mut h = if *step_hint > 0.0 {
        *step_hint
    } else {
        FIRST_STEP
    }
    .min(MAX_ADAPTIVE_STEP);
    let mut elapsed = 0.0;
    // ln of the previous step's error; 0 (an error of 1) before the first step.
    let mut previous_log_error = 0.0_f64;
    let mut y = state.to_array();
    let mut f0 = model.rates(state, exposure).to_array();
    let mut jac = model.jacobian_diagonal(state, exposure);
    *rhs_evaluations += 2;
    let mut attempts_left = (MAX_ATTEMPTS_PER_MIN * duration).max(MIN_ATTEMPT_BUDGET);
    let fallback_substeps = loop {
        if attempts_left < 1.0 {
            // The controller is crawling: the rest at a bounded cost.
            break FALLBACK_MAX_SUBSTEPS;
        }
        attempts_left -= 1.0;
        let remaining = duration - elapsed;
        // The last step ends exactly at the end; one that would leave a sliver is
        // stretched to the end instead (up to 1% longer than the controller proposed).
        let last = h >= remaining * 0.99;
        let step = if last { remaining } else { h };
        // W = I - γ h J is diagonal: its inverse is one number per state.
        let mut w_inv = [0.0; N];
        for (w, j) in w_inv.iter_mut().zip(&jac) {
            *w = 1.0 / (1.0 - GAMMA * step * j);
        }
        let (next, embedded) = rosenbrock_step(model, exposure, &y, &f0, &jac, &w_inv, step);
        *rhs_evaluations += 3;
        let error = scaled_error(&y, &next, &embedded, &w_inv, rtol, atol);
        let error_finite = error.is_finite();
        if error_finite && error <= 1.0 {
            for (v, n) in y.iter_mut().zip(next) {
                *v = clamp_at_zero(n);
            }
            elapsed = if last { duration } else { elapsed + step };
            *state = CellState::from_array(y);
            let time_min = start_min + elapsed;
            check_finite(state, time_min)?;
            observe(time_min, state);
            // SAFETY·err^(-PI_PROPORTIONAL/q)·err_prev^(PI_INTEGRAL/q), in logarithms
            // (one `ln` and one `exp` per step instead of two `powf`).
            let log_error = error.max(MIN_PREVIOUS_ERROR).ln();
            let factor = (SAFETY
                * ((PI_INTEGRAL * previous_log_error - PI_PROPORTIONAL * log_error)
                    / CONTROLLER_ORDER)
                    .exp())
            .clamp(MAX_SHRINK, MAX_GROWTH);
            previous_log_error = log_error;
            let proposed = (step * factor).min(MAX_ADAPTIVE_STEP);
            // A last step shortened to fit the interval says nothing against the longer
            // step the controller had: keep that if the error allowed growth.
            h = if last && step < h && factor >= 1.0 {
                h.max(proposed)
            } else {
                proposed
            };
            if last {
                *step_hint = h;
                return Ok(());
            }
            f0 = model.rates(state, exposure).to_array();
            jac = model.jacobian_diagonal(state, exposure);
            *rhs_evaluations += 2;
        } else {
            let factor = if error_finite {
                (SAFETY * error.powf(-1.0 / CONTROLLER_ORDER)).clamp(MAX_SHRINK, 1.0)
            } else {
                MAX_SHRINK
            };
            h = step * factor;
            if h < MIN_STEP {
                // The controller has collapsed: the rest as the checking scheme would, at
                // the same bounded cost as after the attempt budget.
                break FALLBACK_MAX_SUBSTEPS;
            }
        }
    };
    // The controller failed: the rest of the interval with fixed-step RK4.
    *step_hint = 0.0;
    advance_rk4(
        model,
        state,
        exposure,
        start_min + elapsed,
        duration - elapsed,
        (DEFAULT_MAX_STEP, fallback_substeps),
        rhs_evaluations,
        observe,
    )
}

/// Fixed-step RK4 (the scheme of `docs/model.md` §3.6), each step split into at most
/// `max_substeps` substeps.
#[expect(
    clippy::too_many_arguments,
    reason = "the integration problem, the step limits, the observer"
)]
fn advance_rk4(
    model: &CellModel,
    state: &mut CellState,
    exposure: &CellExposure,
    start_min: f64,
    duration: f64,
    (max_step, max_substeps): (f64, f64),
    rhs_evaluations: &mut u64,
    observe: &mut impl FnMut(f64, &CellState),
) -> Result<(), NonFiniteState> {
    if duration <= 0.0 {
        return Ok(());
    }
    let steps = (duration / max_step).ceil().max(1.0);
    let h = duration / steps;
    #[expect(
        clippy::cast_possible_truncation,
        reason = "steps is a small positive integer"
    )]
    #[expect(clippy::cast_sign_loss, reason = "steps >= 1")]
    let steps = steps as u64;
    for step in 0..steps {
        let lambda = model.stiffness_bound(state, exposure);
        if !lambda.is_finite() {
            #[expect(clippy::cast_precision_loss, reason = "step counts are far below 2^52")]
            let time_min = start_min + h * step as f64;
            check_finite(state, time_min)?;
            return Err(NonFiniteState {
                state: "stiffness bound (delta·BiP)",
                value: lambda,
                time_min,
            });
        }
        let substeps = (lambda * h / STABLE_LAMBDA_STEP)
            .ceil()
            .clamp(1.0, max_substeps);
        let sub_h = h / substeps;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "clamped to [1, max_substeps]"
        )]
        #[expect(clippy::cast_sign_loss, reason = "substeps >= 1")]
        let substeps = substeps as u32;
        *rhs_evaluations += 4 * u64::from(substeps);
        for _ in 0..substeps {
            let mut next = rk4_step(model, state, exposure, sub_h).to_array();
            for v in &mut next {
                *v = clamp_at_zero(*v);
            }
            *state = CellState::from_array(next);
        }
        #[expect(clippy::cast_precision_loss, reason = "step counts are far below 2^52")]
        let time_min = start_min + h * (step + 1) as f64;
        check_finite(state, time_min)?;
        observe(time_min, state);
    }
    Ok(())
}

/// A state held at ≥ 0 (docs/model.md §3.6); NaN stays NaN, so that [`check_finite`]
/// reports it instead of the clamp hiding it as 0.
#[inline]
fn clamp_at_zero(value: f64) -> f64 {
    if value < 0.0 { 0.0 } else { value }
}

/// Checks that every state is finite.
///
/// # Errors
/// [`NonFiniteState`] for the first non-finite state.
pub fn check_finite(state: &CellState, time_min: f64) -> Result<(), NonFiniteState> {
    for (name, value) in CellState::NAMES.iter().zip(state.to_array()) {
        if !value.is_finite() {
            return Err(NonFiniteState {
                state: name,
                value,
                time_min,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cell::{CellParams, ModelVariant};
    use crate::model::surroundings::Surroundings;

    fn steps_per_h(model: &CellModel, surroundings: &Surroundings, hours: u32) -> Vec<u32> {
        let exposure = model.exposure(surroundings);
        let mut state = model.initial_state();
        let mut hint = 0.0;
        (0..hours)
            .map(|hour| {
                let mut steps = 0;
                advance_observed(
                    model,
                    &mut state,
                    &exposure,
                    f64::from(hour) * HOUR,
                    HOUR,
                    &Integrator::ADAPTIVE,
                    &mut hint,
                    &mut |_, _| steps += 1,
                )
                .expect("finite");
                steps
            })
            .collect()
    }

    #[test]
    fn a_cell_near_steady_state_takes_one_step_an_hour() {
        // The point of the adaptive scheme: after the stress transient of the first day
        // a cell under constant stress advances each hour in a single step.
        let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
        let steps = steps_per_h(&model, &Surroundings::with_er_stress(2.0), 8 * 24);
        assert!(steps[0] > 5, "the onset of stress is resolved: {steps:?}");
        assert!(
            steps[7 * 24 - 1..].iter().all(|&n| n == 1),
            "day 8: {:?}",
            &steps[7 * 24 - 1..]
        );
    }

    #[test]
    fn a_cell_at_the_published_gadd34_pole_is_guarded_and_cheap() {
        // Six parameters drawn within their documented ranges (by the property test's
        // generator, then pared down) that give the published GADD34 transcription term
        // a pole: its saturation constant is below the ATF4 reference, and under strong
        // stress ATF4 falls far enough below it for the denominator to change sign.
        // Unguarded, the controller crawled towards the pole at up to 43,000 steps per
        // simulated hour and then stopped at the attempt budget every hour; with the
        // denominator held at KC/2 (`upr_core::rates`) the cell is an ordinary one.
        let mut params = CellParams::default();
        for (field, value) in [
            ("xbp1_total", 3.53),
            ("atf4_threshold_shift_hill", 4.47),
            ("chop_transcription_rate", 0.837),
            ("gadd34_transcription_saturation", 0.711),
            ("unfolded_synthesis_saturation", 2.13),
            ("unfolded_protein_ref", 5.86),
        ] {
            params.set("upr_core", field, value).expect("in range");
        }
        let model = CellModel::new(params, &[], ModelVariant::PublishedCore);
        let steps = steps_per_h(&model, &Surroundings::with_er_stress(14.84), 24);
        assert!(
            steps.iter().all(|&n| n <= 60),
            "at most a step a minute: {steps:?}"
        );
    }

    #[test]
    fn advancing_is_a_pure_function_of_its_inputs() {
        // Determinism for any thread count rests on this: the same state, exposure and
        // step hint give the same bits.
        let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
        let exposure = model.exposure(&Surroundings::with_er_stress(4.0));
        let run = || {
            let mut state = model.initial_state();
            let mut hint = 0.0;
            for hour in 0..30 {
                advance(
                    &model,
                    &mut state,
                    &exposure,
                    f64::from(hour) * HOUR,
                    HOUR,
                    &Integrator::ADAPTIVE,
                    &mut hint,
                )
                .expect("finite");
            }
            (state.to_array().map(f64::to_bits), hint.to_bits())
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn adaptive_and_rk4_agree_over_the_stress_transient() {
        let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
        let exposure = model.exposure(&Surroundings::with_er_stress(8.0));
        let mut adaptive = model.initial_state();
        let mut rk4 = model.initial_state();
        let (mut hint, mut unused) = (0.0, 0.0);
        for hour in 0..48 {
            let start = f64::from(hour) * HOUR;
            advance(
                &model,
                &mut adaptive,
                &exposure,
                start,
                HOUR,
                &Integrator::ADAPTIVE,
                &mut hint,
            )
            .expect("finite");
            advance(
                &model,
                &mut rk4,
                &exposure,
                start,
                HOUR,
                &Integrator::rk4(DEFAULT_MAX_STEP),
                &mut unused,
            )
            .expect("finite");
            for ((name, a), r) in CellState::NAMES
                .iter()
                .zip(adaptive.to_array())
                .zip(rk4.to_array())
            {
                let relative = (a - r).abs() / r.abs().max(1e-6);
                assert!(relative < 5e-3, "{name} at {} h: {a} vs {r}", hour + 1);
            }
        }
    }
}
