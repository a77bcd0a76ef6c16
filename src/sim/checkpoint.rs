//! Checkpoints of a running simulation: the whole state that changes while it runs,
//! captured between two coupling steps ([`SimState`]) and put back into a world built from
//! the same scenario ([`super::Simulation::resume`]), so that the resumed run goes on
//! exactly as the uninterrupted one would have.
//!
//! What is saved is listed once, explicitly: every component of a cell ([`CellRecord`])
//! and every resource that changes during a run ([`SimState`]). The resources that are a
//! function of the scenario and the thread count (seed, model, exposure, parallelism)
//! are rebuilt from them instead ([`REBUILT`]). Forgetting something new is caught when
//! a checkpoint is taken, not by a silently different resumed run: a cell that carries a
//! component the record does not list, or a resource in neither list, makes
//! [`SimState::capture`] fail and names it (the unit tests take a checkpoint of a
//! running world, so such a change fails them). The random streams are keyed by
//! (seed, cell, step, purpose) and hold no state, so nothing else is needed.
//!
//! Cells are saved in the order the world iterates them (its table order) and spawned
//! again in that order, so that every query of the resumed world visits them in the
//! same order.

use crate::model::cell::{ApoptosisState, AutophagyState};
use crate::model::fate::{Fate, Released};
use crate::model::osteogenic::OsteogenicState;
use crate::model::upr_core::UprCoreState;
use crate::record::{Column, TimeseriesRow};
use crate::sim::components::{
    CellId, Integration, PendingFateEvent, Sensed, Susceptibility, WallSite,
};
use crate::sim::parallel::Parallelism;
use crate::sim::resources::{
    Exposure, Failure, IntegrationWork, Model, NextCellId, Recorder, RunSeed, SimClock, Tally, Wall,
};
use bevy_ecs::component::ComponentId;
use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};
use std::any::TypeId;

/// Why a checkpoint cannot be taken or put back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The world holds state that the checkpoint does not save (a bug: a new component
    /// or resource must be added to [`CellRecord`] or [`SimState`], or to [`REBUILT`]).
    #[error("the checkpoint does not save {0}")]
    Unsaved(String),
    /// A checkpoint is taken only between steps of a healthy run.
    #[error("a checkpoint cannot be taken now: {0}")]
    NotBetweenSteps(&'static str),
    /// The checkpoint does not belong to the scenario it is resumed with.
    #[error("the checkpoint does not fit the scenario: {0}")]
    Mismatch(String),
    /// The checkpoint's bytes do not decode.
    #[error("not a readable checkpoint: {0}")]
    Damaged(String),
}

/// The integrator's bookkeeping of a cell ([`Integration`] without its failure, which a
/// checkpointed run never has).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntegrationRecord {
    /// [min] The adaptive integrator's proposed next step.
    pub step_hint_min: f64,
    /// Evaluations of the cell's rates in the last coupling step.
    pub rhs_evaluations: u64,
}

/// Every component of one cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellRecord {
    /// [`CellId`].
    pub id: CellId,
    /// [`WallSite`].
    pub site: WallSite,
    /// The UPR core.
    pub upr: UprCoreState,
    /// Nutrient sensing and autophagy.
    pub autophagy: AutophagyState,
    /// Apoptotic signalling.
    pub apoptosis: ApoptosisState,
    /// The osteogenic programme.
    pub osteogenic: OsteogenicState,
    /// [`Integration`].
    pub integration: IntegrationRecord,
    /// [`Sensed`].
    pub sensed: Sensed,
    /// [`Fate`].
    pub fate: Fate,
    /// [`Released`].
    pub released: Released,
    /// [`PendingFateEvent`].
    pub pending: PendingFateEvent,
    /// [`Susceptibility`].
    pub susceptibility: Susceptibility,
}

/// The component ids of a cell, as [`CellRecord`] lists them.
fn cell_components(world: &mut World) -> [ComponentId; 12] {
    [
        world.register_component::<CellId>(),
        world.register_component::<WallSite>(),
        world.register_component::<UprCoreState>(),
        world.register_component::<AutophagyState>(),
        world.register_component::<ApoptosisState>(),
        world.register_component::<OsteogenicState>(),
        world.register_component::<Integration>(),
        world.register_component::<Sensed>(),
        world.register_component::<Fate>(),
        world.register_component::<Released>(),
        world.register_component::<PendingFateEvent>(),
        world.register_component::<Susceptibility>(),
    ]
}

/// The [`Recorder`] between two steps: the rows recorded so far (each the values of
/// every [`Column`] in file order) and the snapshot times still to come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecorderState {
    /// The `timeseries.csv` rows recorded so far.
    pub timeseries: Vec<Vec<f64>>,
    /// The `layers.csv` rows recorded so far (the layer's name follows from its index).
    pub layers: Vec<LayerState>,
    /// [min] Recording interval.
    pub every_min: f64,
    /// [min] Snapshot times still to take.
    pub snapshots_min: Vec<f64>,
}

/// One `layers.csv` row: every field of [`crate::record::LayerRow`] but the layer's name,
/// which the restored lattice gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerState {
    /// [days] Recorded time.
    pub time_days: f64,
    /// Radial layer index.
    pub layer_index: usize,
    /// [sites] Sites of the layer.
    pub sites: usize,
    /// [cells] Living cells.
    pub cells_alive: u64,
    /// [cells] Living osteogenic cells.
    pub osteogenic: u64,
    /// [µg Ca] Mineral.
    pub mineral_ug: f64,
    /// [µg Ca mm⁻²] Mineral per area.
    pub mineral_ug_per_mm2: f64,
    /// [1] Share of the wall's mineral.
    pub mineral_fraction: f64,
    /// [µg Ca] Mineral nucleated on the layer's lamella (0 in checkpoints written before
    /// it was recorded).
    #[serde(default)]
    pub mineral_lamella_ug: f64,
}

/// The resources that are not saved because they are rebuilt from the scenario and the
/// thread count: the seed, the model, the exposure and the parallelism.
pub const REBUILT: [&str; 4] = ["RunSeed", "Model", "Exposure", "Parallelism"];

fn rebuilt_types() -> [TypeId; 4] {
    [
        TypeId::of::<RunSeed>(),
        TypeId::of::<Model>(),
        TypeId::of::<Exposure>(),
        TypeId::of::<Parallelism>(),
    ]
}

fn saved_types() -> [TypeId; 7] {
    [
        TypeId::of::<SimClock>(),
        TypeId::of::<Wall>(),
        TypeId::of::<NextCellId>(),
        TypeId::of::<Tally>(),
        TypeId::of::<IntegrationWork>(),
        TypeId::of::<Recorder>(),
        // Saved as "no failure": a checkpoint is only taken of a healthy run.
        TypeId::of::<Failure>(),
    ]
}

/// Everything of a simulation that changes while it runs, between two coupling steps.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimState {
    /// The clock (steps done).
    pub clock: SimClock,
    /// The wall: lattice, mineral, occupancy, fluid.
    pub wall: Wall,
    /// The next free cell id.
    pub next_cell_id: u64,
    /// Deaths and divisions so far.
    pub tally: Tally,
    /// The integration cost so far.
    pub integration_work: IntegrationWork,
    /// What was recorded so far.
    pub recorder: RecorderState,
    /// Every cell, in the world's iteration order.
    pub cells: Vec<CellRecord>,
}

impl SimState {
    /// Captures the state of `world` between two steps.
    ///
    /// # Errors
    /// [`CheckpointError::Unsaved`] if the world holds a component or resource this
    /// checkpoint does not know; [`CheckpointError::NotBetweenSteps`] if the run has
    /// failed or has wall snapshots not handed over yet.
    pub fn capture(world: &mut World) -> Result<Self, CheckpointError> {
        check_everything_is_saved(world)?;
        if world.resource::<Failure>().0.is_some() {
            return Err(CheckpointError::NotBetweenSteps("the run has failed"));
        }
        let Recorder {
            timeseries,
            layers,
            wall,
            every_min,
            snapshots_min,
        } = world.resource::<Recorder>();
        if !wall.is_empty() {
            return Err(CheckpointError::NotBetweenSteps(
                "wall snapshots are not handed over yet",
            ));
        }
        let recorder = RecorderState {
            timeseries: timeseries
                .iter()
                .map(|row| row.iter().map(|(_, v)| v).collect())
                .collect(),
            layers: layers
                .iter()
                .map(|l| LayerState {
                    time_days: l.time_days,
                    layer_index: l.layer_index,
                    sites: l.sites,
                    cells_alive: l.cells_alive,
                    osteogenic: l.osteogenic,
                    mineral_ug: l.mineral_ug,
                    mineral_ug_per_mm2: l.mineral_ug_per_mm2,
                    mineral_fraction: l.mineral_fraction,
                    mineral_lamella_ug: l.mineral_lamella_ug,
                })
                .collect(),
            every_min: *every_min,
            snapshots_min: snapshots_min.clone(),
        };
        let mut query = world.query::<(
            (&CellId, &WallSite, &Integration, &Sensed, &PendingFateEvent),
            (
                &UprCoreState,
                &AutophagyState,
                &ApoptosisState,
                &OsteogenicState,
            ),
            (&Fate, &Released, &Susceptibility),
        )>();
        let mut cells = Vec::new();
        for (
            (id, site, integration, sensed, pending),
            (upr, autophagy, apoptosis, osteogenic),
            (fate, released, susceptibility),
        ) in query.iter(world)
        {
            let Integration {
                step_hint_min,
                failure,
                rhs_evaluations,
            } = *integration;
            if failure.is_some() {
                return Err(CheckpointError::NotBetweenSteps("a cell's state failed"));
            }
            cells.push(CellRecord {
                id: *id,
                site: *site,
                upr: *upr,
                autophagy: *autophagy,
                apoptosis: *apoptosis,
                osteogenic: *osteogenic,
                integration: IntegrationRecord {
                    step_hint_min,
                    rhs_evaluations,
                },
                sensed: *sensed,
                fate: *fate,
                released: *released,
                pending: *pending,
                susceptibility: *susceptibility,
            });
        }
        Ok(Self {
            clock: *world.resource::<SimClock>(),
            wall: world.resource::<Wall>().clone(),
            next_cell_id: world.resource::<NextCellId>().0,
            tally: *world.resource::<Tally>(),
            integration_work: *world.resource::<IntegrationWork>(),
            recorder,
            cells,
        })
    }

    /// Puts the state into `world`, a world built from the same scenario: replaces its
    /// cells (spawned in the saved order) and every saved resource.
    ///
    /// # Errors
    /// [`CheckpointError::Mismatch`] if the state does not fit the world's lattice or
    /// recording settings.
    pub fn restore(self, world: &mut World) -> Result<(), CheckpointError> {
        let Self {
            clock,
            wall,
            next_cell_id,
            tally,
            integration_work,
            recorder,
            cells,
        } = self;
        {
            let built = world.resource::<Wall>();
            if built.lattice != wall.lattice
                || built.sites.len() != wall.sites.len()
                || built.occupants.len() != wall.occupants.len()
                || built.site_alive.len() != wall.site_alive.len()
            {
                return Err(CheckpointError::Mismatch(
                    "its lattice is not the scenario's".to_string(),
                ));
            }
        }
        let sites = wall.sites.len();
        if let Some(cell) = cells.iter().find(|c| c.site.0 >= sites) {
            return Err(CheckpointError::Mismatch(format!(
                "cell {} sits on site {}, beyond the lattice's {sites}",
                cell.id.0, cell.site.0
            )));
        }
        let RecorderState {
            timeseries,
            layers,
            every_min,
            snapshots_min,
        } = recorder;
        if let Some(l) = layers
            .iter()
            .find(|l| l.layer_index >= wall.lattice.layers.len())
        {
            return Err(CheckpointError::Mismatch(format!(
                "a recorded layer row has layer {}, beyond the lattice's {}",
                l.layer_index,
                wall.lattice.layers.len()
            )));
        }
        let layers = layers
            .into_iter()
            .map(|l| crate::record::LayerRow {
                time_days: l.time_days,
                layer_index: l.layer_index,
                layer: wall.lattice.layers[l.layer_index].name(),
                sites: l.sites,
                cells_alive: l.cells_alive,
                osteogenic: l.osteogenic,
                mineral_ug: l.mineral_ug,
                mineral_ug_per_mm2: l.mineral_ug_per_mm2,
                mineral_fraction: l.mineral_fraction,
                mineral_lamella_ug: l.mineral_lamella_ug,
            })
            .collect();
        if let Some(row) = timeseries.iter().find(|r| r.len() != Column::COUNT) {
            return Err(CheckpointError::Mismatch(format!(
                "a recorded row has {} values, timeseries.csv {} columns",
                row.len(),
                Column::COUNT
            )));
        }
        #[expect(
            clippy::float_cmp,
            reason = "the same setting read from the same scenario"
        )]
        if world.resource::<Recorder>().every_min != every_min {
            return Err(CheckpointError::Mismatch(
                "its recording interval is not the scenario's".to_string(),
            ));
        }
        let mut existing = world.query_filtered::<Entity, With<CellId>>();
        let entities: Vec<Entity> = existing.iter(world).collect();
        for entity in entities {
            world.despawn(entity);
        }
        world.spawn_batch(cells.into_iter().map(|c| {
            (
                c.id,
                c.site,
                c.upr,
                c.autophagy,
                c.apoptosis,
                c.osteogenic,
                Integration {
                    step_hint_min: c.integration.step_hint_min,
                    failure: None,
                    rhs_evaluations: c.integration.rhs_evaluations,
                },
                c.sensed,
                c.fate,
                c.released,
                c.pending,
                c.susceptibility,
            )
        }));
        world.insert_resource(clock);
        world.insert_resource(wall);
        world.insert_resource(NextCellId(next_cell_id));
        world.insert_resource(tally);
        world.insert_resource(integration_work);
        world.insert_resource(Failure(None));
        world.insert_resource(Recorder {
            timeseries: timeseries
                .into_iter()
                .map(|values| TimeseriesRow::from_fn(|c| values[c.index()]))
                .collect(),
            layers,
            wall: Vec::new(),
            every_min,
            snapshots_min,
        });
        Ok(())
    }

    /// The state as bytes (CBOR: every float exact, NaN included).
    ///
    /// # Errors
    /// [`CheckpointError::Damaged`] if it cannot be encoded (it always can).
    pub fn to_bytes(&self) -> Result<Vec<u8>, CheckpointError> {
        encode(self)
    }
}

/// `value` as CBOR bytes (every float exact).
///
/// # Errors
/// [`CheckpointError::Damaged`] if it cannot be encoded.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CheckpointError> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes)
        .map_err(|e| CheckpointError::Damaged(e.to_string()))?;
    Ok(bytes)
}

/// A value read back from [`encode`]'s bytes.
///
/// # Errors
/// [`CheckpointError::Damaged`] saying why the bytes do not decode.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, CheckpointError> {
    ciborium::from_reader(bytes).map_err(|e| CheckpointError::Damaged(e.to_string()))
}

/// Fails, naming it, on any component of a cell and any resource that the checkpoint
/// neither saves nor rebuilds.
fn check_everything_is_saved(world: &mut World) -> Result<(), CheckpointError> {
    let cell = cell_components(world);
    let cell_id = cell[0];
    let name = |world: &World, id: ComponentId| {
        world
            .components()
            .get_info(id)
            .map_or_else(|| format!("{id:?}"), |info| info.name().to_string())
    };
    for archetype in world.archetypes().iter() {
        if archetype.is_empty() {
            continue;
        }
        let holds_cell_parts = cell.iter().any(|&id| archetype.contains(id));
        if !holds_cell_parts {
            continue;
        }
        if !archetype.contains(cell_id) {
            return Err(CheckpointError::Unsaved(
                "entities with parts of a cell but no CellId".to_string(),
            ));
        }
        if let Some(&extra) = archetype.components().iter().find(|c| !cell.contains(c)) {
            return Err(CheckpointError::Unsaved(format!(
                "the component {} of cells",
                name(world, extra)
            )));
        }
        if let Some(&missing) = cell.iter().find(|&&c| !archetype.contains(c)) {
            return Err(CheckpointError::Unsaved(format!(
                "cells without the component {}",
                name(world, missing)
            )));
        }
    }
    // The ECS's own resources: those of a world with nothing but the schedule.
    let mut bare = World::new();
    let _ = crate::sim::coupling_step().initialize(&mut bare);
    let known: Vec<TypeId> = saved_types()
        .into_iter()
        .chain(rebuilt_types())
        .chain(
            bare.iter_resources()
                .filter_map(|(_, info, _)| info.type_id()),
        )
        .collect();
    for (_, info, _) in world.iter_resources() {
        if !info.type_id().is_some_and(|t| known.contains(&t)) {
            return Err(CheckpointError::Unsaved(format!(
                "the resource {} (add it to SimState, or to REBUILT if the scenario \
                 determines it)",
                info.name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::sim::{Simulation, Threads};

    /// A calcifying monolayer with stress: cells divide, die and are cleared, so the
    /// table order of the cells is no longer their id order when the checkpoint is taken.
    const WELL: &str = r#"
[meta]
name = "checkpoint"
description = "checkpoint test"
seed = 11
[geometry]
mode = "in_vitro"
axial_sites = 8
circumferential_sites = 8
occupancy = 0.6
[time]
duration_days = 3.0
[stress]
stress_per_min = 2.0
[record]
every_h = 6.0
snapshots_days = [1.0, 2.0]
"#;

    fn scenario() -> Scenario {
        Scenario::from_toml(WELL, "well.toml").expect("valid")
    }

    fn run_to(simulation: &mut Simulation, steps: u64) {
        for _ in simulation.steps_done()..steps {
            simulation.step().expect("steps");
            simulation.world.resource_mut::<Recorder>().wall.clear();
        }
    }

    #[test]
    fn a_restored_world_checkpoints_to_the_same_bytes_and_runs_on_identically() {
        let scenario = scenario();
        let mut original = Simulation::new(&scenario, Threads::Serial).expect("builds");
        run_to(&mut original, 31);
        let state = original.checkpoint().expect("captured");
        assert!(state.tally.divisions + state.tally.apoptotic_deaths > 0);
        let bytes = state.to_bytes().expect("encoded");
        let decoded: SimState = decode(&bytes).expect("decoded");
        let mut resumed = Simulation::resume(&scenario, Threads::Serial, decoded).expect("resumed");
        assert_eq!(resumed.steps_done(), 31);
        let again = resumed.checkpoint().expect("captured").to_bytes();
        assert!(
            again == Ok(bytes),
            "the restored world checkpoints differently"
        );
        let steps = original.steps();
        run_to(&mut original, steps);
        run_to(&mut resumed, steps);
        assert_eq!(original.cell_fingerprints(), resumed.cell_fingerprints());
        let recorded = |s: &Simulation| s.world.resource::<Recorder>().timeseries.clone();
        let (a, b) = (recorded(&original), recorded(&resumed));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            let same = x
                .iter()
                .zip(y.iter())
                .all(|((_, p), (_, q))| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()));
            assert!(same, "{x:?} != {y:?}");
        }
    }

    #[test]
    fn a_run_resumed_before_or_inside_a_parameter_window_runs_on_as_the_straight_run() {
        // The model's phase is rebuilt from the scenario and the clock, not saved: a
        // checkpoint before a windowed parameter change (levamisole from day 1 to day 2)
        // and one inside it both continue as the uninterrupted run.
        let text = format!(
            "{WELL}[[treatment]]\nid = \"levamisole\"\nstart_days = 1.0\nstop_days = 2.0\n"
        );
        let scenario = Scenario::from_toml(&text, "well.toml").expect("valid");
        let mut straight = Simulation::new(&scenario, Threads::Serial).expect("builds");
        let steps = straight.steps();
        run_to(&mut straight, steps);
        for hour in [12, 24, 30] {
            let mut original = Simulation::new(&scenario, Threads::Serial).expect("builds");
            run_to(&mut original, hour);
            let state = original.checkpoint().expect("captured");
            let mut resumed =
                Simulation::resume(&scenario, Threads::Serial, state).expect("resumed");
            let phase = usize::from(hour >= 24);
            assert_eq!(resumed.model().phase, phase, "resumed at hour {hour}");
            run_to(&mut resumed, steps);
            assert_eq!(straight.cell_fingerprints(), resumed.cell_fingerprints());
            let calcium = |s: &Simulation| {
                s.wall()
                    .sites
                    .iter()
                    .map(|site| site.acp + site.hap)
                    .sum::<f64>()
                    .to_bits()
            };
            assert_eq!(
                calcium(&straight),
                calcium(&resumed),
                "resumed at hour {hour}"
            );
        }
    }

    #[derive(Resource)]
    struct Forgotten;

    #[derive(Component)]
    struct NewPart;

    #[test]
    fn a_resource_or_component_the_checkpoint_does_not_know_is_refused_by_name() {
        let mut simulation = Simulation::new(&scenario(), Threads::Serial).expect("builds");
        run_to(&mut simulation, 1);
        simulation.world.insert_resource(Forgotten);
        let error = simulation.checkpoint().expect_err("refused");
        assert!(error.to_string().contains("the resource"), "{error}");
        simulation.world.remove_resource::<Forgotten>();
        simulation.checkpoint().expect("captured");
        let mut cells = simulation.world.query_filtered::<Entity, With<CellId>>();
        let first = cells.iter(&simulation.world).next().expect("a cell");
        simulation.world.entity_mut(first).insert(NewPart);
        let error = simulation.checkpoint().expect_err("refused");
        assert!(error.to_string().contains("the component"), "{error}");
    }

    #[test]
    fn a_state_of_another_lattice_is_refused() {
        let mut simulation = Simulation::new(&scenario(), Threads::Serial).expect("builds");
        run_to(&mut simulation, 1);
        let state = simulation.checkpoint().expect("captured");
        let other = Scenario::from_toml(
            &WELL.replace("axial_sites = 8", "axial_sites = 9"),
            "other.toml",
        )
        .expect("valid");
        let error = Simulation::resume(&other, Threads::Serial, state).err();
        assert!(
            error.is_some_and(|e| e.to_string().contains("lattice")),
            "resumed on another lattice"
        );
        assert!(decode::<SimState>(b"not a checkpoint").is_err());
    }
}
