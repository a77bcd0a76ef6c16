//! Numerical integration of the cell ODEs: classical fourth-order Runge-Kutta with a
//! stability guard (`model.md` §3.6).
//!
//! The core is mildly stiff: the fastest mode is unfolded-protein clearance `delta·B`,
//! about 0.7 min⁻¹ at rest but up to about 4.5 min⁻¹ when stress is withdrawn from a cell
//! with high GRP78 (and more with chemical chaperones). RK4 is stable on the negative
//! real axis for `λ·h < 2.78`, so a fixed 1-min step goes unstable on withdrawal
//! (model.md §3.6). Each step of at most `max_step` minutes (0.5 min by default) is
//! therefore split into equal substeps so that `λ_max·h ≤ 2.0`, where `λ_max` is an
//! upper bound on `delta_eff·Btot` computed from the state at the start of the step.
//! After each substep every state is clamped at ≥ 0 (`model.md` §3.6) and checked to be
//! finite.

use crate::model::cell::{CellModel, CellState, Exposure};

/// [min] The default largest step, verified for square-wave stress protocols (model.md §3.6).
pub const DEFAULT_MAX_STEP: f64 = 0.5;

/// [1] The largest `λ·h` allowed in a substep (RK4's real-axis limit is 2.785).
const STABLE_LAMBDA_STEP: f64 = 2.0;

/// The most substeps one step is split into. A state that needs more grows without bound
/// (`delta·BiP` above 2.0e4 min⁻¹ at a 0.5-min step); RK4 then becomes unstable and the
/// non-finite check reports it instead of the run hanging.
const MAX_SUBSTEPS: f64 = 10_000.0;

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
pub fn rk4_step(model: &CellModel, s: &CellState, e: &Exposure, h: f64) -> CellState {
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

/// Advances `state` by `duration` minutes under a constant exposure, in equal steps of at
/// most `max_step` minutes, each split further for stability; clamps states at ≥ 0.
///
/// # Errors
/// [`NonFiniteState`] naming the first non-finite state and the time it appeared.
pub fn advance(
    model: &CellModel,
    state: &mut CellState,
    exposure: &Exposure,
    start_min: f64,
    duration: f64,
    max_step: f64,
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
            .clamp(1.0, MAX_SUBSTEPS);
        let sub_h = h / substeps;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "clamped to [1, MAX_SUBSTEPS]"
        )]
        #[expect(clippy::cast_sign_loss, reason = "substeps >= 1")]
        let substeps = substeps as u32;
        for _ in 0..substeps {
            let mut next = rk4_step(model, state, exposure, sub_h).to_array();
            for v in &mut next {
                *v = v.max(0.0);
            }
            *state = CellState::from_array(next);
        }
        #[expect(clippy::cast_precision_loss, reason = "step counts are far below 2^52")]
        let time_min = start_min + h * (step + 1) as f64;
        check_finite(state, time_min)?;
    }
    Ok(())
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
