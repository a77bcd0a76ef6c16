//! # vcsim: ER stress and vascular calcification in silico
//!
//! vcsim simulates vascular smooth muscle cells (VSMCs) whose endoplasmic-reticulum (ER)
//! stress drives calcification through the unfolded protein response (UPR).
//!
//! ## Architecture (dependency arrows point down only)
//!
//! ```text
//! cli/      clap commands; the only place that prints or exits
//! model/    pure biology: UPR core, VSMC extensions, numerics; no ECS, no I/O
//! units, references   canonical units; the literature parameters cite
//! ```
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

pub mod cli;
pub mod experiment;
pub mod model;
pub mod record;
pub mod references;
pub mod render;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod units;
pub mod validation;
pub mod workload;
