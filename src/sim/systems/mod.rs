//! The systems of one coupling step, in schedule order.

pub mod cells;
pub mod extracellular;
pub mod record;
pub mod turnover;
