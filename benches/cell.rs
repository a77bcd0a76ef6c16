//! Benchmarks of the single-cell model: one derivative evaluation, and one simulated
//! day of one cell under calcifying-like stress, with the adaptive integrator (hour by
//! hour, as in the population) and with fixed 0.5-min RK4 steps.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vcsim::model::cell::{CellModel, CellParams, ModelVariant};
use vcsim::model::integrate::{DEFAULT_MAX_STEP, Integrator, advance};
use vcsim::model::surroundings::Surroundings;
use vcsim::units::{DAY, HOUR};

fn stressed() -> Surroundings {
    let mut env = Surroundings::with_er_stress(2.0);
    env.calcium = 2.8;
    env.phosphate = 2.5;
    env
}

fn derivative(c: &mut Criterion) {
    let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
    let exposure = model.exposure(&stressed());
    let state = model.initial_state();
    c.bench_function("cell/derivative", |b| {
        b.iter(|| model.rates(black_box(&state), black_box(&exposure)));
    });
}

fn one_cell_day(c: &mut Criterion) {
    let model = CellModel::new(CellParams::default(), &[], ModelVariant::Vsmc);
    let exposure = model.exposure(&stressed());
    c.bench_function("cell/one_day_rk4", |b| {
        b.iter(|| {
            let mut state = model.initial_state();
            let mut hint = 0.0;
            advance(
                &model,
                &mut state,
                &exposure,
                0.0,
                DAY,
                &Integrator::rk4(DEFAULT_MAX_STEP),
                &mut hint,
            )
            .expect("finite under calcifying stress");
            black_box(state)
        });
    });
    c.bench_function("cell/one_day_adaptive_hourly", |b| {
        b.iter(|| {
            let mut state = model.initial_state();
            let mut hint = 0.0;
            for hour in 0..24_u32 {
                advance(
                    &model,
                    &mut state,
                    &exposure,
                    f64::from(hour) * HOUR,
                    HOUR,
                    &Integrator::ADAPTIVE,
                    &mut hint,
                )
                .expect("finite under calcifying stress");
            }
            black_box(state)
        });
    });
}

criterion_group!(benches, derivative, one_cell_day);
criterion_main!(benches);
