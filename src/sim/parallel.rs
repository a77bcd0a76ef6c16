//! The engine's worker threads: how the per-cell systems run in parallel.
//!
//! Every [`crate::sim::Simulation`] owns its thread setting ([`Threads`]): serial in the
//! calling thread, or a rayon pool of its own on which every step runs
//! (`pool.install`). Nothing about threads is global to the process, so simulations
//! with different settings can run side by side (as the determinism test does).
//!
//! The schedule itself is chained on bevy's single-threaded executor; parallelism is
//! inside the per-cell systems, which take their components as contiguous table slices
//! (`Query::contiguous_iter_mut`) and hand them to [`Parallelism::for_each_chunk`], the
//! same shape as a struct-of-arrays loop:
//!
//! ```text
//! for (ids, mut states) in cells.contiguous_iter_mut()? {        // one table, usually
//!     let states = states.bypass_change_detection();
//!     parallelism.for_each_chunk(
//!         (ids, states),
//!         |(ids, states)| (ids.par_chunks(n), states.par_chunks_mut(n)).into_par_iter(),
//!         |(ids, states)| { /* plain loop over one chunk */ },
//!     );
//! }
//! ```
//!
//! Rayon rather than bevy's `ComputeTaskPool`: a step of a cheap model is two or three
//! parallel passes of a fraction of a millisecond, and bevy's pool puts its workers to
//! sleep between passes (waking one costs tens of microseconds), while rayon's workers
//! spin briefly first and split work by stealing. A whole step runs on one of the pool's
//! workers, so the passes inside it are worker-local joins.
//!
//! Every chunk writes only its own cells, and no system reduces in parallel, so the
//! outcome does not depend on the thread count or on how rayon splits the work.

use bevy_ecs::resource::Resource;
use rayon::iter::{IndexedParallelIterator, ParallelIterator};

/// How many threads a simulation (or the reference workload) uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threads {
    /// Everything in the calling thread; rayon is not touched (as `vcsim compare` and
    /// `vcsim validate` want, which run many simulations side by side on their own pool).
    Serial,
    /// A rayon pool of this many workers, owned by the simulation; every step runs on it.
    Pool(usize),
}

impl Threads {
    /// [`Threads::Serial`] for one thread (or none), a pool of `count` workers otherwise.
    #[must_use]
    pub const fn from_count(count: usize) -> Self {
        if count <= 1 {
            Self::Serial
        } else {
            Self::Pool(count)
        }
    }

    /// One worker per core.
    #[must_use]
    pub fn all_cores() -> Self {
        Self::from_count(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
    }

    /// Number of threads doing the work (1 when serial).
    #[must_use]
    pub const fn count(self) -> usize {
        match self {
            Self::Serial => 1,
            Self::Pool(n) => n,
        }
    }

    /// How the per-cell passes run under this setting.
    #[must_use]
    pub const fn parallelism(self) -> Parallelism {
        match self {
            Self::Pool(n) if n > 1 => Parallelism::Parallel,
            _ => Parallelism::Serial,
        }
    }

    /// The pool for this setting (none when serial).
    ///
    /// # Errors
    /// The operating system refused to start the threads.
    pub fn build_pool(self) -> Result<Option<rayon::ThreadPool>, rayon::ThreadPoolBuildError> {
        match self {
            Self::Serial => Ok(None),
            Self::Pool(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .thread_name(|i| format!("vcsim-cells-{i}"))
                .build()
                .map(Some),
        }
    }
}

/// Runs `work` on `pool` (in the calling thread without one).
pub fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Whether the per-cell passes of a world split their work over the pool's workers; a
/// resource of the world, set from its [`Threads`].
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parallelism {
    /// One pass over whole slices in the calling thread.
    Serial,
    /// Chunks as rayon tasks on the current pool.
    Parallel,
}

impl Parallelism {
    /// Runs `work` over `slices`: in parallel, on every chunk of `split(slices)`, each
    /// chunk its own task; serially, once on the whole slices (without touching rayon).
    ///
    /// In parallel every chunk is a task of its own. Rayon otherwise cuts a pass into
    /// about twice as many pieces as threads; a thread that finishes its pieces first
    /// then waits for the other's last piece (a quarter of the pass), long enough to fall
    /// asleep, and the next pass pays for waking it. With a task per chunk the wait is at
    /// most one chunk.
    pub fn for_each_chunk<C, I>(
        self,
        slices: C,
        split: impl FnOnce(C) -> I,
        work: impl Fn(C) + Sync + Send,
    ) where
        C: Send,
        I: IndexedParallelIterator<Item = C>,
    {
        match self {
            Self::Parallel => split(slices).with_min_len(1).with_max_len(1).for_each(work),
            Self::Serial => work(slices),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn chunks_cover_every_item_once_in_either_mode() {
        for threads in [Threads::Serial, Threads::Pool(2)] {
            let mut values = vec![0_u32; 10_000];
            let pool = threads.build_pool().expect("threads start");
            on_pool(pool.as_ref(), || {
                threads.parallelism().for_each_chunk(
                    &mut values[..],
                    |values| values.par_chunks_mut(97),
                    |chunk| {
                        for v in chunk {
                            *v += 1;
                        }
                    },
                );
            });
            assert!(values.iter().all(|&v| v == 1), "{threads:?}");
        }
    }
}
