//! `vcsim sweep` and `vcsim sensitivity` end to end (issue 14 items 4 and 5): a tiny
//! sweep and both analysis methods through the binary, their tables and figures, and a
//! sweep killed with SIGKILL mid-job that resumes without recomputing finished runs and
//! ends byte-identical to an uninterrupted one.

use crate::common::{stderr_of, vcsim};
use crate::render_figures::assert_text_fits;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};
use vcsim::render::{Format, PlotOptions, Style, text_layout};

/// Lays out the figures of a sweep or sensitivity folder in both styles: one per readout,
/// every text inside its canvas, none cut or shrunk below the smallest size.
fn assert_figures_fit(dir: &Path, readouts: usize) {
    for style in [Style::Talk, Style::Paper] {
        let options = PlotOptions {
            style,
            format: Format::Both,
            only: Vec::new(),
        };
        let texts = text_layout(dir, &options).expect("laid out");
        assert_eq!(texts.len(), readouts, "{}", dir.display());
        assert_text_fits(&texts, style);
    }
}

/// A calcifying monolayer of `sites × sites` for `days`, recorded every 12 h. Nucleation
/// is deterministic and fast (`nucleus_pmol` 0, `k_nuc` 3e-5 pmol/h) so that a day's run
/// already holds mineral that answers phosphate: the tests are about the sweep, not the
/// shipped rates. The two are listed out of alphabetical order on purpose: a job writes
/// each unit's scenario back and reads it again, and the unit must keep its key.
fn base_text(sites: usize, days: f64) -> String {
    format!(
        "[meta]\nname = \"base\"\ndescription = \"sweep test\"\nseed = 5\n\
         [geometry]\nmode = \"in_vitro\"\naxial_sites = {sites}\ncircumferential_sites = {sites}\n\
         [time]\nduration_days = {days}\n[environment]\nphosphate_mM = 2.6\ncalcium_mM = 2.7\n\
         [record]\nevery_h = 12\n\
         [parameters.mineral]\nnucleus_pmol = 0.0\nnucleation_rate_per_h = 3e-5\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("written");
    path
}

/// The rows of a CSV file, each split at commas (vcsim's tables quote nothing).
fn rows(path: &Path) -> Vec<Vec<String>> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

const SWEEP: &str = "[sweep]\nname = \"tiny\"\nbase = \"base.toml\"\nreplicates = 2\n\
    readouts = [\"calcium_ug_per_mg_protein@1\", \"chop_mean\"]\n\
    [[factor]]\nenvironment = \"phosphate_mM\"\nvalues = [1.0, 3.0]\n\
    [[factor]]\ntreatment = \"tudca\"\nfield = \"dose\"\nvalues = [0.0, 0.5, 1.0]\n";

#[test]
fn a_tiny_sweep_writes_one_tidy_row_per_run_and_a_figure_per_readout() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "base.toml", &base_text(3, 1.0));
    let sweep = write(dir.path(), "sweep.toml", SWEEP);
    let out = dir.path().join("out");
    let done = vcsim(&[
        "sweep",
        sweep.to_str().expect("utf-8"),
        "--quiet",
        "--threads",
        "2",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(done.status.success(), "{}", stderr_of(&done));
    let table = rows(&out.join("sweep.csv"));
    assert_eq!(
        table[0],
        [
            "run",
            "point",
            "replicate",
            "seed",
            "phosphate_mM",
            "tudca.dose",
            "calcium_ug_per_mg_protein_day1",
            "chop_mean_day1"
        ]
    );
    assert_eq!(table.len(), 1 + 6 * 2, "a row per run");
    // Point 4 is phosphate 3 mM with 0.5 mM TUDCA; replicate 2 has seed 5 + 1.
    let row = &table[1 + 4 * 2 + 1];
    assert_eq!(row[..6], ["runs/p0004/rep2", "4", "2", "6", "3", "0.5"]);
    for row in &table[1..] {
        for value in &row[6..] {
            let v: f64 = value.parse().expect("a readout");
            assert!(v.is_finite() && v >= 0.0, "{row:?}");
        }
        assert!(out.join(&row[0]).join("timeseries.csv").is_file());
    }
    // More phosphate, more calcium (mean of the points without TUDCA, claim VC-1).
    let calcium = |phosphate: &str| -> f64 {
        table[1..]
            .iter()
            .filter(|r| r[4] == phosphate && r[5] == "0")
            .map(|r| r[6].parse::<f64>().expect("number"))
            .sum::<f64>()
    };
    assert!(calcium("3") > calcium("1"), "{table:?}");
    let design: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("sweep.json")).expect("sweep.json"))
            .expect("json");
    assert_eq!(design["points"].as_array().map(Vec::len), Some(6));
    assert_eq!(design["design"]["design"], "grid");
    for readout in ["calcium_ug_per_mg_protein_day1", "chop_mean_day1"] {
        assert!(
            out.join(format!("sweep-{readout}.png")).is_file(),
            "{readout}"
        );
        assert!(
            out.join(format!("sweep-{readout}.svg")).is_file(),
            "{readout}"
        );
    }
    assert_figures_fit(&out, 2);
    // The result may be replaced with --force (it is recognised as vcsim's).
    let again = vcsim(&[
        "sweep",
        sweep.to_str().expect("utf-8"),
        "--quiet",
        "--no-plots",
        "--force",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(again.status.success(), "{}", stderr_of(&again));
    assert_eq!(rows(&out.join("sweep.csv")), table);
}

/// A sensitivity file over three factors; `method` and its keys given by the caller.
fn analysis(method: &str) -> String {
    format!(
        "[sensitivity]\nname = \"tiny-{}\"\nbase = \"base.toml\"\n{method}\nbootstrap = 200\n\
         readouts = [\"calcium_ug_per_mg_protein\", \"chop_mean\"]\n\
         [[factor]]\nenvironment = \"phosphate_mM\"\nrange = [1.0, 3.0]\n\
         [[factor]]\nparameter = \"autophagy.erphagy_clearance_rate\"\nrange = [0.05, 0.5]\nscale = \"log\"\n\
         [[factor]]\ntreatment = \"tudca\"\nfield = \"dose\"\nrange = [0.0, 1.0]\n",
        if method.contains("morris") {
            "morris"
        } else {
            "sobol"
        }
    )
}

#[test]
fn both_sensitivity_methods_run_end_to_end_and_rank_the_factors() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "base.toml", &base_text(3, 1.0));
    for (method, columns, points, figure) in [
        (
            "method = \"morris\"\ntrajectories = 3",
            "readout,factor,mu,mu_star,sigma,mu_star_ci",
            3 * 4,
            "morris",
        ),
        (
            "method = \"sobol\"\nsamples = 4",
            "readout,factor,S1,S1_ci,ST,ST_ci",
            4 * 5,
            "sobol",
        ),
    ] {
        let spec = write(dir.path(), "analysis.toml", &analysis(method));
        let out = dir.path().join(figure);
        let done = vcsim(&[
            "sensitivity",
            spec.to_str().expect("utf-8"),
            "--quiet",
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        assert!(done.status.success(), "{}", stderr_of(&done));
        let indices = rows(&out.join("indices.csv"));
        assert_eq!(indices[0].join(","), columns);
        assert_eq!(indices.len(), 1 + 2 * 3, "a row per readout and factor");
        assert_eq!(
            indices[1][..2],
            ["calcium_ug_per_mg_protein_day1", "phosphate_mM"]
        );
        assert_eq!(rows(&out.join("runs.csv")).len(), 1 + points);
        let report = fs::read_to_string(out.join("sensitivity.md")).expect("report");
        assert!(report.contains("| rank | factor |"), "{report}");
        assert!(report.contains("## calcium content"), "{report}");
        // Phosphate drives calcium more than ER-phagy clearance does, by either measure
        // (mu* or ST, column 3 or 4).
        let measure = |factor: &str| -> f64 {
            let row = indices
                .iter()
                .find(|r| r[0] == "calcium_ug_per_mg_protein_day1" && r[1] == factor)
                .expect("row");
            row[if figure == "morris" { 3 } else { 4 }]
                .parse()
                .expect("number")
        };
        assert!(
            measure("phosphate_mM") > measure("autophagy.erphagy_clearance_rate"),
            "{indices:?}"
        );
        assert!(
            out.join(format!("{figure}-calcium_ug_per_mg_protein_day1.png"))
                .is_file()
        );
        assert_figures_fit(&out, 2);
    }
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
}

/// Waits up to a minute for `done`.
fn wait_for(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        sleep(Duration::from_millis(20));
    }
}

/// Every finished unit of a sweep's job folder: (unit folder, inode and modification
/// time of its `timeseries.csv`).
fn finished_units(job: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut units = Vec::new();
    for point in fs::read_dir(job.join("runs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        for rep in fs::read_dir(point.path())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let path = rep.path();
            if path.join("unit.json").is_file() {
                let meta = fs::metadata(path.join("timeseries.csv")).expect("a finished unit");
                let relative = path.strip_prefix(job).expect("inside").to_path_buf();
                units.push((relative, meta.ino(), meta.modified().expect("mtime")));
            }
        }
    }
    units.sort();
    units
}

/// Issue 14: a `sweep` killed with SIGKILL mid-job resumes on the next run of the same
/// command: finished runs are not run again, the rest run, and the outputs are
/// byte-identical to an uninterrupted sweep.
#[test]
fn a_killed_sweep_resumes_without_recomputing_and_matches_an_uninterrupted_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "base.toml", &base_text(12, 6.0));
    let sweep = write(
        dir.path(),
        "sweep.toml",
        "[sweep]\nname = \"resume\"\nbase = \"base.toml\"\ndesign = \"latin_hypercube\"\nsamples = 6\n\
         readouts = [\"calcium_ug_per_mg_protein@6\", \"grp78_mean@3\"]\n\
         [[factor]]\nenvironment = \"phosphate_mM\"\nrange = [1.0, 3.0]\n",
    );
    let sweep = sweep.to_str().expect("utf-8");
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            sweep,
            "--quiet",
            "--no-plots",
            "--threads",
            "1",
            "--out",
        ]
        .iter()
        .map(ToString::to_string)
        .chain([out.to_str().expect("utf-8").to_string()])
        .collect()
    };
    let reference = dir.path().join("reference");
    let done = binary()
        .args(args(&reference))
        .output()
        .expect("vcsim runs");
    assert!(done.status.success(), "{}", stderr_of(&done));

    let out = dir.path().join("resume");
    let job = dir.path().join(".resume.job");
    let mut child = binary()
        .args(args(&out))
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    wait_for("two finished runs", || finished_units(&job).len() >= 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    let before = finished_units(&job);
    assert!(
        (2..6).contains(&before.len()),
        "{} runs finished before the kill",
        before.len()
    );
    assert!(!out.exists());

    let resumed = binary().args(args(&out)).output().expect("vcsim runs");
    assert!(resumed.status.success(), "{}", stderr_of(&resumed));
    for (unit, inode, modified) in &before {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(out.join(unit).join("timeseries.csv")).expect("kept");
        assert_eq!(
            (meta.ino(), meta.modified().expect("mtime")),
            (*inode, *modified),
            "{} was run again",
            unit.display()
        );
    }
    assert!(!job.exists(), "the job folder became the result");
    let same = |relative: &str| {
        let a = fs::read(reference.join(relative)).expect("reference file");
        let b = fs::read(out.join(relative)).expect("resumed file");
        assert!(
            a == b,
            "{relative} differs between the resumed and the uninterrupted sweep"
        );
    };
    same("sweep.csv");
    same("sweep.json");
    for point in 0..6 {
        same(&format!("runs/p{point:04}/rep1/timeseries.csv"));
        same(&format!("runs/p{point:04}/rep1/wall.csv"));
        assert!(
            !out.join(format!("runs/p{point:04}/rep1/unit.json"))
                .exists()
        );
    }
}
