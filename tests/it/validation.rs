//! The claims report in quick mode: every claim of the review is run and checked, and
//! the set of claims that pass is the one documented in docs/validation.md.
//! A claim that stops passing is a regression; a claim that starts passing must be
//! moved in docs/validation.md and here (with its explanation removed).

use vcsim::validation::{self, CLAIMS};

/// The claims that pass in quick mode with the default calibration (30 of 41).
const PASSING: [&str; 30] = [
    "ER-1", "ER-2", "ER-3", "ER-4", "ER-5", "VC-1", "VC-2", "OS-1", "OS-2", "OS-3", "OS-4", "AP-1",
    "AP-2", "AP-4", "AU-1", "AU-2", "IN-1", "IN-2", "IN-3", "IN-4", "IN-5", "IN-7", "IN-9",
    "IN-11", "IN-12", "TX-1", "TX-2", "TX-4", "TX-7", "SUM-1",
];

/// The claims that fail, each explained in docs/validation.md ("Claims the model does not
/// reproduce").
const FAILING: [&str; 11] = [
    "AP-3", "AP-5", "AU-3", "AU-4", "AU-5", "IN-6", "IN-8", "IN-10", "TX-3", "TX-5", "TX-6",
];

#[test]
fn quick_validation_passes_the_documented_claims() {
    let claims = validation::select(&[]).expect("all claims");
    assert_eq!(claims.len(), 41);
    let experiments = validation::experiments_for(&claims, true).expect("bundled experiments");
    let runs = validation::run_all(&experiments, &|| {}).expect("runs");
    let results = validation::evaluate(&claims, &experiments, &runs).expect("checks");
    let mut report = Vec::new();
    validation::write_markdown(&mut report, &results, "quick", "test").expect("report");
    let report = String::from_utf8(report).expect("utf-8");
    let passing: Vec<&str> = results
        .iter()
        .filter(|r| r.pass())
        .map(|r| r.claim.id)
        .collect();
    assert_eq!(passing, PASSING, "claims passing changed:\n{report}");
    for id in FAILING {
        let r = results.iter().find(|r| r.claim.id == id).expect("claim");
        assert!(
            !r.pass(),
            "{id} now passes: update docs/validation.md and this test"
        );
        assert!(r.checks.iter().any(|c| !c.pass));
    }
    assert_eq!(PASSING.len() + FAILING.len(), CLAIMS.len());
    // Every check ran on every replicate.
    for r in &results {
        for c in &r.checks {
            assert_eq!(c.replicates, 4, "{:?}", c.check);
        }
    }
}
