//! The bad-input corpus (`tests/data/bad/`): every case runs through the `vcsim`
//! binary in a temporary folder of its own and must fail cleanly: the expected exit code, no
//! panic or signal, one `error: ` message on standard error that names the offending file,
//! key or flag and holds the expected fragments, nothing on standard output, and no result
//! or `.partial` litter left behind. `tests/data/bad/README.md` describes the case format.
//!
//! `BAD_INPUTS_ONLY=substring` runs only the cases whose folder name contains it.

use serde::Deserialize;
use std::fs;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The corpus folder.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad");

/// The fewest cases the corpus may hold.
const MIN_CASES: usize = 100;

/// The most standard-error lines a failure may take ("one screen").
const MAX_ERROR_LINES: usize = 20;

/// The most bytes of standard error kept (a runaway message is a failure, not a hang).
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// The commands whose cases are counted (and the only ones a case may run).
const COMMANDS: [&str; 10] = [
    "run",
    "resume",
    "compare",
    "validate",
    "plot",
    "cell",
    "export-sbml",
    "params",
    "catalog",
    "other",
];

/// One `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What is wrong with the input, in a sentence.
    description: String,
    /// The command line after `vcsim`; `{dir}`, `{tmp}` and `{fixtures}` are substituted.
    args: Vec<String>,
    /// The expected exit code: 1 for invalid input or flags, 2 for a runtime or I/O error.
    exit: i32,
    /// What the message must name: the file (with line where there is one), key or flag.
    names: Vec<String>,
    /// Further fragments the message must hold (what is wrong, what is allowed).
    #[serde(default)]
    stderr_contains: Vec<String>,
    /// Preparation of `{tmp}` before the run.
    #[serde(default)]
    setup: Setup,
    /// Paths that must not exist after the run (no result folder or file).
    #[serde(default)]
    absent: Vec<String>,
    /// Paths that must still exist after the run (the user's files are kept).
    #[serde(default)]
    kept: Vec<String>,
    /// Seconds before the case counts as hung (default 10).
    #[serde(default)]
    timeout_s: Option<u64>,
}

/// Steps applied in this order: `mkdir`, `copy`, `write`, `remove`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    /// Folders to create (with their parents).
    #[serde(default)]
    mkdir: Vec<String>,
    /// `[from, to]` pairs: a file or a whole folder, copied.
    #[serde(default)]
    copy: Vec<[String; 2]>,
    /// `[path, text]` pairs: files to write.
    #[serde(default)]
    write: Vec<[String; 2]>,
    /// Files or folders to remove.
    #[serde(default)]
    remove: Vec<String>,
}

/// The places a case's strings may refer to.
struct Places<'a> {
    dir: &'a Path,
    tmp: &'a Path,
    fixtures: &'a Path,
}

impl Places<'_> {
    fn expand(&self, text: &str) -> String {
        text.replace("{dir}", &self.dir.to_string_lossy())
            .replace("{tmp}", &self.tmp.to_string_lossy())
            .replace("{fixtures}", &self.fixtures.to_string_lossy())
    }

    fn path(&self, text: &str) -> PathBuf {
        PathBuf::from(self.expand(text))
    }
}

/// What the binary did.
struct Outcome {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Copies a file or a folder tree.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, to).map(|_| ())
    }
}

/// Every path below `root` (files and folders), relative to it, sorted.
fn tree(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.push(
                path.strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned(),
            );
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Reads at most `MAX_STDERR_BYTES` of a captured stream.
fn read_capped(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(file) = fs::File::open(path) {
        let _ = file.take(MAX_STDERR_BYTES).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs `vcsim args` in `cwd` with nothing on standard input, killing it after `timeout`.
fn run_vcsim(args: &[String], cwd: &Path, logs: &Path, timeout: Duration) -> Outcome {
    let out_path = logs.join("stdout");
    let err_path = logs.join("stderr");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).expect("cannot create the stdout log"))
        .stderr(fs::File::create(&err_path).expect("cannot create the stderr log"))
        .spawn()
        .expect("cannot run the vcsim binary");
    let status = loop {
        if let Some(status) = child.try_wait().expect("cannot wait for vcsim") {
            break Some(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome {
        status,
        stdout: read_capped(&out_path),
        stderr: read_capped(&err_path),
        elapsed: start.elapsed(),
    }
}

/// Runs one case; returns its command and the problems found (empty when it passes).
fn check_case(case_dir: &Path, fixtures: &Path) -> (String, Vec<String>) {
    let mut problems = Vec::new();
    let text = fs::read_to_string(case_dir.join("case.toml")).expect("cannot read case.toml");
    let case: Case = match toml::from_str(&text) {
        Ok(case) => case,
        Err(e) => return ("(invalid)".into(), vec![format!("case.toml: {e}")]),
    };
    let command = case.args.first().cloned().unwrap_or_else(|| "other".into());
    let command = if COMMANDS.contains(&command.as_str()) {
        command
    } else {
        "other".into()
    };
    if case.description.trim().is_empty() {
        problems.push("case.toml: empty description".into());
    }
    if case.names.is_empty() {
        problems.push(
            "case.toml: `names` is empty: say which file, key or flag the message must name".into(),
        );
    }
    if case.exit == 0 || case.exit == 101 {
        problems.push(format!(
            "case.toml: exit = {} is not a failure code",
            case.exit
        ));
    }

    let tmp = tempfile::tempdir().expect("cannot create a temporary folder");
    let logs = tempfile::tempdir().expect("cannot create a temporary folder");
    let places = Places {
        dir: case_dir,
        tmp: tmp.path(),
        fixtures,
    };
    for dir in &case.setup.mkdir {
        fs::create_dir_all(places.path(dir)).expect("setup: cannot create a folder");
    }
    for [from, to] in &case.setup.copy {
        copy_tree(&places.path(from), &places.path(to))
            .unwrap_or_else(|e| panic!("setup: cannot copy {from} to {to}: {e}"));
    }
    for [path, content] in &case.setup.write {
        let path = places.path(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("setup: cannot create a folder");
        }
        fs::write(&path, content).expect("setup: cannot write a file");
    }
    for path in &case.setup.remove {
        let path = places.path(path);
        if path.is_dir() {
            fs::remove_dir_all(&path).expect("setup: cannot remove a folder");
        } else {
            fs::remove_file(&path).expect("setup: cannot remove a file");
        }
    }

    let case_files_before = tree(case_dir);
    let args: Vec<String> = case.args.iter().map(|a| places.expand(a)).collect();
    let timeout = Duration::from_secs(case.timeout_s.unwrap_or(10));
    let outcome = run_vcsim(&args, tmp.path(), logs.path(), timeout);
    let stderr = &outcome.stderr;

    match outcome.status {
        None => problems.push(format!(
            "did not finish within {} s (killed)",
            timeout.as_secs()
        )),
        Some(status) => {
            if let Some(signal) = status.signal() {
                problems.push(format!("killed by signal {signal}"));
            } else if status.code() == Some(101) {
                problems.push("exit code 101 (a Rust panic)".into());
            } else if status.code() != Some(case.exit) {
                problems.push(format!(
                    "exit code {:?}, expected {}",
                    status.code(),
                    case.exit
                ));
            }
        }
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        problems.push("a panic on standard error".into());
    }
    if !stderr.starts_with("error: ") {
        problems.push("standard error does not start with `error: `".into());
    }
    let lines = stderr.lines().count();
    if lines > MAX_ERROR_LINES {
        problems.push(format!(
            "{lines} lines on standard error (at most {MAX_ERROR_LINES})"
        ));
    }
    if !outcome.stdout.is_empty() {
        problems.push("a failure wrote to standard output".into());
    }
    for fragment in case.names.iter().chain(&case.stderr_contains) {
        let fragment = places.expand(fragment);
        if !stderr.contains(&fragment) {
            problems.push(format!("the message lacks {fragment:?}"));
        }
    }
    for path in &case.absent {
        let path = places.path(path);
        if fs::symlink_metadata(&path).is_ok() {
            problems.push(format!("{} exists after the failure", path.display()));
        }
    }
    for path in &case.kept {
        let path = places.path(path);
        if fs::symlink_metadata(&path).is_err() {
            problems.push(format!("{} was removed", path.display()));
        }
    }
    let litter: Vec<String> = tree(tmp.path())
        .into_iter()
        .filter(|p| p.contains(".partial"))
        .collect();
    if !litter.is_empty() {
        problems.push(format!("partial output left behind: {litter:?}"));
    }
    if tree(case_dir) != case_files_before {
        problems.push("the run wrote into the case folder".into());
    }
    if !problems.is_empty() {
        let shown = stderr.replace(&*tmp.path().to_string_lossy(), "{tmp}");
        problems.push(format!(
            "ran `vcsim {}` in {:.2} s; exit {:?}; stderr:\n{}",
            args.join(" "),
            outcome.elapsed.as_secs_f64(),
            outcome.status.map(|s| (s.code(), s.signal())),
            shown.trim_end()
        ));
    }
    (command, problems)
}

#[test]
fn every_bad_input_fails_cleanly_with_a_message_naming_it() {
    let corpus = Path::new(CORPUS);
    let fixtures = corpus.join("_fixtures");
    let only = std::env::var("BAD_INPUTS_ONLY").ok();
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus)
        .expect("cannot list tests/data/bad")
        .map(|e| e.expect("cannot read a corpus entry").path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    cases.sort();
    // Every folder but the fixtures must be a case (a missing case.toml is a mistake).
    for entry in fs::read_dir(corpus).expect("cannot list tests/data/bad") {
        let path = entry.expect("cannot read a corpus entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        assert!(
            !path.is_dir() || name.starts_with('_') || path.join("case.toml").is_file(),
            "{} has no case.toml",
            path.display()
        );
    }
    if only.is_none() {
        assert!(
            cases.len() >= MIN_CASES,
            "the corpus holds {} cases, fewer than {MIN_CASES}",
            cases.len()
        );
    }

    let start = Instant::now();
    let mut per_command: Vec<(String, usize)> = COMMANDS.iter().map(|c| ((*c).into(), 0)).collect();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case_dir in &cases {
        let name = case_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        ran += 1;
        let (command, problems) = check_case(case_dir, &fixtures);
        if let Some(entry) = per_command.iter_mut().find(|(c, _)| *c == command) {
            entry.1 += 1;
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    let counts: Vec<String> = per_command
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    eprintln!(
        "{ran} bad-input cases ({}) in {:.1} s",
        counts.join(", "),
        start.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} bad-input cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
