//! Golden outputs: SHA-256 digests of what three shipped scenarios (a well, a vessel, a
//! well with a treatment window on the medium) and the quick claims report write. These
//! pin the model's behaviour through refactors: a change that alters any byte fails here,
//! and must either be fixed or land in a commit of its own that updates the digest and
//! says why the bytes changed.
//!
//! The digests are of files written through the binary with two worker threads (the
//! outputs are identical for any thread count; `determinism` checks that).

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let digest = Sha256::digest(&bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        write!(hex, "{byte:02x}").expect("writing to a String");
    }
    hex
}

fn vcsim(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(args)
        .output()
        .expect("vcsim runs");
    assert!(
        output.status.success(),
        "vcsim {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs a shipped scenario and returns the digests of its timeseries.csv and wall.csv.
fn run_digests(scenario: &str) -> [String; 2] {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("run");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(scenario);
    vcsim(&[
        "run",
        scenario.to_str().expect("UTF-8 path"),
        "--quiet",
        "--threads",
        "2",
        "--out",
        out.to_str().expect("UTF-8 path"),
    ]);
    [
        sha256_of(&out.join("timeseries.csv")),
        sha256_of(&out.join("wall.csv")),
    ]
}

fn assert_golden(what: &str, got: &[String], want: &[&str]) {
    let got: Vec<&str> = got.iter().map(String::as_str).collect();
    assert_eq!(
        got, want,
        "{what}: output bytes changed. If the change is intended, update the digest in a \
         commit of its own that says why."
    );
}

#[test]
fn a_well_in_calcifying_medium_writes_the_golden_bytes() {
    let got = run_digests("calcifying-medium.toml");
    assert_golden("calcifying-medium", &got, &CALCIFYING_MEDIUM);
}

#[test]
fn a_vessel_in_ckd_plasma_writes_the_golden_bytes() {
    let got = run_digests("vessel-media.toml");
    assert_golden("vessel-media", &got, &VESSEL_MEDIA);
}

#[test]
fn a_phosphate_window_writes_the_golden_bytes() {
    let got = run_digests("phosphate-pulse.toml");
    assert_golden("phosphate-pulse", &got, &PHOSPHATE_PULSE);
}

#[test]
fn the_quick_claims_report_writes_the_golden_bytes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("claims");
    vcsim(&[
        "validate",
        "--quick",
        "--no-plots",
        "--quiet",
        "--threads",
        "2",
        "--out",
        out.to_str().expect("UTF-8 path"),
    ]);
    let got = [sha256_of(&out.join("validation.csv"))];
    assert_golden("quick claims report", &got, &QUICK_CLAIMS);
}

/// timeseries.csv, wall.csv of `scenarios/calcifying-medium.toml`.
const CALCIFYING_MEDIUM: [&str; 2] = [
    "10c7c6c2f972682d94798233fe25363544aa250d03bbc4d9370c6b8ac29ff888",
    "f0983cda2edde1842349fa11e37d9c9d1215fed74c500b450c6c677723e5e833",
];
/// timeseries.csv, wall.csv of `scenarios/vessel-media.toml`.
const VESSEL_MEDIA: [&str; 2] = [
    "c98633a9e887f89d062a83eb528399610919d63a2cd45d052c941cc052a18f97",
    "891eb41ffd94435749048b6a9770a4898c1f327534b097bb2f290bb243e995d4",
];
/// timeseries.csv, wall.csv of `scenarios/phosphate-pulse.toml`.
const PHOSPHATE_PULSE: [&str; 2] = [
    "adb521efb5272ac6adc83d7a944141a3fa87cfbc16c6cec1b41b36a038d3933e",
    "0231e35bdbd6e244278c8060f0b60a87367e6bafd8b1c464dbd1cf7af1825464",
];
/// validation.csv of `vcsim validate --quick`.
const QUICK_CLAIMS: [&str; 1] =
    ["19805979ba40543604f63a2c708338a824c22ca0bbf8ce68438d1b6bfdebf5ed"];
