//! vcsim's integration tests, in one binary (one build, one link): each module is one
//! area; helpers shared between them live in `common`.
//!
//! Run one area with a filter, e.g. `cargo test --release --test it golden::`.

mod bad_inputs;
mod calibration;
mod cells;
mod checkpoint;
mod chemistry;
mod cli;
mod cli_run;
mod common;
mod determinism;
mod docs;
mod evidence;
mod experiment;
mod faults;
mod fuzz;
mod golden;
mod integrator_accuracy;
mod model_behaviour;
mod model_properties;
mod model_reference;
mod population;
mod posterior;
mod readme;
mod render;
mod render_dose;
mod render_experiment;
mod render_figures;
mod render_validation;
mod robustness;
mod schedules;
mod sensitivity;
mod slurm;
mod spatial;
mod sweep;
mod treatments;
mod validation;
