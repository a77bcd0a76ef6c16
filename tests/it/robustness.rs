//! `vcsim robustness`: a perturbed draw changes the runs, a draw with spread 0 reproduces
//! the unperturbed model exactly, the reports are byte-identical for any `--threads`,
//! and bad flags are refused. One small claim (IN-10: 12 quick runs per draw) keeps it
//! fast.

use crate::common::{assert_fails_with, vcsim};
use std::fs;
use vcsim::validation::{self, robustness};

/// The claim the tests run: one 14-day experiment of 3 arms.
const CLAIM: &str = "IN-10";

/// Every run's time series, as text, so that equal runs compare equal (NaN included).
fn series_text(runs: &[Vec<vcsim::experiment::compare::ReplicateSeries>]) -> Vec<String> {
    runs.iter()
        .flatten()
        .map(|r| format!("{}/{}: {:?}", r.arm, r.replicate, r.timeseries))
        .collect()
}

#[test]
fn a_draw_changes_the_runs_and_spread_zero_reproduces_the_unperturbed_model() {
    let claims = validation::select(&[CLAIM.to_string()]).expect("claim");
    let experiments = validation::experiments_for(&claims, true).expect("experiments");
    let parameters = robustness::assumed_parameters();
    let perturbed = robustness::draws(&parameters, 2, 0.25, 3).expect("draws");
    let flat = robustness::draws(&parameters, 1, 0.0, 3).expect("draws");
    // Spread 0 still lays every assumed parameter over the scenarios, at its default.
    assert_eq!(flat[1].overrides.len(), parameters.len());
    let run = |overrides| {
        let e = robustness::perturb(&experiments, overrides).expect("perturb");
        series_text(&validation::run_all(&e, &|| {}).expect("runs"))
    };
    let base = run(&perturbed[0].overrides);
    assert_eq!(
        run(&flat[1].overrides),
        base,
        "spread 0 must be the unperturbed model"
    );
    let first = run(&perturbed[1].overrides);
    assert_ne!(first, base, "a perturbed draw left every run unchanged");
    assert_ne!(
        run(&perturbed[2].overrides),
        first,
        "two draws gave the same runs"
    );
}

#[test]
fn reports_are_identical_for_any_thread_count_and_spread_zero_repeats_draw_zero() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let out_text = out.display().to_string();
        let mut args = vec![
            "robustness",
            "--quick",
            "--claim",
            CLAIM,
            "--draws",
            "2",
            "--no-plots",
            "--quiet",
            "--out",
            &out_text,
        ];
        args.extend_from_slice(extra);
        let output = vcsim(&args);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        out
    };
    let one = run("one", &["--threads", "1"]);
    let two = run("two", &["--threads", "2"]);
    for file in ["robustness.csv", "robustness_factors.csv", "robustness.md"] {
        assert_eq!(
            fs::read(one.join(file)).expect(file),
            fs::read(two.join(file)).expect(file),
            "{file} depends on --threads"
        );
    }
    let csv = fs::read_to_string(one.join("robustness.csv")).expect("csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "header, draw 0 and 2 draws:\n{csv}");
    assert!(rows[1].starts_with("0,no,"), "{csv}");
    let factors = fs::read_to_string(one.join("robustness_factors.csv")).expect("factors");
    let factor_rows: Vec<Vec<&str>> = factors.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        factor_rows[0].len(),
        robustness::assumed_parameters().len() + 1
    );
    assert!(factor_rows[1][1..].iter().all(|f| *f == "1.000000"));
    assert_ne!(
        factor_rows[2][1..],
        factor_rows[3][1..],
        "draws 1 and 2 are equal"
    );
    let md = fs::read_to_string(one.join("robustness.md")).expect("md");
    assert!(md.contains(&format!("| {CLAIM} |")), "{md}");
    assert!(md.contains("claims passing (of 1)"), "{md}");

    // Spread 0: every draw scores exactly as the unperturbed model.
    let flat = run("flat", &["--threads", "2", "--spread", "0"]);
    let csv = fs::read_to_string(flat.join("robustness.csv")).expect("csv");
    let scores: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.splitn(3, ',').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(scores.len(), 3);
    assert!(scores.iter().all(|s| *s == scores[0]), "{csv}");
}

#[test]
fn bad_flags_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("r");
    let out_text = out.display().to_string();
    for (flag, value, needle) in [
        ("--spread", "1.5", "--spread must be in [0, 0.9]"),
        ("--spread", "-0.1", "--spread must be in [0, 0.9]"),
        ("--draws", "0", "--draws must be in [1, 10000]"),
    ] {
        let output = vcsim(&[
            "robustness",
            "--quick",
            "--claim",
            CLAIM,
            flag,
            value,
            "--out",
            &out_text,
        ]);
        assert_fails_with(&output, &[1], 1, &[needle]);
        assert!(!out.exists(), "{flag} {value}: a result was written");
    }
    let output = vcsim(&[
        "robustness",
        "--quick",
        "--claim",
        "XX-1",
        "--out",
        &out_text,
    ]);
    assert_fails_with(&output, &[1], 3, &["--claim XX-1: no such claim"]);
}

#[test]
fn the_figure_draws_every_quantity_with_its_text_inside_the_canvas() {
    use crate::common::png_stats;
    use crate::render_figures::assert_text_fits;
    use vcsim::render::{Format, PlotOptions, Style, plot_robustness_folder, text_layout};
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut csv = String::from(
        "draw,perturbed,claims_passing,claims_counted,evidence_checks_passing,evidence_checks,\
         calibration_rows,calibration_within_two_fold,calibration_within_two_fold_share,\
         calibration_fold_rows,calibration_right_direction,calibration_right_direction_share,\
         held_out_rows,held_out_within_two_fold,held_out_within_two_fold_share,\
         held_out_fold_rows,held_out_right_direction,held_out_right_direction_share\n",
    );
    for (draw, claims, checks, within) in [
        (0, 19, 121, 2),
        (1, 18, 114, 3),
        (2, 20, 122, 2),
        (3, 22, 130, 3),
        (4, 19, 125, 2),
    ] {
        let perturbed = if draw == 0 { "no" } else { "yes" };
        let share = f64::from(within) / 76.0;
        csv.push_str(&format!(
            "{draw},{perturbed},{claims},40,{checks},158,76,{within},{share:.6},33,2,0.060606,\
             34,1,0.029412,17,1,0.058824\n"
        ));
    }
    fs::write(dir.join("robustness.csv"), csv).expect("write");
    for style in [Style::Talk, Style::Paper] {
        let options = PlotOptions {
            style,
            format: Format::Png,
            only: Vec::new(),
        };
        let texts = text_layout(dir, &options).expect("lays out");
        assert_text_fits(&texts, style);
        let all: Vec<&str> = texts
            .iter()
            .flat_map(|f| f.boxes.iter().map(|b| b.text.as_str()))
            .collect();
        for title in [
            "claims passing (of 40)",
            "evidence checks passing (of 158)",
            "within 2-fold, calibration (of 76)",
            "right direction, held-out (of 17)",
        ] {
            assert!(all.contains(&title), "{title} missing: {all:?}");
        }
        let files = plot_robustness_folder(dir, &options).expect("draws");
        assert_eq!(files.len(), 1);
        let (_, _, variance) = png_stats(&files[0]);
        assert!(variance > 100.0, "blank figure");
    }
    // `vcsim plot` recognises the folder.
    fs::remove_file(dir.join("robustness.png")).expect("drawn above");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .arg("plot")
        .arg(dir)
        .args(["--format", "png"])
        .output()
        .expect("vcsim runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("robustness.png").is_file());
}
