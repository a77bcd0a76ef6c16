//! Faults (issue 12 items 4, 5, 6 and 11): the memory estimate against a measured run,
//! SIGINT and SIGTERM in the middle of a run, leftovers of killed runs, a write that
//! fails in the middle of a run, a place that cannot be written, and two runs into one
//! folder at once. The refusals that need no running process are cases of the bad-input
//! corpus (`tests/data/bad/`: `*-max-memory-*`, `*-name-too-long`, `*-force`).

use crate::common::{binary, stderr_of, vcsim, wait_for};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};
use vcsim::record::{WallRow, WallWriter};
use vcsim::scenario::Scenario;
use vcsim::sim::{Simulation, StreamError, Threads};

/// A monolayer of `axial × circumferential` sites for `days`, with snapshots every day.
fn scenario_text(axial: usize, circumferential: usize, days: f64) -> String {
    format!(
        "[meta]\nname = \"faults\"\ndescription = \"fault test\"\nseed = 3\n\
         [geometry]\nmode = \"in_vitro\"\naxial_sites = {axial}\ncircumferential_sites = {circumferential}\n\
         [time]\nduration_days = {days}\n[stress]\nstress_per_min = 2.0\n"
    )
}

fn write_scenario(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("scenario.toml");
    fs::write(&path, text).expect("scenario written");
    path
}

/// Every name in `dir` that holds `fragment`.
fn names_with(dir: &Path, fragment: &str) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(fragment))
                .collect()
        })
        .unwrap_or_default()
}

fn send(signal: &str, child: &Child) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} failed");
}

fn finish(child: Child) -> (ExitStatus, String) {
    let output = child.wait_with_output().expect("the child ends");
    (output.status, stderr_of(&output))
}

/// A PID that no running process has: that of a child that ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("true runs");
    let pid = child.id();
    child.wait().expect("true ends");
    pid
}

#[test]
fn the_memory_estimate_is_within_a_factor_of_two_of_a_measured_run() {
    if !Path::new("/proc/self/status").exists() {
        println!("skipped: no /proc/PID/status to measure peak memory on this platform");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    // 60,000 cells for two days: the wall dominates the program's own memory.
    let text = scenario_text(300, 200, 2.0);
    let path = write_scenario(dir.path(), &text);
    let scenario = Scenario::from_toml(&text, "scenario.toml").expect("valid");
    let estimate = vcsim::sim::memory::estimate(&scenario);
    let out = dir.path().join("out");
    let child = binary()
        .args([
            "run",
            path.to_str().expect("utf-8"),
            "--quiet",
            "--no-plots",
        ])
        .args(["--threads", "1", "--out", out.to_str().expect("utf-8")])
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = 0_u64;
    let mut child = child;
    // VmHWM only grows: its last value before the exit is the peak.
    while child.try_wait().expect("status").is_none() {
        if let Ok(status) = fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        sleep(Duration::from_millis(5));
    }
    let (status, stderr) = finish(child);
    assert!(status.success(), "{stderr}");
    let measured = peak_kib * 1024;
    #[expect(clippy::cast_precision_loss, reason = "a ratio of byte counts")]
    let ratio = measured as f64 / estimate.total_bytes as f64;
    println!(
        "peak RSS {measured} B, estimate {} B ({} B per cell, {} B per site): measured / estimate = {ratio:.2}",
        estimate.total_bytes, estimate.per_cell_bytes, estimate.per_site_bytes
    );
    assert!(
        (0.5..=2.0).contains(&ratio),
        "measured / estimate = {ratio}"
    );
}

#[test]
fn sigint_and_sigterm_stop_a_run_remove_its_partial_result_and_exit_130_or_143() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let dir = tempfile::tempdir().expect("temporary folder");
        // Long enough never to finish before the signal (minutes).
        let path = write_scenario(dir.path(), &scenario_text(100, 100, 300.0));
        let out = dir.path().join("results").join("long");
        let child = binary()
            .args([
                "run",
                path.to_str().expect("utf-8"),
                "--quiet",
                "--no-plots",
            ])
            .args(["--threads", "1", "--out", out.to_str().expect("utf-8")])
            .stderr(Stdio::piped())
            .spawn()
            .expect("vcsim runs");
        let results = dir.path().join("results");
        // The temporary result folder exists once the simulation has started writing.
        wait_for("the partial result", || {
            !names_with(&results, ".long.partial-").is_empty()
        });
        let started = Instant::now();
        send(signal, &child);
        let (status, stderr) = finish(child);
        assert_eq!(status.code(), Some(code), "SIG{signal}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "SIG{signal} took {:?} to stop the run",
            started.elapsed()
        );
        assert!(
            stderr.starts_with(&format!("error: interrupted by SIG{signal}")),
            "{stderr}"
        );
        assert!(stderr.contains("removed the partial result"), "{stderr}");
        assert!(stderr.contains(".long.partial-"), "{stderr}");
        assert!(stderr.contains("nothing was written to"), "{stderr}");
        assert!(!out.exists());
        assert_eq!(
            names_with(&results, "."),
            Vec::<String>::new(),
            "left behind"
        );
    }
}

#[test]
fn sigint_stops_an_experiment_between_its_runs() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_scenario(dir.path(), &scenario_text(60, 60, 300.0));
    let experiment = dir.path().join("experiment.toml");
    fs::write(
        &experiment,
        "[experiment]\nname = \"long\"\ndescription = \"x\"\nbase = \"scenario.toml\"\nreplicates = 2\n\
         [[arm]]\nname = \"control\"\n[[arm]]\nname = \"pba\"\n[[arm.treatment]]\nid = \"4-pba\"\ndose = 5.0\n",
    )
    .expect("written");
    let out = dir.path().join("long");
    let child = binary()
        .args(["compare", experiment.to_str().expect("utf-8"), "--quiet"])
        .args([
            "--no-plots",
            "--threads",
            "2",
            "--out",
            out.to_str().expect("utf-8"),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    // The lock is taken once the checks passed, before the runs start.
    wait_for("the lock", || dir.path().join(".long.lock").exists());
    sleep(Duration::from_millis(300));
    let started = Instant::now();
    send("INT", &child);
    let (status, stderr) = finish(child);
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        stderr.starts_with("error: interrupted by SIGINT"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written to"), "{stderr}");
    assert!(!out.exists());
    // The finished runs are kept for resuming (issue 14), in the job folder only; no
    // temporary of a run in flight is left.
    assert!(
        stderr.contains("run the same command again to resume"),
        "{stderr}"
    );
    assert_eq!(
        names_with(dir.path(), ".long"),
        [".long.job"],
        "left behind"
    );
    assert!(names_with(&dir.path().join(".long.job"), ".partial").is_empty());
}

/// Every finished unit of a job folder: (unit folder, inode and mtime of its
/// `timeseries.csv`).
fn finished_units(job: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut units = Vec::new();
    for arm in fs::read_dir(job)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        for rep in fs::read_dir(arm.path())
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

/// Issue 14: a `compare` killed with SIGKILL mid-job resumes on the next run of the same
/// command: finished runs are not run again (their files are the same files), the rest
/// run, and the result is byte-identical to an uninterrupted run.
#[test]
fn a_killed_compare_resumes_without_recomputing_and_matches_an_uninterrupted_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_scenario(dir.path(), &scenario_text(12, 12, 6.0));
    let experiment = dir.path().join("experiment.toml");
    fs::write(
        &experiment,
        "[experiment]\nname = \"resume\"\ndescription = \"x\"\nbase = \"scenario.toml\"\nreplicates = 3\n\
         [[arm]]\nname = \"control\"\n[[arm]]\nname = \"pba\"\n[[arm.treatment]]\nid = \"4-pba\"\ndose = 5.0\n",
    )
    .expect("written");
    let experiment = experiment.to_str().expect("utf-8");
    let args = |out: &Path| -> Vec<String> {
        [
            "compare",
            experiment,
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
    // The uninterrupted reference.
    let reference = dir.path().join("reference");
    let done = binary()
        .args(args(&reference))
        .output()
        .expect("vcsim runs");
    assert!(done.status.success(), "{}", stderr_of(&done));

    // Kill the same job once two of its six runs are finished.
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
    // --quiet hides the resume note; the files of the finished runs are the very same
    // files (same inode, same modification time): they were not run again.
    for (unit, inode, modified) in &before {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(out.join(unit).join("timeseries.csv")).expect("kept");
        assert_eq!(
            (meta.ino(), meta.modified().expect("mtime")),
            (*inode, *modified)
        );
    }
    assert!(!job.exists(), "the job folder became the result");
    assert!(!out.join("plan.json").exists());
    let same = |relative: &str| {
        let a = fs::read(reference.join(relative)).expect("reference file");
        let b = fs::read(out.join(relative)).expect("resumed file");
        assert!(
            a == b,
            "{relative} differs between the resumed and the uninterrupted run"
        );
    };
    same("summary.csv");
    same("summary.md");
    for arm in ["control", "pba"] {
        for rep in 1..=3 {
            same(&format!("{arm}/rep{rep}/timeseries.csv"));
            same(&format!("{arm}/rep{rep}/wall.csv"));
            assert!(!out.join(format!("{arm}/rep{rep}/unit.json")).exists());
        }
    }
}

/// A job folder of another plan is never resumed: it is refused (exit 1), or discarded
/// with --force.
#[test]
fn a_job_folder_of_another_plan_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_scenario(dir.path(), &scenario_text(3, 3, 1.0));
    let experiment = dir.path().join("experiment.toml");
    let text = |replicates: usize| {
        format!(
            "[experiment]\nname = \"plan\"\ndescription = \"x\"\nbase = \"scenario.toml\"\n\
             replicates = {replicates}\n[[arm]]\nname = \"control\"\n"
        )
    };
    fs::write(&experiment, text(2)).expect("written");
    let job = dir.path().join(".plan.job");
    fs::create_dir(&job).expect("planted");
    fs::write(
        job.join("plan.json"),
        r#"{"vcsim_version":"0.0.1","command":"compare","name":"plan","units":[]}"#,
    )
    .expect("planted");
    let out = dir.path().join("plan");
    let run = |force: bool| {
        let mut command = binary();
        command.args([
            "compare",
            experiment.to_str().expect("utf-8"),
            "--quiet",
            "--no-plots",
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        if force {
            command.arg("--force");
        }
        command.output().expect("vcsim runs")
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr_of(&refused));
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains(".plan.job") && stderr.contains("made by vcsim 0.0.1"),
        "{stderr}"
    );
    assert!(job.join("plan.json").exists(), "the other job is kept");
    let forced = run(true);
    assert!(forced.status.success(), "{}", stderr_of(&forced));
    assert!(out.join("control/rep2/timeseries.csv").is_file());
    assert!(!job.exists());
}

#[test]
fn leftovers_of_dead_processes_are_removed_and_those_of_live_ones_kept() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_scenario(dir.path(), &scenario_text(2, 2, 0.25));
    let dead = dead_pid();
    let live = std::process::id();
    let stale = dir.path().join(format!(".r.partial-{dead}-AbC123"));
    let running = dir.path().join(format!(".r.partial-{live}-XyZ789"));
    let other = dir.path().join(format!(".other.partial-{dead}-AbC123"));
    for folder in [&stale, &running, &other] {
        fs::create_dir(folder).expect("planted");
        fs::write(folder.join("wall.csv"), "half").expect("planted");
    }
    let out = dir.path().join("r");
    let output = vcsim(&[
        "run",
        path.to_str().expect("utf-8"),
        "--quiet",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stale.exists(),
        "the dead process's partial result is removed"
    );
    assert!(
        running.exists(),
        "a running process's partial result is kept"
    );
    assert!(
        other.exists(),
        "another target's leftovers are not this run's business"
    );
    assert!(
        stderr.contains(&format!("note: removed {}", stale.display())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    // `plot` removes a figure that a killed `plot` left in the folder.
    let gif = out.join(format!(".animation.partial-{dead}-q1w2e3.gif"));
    let kept_gif = out.join(format!(".animation.partial-{live}-q1w2e3.gif"));
    fs::write(&gif, "GIF8").expect("planted");
    fs::write(&kept_gif, "GIF8").expect("planted");
    let output = vcsim(&[
        "plot",
        out.to_str().expect("utf-8"),
        "--only",
        "timecourses",
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(!gif.exists());
    assert!(kept_gif.exists());

    // `cell --out` removes its own kind (`.FILE.partial-PID-XXXXXX.csv`).
    let csv = dir.path().join(format!(".c.csv.partial-{dead}-AbC123.csv"));
    fs::write(&csv, "time_min").expect("planted");
    let target = dir.path().join("c.csv");
    let output = vcsim(&[
        "cell",
        "--hours",
        "1",
        "--out",
        target.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(!csv.exists());
    assert!(target.exists());
}

#[test]
fn force_replaces_an_earlier_result_but_never_one_with_the_users_files() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_scenario(dir.path(), &scenario_text(2, 2, 0.25));
    let out = dir.path().join("r");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            path.to_str().expect("utf-8"),
            "--quiet",
            "--out",
            out.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        vcsim(&args)
    };
    assert!(run(&[]).status.success());
    // With its figures, exactly what vcsim writes: replaced.
    let output = run(&["--force", "--seed", "9"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let manifest = fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("\"seed\": 9"), "{manifest}");
    fs::write(out.join("notes.txt"), "my notes").expect("written");
    let output = run(&["--force", "--no-plots"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).expect("kept"),
        "my notes"
    );
    assert!(out.join("manifest.json").exists());
}

#[test]
fn of_two_overlapping_runs_into_one_folder_exactly_one_succeeds() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_scenario(dir.path(), &scenario_text(40, 40, 6.0));
    let out = dir.path().join("shared");
    let start = || {
        binary()
            .args([
                "run",
                path.to_str().expect("utf-8"),
                "--quiet",
                "--no-plots",
            ])
            .args([
                "--force",
                "--threads",
                "1",
                "--out",
                out.to_str().expect("utf-8"),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .expect("vcsim runs")
    };
    let first = start();
    // The lock file appears before it is locked; its holder writes its PID only once it
    // holds the lock, so wait for the first run's PID, not for the file.
    let first_pid = first.id().to_string();
    wait_for("the first run's lock", || {
        fs::read_to_string(dir.path().join(".shared.lock"))
            .is_ok_and(|text| text.trim() == first_pid)
    });
    let second = start();
    let (second_status, second_stderr) = finish(second);
    let (first_status, first_stderr) = finish(first);
    assert!(first_status.success(), "{first_stderr}");
    assert_eq!(second_status.code(), Some(2), "{second_stderr}");
    assert!(second_stderr.contains(".shared.lock"), "{second_stderr}");
    assert!(second_stderr.contains("another vcsim"), "{second_stderr}");
    assert!(out.join("manifest.json").exists());
    assert!(
        !dir.path().join(".shared.lock").exists(),
        "the lock is released"
    );
}

#[test]
fn a_folder_that_cannot_be_written_is_refused_before_the_run() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_scenario(dir.path(), &scenario_text(2, 2, 0.25));
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).expect("folder");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).expect("chmod");
    if fs::write(locked.join("probe"), "x").is_ok() {
        println!("skipped: permissions do not apply to this user (root)");
        return;
    }
    let out = locked.join("out");
    for command in [
        vec![
            "run",
            path.to_str().expect("utf-8"),
            "--quiet",
            "--no-plots",
        ],
        vec![
            "validate",
            "--claim",
            "ER-1",
            "--quick",
            "--quiet",
            "--no-plots",
        ],
    ] {
        let mut args = command.clone();
        args.extend(["--out", out.to_str().expect("utf-8")]);
        let started = Instant::now();
        let output = vcsim(&args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
        assert!(
            stderr_of(&output).contains("--out"),
            "{}",
            stderr_of(&output)
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "checked at the start"
        );
    }
}

/// A writer that fails after `budget` bytes, like a disk that fills up.
struct FillingDisk {
    budget: usize,
}

impl Write for FillingDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() > self.budget {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        self.budget -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_wall_write_that_fails_ends_the_run_at_once() {
    let text = scenario_text(40, 40, 2.0);
    let scenario = Scenario::from_toml(&text, "scenario.toml").expect("valid");
    let simulation = Simulation::new(&scenario, Threads::Serial).expect("builds");
    let mut wall = WallWriter::new(FillingDisk { budget: 10_000 }).expect("header fits");
    let mut steps_run = 0;
    let result = simulation.run_streaming_with(
        |step, _| {
            steps_run = step;
            Ok(())
        },
        |rows: Vec<WallRow>| wall.write_rows(&rows),
    );
    match result {
        Err(StreamError::Output(e)) => assert_eq!(e.kind(), io::ErrorKind::StorageFull),
        other => panic!("expected the write error, got {other:?}"),
    }
    // The snapshot at time 0 is written before the first step: nothing was simulated.
    assert_eq!(steps_run, 0);
}

/// Every finished unit below `folder` (any depth): (unit folder relative to `root`, inode
/// and mtime of its `timeseries.csv`).
fn finished_units_below(
    root: &Path,
    folder: &Path,
    found: &mut Vec<(PathBuf, u64, std::time::SystemTime)>,
) {
    use std::os::unix::fs::MetadataExt;
    if folder.join("unit.json").is_file() {
        // The job may finish between the two looks: it removes its units' unit.json and
        // moves the folder to its final place. A unit gone is not counted.
        let Ok(meta) = fs::metadata(folder.join("timeseries.csv")) else {
            return;
        };
        let relative = folder.strip_prefix(root).expect("inside").to_path_buf();
        found.push((relative, meta.ino(), meta.modified().expect("mtime")));
        return;
    }
    for entry in fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        if entry.path().is_dir() {
            finished_units_below(root, &entry.path(), found);
        }
    }
}

/// Issue 14: `vcsim validate` runs its experiments as run units of a job folder: killed
/// with SIGKILL mid-job and run again, it does not recompute the finished runs, and its
/// validation.csv is byte-identical to an uninterrupted run's.
#[test]
fn a_killed_validate_resumes_without_recomputing_and_matches_an_uninterrupted_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let args = |out: &Path| -> Vec<String> {
        [
            "validate",
            "--quick",
            "--claim",
            "ER-1",
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
    assert!(
        !dir.path().join(".reference.job").exists(),
        "the runs are removed once the report is written"
    );

    let out = dir.path().join("resume");
    let job = dir.path().join(".resume.job");
    let count = || {
        let mut found = Vec::new();
        finished_units_below(&job, &job, &mut found);
        found.sort();
        found
    };
    let mut child = binary()
        .args(args(&out))
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    wait_for("three finished runs", || count().len() >= 3);
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    let before = count();
    let plan = fs::read_to_string(job.join("plan.json")).expect("the plan");
    let total = plan.matches("\"key\"").count();
    assert!(
        (3..total).contains(&before.len()),
        "{} of {total} runs finished before the kill",
        before.len()
    );
    assert!(!out.exists());

    let resumed = binary().args(args(&out)).output().expect("vcsim runs");
    assert!(resumed.status.success(), "{}", stderr_of(&resumed));
    assert_eq!(
        fs::read(reference.join("validation.csv")).expect("reference"),
        fs::read(out.join("validation.csv")).expect("resumed"),
        "validation.csv differs between the resumed and the uninterrupted run"
    );
    assert!(!job.exists(), "the job folder is removed after the report");
    // The runs finished before a kill are not run again: a resumed job leaves their
    // files as they are (same inode, same mtime) while it runs the others. Watched
    // while the resumed job runs, as the finished job folder is removed at its end.
    let mut child = binary()
        .args(args(&dir.path().join("third")))
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    let third = dir.path().join(".third.job");
    let third_count = || {
        let mut found = Vec::new();
        finished_units_below(&third, &third, &mut found);
        found.sort();
        found
    };
    wait_for("two finished runs", || third_count().len() >= 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    let kept = third_count();
    let mut child = binary()
        .args(args(&dir.path().join("third")))
        .stderr(Stdio::piped())
        .spawn()
        .expect("vcsim runs");
    // The resumed job may also finish all its runs between two looks: it then moves its
    // folder, units and all (same inodes and mtimes), to `third`.
    let finished = dir.path().join("third");
    wait_for("one more finished run", || {
        third_count().len() > kept.len() || finished.exists()
    });
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    for (unit, inode, mtime) in &kept {
        use std::os::unix::fs::MetadataExt;
        let now = [third.join(unit), finished.join(unit)]
            .iter()
            .find_map(|folder| fs::metadata(folder.join("timeseries.csv")).ok())
            .map(|meta| (meta.ino(), meta.modified().expect("mtime")));
        assert_eq!(
            now,
            Some((*inode, *mtime)),
            "{}: a finished run was run again",
            unit.display()
        );
    }
}
