//! # vcsim: ER stress and vascular calcification in silico
//!
//! vcsim simulates vascular smooth muscle cells (VSMCs) whose endoplasmic-reticulum (ER)
//! stress drives calcification through the unfolded protein response (UPR).
//!
//! ## Architecture (dependency arrows point down only)
//!
//! ```text
//! the vcsim binary   src/main.rs + src/cli/: clap commands, the only place that prints or
//!                    exits (feature `cli`: clap, indicatif, anyhow; not in the library)
//! render/            figures (PNG, SVG, GIF) of run, experiment and claims-report folders
//! validation/        the claims report: runs experiments and checks the review's claims
//! experiment/        arms x replicates, paired statistics
//! jobs/              run units with content keys, resumable job folders
//! sim/               the population as a bevy ECS world: wall, fluid, mineral, turnover,
//!                    keyed random streams, the engine's worker threads
//! record/            output schema and writers: time series, wall snapshots, parameters,
//!                    citations
//! scenario/          raw TOML -> validated, closed Scenario (changes go through the raw
//!                    file and the validator again)
//! treatment/         catalog of inducers and interventions, their effects, the exposure
//!                    schedule; resolved entries as &'static Entry
//! model/             pure biology: UPR core, VSMC extensions, medium, numerics; no ECS,
//!                    no I/O
//! units, references, canonical units; the literature the parameters cite; means,
//! stats, random,     confidence intervals and paired tests; the counter-based random
//! sensitivity,       generator; sensitivity designs and estimators (Sobol, Morris);
//! evidence           published measurements (data/) and their calibration/held-out split
//! ```
//!
//! Each layer uses only the layers below it, and no two files import each other;
//! `.ci/layers.py` checks both in CI. The reference workload and the bench harness are not
//! part of the library: they are the workspace member `crates/vcsim-bench`.
//!
//! ## Data flow for one cell and one step
//!
//! surroundings ([`model::surroundings::Surroundings`]) → exposure
//! ([`model::cell::CellModel::exposure`]) → derivative of the 22 states
//! ([`model::cell::CellModel::rates`]) → RK4 step with stability guard
//! ([`model::integrate::advance`]) → readouts ([`model::cell::CellModel::readout`]).
//!
//! ```
//! use vcsim::model::cell::{CellModel, CellParams, ModelVariant};
//! use vcsim::model::integrate::Integrator;
//! use vcsim::model::surroundings::Surroundings;
//! use vcsim::model::trajectory::{simulate, Constant};
//! use vcsim::units::HOUR;
//!
//! let model = CellModel::new(CellParams::default(), &[], ModelVariant::PublishedCore);
//! let stress = Constant(Surroundings::with_er_stress(2.0));
//! let course = simulate(&model, &stress, 12.0 * HOUR, HOUR, &Integrator::ADAPTIVE)?;
//! let chop_at_12h = course.last().unwrap().state.upr.chop_protein;
//! assert!((chop_at_12h - 19.07).abs() < 0.1); // Diedrichs 2018, S = 2 (2.5 nM thapsigargin)
//! # Ok::<(), vcsim::model::integrate::NonFiniteState>(())
//! ```

pub mod calibration;
pub mod evidence;
pub mod experiment;
pub mod jobs;
pub mod model;
pub mod random;
pub mod record;
pub mod references;
pub mod render;
pub mod scenario;
pub mod sensitivity;
pub mod sim;
pub mod stats;
pub mod treatment;
pub mod units;
pub mod validation;
