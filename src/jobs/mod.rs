//! Many-run jobs as run units that survive a crash.
//!
//! A many-run command (an experiment's arms × replicates today; sweeps, sensitivity
//! analyses and the claims report build on the same units) expands into **run units**:
//! one resolved scenario with its seed, run by one vcsim version. A unit's **key** is a
//! hash of exactly that (the version and the resolved scenario, every value in canonical
//! units), so two units with the same key give the same bytes.
//!
//! The job is assembled in a **job folder** beside its final place, `.NAME.job/`:
//!
//! ```text
//! .NAME.job/plan.json           the plan: every unit's id and key
//! .NAME.job/_scenarios/I.json   unit I's resolved scenario, so that any process (a Slurm
//!                               task) can run it from the job folder alone
//! .NAME.job/_command.json       the command that made the job (for `vcsim merge`)
//! .NAME.job/_slurm/             the Slurm job-array script, its batches and task logs
//! .NAME.job/<unit id>/          one finished unit (a run folder), with unit.json last
//! ```
//!
//! Unit ids are made of lower-case letters, digits and `-` (arm slugs, `repN`), so the
//! job's own entries (`plan.json`, names starting with `_`) never collide with a unit.
//!
//! A unit is written into a temporary folder inside the job folder and renamed into place
//! when complete, so a unit folder exists only when the unit finished; the process can be
//! killed at any moment and loses only the units in flight. Running the same command
//! again finds the plan, checks that it is the same plan (same units, same keys, same
//! version), skips every finished unit (checked by its `unit.json` key) and runs the rest;
//! a different plan or a unit folder whose key is not the planned one is refused, never
//! reused. When every unit is done, the command merges the units' results into the job
//! folder and moves it to its final place.

pub mod local;
pub mod run_files;
pub mod slurm;

use crate::record::WallKept;
use crate::record::atomic::{self, AtomicError, TempFolder};
use crate::scenario::Scenario;
use crate::scenario::file::{self as scenario_file, ScenarioFile};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file of a job folder that holds its plan.
pub const PLAN_FILE: &str = "plan.json";
/// The file of a unit folder that marks it finished and names its key.
pub const UNIT_FILE: &str = "unit.json";
/// The folder of a job folder that holds every unit's resolved scenario.
pub const SCENARIOS_DIR: &str = "_scenarios";
/// The file of a job folder that holds the command that made it (written and read by
/// the command line, for `vcsim merge`).
pub const COMMAND_FILE: &str = "_command.json";
/// The folder of a job folder that holds what the Slurm backend writes.
pub const SLURM_DIR: &str = "_slurm";
/// The entries of a job folder that are the job's own, not results: removed by
/// [`JobFolder::finish`].
const JOB_ENTRIES: [&str; 4] = [PLAN_FILE, SCENARIOS_DIR, COMMAND_FILE, SLURM_DIR];

/// 64-bit FNV-1a of `bytes`, as 16 hex digits.
fn fnv1a_hex(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The key of a unit: FNV-1a (64 bit) of the vcsim version and the resolved scenario
/// (canonical JSON, seed included). Equal keys, equal outputs.
///
/// # Errors
/// The scenario cannot be serialised (it always can; the error is passed on, not hidden).
pub fn unit_key(scenario: &Scenario) -> Result<String, serde_json::Error> {
    let mut text = format!("vcsim {}\n", env!("CARGO_PKG_VERSION")).into_bytes();
    text.extend(serde_json::to_vec(scenario)?);
    Ok(fnv1a_hex(&text))
}

/// One planned unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedUnit {
    /// Where the unit's result lives in the job folder (`arm/rep1`): `/`-separated folder
    /// names.
    pub id: String,
    /// [`unit_key`] of its scenario.
    pub key: String,
}

/// What a job runs: every unit, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The vcsim version that made the plan (a job is resumed only by the same version).
    pub vcsim_version: String,
    /// The command (`compare`, ...).
    pub command: String,
    /// The job's name (the experiment's).
    pub name: String,
    /// The units.
    pub units: Vec<PlannedUnit>,
    /// Which wall snapshots every unit keeps in its `wall.csv` (part of the plan: a job is
    /// never resumed with another choice, so its units never mix two).
    #[serde(default)]
    pub wall: WallKept,
}

impl Plan {
    /// A plan of this vcsim version whose units keep every wall snapshot.
    #[must_use]
    pub fn new(command: &str, name: &str, units: Vec<PlannedUnit>) -> Self {
        Self {
            vcsim_version: env!("CARGO_PKG_VERSION").to_string(),
            command: command.to_string(),
            name: name.to_string(),
            units,
            wall: WallKept::All,
        }
    }

    /// The same plan with units that keep `wall`.
    #[must_use]
    pub fn keeping_wall(mut self, wall: WallKept) -> Self {
        self.wall = wall;
        self
    }
}

/// One unit of a job as a command plans it: where its result goes and what it runs.
#[derive(Clone, Debug)]
pub struct JobUnit {
    /// The unit's folder in the job folder (`arm/rep1`): `/`-separated names of lower-case
    /// letters, digits and `-`.
    pub id: String,
    /// The resolved scenario, seed included.
    pub scenario: Scenario,
}

/// `_scenarios/I.json`: what rebuilds unit I's scenario without the input files.
#[derive(Debug, Serialize, Deserialize)]
struct StoredScenario {
    /// The unit's id.
    id: String,
    /// Its key: the rebuilt scenario must have exactly this key.
    key: String,
    /// The seed of the run.
    seed: u64,
    /// The text the scenario was validated from (its manifest hashes it).
    source_text: String,
    /// The raw scenario file as run (the experiment's edits applied), as TOML.
    file: String,
}

/// What stops a job folder from being used.
#[derive(Debug)]
pub enum JobError {
    /// Reading or writing failed.
    Io(AtomicError),
    /// The job folder holds a plan other than this one (another experiment file, other
    /// replicates, another vcsim version).
    DifferentPlan {
        /// The job folder.
        folder: PathBuf,
        /// What differs, in words.
        what: String,
    },
    /// A unit folder is not the planned unit (its `unit.json` is missing, damaged or names
    /// another key).
    ForeignUnit {
        /// The unit folder.
        folder: PathBuf,
        /// What is wrong with it.
        what: String,
    },
    /// The folder is not a job folder (no readable `plan.json`).
    NotAJob {
        /// The folder.
        folder: PathBuf,
    },
    /// A unit's stored scenario is missing, damaged, or does not rebuild into the planned
    /// unit (its key differs).
    Scenario {
        /// The stored scenario's file.
        file: PathBuf,
        /// What is wrong with it.
        what: String,
    },
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "{e}"),
            Self::DifferentPlan { folder, what } => write!(
                f,
                "{}: holds an unfinished job of another plan ({what}); it is not resumed. \
                 Delete that folder, or pass --force to discard it",
                folder.display()
            ),
            Self::ForeignUnit { folder, what } => write!(
                f,
                "{}: {what}; a unit is never reused unless it is exactly the planned one. \
                 Delete that folder to run the unit again",
                folder.display()
            ),
            Self::NotAJob { folder } => write!(
                f,
                "{}: not a job folder of vcsim (it has no readable {PLAN_FILE})",
                folder.display()
            ),
            Self::Scenario { file, what } => write!(
                f,
                "{}: {what}; the job folder is damaged: delete it and run the command again",
                file.display()
            ),
        }
    }
}

impl std::error::Error for JobError {}

impl From<AtomicError> for JobError {
    fn from(e: AtomicError) -> Self {
        Self::Io(e)
    }
}

/// `unit.json`: the finished unit's id and key.
#[derive(Debug, Serialize, Deserialize)]
struct UnitRecord {
    id: String,
    key: String,
    vcsim_version: String,
}

/// A job folder, opened for a plan.
#[derive(Debug)]
pub struct JobFolder {
    dir: PathBuf,
    target: PathBuf,
    plan: Plan,
    done: Vec<bool>,
}

/// The job folder of `target`: `.NAME.job` beside it.
#[must_use]
pub fn job_folder_of(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.job"))
}

fn io_error(path: &Path, what: &'static str, e: io::Error) -> JobError {
    JobError::Io(AtomicError::new(path, what, e))
}

impl JobFolder {
    /// Opens the job folder for `target` with `plan`: creates it (writing `plan.json`) or,
    /// if it exists with the same plan, resumes it, finding the finished units.
    /// `discard_other` (the command's `--force`) removes a job folder of another plan
    /// first instead of refusing it.
    ///
    /// # Errors
    /// [`JobError::DifferentPlan`] for another plan's job folder (without
    /// `discard_other`); [`JobError::ForeignUnit`] for a unit folder that is not the planned
    /// unit; I/O errors naming the path.
    pub fn open(target: &Path, plan: Plan, discard_other: bool) -> Result<Self, JobError> {
        let dir = job_folder_of(target);
        let plan_path = dir.join(PLAN_FILE);
        if dir.exists() {
            let found: Option<Plan> = fs::read_to_string(&plan_path)
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok());
            let difference = match &found {
                None => Some("its plan.json is missing or damaged".to_string()),
                Some(found) => plan_difference(found, &plan),
            };
            if let Some(what) = difference {
                if !discard_other {
                    return Err(JobError::DifferentPlan { folder: dir, what });
                }
                fs::remove_dir_all(&dir)
                    .map_err(|e| io_error(&dir, "cannot remove the other job", e))?;
            }
        }
        if !dir.exists() {
            fs::create_dir_all(&dir)
                .map_err(|e| io_error(&dir, "cannot create the job folder", e))?;
            let text = serde_json::to_string_pretty(&plan).map_err(io::Error::other);
            let text = text.map_err(|e| io_error(&plan_path, "cannot write", e))?;
            atomic::write_file(&plan_path, false, |w| w.write_all(text.as_bytes()))?;
        }
        let mut job = Self {
            done: vec![false; plan.units.len()],
            dir,
            target: target.to_path_buf(),
            plan,
        };
        for i in 0..job.plan.units.len() {
            job.done[i] = job.check_unit(i)?;
        }
        Ok(job)
    }

    /// Opens the job folder for `target` with these units (see [`JobFolder::open`]): the
    /// plan is made of their ids and keys, and every unit's resolved scenario is stored
    /// in the job folder (once), so that [`JobFolder::scenario`] rebuilds it from the
    /// folder alone.
    ///
    /// # Errors
    /// As [`JobFolder::open`]; a scenario that cannot be serialised or stored.
    pub fn open_units(
        target: &Path,
        command: &str,
        name: &str,
        units: &[JobUnit],
        wall: WallKept,
        discard_other: bool,
    ) -> Result<Self, JobError> {
        let planned = units
            .iter()
            .map(|u| {
                Ok(PlannedUnit {
                    id: u.id.clone(),
                    key: unit_key(&u.scenario)?,
                })
            })
            .collect::<Result<Vec<_>, serde_json::Error>>()
            .map_err(|e| io_error(target, "cannot key the runs", io::Error::other(e)))?;
        let plan = Plan::new(command, name, planned).keeping_wall(wall);
        let job = Self::open(target, plan, discard_other)?;
        job.store_scenarios(units)?;
        Ok(job)
    }

    /// Opens an existing job folder by itself (a Slurm task, `vcsim merge`): reads its
    /// plan and finds the finished units. Its target is `NAME` beside `.NAME.job`.
    ///
    /// # Errors
    /// [`JobError::NotAJob`] without a readable plan; [`JobError::ForeignUnit`] as in
    /// [`JobFolder::open`].
    pub fn open_dir(dir: &Path) -> Result<Self, JobError> {
        let not_a_job = || JobError::NotAJob {
            folder: dir.to_path_buf(),
        };
        let plan: Plan = fs::read_to_string(dir.join(PLAN_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .ok_or_else(not_a_job)?;
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.strip_suffix(".job"))
            .filter(|n| !n.is_empty())
            .ok_or_else(not_a_job)?;
        let mut job = Self {
            done: vec![false; plan.units.len()],
            target: dir.with_file_name(name),
            dir: dir.to_path_buf(),
            plan,
        };
        job.refresh()?;
        Ok(job)
    }

    /// Finds the finished units again (other processes, Slurm tasks, finish units while
    /// this one waits).
    ///
    /// # Errors
    /// [`JobError::ForeignUnit`] for a unit folder that is not the planned unit.
    pub fn refresh(&mut self) -> Result<(), JobError> {
        for i in 0..self.plan.units.len() {
            self.done[i] = self.check_unit(i)?;
        }
        Ok(())
    }

    fn scenario_path(&self, i: usize) -> PathBuf {
        self.dir.join(SCENARIOS_DIR).join(format!("{i}.json"))
    }

    /// Writes `_scenarios/` if it is not there yet: all of it into a temporary folder,
    /// renamed into place in one step.
    fn store_scenarios(&self, units: &[JobUnit]) -> Result<(), JobError> {
        let folder = self.dir.join(SCENARIOS_DIR);
        if folder.is_dir() {
            return Ok(());
        }
        let temporary = TempFolder::beside(&folder)?;
        for (i, (unit, planned)) in units.iter().zip(&self.plan.units).enumerate() {
            let name = format!("{i}.json");
            let file = toml::to_string(unit.scenario.file()).map_err(|e| {
                io_error(
                    &folder.join(&name),
                    "cannot store the scenario",
                    io::Error::other(e),
                )
            })?;
            let stored = StoredScenario {
                id: planned.id.clone(),
                key: planned.key.clone(),
                seed: unit.scenario.meta.seed,
                source_text: unit.scenario.source_text.clone(),
                file,
            };
            temporary.write_file(&name, |w| {
                serde_json::to_writer(&mut *w, &stored).map_err(io::Error::other)?;
                writeln!(w)
            })?;
        }
        temporary.persist(|_| false)?;
        Ok(())
    }

    /// Unit `i`'s resolved scenario, rebuilt from the job folder alone and checked to be
    /// exactly the planned one (same key).
    ///
    /// # Errors
    /// [`JobError::Scenario`] if the stored scenario is missing, damaged or not the
    /// planned unit.
    pub fn scenario(&self, i: usize) -> Result<Scenario, JobError> {
        let path = self.scenario_path(i);
        let planned = &self.plan.units[i];
        let damaged = |what: String| JobError::Scenario {
            file: path.clone(),
            what,
        };
        let text = fs::read_to_string(&path).map_err(|e| damaged(format!("cannot read: {e}")))?;
        let stored: StoredScenario =
            serde_json::from_str(&text).map_err(|e| damaged(format!("damaged: {e}")))?;
        let parsed = scenario_file::parse_all::<ScenarioFile>(
            &stored.file,
            &scenario_file::scenario_type_in_words,
        );
        let file = match (parsed.value, parsed.problems.first()) {
            (Some(file), None) => file,
            (_, problem) => {
                let what = problem.map_or_else(|| "not TOML".to_string(), ToString::to_string);
                return Err(damaged(format!("its scenario does not read: {what}")));
            }
        };
        let origin = format!("{} (unit {})", path.display(), planned.id);
        let scenario = Scenario::from_file(file, &stored.source_text, &origin)
            .map_err(|e| damaged(format!("its scenario is not valid: {e}")))?
            .with_seed(stored.seed);
        let key = unit_key(&scenario).map_err(|e| damaged(e.to_string()))?;
        if stored.id != planned.id || key != planned.key {
            return Err(damaged(format!(
                "it holds unit {} with key {key}, the plan has {} with key {}",
                stored.id, planned.id, planned.key
            )));
        }
        Ok(scenario)
    }

    /// The units not finished (as of opening or the last [`JobFolder::refresh`]), in
    /// plan order.
    #[must_use]
    pub fn unfinished(&self) -> Vec<usize> {
        (0..self.done.len()).filter(|&i| !self.done[i]).collect()
    }

    /// Where the finished result goes.
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Removes the job folder (when its result was written elsewhere).
    ///
    /// # Errors
    /// I/O errors naming the folder.
    pub fn discard(self) -> Result<(), AtomicError> {
        fs::remove_dir_all(&self.dir)
            .map_err(|e| AtomicError::new(&self.dir, "cannot remove the job folder", e))
    }

    /// Whether unit `i`'s folder holds exactly the planned unit (false if absent).
    fn check_unit(&self, i: usize) -> Result<bool, JobError> {
        let unit = &self.plan.units[i];
        let folder = self.unit_dir(i);
        if !folder.exists() {
            return Ok(false);
        }
        let record: Option<UnitRecord> = fs::read_to_string(folder.join(UNIT_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
        match record {
            None => Err(JobError::ForeignUnit {
                folder,
                what: format!("its {UNIT_FILE} is missing or damaged"),
            }),
            Some(r) if r.key != unit.key || r.id != unit.id => Err(JobError::ForeignUnit {
                folder,
                what: format!(
                    "it holds unit {} with key {}, the plan has {} with key {}",
                    r.id, r.key, unit.id, unit.key
                ),
            }),
            Some(_) => Ok(true),
        }
    }

    /// The job folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The plan.
    #[must_use]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Where unit `i`'s result lives.
    #[must_use]
    pub fn unit_dir(&self, i: usize) -> PathBuf {
        self.plan.units[i]
            .id
            .split('/')
            .fold(self.dir.clone(), |path, part| path.join(part))
    }

    /// Whether unit `i` was finished when the folder was opened (or last refreshed).
    #[must_use]
    pub fn is_done(&self, i: usize) -> bool {
        self.done[i]
    }

    /// How many units were finished when the folder was opened (or last refreshed).
    #[must_use]
    pub fn done_count(&self) -> usize {
        self.done.iter().filter(|d| **d).count()
    }

    /// Writes unit `i`: `write` fills a fresh temporary folder, then `unit.json` is added
    /// and the folder renamed to the unit's place, so the unit appears whole or not at
    /// all. Safe to call for different units from several threads.
    ///
    /// # Errors
    /// The error of `write`, or I/O errors naming the unit's folder.
    pub fn complete_unit<E: From<JobError>>(
        &self,
        i: usize,
        write: impl FnOnce(&Path) -> Result<(), E>,
    ) -> Result<(), E> {
        let unit = &self.plan.units[i];
        let folder = self.unit_dir(i);
        let temporary = TempFolder::beside(&folder).map_err(JobError::from)?;
        write(temporary.path())?;
        let record = UnitRecord {
            id: unit.id.clone(),
            key: unit.key.clone(),
            vcsim_version: self.plan.vcsim_version.clone(),
        };
        temporary
            .write_file(UNIT_FILE, |w| {
                serde_json::to_writer_pretty(&mut *w, &record).map_err(io::Error::other)?;
                writeln!(w)
            })
            .map_err(JobError::from)?;
        temporary.persist(|_| false).map_err(JobError::from)?;
        Ok(())
    }

    /// Moves the finished job folder to its final place (replacing what is there only if
    /// `replaceable` says so), removing the job's own entries (`plan.json`, `_scenarios/`,
    /// `_command.json`, `_slurm/`) and the units' `unit.json` first: the result is an
    /// ordinary result folder.
    ///
    /// # Errors
    /// I/O errors naming the target; [`AtomicError::exists`] if something not replaceable
    /// is in the way.
    pub fn finish(self, replaceable: impl FnOnce(&Path) -> bool) -> Result<(), AtomicError> {
        for i in 0..self.plan.units.len() {
            let path = self.unit_dir(i).join(UNIT_FILE);
            fs::remove_file(&path).map_err(|e| AtomicError::new(&path, "cannot remove", e))?;
        }
        for entry in JOB_ENTRIES {
            let path = self.dir.join(entry);
            let removed = match fs::symlink_metadata(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
            removed.map_err(|e| AtomicError::new(&path, "cannot remove", e))?;
        }
        atomic::persist_folder(&self.dir, &self.target, replaceable)
    }
}

/// What differs between a found plan and the wanted one, in words (None if the same).
fn plan_difference(found: &Plan, wanted: &Plan) -> Option<String> {
    if found.vcsim_version != wanted.vcsim_version {
        return Some(format!(
            "made by vcsim {}, this is {}",
            found.vcsim_version, wanted.vcsim_version
        ));
    }
    if found.command != wanted.command || found.name != wanted.name {
        return Some(format!(
            "`vcsim {}` of {}, not `vcsim {}` of {}",
            found.command, found.name, wanted.command, wanted.name
        ));
    }
    if found.wall != wanted.wall {
        return Some(format!(
            "its runs keep `--wall {}`, this plan's keep `--wall {}`",
            found.wall.name(),
            wanted.wall.name()
        ));
    }
    if found.units.len() != wanted.units.len() {
        return Some(format!(
            "{} units, this plan has {}",
            found.units.len(),
            wanted.units.len()
        ));
    }
    found
        .units
        .iter()
        .zip(&wanted.units)
        .find(|(a, b)| a != b)
        .map(|(a, b)| {
            format!(
                "unit {} has key {}, this plan's unit {} has key {}",
                a.id, a.key, b.id, b.key
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(keys: &[&str]) -> Plan {
        Plan::new(
            "compare",
            "test",
            keys.iter()
                .enumerate()
                .map(|(i, k)| PlannedUnit {
                    id: format!("arm/rep{}", i + 1),
                    key: (*k).to_string(),
                })
                .collect(),
        )
    }

    fn write_marker(dir: &Path) -> Result<(), JobError> {
        fs::write(dir.join("result.txt"), "done").map_err(|e| io_error(dir, "write", e))
    }

    #[test]
    fn finished_units_are_found_again_and_the_rest_run() {
        let tmp = tempfile::tempdir().expect("temp");
        let target = tmp.path().join("job");
        let job = JobFolder::open(&target, plan(&["a", "b", "c"]), false).expect("open");
        assert_eq!(job.done_count(), 0);
        job.complete_unit(0, write_marker).expect("unit 0");
        job.complete_unit(2, write_marker).expect("unit 2");
        drop(job);
        let job = JobFolder::open(&target, plan(&["a", "b", "c"]), false).expect("resume");
        assert_eq!(
            (job.is_done(0), job.is_done(1), job.is_done(2)),
            (true, false, true)
        );
        job.complete_unit(1, write_marker).expect("unit 1");
        job.finish(|_| false).expect("finish");
        assert!(target.join("arm/rep2/result.txt").is_file());
        assert!(!target.join("arm/rep2").join(UNIT_FILE).exists());
        assert!(!target.join(PLAN_FILE).exists());
        assert!(!job_folder_of(&target).exists());
    }

    #[test]
    fn another_plan_or_a_foreign_unit_is_refused() {
        let tmp = tempfile::tempdir().expect("temp");
        let target = tmp.path().join("job");
        let job = JobFolder::open(&target, plan(&["a", "b"]), false).expect("open");
        job.complete_unit(0, write_marker).expect("unit 0");
        let e = JobFolder::open(&target, plan(&["a", "x"]), false).expect_err("other plan");
        assert!(e.to_string().contains("unit arm/rep2 has key b"), "{e}");
        // --force discards the other job.
        let job = JobFolder::open(&target, plan(&["a", "x"]), true).expect("discarded");
        assert_eq!(job.done_count(), 0);
        // A unit folder without its unit.json is not the planned unit.
        fs::create_dir_all(job.unit_dir(1)).expect("mkdir");
        let e = JobFolder::open(&target, plan(&["a", "x"]), false).expect_err("foreign");
        assert!(matches!(e, JobError::ForeignUnit { .. }), "{e}");
    }

    /// Every shipped scenario, an experiment-style revision (smaller lattice) and another
    /// seed: the scenario rebuilt from the job folder alone is exactly the planned one.
    #[test]
    fn a_stored_scenario_rebuilds_into_exactly_the_planned_unit() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut units = Vec::new();
        for entry in fs::read_dir(&dir).expect("scenarios") {
            let path = entry.expect("entry").path();
            let text = fs::read_to_string(&path).unwrap_or_default();
            // Experiment, sweep and sensitivity files (built on a scenario) are not
            // scenarios themselves.
            let study = text
                .lines()
                .any(|l| ["[experiment]", "[sweep]", "[sensitivity]"].contains(&l.trim()));
            if path.extension().is_some_and(|e| e == "toml") && !study {
                let scenario = Scenario::load(&path).expect("a shipped scenario");
                let revised = scenario
                    .revised(|file| file.set_lattice(5, 4))
                    .expect("revised")
                    .with_seed(u64::MAX - 3);
                let stem = path.file_stem().expect("name").to_string_lossy();
                units.push(JobUnit {
                    id: format!("{stem}/rep1"),
                    scenario,
                });
                units.push(JobUnit {
                    id: format!("{stem}/rep2"),
                    scenario: revised,
                });
            }
        }
        assert!(units.len() >= 10, "{} units", units.len());
        let tmp = tempfile::tempdir().expect("temp");
        let target = tmp.path().join("job");
        let job = JobFolder::open_units(&target, "compare", "test", &units, WallKept::All, false)
            .expect("open");
        let again = JobFolder::open_dir(job.dir()).expect("by itself");
        assert_eq!(again.target(), target);
        for (i, unit) in units.iter().enumerate() {
            let rebuilt = again.scenario(i).expect("rebuilt");
            // The same content (the raw file's spans and the origin, which only place
            // messages, differ).
            assert!(*rebuilt == *unit.scenario, "{}", unit.id);
        }
        // A stored scenario of another unit is refused, not run.
        fs::copy(job.scenario_path(1), job.scenario_path(0)).expect("planted");
        let e = again.scenario(0).expect_err("another unit's scenario");
        assert!(e.to_string().contains("the plan has"), "{e}");
        // The job's own entries are gone from the finished result.
        for i in 0..units.len() {
            job.complete_unit(i, write_marker).expect("unit");
        }
        job.finish(|_| false).expect("finish");
        let mut names: Vec<String> = fs::read_dir(&target)
            .expect("result")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('_') || n.ends_with(".json"))
            .collect();
        names.sort();
        assert_eq!(names, Vec::<String>::new());
    }

    #[test]
    fn a_folder_without_a_plan_is_not_a_job() {
        let tmp = tempfile::tempdir().expect("temp");
        let dir = tmp.path().join(".x.job");
        fs::create_dir(&dir).expect("mkdir");
        let e = JobFolder::open_dir(&dir).expect_err("no plan");
        assert!(matches!(e, JobError::NotAJob { .. }), "{e}");
        assert!(e.to_string().contains("not a job folder"), "{e}");
    }
}
