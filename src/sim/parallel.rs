//! The engine's worker threads: how the per-cell systems run in parallel.
//!
//! The schedule itself is chained on bevy's single-threaded executor; parallelism is
//! inside the per-cell systems, which take their components as contiguous table slices
//! (`Query::contiguous_iter_mut`) and cut them into chunks on a rayon pool, the same
//! shape as a struct-of-arrays loop:
//!
//! ```text
//! for (ids, mut states) in cells.contiguous_iter_mut()? {        // one table, usually
//!     let states = states.bypass_change_detection();
//!     serial_or_parallel((ids.par_chunks(n), states.par_chunks_mut(n)).into_par_iter())
//!         .for_each(|(ids, states)| { /* plain loop over one chunk */ });
//! }
//! ```
//!
//! Rayon rather than bevy's `ComputeTaskPool`: a step of a cheap model is two or three
//! parallel passes of a fraction of a millisecond, and bevy's pool puts its workers to
//! sleep between passes (waking one costs tens of microseconds), while rayon's workers
//! spin briefly first and split work by stealing. [`on_workers`] runs a whole step (or
//! run) on a worker, so the passes inside it are worker-local joins.
//!
//! Every chunk writes only its own cells, and no system reduces in parallel, so the
//! outcome does not depend on the thread count or on how rayon splits the work.

use rayon::iter::IndexedParallelIterator;
use std::sync::OnceLock;

/// Worker threads for the per-cell systems in this process, set once.
static CELL_THREADS: OnceLock<usize> = OnceLock::new();

/// Sets the number of worker threads for the per-cell systems. The setting is global to
/// the process: the first call wins. With one thread the systems run in the calling
/// thread (as `vcsim compare` and `vcsim validate` want, which run many simulations side
/// by side on their own pool); with more, rayon's global pool gets that many workers.
pub fn init_threads(threads: usize) {
    let threads = threads.max(1);
    if CELL_THREADS.set(threads).is_ok() {
        // Fails only if the global pool already exists (someone else built it): the
        // systems then use that pool, which is still correct, only sized differently.
        // With one thread the systems never split their work, but a rayon iterator still
        // asks for the global pool when it starts: it gets one idle worker, not one per
        // core.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("vcsim-cells-{i}"))
            .build_global();
    }
}

/// Worker threads the per-cell systems use (1 = serial in the calling thread).
#[must_use]
pub fn threads() -> usize {
    match CELL_THREADS.get() {
        Some(1) => 1,
        Some(_) => rayon::current_num_threads(),
        None => 1,
    }
}

/// Whether the per-cell systems split their work over threads.
#[must_use]
pub fn is_parallel() -> bool {
    CELL_THREADS.get().is_some_and(|&threads| threads > 1)
}

/// The iterator as it should run here: split over the pool's workers when the engine is
/// parallel, in the calling thread otherwise (a rayon iterator that may not split never
/// leaves its thread, though it sizes itself on the current pool).
///
/// In parallel every chunk is a task of its own. Rayon otherwise cuts a pass into about
/// twice as many pieces as threads; a thread that finishes its pieces first then waits
/// for the other's last piece (a quarter of the pass), long enough to fall asleep, and
/// the next pass pays for waking it. With a task per chunk the wait is at most one chunk.
pub fn serial_or_parallel<I: IndexedParallelIterator>(
    chunks: I,
) -> rayon::iter::MaxLen<rayon::iter::MinLen<I>> {
    if is_parallel() {
        chunks.with_min_len(1).with_max_len(1)
    } else {
        chunks.with_min_len(usize::MAX).with_max_len(usize::MAX)
    }
}

/// Runs `work` on one of the pool's workers (in this thread if it is one already, or if
/// the engine is serial), so that the parallel passes inside it fork and join between
/// workers instead of waking the pool from outside each time.
pub fn on_workers<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    if !is_parallel() || rayon::current_thread_index().is_some() {
        work()
    } else {
        rayon::scope(|_| work())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn chunks_cover_every_item_once_in_either_mode() {
        let mut values = vec![0_u32; 10_000];
        on_workers(|| {
            serial_or_parallel(values.par_chunks_mut(97)).for_each(|chunk| {
                for v in chunk {
                    *v += 1;
                }
            });
        });
        assert!(values.iter().all(|&v| v == 1));
    }
}
