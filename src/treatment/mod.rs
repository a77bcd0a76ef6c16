//! Treatments: the catalog of inducers and interventions, what each does to the model,
//! and the exposure schedule of a run (which treatments act when, and the medium or
//! plasma composition over time).
//!
//! This layer sits between `model` and `scenario`: it
//! imports only `units`, `references` and `model`. A validated scenario holds its
//! treatments resolved ([`Treatment::entry`] is a `&'static` [`Entry`]), so nothing
//! downstream looks an entry up by id again.

pub mod catalog;
pub mod schedule;

pub use catalog::{CATALOG, Entry, find};
pub use schedule::{Treatment, TreatmentSchedule};
