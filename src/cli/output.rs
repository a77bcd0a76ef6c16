//! Writing a result file safely: to a temporary file beside the target, renamed into
//! place only when complete, and never over an existing file unless asked to.

use super::CliError;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use vcsim::record::atomic::{self, LockError, TargetLock};
use vcsim::record::manifest::RUN_OUTPUTS;
use vcsim::render::{EXPERIMENT_FIGURES, FIGURES, VALIDATION_FIGURES};

/// Where output goes.
pub enum Sink {
    /// Standard output.
    Stdout,
    /// A file, written atomically.
    File {
        /// The final path.
        path: PathBuf,
        /// Whether an existing file may be replaced.
        force: bool,
    },
}

/// Writes what `write` produces to the sink. A file is written to a temporary name
/// and renamed at the end, so an interrupted run never leaves a half-written result.
///
/// # Errors
/// `Invalid` if the file exists and `force` is off; `Runtime` for I/O failures.
pub fn write_with(
    sink: &Sink,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    match sink {
        Sink::Stdout => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                // `vcsim cell | head` closes the pipe early: not an error.
                Err(e) if is_broken_pipe(&e) => Ok(()),
                Err(e) => Err(anyhow::Error::new(e)
                    .context("writing to standard output")
                    .into()),
            }
        }
        Sink::File { path, force } => write_file(path, *force, write),
    }
}

/// Whether `e` is, or wraps (a CSV writer wraps its I/O errors), a closed pipe.
fn is_broken_pipe(e: &io::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = source {
        let closed = |io: &io::Error| io.kind() == io::ErrorKind::BrokenPipe;
        if error.downcast_ref::<io::Error>().is_some_and(closed)
            || error
                .downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if closed(io)))
        {
            return true;
        }
        source = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .map(|inner| inner as &(dyn std::error::Error + 'static))
            .or_else(|| error.source());
    }
    false
}

/// Checks before any work is done that the sink can take a result: not a directory, not
/// an existing file (or link) unless `force`, a plain file name that fits the file
/// system, and a folder that can be written (the lock it returns, held until the file
/// is written, is created there). Removes the leftovers of interrupted writers.
///
/// # Errors
/// `Invalid` naming the path and the problem; `Runtime` if it cannot be written.
pub fn preflight(sink: &Sink) -> Result<Option<TargetLock>, CliError> {
    let Sink::File { path, force } = sink else {
        return Ok(None);
    };
    check_file(path, *force)?;
    let lock = lock(path)?;
    let removed =
        atomic::remove_stale_partials(path).map_err(|e| CliError::runtime(format!("--out {e}")))?;
    super::note_removed(&removed);
    Ok(Some(lock))
}

/// Takes the lock of `--out` (see [`TargetLock`]).
///
/// # Errors
/// `Runtime` (exit 2): another vcsim writes there, or the folder cannot be written.
pub fn lock(out: &Path) -> Result<TargetLock, CliError> {
    TargetLock::acquire(out).map_err(|e| match e {
        LockError::Busy { .. } => CliError::runtime(format!("--out {e}")),
        LockError::Io(e) => CliError::runtime(format!("--out {e}")),
    })
}

/// Checks that every component of `out` fits the file system's name limit, and that its
/// own name leaves room for the temporaries beside it.
///
/// # Errors
/// `Invalid` naming the too-long component.
pub fn check_name_lengths(out: &Path) -> Result<(), CliError> {
    for component in out.components() {
        let length = component.as_os_str().len();
        if length > atomic::NAME_MAX {
            return Err(CliError::invalid(format!(
                "--out {}: a name of {length} bytes; file systems take at most {}",
                out.display(),
                atomic::NAME_MAX
            )));
        }
    }
    let longest = atomic::NAME_MAX - atomic::PARTIAL_NAME_OVERHEAD;
    if let Some(name) = out.file_name()
        && name.len() > longest
    {
        return Err(CliError::invalid(format!(
            "--out {}: the name is {} bytes; at most {longest} (room is needed for the temporary name beside it)",
            out.display(),
            name.len()
        )));
    }
    Ok(())
}

fn check_file(path: &Path, force: bool) -> Result<(), CliError> {
    let force = &force;
    if path.is_dir() {
        return Err(CliError::invalid(format!(
            "--out {}: is a directory, expected a file path",
            path.display()
        )));
    }
    // symlink_metadata sees a dangling link too, which `exists()` would not.
    if fs::symlink_metadata(path).is_ok() && !force {
        return Err(CliError::invalid(format!(
            "--out {}: file exists; pass --force to replace it",
            path.display()
        )));
    }
    if path.file_name().is_none() {
        return Err(CliError::invalid(format!(
            "--out {}: not a file path",
            path.display()
        )));
    }
    check_name_lengths(path)
}

fn write_file(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    check_file(path, force)?;
    // Without `force` an existing result is never replaced, even by a race with another
    // process.
    atomic::write_file(path, force, write).map_err(|e| {
        if e.exists() {
            CliError::invalid(format!(
                "--out {}: file exists; pass --force to replace it",
                path.display()
            ))
        } else {
            CliError::runtime(format!("--out {e}"))
        }
    })
}

/// Why `dir` is not exactly a vcsim result that `--force` may replace: the files vcsim
/// does not write (the user's notes), or that it has no manifest vcsim recognises. Empty
/// for an earlier result with nothing else in it, and for an empty folder.
pub fn not_replaceable(dir: &Path) -> Vec<String> {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return Vec::new();
    };
    if !meta.is_dir() {
        return vec!["not an earlier run folder (a file, not a folder)".to_string()];
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return vec!["not an earlier run folder (cannot be read)".to_string()];
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let mut unknown = Vec::new();
    if dir.join("experiment.json").is_file() {
        match manifest(&dir.join("experiment.json")) {
            Some(manifest) => experiment_unknown(dir, &manifest, &names, &mut unknown),
            None => return vec![unrecognised("experiment.json")],
        }
    } else if let Some((json, files, figures)) = STUDY_FOLDERS
        .iter()
        .find(|(json, _, _)| dir.join(json).is_file())
    {
        if manifest(&dir.join(json)).is_none() {
            return vec![unrecognised(json)];
        }
        study_unknown(dir, &names, files, figures, &mut unknown);
    } else if let Some((_, files, figures)) = CALIBRATION_FOLDERS
        .iter()
        .find(|(report, _, _)| dir.join(report).is_file() && dir.join("manifest.json").is_file())
    {
        if manifest(&dir.join("manifest.json")).is_none() {
            return vec![unrecognised("manifest.json")];
        }
        study_unknown(dir, &names, files, figures, &mut unknown);
    } else if dir.join("manifest.json").is_file() {
        match manifest(&dir.join("manifest.json")) {
            Some(manifest) if manifest.get("claims").is_some() => {
                folder_unknown(
                    dir,
                    &names,
                    &VALIDATION_FILES,
                    &VALIDATION_FIGURES,
                    &mut unknown,
                );
            }
            Some(_) => run_unknown(dir, &names, &mut unknown),
            None => return vec![unrecognised("manifest.json")],
        }
    } else if dir.join(super::resume::CHECKPOINT_FILE).is_file() {
        // An unfinished checkpointed run: its checkpoint and its wall rows so far.
        unknown.extend(
            names
                .iter()
                .filter(|n| {
                    ![super::resume::CHECKPOINT_FILE, super::resume::WALL_PARTIAL]
                        .contains(&n.as_str())
                        && atomic::partial_pid(n).is_none()
                })
                .cloned(),
        );
    } else {
        return vec!["not an earlier run folder (no manifest.json or experiment.json)".to_string()];
    }
    if unknown.is_empty() {
        return Vec::new();
    }
    unknown.sort();
    let shown = unknown.len().min(5);
    let more = if unknown.len() > shown {
        format!(" and {} more", unknown.len() - shown)
    } else {
        String::new()
    };
    vec![format!(
        "an earlier result, but it also holds what vcsim does not write: {}{more} (move them away first)",
        unknown[..shown].join(", ")
    )]
}

/// The data files of a claims report (`vcsim validate`), with its quantitative report.
const VALIDATION_FILES: [&str; 5] = [
    "manifest.json",
    "validation.csv",
    "validation.md",
    "quantitative.csv",
    "quantitative.md",
];
/// The data files of an experiment folder (`vcsim compare`), besides the arm folders.
const EXPERIMENT_FILES: [&str; 3] = ["experiment.json", "summary.csv", "summary.md"];

/// The folders of `vcsim sweep` and `vcsim sensitivity`: their manifest, data files and
/// figures, besides `runs/`.
/// The folders `vcsim calibrate` writes beside a `manifest.json`, known by their report:
/// a calibration and an evaluation (`--evaluate`), with their files and figures.
const CALIBRATION_FOLDERS: [(&str, &[&str], &[&str]); 2] = [
    (
        "calibration.md",
        &super::calibrate::FILES,
        &super::calibrate::FIGURES,
    ),
    ("evaluation.md", &super::calibrate::EVALUATION_FILES, &[]),
];

const STUDY_FOLDERS: [(&str, &[&str], &[&str]); 2] = [
    ("sweep.json", &["sweep.json", "sweep.csv"], &["sweep"]),
    (
        "sensitivity.json",
        &[
            "sensitivity.json",
            "runs.csv",
            "indices.csv",
            "sensitivity.md",
        ],
        &["morris", "sobol"],
    ),
];

/// What a sweep or sensitivity folder holds that vcsim does not write: besides its files
/// and figures, `runs/p<N>/rep<N>/` run folders.
fn study_unknown(
    dir: &Path,
    names: &[String],
    files: &[&str],
    figures: &[&str],
    unknown: &mut Vec<String>,
) {
    let numbered = |name: &str, prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let entries = |path: &Path| -> Vec<(String, PathBuf)> {
        fs::read_dir(path)
            .map(|e| {
                e.filter_map(Result::ok)
                    .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let rest: Vec<String> = names.iter().filter(|n| *n != "runs").cloned().collect();
    folder_unknown(dir, &rest, files, figures, unknown);
    if !names.iter().any(|n| n == "runs") {
        return;
    }
    for (point, point_path) in entries(&dir.join("runs")) {
        if !(numbered(&point, "p") && point_path.is_dir()) {
            unknown.push(point_path.display().to_string());
            continue;
        }
        for (rep, rep_path) in entries(&point_path) {
            if !(numbered(&rep, "rep") && rep_path.is_dir()) {
                unknown.push(rep_path.display().to_string());
                continue;
            }
            let run_names: Vec<String> = entries(&rep_path).into_iter().map(|(n, _)| n).collect();
            run_unknown(&rep_path, &run_names, unknown);
        }
    }
}

fn unrecognised(file: &str) -> String {
    format!("not an earlier run folder ({file} is damaged or not written by vcsim)")
}

/// A manifest vcsim wrote: a JSON object with `vcsim_version`.
fn manifest(path: &Path) -> Option<serde_json::Value> {
    let text = fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("vcsim_version")?.as_str()?;
    Some(value)
}

/// Whether `name` is a figure of one of `figures` (`NAME[-...].png|svg|gif`) or a
/// leftover temporary of vcsim (`.NAME.partial-PID-...`).
fn written_by_vcsim(name: &str, files: &[&str], figures: &[&str]) -> bool {
    if files.contains(&name) || atomic::partial_pid(name).is_some() {
        return true;
    }
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(extension, "png" | "svg" | "gif")
        && figures
            .iter()
            .any(|f| stem == *f || stem.strip_prefix(f).is_some_and(|r| r.starts_with('-')))
}

fn folder_unknown(
    dir: &Path,
    names: &[String],
    files: &[&str],
    figures: &[&str],
    unknown: &mut Vec<String>,
) {
    for name in names {
        if !written_by_vcsim(name, files, figures) || dir.join(name).is_dir() {
            unknown.push(dir.join(name).display().to_string());
        }
    }
}

fn run_unknown(dir: &Path, names: &[String], unknown: &mut Vec<String>) {
    let mut files = RUN_OUTPUTS.to_vec();
    files.push("manifest.json");
    folder_unknown(dir, names, &files, &FIGURES, unknown);
}

fn experiment_unknown(
    dir: &Path,
    manifest: &serde_json::Value,
    names: &[String],
    unknown: &mut Vec<String>,
) {
    let arms: Vec<&str> = manifest
        .get("arms")
        .and_then(serde_json::Value::as_array)
        .map(|arms| {
            arms.iter()
                .filter_map(|a| a.get("folder").and_then(serde_json::Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let (arm_folders, rest): (Vec<String>, Vec<String>) = names
        .iter()
        .cloned()
        .partition(|n| arms.contains(&n.as_str()) && dir.join(n).is_dir());
    folder_unknown(dir, &rest, &EXPERIMENT_FILES, &EXPERIMENT_FIGURES, unknown);
    for arm in arm_folders {
        let arm_dir = dir.join(&arm);
        let Ok(entries) = fs::read_dir(&arm_dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let replicate = name
                .strip_prefix("rep")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            let path = entry.path();
            if !(replicate && path.is_dir()) {
                unknown.push(path.display().to_string());
                continue;
            }
            let run_names: Vec<String> = fs::read_dir(&path)
                .map(|e| {
                    e.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            run_unknown(&path, &run_names, unknown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_vcsim_writes_may_be_replaced() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let run = dir.path().join("run");
        fs::create_dir(&run).expect("folder");
        assert!(not_replaceable(&run).is_empty(), "an empty folder");
        for name in [
            "wall.csv",
            "timeseries.csv",
            "mineral-wall-day0.png",
            "animation.gif",
        ] {
            fs::write(run.join(name), "x").expect("written");
        }
        let problems = not_replaceable(&run);
        assert!(problems[0].contains("no manifest.json"), "{problems:?}");
        fs::write(run.join("manifest.json"), "{").expect("written");
        assert!(not_replaceable(&run)[0].contains("damaged"));
        fs::write(run.join("manifest.json"), r#"{"vcsim_version": "0.1.0"}"#).expect("written");
        assert!(not_replaceable(&run).is_empty());
        fs::write(run.join(".mineral-wall.partial-99999999-abc123.png"), "x").expect("written");
        assert!(
            not_replaceable(&run).is_empty(),
            "a leftover of vcsim itself"
        );
        fs::write(run.join("notes.txt"), "mine").expect("written");
        fs::write(run.join("wall-sectionfake.png"), "mine").expect("written");
        let problems = not_replaceable(&run);
        assert!(problems[0].contains("notes.txt"), "{problems:?}");
        assert!(problems[0].contains("wall-sectionfake.png"), "{problems:?}");
    }
}
