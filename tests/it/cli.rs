//! Integration tests of the `vcsim` binary's command line: exit codes, one-line errors and safe file output.

use crate::common::{assert_fails_with, stderr_of, vcsim};
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The start of the `vcsim cell` CSV header: time and the 11 core states, then the core sensors.
const HEADER_START: &str = "time_min,unfolded_protein,atf6_cleaved,bip_mrna,bip_protein,atf4,\
chop_mrna,chop_protein,gadd34_mrna,gadd34_protein,p_eif2a,xbp1s,free_bip,p_perk,p_ire1,";

fn stdout_of(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is not UTF-8")
}

/// Asserts a failure with `code`: no panic, nothing on stdout, and exactly one stderr line
/// starting with `error:` that contains every one of `needles`. Returns that line.
#[track_caller]
fn assert_fails(output: &Output, code: i32, needles: &[&str]) -> String {
    assert_fails_with(output, &[code], 1, needles)
}

/// Asserts exit 0 with no panic and nothing on stderr; returns stdout.
#[track_caller]
fn assert_succeeds(output: &Output) -> String {
    let stderr = stderr_of(output);
    assert!(!stderr.contains("panicked"), "panic on stderr: {stderr}");
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "unexpected stderr: {stderr:?}");
    stdout_of(output)
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("cannot list the directory")
        .map(|e| {
            e.expect("cannot read a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Checks a `vcsim cell` CSV: the header, the same number of fields in every row, finite
/// numbers in all but the last column. Returns the first field (time) of each data row.
#[track_caller]
fn check_cell_csv(csv: &str) -> Vec<String> {
    let mut lines = csv.lines();
    let header = lines.next().expect("no header line");
    assert!(header.starts_with(HEADER_START), "bad header: {header}");
    let columns = header.split(',').count();
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(
                fields.len(),
                columns,
                "row width differs from header: {line}"
            );
            for field in &fields[..columns - 1] {
                let value: f64 = field
                    .parse()
                    .unwrap_or_else(|e| panic!("{field:?} in row {line} is not a number: {e}"));
                assert!(value.is_finite(), "non-finite value {field} in row {line}");
            }
            fields[0].to_string()
        })
        .collect()
}

// ---- cell: invalid numbers ------------------------------------------------------------

#[test]
fn negative_hours_are_rejected_naming_the_flag_and_value() {
    assert_fails(&vcsim(&["cell", "--hours", "-5"]), 1, &["--hours", "-5"]);
}

#[test]
fn zero_hours_are_rejected() {
    assert_fails(&vcsim(&["cell", "--hours", "0"]), 1, &["--hours", "0"]);
}

#[test]
fn infinite_hours_are_rejected() {
    assert_fails(&vcsim(&["cell", "--hours", "inf"]), 1, &["--hours", "inf"]);
}

#[test]
fn hours_beyond_one_year_are_rejected() {
    assert_fails(
        &vcsim(&["cell", "--hours", "8761"]),
        1,
        &["--hours", "8761"],
    );
}

#[test]
fn an_unknown_knockout_is_rejected_listing_the_possible_genes() {
    assert_fails(
        &vcsim(&["cell", "--knockout", "foo"]),
        1,
        &[
            "--knockout",
            "foo",
            "perk",
            "ire1",
            "atf6",
            "atf4",
            "gadd34",
        ],
    );
}

#[test]
fn a_non_numeric_stress_is_rejected_naming_the_value() {
    assert_fails(
        &vcsim(&["cell", "--stress", "abc"]),
        1,
        &["--stress", "abc"],
    );
}

#[test]
fn a_negative_stress_is_rejected() {
    assert_fails(&vcsim(&["cell", "--stress", "-1"]), 1, &["--stress", "-1"]);
}

#[test]
fn zero_minutes_between_rows_are_rejected() {
    assert_fails(
        &vcsim(&["cell", "--every-min", "0"]),
        1,
        &["--every-min", "0"],
    );
}

#[test]
fn a_zero_step_is_rejected() {
    assert_fails(&vcsim(&["cell", "--dt-min", "0"]), 1, &["--dt-min", "0"]);
}

#[test]
fn a_nan_step_is_rejected() {
    assert_fails(
        &vcsim(&["cell", "--dt-min", "nan"]),
        1,
        &["--dt-min", "NaN"],
    );
}

#[test]
fn a_negative_phosphate_concentration_is_rejected() {
    assert_fails(&vcsim(&["cell", "--pi-mm", "-2"]), 1, &["--pi-mm", "-2"]);
}

#[test]
fn several_invalid_flags_are_all_reported_on_one_line() {
    assert_fails(
        &vcsim(&["cell", "--hours", "-5", "--ca-mm", "nan"]),
        1,
        &["--hours", "-5", "--ca-mm", "NaN"],
    );
}

#[test]
fn a_run_with_too_many_rows_is_rejected() {
    assert_fails(
        &vcsim(&["cell", "--hours", "8760", "--every-min", "0.01"]),
        1,
        &["--hours", "--every-min", "rows"],
    );
}

// ---- unknown flags and subcommands ---------------------------------------------------

#[test]
fn an_unknown_flag_is_rejected() {
    assert_fails(&vcsim(&["cell", "--bogus"]), 1, &["--bogus"]);
}

#[test]
fn an_unknown_subcommand_is_rejected() {
    assert_fails(&vcsim(&["frobnicate"]), 1, &["frobnicate"]);
}

#[test]
fn a_flag_without_its_value_is_rejected() {
    assert_fails(&vcsim(&["cell", "--out"]), 1, &["--out"]);
}

// ---- cell: --out ---------------------------------------------------------------------

#[test]
fn out_into_a_missing_directory_fails_with_exit_2_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing").join("sub").join("out.csv");
    let target = target.to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target]),
        2,
        &["--out", target],
    );
    assert!(
        entries(dir.path()).is_empty(),
        "something was created: {:?}",
        entries(dir.path())
    );
}

#[test]
fn out_below_a_regular_file_fails_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plain"), "keep me").unwrap();
    let target = dir.path().join("plain").join("out.csv");
    let target = target.to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target]),
        2,
        &["--out", target],
    );
    assert_eq!(entries(dir.path()), ["plain"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("plain")).unwrap(),
        "keep me"
    );
}

#[test]
fn out_with_a_trailing_slash_fails_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("{}/out.csv/", dir.path().to_str().unwrap());
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", &target]),
        2,
        &["--out", &target],
    );
    assert!(
        entries(dir.path()).is_empty(),
        "something was left behind: {:?}",
        entries(dir.path())
    );
}

#[test]
fn out_pointing_at_an_existing_directory_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target]),
        1,
        &["--out", target, "directory"],
    );
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn out_pointing_at_an_existing_directory_is_rejected_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target, "--force"]),
        1,
        &["--out", target, "directory"],
    );
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn out_that_is_not_a_file_path_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("{}/missing/..", dir.path().to_str().unwrap());
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", &target]),
        1,
        &["--out", &target],
    );
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn an_existing_file_is_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    fs::write(&path, "keep me").unwrap();
    let target = path.to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target]),
        1,
        &["--out", target, "--force"],
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "keep me");
    assert_eq!(entries(dir.path()), ["out.csv"]);
}

#[test]
fn an_existing_file_is_replaced_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    fs::write(&path, "keep me").unwrap();
    let target = path.to_str().unwrap();
    let stdout = assert_succeeds(&vcsim(&[
        "cell",
        "--hours",
        "1",
        "--every-min",
        "60",
        "--out",
        target,
        "--force",
    ]));
    assert!(stdout.is_empty(), "--out also wrote to stdout: {stdout}");
    let written = fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with("time_min,"),
        "not replaced: {written:?}"
    );
    assert_eq!(check_cell_csv(&written), ["0", "60"]);
    assert_eq!(entries(dir.path()), ["out.csv"]);
}

#[test]
fn out_writes_the_header_and_one_row_per_interval_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let stdout = assert_succeeds(&vcsim(&[
        "cell",
        "--hours",
        "2",
        "--every-min",
        "30",
        "--out",
        path.to_str().unwrap(),
    ]));
    assert!(stdout.is_empty(), "--out also wrote to stdout: {stdout}");
    let written = fs::read_to_string(&path).unwrap();
    assert!(written.ends_with('\n'), "last line is unterminated");
    assert_eq!(check_cell_csv(&written), ["0", "30", "60", "90", "120"]);
    let names = entries(dir.path());
    assert_eq!(names, ["out.csv"]);
    assert!(!names.iter().any(|n| n.starts_with('.')));
}

#[test]
fn out_writes_the_same_csv_as_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let args = ["cell", "--hours", "3", "--every-min", "45", "--stress", "2"];
    let stdout = assert_succeeds(&vcsim(&args));
    let mut with_out = args.to_vec();
    with_out.extend(["--out", path.to_str().unwrap()]);
    assert_succeeds(&vcsim(&with_out));
    assert_eq!(fs::read_to_string(&path).unwrap(), stdout);
}

#[test]
fn out_at_an_unwritable_path_fails_with_exit_2() {
    // CI runs as root, so a read-only directory would not stop us; /proc refuses new files.
    let target = "/proc/vcsim-test.csv";
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", target]),
        2,
        &["--out", target],
    );
    assert!(!Path::new(target).exists());
}

// ---- cell: standard output -----------------------------------------------------------

#[test]
fn cell_prints_the_header_and_rows_to_stdout_by_default() {
    let stdout = assert_succeeds(&vcsim(&["cell", "--hours", "1", "--every-min", "60"]));
    assert_eq!(stdout.lines().count(), 3, "stdout: {stdout}");
    assert_eq!(check_cell_csv(&stdout), ["0", "60"]);
}

#[test]
fn knockouts_and_the_vsmc_model_are_accepted() {
    let stdout = assert_succeeds(&vcsim(&[
        "cell",
        "--hours",
        "1",
        "--every-min",
        "30",
        "--knockout",
        "perk",
        "--knockout",
        "atf6",
        "--model",
        "vsmc",
        "--stress",
        "8",
        "--pi-mm",
        "2.6",
        "--ca-mm",
        "2.7",
        "--glucose-mm",
        "25",
    ]));
    assert_eq!(check_cell_csv(&stdout), ["0", "30", "60"]);
}

#[test]
fn a_full_stdout_fails_with_exit_2() {
    let Ok(full) = fs::File::options().write(true).open("/dev/full") else {
        return; // Not Linux: nothing to test.
    };
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["cell", "--hours", "1"])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_fails(&output, 2, &["standard output"]);
}

// ---- params --------------------------------------------------------------------------

#[test]
fn params_prints_the_table_with_sources() {
    let stdout = assert_succeeds(&vcsim(&["params"]));
    assert!(stdout.contains("kdB"), "no kdB in: {stdout}");
    assert!(
        stdout.contains("Diedrichs2018"),
        "no Diedrichs2018 in: {stdout}"
    );
}

#[test]
fn params_markdown_rows_all_have_the_header_width() {
    let stdout = assert_succeeds(&vcsim(&["params"]));
    let widths: Vec<usize> = stdout.lines().map(|l| l.split('|').count()).collect();
    assert!(widths.len() > 2);
    assert!(
        widths.iter().all(|&w| w == widths[0]),
        "a row has a different number of cells (a `|` inside a cell?)"
    );
}

#[test]
fn params_for_one_module_lists_only_that_module() {
    let stdout = assert_succeeds(&vcsim(&["params", "--module", "upr_core"]));
    let rows: Vec<&str> = stdout.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no rows: {stdout}");
    for row in rows {
        assert!(row.starts_with("| upr_core |"), "foreign row: {row}");
    }
}

#[test]
fn params_csv_for_one_module_lists_only_that_module() {
    let stdout = assert_succeeds(&vcsim(&[
        "params", "--module", "upr_core", "--format", "csv",
    ]));
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let mut count = 0;
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(&record[0], "upr_core", "foreign row: {record:?}");
        count += 1;
    }
    assert!(count > 0, "no rows: {stdout}");
}

#[test]
fn a_misspelt_module_is_rejected_with_a_suggestion() {
    assert_fails(
        &vcsim(&["params", "--module", "autofagy"]),
        1,
        &["autofagy", "autophagy"],
    );
}

#[test]
fn params_csv_starts_with_its_header_and_has_nine_fields_per_row() {
    let stdout = assert_succeeds(&vcsim(&["params", "--format", "csv"]));
    assert!(
        stdout.starts_with("module,symbol,field,value,"),
        "bad header: {stdout}"
    );
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 9);
    for record in reader.records() {
        assert_eq!(record.unwrap().len(), 9);
    }
}

#[test]
fn an_unknown_format_is_rejected() {
    assert_fails(
        &vcsim(&["params", "--format", "xml"]),
        1,
        &["--format", "xml", "csv"],
    );
}

#[test]
fn a_full_stdout_fails_params_with_exit_2() {
    let Ok(full) = fs::File::options().write(true).open("/dev/full") else {
        return; // Not Linux: nothing to test.
    };
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .arg("params")
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_fails(&output, 2, &["standard output"]);
}

// ---- help and version ----------------------------------------------------------------

#[test]
fn help_exits_0_and_lists_the_subcommands() {
    let stdout = assert_succeeds(&vcsim(&["--help"]));
    assert!(
        stdout.contains("cell") && stdout.contains("params"),
        "{stdout}"
    );
}

#[test]
fn cell_help_exits_0_and_documents_out() {
    let stdout = assert_succeeds(&vcsim(&["cell", "--help"]));
    assert!(
        stdout.contains("--out") && stdout.contains("--force"),
        "{stdout}"
    );
}

#[test]
fn version_exits_0_and_prints_the_crate_version() {
    let stdout = assert_succeeds(&vcsim(&["--version"]));
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}

#[test]
fn no_command_is_an_error_naming_the_commands() {
    assert_fails(&vcsim(&[]), 1, &["cell", "params"]);
}

#[test]
fn a_dangling_symlink_at_out_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
    let out = link.to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "1", "--out", out]),
        1,
        &["exists", "--force"],
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_existing_out_is_kept_for_a_long_run_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exists.csv");
    fs::write(&path, "keep me").unwrap();
    let out = path.to_str().unwrap();
    assert_fails(
        &vcsim(&["cell", "--hours", "8760", "--out", out]),
        1,
        &["exists"],
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn tiny_values_in_messages_are_written_in_scientific_notation() {
    let output = vcsim(&["cell", "--hours", "0.001", "--every-min", "1e-300"]);
    let stderr = assert_fails(&output, 1, &["1e-300"]);
    assert!(stderr.len() < 200, "{stderr}");
}

/// `vcsim params --format csv | head -1`: a reader that closes the pipe early is not an
/// error (the CSV writer wraps the closed pipe in an error of its own; it exited 2 with
/// "Broken pipe").
#[test]
fn a_closed_pipe_ends_a_listing_quietly() {
    use std::io::{BufRead, BufReader};
    for args in [
        &["params", "--format", "csv"][..],
        &["params"][..],
        &["cell", "--hours", "500"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vcsim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vcsim runs");
        let mut first = String::new();
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        reader.read_line(&mut first).expect("a first line");
        drop(reader);
        let output = child.wait_with_output().expect("vcsim ends");
        assert!(!first.is_empty());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.stderr.is_empty(), "{args:?}");
    }
}

/// `vcsim catalog TEXT --format csv|json`: a filter by what an entry mentions, and
/// machine-readable listings of the same rows as the Markdown table (issue 13).
#[test]
fn the_catalog_filters_and_speaks_csv_and_json() {
    let csv_out = vcsim(&["catalog", "autophagy", "--format", "csv"]);
    assert!(csv_out.status.success(), "{}", stderr_of(&csv_out));
    let text = String::from_utf8(csv_out.stdout).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("a CSV row")[0].to_string())
        .collect();
    assert!(ids.contains(&"3-ma".to_string()) && ids.contains(&"rapamycin".to_string()));
    assert!(!ids.contains(&"high-glucose".to_string()), "{ids:?}");
    let json_out = vcsim(&["catalog", "TUDCA", "--format", "json"]);
    assert!(json_out.status.success(), "{}", stderr_of(&json_out));
    let rows: serde_json::Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let rows = rows.as_array().expect("an array");
    assert!(
        rows.iter()
            .any(|r| r["id"] == "tudca" && r["dose_unit"] == "mM")
    );
    let all = vcsim(&["catalog"]);
    let table = String::from_utf8(all.stdout).expect("UTF-8");
    assert_eq!(
        table,
        vcsim::treatment::catalog::catalog_markdown(),
        "the default listing is the docs/catalog.md table"
    );
}

/// `vcsim plot --only NAME` draws and reports only that figure, and `--help` names every
/// figure `--only` takes (issue 13).
#[test]
fn plot_only_draws_and_names_just_the_figures_asked_for() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let scenario = dir.path().join("s.toml");
    fs::write(
        &scenario,
        "[meta]\nname = \"s\"\ndescription = \"d\"\n[geometry]\nmode = \"in_vitro\"\n\
         axial_sites = 3\ncircumferential_sites = 3\n[time]\nduration_days = 1.0\n",
    )
    .expect("written");
    let out = dir.path().join("s");
    let (scenario, out_arg) = (
        scenario.to_str().expect("utf-8"),
        out.to_str().expect("utf-8"),
    );
    let run = vcsim(&["run", scenario, "--quiet", "--no-plots", "--out", out_arg]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let plot = vcsim(&["plot", out_arg, "--only", "timecourses", "--format", "png"]);
    assert!(plot.status.success(), "{}", stderr_of(&plot));
    assert!(
        stderr_of(&plot).contains("(figures: timecourses)"),
        "{}",
        stderr_of(&plot)
    );
    let pngs: Vec<String> = fs::read_dir(&out)
        .expect("run folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    assert_eq!(pngs, ["timecourses.png"]);
    let help = String::from_utf8(vcsim(&["plot", "--help"]).stdout).expect("UTF-8");
    for name in vcsim::render::FIGURES
        .iter()
        .chain(&vcsim::render::EXPERIMENT_FIGURES)
        .chain(&vcsim::render::VALIDATION_FIGURES)
    {
        assert!(help.contains(&format!("`{name}`")), "--help lacks {name}");
    }
}

/// The `<parameter id="ID" ...>...</parameter>` element of an SBML text.
fn parameter_element<'a>(sbml: &'a str, id: &str) -> &'a str {
    sbml.split(&format!("<parameter id=\"{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</parameter>").next())
        .unwrap_or_else(|| panic!("no parameter {id} in the export"))
}

/// `vcsim cell` and `vcsim export-sbml` integrate the shipped values (the parameters of
/// every population run: the built-in values with `data/calibration/shipped.toml` laid
/// over them), `--parameters FILE` lays a file over them, and a bad file is refused before
/// anything is written.
#[test]
fn the_single_cell_uses_the_shipped_values_and_a_parameters_file() {
    let shipped = vcsim::model::parameter_set::ModelParams::default()
        .cell
        .osteogenic
        .runx2_drive_saturation;
    let built_in = vcsim::model::parameter_set::ModelParams::built_in()
        .cell
        .osteogenic
        .runx2_drive_saturation;
    assert!(
        (shipped - built_in).abs() > 0.0,
        "no shipped cell value to tell apart"
    );
    let sbml = assert_succeeds(&vcsim(&["export-sbml"]));
    let theta = parameter_element(&sbml, "runx2_drive_saturation");
    assert!(
        theta.contains(&format!("value=\"{shipped}\"")),
        "export-sbml does not carry the shipped θR {shipped}: {theta}"
    );
    // Its note names the calibration, not the built-in value's reason.
    assert!(
        theta.contains("Source: calibrated: vcsim calibrate"),
        "{theta}"
    );

    let tmp = tempfile::tempdir().expect("temporary directory");
    let file = tmp.path().join("hill.toml");
    fs::write(&file, "[parameters.apoptosis]\ndrive_hill = 2.0\n").expect("parameter file");
    let file = file.to_str().expect("UTF-8 path");
    let survival = |csv: &str| -> f64 {
        let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
        let column = header
            .iter()
            .position(|c| *c == "survival")
            .expect("survival");
        csv.lines()
            .last()
            .expect("a row")
            .split(',')
            .nth(column)
            .expect("value")
            .parse()
            .expect("a number")
    };
    let args = [
        "cell",
        "--stress",
        "2",
        "--hours",
        "72",
        "--every-min",
        "360",
    ];
    let shipped_cell = survival(&assert_succeeds(&vcsim(&args)));
    let with_file: Vec<&str> = args.iter().copied().chain(["--parameters", file]).collect();
    let graded = survival(&assert_succeeds(&vcsim(&with_file)));
    // A shallower hazard kills more of the cells below its half-drive.
    assert!(
        graded < shipped_cell - 0.05,
        "{graded} against {shipped_cell}"
    );
    let sbml = assert_succeeds(&vcsim(&["export-sbml", "--parameters", file]));
    let hill = parameter_element(&sbml, "drive_hill");
    assert!(hill.contains("value=\"2\""), "{hill}");
    assert!(
        hill.contains("Source: set by a knockout or by a parameter file"),
        "{hill}"
    );
    assert!(sbml.contains(&format!("with the parameter file {file} laid over them")));

    let bad = tmp.path().join("bad.toml");
    fs::write(&bad, "[parameters.apoptosis]\ndrive_hil = 2.0\n").expect("bad file");
    let out = tmp.path().join("cell.csv");
    assert_fails(
        &vcsim(&[
            "cell",
            "--parameters",
            bad.to_str().expect("UTF-8 path"),
            "--out",
            out.to_str().expect("UTF-8 path"),
        ]),
        1,
        &["bad.toml:2", "drive_hil", "did you mean `drive_hill`"],
    );
    assert!(!out.exists(), "a refused run wrote its output");
    let xml = tmp.path().join("cell.xml");
    assert_fails(
        &vcsim(&[
            "export-sbml",
            "--parameters",
            bad.to_str().expect("UTF-8 path"),
            "--out",
            xml.to_str().expect("UTF-8 path"),
        ]),
        1,
        &["bad.toml:2", "drive_hil"],
    );
    assert!(!xml.exists(), "a refused export wrote its output");
    assert_fails(
        &vcsim(&["cell", "--parameters", "no-such-file.toml"]),
        2,
        &["--parameters", "no-such-file.toml"],
    );
}
