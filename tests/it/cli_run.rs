//! End-to-end tests of `vcsim run`: bad scenarios and flags, exit codes, and safe run-folder output.

use crate::common::{assert_fails_with, stderr_of, vcsim};
use serde_json::Value;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// A valid scenario that runs in well under a second: 16 sites for 6 hours.
const TINY: &str = r#"[meta]
name = "tiny"
description = "4x4 monolayer in reference medium, 6 hours"
seed = 1

[geometry]
mode = "in_vitro"
axial_sites = 4
circumferential_sites = 4

[time]
duration_days = 0.25
dt_min = 0.5

[environment]
calcium_mM = 1.8
phosphate_mM = 0.9

[stress]
stress_per_min = 2.0
"#;

/// The files of a complete run folder.
const RUN_FILES: [&str; 6] = [
    "manifest.json",
    "timeseries.csv",
    "layers.csv",
    "wall.csv",
    "parameters.csv",
    "CITATIONS.md",
];

/// The most stderr lines an error may take ("one screen").
const MAX_ERROR_LINES: usize = 20;

/// A temporary folder holding scenario files and a `results/` folder for run outputs.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("cannot create a temporary folder");
        fs::create_dir(dir.path().join("results")).expect("cannot create results/");
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` as the scenario file `name` and returns its path.
    fn scenario(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        fs::write(&path, text).expect("cannot write the scenario file");
        path
    }

    /// The TINY scenario with `from` replaced by `to` (which must occur in it).
    fn variant(&self, from: &str, to: &str) -> PathBuf {
        assert!(TINY.contains(from), "{from:?} is not in the TINY scenario");
        self.scenario("tiny.toml", &TINY.replacen(from, to, 1))
    }

    /// The default output folder of these tests, `results/run`.
    fn out(&self) -> PathBuf {
        self.path().join("results").join("run")
    }
}

/// A path as a command-line argument.
fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// `vcsim run SCENARIO --quiet --out OUT` followed by `extra`.
fn run(scenario: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", arg(scenario), "--quiet", "--out", arg(out)];
    args.extend_from_slice(extra);
    vcsim(&args)
}

/// Asserts a failure with one of `codes`: no panic, nothing on stdout, at most one screen
/// of stderr whose first line starts with `error: `, and every one of `needles` in it.
/// Returns stderr.
#[track_caller]
fn assert_run_fails(output: &Output, codes: &[i32], needles: &[&str]) -> String {
    assert_fails_with(output, codes, MAX_ERROR_LINES, needles)
}

/// Asserts exit 0 with no panic and nothing on stdout or stderr (the runs are `--quiet`).
#[track_caller]
fn assert_run_succeeds(output: &Output) {
    let stderr = stderr_of(output);
    assert!(!stderr.contains("panicked"), "panic on stderr: {stderr}");
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "unexpected stderr: {stderr:?}");
    assert!(
        output.stdout.is_empty(),
        "unexpected stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("cannot list the folder")
        .map(|e| {
            e.expect("cannot read a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Asserts that no `.NAME.partial-*` temporary folder of `out` is left beside it.
#[track_caller]
fn assert_no_partial(out: &Path) {
    let parent = out.parent().expect("out has a parent");
    let name = out
        .file_name()
        .expect("out has a name")
        .to_string_lossy()
        .into_owned();
    let prefix = format!(".{name}.partial-");
    let leftovers: Vec<String> = entries(parent)
        .into_iter()
        .filter(|e| e.starts_with(&prefix))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left in {}: {leftovers:?}",
        parent.display()
    );
}

/// Asserts that a failed run left nothing: no `out` (not even a dangling link) and no
/// temporary folder beside it.
#[track_caller]
fn assert_no_result(out: &Path) {
    assert!(
        fs::symlink_metadata(out).is_err(),
        "a failed run left {}",
        out.display()
    );
    assert_no_partial(out);
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .expect("needle not in text")
        + 1
}

/// Asserts that `dir` is a complete run folder: exactly the six files, none empty.
#[track_caller]
fn assert_complete_run_folder(dir: &Path) {
    // The six result files, plus the figures `vcsim run` renders (unless --no-plots).
    let present = entries(dir);
    for file in RUN_FILES {
        assert!(
            present.iter().any(|p| p == file),
            "{file} missing in {}",
            dir.display()
        );
    }
    for extra in present.iter().filter(|p| !RUN_FILES.contains(&p.as_str())) {
        assert!(
            [".png", ".svg", ".gif"]
                .iter()
                .any(|ext| extra.ends_with(ext)),
            "unexpected {extra} in {}",
            dir.display()
        );
    }
    assert!(
        present.iter().any(|p| p == "mineral-wall.png"),
        "figures missing"
    );
    for file in RUN_FILES {
        let length = fs::metadata(dir.join(file))
            .expect("cannot stat a run file")
            .len();
        assert!(length > 0, "{file} is empty");
    }
}

/// Reads and parses `manifest.json` of a run folder.
fn manifest(dir: &Path) -> Value {
    let text = fs::read_to_string(dir.join("manifest.json")).expect("cannot read manifest.json");
    serde_json::from_str(&text).expect("manifest.json is not JSON")
}

// ---- invalid scenario content: exit 1 ---------------------------------------------------

#[test]
fn malformed_toml_is_rejected_naming_the_file_and_line() {
    let fx = Fixture::new();
    let scenario = fx.variant("duration_days = 0.25", "duration_days = = 3");
    let line = line_of(TINY, "duration_days");
    let location = format!("{}:{line}:", arg(&scenario));
    assert_run_fails(&run(&scenario, &fx.out(), &[]), &[1], &[&location]);
    assert_no_result(&fx.out());
}

#[test]
fn an_unknown_key_is_rejected_suggesting_the_known_one() {
    let fx = Fixture::new();
    let scenario = fx.variant("duration_days", "duraton_days");
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["duraton_days", "did you mean `duration_days`"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_negative_concentration_is_rejected_naming_the_key_value_and_range() {
    let fx = Fixture::new();
    let scenario = fx.variant("phosphate_mM = 0.9", "phosphate_mM = -1.0");
    let line = line_of(TINY, "phosphate_mM");
    let location = format!("{}:{line}:", arg(&scenario));
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &[
            &location,
            "environment.phosphate_mM = -1",
            "must be in [0, ",
            "mM",
        ],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_zero_step_is_rejected_naming_time_dt_min() {
    let fx = Fixture::new();
    let scenario = fx.variant("dt_min = 0.5", "dt_min = 0");
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["time.dt_min = 0", "must be in [0.01, "],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_step_of_100_minutes_is_rejected_naming_time_dt_min() {
    let fx = Fixture::new();
    let scenario = fx.variant("dt_min = 0.5", "dt_min = 100");
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["time.dt_min = 100", "must be in [0.01, "],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_cell_step_of_10_minutes_is_rejected_like_a_scenario_step() {
    let fx = Fixture::new();
    let scenario = fx.variant("dt_min = 0.5", "dt_min = 10");
    let from_scenario = assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["time.dt_min = 10", "must be in [0.01, 5]"],
    );
    let from_cell = assert_run_fails(
        &vcsim(&["cell", "--integrator", "rk4", "--dt-min", "10"]),
        &[1],
        &["--dt-min", "must be in [0.01, 5]", "time.dt_min", "10"],
    );
    assert!(from_scenario.contains("[0.01, 5]") && from_cell.contains("[0.01, 5]"));
    assert_no_result(&fx.out());
}

#[test]
fn several_problems_are_all_reported_one_per_line() {
    let fx = Fixture::new();
    let text = TINY
        .replacen("name = \"tiny\"", "name = \"Tiny Name\"", 1)
        .replacen("axial_sites = 4", "axial_sites = 0", 1)
        .replacen("dt_min = 0.5", "dt_min = 100", 1)
        .replacen("phosphate_mM = 0.9", "phosphate_mM = -1.0", 1);
    let scenario = fx.scenario("tiny.toml", &text);
    let keys = [
        "meta.name",
        "geometry.axial_sites",
        "time.dt_min",
        "environment.phosphate_mM",
    ];
    let stderr = assert_run_fails(&run(&scenario, &fx.out(), &[]), &[1], &keys);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), keys.len(), "one line per problem: {stderr}");
    for (line, key) in lines.iter().zip(keys) {
        let line = line.strip_prefix("error: ").unwrap_or(line);
        assert!(
            line.starts_with(arg(&scenario)),
            "line does not start with the file: {line}"
        );
        assert!(line.contains(key), "{key} is not on line {line:?}");
    }
    assert_no_result(&fx.out());
}

#[test]
fn an_unknown_knockout_is_rejected_suggesting_atf4() {
    let fx = Fixture::new();
    let text = format!("{TINY}\n[genetics]\nknockouts = [\"aft4\"]\n");
    let scenario = fx.scenario("tiny.toml", &text);
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["genetics.knockouts", "aft4", "did you mean `atf4`"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn an_unknown_parameter_module_is_rejected_suggesting_autophagy() {
    let fx = Fixture::new();
    let text = format!("{TINY}\n[parameters.autofagy]\nfoo = 1.0\n");
    let scenario = fx.scenario("tiny.toml", &text);
    assert_run_fails(
        &run(&scenario, &fx.out(), &[]),
        &[1],
        &["autofagy", "did you mean `autophagy`"],
    );
    assert_no_result(&fx.out());
}

/// A file with many mistakes still gives one screen: the first problems and a count.
#[test]
fn many_problems_still_fit_on_one_screen() {
    let fx = Fixture::new();
    let unknown: String = (0..50).map(|i| format!("nope_{i} = 1.0\n")).collect();
    let text = format!("{TINY}\n[parameters.upr_core]\n{unknown}");
    let scenario = fx.scenario("tiny.toml", &text);
    assert_run_fails(&run(&scenario, &fx.out(), &[]), &[1], &["nope_0"]);
    assert_no_result(&fx.out());
}

// ---- the scenario file cannot be read: exit 2 ------------------------------------------

#[test]
fn a_missing_scenario_file_fails_with_exit_2_naming_the_path() {
    let fx = Fixture::new();
    let missing = fx.path().join("missing.toml");
    assert_run_fails(
        &run(&missing, &fx.out(), &[]),
        &[2],
        &[arg(&missing), "cannot read"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_directory_given_as_the_scenario_fails_with_exit_2_naming_it() {
    let fx = Fixture::new();
    let folder = fx.path().join("folder.toml");
    fs::create_dir(&folder).expect("cannot create a folder");
    assert_run_fails(
        &run(&folder, &fx.out(), &[]),
        &[2],
        &[arg(&folder), "cannot read"],
    );
    assert_no_result(&fx.out());
}

// ---- invalid flags: exit 1 -------------------------------------------------------------

#[test]
fn a_non_numeric_seed_is_rejected() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    assert_run_fails(
        &run(&scenario, &fx.out(), &["--seed", "abc"]),
        &[1],
        &["--seed", "abc"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_negative_seed_is_rejected() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    assert_run_fails(&run(&scenario, &fx.out(), &["--seed", "-3"]), &[1], &["-3"]);
    assert_no_result(&fx.out());
}

#[test]
fn a_negative_seed_joined_to_its_flag_is_rejected_naming_the_flag() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    assert_run_fails(
        &run(&scenario, &fx.out(), &["--seed=-3"]),
        &[1],
        &["--seed", "-3"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn a_seed_beyond_64_bits_is_rejected() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    assert_run_fails(
        &run(&scenario, &fx.out(), &["--seed", "18446744073709551616"]),
        &[1],
        &["--seed", "18446744073709551616"],
    );
    assert_no_result(&fx.out());
}

#[test]
fn zero_threads_are_rejected() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    assert_run_fails(
        &run(&scenario, &fx.out(), &["--threads", "0"]),
        &[1],
        &["--threads", "0"],
    );
    assert_no_result(&fx.out());
}

// ---- output safety -----------------------------------------------------------------------

#[test]
fn an_unwritable_out_fails_with_exit_2() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = Path::new("/proc/vcsim-out/run");
    assert_run_fails(&run(&scenario, out, &[]), &[2], &["--out", arg(out)]);
    assert!(fs::symlink_metadata(out).is_err());
}

#[test]
fn out_below_a_regular_file_fails_and_keeps_the_file() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let blocker = fx.path().join("results").join("blocker");
    fs::write(&blocker, "keep me").expect("cannot write the blocking file");
    let out = blocker.join("run");
    assert_run_fails(&run(&scenario, &out, &[]), &[1, 2], &["--out", arg(&out)]);
    assert_eq!(
        fs::read_to_string(&blocker).expect("the blocking file is gone"),
        "keep me"
    );
    assert_eq!(entries(&fx.path().join("results")), ["blocker"]);
}

#[test]
fn an_existing_out_folder_is_kept_without_force() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    fs::create_dir(&out).expect("cannot create the old result");
    fs::write(out.join("marker.txt"), "old result").expect("cannot write the marker");
    assert_run_fails(&run(&scenario, &out, &[]), &[1], &["--out", "--force"]);
    assert_eq!(entries(&out), ["marker.txt"]);
    assert_eq!(
        fs::read_to_string(out.join("marker.txt")).expect("the marker is gone"),
        "old result"
    );
    assert_no_partial(&out);
}

#[test]
fn a_folder_that_is_not_a_run_folder_is_kept_even_with_force() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    fs::create_dir_all(&out).expect("cannot create the folder");
    fs::write(out.join("thesis.tex"), "precious").expect("cannot write");
    assert_run_fails(
        &run(&scenario, &out, &["--force"]),
        &[1],
        &["manifest.json"],
    );
    assert_eq!(
        fs::read_to_string(out.join("thesis.tex")).expect("kept"),
        "precious"
    );
}

#[test]
fn an_existing_out_folder_is_replaced_with_force() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    assert_run_succeeds(&run(&scenario, &out, &[]));
    // Exactly an earlier result (a user's file in it is refused: faults.rs).
    assert_run_succeeds(&run(&scenario, &out, &["--force"]));
    assert_complete_run_folder(&out);
    assert_no_partial(&out);
    assert_eq!(entries(&fx.path().join("results")), ["run"]);
}

#[test]
fn an_existing_regular_file_at_out_is_kept_even_with_force() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    fs::write(&out, "not a run folder").expect("cannot write the file");
    assert_run_fails(&run(&scenario, &out, &["--force"]), &[1], &["--out"]);
    assert_eq!(
        fs::read_to_string(&out).expect("the file is gone"),
        "not a run folder"
    );
    assert_no_partial(&out);
}

#[test]
fn a_dangling_symlink_at_out_is_kept() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    let target = fx.path().join("nowhere");
    symlink(&target, &out).expect("cannot create the symlink");
    assert_run_fails(&run(&scenario, &out, &[]), &[1, 2], &["--out"]);
    let link = fs::read_link(&out).expect("the symlink is gone");
    assert_eq!(link, target);
    assert!(fs::symlink_metadata(&target).is_err(), "target created");
    assert_no_partial(&out);
}

// ---- a successful run --------------------------------------------------------------------

#[test]
fn a_successful_run_writes_the_five_files_and_a_manifest() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    assert_run_succeeds(&run(&scenario, &out, &["--threads", "2"]));
    assert_complete_run_folder(&out);
    assert_no_partial(&out);
    assert_eq!(entries(&fx.path().join("results")), ["run"]);

    let manifest = manifest(&out);
    assert_eq!(manifest["seed"], 1, "{manifest}");
    assert_eq!(manifest["threads"], 2, "{manifest}");
    assert_eq!(manifest["scenario_name"], "tiny", "{manifest}");
    // build.rs records the commit when the binary is built from a git checkout (as in CI).
    if Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists() {
        let commit = manifest["git_commit"]
            .as_str()
            .expect("git_commit is not a string");
        let hash = commit.strip_suffix("-dirty").unwrap_or(commit);
        assert!(
            hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "git_commit is not a 40-hex commit (optionally -dirty): {commit}"
        );
    }

    let series = fs::read_to_string(out.join("timeseries.csv")).expect("no timeseries.csv");
    let header = series.lines().next().expect("timeseries.csv is empty");
    assert!(header.starts_with("time_h,time_days,"), "header: {header}");
    assert!(series.lines().count() >= 2, "no data rows: {series}");
}

#[test]
fn the_seed_flag_is_recorded_in_the_manifest() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    assert_run_succeeds(&run(&scenario, &out, &["--seed", "5"]));
    assert_eq!(manifest(&out)["seed"], 5);
}

// Every shipped scenario loading through `Scenario::load` is already tested in
// src/scenario/mod.rs (`every_file_in_scenarios_loads`), so it is not repeated here.

// ---- figures -------------------------------------------------------------------------------

#[test]
fn no_plots_writes_only_the_six_result_files() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    assert_run_succeeds(&run(&scenario, &out, &["--no-plots"]));
    let mut expected: Vec<String> = RUN_FILES.iter().map(ToString::to_string).collect();
    expected.sort();
    assert_eq!(entries(&out), expected);
}

fn vcsim_plot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .arg("plot")
        .args(args)
        .output()
        .expect("cannot run vcsim plot")
}

#[test]
fn plot_rerenders_a_run_folder_and_names_missing_files() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let out = fx.out();
    assert_run_succeeds(&run(&scenario, &out, &["--no-plots"]));
    let dir = out.to_str().expect("utf-8 path");
    let ok = vcsim_plot(&[
        dir,
        "--style",
        "paper",
        "--format",
        "png",
        "--only",
        "timecourses",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.join("timecourses-paper.png").is_file());
    let unknown = vcsim_plot(&[dir, "--only", "pie-chart"]);
    assert_eq!(unknown.status.code(), Some(1));
    fs::remove_file(out.join("wall.csv")).expect("remove wall.csv");
    let missing = vcsim_plot(&[dir, "--only", "mineral-wall"]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("wall.csv") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

// ---- --parameters: values laid over the scenario ---------------------------------------

/// The value of `module.field` in a run folder's `parameters.csv`.
fn parameter_in(out: &Path, module: &str, field: &str) -> String {
    let text = fs::read_to_string(out.join("parameters.csv")).expect("parameters.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("parameters.csv has no column {name}: {header:?}"))
    };
    let (m, f, v) = (col("module"), col("field"), col("value"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|cells| cells[m] == module && cells[f] == field)
        .map(|cells| cells[v].to_string())
        .unwrap_or_else(|| panic!("parameters.csv has no {module}.{field}"))
}

#[test]
fn a_parameter_file_replaces_defaults_but_not_the_scenario_s_own_values() {
    let fx = Fixture::new();
    let values = fx.scenario(
        "values.toml",
        "[about]\nwritten_by = \"a test\"\n\n[parameters.mineral]\nppi_growth_half = 0.5\n\n\
         [parameters.upr_core]\nbip_perk_dissociation = 0.02\n",
    );
    let own = format!("{TINY}\n[parameters.upr_core]\nbip_perk_dissociation = 0.015\n");
    let scenario = fx.scenario("tiny.toml", &own);
    let output = run(&scenario, &fx.out(), &["--parameters", arg(&values)]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(parameter_in(&fx.out(), "mineral", "ppi_growth_half"), "0.5");
    assert_eq!(
        parameter_in(&fx.out(), "upr_core", "bip_perk_dissociation"),
        "0.015"
    );
}

#[test]
fn a_bad_parameter_file_is_refused_naming_its_line_and_key() {
    let fx = Fixture::new();
    let scenario = fx.scenario("tiny.toml", TINY);
    let values = fx.scenario(
        "values.toml",
        "[parameters.mineral]\nppi_grwth_half = 0.5\n",
    );
    let stderr = assert_run_fails(
        &run(&scenario, &fx.out(), &["--parameters", arg(&values)]),
        &[1],
        &["values.toml:2:", "parameters.mineral.ppi_grwth_half"],
    );
    assert!(stderr.contains("did you mean"), "{stderr}");
    assert_no_result(&fx.out());
    let missing = fx.path().join("missing.toml");
    assert_run_fails(
        &run(&scenario, &fx.out(), &["--parameters", arg(&missing)]),
        &[2],
        &["missing.toml"],
    );
    assert_no_result(&fx.out());
}
