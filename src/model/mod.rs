//! The biology of one vascular smooth muscle cell, as pure functions: no ECS, no I/O, no
//! random numbers.
//!
//! - [`upr_core`]: the published UPR model of Diedrichs et al. 2018 (11 states).
//! - [`stress_input`]: inducers in the surroundings → ER load, ROS, NF-κB.
//! - [`mtorc1`]: mTORC1 and Sestrin1/3.
//! - [`autophagy`]: autophagy flux and ER-phagy.
//! - [`jnk_caspase12`]: the JNK and caspase-12 death routes.
//! - [`osteogenic`]: Runx2, ALP, PiT, BMP-2, α-SMA; osteogenic index.
//! - [`apoptosis`]: Bcl-2 and the hazard of apoptosis.
//! - [`cell`]: the 22-state cell assembled from the modules.
//! - [`fate`]: phenotype labels, apoptosis, division, vesicles; [`heterogeneity`]: the
//!   per-cell multipliers that make a population respond in fractions.
//! - [`integrate`], [`trajectory`]: numerics and single-cell time courses.
//! - [`surroundings`]: what a cell reads from its voxel and the exposure.
//! - [`elastin`]: degradation of the elastic lamellae by modulated VSMCs and the
//!   nucleation template it exposes.
//! - [`medium`]: the culture medium or plasma: its solutes, glucose and signals.
//! - [`paracrine`]: BMP-2 shared between neighbouring cells.
//! - [`sbml`]: the cell model as SBML Level 3 (`vcsim export-sbml`).
//! - [`species`]: the species the cells come from (their cell cycle).
//! - [`parameters`]: parameter tables with units, sources and allowed ranges;
//!   [`parameter_set`]: all of them, for overrides by module and field.

pub mod apoptosis;
pub mod autophagy;
pub mod cell;
pub mod elastin;
pub mod fate;
pub mod heterogeneity;
pub mod integrate;
pub mod jnk_caspase12;
pub mod medium;
pub mod mineral;
pub mod mtorc1;
pub mod osteogenic;
pub mod paracrine;
pub mod parameter_set;
pub mod parameters;
pub mod sbml;
pub mod species;
pub mod stress_input;
pub mod surroundings;
pub mod trajectory;
pub mod transport;
pub mod upr_core;

/// [min] The coupling step of the population model: fates, extracellular chemistry and
/// mineral advance every hour (`docs/model.md` §5.5); a treatment window acts from the first
/// step that starts in it.
pub const COUPLING_STEP_MIN: f64 = crate::units::HOUR;
