//! The Slurm backend (issue 14): `--backend slurm --no-submit` writes a job-array script
//! whose tasks (`vcsim jobs run-task`) run every unit exactly once, and `vcsim merge`
//! refuses an unfinished job, then merges into the very bytes of a local run. With
//! `sbatch` on PATH and a cluster that answers `sinfo`, a compare runs through real
//! Slurm job arrays; without them that test prints `SKIPPED: ...` and returns. A quick
//! calibration runs each batch as a job array through a stand-in `sbatch` (and through
//! real Slurm where there is one) into the bytes of the local backend.

use crate::common::stderr_of;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vcsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("vcsim runs")
}

/// A small experiment (2 arms x 3 replicates of a 3 x 3 well for 6 hours) in `dir`.
fn write_experiment(dir: &Path) {
    fs::write(
        dir.join("scenario.toml"),
        "[meta]\nname = \"tiny\"\ndescription = \"x\"\nseed = 5\n[geometry]\nmode = \"in_vitro\"\n\
         axial_sites = 3\ncircumferential_sites = 3\n[time]\nduration_days = 0.25\n\
         [stress]\nstress_per_min = 2.0\n",
    )
    .expect("written");
    fs::write(
        dir.join("experiment.toml"),
        "[experiment]\nname = \"tiny\"\ndescription = \"x\"\nbase = \"scenario.toml\"\nreplicates = 3\n\
         [[arm]]\nname = \"control\"\n[[arm]]\nname = \"pba\"\n[[arm.treatment]]\nid = \"4-pba\"\ndose = 5.0\n",
    )
    .expect("written");
}

/// The files of a compare result that must be byte-identical between backends.
fn assert_same_results(a: &Path, b: &Path) {
    let mut files = vec!["summary.csv".to_string(), "summary.md".to_string()];
    for arm in ["control", "pba"] {
        for rep in 1..=3 {
            files.push(format!("{arm}/rep{rep}/timeseries.csv"));
            files.push(format!("{arm}/rep{rep}/wall.csv"));
        }
    }
    for file in files {
        assert!(
            fs::read(a.join(&file)).expect("file") == fs::read(b.join(&file)).expect("file"),
            "{file} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn a_written_job_array_runs_every_unit_once_and_merges_into_the_local_bytes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // A working folder with a space: the script quotes every path.
    let work = dir.path().join("work dir");
    fs::create_dir(&work).expect("mkdir");
    write_experiment(&work);
    let local = vcsim(
        &[
            "compare",
            "experiment.toml",
            "--quiet",
            "--no-plots",
            "--out",
            "local",
        ],
        &work,
    );
    assert!(local.status.success(), "{}", stderr_of(&local));

    let written = vcsim(
        &[
            "compare",
            "experiment.toml",
            "--no-plots",
            "--out",
            "array",
            "--backend",
            "slurm",
            "--no-submit",
            "--slurm-units-per-task",
            "4",
            "--slurm-max-running",
            "1",
        ],
        &work,
    );
    assert!(written.status.success(), "{}", stderr_of(&written));
    let job = work.join(".array.job");
    let script = fs::read_to_string(job.join("_slurm/job.sh")).expect("the script");
    assert!(
        stderr_of(&written).contains("sbatch"),
        "{}",
        stderr_of(&written)
    );
    // 6 units in batches of 4: tasks 0 and 1, one at a time.
    assert!(script.contains("#SBATCH --array=0-1%1\n"), "{script}");
    let exe = fs::canonicalize(env!("CARGO_BIN_EXE_vcsim")).expect("exe");
    assert!(
        script.contains(&format!("exec {} jobs run-task", exe.display())),
        "{script}"
    );
    assert!(
        script.contains(&format!("cd '{}'", work.display())),
        "{script}"
    );
    assert!(!work.join("array").exists());

    // Merging now is refused, naming what is unfinished.
    let early = vcsim(&["merge", "array"], &work);
    assert_eq!(early.status.code(), Some(2), "{}", stderr_of(&early));
    assert!(
        stderr_of(&early).contains("6 of 6 runs are not finished")
            && stderr_of(&early).contains("control/rep1"),
        "{}",
        stderr_of(&early)
    );

    // Run the tasks as Slurm would, from another folder (the job folder is all they
    // need), task 1 twice: a second run of a task finds its units finished.
    let job_arg = job.to_str().expect("utf-8");
    for task in ["1", "0", "1"] {
        let ran = vcsim(&["jobs", "run-task", job_arg, "--task", task], dir.path());
        assert!(ran.status.success(), "task {task}: {}", stderr_of(&ran));
    }
    let again = vcsim(&["jobs", "run-task", job_arg, "--task", "1"], dir.path());
    assert!(
        stderr_of(&again).contains("0 runs (2 already finished)"),
        "{}",
        stderr_of(&again)
    );
    let beyond = vcsim(&["jobs", "run-task", job_arg, "--task", "2"], dir.path());
    assert_eq!(beyond.status.code(), Some(1), "{}", stderr_of(&beyond));

    let merged = vcsim(&["merge", job_arg], dir.path());
    assert!(merged.status.success(), "{}", stderr_of(&merged));
    assert!(!job.exists(), "the job folder became the result");
    assert!(!work.join("array/_slurm").exists() && !work.join("array/_scenarios").exists());
    assert_same_results(&work.join("local"), &work.join("array"));
}

/// Whether a Slurm cluster answers here; the reason if not.
fn slurm_cluster() -> Result<(), String> {
    let sbatch = Command::new("sbatch").arg("--version").output();
    if !sbatch.is_ok_and(|o| o.status.success()) {
        return Err("sbatch is not on PATH (bash .ci/slurm-up.sh starts a one-node Slurm)".into());
    }
    match Command::new("sinfo").args(["-h", "-o", "%T"]).output() {
        Ok(o) if o.status.success() && !o.stdout.is_empty() => Ok(()),
        Ok(o) => Err(format!(
            "sinfo does not answer: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!("sinfo cannot run: {e}")),
    }
}

/// A temporary folder and the working folder `work dir` inside it if a Slurm cluster
/// answers here; otherwise `None`, after saying why `what` is skipped (a failure when
/// `VCSIM_REQUIRE_SLURM=1`, as in CI).
fn real_slurm_work(what: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    if let Err(reason) = slurm_cluster() {
        // CI starts a cluster and sets this, so there a missing cluster fails the test.
        assert!(
            std::env::var_os("VCSIM_REQUIRE_SLURM").is_none_or(|v| v != "1"),
            "{what}: VCSIM_REQUIRE_SLURM=1 but {reason}"
        );
        #[expect(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!("SKIPPED: {what}: {reason}");
        }
        return None;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("work dir");
    fs::create_dir(&work).expect("mkdir");
    Some((dir, work))
}

#[test]
fn a_compare_through_real_slurm_job_arrays_equals_the_local_run() {
    let Some((_dir, work)) = real_slurm_work("the Slurm backend test") else {
        return;
    };
    write_experiment(&work);
    let local = vcsim(
        &[
            "compare",
            "experiment.toml",
            "--quiet",
            "--no-plots",
            "--out",
            "local",
        ],
        &work,
    );
    assert!(local.status.success(), "{}", stderr_of(&local));
    let slurm = vcsim(
        &[
            "compare",
            "experiment.toml",
            "--no-plots",
            "--out",
            "slurm",
            "--backend",
            "slurm",
            "--slurm-units-per-task",
            "2",
        ],
        &work,
    );
    assert!(slurm.status.success(), "{}", stderr_of(&slurm));
    assert!(
        stderr_of(&slurm).contains("submitted Slurm job") && stderr_of(&slurm).contains("3 tasks"),
        "{}",
        stderr_of(&slurm)
    );
    assert_same_results(&work.join("local"), &work.join("slurm"));
}

#[test]
fn a_validation_through_real_slurm_job_arrays_equals_the_local_one() {
    let Some((_dir, work)) = real_slurm_work("the Slurm backend test of validate") else {
        return;
    };
    // Two claims of different experiments (a culture and a vessel claim), quick size.
    let claims = [
        "--claim",
        "OS-3",
        "--claim",
        "AU-4",
        "--quick",
        "--no-plots",
    ];
    let mut local_args = vec!["validate", "--quiet", "--out", "local"];
    local_args.extend(claims);
    let local = vcsim(&local_args, &work);
    assert!(local.status.success(), "{}", stderr_of(&local));
    let mut slurm_args = vec![
        "validate",
        "--out",
        "slurm",
        "--backend",
        "slurm",
        "--slurm-cpus",
        "2",
    ];
    slurm_args.extend(claims);
    let slurm = vcsim(&slurm_args, &work);
    assert!(slurm.status.success(), "{}", stderr_of(&slurm));
    assert!(
        stderr_of(&slurm).contains("submitted Slurm job"),
        "{}",
        stderr_of(&slurm)
    );
    let read = |dir: &str| {
        fs::read_to_string(work.join(dir).join("validation.csv")).expect("validation.csv")
    };
    let local_csv = read("local");
    assert!(
        local_csv.contains("OS-3") && local_csv.contains("AU-4"),
        "both claims are in the report:\n{local_csv}"
    );
    assert!(
        local_csv == read("slurm"),
        "validation.csv differs between the local and the Slurm backend"
    );
}

/// The files of a calibration that must be byte-identical between backends.
fn assert_same_calibration(a: &Path, b: &Path) {
    for file in [
        "parameters.toml",
        "posterior.csv",
        "history.csv",
        "fit.csv",
        "calibration.md",
    ] {
        assert!(
            fs::read(a.join(file)).expect("file") == fs::read(b.join(file)).expect("file"),
            "{file} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// `vcsim calibrate --quick --seed 3 --no-plots` with `extra`, in `cwd`, with `path`
/// first on PATH if given.
fn calibrate(cwd: &Path, out: &str, extra: &[&str], path: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vcsim"));
    command
        .args([
            "calibrate",
            "--quick",
            "--seed",
            "3",
            "--no-plots",
            "--out",
            out,
        ])
        .args(extra)
        .current_dir(cwd);
    if let Some(dir) = path {
        let mut paths = vec![dir.to_path_buf()];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        command.env("PATH", std::env::join_paths(paths).expect("a PATH"));
    }
    command.output().expect("vcsim runs")
}

/// A stand-in for Slurm in `dir`: `sbatch` runs every task of the array one after the
/// other (as `$SLURM_ARRAY_TASK_ID`) before it answers with a job id, and `squeue`
/// finds no job in the queue.
fn write_fake_slurm(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let sbatch = "#!/bin/bash\nset -eu\nscript=\"${@: -1}\"\n\
                  last=$(sed -n 's/^#SBATCH --array=0-\\([0-9]*\\)%.*/\\1/p' \"$script\")\n\
                  for i in $(seq 0 \"$last\"); do SLURM_ARRAY_TASK_ID=$i bash \"$script\" >/dev/null 2>&1; done\n\
                  echo 4242\n";
    for (name, text) in [("sbatch", sbatch), ("squeue", "#!/bin/sh\nexit 0\n")] {
        let path = dir.join(name);
        fs::write(&path, text).expect("written");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("executable");
    }
}

/// Every batch of a calibration (the defaults, each CMA-ES generation, the ABC draws) is
/// one job array, run by the tasks' `vcsim jobs run-task` and read back into the same
/// bytes as the local backend's, whatever its thread count.
#[test]
fn a_calibration_through_job_arrays_equals_the_local_one() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("work dir");
    let bin = dir.path().join("bin");
    fs::create_dir(&work).expect("mkdir");
    fs::create_dir(&bin).expect("mkdir");
    write_fake_slurm(&bin);
    let local = calibrate(&work, "local", &["--quiet", "--threads", "2"], None);
    assert!(local.status.success(), "{}", stderr_of(&local));
    let slurm = calibrate(
        &work,
        "slurm",
        &["--threads", "1", "--backend", "slurm", "--slurm-cpus", "2"],
        Some(&bin),
    );
    assert!(slurm.status.success(), "{}", stderr_of(&slurm));
    let submitted = stderr_of(&slurm)
        .matches("submitted Slurm job 4242")
        .count();
    assert!(
        submitted >= 3,
        "{submitted} job arrays: {}",
        stderr_of(&slurm)
    );
    assert_same_calibration(&work.join("local"), &work.join("slurm"));
    assert!(
        !work.join(".slurm.job").exists(),
        "a batch's job folder is left"
    );
    assert!(!work.join(".slurm.calibrate-cache.json").exists());

    // A calibration is followed from the login node, never submitted and left.
    let o = calibrate(
        &work,
        "written",
        &["--backend", "slurm", "--no-submit"],
        Some(&bin),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr_of(&o));
    assert!(stderr_of(&o).contains("--no-submit"), "{}", stderr_of(&o));
}

#[test]
fn a_calibration_through_real_slurm_job_arrays_equals_the_local_one() {
    let Some((_dir, work)) = real_slurm_work("the Slurm backend test of calibrate") else {
        return;
    };
    let local = calibrate(&work, "local", &["--quiet", "--threads", "1"], None);
    assert!(local.status.success(), "{}", stderr_of(&local));
    let slurm = calibrate(
        &work,
        "slurm",
        &["--quiet", "--backend", "slurm", "--slurm-cpus", "2"],
        None,
    );
    assert!(slurm.status.success(), "{}", stderr_of(&slurm));
    assert_same_calibration(&work.join("local"), &work.join("slurm"));
}
