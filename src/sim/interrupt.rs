//! A request to stop: set by the program's SIGINT/SIGTERM handler, read by every running
//! [`Simulation`](super::Simulation) between two coupling steps, which then ends with
//! [`SimError::Interrupted`](super::SimError::Interrupted). One flag per process: a
//! signal stops every simulation of the process (the runs side by side of `compare`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

static REQUESTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));

/// The flag itself, for a signal handler to set (e.g. `signal_hook::flag::register`).
#[must_use]
pub fn flag() -> Arc<AtomicBool> {
    Arc::clone(&REQUESTED)
}

/// Asks every running simulation of this process to stop at its next step.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Whether a stop was requested.
#[must_use]
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
