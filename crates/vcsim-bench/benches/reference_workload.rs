//! The reference workload of issue 6 (`vcsim_bench`): 1000 steps of the ten-state
//! toy model on a 200 x 50 (10,000 cells) and a 500 x 200 (100,000 cells) lattice, once
//! on vcsim's engine and once as a plain struct-of-arrays rayon loop.
//!
//! The thread count of both versions is read from `VCSIM_BENCH_THREADS` (default: all
//! cores); compare thread counts with `VCSIM_BENCH_THREADS=1 cargo bench -p vcsim-bench
//! --bench reference_workload` and `=2`.
//! Throughput is in agent-steps (cells x steps) per second; each sample is a whole
//! 1000-step run on a fresh lattice (building it is not timed). `vcsim-bench` prints
//! the same comparison as a table, with the engine/plain ratio.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::time::Duration;
use vcsim::sim::Threads;
use vcsim_bench::Config;
use vcsim_bench::engine::EngineWorkload;
use vcsim_bench::plain::PlainWorkload;

fn reference_workload(c: &mut Criterion) {
    let threads = std::env::var("VCSIM_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    for (name, config) in [("10k", Config::SMALL), ("100k", Config::LARGE)] {
        let mut group = c.benchmark_group(format!("reference_workload/{name}_cells"));
        // Each iteration is a whole run (0.1 s and 1 s): ten samples of equal size.
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if name == "10k" { 3 } else { 10 }));
        group.throughput(Throughput::Elements(config.agent_steps()));
        group.bench_function(format!("engine_{threads}_threads"), |b| {
            b.iter_batched(
                || EngineWorkload::new(&config, Threads::from_count(threads)).expect("builds"),
                |mut workload| workload.run(),
                BatchSize::PerIteration,
            );
        });
        group.bench_function(format!("plain_{threads}_threads"), |b| {
            b.iter_batched(
                || PlainWorkload::new(&config, threads).expect("builds"),
                |mut workload| workload.run(),
                BatchSize::PerIteration,
            );
        });
        group.finish();
    }
}

criterion_group!(benches, reference_workload);
criterion_main!(benches);
