//! Benchmark of the population engine: one simulated hour (one coupling step) of 10,000
//! VSMCs in calcifying medium (100 x 100 culture well), after a 24-h warm-up past the
//! initial stress transient.
//!
//! The worker pool is global to the process, so the thread count is read from
//! `VCSIM_BENCH_THREADS` (default: all cores); measure scaling with
//! `VCSIM_BENCH_THREADS=1 cargo bench --bench population` and `=2`.
//! Throughput is reported in cell-hours (elements) per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;
use vcsim::scenario::{Geometry, Scenario};
use vcsim::sim::{Simulation, init_threads};

fn calcifying_well(side: usize) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calcifying-medium.toml");
    let mut scenario = Scenario::load(&path).expect("shipped scenario is valid");
    if let Geometry::InVitro {
        axial_sites,
        circumferential_sites,
        ..
    } = &mut scenario.geometry
    {
        *axial_sites = side;
        *circumferential_sites = side;
    }
    scenario
}

fn one_hour_of_10k_cells(c: &mut Criterion) {
    let threads = std::env::var("VCSIM_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    init_threads(threads);
    let scenario = calcifying_well(100);
    let mut simulation = Simulation::new(&scenario).expect("builds");
    for _ in 0..24 {
        simulation.step().expect("warm-up step");
    }
    let cells = u64::try_from(scenario.cell_count_upper_bound()).expect("fits");
    let mut group = c.benchmark_group("population");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cells));
    group.bench_function(
        format!("calcifying_10k_cells_one_hour_{threads}_threads"),
        |b| {
            b.iter(|| simulation.step().expect("step"));
        },
    );
    group.finish();
}

criterion_group!(benches, one_hour_of_10k_cells);
criterion_main!(benches);
