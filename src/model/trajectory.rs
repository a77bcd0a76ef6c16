//! A single cell's time course under a stress protocol: what `vcsim cell` prints and
//! what the model-behaviour tests measure.
//!
//! Besides the states it tracks the cumulative hazard of apoptosis, integrated with the
//! trapezoid rule on every (accepted) integration step, and reports survival
//! `exp(-∫h dt)`: the probability that a cell with this history has not yet died.
//!
//! The protocol is sampled at the start of every RK4 step, or at least every
//! [`PROTOCOL_SAMPLE_MIN`] with the adaptive integrator (and at every recorded time).

use crate::model::cell::{CellModel, CellReadout, CellState};
use crate::model::integrate::{Integrator, MAX_ADAPTIVE_STEP, NonFiniteState, advance_observed};
use crate::model::surroundings::Surroundings;
use crate::units::HOUR;

/// [min] With the adaptive integrator the surroundings are held constant over at most
/// this long, the population's coupling step (its longest step).
pub const PROTOCOL_SAMPLE_MIN: f64 = MAX_ADAPTIVE_STEP;

/// One recorded time point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimePoint {
    /// [min] Time since the start.
    pub time_min: f64,
    /// The state.
    pub state: CellState,
    /// The algebraic readouts.
    pub readout: CellReadout,
    /// [1] Probability of not having died of apoptosis since the start.
    pub survival: f64,
}

/// A stress protocol: the surroundings as a function of time [min].
pub trait Protocol {
    /// The surroundings at time `t` [min]; held constant over each integration step.
    fn surroundings_at(&self, time_min: f64) -> Surroundings;
}

impl<F: Fn(f64) -> Surroundings> Protocol for F {
    fn surroundings_at(&self, time_min: f64) -> Surroundings {
        self(time_min)
    }
}

/// Constant surroundings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant(pub Surroundings);

impl Protocol for Constant {
    fn surroundings_at(&self, _time_min: f64) -> Surroundings {
        self.0
    }
}

/// Simulates one cell from its initial state for `duration_min`, recording every
/// `every_min` minutes (starting at 0), with `integrator`. The protocol is sampled at
/// the start of every RK4 step, or of every [`PROTOCOL_SAMPLE_MIN`] with the adaptive
/// integrator.
///
/// # Errors
/// [`NonFiniteState`] if the integration produced NaN or infinity.
pub fn simulate(
    model: &CellModel,
    protocol: &impl Protocol,
    duration_min: f64,
    every_min: f64,
    integrator: &Integrator,
) -> Result<Vec<TimePoint>, NonFiniteState> {
    let mut state = model.initial_state();
    simulate_from(
        model,
        &mut state,
        protocol,
        duration_min,
        every_min,
        integrator,
    )
}

/// Like [`simulate`], starting from a given state (which is advanced in place).
///
/// # Errors
/// [`NonFiniteState`] if the integration produced NaN or infinity.
pub fn simulate_from(
    model: &CellModel,
    state: &mut CellState,
    protocol: &impl Protocol,
    duration_min: f64,
    every_min: f64,
    integrator: &Integrator,
) -> Result<Vec<TimePoint>, NonFiniteState> {
    let segment = match *integrator {
        Integrator::Rk4 { max_step_min } => max_step_min,
        Integrator::Adaptive { .. } => PROTOCOL_SAMPLE_MIN,
    };
    let mut cumulative_hazard = 0.0;
    let mut time = 0.0;
    let mut step_hint = 0.0;
    let exposure = model.exposure(&protocol.surroundings_at(0.0));
    let mut hazard_before = model.readout(state, &exposure).apoptosis.hazard_per_h;
    let mut points = vec![TimePoint {
        time_min: 0.0,
        state: *state,
        readout: model.readout(state, &exposure),
        survival: 1.0,
    }];
    let mut record_index = 1_u32;
    while time < duration_min - 1e-9 {
        let next_record = (f64::from(record_index) * every_min).min(duration_min);
        while time < next_record - 1e-9 {
            let step = segment.min(next_record - time);
            let exposure = model.exposure(&protocol.surroundings_at(time));
            let mut step_start = time;
            advance_observed(
                model,
                state,
                &exposure,
                time,
                step,
                integrator,
                &mut step_hint,
                &mut |t, s| {
                    let hazard_after = model.readout(s, &exposure).apoptosis.hazard_per_h;
                    cumulative_hazard +=
                        0.5 * (hazard_before + hazard_after) * (t - step_start) / HOUR;
                    hazard_before = hazard_after;
                    step_start = t;
                },
            )?;
            time += step;
        }
        time = next_record;
        let exposure = model.exposure(&protocol.surroundings_at(time));
        points.push(TimePoint {
            time_min: time,
            state: *state,
            readout: model.readout(state, &exposure),
            survival: (-cumulative_hazard).exp(),
        });
        record_index += 1;
    }
    Ok(points)
}
