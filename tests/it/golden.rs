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
    "6f998d6c910b5cfec07aab893694481c7b0c11828a4a3ea16c32642111d36762",
    "6e2c77636fc340730629c2a1cd2024e75c1297cc120414c541a130c882bd4023",
];
/// timeseries.csv, wall.csv of `scenarios/vessel-media.toml`.
const VESSEL_MEDIA: [&str; 2] = [
    "1e67c02d149f146b4cd5e337be48905bdd76197c594ff76a27ad40bd05847763",
    "cf937ff2b851b63afc787e156cf07768e620da61032400daf1f69522a1d372e0",
];
/// timeseries.csv, wall.csv of `scenarios/phosphate-pulse.toml`.
const PHOSPHATE_PULSE: [&str; 2] = [
    "b3681f28814f7248674a227240ecf35b290917871faa309f58f4388b1b350830",
    "58cb2be80fb6939f0f93291b0ea0d3448e9027fc1dc3a7d51cb480aaec5911a6",
];
/// validation.csv of `vcsim validate --quick`.
const QUICK_CLAIMS: [&str; 1] =
    ["99610723e0ae046254b814cb3bd399d8b13592f74b23c8e9e05a4e4919624432"];
