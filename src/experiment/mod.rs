//! In-silico experiments: arms of treatments from the catalog
//! ([`treatment`](crate::treatment)) on a base scenario, with replicates and statistics.

pub mod compare;
pub mod design;
pub mod posterior;
pub mod sensitivity;
pub mod sweep;
