//! Resources of the simulation world: clock, seed, model, exposure, the vessel wall with
//! its fluid and mineral, and the recorder.

use crate::model::cell::CellModel;
use crate::model::heterogeneity::CellTraits;
use crate::model::integrate::Integrator;
use crate::model::medium::{FluidComposition, Medium};
use crate::model::mineral::SiteMineral;
use crate::model::parameter_set::ModelParams;
use crate::model::species::Species;
use crate::model::surroundings::Surroundings;
use crate::record::TimeseriesRow;
use crate::scenario::{Environment, StressSchedule};
use crate::sim::components::Sensed;
use crate::sim::grid::{Lattice, LayerKind};
use crate::treatment::{Treatment, TreatmentSchedule};
use bevy_ecs::resource::Resource;

/// Simulated time.
#[derive(Resource, Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimClock {
    /// Completed coupling steps (hours).
    pub tick: u64,
    /// [min] Time since the start.
    pub time_min: f64,
    /// [min] Length of one coupling step (fate, chemistry, mineral): 60 min.
    pub step_min: f64,
}

/// The run's seed, the root of every keyed random stream.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSeed(pub u64);

/// The model: intracellular model, all parameters, integrator.
#[derive(Resource, Clone, Debug)]
pub struct Model {
    /// The cell model (knockouts applied).
    pub cell: CellModel,
    /// All parameters (fate and mineral included).
    pub params: ModelParams,
    /// How the intracellular ODEs are integrated.
    pub integrator: Integrator,
    /// Whether this is a culture well (true) or a vessel wall (false).
    pub in_vitro: bool,
    /// The species the cells come from (their cell-cycle phases).
    pub species: Species,
    /// The model over time, in time order, the first from 0: one phase unless treatments
    /// change parameters for a time window; then a new phase starts at each start and
    /// stop of such a window (on a whole hour), with the active windowed treatments
    /// applied in file order. `cell` and `params` above are the current phase's.
    pub phases: Vec<ModelPhase>,
    /// Index of the current phase in [`Model::phases`].
    pub phase: usize,
}

/// The model from a time on (see [`Model::phases`]).
#[derive(Clone, Debug)]
pub struct ModelPhase {
    /// [min] When the phase starts.
    pub from_min: f64,
    /// The cell model of the phase.
    pub cell: CellModel,
    /// All parameters of the phase.
    pub params: ModelParams,
}

impl Model {
    /// Switches to the phase that holds at `time_min` [min] (the start of a coupling
    /// step), if it is not the current one.
    pub fn enter_phase_at(&mut self, time_min: f64) {
        // Phase edges are whole hours and coupling steps start on whole hours; the slack
        // absorbs the rounding of a sum of 60-min steps.
        let index = self
            .phases
            .iter()
            .rposition(|phase| phase.from_min <= time_min + 1e-6)
            .unwrap_or(0);
        if index != self.phase {
            let phase = &self.phases[index];
            self.cell = phase.cell.clone();
            self.params = phase.params.clone();
            self.phase = index;
        }
    }
}

/// The exposure: the medium or plasma and the treatments over time, and the direct
/// ER-stress schedule.
#[derive(Resource, Clone, Debug)]
pub struct Exposure {
    /// Medium or plasma composition, cytokines and treatments over time.
    pub schedule: TreatmentSchedule,
    /// Direct ER-stress input over time.
    pub stress: StressSchedule,
}

impl Exposure {
    /// The exposure of a scenario: its environment, stress schedule and the (resolved)
    /// treatments that act on cells or, for a time window, on the medium or plasma.
    #[must_use]
    pub fn new(environment: Environment, stress: StressSchedule, treatments: &[Treatment]) -> Self {
        Self {
            schedule: TreatmentSchedule::new(environment.medium, treatments),
            stress,
        }
    }

    /// The medium or plasma composition and cytokines at `time_min`.
    #[must_use]
    pub fn environment_at(&self, time_min: f64) -> &Medium {
        self.schedule.medium_at(time_min)
    }

    /// Which composition of the schedule holds at `time_min`.
    #[must_use]
    pub fn composition_index(&self, time_min: f64) -> usize {
        self.schedule.composition_index(time_min)
    }

    /// The pieces `(start_min, duration_min)` of the coupling step from `start_min`
    /// lasting `step_min` over which what a cell senses from the schedules is constant:
    /// the step cut at every switch of the direct stress schedule and of the treatments
    /// acting on cells (windows, glucose swings). One piece when nothing switches inside
    /// the step. The medium or plasma is not cut: its composition changes only at the
    /// start of a coupling step (windows that change it are whole hours, see
    /// `scenario::validate`).
    #[must_use]
    pub fn pieces(&self, start_min: f64, step_min: f64) -> Vec<(f64, f64)> {
        let end_min = start_min + step_min;
        let mut switches = Vec::new();
        self.stress.switches(start_min, end_min, &mut switches);
        self.schedule
            .cell_switches(start_min, end_min, &mut switches);
        if switches.is_empty() {
            return vec![(start_min, step_min)];
        }
        switches.sort_by(f64::total_cmp);
        switches.dedup();
        let mut pieces = Vec::with_capacity(switches.len() + 1);
        let mut from = start_min;
        for at in switches {
            pieces.push((from, at - from));
            from = at;
        }
        pieces.push((from, end_min - from));
        pieces
    }

    /// The surroundings of a cell at `time_min` (the start of the tick) from what it
    /// sensed in its voxel and its heterogeneity multipliers: the environment, the direct
    /// ER stress and every active treatment.
    #[must_use]
    pub fn surroundings(
        &self,
        time_min: f64,
        sensed: &Sensed,
        traits: &CellTraits,
    ) -> Surroundings {
        let mut s = Surroundings::reference();
        if !sensed.sensed {
            return s;
        }
        let env = self.environment_at(time_min);
        s.er_stress = self.stress.at(time_min);
        s.calcium = sensed.calcium;
        s.phosphate = sensed.phosphate;
        s.pyrophosphate = sensed.pyrophosphate;
        s.fetuin_a = sensed.fetuin_a;
        s.glucose = env.glucose;
        s.tnf_alpha = env.tnf_alpha;
        s.il1_beta = env.il1_beta;
        s.il6 = env.il6;
        s.lps = env.lps;
        s.ros = env.ros;
        s.rage = env.rage;
        s.bmp2 = env.bmp2 + sensed.crystal_bmp2;
        s.bmp2_paracrine = Some(sensed.bmp2_paracrine);
        s.client_load_scale = f64::from(traits.client_load);
        s.folding_capacity_scale = f64::from(traits.folding_capacity);
        s.osteogenic_sensitivity = f64::from(traits.osteogenic_sensitivity);
        s.death_threshold_scale = f64::from(traits.death_threshold);
        self.schedule.apply_to_surroundings(time_min, &mut s);
        s
    }
}

/// The composition of a fluid compartment (the model's one fluid type).
pub type FluidState = FluidComposition;

/// The reservoir the wall's site fluids exchange with.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum WallFluid {
    /// The bulk culture medium over the monolayer: well mixed, finite, changed on schedule.
    Medium {
        /// Current composition of the bulk.
        current: FluidState,
        /// Fresh medium, restored at each medium change.
        fresh: FluidState,
        /// [µL] Bulk medium volume over the simulated patch.
        volume_ul: f64,
        /// [min] Interval between medium changes, if any.
        change_every_min: Option<f64>,
    },
    /// The culture medium around a vessel segment in a dish (a ring or explant): well
    /// mixed, finite, changed on schedule; the wall exchanges with it through its luminal
    /// and adventitial faces, as it does with plasma in vivo.
    Bath {
        /// Current composition of the bath.
        current: FluidState,
        /// Fresh medium, restored at each medium change.
        fresh: FluidState,
        /// [µL] Bath volume per simulated wall patch.
        volume_ul: f64,
        /// [min] Interval between medium changes, if any.
        change_every_min: Option<f64>,
    },
    /// Plasma at the lumen (and in the adventitia's vasa vasorum): a clamped reservoir.
    Plasma {
        /// Plasma composition.
        plasma: FluidState,
    },
}

/// The extracellular fluid of every site (the pericellular layer of a well, the
/// interstitial fluid of a wall): the solutes that diffuse, react and form mineral.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiteFluids {
    /// [mM] Total calcium.
    pub calcium: Vec<f64>,
    /// [mM] Phosphate.
    pub phosphate: Vec<f64>,
    /// [µM] Pyrophosphate.
    pub pyrophosphate: Vec<f64>,
}

impl SiteFluids {
    /// `n` sites all holding `fluid`'s calcium, phosphate and PPi.
    #[must_use]
    pub fn uniform(n: usize, fluid: &FluidState) -> Self {
        Self {
            calcium: vec![fluid.calcium; n],
            phosphate: vec![fluid.phosphate; n],
            pyrophosphate: vec![fluid.pyrophosphate; n],
        }
    }

    /// Every site set to `fluid`'s calcium, phosphate and PPi.
    pub fn fill(&mut self, fluid: &FluidState) {
        self.calcium.fill(fluid.calcium);
        self.phosphate.fill(fluid.phosphate);
        self.pyrophosphate.fill(fluid.pyrophosphate);
    }
}

/// What occupies a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Occupant {
    /// No cell.
    Empty,
    /// A cell (alive, dying or an apoptotic body), by id.
    Cell(u64),
}

/// The vessel wall (or culture well): lattice, fluid, mineral and occupancy.
#[derive(Resource, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Wall {
    /// Geometry.
    pub lattice: Lattice,
    /// Mineral and nucleation templates per site.
    pub sites: Vec<SiteMineral>,
    /// What occupies each site.
    pub occupants: Vec<Occupant>,
    /// Whether each site holds a living cell (updated every coupling step).
    pub site_alive: Vec<bool>,
    /// The reservoir (bulk medium or plasma).
    pub fluid: WallFluid,
    /// The extracellular fluid of each site.
    pub site_fluid: SiteFluids,
    /// [µL] Fluid volume of one site (pericellular layer or interstitial fluid).
    pub site_volume_ul: f64,
    /// [1] Ionised share of the fluid's calcium (`f_ion`: medium or plasma).
    pub ionised_calcium_fraction: f64,
    /// [1] What a cell senses per unit of its site's total calcium: ionised calcium
    /// over the culture medium's ionised share (the cell model's calcium responses are
    /// calibrated on total calcium of culture media), so 1 in a well.
    pub calcium_sensing_factor: f64,
    /// [pmol P] Phosphorus added by cellular PPi production since the last medium
    /// change (for the phosphorus balance).
    pub cell_phosphorus_pmol: f64,
    /// [pmol Ca, pmol P] Net calcium and phosphorus that entered the site fluids from
    /// plasma since the start (lumen and vasa vasorum; for the wall's balance).
    pub plasma_exchange_pmol: [f64; 2],
    /// [1] BMP-2 excess at each site, secreted by its cell and its neighbours at the end
    /// of the last step (`crate::model::paracrine`; 0 in cell-free layers).
    #[serde(default)]
    pub bmp2_paracrine: Vec<f64>,
}

impl Wall {
    /// The fluid a site's cell and mineral see: its own calcium, phosphate and PPi, the
    /// reservoir's other solutes.
    #[must_use]
    pub fn fluid_at(&self, index: usize) -> FluidState {
        let reservoir = match &self.fluid {
            WallFluid::Medium { current, .. } | WallFluid::Bath { current, .. } => current,
            WallFluid::Plasma { plasma } => plasma,
        };
        FluidState {
            calcium: self.site_fluid.calcium[index],
            phosphate: self.site_fluid.phosphate[index],
            pyrophosphate: self.site_fluid.pyrophosphate[index],
            ..*reservoir
        }
    }

    /// Fraction of a site's neighbours that are empty (contact inhibition).
    #[must_use]
    pub fn free_neighbour_fraction(&self, index: usize) -> f64 {
        let mut out = [0; 6];
        let n = self.lattice.neighbours(index, &mut out);
        if n == 0 {
            return 0.0;
        }
        let free = out[..n]
            .iter()
            .filter(|&&i| {
                self.occupants[i] == Occupant::Empty && self.lattice.layer_of(i).holds_cells()
            })
            .count();
        #[expect(clippy::cast_precision_loss, reason = "at most 6 neighbours")]
        let fraction = free as f64 / n as f64;
        fraction
    }

    /// Number of neighbouring sites holding a living cell.
    #[must_use]
    pub fn live_neighbours(&self, index: usize) -> usize {
        let mut out = [0; 6];
        let n = self.lattice.neighbours(index, &mut out);
        out[..n].iter().filter(|&&i| self.site_alive[i]).count()
    }

    /// [pmol] Calcium in the bulk medium, the site fluids and all mineral (conserved
    /// in a well between medium changes, and in a wall closed to plasma).
    #[must_use]
    pub fn calcium_inventory_pmol(&self) -> f64 {
        let mineral: f64 = self.sites.iter().map(SiteMineral::total).sum();
        let sites: f64 = self.site_fluid.calcium.iter().sum::<f64>() * self.site_volume_ul * 1e3;
        let bulk = match &self.fluid {
            WallFluid::Medium {
                current, volume_ul, ..
            }
            | WallFluid::Bath {
                current, volume_ul, ..
            } => current.calcium * volume_ul * 1e3,
            WallFluid::Plasma { .. } => 0.0,
        };
        bulk + sites + mineral
    }

    /// [pmol] Phosphorus in Pi, β-glycerophosphate, PPi (bulk and site fluids) and
    /// mineral, minus what cells added as PPi (conserved like the calcium).
    #[must_use]
    pub fn phosphorus_inventory_pmol(&self, phosphate_per_calcium: f64) -> f64 {
        let mineral: f64 = self.sites.iter().map(SiteMineral::total).sum();
        let f = &self.site_fluid;
        let sites = (f.phosphate.iter().sum::<f64>() * 1e3
            + 2.0 * f.pyrophosphate.iter().sum::<f64>())
            * self.site_volume_ul;
        let bulk = match &self.fluid {
            WallFluid::Medium {
                current, volume_ul, ..
            }
            | WallFluid::Bath {
                current, volume_ul, ..
            } => {
                (current.phosphate + current.beta_glycerophosphate) * volume_ul * 1e3
                    + 2.0 * current.pyrophosphate * volume_ul
            }
            WallFluid::Plasma { .. } => 0.0,
        };
        bulk + sites + phosphate_per_calcium * mineral - self.cell_phosphorus_pmol
    }

    /// [µm³] The volume mineral can fill at one site: a wall's whole site (mineral
    /// replaces interstitial fluid and matrix), a well's pericellular layer of depth
    /// `pericellular_depth_um` over the site's area.
    #[must_use]
    pub fn mineral_room_um3(&self, pericellular_depth_um: f64) -> f64 {
        let spacing = self.lattice.spacing_um;
        if self.lattice.layers.contains(&LayerKind::Monolayer) {
            spacing * spacing * pericellular_depth_um
        } else {
            spacing.powi(3)
        }
    }

    /// [mg] Dry mass of the wall's tissue (vessel): site volume × density × dry share.
    #[must_use]
    pub fn tissue_dry_mg(&self, tissue_density: f64, dry_fraction: f64) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "site counts")]
        let sites = self.lattice.len() as f64;
        sites * self.lattice.spacing_um.powi(3) * 1e-9 * tissue_density * dry_fraction
    }
}

/// The next free cell id (daughters get new ids in a deterministic order).
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextCellId(pub u64);

/// Running totals.
#[derive(
    Resource, Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Tally {
    /// Cells that committed to apoptosis since the start.
    pub apoptotic_deaths: u64,
    /// Divisions since the start.
    pub divisions: u64,
    /// Apoptotic deaths since the start by the route credited with each
    /// ([`crate::model::apoptosis::DeathRoute::ALL`] order); they sum to `apoptotic_deaths`.
    #[serde(default)]
    pub deaths_by_route: [u64; crate::model::apoptosis::DEATH_ROUTES],
}

/// One site of a wall snapshot as recorded: what [`crate::sim::systems::record::wall_row`] turns into a `wall.csv`
/// row when it is written (72 bytes instead of a row's 152).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SiteSnapshot {
    /// `empty`, `contractile`, `synthetic`, `osteogenic`, `apoptotic`, `apoptotic_body`.
    pub occupant: &'static str,
    /// Cell id, or [`u64::MAX`] for none.
    pub cell_id: u64,
    /// [1] CHOP, Runx2 and ALP of the cell (0 if empty).
    pub markers: [f64; 3],
    /// [1] Competence-weighted vesicles.
    pub vesicles: f64,
    /// [pmol Ca] ACP.
    pub acp: f64,
    /// [pmol Ca] Hydroxyapatite.
    pub hap: f64,
    /// [pmol Ca] The part of `acp + hap` that nucleated on the site's elastic lamella.
    pub lamella: f64,
}

/// What has been recorded so far.
#[derive(Resource, Clone, Debug, Default)]
pub struct Recorder {
    /// One row per recorded time.
    pub timeseries: Vec<TimeseriesRow>,
    /// One row per recorded time and radial layer (`layers.csv`).
    pub layers: Vec<crate::record::LayerRow>,
    /// Wall snapshots not yet handed over: time [min] and one entry per site.
    pub wall: Vec<(f64, Vec<SiteSnapshot>)>,
    /// [min] Recording interval.
    pub every_min: f64,
    /// [min] Snapshot times still to take, ascending.
    pub snapshots_min: Vec<f64>,
}

/// The cost of the cell integration so far: evaluations of the cells' rates, summed
/// over cells and coupling steps (what the fuzz test bounds; independent of the thread
/// count).
#[derive(
    Resource, Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize,
)]
pub struct IntegrationWork {
    /// Evaluations of [`crate::model::cell::CellModel::rates`].
    pub rhs_evaluations: u64,
}

/// The first failure of the run, if any.
#[derive(Resource, Clone, Debug, Default)]
pub struct Failure(pub Option<crate::sim::SimError>);
