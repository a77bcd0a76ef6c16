//! The files of one run folder (`wall.csv`, `timeseries.csv`, `layers.csv`, `parameters.csv`,
//! `CITATIONS.md`, `manifest.json`), written by `vcsim run` and by every run unit of a
//! job, so that a run folder is the same whoever wrote it.

use crate::record::atomic::{self, AtomicError};
use crate::record::manifest::{AnimalDose, RunManifest, run_outputs, write_json};
use crate::record::{
    WallKept, write_citations, write_layers, write_parameters, write_timeseries, write_wall,
};
use crate::scenario::Scenario;
use crate::sim::Recorded;
use std::io::{self, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// How a run was made, for its `manifest.json`.
#[derive(Clone, Copy, Debug)]
pub struct RunTiming {
    /// Worker threads of the run's own cells.
    pub threads: usize,
    /// When the run started.
    pub started: SystemTime,
    /// [s] Wall-clock time of the simulation.
    pub wall_time_s: f64,
    /// Which wall snapshots the run keeps (`recorded.wall` holds only those).
    pub wall: WallKept,
}

/// 64-bit FNV-1a of the scenario text: identifies the exact file a run used.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Writes one file `dir/name` (inside a temporary folder, which is what makes the result
/// atomic) through a buffer and syncs it.
///
/// # Errors
/// [`AtomicError`] naming the file.
fn write_file(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicError> {
    let path = dir.join(name);
    atomic::write_plain_file(&path, write).map_err(|e| AtomicError::new(&path, "write failed", e))
}

/// Writes the files of one run into `dir` (which exists): `wall.csv` with the rows of
/// `recorded.wall` (already only the kept snapshots) unless no wall is kept, and the four
/// others.
///
/// # Errors
/// [`AtomicError`] naming the file that could not be written.
pub fn write_run_files(
    dir: &Path,
    scenario: &Scenario,
    recorded: &Recorded,
    timing: RunTiming,
) -> Result<(), AtomicError> {
    if timing.wall != WallKept::None {
        write_file(dir, "wall.csv", |w| write_wall(w, &recorded.wall))?;
    }
    write_run_files_but_wall(dir, scenario, recorded, timing)
}

/// Writes the files of one run except `wall.csv` (which `vcsim run` streams while the
/// run goes) into `dir` (which exists).
///
/// # Errors
/// [`AtomicError`] naming the file that could not be written.
pub fn write_run_files_but_wall(
    dir: &Path,
    scenario: &Scenario,
    recorded: &Recorded,
    timing: RunTiming,
) -> Result<(), AtomicError> {
    let rows = scenario.params.rows();
    let animal_doses = crate::sim::animal_treatments(&scenario.treatments, scenario.meta.seed)
        .iter()
        .zip(&scenario.treatments)
        .filter(|(_, nominal)| nominal.between_animal_cv > 0.0)
        .map(|(animal, nominal)| AnimalDose {
            dose: animal.dose,
            id: animal.entry.id,
            nominal_dose: nominal.dose,
        })
        .collect();
    let manifest = RunManifest {
        animal_doses,
        finished_unix_s: unix_seconds(SystemTime::now()),
        git_commit: option_env!("VCSIM_GIT_COMMIT").unwrap_or("unknown"),
        outputs: run_outputs(timing.wall),
        platform: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        scenario,
        scenario_fnv1a64: format!("{:016x}", fnv1a(&scenario.source_text)),
        scenario_name: &scenario.meta.name,
        seed: scenario.meta.seed,
        started_unix_s: unix_seconds(timing.started),
        threads: timing.threads,
        vcsim_version: env!("CARGO_PKG_VERSION"),
        wall_kept: timing.wall,
        wall_time_s: timing.wall_time_s,
    };
    write_file(dir, "timeseries.csv", |w| {
        write_timeseries(w, &recorded.timeseries)
    })?;
    write_file(dir, "layers.csv", |w| write_layers(w, &recorded.layers))?;
    write_file(dir, "parameters.csv", |w| write_parameters(w, &rows))?;
    write_file(dir, "CITATIONS.md", |w| write_citations(w, &rows))?;
    write_file(dir, "manifest.json", |w| write_json(w, &manifest))
}
