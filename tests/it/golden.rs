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
    "eb7e7e43abb3c0914c6fdefd5f56c20f170e622a7974d73edb79525de9559202",
    "f64d3706e3698b5f313960f6273fe5d41e9bf354f1a0bb8511fcfe2a50b4e5da",
];
/// timeseries.csv, wall.csv of `scenarios/vessel-media.toml`.
const VESSEL_MEDIA: [&str; 2] = [
    "5aa5b9abfc5b3fe655c703fa3dcd5fda16525cdd314b89663aef00200ee688da",
    "21ff33b73bbeaca6a7a7d62ae9fbdfac69e05ce12b1acb299382056908eabbdd",
];
/// timeseries.csv, wall.csv of `scenarios/phosphate-pulse.toml`.
const PHOSPHATE_PULSE: [&str; 2] = [
    "47b9e7e17d415738d23b066898ae52fb698edf332b33c52adbb727dc0076d04f",
    "7d153a82ed73a6de99cb4f37db5b8ae28503ffe936bcaf6e5639a3c2d1a2fcad",
];
/// validation.csv of `vcsim validate --quick`.
const QUICK_CLAIMS: [&str; 1] =
    ["c2dc999c7b4789c78b61fec5e8d2ea84b69c43d5ef440dd7332098339a11bbf3"];
