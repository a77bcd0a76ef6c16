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
    "69500ead40e503938efb799cdc21d060f5293195cfcd51696e4923114a4d57ff",
    "c334fd764bf18ac5545077770342f1ca8573ea194ef6cd4315ebcd005c82ad4d",
];
/// timeseries.csv, wall.csv of `scenarios/vessel-media.toml`.
const VESSEL_MEDIA: [&str; 2] = [
    "11478e5004df6a5f76c60fa958fdb9c1a2f529fe44d3836d477b2449d1e0c3cc",
    "9873869f1f9ed5eea3fc10db977699f05dff61255b1f2fce305615546e4abe80",
];
/// timeseries.csv, wall.csv of `scenarios/phosphate-pulse.toml`.
const PHOSPHATE_PULSE: [&str; 2] = [
    "08d5ae573f4c0638c1a573c99cce749c95c8047b28c3b18ef5c68b8c290f4c32",
    "77be18b78247e211ba0f5ed9a087a6b0e90b8546a3b253bc1b49c4e2559aeb5c",
];
/// validation.csv of `vcsim validate --quick`.
const QUICK_CLAIMS: [&str; 1] =
    ["af8a2fdcab01d8ece7b8a832706be3e4cac2afec823d27a7dff87a67a0227357"];
