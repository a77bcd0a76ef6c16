//! `vcsim calibrate`: fits the declared free parameters
//! (`data/calibration/free-parameters.toml`) to the calibration rows of the published
//! measurements, never to a held-out row.
//!
//! 1. Every fitted row's protocol (`data/protocols/`) is run for a parameter vector and
//!    the row predicted as `vcsim validate` predicts it; the objective is the sum of
//!    squared residuals ([`objective`]).
//! 2. CMA-ES ([`cmaes`], Hansen's defaults, bounds by a transformation to the unit cube
//!    of the priors) minimises it with common random numbers: every candidate runs with
//!    the same replicate seeds, so two candidates differ only by their parameters.
//! 3. An ABC importance sample around the best point: draws from a normal proposal in
//!    the unit cube (the CMA-ES's final covariance, widened), each run with fresh seeds;
//!    the tolerance is a quantile of the draws' distances (objective values); accepted
//!    draws are weighted prior / proposal and normalised (`posterior.csv`).
//!
//! Each batch (the defaults, a CMA-ES generation, a chunk of ABC draws) is one job of
//! run units ([`crate::jobs`]): the protocol runs of every candidate of the batch,
//! each run single-threaded, run by whatever backend the caller chose (this machine on
//! a pool of worker threads, a Slurm job array) and read back from the job folder in a
//! fixed order, so the outcome depends neither on the backend nor on the thread count.
//! After every batch the evaluations are written to a cache file (atomically) and the
//! batch's job folder is removed; a calibration started again with the same cache
//! continues from the batches finished (and a batch's runs already finished in its job
//! folder) and gives the same bytes.

pub mod cmaes;
pub mod objective;
pub mod spec;

use crate::evidence::{Dataset, Mapping, PaperSet, Protocols};
use crate::experiment::compare::ReplicateSeries;
use crate::experiment::design::Experiment;
use crate::jobs::{JobFolder, JobUnit};
use crate::random::{CounterRng, splitmix};
use crate::scenario::ParameterOverrides;
use crate::validation;
use crate::validation::quantitative::{self, load_protocol, predict_observation};
use objective::{Target, residual, targets};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use spec::{FREE_PARAMETERS_TOML, FreeParameter, Spec};
use std::io::{self, Write};
use std::path::Path;

/// A calibration that cannot run or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// The declaration or the data are not usable.
    #[error("{0}")]
    Invalid(String),
    /// A simulation failed.
    #[error("{0}")]
    Run(String),
    /// The cache could not be written.
    #[error("{0}")]
    Cache(String),
    /// Stopped between batches (the cache holds the finished ones).
    #[error("interrupted after {0} evaluations (kept in the cache)")]
    Interrupted(usize),
}

/// What part of the calibration an evaluation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The built-in values (index 0) and a declared CMA-ES start (index 1), with the
    /// CMA-ES seeds.
    Defaults,
    /// A CMA-ES candidate.
    Cmaes,
    /// An ABC draw (fresh seeds).
    Abc,
}

impl Phase {
    /// The name in the files.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Defaults => "defaults",
            Self::Cmaes => "cmaes",
            Self::Abc => "abc",
        }
    }
}

/// One evaluated parameter vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Its phase.
    pub phase: Phase,
    /// CMA-ES generation (0 for the defaults and ABC).
    pub generation: usize,
    /// Index within its batch (the ABC draw number for ABC).
    pub index: usize,
    /// Parameter values, in the order of the free parameters.
    pub values: Vec<f64>,
    /// The replicate base seed it ran with.
    pub seed: u64,
    /// Per fitted row: the prediction, if one exists.
    pub predicted: Vec<Option<f64>>,
    /// Per fitted row: the residual in σ units.
    pub residuals: Vec<f64>,
    /// Sum of squared residuals.
    pub objective: f64,
}

/// The runs of `experiments` as job units, their ids under `prefix/`.
fn prefixed_units(prefix: &str, experiments: &[Experiment]) -> impl Iterator<Item = JobUnit> {
    validation::job_units(experiments)
        .into_iter()
        .map(move |u| JobUnit {
            id: format!("{prefix}/{}", u.id),
            scenario: u.scenario,
        })
}

/// Fixed parameter values scored with one seed (`vcsim calibrate --evaluate`).
#[derive(Clone, Debug, PartialEq)]
pub struct SeedScore {
    /// The replicate base seed.
    pub seed: u64,
    /// Per fitted row: the prediction, if one exists.
    pub predicted: Vec<Option<f64>>,
    /// Per fitted row: the residual in σ units.
    pub residuals: Vec<f64>,
    /// Sum of squared residuals.
    pub objective: f64,
}

/// `count` replicate base seeds for scoring fixed values, from `seed`: none of them is
/// the fit's common seed or an ABC draw's, so the scores show how the objective of a
/// point scatters with the runs' randomness alone.
#[must_use]
pub fn fresh_seeds(seed: u64, count: usize) -> Vec<u64> {
    (0..count as u64)
        .map(|k| splitmix(seed ^ splitmix(0xE7A1_0000 + k)))
        .collect()
}

/// The fit's problem: the free parameters, the fitted rows and their protocol runs.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The declaration of the chosen mode.
    pub spec: Spec,
    /// `quick` or `full`.
    pub quick: bool,
    /// The fitted rows.
    pub targets: Vec<Target>,
    /// The protocols, trimmed to the arms the rows use, with the mode's replicates.
    pub experiments: Vec<Experiment>,
    protocols: Protocols,
    digest: String,
}

/// 64-bit FNV-1a, fed piece by piece (a change detector for the inputs, not a
/// cryptographic hash).
struct Fnv(u64);

impl Fnv {
    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn stem_key(stem: &str) -> u64 {
    stem.bytes()
        .fold(0x5EED_u64, |h, b| splitmix(h ^ u64::from(b)))
}

impl Problem {
    /// The committed problem: committed data, split, protocols and declaration.
    ///
    /// # Errors
    /// A defect of the committed files.
    pub fn committed(quick: bool) -> Result<Self, CalibrationError> {
        let dataset = Dataset::committed().map_err(|e| CalibrationError::Invalid(e.to_string()))?;
        let protocols =
            Protocols::committed(&dataset).map_err(|e| CalibrationError::Invalid(e.to_string()))?;
        let spec = Spec::committed(quick).map_err(CalibrationError::Invalid)?;
        Self::new(&dataset, protocols, spec, quick, FREE_PARAMETERS_TOML)
    }

    /// A problem from a dataset (only its calibration rows are read), a mapping, a
    /// declaration (its text goes into the inputs digest) and a mode.
    ///
    /// # Errors
    /// A fitted row that is not a calibration row or not simulated, or a protocol that
    /// does not load.
    pub fn new(
        dataset: &Dataset,
        protocols: Protocols,
        spec: Spec,
        quick: bool,
        spec_text: &str,
    ) -> Result<Self, CalibrationError> {
        let rows = dataset.calibration_rows();
        let targets = targets(rows, &protocols, &spec).map_err(CalibrationError::Invalid)?;
        let mut experiments: Vec<Experiment> = Vec::new();
        for t in &targets {
            let Some(m) = protocols
                .of(&t.observation.id)
                .and_then(|r| r.mapping.clone())
            else {
                continue;
            };
            let name = format!("protocols/{}", m.protocol);
            if !experiments.iter().any(|e| e.name == name) {
                let e = load_protocol(&m.protocol, quick)
                    .map_err(|e| CalibrationError::Invalid(e.to_string()))?;
                experiments.push(e);
            }
        }
        // Keep the arms the rows use, in the protocol's order. Every protocol runs the
        // declaration's replicates, except that a cohort whose rows count or select
        // animals keeps its own animals (at least): an incidence from two animals is 0,
        // 50 or 100%.
        for e in &mut experiments {
            let stem = e.name.trim_start_matches("protocols/").to_string();
            let mappings: Vec<Mapping> = targets
                .iter()
                .filter_map(|t| protocols.of(&t.observation.id)?.mapping.clone())
                .filter(|m| m.protocol == stem)
                .collect();
            let cohort = mappings.iter().any(|m| m.comparison.compares_animals());
            let used: Vec<String> = mappings
                .into_iter()
                .flat_map(|m| std::iter::once(m.condition_arm).chain(m.comparison_arm))
                .collect();
            e.arms.retain(|a| used.contains(&a.name));
            e.replicates = if cohort {
                e.replicates.max(spec.settings.replicates)
            } else {
                spec.settings.replicates
            };
        }
        let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
        // The split's calibration papers only: a paper added to the held-out set changes
        // nothing a fit reads, so it leaves the digest (and the shipped result) as it is.
        for key in rows.papers() {
            hash.update(key.as_bytes());
            hash.update(b"\n");
        }
        hash.update(spec_text.as_bytes());
        hash.update(if quick { b"quick" } else { b"full " });
        for t in &targets {
            let o = &t.observation;
            hash.update(
                format!(
                    "{}|{}|{}|{}|{:?}|{}|{}|{}\n",
                    o.id,
                    o.paper_key,
                    o.value,
                    o.time,
                    o.effect_value,
                    o.n,
                    o.error,
                    o.effect_kind.name()
                )
                .as_bytes(),
            );
            hash.update(format!("{:?}\n", protocols.of(&o.id)).as_bytes());
        }
        for e in &experiments {
            let stem = e.name.trim_start_matches("protocols/");
            if let Some((_, text)) = quantitative::PROTOCOL_FILES
                .iter()
                .find(|(s, _)| *s == stem)
            {
                hash.update(text.as_bytes());
            }
        }
        let digest = format!("fnv1a64:{:016x}", hash.0);
        Ok(Self {
            spec,
            quick,
            targets,
            experiments,
            protocols,
            digest,
        })
    }

    /// The digest of the calibration's inputs: the split's calibration papers, the
    /// declaration, the fitted rows, their mapping lines and their protocol files.
    #[must_use]
    pub fn inputs_digest(&self) -> &str {
        &self.digest
    }

    /// The free parameters.
    #[must_use]
    pub fn parameters(&self) -> &[FreeParameter] {
        &self.spec.parameters
    }

    /// The built-in values of the free parameters (without the shipped calibration, so
    /// a calibration started again after its result is shipped starts from the same
    /// point and reproduces it): the "defaults" of the reports, and the CMA-ES start
    /// unless the declaration gives one ([`Problem::start_values`]).
    #[must_use]
    pub fn default_values(&self) -> Vec<f64> {
        let rows = crate::model::parameter_set::ModelParams::built_in().rows();
        self.parameters()
            .iter()
            .map(|p| {
                rows.iter()
                    .find(|r| r.module == p.module && r.field == p.field)
                    .map_or(f64::NAN, |r| r.value)
            })
            .collect()
    }

    /// Where the CMA-ES starts: each free parameter's declared `start`, or its built-in
    /// value ([`Problem::default_values`]).
    #[must_use]
    pub fn start_values(&self) -> Vec<f64> {
        self.parameters()
            .iter()
            .zip(self.default_values())
            .map(|(p, built_in)| p.start.unwrap_or(built_in))
            .collect()
    }

    /// Whether the declaration starts the search elsewhere than at the built-in values.
    #[must_use]
    pub fn declares_start(&self) -> bool {
        self.parameters().iter().any(|p| p.start.is_some())
    }

    /// The values as a parameter file's content.
    ///
    /// # Errors
    /// A value out of its parameter's range (cannot happen inside a checked prior).
    pub fn overrides(&self, values: &[f64]) -> Result<ParameterOverrides, CalibrationError> {
        let mut o = ParameterOverrides::new();
        for (p, v) in self.parameters().iter().zip(values) {
            o.insert(&p.module, &p.field, *v)
                .map_err(|e| CalibrationError::Invalid(format!("{}: {e}", p.key())))?;
        }
        Ok(o)
    }

    /// The protocols as one candidate runs them: every arm with `values` applied and the
    /// candidate's seed (per protocol, from `seed` and the protocol's name), so that
    /// [`validation::job_units`] gives its runs, replicate seeds included.
    fn candidate_experiments(
        &self,
        values: &[f64],
        seed: u64,
    ) -> Result<Vec<Experiment>, CalibrationError> {
        self.experiments_with(&self.overrides(values)?, seed)
    }

    /// The protocols with `overrides` laid over every arm and the seed of `seed`.
    fn experiments_with(
        &self,
        overrides: &ParameterOverrides,
        seed: u64,
    ) -> Result<Vec<Experiment>, CalibrationError> {
        self.experiments
            .iter()
            .map(|experiment| {
                let base = splitmix(seed ^ stem_key(&experiment.name));
                let mut e = experiment.clone();
                for arm in &mut e.arms {
                    arm.scenario = overrides
                        .apply(&arm.scenario.clone().with_seed(base))
                        .map_err(|err| CalibrationError::Invalid(err.to_string()))?;
                }
                Ok(e)
            })
            .collect()
    }

    /// The runs of one batch as job units: candidate by candidate (ids
    /// `<label>/c<NNN>/<protocol>/<arm>/rep<N>`, `NNN` the candidate's index), each
    /// candidate's runs in [`validation::job_units`] order.
    ///
    /// # Errors
    /// A value out of its parameter's range.
    pub fn batch_units(
        &self,
        label: &str,
        batch: &[(usize, Vec<f64>, u64)],
    ) -> Result<Vec<JobUnit>, CalibrationError> {
        let mut units = Vec::new();
        for (index, values, seed) in batch {
            let experiments = self.candidate_experiments(values, *seed)?;
            units.extend(prefixed_units(
                &format!("{label}/c{index:03}"),
                &experiments,
            ));
        }
        Ok(units)
    }

    /// The runs that score fixed parameter values (a parameter file's, laid over the
    /// shipped ones) once per seed of `seeds` (`vcsim calibrate --evaluate`): ids
    /// `evaluate/s<NNN>/<protocol>/<arm>/rep<N>`, seed by seed.
    ///
    /// # Errors
    /// A value the scenarios refuse.
    pub fn evaluation_units(
        &self,
        overrides: &ParameterOverrides,
        seeds: &[u64],
    ) -> Result<Vec<JobUnit>, CalibrationError> {
        let mut units = Vec::new();
        for (index, seed) in seeds.iter().enumerate() {
            let experiments = self.experiments_with(overrides, *seed)?;
            units.extend(prefixed_units(
                &format!("evaluate/s{index:03}"),
                &experiments,
            ));
        }
        Ok(units)
    }

    /// The scores of a finished job of [`Problem::evaluation_units`], one per seed.
    ///
    /// # Errors
    /// A run that cannot be read back.
    pub fn read_evaluation(
        &self,
        job: &JobFolder,
        seeds: &[u64],
    ) -> Result<Vec<SeedScore>, CalibrationError> {
        Ok(self
            .read_batch(job, seeds.len())?
            .iter()
            .zip(seeds)
            .map(|(runs, seed)| {
                let (predicted, residuals) = self.score(runs);
                SeedScore {
                    seed: *seed,
                    objective: objective::objective(&residuals),
                    predicted,
                    residuals,
                }
            })
            .collect())
    }

    /// The runs of each of `candidates` candidates of a finished job of
    /// [`Problem::batch_units`], per protocol, read back from the job's unit folders.
    fn read_batch(
        &self,
        job: &JobFolder,
        candidates: usize,
    ) -> Result<Vec<Vec<Vec<ReplicateSeries>>>, CalibrationError> {
        let per_candidate = job.plan().units.len() / candidates.max(1);
        (0..candidates)
            .map(|c| {
                validation::read_units_at(job, &self.experiments, c * per_candidate)
                    .map_err(|e| CalibrationError::Run(e.to_string()))
            })
            .collect()
    }

    /// Predictions and residuals of the fitted rows from one candidate's runs.
    fn score(&self, runs: &[Vec<ReplicateSeries>]) -> (Vec<Option<f64>>, Vec<f64>) {
        let mut predicted = Vec::new();
        let mut residuals = Vec::new();
        for t in &self.targets {
            let p = predict_observation(
                &t.observation,
                PaperSet::Calibration,
                &self.protocols,
                &self.experiments,
                runs,
            );
            let end_day = self
                .experiments
                .iter()
                .find(|e| e.name == format!("protocols/{}", t.protocol))
                .and_then(|e| e.arms.first())
                .map_or(f64::NAN, |a| {
                    a.scenario.time.duration_min / crate::units::DAY
                });
            residuals.push(residual(t, &p, end_day));
            predicted.push(p.predicted);
        }
        (predicted, residuals)
    }
}

/// The finished evaluations of an interrupted calibration, and what they belong to.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// Inputs digest, seed and mode the evaluations belong to.
    pub key: String,
    /// Every finished evaluation, in order.
    pub evaluations: Vec<Evaluation>,
}

/// An evaluation as stored: every number as its IEEE bits, so that reading it back
/// gives the same bits (a decimal round trip through JSON need not).
#[derive(Serialize, Deserialize)]
struct StoredEvaluation {
    phase: Phase,
    generation: usize,
    index: usize,
    values: Vec<u64>,
    seed: u64,
    predicted: Vec<Option<u64>>,
    residuals: Vec<u64>,
    objective: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredCache {
    key: String,
    evaluations: Vec<StoredEvaluation>,
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn unbits(v: &[u64]) -> Vec<f64> {
    v.iter().map(|x| f64::from_bits(*x)).collect()
}

impl From<&Evaluation> for StoredEvaluation {
    fn from(e: &Evaluation) -> Self {
        Self {
            phase: e.phase,
            generation: e.generation,
            index: e.index,
            values: bits(&e.values),
            seed: e.seed,
            predicted: e.predicted.iter().map(|p| p.map(f64::to_bits)).collect(),
            residuals: bits(&e.residuals),
            objective: e.objective.to_bits(),
        }
    }
}

impl From<StoredEvaluation> for Evaluation {
    fn from(e: StoredEvaluation) -> Self {
        Self {
            phase: e.phase,
            generation: e.generation,
            index: e.index,
            values: unbits(&e.values),
            seed: e.seed,
            predicted: e.predicted.iter().map(|p| p.map(f64::from_bits)).collect(),
            residuals: unbits(&e.residuals),
            objective: f64::from_bits(e.objective),
        }
    }
}

impl Cache {
    /// Reads the cache at `path` if it exists and belongs to `key`; otherwise an empty
    /// cache for `key` (a cache of other inputs is not used).
    #[must_use]
    pub fn open(path: &Path, key: &str) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str::<StoredCache>(&t).ok())
            .filter(|c| c.key == key)
            .map(|c| Self {
                key: c.key,
                evaluations: c.evaluations.into_iter().map(Evaluation::from).collect(),
            })
            .unwrap_or_else(|| Self {
                key: key.to_string(),
                evaluations: Vec::new(),
            })
    }

    fn find(
        &self,
        phase: Phase,
        generation: usize,
        index: usize,
        values: &[f64],
        seed: u64,
    ) -> Option<&Evaluation> {
        self.evaluations.iter().find(|e| {
            e.phase == phase
                && e.generation == generation
                && e.index == index
                && e.seed == seed
                && e.values.len() == values.len()
                && e.values
                    .iter()
                    .zip(values)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
        })
    }

    fn save(&self, path: &Path) -> Result<(), CalibrationError> {
        crate::record::atomic::write_file(path, true, |w| {
            let stored = StoredCache {
                key: self.key.clone(),
                evaluations: self
                    .evaluations
                    .iter()
                    .map(StoredEvaluation::from)
                    .collect(),
            };
            serde_json::to_writer(&mut *w, &stored).map_err(io::Error::other)
        })
        .map_err(|e| CalibrationError::Cache(e.to_string()))
    }
}

/// The result of a calibration.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The built-in values, with the CMA-ES seeds.
    pub defaults: Evaluation,
    /// The declared CMA-ES start, if the declaration gives one, with the CMA-ES seeds.
    pub start: Option<Evaluation>,
    /// Every evaluation: defaults (and start), CMA-ES, ABC.
    pub history: Vec<Evaluation>,
    /// The evaluation with the lowest objective among the CMA-ES candidates and the
    /// declared start.
    pub best: Evaluation,
    /// Accepted ABC draws and their normalised weights.
    pub posterior: Vec<(Evaluation, f64)>,
    /// The ABC tolerance (objective units).
    pub tolerance: f64,
    /// Seed.
    pub seed: u64,
}

/// Runs the calibration of `problem` with `seed`, keeping finished batches in the cache
/// file `cache_path`; `stop` is asked between batches; `progress` gets (evaluations
/// done, evaluations planned).
///
/// Each batch that is not in the cache (the defaults, a CMA-ES generation, a chunk of
/// ABC draws) is one job: `run` gets its units ([`Problem::batch_units`]), runs them
/// wherever it runs runs (this machine, a Slurm job array) and gives back the finished
/// job folder; the runs are read back from it, scored, added to the cache, and the job
/// folder is removed. The outcome depends only on the runs' bytes, never on where or on
/// how many threads they ran.
///
/// # Errors
/// A failed run, an unwritable cache, or [`CalibrationError::Interrupted`]; what `run`
/// returns.
#[expect(clippy::too_many_lines, reason = "the algorithm in its order")]
pub fn calibrate<E: From<CalibrationError>>(
    problem: &Problem,
    seed: u64,
    cache_path: &Path,
    run: &mut dyn FnMut(Vec<JobUnit>) -> Result<JobFolder, E>,
    stop: &dyn Fn() -> bool,
    progress: &dyn Fn(usize, usize),
) -> Result<Outcome, E> {
    let key = format!(
        "{} seed {seed} {}",
        problem.digest,
        if problem.quick { "quick" } else { "full" }
    );
    let mut cache = Cache::open(cache_path, &key);
    let settings = &problem.spec.settings;
    let n = problem.parameters().len();
    let mut es = cmaes::Cmaes::new(
        cmaes::from_cube(
            &problem
                .parameters()
                .iter()
                .zip(problem.start_values())
                .map(|(p, v)| p.position(v))
                .collect::<Vec<_>>(),
        ),
        settings.initial_step(),
        splitmix(seed ^ 0xC3A5),
    );
    let planned = 1
        + usize::from(problem.declares_start())
        + es.lambda * settings.generations
        + settings.posterior_draws;
    let crn_seed = splitmix(seed);
    let mut history: Vec<Evaluation> = Vec::new();
    // One batch: cached evaluations are reused, the others run together as one job.
    let mut evaluate = |cache: &mut Cache,
                        history: &mut Vec<Evaluation>,
                        phase: Phase,
                        generation: usize,
                        batch: Vec<(usize, Vec<f64>, u64)>|
     -> Result<Vec<Evaluation>, E> {
        if stop() {
            return Err(CalibrationError::Interrupted(history.len()).into());
        }
        let todo: Vec<(usize, Vec<f64>, u64)> = batch
            .iter()
            .filter(|(i, v, s)| cache.find(phase, generation, *i, v, *s).is_none())
            .cloned()
            .collect();
        let mut job = None;
        let mut fresh = Vec::new().into_iter();
        if !todo.is_empty() {
            let label = match phase {
                Phase::Defaults => "defaults".to_string(),
                Phase::Cmaes => format!("gen{generation:03}"),
                Phase::Abc => "abc".to_string(),
            };
            let finished = run(problem.batch_units(&label, &todo)?)?;
            fresh = problem.read_batch(&finished, todo.len())?.into_iter();
            job = Some(finished);
        }
        let mut out = Vec::new();
        for (index, values, seed) in batch {
            let e = if let Some(e) = cache.find(phase, generation, index, &values, seed) {
                e.clone()
            } else {
                let runs = fresh.next().unwrap_or_default();
                let (predicted, residuals) = problem.score(&runs);
                let e = Evaluation {
                    phase,
                    generation,
                    index,
                    objective: objective::objective(&residuals),
                    values,
                    seed,
                    predicted,
                    residuals,
                };
                cache.evaluations.push(e.clone());
                e
            };
            history.push(e.clone());
            out.push(e);
        }
        cache.save(cache_path)?;
        // The batch is in the cache: its runs are not needed any more.
        if let Some(job) = job {
            job.discard()
                .map_err(|e| CalibrationError::Cache(e.to_string()))?;
        }
        progress(history.len(), planned);
        Ok(out)
    };
    // The built-in values, and a declared start beside them (a candidate like any other:
    // the search may find nothing better than where it started).
    let mut first = vec![(0, problem.default_values(), crn_seed)];
    if problem.declares_start() {
        first.push((1, problem.start_values(), crn_seed));
    }
    let mut first = evaluate(&mut cache, &mut history, Phase::Defaults, 0, first)?;
    let start = (first.len() > 1).then(|| first.remove(1));
    let defaults = first.remove(0);
    let to_values = |x: &[f64]| -> Vec<f64> {
        cmaes::to_cube(x)
            .iter()
            .zip(problem.parameters())
            .map(|(u, p)| p.at(*u))
            .collect()
    };
    for generation in 0..settings.generations {
        let xs = es.ask();
        let batch = xs
            .iter()
            .enumerate()
            .map(|(i, x)| (i, to_values(x), crn_seed))
            .collect();
        let evals = evaluate(&mut cache, &mut history, Phase::Cmaes, generation, batch)?;
        let f: Vec<f64> = evals.iter().map(|e| e.objective).collect();
        es.tell(&xs, &f);
    }
    let best = history
        .iter()
        .filter(|e| e.phase == Phase::Cmaes)
        .chain(&start)
        .min_by(|a, b| a.objective.total_cmp(&b.objective))
        .cloned()
        .unwrap_or_else(|| defaults.clone());
    // ABC proposal in the unit cube: centred on the best point, covariance of the final
    // CMA-ES distribution mapped into the cube, widened 2x, at least 0.02 per axis.
    let centre: Vec<f64> = problem
        .parameters()
        .iter()
        .zip(&best.values)
        .map(|(p, v)| p.position(*v))
        .collect();
    let jac: Vec<f64> = es
        .mean
        .iter()
        .map(|x| 0.5 * std::f64::consts::PI * (std::f64::consts::PI * x).sin())
        .collect();
    let mut cov = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            cov[i][j] = 4.0 * es.sigma * es.sigma * jac[i] * jac[j] * es.cov[i][j];
        }
        cov[i][i] = cov[i][i].max(0.02 * 0.02);
    }
    let chol = cholesky(&cov);
    let mut rng = CounterRng::seed_from_u64(splitmix(seed ^ 0xABC0_0000));
    let mut draws: Vec<(Vec<f64>, f64)> = Vec::new();
    for _ in 0..settings.posterior_draws {
        let mut u = centre.clone();
        for _attempt in 0..10_000 {
            let z: Vec<f64> = (0..n).map(|_| cmaes::normal(&mut rng)).collect();
            u = (0..n)
                .map(|i| centre[i] + (0..=i).map(|j| chol[i][j] * z[j]).sum::<f64>())
                .collect();
            if u.iter().all(|v| (0.0..=1.0).contains(v)) {
                break;
            }
            u = u.iter().map(|v| v.clamp(0.0, 1.0)).collect();
        }
        let density = normal_log_density(&u, &centre, &chol);
        draws.push((u, density));
    }
    let mut abc: Vec<(Evaluation, f64)> = Vec::new();
    for (chunk_index, chunk) in draws.chunks(es.lambda.max(1)).enumerate() {
        let start = chunk_index * es.lambda.max(1);
        let batch = chunk
            .iter()
            .enumerate()
            .map(|(k, (u, _))| {
                let d = start + k;
                let values = problem
                    .parameters()
                    .iter()
                    .zip(u)
                    .map(|(p, u)| p.at(*u))
                    .collect();
                (d, values, splitmix(seed ^ splitmix(0xABC1 + d as u64)))
            })
            .collect();
        let evals = evaluate(&mut cache, &mut history, Phase::Abc, 0, batch)?;
        abc.extend(evals.into_iter().zip(chunk.iter().map(|(_, d)| *d)));
    }
    let mut distances: Vec<f64> = abc.iter().map(|(e, _)| e.objective).collect();
    distances.sort_by(f64::total_cmp);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a small count"
    )]
    let k = ((settings.tolerance_quantile * distances.len() as f64).ceil() as usize)
        .clamp(1, distances.len().max(1));
    let tolerance = distances.get(k - 1).copied().unwrap_or(f64::INFINITY);
    let accepted: Vec<(Evaluation, f64)> = abc
        .into_iter()
        .filter(|(e, _)| e.objective <= tolerance)
        .collect();
    // Weight ∝ prior / proposal; the prior is uniform in the cube. Log densities are
    // shifted by their maximum before exponentiating.
    let top = accepted
        .iter()
        .map(|(_, d)| -d)
        .fold(f64::NEG_INFINITY, f64::max);
    let raw: Vec<f64> = accepted.iter().map(|(_, d)| (-d - top).exp()).collect();
    let total: f64 = raw.iter().sum();
    let posterior = accepted
        .into_iter()
        .zip(raw)
        .map(|((e, _), w)| (e, w / total))
        .collect();
    Ok(Outcome {
        defaults,
        start,
        history,
        best,
        posterior,
        tolerance,
        seed,
    })
}

/// Lower Cholesky factor of a positive-definite matrix (tiny pivots floored).
fn cholesky(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                l[i][j] = (a[i][i] - s).max(1e-12).sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    l
}

/// Log density of N(mean, L Lᵀ) at `x`, up to a constant shared by all points.
fn normal_log_density(x: &[f64], mean: &[f64], l: &[Vec<f64>]) -> f64 {
    let n = x.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (x[i] - mean[i] - s) / l[i][i];
    }
    -0.5 * y.iter().map(|v| v * v).sum::<f64>()
}

fn num(v: f64) -> String {
    format!("{v:?}")
}

/// `parameters.toml`: the best point as a parameter file with its `[about]` table.
///
/// # Errors
/// A value out of range (cannot happen inside a checked prior).
pub fn parameters_toml(
    problem: &Problem,
    outcome: &Outcome,
    command: &str,
) -> Result<String, CalibrationError> {
    let fitted: Vec<&str> = problem
        .targets
        .iter()
        .map(|t| t.observation.id.as_str())
        .collect();
    let mut about = vec![
        (
            "written_by",
            format!("vcsim calibrate {}", env!("CARGO_PKG_VERSION")),
        ),
        ("command", command.to_string()),
        ("seed", outcome.seed.to_string()),
        (
            "mode",
            if problem.quick { "quick" } else { "full" }.to_string(),
        ),
        ("inputs_digest", problem.digest.clone()),
        ("fitted_rows", fitted.join(", ")),
        ("objective_defaults", num(outcome.defaults.objective)),
    ];
    if let Some(start) = &outcome.start {
        about.push(("objective_start", num(start.objective)));
    }
    about.push(("objective_calibrated", num(outcome.best.objective)));
    let prior_keys: Vec<String> = problem
        .parameters()
        .iter()
        .map(|p| format!("prior.{}.{}", p.module, p.field))
        .collect();
    for (p, k) in problem.parameters().iter().zip(&prior_keys) {
        about.push((k.as_str(), p.prior_text()));
    }
    Ok(problem.overrides(&outcome.best.values)?.to_toml(&about))
}

/// `posterior.csv` (the format `vcsim::scenario::read_posterior` reads).
///
/// # Errors
/// A failed write.
pub fn write_posterior(
    out: &mut dyn Write,
    problem: &Problem,
    outcome: &Outcome,
) -> io::Result<()> {
    let keys: Vec<String> = problem
        .parameters()
        .iter()
        .map(FreeParameter::key)
        .collect();
    writeln!(out, "draw,weight,distance,{}", keys.join(","))?;
    for (e, w) in &outcome.posterior {
        let values: Vec<String> = e.values.iter().map(|v| num(*v)).collect();
        writeln!(
            out,
            "{},{},{},{}",
            e.index,
            num(*w),
            num(e.objective),
            values.join(",")
        )?;
    }
    Ok(())
}

/// `history.csv`: every evaluation in order.
///
/// # Errors
/// A failed write.
pub fn write_history(out: &mut dyn Write, problem: &Problem, outcome: &Outcome) -> io::Result<()> {
    let keys: Vec<String> = problem
        .parameters()
        .iter()
        .map(FreeParameter::key)
        .collect();
    writeln!(
        out,
        "phase,generation,evaluation,seed,objective,{}",
        keys.join(",")
    )?;
    for e in &outcome.history {
        let values: Vec<String> = e.values.iter().map(|v| num(*v)).collect();
        writeln!(
            out,
            "{},{},{},{},{},{}",
            e.phase.name(),
            e.generation,
            e.index,
            e.seed,
            num(e.objective),
            values.join(",")
        )?;
    }
    Ok(())
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, num)
}

/// The observed number a row is compared with, if it has one.
fn observed(t: &Target) -> Option<f64> {
    let o = &t.observation;
    match t.kind {
        objective::TargetKind::Fold => o.effect_value,
        objective::TargetKind::Value => o.value.trim().parse().ok(),
        objective::TargetKind::Incidence => quantitative::parse_approximate(&o.value),
        objective::TargetKind::Onset => quantitative::parse_days(&o.time),
        objective::TargetKind::NoChange | objective::TargetKind::Up => None,
    }
}

/// `fit.csv`: per fitted row, observed, predicted with the defaults and calibrated, and
/// both residuals.
///
/// # Errors
/// A failed write.
pub fn write_fit(out: &mut dyn Write, problem: &Problem, outcome: &Outcome) -> io::Result<()> {
    writeln!(
        out,
        "id,kind,protocol,observed,sigma_log10,predicted_defaults,predicted_calibrated,residual_defaults,residual_calibrated"
    )?;
    for (i, t) in problem.targets.iter().enumerate() {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            t.observation.id,
            t.kind.name(),
            t.protocol,
            opt(observed(t)),
            num(t.sigma),
            opt(outcome.defaults.predicted[i]),
            opt(outcome.best.predicted[i]),
            num(outcome.defaults.residuals[i]),
            num(outcome.best.residuals[i]),
        )?;
    }
    Ok(())
}

/// `evaluation.csv` of `vcsim calibrate --evaluate`: one line per seed and fitted row
/// (its prediction and residual), with the seed's objective.
///
/// # Errors
/// A failed write.
pub fn write_evaluation_csv(
    out: &mut dyn Write,
    problem: &Problem,
    scores: &[SeedScore],
) -> io::Result<()> {
    writeln!(
        out,
        "seed_set,seed,objective,id,kind,protocol,observed,sigma_log10,predicted,residual"
    )?;
    for (k, score) in scores.iter().enumerate() {
        for (i, t) in problem.targets.iter().enumerate() {
            writeln!(
                out,
                "{k},{},{},{},{},{},{},{},{},{}",
                score.seed,
                num(score.objective),
                t.observation.id,
                t.kind.name(),
                t.protocol,
                opt(observed(t)),
                num(t.sigma),
                opt(score.predicted[i]),
                num(score.residuals[i]),
            )?;
        }
    }
    Ok(())
}

/// Mean, sample standard deviation, least and greatest of `v` (NaN when empty).
#[must_use]
pub fn spread(v: &[f64]) -> (f64, f64, f64, f64) {
    #[expect(clippy::cast_precision_loss, reason = "a small count")]
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = if v.len() > 1 {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if v.is_empty() {
        (f64::NAN, f64::NAN, f64::NAN, f64::NAN)
    } else {
        (mean, sd, lo, hi)
    }
}

/// `evaluation.md` of `vcsim calibrate --evaluate`: the objective of fixed values at
/// each fresh seed, its spread, and each row's predictions and share of it.
///
/// # Errors
/// A failed write.
pub fn write_evaluation_markdown(
    out: &mut dyn Write,
    problem: &Problem,
    scores: &[SeedScore],
    parameters_file: &str,
    command: &str,
) -> io::Result<()> {
    let objectives: Vec<f64> = scores.iter().map(|s| s.objective).collect();
    let (mean, sd, lo, hi) = spread(&objectives);
    writeln!(
        out,
        "# Objective of fixed parameter values at fresh seeds\n"
    )?;
    writeln!(
        out,
        "Command: `{command}`. Values: `{parameters_file}` laid over the shipped ones. Inputs \
         digest `{}`; {} fitted rows ({} mode), {} seed sets, each running every protocol's \
         replicates with base seeds no fit or ABC draw uses.\n",
        problem.inputs_digest(),
        problem.targets.len(),
        if problem.quick { "quick" } else { "full" },
        scores.len()
    )?;
    writeln!(
        out,
        "Objective (sum of squared residuals in σ units): mean {mean:.3}, sd {sd:.3}, \
         least {lo:.3}, greatest {hi:.3}. A fit's reported objective is the least of many \
         evaluations at its own seeds, so it is expected to lie below this mean.\n"
    )?;
    writeln!(out, "| seed set | seed | objective |\n|---|---|---|")?;
    for (k, s) in scores.iter().enumerate() {
        writeln!(out, "| {k} | {} | {:.3} |", s.seed, s.objective)?;
    }
    writeln!(
        out,
        "\n| row | scored as | observed | predicted (least to greatest) | mean squared residual |\n|---|---|---|---|---|"
    )?;
    for (i, t) in problem.targets.iter().enumerate() {
        let predicted: Vec<f64> = scores.iter().filter_map(|s| s.predicted[i]).collect();
        let range = if predicted.is_empty() {
            "–".to_string()
        } else {
            let (_, _, lo, hi) = spread(&predicted);
            format!(
                "{lo:.4} to {hi:.4} ({} of {})",
                predicted.len(),
                scores.len()
            )
        };
        let squares: Vec<f64> = scores.iter().map(|s| s.residuals[i].powi(2)).collect();
        writeln!(
            out,
            "| {} | {} | {} | {range} | {:.2} |",
            t.observation.id,
            t.kind.name(),
            observed(t).map_or("–".to_string(), |v| format!("{v:.3}")),
            spread(&squares).0
        )?;
    }
    Ok(())
}

/// `calibration.md`: what was fitted to what, the best point and the posterior.
///
/// # Errors
/// A failed write.
pub fn write_markdown(
    out: &mut dyn Write,
    problem: &Problem,
    outcome: &Outcome,
    command: &str,
) -> io::Result<()> {
    let s = &problem.spec.settings;
    writeln!(out, "# Calibration\n")?;
    writeln!(
        out,
        "Command: `{command}` ({} mode, seed {}). Inputs digest `{}`.\n",
        if problem.quick { "quick" } else { "full" },
        outcome.seed,
        problem.digest
    )?;
    writeln!(
        out,
        "Fitted to {} calibration rows (no held-out row is read). CMA-ES: {} generations, \
         population {}, {} paired replicates per arm with common seeds; ABC: {} draws with \
         fresh seeds, tolerance = the {} quantile of their objectives ({:.3}), {} draws \
         accepted.\n",
        problem.targets.len(),
        s.generations,
        outcome
            .history
            .iter()
            .filter(|e| e.phase == Phase::Cmaes && e.generation == 0)
            .count(),
        s.replicates,
        s.posterior_draws,
        s.tolerance_quantile,
        outcome.tolerance,
        outcome.posterior.len()
    )?;
    match &outcome.start {
        Some(start) => writeln!(
            out,
            "CMA-ES starts at the declaration's `start` values (step {} in the unit cube of \
             the priors), evaluated beside the built-in values. Objective (sum of squared \
             residuals in σ units): defaults {:.3}, start {:.3}, calibrated {:.3}.\n",
            s.initial_step(),
            outcome.defaults.objective,
            start.objective,
            outcome.best.objective
        )?,
        None => writeln!(
            out,
            "CMA-ES starts at the built-in values (step {} in the unit cube of the priors). \
             Objective (sum of squared residuals in σ units): defaults {:.3}, calibrated \
             {:.3}.\n",
            s.initial_step(),
            outcome.defaults.objective,
            outcome.best.objective
        )?,
    }
    writeln!(out, "## Parameters\n")?;
    writeln!(
        out,
        "| parameter | prior | default | calibrated | posterior mean | posterior 5-95% |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for (i, p) in problem.parameters().iter().enumerate() {
        let mut pairs: Vec<(f64, f64)> = outcome
            .posterior
            .iter()
            .map(|(e, w)| (e.values[i], *w))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mean: f64 = pairs.iter().map(|(v, w)| v * w).sum();
        let quantile = |q: f64| {
            let mut acc = 0.0;
            for (v, w) in &pairs {
                acc += w;
                if acc >= q {
                    return *v;
                }
            }
            pairs.last().map_or(f64::NAN, |p| p.0)
        };
        writeln!(
            out,
            "| `{}` | {} | {:.4e} | {:.4e} | {:.4e} | {:.3e} to {:.3e} |",
            p.key(),
            p.prior_text(),
            outcome.defaults.values[i],
            outcome.best.values[i],
            mean,
            quantile(0.05),
            quantile(0.95)
        )?;
    }
    writeln!(out, "\n## Rows\n")?;
    writeln!(
        out,
        "| row | scored as | observed | σ (log10) | predicted (defaults) | predicted (calibrated) | residual (defaults) | residual (calibrated) |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"));
    for (i, t) in problem.targets.iter().enumerate() {
        writeln!(
            out,
            "| {} | {} | {} | {:.2} | {} | {} | {:.2} | {:.2} |",
            t.observation.id,
            t.kind.name(),
            show(observed(t)),
            t.sigma,
            show(outcome.defaults.predicted[i]),
            show(outcome.best.predicted[i]),
            outcome.defaults.residuals[i],
            outcome.best.residuals[i]
        )?;
    }
    Ok(())
}
