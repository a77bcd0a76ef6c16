//! The claims report in quick mode: every claim of the review is run and checked, the
//! set of claims that pass is the one documented in docs/validation.md, and a handful of
//! key checks have a measured ratio in the range the claim states.
//! A claim that stops passing is a regression; a claim that starts passing must be
//! moved in docs/validation.md and here (with its explanation removed).

use vcsim::record::Column;
use vcsim::validation::{self, CLAIMS, ClaimResult, ClaimVerdict};

/// The claims that pass in quick mode with the shipped parameters (18 of 40 counted): all
/// their evidence checks pass at the 1.2x effect floor.
const PASSING: [&str; 18] = [
    "ER-1", "ER-2", "ER-3", "ER-5", "VC-1", "VC-2", "OS-1", "OS-4", "AP-1", "AP-4", "AU-1", "IN-1",
    "IN-2", "IN-7", "TX-1", "TX-3", "TX-7", "SUM-1",
];

/// The claims with only wiring checks (reported, not counted).
const WIRING_ONLY: [&str; 1] = ["ER-4"];

/// The claims that fail, each explained in docs/validation.md ("Claims the model does not
/// reproduce").
const FAILING: [&str; 22] = [
    "OS-2", "OS-3", "AP-2", "AP-3", "AP-5", "AU-2", "AU-3", "AU-4", "AU-5", "IN-3", "IN-4", "IN-5",
    "IN-6", "IN-8", "IN-9", "IN-10", "IN-11", "IN-12", "TX-2", "TX-4", "TX-5", "TX-6",
];

/// The measured ratio of the check of `claim` comparing `arm` with `reference` on
/// `column`.
fn ratio(results: &[ClaimResult], claim: &str, arm: &str, reference: &str, column: Column) -> f64 {
    let r = results.iter().find(|r| r.claim.id == claim).expect("claim");
    let c = r
        .checks
        .iter()
        .find(|c| c.check.arm == arm && c.check.reference == reference && c.check.column == column)
        .unwrap_or_else(|| panic!("{claim}: no check {arm} vs {reference} on {column:?}"));
    c.paired.ratio
}

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
    let with = |verdict: ClaimVerdict| -> Vec<&str> {
        results
            .iter()
            .filter(|r| r.verdict() == verdict)
            .map(|r| r.claim.id)
            .collect()
    };
    assert_eq!(
        with(ClaimVerdict::Pass),
        PASSING,
        "claims passing changed:\n{report}"
    );
    assert_eq!(with(ClaimVerdict::WiringOnly), WIRING_ONLY, "{report}");
    assert_eq!(with(ClaimVerdict::Fail), FAILING, "{report}");
    for id in FAILING {
        let r = results.iter().find(|r| r.claim.id == id).expect("claim");
        assert!(r.checks.iter().any(|c| c.check.is_evidence() && !c.pass));
    }
    assert_eq!(
        PASSING.len() + WIRING_ONLY.len() + FAILING.len(),
        CLAIMS.len()
    );
    let totals = validation::Totals::of(&results);
    assert_eq!(
        (totals.passed, totals.counted, totals.wiring_only),
        (
            PASSING.len(),
            PASSING.len() + FAILING.len(),
            WIRING_ONLY.len()
        )
    );
    assert!(report.contains(&format!(
        "{} of {} claims pass ({} wiring only, not counted)",
        PASSING.len(),
        PASSING.len() + FAILING.len(),
        WIRING_ONLY.len()
    )));
    assert!(report.contains("## Wiring checks (reported, not counted)"));
    // Every check ran on every replicate.
    for r in &results {
        for c in &r.checks {
            assert_eq!(c.replicates, 4, "{:?}", c.check);
        }
    }

    // Magnitudes, in the ranges the claims state (not fitted to the output).
    let in_range = |what: &str, r: f64, (low, high): (f64, f64)| {
        assert!(
            (low..=high).contains(&r),
            "{what}: ratio {r} outside the claim's [{low}, {high}]"
        );
    };
    // AP-3: caspase-12 about 3-fold in VDN aortas.
    in_range(
        "AP-3 VDN caspase-12 about 3x",
        ratio(&results, "AP-3", "VDN", "control", Column::Caspase12Mean),
        (2.0, 4.5),
    );
    // AP-3, AP-5: p-JNK unchanged (no change as large as the 1.2x effect floor).
    let unchanged = (1.0 / 1.2, 1.2);
    in_range(
        "AP-3 VDN p-JNK unchanged",
        ratio(&results, "AP-3", "VDN", "control", Column::PJnkMean),
        unchanged,
    );
    in_range(
        "AP-3 high-dose vitamin D p-JNK unchanged",
        ratio(
            &results,
            "AP-3",
            "high-dose vitamin D",
            "control",
            Column::PJnkMean,
        ),
        unchanged,
    );
    in_range(
        "AP-5 FGF21 p-JNK unchanged",
        ratio(&results, "AP-5", "VDN + FGF21", "VDN", Column::PJnkMean),
        unchanged,
    );
    // ER-2: CHOP resolves after mild stress, back within 2-fold of control (from a peak
    // of about 20-fold; Rutkowski 2006).
    in_range(
        "ER-2 thapsigargin 2.5 nM CHOP resolved",
        ratio(
            &results,
            "ER-2",
            "thapsigargin 2.5 nM",
            "control",
            Column::ChopMean,
        ),
        (0.5, 2.0),
    );
    // A documented miss: AP-3's CHOP about 10-fold (5-20) under high-dose vitamin D is
    // about 4x in the model (docs/validation.md). Entering the claim's range is a change
    // to record there.
    let chop = ratio(
        &results,
        "AP-3",
        "high-dose vitamin D",
        "control",
        Column::ChopMean,
    );
    assert!(
        chop > 1.2 && chop < 5.0,
        "AP-3 high-dose vitamin D CHOP {chop}: update docs/validation.md"
    );
}
