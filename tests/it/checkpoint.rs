//! Issue 14 item 6: `vcsim run --checkpoint-every-days` killed with SIGKILL at a random
//! step and finished with `vcsim resume` writes the same files, byte for byte, as an
//! uninterrupted run (the timing fields of manifest.json apart, which differ between any
//! two runs). The refusals of `resume` (a folder that is no run, a finished run, a
//! damaged checkpoint) are cases of the bad-input corpus (`tests/data/bad/resume-*`).

use crate::common::{binary, stderr_of, wait_for};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Stdio;

/// A calcifying, stressed monolayer long enough to be killed in the middle.
const SCENARIO: &str = "[meta]\nname = \"checkpointed\"\ndescription = \"checkpoint test\"\nseed = 5\n\
    [geometry]\nmode = \"in_vitro\"\naxial_sites = 30\ncircumferential_sites = 20\n\
    [time]\nduration_days = 30.0\n[stress]\nstress_per_min = 2.0\n";

/// The files of a run, with manifest.json's timing fields left out.
fn run_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for name in [
        "timeseries.csv",
        "wall.csv",
        "parameters.csv",
        "CITATIONS.md",
    ] {
        files.push((
            name.to_string(),
            fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")),
        ));
    }
    let text = fs::read_to_string(dir.join("manifest.json")).expect("manifest.json");
    let mut manifest: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("a JSON object");
    for timing in ["started_unix_s", "finished_unix_s", "wall_time_s"] {
        assert!(
            manifest.remove(timing).is_some(),
            "manifest.json has {timing}"
        );
    }
    files.push((
        "manifest.json".to_string(),
        serde_json::to_vec(&manifest).expect("JSON"),
    ));
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("the run folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    files.push(("(names)".to_string(), names.join("\n").into_bytes()));
    files
}

#[test]
fn a_checkpointed_run_killed_at_a_random_step_and_resumed_is_byte_identical() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let scenario = dir.path().join("scenario.toml");
    fs::write(&scenario, SCENARIO).expect("written");
    let scenario = scenario.to_str().expect("utf-8");
    let run = |out: &Path, extra: &[&str]| {
        let mut command = binary();
        command
            .args(["run", scenario, "--quiet", "--no-plots", "--threads", "1"])
            .args(["--out", out.to_str().expect("utf-8")])
            .args(extra);
        command
    };
    let reference = dir.path().join("reference");
    let done = run(&reference, &[]).output().expect("vcsim runs");
    assert!(done.status.success(), "{}", stderr_of(&done));

    // Which checkpoint to kill after is a seeded random choice among the first five of
    // the fourteen (every 2 days of 30); the kill lands at whatever step the run has
    // reached by then.
    let after = 1 + vcsim::random::splitmix(2026) % 5;
    println!("killing after checkpoint {after}");
    let out = dir.path().join("checkpointed");
    let mut child = run(&out, &["--checkpoint-every-days", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    let checkpoint = out.join("checkpoint.cbor");
    // Each checkpoint is written to a fresh file renamed over the last, so a new one is a
    // new (inode, modification time) pair; the inode alone is not enough, because the
    // file system may hand the freed inode of the one before last to the next.
    let mut seen = Vec::new();
    wait_for("the checkpoints", || {
        if let Ok(meta) = fs::metadata(&checkpoint) {
            let version = (meta.ino(), meta.mtime(), meta.mtime_nsec());
            if !seen.contains(&version) {
                seen.push(version);
            }
        }
        // The first file is the one written at the start, before any step.
        let enough = seen.len() > usize::try_from(after).expect("small");
        let exited = child.try_wait().expect("the run's status").is_some();
        assert!(
            enough || !exited,
            "the run ended after {} checkpoint(s), before the kill",
            seen.len()
        );
        enough
    });
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    assert!(
        checkpoint.is_file() && !out.join("manifest.json").exists(),
        "the run finished before the kill; the test needs a longer run"
    );
    let resumed = binary()
        .args([
            "resume",
            out.to_str().expect("utf-8"),
            "--quiet",
            "--no-plots",
        ])
        .args(["--threads", "1"])
        .output()
        .expect("vcsim runs");
    assert!(resumed.status.success(), "{}", stderr_of(&resumed));
    let (expected, got) = (run_files(&reference), run_files(&out));
    for ((name, a), (_, b)) in expected.iter().zip(&got) {
        assert!(
            a == b,
            "{name} differs between the resumed and the uninterrupted run"
        );
    }

    // A finished run is not resumed again, and its folder is a result like any other.
    let again = binary()
        .args(["resume", out.to_str().expect("utf-8")])
        .output()
        .expect("vcsim runs");
    assert_eq!(again.status.code(), Some(1), "{}", stderr_of(&again));
    assert!(
        stderr_of(&again).contains("finished"),
        "{}",
        stderr_of(&again)
    );
}

#[test]
fn an_unfinished_run_is_resumed_or_started_again_with_force_never_overwritten() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let scenario = dir.path().join("scenario.toml");
    fs::write(&scenario, SCENARIO.replace("30.0", "3.0")).expect("written");
    let out = dir.path().join("unfinished");
    let run = |extra: &[&str]| {
        binary()
            .args([
                "run",
                scenario.to_str().expect("utf-8"),
                "--quiet",
                "--no-plots",
            ])
            .args([
                "--threads",
                "1",
                "--wall",
                "last",
                "--checkpoint-every-days",
                "1",
            ])
            .args(["--out", out.to_str().expect("utf-8")])
            .args(extra)
            .output()
            .expect("vcsim runs")
    };
    // An unfinished folder as a kill before the first checkpoint leaves it: the
    // checkpoint written at the start, without a state. Resuming starts the run over.
    let done = run(&[]);
    assert!(done.status.success(), "{}", stderr_of(&done));
    let finished = run_files_but_manifest(&out);
    assert!(!out.join("checkpoint.cbor").exists() && !out.join("wall.unfinished.csv").exists());
    fs::remove_dir_all(&out).expect("removed");
    let mut child = binary()
        .args([
            "run",
            scenario.to_str().expect("utf-8"),
            "--quiet",
            "--no-plots",
        ])
        .args([
            "--threads",
            "1",
            "--wall",
            "last",
            "--checkpoint-every-days",
            "1",
        ])
        .args(["--out", out.to_str().expect("utf-8")])
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    wait_for("the unfinished folder", || {
        out.join("checkpoint.cbor").is_file()
    });
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    if out.join("checkpoint.cbor").is_file() {
        let refused = run(&[]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            stderr_of(&refused).contains("vcsim resume"),
            "{}",
            stderr_of(&refused)
        );
        let restarted = run(&["--force"]);
        assert!(restarted.status.success(), "{}", stderr_of(&restarted));
    }
    assert_eq!(run_files_but_manifest(&out), finished);
}

fn run_files_but_manifest(dir: &Path) -> Vec<Vec<u8>> {
    ["timeseries.csv", "wall.csv", "parameters.csv"]
        .iter()
        .map(|name| fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}
