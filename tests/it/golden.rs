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
    "10e27d04021106b15aec2d3b952631cba40797b867f1e553a6665737aafdf415",
    "7ae0f3ef595c7aaa94c5b194f2a6f34a208c209f2b268855d1ba7205585431e3",
];
/// timeseries.csv, wall.csv of `scenarios/vessel-media.toml`.
const VESSEL_MEDIA: [&str; 2] = [
    "d4f853ac9648cbfb30b9ba76967d83ed3452623d54cd8f3a4918a065fe1ec60c",
    "733998a4ad2c4e7ec4e6187ae9992e0139baff3bd52bcf4eeaf5606bbaf75a09",
];
/// timeseries.csv, wall.csv of `scenarios/phosphate-pulse.toml`.
const PHOSPHATE_PULSE: [&str; 2] = [
    "1696e5d61552994f1d36917604985affcd226da02bae102f498e7bc2bd6d73e5",
    "403ea517566882b3a2e1cb38bfa1002ca5690dd0934f1580cd9e1f223ef71074",
];
/// validation.csv of `vcsim validate --quick`.
const QUICK_CLAIMS: [&str; 1] =
    ["a883d9c8b6aea3247ee90d2f0e196d9fe2e9d6910617607b824afe17a0e2369a"];
