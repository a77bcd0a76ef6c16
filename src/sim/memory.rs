//! The memory a run needs, estimated from the scenario before anything is allocated, so
//! that a geometry too large for the machine is refused with a message instead of an
//! abort in the middle of allocating (issue 12 item 4).
//!
//! The figures are the sizes of the structures a run holds (`size_of` of the components
//! of one cell and of the per-site arrays of the wall), not a measured constant, so they
//! follow the code. What they leave out (allocator and capacity slack) is covered by a
//! test against the peak resident memory of a real run (`tests/it/faults.rs`).

use super::components::{CellId, Integration, PendingFateEvent, Sensed, Susceptibility, WallSite};
use super::resources::{Occupant, SiteSnapshot};
use crate::model::cell::{ApoptosisState, AutophagyState};
use crate::model::fate::{Fate, FateEvent, Released};
use crate::model::mineral::SiteMineral;
use crate::model::osteogenic::OsteogenicState;
use crate::model::upr_core::UprCoreState;
use crate::record::{TimeseriesRow, WallRow};
use crate::scenario::{Geometry, Scenario};
use bevy_ecs::entity::{Entity, EntityLocation};
use std::mem::size_of;

/// [bytes] What the program takes before the wall: code, the allocator's arenas, the
/// worker threads' stacks and the figures' fonts and canvases (measured: a 2 × 2-site
/// run peaks at 7 MiB without figures and 28 MiB with them; 32 MiB covers both).
pub const PROGRAM_BYTES: u64 = 32 << 20;

/// How much memory a run needs, by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Sites of the lattice (cell layers, lamellae and adventitia).
    pub sites: u64,
    /// Sites that can hold a cell: the most cells the run can have (a division fills an
    /// empty site, never a taken one).
    pub cell_sites: u64,
    /// [bytes] One cell: its components in the ECS table with their change ticks, its
    /// entity records, and its share of the per-step work lists.
    pub per_cell_bytes: u64,
    /// [bytes] One site: mineral, occupant, fluid and the per-step and snapshot arrays.
    pub per_site_bytes: u64,
    /// [bytes] The recorded time series, held until the end of the run.
    pub timeseries_bytes: u64,
    /// [bytes] The whole run, [`PROGRAM_BYTES`] included.
    pub total_bytes: u64,
}

/// [bytes] One cell in the ECS: the twelve components spawned per cell, two change ticks
/// (added, changed) of 4 bytes per component, the entity in its table and archetype, and
/// the entity's location record.
const fn ecs_cell_bytes() -> usize {
    let components = size_of::<CellId>()
        + size_of::<WallSite>()
        + size_of::<UprCoreState>()
        + size_of::<AutophagyState>()
        + size_of::<ApoptosisState>()
        + size_of::<OsteogenicState>()
        + size_of::<Integration>()
        + size_of::<Sensed>()
        + size_of::<Fate>()
        + size_of::<Released>()
        + size_of::<PendingFateEvent>()
        + size_of::<Susceptibility>();
    let change_ticks = 12 * 2 * 4;
    // The table's entity column, the archetype's (entity, row) list, and the entity's
    // metadata (generation, location, spawn tick).
    let entity_records = size_of::<Entity>()
        + (size_of::<Entity>() + 4)
        + (4 + size_of::<Option<EntityLocation>>() + 8);
    components + change_ticks + entity_records
}

/// [bytes] One cell's entries in the work lists built during a step: the turnover list
/// (entity, id, site, fate, pending event) and the recorder's per-cell percentile columns
/// (three values).
const fn work_list_cell_bytes() -> usize {
    size_of::<(Entity, u64, usize, Fate, Option<FateEvent>)>() + 3 * size_of::<f64>()
}

/// [bytes] One site: its mineral, occupant and living-cell flag; the PPi of its fluid (in
/// a vessel); its paracrine BMP-2 and the secretion gathered for it; the extracellular
/// update's per-site arrays (eleven values besides the gathered BMP-2, and a flag); the
/// recorder's site order (site, entity); and the site's entry in a wall snapshot, held
/// while it is written.
const fn site_bytes(vessel: bool) -> usize {
    let fluid = if vessel { size_of::<f64>() } else { 0 };
    size_of::<SiteMineral>()
        + size_of::<Occupant>()
        + size_of::<bool>()
        + fluid
        + 2 * size_of::<f64>()
        + 11 * size_of::<f64>()
        + size_of::<bool>()
        + size_of::<(usize, Entity)>()
        + size_of::<SiteSnapshot>()
}

/// Estimates the memory a run of `scenario` needs, before building it.
#[must_use]
pub fn estimate(scenario: &Scenario) -> MemoryEstimate {
    let geometry = &scenario.geometry;
    let vessel = matches!(geometry, Geometry::Vessel { .. });
    let sites = super::lattice_for(geometry).len() as u64;
    let cell_sites = geometry.cell_sites() as u64;
    let per_cell_bytes = (ecs_cell_bytes() + work_list_cell_bytes()) as u64;
    let per_site_bytes = site_bytes(vessel) as u64;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive, validated duration over a positive interval"
    )]
    let rows = (scenario.time.duration_min / scenario.record.every_min).floor() as u64 + 1;
    let timeseries_bytes = rows.saturating_mul(size_of::<TimeseriesRow>() as u64);
    let total_bytes = PROGRAM_BYTES
        .saturating_add(cell_sites.saturating_mul(per_cell_bytes))
        .saturating_add(sites.saturating_mul(per_site_bytes))
        .saturating_add(timeseries_bytes);
    MemoryEstimate {
        sites,
        cell_sites,
        per_cell_bytes,
        per_site_bytes,
        timeseries_bytes,
        total_bytes,
    }
}

/// [bytes] What one finished run of an experiment holds until the experiment's results
/// are written: its time series and every wall snapshot as `wall.csv` rows.
#[must_use]
pub fn held_after_run_bytes(scenario: &Scenario) -> u64 {
    let run = estimate(scenario);
    let snapshot_rows = run
        .sites
        .saturating_mul(scenario.record.snapshots_min.len() as u64);
    run.timeseries_bytes
        .saturating_add(snapshot_rows.saturating_mul(size_of::<WallRow>() as u64))
}

/// [bytes] The memory of runs side by side (`compare`, `validate`): at most `threads`
/// runs at a time, each needing its [`estimate`] without [`PROGRAM_BYTES`] (the largest
/// for all of them), and every finished run held until the end
/// ([`held_after_run_bytes`]).
#[must_use]
pub fn estimate_runs<'a>(runs: impl IntoIterator<Item = &'a Scenario>, threads: usize) -> u64 {
    side_by_side(runs, threads, held_after_run_bytes)
}

/// [bytes] `threads` runs at a time (the largest of `runs` each) plus what `held` says
/// each run keeps after it finished.
fn side_by_side<'a>(
    runs: impl IntoIterator<Item = &'a Scenario>,
    threads: usize,
    held: impl Fn(&Scenario) -> u64,
) -> u64 {
    let mut count = 0_u64;
    let mut largest = 0_u64;
    let mut kept = 0_u64;
    for scenario in runs {
        count += 1;
        largest = largest.max(estimate(scenario).total_bytes - PROGRAM_BYTES);
        kept = kept.saturating_add(held(scenario));
    }
    PROGRAM_BYTES
        .saturating_add(count.min(threads as u64).saturating_mul(largest))
        .saturating_add(kept)
}

/// [bytes] The memory of a job of run units (`compare`): at most `threads` runs at a time,
/// each written to disk when it finishes and dropped, so only the time series of every run
/// is held (read back for the summary).
#[must_use]
pub fn estimate_unit_runs<'a>(runs: impl IntoIterator<Item = &'a Scenario>, threads: usize) -> u64 {
    side_by_side(runs, threads, |scenario| {
        estimate(scenario).timeseries_bytes
    })
}

/// [bytes] The memory the operating system can give without swapping (`MemAvailable` of
/// `/proc/meminfo`), or `None` where that is not known (not Linux, or unreadable).
#[must_use]
pub fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    parse_mem_available(&meminfo)
}

/// `MemAvailable:   123456 kB` → bytes.
fn parse_mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let mut fields = line.split_whitespace().skip(1);
    let value: u64 = fields.next()?.parse().ok()?;
    match fields.next() {
        Some("kB") | None => value.checked_mul(1024),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(geometry: &str) -> Scenario {
        let text = format!(
            "[meta]\nname = \"m\"\ndescription = \"memory\"\n[geometry]\n{geometry}\n[time]\nduration_days = 1\n"
        );
        Scenario::from_toml(&text, "m.toml").expect("valid")
    }

    #[test]
    fn the_estimate_grows_with_the_cells_and_counts_every_site() {
        let small = estimate(&scenario(
            "mode = \"in_vitro\"\naxial_sites = 10\ncircumferential_sites = 10",
        ));
        let large = estimate(&scenario(
            "mode = \"in_vitro\"\naxial_sites = 100\ncircumferential_sites = 100",
        ));
        assert_eq!((small.sites, small.cell_sites), (100, 100));
        assert_eq!(large.cell_sites, 10_000);
        assert_eq!(
            large.total_bytes - small.total_bytes,
            9_900 * (large.per_cell_bytes + large.per_site_bytes)
        );
        // A cell's state is 22 numbers and more: hundreds of bytes, not tens or megabytes.
        assert!((300..2_000).contains(&large.per_cell_bytes), "{large:?}");
        let vessel = estimate(&scenario(
            "mode = \"vessel\"\naxial_sites = 10\ncircumferential_sites = 10\nmedia_layers = 2\nadventitia_layers = 1",
        ));
        assert_eq!((vessel.sites, vessel.cell_sites), (300, 200));
        assert!(vessel.per_site_bytes > small.per_site_bytes);
    }

    #[test]
    fn mem_available_is_read_in_kib() {
        let meminfo = "MemTotal:       16000000 kB\nMemAvailable:    2048 kB\n";
        assert_eq!(parse_mem_available(meminfo), Some(2048 * 1024));
        assert_eq!(parse_mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(parse_mem_available("MemAvailable: x kB\n"), None);
    }
}
