//! Determinism contract: the same scenario and seed give byte-identical `timeseries.csv`
//! and `wall.csv` for any thread count. Tested through the binary, because the worker
//! pool is global to a process.
//!
//! What it guards: parallel per-cell systems, keyed random streams, site-ordered
//! reductions and cell-id-ordered births and removals.

use std::fs;
use std::path::Path;
use std::process::Command;

const SCENARIO: &str = r#"
[meta]
name = "determinism"
description = "small calcifying well with apoptosis, division and mineral"
seed = 7

[geometry]
mode = "in_vitro"
axial_sites = 14
circumferential_sites = 12
occupancy = 0.8

[time]
duration_days = 4.0

[environment]
calcium_mM = 2.8
beta_glycerophosphate_mM = 10.0
medium_change_every_days = 2.0

[stress]
kind = "square_wave"
low_per_min = 0.0
high_per_min = 6.0
period_h = 24.0

[record]
every_h = 6.0
snapshots_days = [0.0, 2.0, 4.0]
"#;

fn run(dir: &Path, threads: &str) -> (Vec<u8>, Vec<u8>) {
    let out = dir.join(format!("t{threads}"));
    let status = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args([
            "run",
            dir.join("s.toml").to_str().expect("utf-8 temp path"),
            "--quiet",
            "--threads",
            threads,
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    (
        fs::read(out.join("timeseries.csv")).expect("timeseries.csv written"),
        fs::read(out.join("wall.csv")).expect("wall.csv written"),
    )
}

#[test]
fn outputs_are_byte_identical_for_1_2_and_4_threads() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    let (series_1, wall_1) = run(dir.path(), "1");
    assert!(series_1.len() > 1000 && wall_1.len() > 1000);
    for threads in ["2", "4"] {
        let (series, wall) = run(dir.path(), threads);
        if series != series_1 {
            let first = String::from_utf8_lossy(&series)
                .lines()
                .zip(String::from_utf8_lossy(&series_1).lines())
                .position(|(a, b)| a != b);
            panic!("timeseries.csv differs with {threads} threads, first at line {first:?}");
        }
        assert!(wall == wall_1, "wall.csv differs with {threads} threads");
    }
}

#[test]
fn a_different_seed_gives_a_different_history() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    let (series, _) = run(dir.path(), "2");
    fs::write(
        dir.path().join("s.toml"),
        SCENARIO.replace("seed = 7", "seed = 8"),
    )
    .unwrap();
    let other = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args([
            "run",
            dir.path().join("s.toml").to_str().unwrap(),
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("other"))
        .output()
        .expect("runs");
    assert!(other.status.success());
    assert_ne!(
        fs::read(dir.path().join("other/timeseries.csv")).unwrap(),
        series
    );
}
