//! In-silico experiments: the catalog of the review's inducers and interventions (and,
//! next, arms with replicates and statistics).

pub mod catalog;
pub mod compare;
pub mod design;
