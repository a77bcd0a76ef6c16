//! The population in the vessel wall as a bevy ECS world (`docs/model.md` §9.1): one entity per
//! VSMC, resources for the wall and the exposure, and one schedule per coupling step.
//!
//! One tick is one coupling step of 1 h (`docs/model.md` §5.5):
//!
//! 0. `enter_model_phase`: the model of the hour (a treatment that changes parameters
//!    for a time window switches it, [`resources::Model::phases`]);
//! 1. `sense_environment` (parallel): each cell reads its voxel and the exposure;
//! 2. `integrate_signalling` (parallel): 22-state ODEs over the hour (adaptive steps, or
//!    RK4 steps ≤ `dt_min`);
//! 3. `check_integration`: stop at the first non-finite state;
//! 4. `apply_fate_rules` (parallel): labels, apoptosis, execution, vesicles, cell cycle
//!    (`model::fate::advance`);
//! 5. `turnover` (in cell-id order): the fate events (deaths, division), efferocytosis;
//! 6. `update_extracellular`: fluid chemistry, mineral nucleation, growth, maturation;
//! 7. `record`: observables and wall snapshots;
//! 8. `advance_clock`.
//!
//! The systems are chained (no two may run at once), with ambiguity detection on;
//! parallelism is inside the per-cell systems, on rayon workers (see [`parallel`]). Every random draw comes from a stream
//! keyed by (seed, cell, step, purpose) and every reduction runs in site order, so the
//! same scenario and seed give the same bytes for any thread count.

pub mod checkpoint;
pub mod components;
pub mod grid;
pub mod interrupt;
pub mod memory;
pub mod parallel;
pub mod resources;
pub mod rng;
pub mod systems;

use crate::model::cell::{ApoptosisState, AutophagyState};
use crate::model::cell::{CellModel, ModelVariant};
use crate::model::fate::{Fate, FateParams, Phenotype, Released};
use crate::model::heterogeneity::Spread;
use crate::model::integrate::NonFiniteState;
use crate::model::mineral::SiteMineral;
use crate::model::osteogenic::OsteogenicState;
use crate::model::parameter_set::ModelParams;
use crate::model::parameters::ParamError;
use crate::model::upr_core::{CoreKnockout, UprCoreState};
use crate::record::{TimeseriesRow, WallRow};
use crate::scenario::{Geometry, Scenario};
use crate::treatment::schedule::{Treatment, parameter_phases};
use crate::units::DAY;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};
use components::{CellId, Integration, PendingFateEvent, Sensed, Susceptibility, WallSite};
use grid::{Lattice, LayerKind};
pub use parallel::Threads;
use parallel::on_pool;
use rand_distr::StandardNormal;
use resources::{
    Exposure, Failure, FluidState, IntegrationWork, Model, ModelPhase, NextCellId, Occupant,
    Recorder, RunSeed, SimClock, SiteFluids, Tally, Wall, WallFluid,
};
use rng::{KeyedStream, Purpose};

/// Wall snapshots are handed over in rows of this many sites (the rows are twice the
/// size of the recorded snapshot; converting a whole snapshot at once doubled its cost).
const SNAPSHOT_CHUNK: usize = 4096;

/// Cells are spawned in batches of this many (in site order, as one batch would be), so
/// that the staging buffer stays small next to the world (it was a second copy of every
/// component at startup).
const SPAWN_CHUNK: usize = 65_536;

pub use crate::model::COUPLING_STEP_MIN;

/// The spread and inheritance of the cells' heterogeneity multipliers, from the fate
/// parameters (`docs/model.md` §4.0).
#[must_use]
pub const fn heterogeneity_spread(p: &FateParams) -> Spread {
    Spread {
        cvs: [
            p.client_load_cv,
            p.folding_capacity_cv,
            p.osteogenic_sensitivity_cv,
            p.death_threshold_cv,
            p.division_rate_cv,
        ],
        inheritance: p.trait_inheritance,
    }
}

/// A failure of a running simulation.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimError {
    /// A checkpoint could not be taken or put back.
    #[error(transparent)]
    Checkpoint(checkpoint::CheckpointError),
    /// A cell's state became NaN or infinite.
    #[error("cell {cell}: {error}")]
    NonFinite {
        /// The cell id.
        cell: u64,
        /// What went wrong.
        error: NonFiniteState,
    },
    /// The schedule could not be built (a bug: systems conflict).
    #[error("the simulation schedule is invalid: {0}")]
    Schedule(&'static str),
    /// The operating system refused to start the simulation's worker threads.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
    /// Treatments that change parameters for overlapping time windows took a
    /// parameter out of its range together.
    #[error("from day {day}, treatment `{treatment}` with the others active then: {error}")]
    Parameters {
        /// The catalog id of the treatment whose change failed.
        treatment: &'static str,
        /// [d] The start of the phase.
        day: f64,
        /// The parameter error.
        error: Box<ParamError>,
    },
    /// A stop was requested ([`interrupt::request`], a signal) before this step.
    #[error("interrupted before step {step} of {steps}")]
    Interrupted {
        /// The coupling steps done.
        step: u64,
        /// The coupling steps of the run.
        steps: u64,
    },
}

/// Why [`Simulation::run_streaming_with`] stopped early: the simulation failed, or a
/// callback (a writer of the outputs) did.
#[derive(Debug, thiserror::Error)]
pub enum StreamError<E> {
    /// The simulation failed (or was interrupted).
    #[error(transparent)]
    Sim(SimError),
    /// A callback failed; the run stopped at once.
    #[error(transparent)]
    Output(E),
}

/// What a finished run recorded.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    /// One row per recorded time.
    pub timeseries: Vec<TimeseriesRow>,
    /// One row per recorded time and radial layer (`layers.csv`).
    pub layers: Vec<crate::record::LayerRow>,
    /// One row per site per snapshot.
    pub wall: Vec<WallRow>,
}

/// A simulation: the world, its schedule and its worker threads.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    steps: u64,
    /// The pool every step runs on (none when serial).
    pool: Option<rayon::ThreadPool>,
}

fn lattice_for(geometry: &Geometry) -> Lattice {
    match *geometry {
        Geometry::InVitro {
            axial_sites,
            circumferential_sites,
            site_spacing_um,
            ..
        } => Lattice {
            axial: axial_sites,
            circumferential: circumferential_sites,
            layers: vec![LayerKind::Monolayer],
            spacing_um: site_spacing_um,
            periodic_axial: true,
        },
        Geometry::Vessel {
            axial_sites,
            circumferential_sites,
            site_spacing_um,
            intima_layers,
            media_layers,
            adventitia_layers,
            lamella_every,
            ..
        } => {
            let mut layers = vec![LayerKind::Intima; intima_layers];
            for m in 0..media_layers {
                layers.push(LayerKind::Media {
                    lamella: (m + 1) % lamella_every.max(1) == 0,
                });
            }
            layers.extend(std::iter::repeat_n(
                LayerKind::Adventitia,
                adventitia_layers,
            ));
            Lattice {
                axial: axial_sites,
                circumferential: circumferential_sites,
                layers,
                spacing_um: site_spacing_um,
                periodic_axial: false,
            }
        }
    }
}

impl Simulation {
    /// Builds the world for a validated scenario: lattice, seeded cells, fluid, schedule,
    /// and the worker threads its steps run on.
    ///
    /// # Errors
    /// [`SimError::Schedule`] if the schedule has conflicting systems (a bug);
    /// [`SimError::Threads`] if the worker threads cannot be started.
    pub fn new(scenario: &Scenario, threads: Threads) -> Result<Self, SimError> {
        let pool = threads
            .build_pool()
            .map_err(|_| SimError::Threads(threads.count()))?;
        // The treatments as this animal (this seed) receives them.
        let treatments = animal_treatments(&scenario.treatments, scenario.meta.seed);
        let exposure = Exposure::new(
            scenario.environment.clone(),
            scenario.stress.clone(),
            &treatments,
        );
        // The medium or plasma at the start (with treatments whose window opens at 0).
        let initial_fluid = FluidState::from_environment(exposure.environment_at(0.0));
        let (occupancy, fluid, in_vitro) = match scenario.geometry {
            Geometry::InVitro {
                occupancy,
                medium_depth_mm,
                axial_sites,
                circumferential_sites,
                site_spacing_um,
            } => {
                #[expect(clippy::cast_precision_loss, reason = "site counts")]
                let area_mm2 =
                    (axial_sites * circumferential_sites) as f64 * (site_spacing_um * 1e-3).powi(2);
                let fresh = initial_fluid;
                (
                    occupancy,
                    WallFluid::Medium {
                        current: fresh,
                        fresh,
                        volume_ul: area_mm2 * medium_depth_mm,
                        change_every_min: scenario.environment.medium_change_every_min,
                    },
                    true,
                )
            }
            Geometry::Vessel {
                occupancy,
                axial_sites,
                circumferential_sites,
                site_spacing_um,
                ..
            } => {
                let fluid = match scenario.environment.bath_ul_per_mm2 {
                    // A segment in a dish: the bath over its luminal surface.
                    Some(per_mm2) => {
                        #[expect(clippy::cast_precision_loss, reason = "site counts")]
                        let area_mm2 = (axial_sites * circumferential_sites) as f64
                            * (site_spacing_um * 1e-3).powi(2);
                        WallFluid::Bath {
                            current: initial_fluid,
                            fresh: initial_fluid,
                            volume_ul: area_mm2 * per_mm2,
                            change_every_min: scenario.environment.medium_change_every_min,
                        }
                    }
                    None => WallFluid::Plasma {
                        plasma: initial_fluid,
                    },
                };
                (occupancy, fluid, false)
            }
        };
        let lattice = lattice_for(&scenario.geometry);
        let n = lattice.len();
        let mineral_params = &scenario.params.mineral;
        let spacing = lattice.spacing_um;
        // A well's sites hold a pericellular layer; a wall's its interstitial fluid.
        let site_volume_ul = if in_vitro {
            spacing * spacing * mineral_params.pericellular_depth_um * 1e-9
        } else {
            mineral_params.extracellular_fraction * spacing.powi(3) * 1e-9
        };
        // The ionised share belongs to the fluid the calcium comes from: plasma binds
        // about half of it, culture medium (a well's, or a segment's bath) far less.
        let ionised_calcium_fraction = if matches!(fluid, WallFluid::Plasma { .. }) {
            mineral_params.ionised_calcium_fraction_plasma
        } else {
            mineral_params.ionised_calcium_fraction_medium
        };
        let site_fluid = SiteFluids::uniform(n, &initial_fluid);
        let sites: Vec<SiteMineral> = (0..n)
            .map(|i| SiteMineral {
                elastin: if matches!(lattice.layer_of(i), LayerKind::Media { lamella: true }) {
                    1.0
                } else {
                    0.0
                },
                ..SiteMineral::default()
            })
            .collect();
        let phases = model_phases(scenario, &treatments, in_vitro)?;
        let cell_model = phases[0].cell.clone();
        let mut world = World::new();
        let seed = scenario.meta.seed;
        let initial = cell_model.initial_state();
        let mut occupants = vec![Occupant::Empty; n];
        let mut next_id = 0_u64;
        let mut batch = Vec::new();
        let spread = heterogeneity_spread(&scenario.params.fate);
        // Serum mitogens keep cultured cells synthetic; medial cells are contractile.
        let seeded_fate = Fate {
            phenotype: if in_vitro {
                Phenotype::Synthetic
            } else {
                Phenotype::Contractile
            },
            ..Fate::new()
        };
        for (i, occupant) in occupants.iter_mut().enumerate() {
            if !lattice.layer_of(i).holds_cells() {
                continue;
            }
            let site_key = i as u64;
            if KeyedStream::new(seed, site_key, 0, Purpose::Seeding).uniform() >= occupancy {
                continue;
            }
            *occupant = Occupant::Cell(next_id);
            // Log-normal multipliers with mean 1, keyed by the cell's id.
            let mut stream = KeyedStream::new(seed, next_id, 0, Purpose::Susceptibility);
            let susceptibility = spread.draw(std::array::from_fn(|_| {
                stream.sample::<f64>(&StandardNormal)
            }));
            batch.push((
                CellId(next_id),
                WallSite(i),
                initial.upr,
                initial.autophagy_part(),
                initial.apoptosis_part(),
                initial.osteogenic,
                Integration::NEW,
                Sensed::unsensed(),
                seeded_fate,
                Released::default(),
                PendingFateEvent::default(),
                Susceptibility(susceptibility),
            ));
            next_id += 1;
            if batch.len() == SPAWN_CHUNK {
                world.spawn_batch(std::mem::take(&mut batch));
            }
        }
        world.spawn_batch(batch);
        let site_alive = occupants.iter().map(|o| *o != Occupant::Empty).collect();
        world.insert_resource(SimClock {
            tick: 0,
            time_min: 0.0,
            step_min: COUPLING_STEP_MIN,
        });
        world.insert_resource(RunSeed(seed));
        world.insert_resource(Model {
            cell: cell_model,
            params: phases[0].params.clone(),
            integrator: scenario.time.integrator,
            in_vitro,
            species: scenario.species,
            phases,
            phase: 0,
        });
        world.insert_resource(exposure);
        world.insert_resource(Wall {
            lattice,
            sites,
            occupants,
            site_alive,
            fluid,
            site_fluid,
            site_volume_ul,
            ionised_calcium_fraction,
            calcium_sensing_factor: ionised_calcium_fraction
                / scenario.params.mineral.ionised_calcium_fraction_medium,
            cell_phosphorus_pmol: 0.0,
            plasma_exchange_pmol: [0.0, 0.0],
            bmp2_paracrine: vec![0.0; n],
        });
        world.insert_resource(threads.parallelism());
        world.insert_resource(NextCellId(next_id));
        world.insert_resource(Tally::default());
        world.insert_resource(Failure::default());
        world.insert_resource(IntegrationWork::default());
        world.insert_resource(Recorder {
            every_min: scenario.record.every_min,
            snapshots_min: scenario.record.snapshots_min.clone(),
            ..Recorder::default()
        });

        let mut schedule = coupling_step();
        schedule
            .initialize(&mut world)
            .map_err(|_| SimError::Schedule("conflicting systems"))?;
        systems::record::record_at(&mut world, 0.0);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "duration / 1 h is a modest count"
        )]
        #[expect(clippy::cast_sign_loss, reason = "positive duration")]
        let steps = (scenario.time.duration_min / COUPLING_STEP_MIN).ceil() as u64;
        Ok(Self {
            world,
            schedule,
            steps,
            pool,
        })
    }

    /// Number of coupling steps in the run.
    #[must_use]
    pub const fn steps(&self) -> u64 {
        self.steps
    }

    /// Runs one coupling step.
    ///
    /// # Errors
    /// The first failure of the step.
    pub fn step(&mut self) -> Result<(), SimError> {
        if interrupt::requested() {
            return Err(SimError::Interrupted {
                step: self.world.resource::<SimClock>().tick,
                steps: self.steps,
            });
        }
        let (schedule, world) = (&mut self.schedule, &mut self.world);
        on_pool(self.pool.as_ref(), || schedule.run(world));
        match self.world.resource::<Failure>().0.clone() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Runs to the end, calling `progress(step, steps)` after each step.
    ///
    /// # Errors
    /// The first failure.
    pub fn run(self, progress: impl FnMut(u64, u64)) -> Result<Recorded, SimError> {
        let mut wall = Vec::new();
        let mut recorded = self.run_streaming(progress, |mut rows| wall.append(&mut rows))?;
        recorded.wall = wall;
        Ok(recorded)
    }

    /// Runs to the end like [`Simulation::run`], but hands each wall snapshot to
    /// `on_snapshot` as soon as it is taken, a few thousand rows at a time in order,
    /// instead of keeping it, so that at most one snapshot is held at a time (compactly);
    /// the returned [`Recorded::wall`] is empty. At a million cells the rows of one
    /// snapshot are 190 MB.
    ///
    /// # Errors
    /// The first failure.
    pub fn run_streaming(
        self,
        mut progress: impl FnMut(u64, u64),
        mut on_snapshot: impl FnMut(Vec<WallRow>),
    ) -> Result<Recorded, SimError> {
        self.run_streaming_with::<std::convert::Infallible>(
            |step, steps| {
                progress(step, steps);
                Ok(())
            },
            |rows| {
                on_snapshot(rows);
                Ok(())
            },
        )
        .map_err(|e| match e {
            StreamError::Sim(e) => e,
            StreamError::Output(never) => match never {},
        })
    }

    /// Runs to the end like [`Simulation::run_streaming`], but stops at once when a
    /// callback fails (a wall snapshot that cannot be written ends the run before the
    /// next step, not after the last).
    ///
    /// # Errors
    /// The first failure of the simulation or of a callback.
    pub fn run_streaming_with<E>(
        self,
        progress: impl FnMut(u64, u64) -> Result<(), E>,
        on_snapshot: impl FnMut(Vec<WallRow>) -> Result<(), E>,
    ) -> Result<Recorded, StreamError<E>> {
        self.run_checkpointed(progress, on_snapshot, 0, |_| Ok(()))
    }

    /// Runs from the step reached (the start, or a checkpoint's step) to the end like
    /// [`Simulation::run_streaming_with`], and after every `every_steps` steps (none if
    /// 0; never after the last) hands the state to `on_checkpoint`, once the snapshots
    /// of that step are handed over and its progress reported.
    ///
    /// # Errors
    /// The first failure of the simulation or of a callback (a state that cannot be
    /// captured is an error of the simulation, [`SimError::Checkpoint`]).
    pub fn run_checkpointed<E>(
        mut self,
        mut progress: impl FnMut(u64, u64) -> Result<(), E>,
        mut on_snapshot: impl FnMut(Vec<WallRow>) -> Result<(), E>,
        every_steps: u64,
        mut on_checkpoint: impl FnMut(checkpoint::SimState) -> Result<(), E>,
    ) -> Result<Recorded, StreamError<E>> {
        let mut hand_over = |world: &mut World| -> Result<(), E> {
            let snapshots = std::mem::take(&mut world.resource_mut::<Recorder>().wall);
            let wall = world.resource::<Wall>();
            for (time_min, sites) in snapshots {
                for (start, chunk) in (0..)
                    .step_by(SNAPSHOT_CHUNK)
                    .zip(sites.chunks(SNAPSHOT_CHUNK))
                {
                    on_snapshot(
                        chunk
                            .iter()
                            .enumerate()
                            .map(|(k, site)| {
                                systems::record::wall_row(wall, start + k, time_min, site)
                            })
                            .collect(),
                    )?;
                }
            }
            Ok(())
        };
        hand_over(&mut self.world).map_err(StreamError::Output)?;
        let first = self.world.resource::<SimClock>().tick;
        for step in first..self.steps {
            self.step().map_err(StreamError::Sim)?;
            hand_over(&mut self.world).map_err(StreamError::Output)?;
            progress(step + 1, self.steps).map_err(StreamError::Output)?;
            if every_steps > 0 && (step + 1) % every_steps == 0 && step + 1 < self.steps {
                let state = self.checkpoint().map_err(StreamError::Sim)?;
                on_checkpoint(state).map_err(StreamError::Output)?;
            }
        }
        let recorder = self.world.resource_mut::<Recorder>();
        Ok(Recorded {
            timeseries: recorder.timeseries.clone(),
            layers: recorder.layers.clone(),
            wall: Vec::new(),
        })
    }

    /// The state of the run between two steps (after [`Simulation::new`], or after a
    /// step whose snapshots were handed over), for a checkpoint.
    ///
    /// # Errors
    /// [`SimError::Checkpoint`] if the state cannot be captured.
    pub fn checkpoint(&mut self) -> Result<checkpoint::SimState, SimError> {
        checkpoint::SimState::capture(&mut self.world).map_err(SimError::Checkpoint)
    }

    /// Builds the world of `scenario` (as [`Simulation::new`]) and puts the checkpointed
    /// `state` into it: the run goes on from the state's step as the checkpointed run
    /// would have.
    ///
    /// # Errors
    /// As [`Simulation::new`]; [`SimError::Checkpoint`] if the state does not fit the
    /// scenario.
    pub fn resume(
        scenario: &Scenario,
        threads: Threads,
        state: checkpoint::SimState,
    ) -> Result<Self, SimError> {
        let mut simulation = Self::new(scenario, threads)?;
        if state.clock.tick > simulation.steps {
            return Err(SimError::Checkpoint(checkpoint::CheckpointError::Mismatch(
                format!(
                    "it is at hour {}, after the run's end (hour {})",
                    state.clock.tick, simulation.steps
                ),
            )));
        }
        state
            .restore(&mut simulation.world)
            .map_err(SimError::Checkpoint)?;
        // The model's phase follows from the scenario and the clock (the first system of
        // each step enters it too); entering it here keeps `model()` right before then.
        let time_min = simulation.world.resource::<SimClock>().time_min;
        simulation
            .world
            .resource_mut::<Model>()
            .enter_phase_at(time_min);
        Ok(simulation)
    }

    /// Coupling steps done so far.
    #[must_use]
    pub fn steps_done(&self) -> u64 {
        self.world.resource::<SimClock>().tick
    }

    /// The wall (lattice, fluid, mineral), for inspection.
    #[must_use]
    pub fn wall(&self) -> &Wall {
        self.world.resource::<Wall>()
    }

    /// A fingerprint of every cell after the steps so far, in cell-id order: a hash of
    /// its site and of every component that carries state (exact: floats enter by their
    /// shortest round-trip text). For determinism checks: two runs that agree on every
    /// fingerprint after every step hold the same cells.
    #[must_use]
    pub fn cell_fingerprints(&mut self) -> Vec<(CellId, u64)> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut cells = self.world.query::<(
            &CellId,
            &WallSite,
            (
                &UprCoreState,
                &AutophagyState,
                &ApoptosisState,
                &OsteogenicState,
                &Integration,
            ),
            (
                &Sensed,
                &Fate,
                &Released,
                &PendingFateEvent,
                &Susceptibility,
            ),
        )>();
        let mut fingerprints: Vec<(CellId, u64)> = cells
            .iter(&self.world)
            .map(|(id, site, state, fate)| {
                let mut hasher = DefaultHasher::new();
                format!("{site:?}{state:?}{fate:?}").hash(&mut hasher);
                (*id, hasher.finish())
            })
            .collect();
        fingerprints.sort_unstable_by_key(|(id, _)| *id);
        fingerprints
    }

    /// The model parameters in force.
    #[must_use]
    pub fn model(&self) -> &Model {
        self.world.resource::<Model>()
    }

    /// Evaluations of the cells' rates so far, summed over cells and coupling steps: the
    /// cost of the cell integration, the same for any thread count.
    #[must_use]
    pub fn rhs_evaluations(&self) -> u64 {
        self.world.resource::<IntegrationWork>().rhs_evaluations
    }
}

/// The cell model of a set of parameters: a wall's cells take the in-vivo apoptosis
/// hazards.
fn cell_model_of(params: &ModelParams, knockouts: &[CoreKnockout], in_vitro: bool) -> CellModel {
    let mut cell_params = params.cell.clone();
    if !in_vitro {
        let apoptosis = &mut cell_params.apoptosis;
        apoptosis.basal_hazard_per_h = apoptosis.basal_hazard_in_vivo_per_h;
        apoptosis.maximal_stress_hazard_per_h *= apoptosis.stress_hazard_scale_in_vivo;
    }
    CellModel::new(cell_params, knockouts, ModelVariant::Vsmc)
}

/// The scenario's treatments as the animal of `seed` receives them: each treatment with
/// a between-animal CV at the dose times its log-normal factor
/// ([`Treatment::for_animal`]), drawn from the seed and the treatment's place in the
/// scenario (so replicate i of every arm of an experiment, which shares its seed, is
/// one animal's response to each regimen: a paired design); the others as they are.
#[must_use]
pub fn animal_treatments(treatments: &[Treatment], seed: u64) -> Vec<Treatment> {
    treatments
        .iter()
        .enumerate()
        .map(|(place, treatment)| {
            if treatment.between_animal_cv == 0.0 {
                return treatment.clone();
            }
            let z: f64 = KeyedStream::new(seed, place as u64, 0, Purpose::AnimalDose)
                .sample(&StandardNormal);
            treatment.for_animal(z)
        })
        .collect()
}

/// The model over time ([`Model::phases`]): the scenario's parameters, and from each
/// start and stop of a treatment that changes parameters for a time window, those with
/// the windowed treatments active then applied in file order.
///
/// # Errors
/// [`SimError::Parameters`] if a windowed treatment takes a parameter out of its range
/// (the scenario's validation checks each treatment alone).
fn model_phases(
    scenario: &Scenario,
    treatments: &[Treatment],
    in_vitro: bool,
) -> Result<Vec<ModelPhase>, SimError> {
    let phases = parameter_phases(
        &scenario.params,
        &scenario.knockouts,
        treatments,
        scenario.time.duration_min,
    )
    .map_err(|(treatment, from_min, error)| SimError::Parameters {
        treatment: treatment.entry.id,
        day: from_min / DAY,
        error: Box::new(error),
    })?;
    Ok(phases
        .into_iter()
        .map(|(from_min, params, knockouts)| ModelPhase {
            from_min,
            cell: cell_model_of(&params, &knockouts, in_vitro),
            params,
        })
        .collect())
}

fn enter_model_phase(clock: Res<SimClock>, mut model: ResMut<Model>) {
    if model.phases.len() > 1 {
        model.enter_phase_at(clock.time_min);
    }
}

/// The schedule of one coupling step (see the module's documentation).
pub(crate) fn coupling_step() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..ScheduleBuildSettings::default()
    });
    schedule.add_systems(
        (
            enter_model_phase,
            systems::cells::sense_environment,
            systems::cells::integrate_signalling,
            systems::cells::check_integration,
            systems::cells::apply_fate_rules,
            systems::turnover::turnover,
            systems::extracellular::update_extracellular,
            systems::record::record,
            advance_clock,
        )
            .chain(),
    );
    schedule
}

fn advance_clock(mut clock: ResMut<SimClock>) {
    clock.tick += 1;
    clock.time_min += clock.step_min;
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_animal_dose_is_drawn_from_the_seed_and_the_treatment_alone() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/vessel-adenine-ckd.toml"
        );
        let scenario = Scenario::load(std::path::Path::new(path)).expect("shipped scenario");
        let mut treatments = scenario.treatments.clone();
        // Without a between-animal CV every seed receives the scenario's dose.
        assert_eq!(animal_treatments(&treatments, 1), treatments);
        treatments[0].between_animal_cv = 0.3;
        let dose = |seed: u64| animal_treatments(&treatments, seed)[0].relative_dose;
        assert_eq!(dose(5).to_bits(), dose(5).to_bits());
        let doses: Vec<f64> = (0..200).map(dose).collect();
        assert!(doses.iter().all(|d| *d > 0.0));
        let mean = doses.iter().sum::<f64>() / 200.0;
        let sd = (doses.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / 199.0).sqrt();
        // 200 animals: the mean within about 3 standard errors of 1, the CV near 0.3.
        assert!((mean - 1.0).abs() < 0.07, "mean {mean}");
        assert!((sd / mean - 0.3).abs() < 0.08, "cv {}", sd / mean);
    }

    use super::*;

    const TINY: &str = r#"
[meta]
name = "tiny"
description = "schedule check"
[geometry]
mode = "vessel"
axial_sites = 3
circumferential_sites = 4
media_layers = 2
adventitia_layers = 1
[time]
duration_days = 0.125
"#;

    #[test]
    fn cells_are_seeded_only_in_cell_layers_and_lamellae_in_every_media_layer() {
        // (The schedule is chained, so it cannot be ambiguous: nothing to test there.)
        let scenario = Scenario::from_toml(TINY, "tiny.toml").expect("valid");
        let simulation = Simulation::new(&scenario, Threads::Serial).expect("builds");
        let wall = simulation.wall();
        assert_eq!(wall.lattice.len(), 3 * 4 * 3);
        for (i, occupant) in wall.occupants.iter().enumerate() {
            if !wall.lattice.layer_of(i).holds_cells() {
                assert_eq!(*occupant, Occupant::Empty);
            }
        }
        // Every media layer carries an elastic lamella with lamella_every = 1.
        assert!(wall.sites.iter().filter(|s| s.elastin > 0.0).count() == 3 * 4 * 2);
        assert_eq!(simulation.steps(), 3);
    }
}
