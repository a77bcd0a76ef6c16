//! The reference workload (issue 6): the engine and the plain loop reach the same result
//! to the bit, for any thread count, and `vcsim-bench` reports them.
//!
use std::process::Command;
use vcsim::sim::Threads;
use vcsim_bench::engine::EngineWorkload;
use vcsim_bench::plain::PlainWorkload;
use vcsim_bench::{Config, Outcome};

/// Small enough to run in milliseconds, long enough for about 40% of the cells to die.
const SMALL: Config = Config {
    axial: 20,
    circumferential: 10,
    steps: 300,
    seed: 7,
};

fn engine(threads: Threads) -> Outcome {
    EngineWorkload::new(&SMALL, threads).expect("builds").run()
}

fn plain(threads: usize) -> Outcome {
    PlainWorkload::new(&SMALL, threads).expect("builds").run()
}

#[test]
fn engine_and_plain_loop_reach_the_same_result_to_the_bit() {
    let engine = engine(Threads::Serial);
    assert_eq!(engine.steps, 300);
    assert!(
        engine.alive > 0 && engine.alive < engine.cells,
        "cells must die for the test to mean something: {engine:?}"
    );
    for threads in [1, 2, 3] {
        let plain = plain(threads);
        assert!(
            engine.identical(&plain),
            "engine {engine:?} vs plain ({threads} threads) {plain:?}"
        );
    }
}

#[test]
fn the_field_follows_source_and_uptake() {
    // With every cell alive at the first step, the field goes from 0 to the source.
    let config = Config { steps: 1, ..SMALL };
    let outcome = PlainWorkload::new(&config, 1).expect("builds").run();
    let expected = 0.01 * 200.0;
    assert!(
        (outcome.phosphate_sum - expected).abs() < 1e-12,
        "{outcome:?}"
    );
}

#[test]
fn the_engine_gives_the_same_result_with_one_two_and_three_threads() {
    let serial = engine(Threads::Serial);
    for threads in [Threads::Pool(2), Threads::Pool(3)] {
        let pooled = engine(threads);
        assert!(
            serial.identical(&pooled),
            "{serial:?} vs {threads:?}: {pooled:?}"
        );
    }
}

fn vcsim_bench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim-bench"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn bench_prints_the_table_with_ratio_and_scaling() {
    let out = vcsim_bench(&["--quick", "--steps", "20", "--no-model", "--threads", "1,2"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("text");
    assert!(text.starts_with("workload"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("reference")).count(),
        4
    );
    assert!(text.contains("engine/plain ratio: "), "{text}");
    assert!(text.contains("engine scaling 1->2 threads: "), "{text}");
    assert!(
        text.contains("machine ceiling 1->2 (two 1-thread runs at once): "),
        "{text}"
    );
    assert!(text.contains("agent-steps/s"), "{text}");
}

#[test]
fn bench_writes_csv_and_reports_the_real_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("bench.csv");
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/calcifying-medium.toml"
    );
    let out = vcsim_bench(&[
        "--quick",
        "--steps",
        "5",
        "--days",
        "0.125",
        "--threads",
        "1",
        "--scenario",
        scenario,
        "--out",
        csv.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("text");
    assert!(text.contains("cell-days/s"), "{text}");
    let written = std::fs::read_to_string(&csv).expect("csv written");
    assert!(written.starts_with("workload,version,cells,threads,wall_s"));
    assert_eq!(written.lines().count(), 4, "{written}");
}

#[test]
fn bench_rejects_bad_flags_and_a_missing_scenario() {
    for args in [
        &["--threads", "0"][..],
        &["--repeat", "0"],
        &["--days=-1"],
        &["--days", "0"],
        &["--steps", "0"],
        &["--side", "5000"],
        &["--bogus"],
    ] {
        let out = vcsim_bench(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let out = vcsim_bench(&["--quick", "--scenario", "/nonexistent/scenario.toml"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/scenario.toml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
