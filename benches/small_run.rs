//! Benchmarks of a small run end to end, in process, on one thread (issue 14 item 7):
//! a 20 x 20-site calcifying well for 14 days (`scenarios/calcifying-medium.toml` on a
//! smaller lattice), the unit many-run jobs are made of. Measured separately: the set-up
//! (`Simulation::new`), the whole run (set-up and 336 coupling steps), and writing its
//! files (`timeseries.csv`, `wall.csv`, `parameters.csv`, `CITATIONS.md`,
//! `manifest.json`) into a fresh folder.
//!
//! `cargo bench --bench small_run`; figures in `docs/performance.md`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::SystemTime;
use vcsim::jobs::run_files::{RunTiming, write_run_files};
use vcsim::record::WallKept;
use vcsim::scenario::Scenario;
use vcsim::sim::{Simulation, Threads};

fn small_well() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calcifying-medium.toml");
    Scenario::load(&path)
        .and_then(|scenario| scenario.revised(|file| file.set_lattice(20, 20)))
        .expect("shipped scenario is valid")
}

fn small_run(c: &mut Criterion) {
    let scenario = small_well();
    let mut group = c.benchmark_group("small_run");
    group.sample_size(10);
    group.bench_function("setup_20x20", |b| {
        b.iter(|| Simulation::new(&scenario, Threads::Serial).expect("builds"));
    });
    group.bench_function("run_20x20_14_days", |b| {
        b.iter(|| {
            Simulation::new(&scenario, Threads::Serial)
                .expect("builds")
                .run(|_, _| {})
                .expect("runs")
        });
    });
    let recorded = Simulation::new(&scenario, Threads::Serial)
        .expect("builds")
        .run(|_, _| {})
        .expect("runs");
    group.bench_function("write_20x20_14_days", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temporary folder");
            let timing = RunTiming {
                threads: 1,
                started: SystemTime::now(),
                wall_time_s: 0.0,
                wall: WallKept::All,
            };
            write_run_files(dir.path(), &scenario, &recorded, timing).expect("written");
        });
    });
    group.finish();
}

criterion_group!(benches, small_run);
criterion_main!(benches);
