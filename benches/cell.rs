//! Benchmarks of the single-cell model: one derivative evaluation, and one simulated
//! day of one cell (RK4, 0.5-min steps) under calcifying-like stress.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vcsim::model::cell::{CellModel, CellParams, ModelVariant};
use vcsim::model::integrate::{DEFAULT_MAX_STEP, advance};
use vcsim::model::surroundings::Surroundings;
use vcsim::units::DAY;

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
            advance(&model, &mut state, &exposure, 0.0, DAY, DEFAULT_MAX_STEP)
                .expect("finite under calcifying stress");
            black_box(state)
        });
    });
}

criterion_group!(benches, derivative, one_cell_day);
criterion_main!(benches);
