//! Running the units of a job folder in this process (the local backend, and each task of
//! the Slurm backend): independent runs side by side on a pool of worker threads, each
//! run's cells on one thread, each finished run written into its unit folder atomically
//! and dropped, so that memory is bounded by the runs in flight, not by the job.

use super::JobFolder;
use super::run_files::{RunTiming, write_run_files};
use crate::sim::{SimError, Simulation, Threads, interrupt};
use rayon::prelude::*;
use std::time::{Instant, SystemTime};

/// Why units did not all finish.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// A stop was requested ([`interrupt::request`], a signal): the units in flight were
    /// abandoned (nothing of them is kept), the finished ones are kept.
    #[error("interrupted")]
    Interrupted,
    /// The worker threads could not be started.
    #[error("cannot start {threads} threads: {error}")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// Why not.
        error: rayon::ThreadPoolBuildError,
    },
    /// A unit failed: its scenario could not be rebuilt, its simulation failed, or its
    /// files could not be written.
    #[error("run {id}: {error}")]
    Unit {
        /// The unit's id.
        id: String,
        /// What went wrong.
        error: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Runs unit `i` of `job` in this thread (its cells on one thread) and writes its run
/// folder into the job folder atomically.
///
/// # Errors
/// [`ExecError::Interrupted`] if a stop was requested during the run;
/// [`ExecError::Unit`] for a unit that cannot be rebuilt, run or written.
pub fn run_unit(job: &JobFolder, i: usize) -> Result<(), ExecError> {
    let id = &job.plan().units[i].id;
    let failed = |error: Box<dyn std::error::Error + Send + Sync>| ExecError::Unit {
        id: id.clone(),
        error,
    };
    let scenario = job.scenario(i).map_err(|e| failed(Box::new(e)))?;
    let started = SystemTime::now();
    let clock = Instant::now();
    let recorded = match Simulation::new(&scenario, Threads::Serial).and_then(|s| s.run(|_, _| {}))
    {
        Ok(recorded) => recorded,
        Err(SimError::Interrupted { .. }) => return Err(ExecError::Interrupted),
        Err(e) => return Err(failed(Box::new(e))),
    };
    let timing = RunTiming {
        threads: 1,
        started,
        wall_time_s: clock.elapsed().as_secs_f64(),
    };
    job.complete_unit(i, |dir| {
        write_run_files(dir, &scenario, &recorded, timing).map_err(super::JobError::from)
    })
    .map_err(|e| failed(Box::new(e)))
}

/// Runs `units` of `job` (indices into its plan) side by side on `threads` worker threads,
/// calling `done()` after each finished unit. A stop request ([`interrupt::request`])
/// starts no further unit and abandons those in flight; the first failing unit stops the
/// others from starting (the ones in flight finish).
///
/// # Errors
/// [`ExecError::Interrupted`] after a stop request; the first [`ExecError::Unit`];
/// [`ExecError::Threads`].
pub fn run_units(
    job: &JobFolder,
    units: &[usize],
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<(), ExecError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| ExecError::Threads { threads, error })?;
    let ran = pool.install(|| {
        units.par_iter().try_for_each(|&i| {
            if interrupt::requested() {
                return Err(ExecError::Interrupted);
            }
            run_unit(job, i)?;
            done();
            Ok(())
        })
    });
    if interrupt::requested() {
        return Err(ExecError::Interrupted);
    }
    ran
}

/// Runs every unfinished unit of `job` on this machine ([`run_units`]).
///
/// # Errors
/// As [`run_units`].
pub fn run_local(
    job: &JobFolder,
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<(), ExecError> {
    run_units(job, &job.unfinished(), threads, done)
}
