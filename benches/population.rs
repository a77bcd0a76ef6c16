//! Benchmarks of the population engine with the real model (adaptive integration): one
//! simulated hour (one coupling step) of 10,000 VSMCs in calcifying medium (100 x 100
//! culture well), and of 10,000 VSMCs in the CKD vessel media (50 x 25 sites x 8 media
//! layers), each after a 24-h warm-up past the initial stress transient.
//!
//! The thread count is read from `VCSIM_BENCH_THREADS` (default: all cores); measure
//! scaling with `VCSIM_BENCH_THREADS=1 cargo bench --bench population` and `=2`.
//! Throughput is reported in cell-hours (elements) per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;
use vcsim::scenario::Scenario;
use vcsim::sim::{Simulation, Threads};

fn calcifying_well(side: usize) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calcifying-medium.toml");
    Scenario::load(&path)
        .and_then(|scenario| scenario.revised(|file| file.set_lattice(side, side)))
        .expect("shipped scenario is valid")
}

fn vessel_media(axial: usize, circumferential: usize) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/vessel-media.toml");
    Scenario::load(&path)
        .and_then(|scenario| scenario.revised(|file| file.set_lattice(axial, circumferential)))
        .expect("shipped scenario is valid")
}

fn threads() -> usize {
    std::env::var("VCSIM_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// One coupling step of `scenario` after a 24-h warm-up, in cell-hours per second.
fn one_hour(c: &mut Criterion, name: &str, scenario: &Scenario) {
    let threads = threads();
    let mut simulation = Simulation::new(scenario, Threads::from_count(threads)).expect("builds");
    for _ in 0..24 {
        simulation.step().expect("warm-up step");
    }
    let cells = u64::try_from(scenario.cell_count_upper_bound()).expect("fits");
    let mut group = c.benchmark_group("population");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cells));
    group.bench_function(format!("{name}_one_hour_{threads}_threads"), |b| {
        b.iter(|| simulation.step().expect("step"));
    });
    group.finish();
}

fn one_hour_of_10k_cells(c: &mut Criterion) {
    one_hour(c, "calcifying_10k_cells", &calcifying_well(100));
}

fn one_hour_of_10k_cells_in_the_vessel_wall(c: &mut Criterion) {
    one_hour(c, "vessel_media_10k_cells", &vessel_media(50, 25));
}

criterion_group!(
    benches,
    one_hour_of_10k_cells,
    one_hour_of_10k_cells_in_the_vessel_wall
);
criterion_main!(benches);
