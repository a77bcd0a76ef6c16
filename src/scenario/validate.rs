//! From [`ScenarioFile`] to [`Scenario`]: every value checked against the limits of
//! [`reference`](super::reference), defaults filled in, units made canonical, and every
//! problem collected before giving up.

use super::error::{Location, Problem, ProblemKind, ScenarioError, Value};
use super::file::{
    EnvironmentFile, GeneticsFile, GeometryFile, MetaFile, ParameterTables, RecordFile,
    SET_BY_CODE, ScenarioFile, StressFile, TimeFile, TreatmentFile,
};
use super::reference::{
    self as r, Allowed, Bounds, DefaultValue, GEOMETRY_MODES, INTEGRATORS, KNOCKOUT_NAMES, KeyRef,
    MAX_TOTAL_SITES, SPECIES_NAMES, STRESS_KINDS,
};
use super::{
    Environment, Geometry, Meta, ParameterOverride, RecordSettings, ScenarioContent,
    StressSchedule, TimeSettings, Treatment,
};
use crate::model::COUPLING_STEP_MIN;
use crate::model::integrate::Integrator;
use crate::model::medium::{FluidComposition, Medium};
use crate::model::parameter_set::ModelParams;
use crate::model::parameters::{DidYouMean, ParamError, closest};
use crate::model::species::Species;
use crate::model::upr_core::CoreKnockout;
use crate::treatment::catalog::Effect;
use crate::treatment::schedule::parameter_phases;
use crate::treatment::{CATALOG, find};
use crate::units::{min_to_days, min_to_h};
use std::ops::Range;
use toml::Spanned;

/// [h] How far from a whole hour the edge of a window on the medium may be: rounding of a
/// day fraction such as 1/24 written with a few digits (0.0417 day is 1.0008 h).
const WHOLE_HOUR_TOLERANCE: f64 = 1e-2;

/// [min] The whole hour nearest to `at_min`.
fn whole_hour(at_min: f64) -> f64 {
    (at_min / COUPLING_STEP_MIN).round() * COUPLING_STEP_MIN
}

/// Checks a parsed file and builds the validated scenario.
///
/// # Errors
/// [`ScenarioError::Invalid`] with every problem found, in file order.
pub(super) fn validate(
    file: &ScenarioFile,
    source_text: &str,
    origin: &str,
) -> Result<ScenarioContent, ScenarioError> {
    let mut check = Checker {
        text: source_text,
        problems: Vec::new(),
    };
    let meta = check.meta(file.meta.as_ref());
    let (geometry, mode) = check.geometry(file.geometry.as_ref());
    let time = check.time(file.time.as_ref());
    let environment = check.environment(file.environment.as_ref(), mode);
    let stress = check.stress(file.stress.as_ref(), time.duration_min);
    let species = check.species(file.genetics.as_ref());
    let knockouts = check.knockouts(file.genetics.as_ref());
    let (mut params, overrides) = check.parameters(file.parameters.as_ref());
    let record = check.record(file.record.as_ref(), file.time.as_ref(), &time);
    let mut knockouts = knockouts;
    let mut environment = environment;
    // Plasma feeds the wall: a vessel not bathed by medium.
    let plasma_fed = mode == Some(Mode::Vessel) && environment.bath_ul_per_mm2.is_none();
    let treatments = check.treatments(
        file.treatment.as_deref().unwrap_or(&[]),
        plasma_fed,
        time.duration_min,
        &mut params,
        &mut knockouts,
        &mut environment,
    );

    if !check.problems.is_empty() {
        let mut problems = check.problems;
        problems.sort_by_key(|p| p.location);
        return Err(ScenarioError::Invalid {
            origin: origin.to_string(),
            problems,
        });
    }
    Ok(ScenarioContent {
        meta,
        geometry,
        time,
        environment,
        stress,
        species,
        knockouts,
        params,
        overrides,
        treatments,
        record,
        source_text: source_text.to_string(),
    })
}

/// The geometry mode, once known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    InVitro,
    Vessel,
}

impl Mode {
    const fn name(self) -> &'static str {
        match self {
            Self::InVitro => "in_vitro",
            Self::Vessel => "vessel",
        }
    }
}

/// Collects problems while reading values. Every reader returns a value even when the
/// input is wrong (a default or the raw value); the scenario is only built when no
/// problem was found, so such stand-in values never escape.
struct Checker<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(
        &mut self,
        span: Option<Range<usize>>,
        key: &str,
        value: Option<Value>,
        kind: ProblemKind,
    ) {
        // A value set by code has no place in the text.
        let location = span
            .filter(|s| *s != SET_BY_CODE)
            .map(|s| Location::at(self.text, s.start));
        self.problems.push(Problem {
            location,
            key: key.to_string(),
            value,
            kind,
        });
    }

    fn missing_table(&mut self, name: &str) {
        self.report(None, name, None, ProblemKind::MissingTable);
    }

    fn missing_key(&mut self, table: Range<usize>, key: &KeyRef) {
        let kind = ProblemKind::MissingKey {
            when: key.only_when,
        };
        self.report(Some(table), key.key, None, kind);
    }

    /// Checks a number against the key's range; returns it in canonical units.
    fn in_range(&mut self, value: &Spanned<f64>, key: &KeyRef) -> f64 {
        let v = *value.get_ref();
        if let Some(bounds) = key.bounds()
            && !bounds.contains(v)
        {
            self.out_of_range(value.span(), key, Value::Number(v), bounds);
        }
        v * key.scale
    }

    fn out_of_range(&mut self, span: Range<usize>, key: &KeyRef, value: Value, allowed: Bounds) {
        let kind = ProblemKind::OutOfRange {
            allowed,
            unit: key.unit,
        };
        self.report(Some(span), key.key, Some(value), kind);
    }

    /// A number with the key's default; reports a missing required key at `table`.
    fn number(&mut self, value: Option<&Spanned<f64>>, key: &KeyRef, table: Range<usize>) -> f64 {
        match (value, key.default) {
            (Some(v), _) => self.in_range(v, key),
            (None, DefaultValue::Number(default)) => default * key.scale,
            (None, DefaultValue::Required) => {
                self.missing_key(table, key);
                f64::NAN
            }
            (None, DefaultValue::Text(_)) => f64::NAN,
        }
    }

    /// A number with an explicit default (in the key's unit).
    fn number_or(&mut self, value: Option<&Spanned<f64>>, key: &KeyRef, default: f64) -> f64 {
        value.map_or(default * key.scale, |v| self.in_range(v, key))
    }

    /// An optional number without default.
    fn optional_number(&mut self, value: Option<&Spanned<f64>>, key: &KeyRef) -> Option<f64> {
        value.map(|v| self.in_range(v, key))
    }

    /// A count (non-negative integer) with the key's default.
    fn count(&mut self, value: Option<&Spanned<i64>>, key: &KeyRef, table: Range<usize>) -> usize {
        let Some(value) = value else {
            return match key.default {
                DefaultValue::Number(default) => float_to_count(default),
                DefaultValue::Required => {
                    self.missing_key(table, key);
                    0
                }
                DefaultValue::Text(_) => 0,
            };
        };
        let v = *value.get_ref();
        let as_float = v as f64;
        if let Some(bounds) = key.bounds()
            && !bounds.contains(as_float)
        {
            self.out_of_range(value.span(), key, Value::Integer(v), bounds);
        }
        usize::try_from(v).unwrap_or(0)
    }

    /// Reports a key given although the selected mode or kind does not allow it.
    fn not_applicable(
        &mut self,
        given: Option<(Range<usize>, Value)>,
        key: &KeyRef,
        selected: &str,
    ) {
        let (Some((span, value)), Some(only_when)) = (given, key.only_when) else {
            return;
        };
        if only_when.value != selected {
            let kind = ProblemKind::NotApplicable {
                only_when,
                selected: selected.to_string(),
            };
            self.report(Some(span), key.key, Some(value), kind);
        }
    }

    /// One of a fixed list of names, with a suggestion for a typo.
    fn one_of(
        &mut self,
        value: &Spanned<String>,
        key: &KeyRef,
        what: &'static str,
        names: &'static [&'static str],
    ) -> Option<&'static str> {
        let found = names.iter().copied().find(|n| *n == value.get_ref());
        if found.is_none() {
            let kind = ProblemKind::UnknownName {
                what,
                expected: names.to_vec(),
                suggestion: DidYouMean(closest(value.get_ref(), names.iter().copied())),
            };
            self.report(
                Some(value.span()),
                key.key,
                Some(value.get_ref().into()),
                kind,
            );
        }
        found
    }

    fn bad_form(&mut self, value: &Spanned<String>, key: &KeyRef) {
        let Allowed::Form(expected) = key.allowed else {
            return;
        };
        let kind = ProblemKind::BadForm { expected };
        self.report(
            Some(value.span()),
            key.key,
            Some(value.get_ref().into()),
            kind,
        );
    }

    fn inconsistent(&mut self, span: Range<usize>, key: &str, value: Value, requirement: String) {
        let kind = ProblemKind::Inconsistent { requirement };
        self.report(Some(span), key, Some(value), kind);
    }

    fn meta(&mut self, meta: Option<&Spanned<MetaFile>>) -> Meta {
        let Some(meta) = meta else {
            self.missing_table("meta");
            return Meta {
                name: String::new(),
                description: String::new(),
                claims: Vec::new(),
                seed: 0,
            };
        };
        let table = meta.span();
        let m = meta.get_ref();
        let name = match &m.name {
            Some(name) => {
                if !is_valid_name(name.get_ref()) {
                    self.bad_form(name, &r::META_NAME);
                }
                name.get_ref().clone()
            }
            None => {
                self.missing_key(table.clone(), &r::META_NAME);
                String::new()
            }
        };
        let description = match &m.description {
            Some(description) => {
                if description.get_ref().trim().is_empty() {
                    self.bad_form(description, &r::META_DESCRIPTION);
                }
                description.get_ref().clone()
            }
            None => {
                self.missing_key(table.clone(), &r::META_DESCRIPTION);
                String::new()
            }
        };
        let mut claims = Vec::new();
        for claim in m.claims.iter().flatten() {
            if !is_claim_id(claim.get_ref()) {
                self.bad_form(claim, &r::META_CLAIMS);
            } else if claims.contains(claim.get_ref()) {
                let value = Some(claim.get_ref().into());
                self.report(
                    Some(claim.span()),
                    r::META_CLAIMS.key,
                    value,
                    ProblemKind::Duplicate,
                );
            }
            claims.push(claim.get_ref().clone());
        }
        // Any u64 is a seed (a negative or fractional one is a type error of the parser).
        let seed = m.seed.as_ref().map_or_else(
            || match r::META_SEED.default {
                DefaultValue::Number(default) => float_to_count(default) as u64,
                DefaultValue::Required | DefaultValue::Text(_) => 1,
            },
            |seed| *seed.get_ref(),
        );
        Meta {
            name,
            description,
            claims,
            seed,
        }
    }

    fn geometry(&mut self, geometry: Option<&Spanned<GeometryFile>>) -> (Geometry, Option<Mode>) {
        let Some(geometry) = geometry else {
            self.missing_table("geometry");
            return (Geometry::stand_in(), None);
        };
        let table = geometry.span();
        let g = geometry.get_ref();
        let mode = match &g.mode {
            Some(mode) => self
                .one_of(mode, &r::GEOMETRY_MODE, "geometry mode", GEOMETRY_MODES)
                .map(|m| {
                    if m == "vessel" {
                        Mode::Vessel
                    } else {
                        Mode::InVitro
                    }
                }),
            None => {
                self.missing_key(table.clone(), &r::GEOMETRY_MODE);
                None
            }
        };
        if let Some(mode) = mode {
            let selected = mode.name();
            let float = |v: &Option<Spanned<f64>>| {
                v.as_ref().map(|v| (v.span(), Value::Number(*v.get_ref())))
            };
            let int = |v: &Option<Spanned<i64>>| {
                v.as_ref().map(|v| (v.span(), Value::Integer(*v.get_ref())))
            };
            self.not_applicable(
                float(&g.medium_depth_mm),
                &r::GEOMETRY_MEDIUM_DEPTH,
                selected,
            );
            self.not_applicable(int(&g.intima_layers), &r::GEOMETRY_INTIMA, selected);
            self.not_applicable(int(&g.media_layers), &r::GEOMETRY_MEDIA, selected);
            self.not_applicable(int(&g.adventitia_layers), &r::GEOMETRY_ADVENTITIA, selected);
            self.not_applicable(int(&g.lamella_every), &r::GEOMETRY_LAMELLA_EVERY, selected);
        }
        let axial_sites = self.count(g.axial_sites.as_ref(), &r::GEOMETRY_AXIAL, table.clone());
        let circumferential_sites = self.count(
            g.circumferential_sites.as_ref(),
            &r::GEOMETRY_CIRCUMFERENTIAL,
            table.clone(),
        );
        let default_spacing = if mode == Some(Mode::Vessel) {
            r::DEFAULT_SPACING_VESSEL_UM
        } else {
            r::DEFAULT_SPACING_IN_VITRO_UM
        };
        let site_spacing_um = self.number_or(
            g.site_spacing_um.as_ref(),
            &r::GEOMETRY_SPACING,
            default_spacing,
        );
        let occupancy = self.number(g.occupancy.as_ref(), &r::GEOMETRY_OCCUPANCY, table.clone());
        let medium_depth_mm = self.number(
            g.medium_depth_mm.as_ref(),
            &r::GEOMETRY_MEDIUM_DEPTH,
            table.clone(),
        );
        let intima_layers =
            self.count(g.intima_layers.as_ref(), &r::GEOMETRY_INTIMA, table.clone());
        let media_layers = self.count(g.media_layers.as_ref(), &r::GEOMETRY_MEDIA, table.clone());
        let adventitia_layers = self.count(
            g.adventitia_layers.as_ref(),
            &r::GEOMETRY_ADVENTITIA,
            table.clone(),
        );
        let lamella_every = self.count(
            g.lamella_every.as_ref(),
            &r::GEOMETRY_LAMELLA_EVERY,
            table.clone(),
        );

        let geometry = match mode {
            Some(Mode::Vessel) => Geometry::Vessel {
                axial_sites,
                circumferential_sites,
                site_spacing_um,
                occupancy,
                intima_layers,
                media_layers,
                adventitia_layers,
                lamella_every,
            },
            Some(Mode::InVitro) | None => Geometry::InVitro {
                axial_sites,
                circumferential_sites,
                site_spacing_um,
                occupancy,
                medium_depth_mm,
            },
        };
        let sizes_valid = [
            (&g.axial_sites, &r::GEOMETRY_AXIAL),
            (&g.circumferential_sites, &r::GEOMETRY_CIRCUMFERENTIAL),
        ]
        .iter()
        .all(|(v, key)| {
            v.as_ref().is_some_and(|v| {
                key.bounds()
                    .is_some_and(|b| b.contains(*v.get_ref() as f64))
            })
        });
        let total = geometry.cell_sites();
        if mode.is_some() && sizes_valid && total > MAX_TOTAL_SITES {
            let layers = total / (axial_sites * circumferential_sites).max(1);
            self.inconsistent(
                table,
                "geometry",
                Value::Integer(i64::try_from(total).unwrap_or(i64::MAX)),
                format!(
                    "too many cell sites: axial_sites × circumferential_sites × cell layers \
                     ({axial_sites} × {circumferential_sites} × {layers}) must be <= {MAX_TOTAL_SITES}"
                ),
            );
        }
        (geometry, mode)
    }

    fn time(&mut self, time: Option<&Spanned<TimeFile>>) -> TimeSettings {
        let Some(time) = time else {
            self.missing_table("time");
            return TimeSettings {
                duration_min: f64::NAN,
                dt_min: f64::NAN,
                integrator: Integrator::ADAPTIVE,
            };
        };
        let table = time.span();
        let t = time.get_ref();
        let duration_min = self.number(t.duration_days.as_ref(), &r::TIME_DURATION, table.clone());
        let dt_min = self.number(t.dt_min.as_ref(), &r::TIME_DT, table);
        if let Some(duration) = &t.duration_days
            && valid(Some(duration), &r::TIME_DURATION)
            && valid(t.dt_min.as_ref(), &r::TIME_DT)
            && dt_min > duration_min
        {
            match &t.dt_min {
                Some(dt) => self.inconsistent(
                    dt.span(),
                    r::TIME_DT.key,
                    Value::Number(dt_min),
                    format!("must be <= the duration ({duration_min} min)"),
                ),
                None => self.inconsistent(
                    duration.span(),
                    r::TIME_DURATION.key,
                    Value::Number(*duration.get_ref()),
                    format!("must be at least {} ({dt_min} min)", r::TIME_DT.key),
                ),
            }
        }
        let integrator = match &t.integrator {
            Some(name) => match self.one_of(name, &r::TIME_INTEGRATOR, "integrator", INTEGRATORS) {
                Some("rk4") => Integrator::rk4(dt_min),
                _ => Integrator::ADAPTIVE,
            },
            None => Integrator::ADAPTIVE,
        };
        TimeSettings {
            duration_min,
            dt_min,
            integrator,
        }
    }

    fn environment(
        &mut self,
        environment: Option<&Spanned<EnvironmentFile>>,
        mode: Option<Mode>,
    ) -> Environment {
        let empty = EnvironmentFile::default();
        let (e, table) = environment.map_or((&empty, 0..0), |e| (e.get_ref(), e.span()));
        // Medium changes: in a well, and in a vessel bathed by medium.
        if let (Some(mode), Some(change)) = (mode, &e.medium_change_every_days)
            && !(mode == Mode::Vessel && e.bath_ul_per_mm2.is_some())
        {
            let given = Some((change.span(), Value::Number(*change.get_ref())));
            self.not_applicable(given, &r::ENV_MEDIUM_CHANGE, mode.name());
        }
        if let (Some(mode), Some(bath)) = (mode, &e.bath_ul_per_mm2) {
            let given = Some((bath.span(), Value::Number(*bath.get_ref())));
            self.not_applicable(given, &r::ENV_BATH, mode.name());
        }
        Environment {
            medium: Medium {
                fluid: FluidComposition {
                    calcium: self.number(e.calcium_mm.as_ref(), &r::ENV_CALCIUM, table.clone()),
                    phosphate: self.number(
                        e.phosphate_mm.as_ref(),
                        &r::ENV_PHOSPHATE,
                        table.clone(),
                    ),
                    pyrophosphate: self.number(
                        e.pyrophosphate_um.as_ref(),
                        &r::ENV_PYROPHOSPHATE,
                        table.clone(),
                    ),
                    beta_glycerophosphate: self.number(
                        e.beta_glycerophosphate_mm.as_ref(),
                        &r::ENV_BETA_GP,
                        table.clone(),
                    ),
                    fetuin_a: self.number(e.fetuin_a_um.as_ref(), &r::ENV_FETUIN_A, table.clone()),
                    magnesium: self.number(
                        e.magnesium_mm.as_ref(),
                        &r::ENV_MAGNESIUM,
                        table.clone(),
                    ),
                },
                glucose: self.number(e.glucose_mm.as_ref(), &r::ENV_GLUCOSE, table.clone()),
                tnf_alpha: self.number(e.tnf_alpha.as_ref(), &r::ENV_TNF_ALPHA, table.clone()),
                il1_beta: self.number(e.il1_beta.as_ref(), &r::ENV_IL1_BETA, table.clone()),
                il6: self.number(e.il6.as_ref(), &r::ENV_IL6, table.clone()),
                lps: self.number(e.lps.as_ref(), &r::ENV_LPS, table.clone()),
                ros: self.number(e.ros.as_ref(), &r::ENV_ROS, table.clone()),
                rage: self.number(e.rage.as_ref(), &r::ENV_RAGE, table.clone()),
                bmp2: self.number(e.bmp2.as_ref(), &r::ENV_BMP2, table),
            },
            medium_change_every_min: self
                .optional_number(e.medium_change_every_days.as_ref(), &r::ENV_MEDIUM_CHANGE),
            bath_ul_per_mm2: self.optional_number(e.bath_ul_per_mm2.as_ref(), &r::ENV_BATH),
        }
    }

    fn stress(
        &mut self,
        stress: Option<&Spanned<StressFile>>,
        duration_min: f64,
    ) -> StressSchedule {
        let Some(stress) = stress else {
            return StressSchedule::Constant { stress: 0.0 };
        };
        let table = stress.span();
        let s = stress.get_ref();
        let kind = match &s.kind {
            Some(kind) => self.one_of(kind, &r::STRESS_KIND, "stress kind", STRESS_KINDS),
            None => Some("constant"),
        };
        let fields = [
            (&s.stress_per_min, &r::STRESS_CONSTANT),
            (&s.before_per_min, &r::STRESS_BEFORE),
            (&s.after_per_min, &r::STRESS_AFTER),
            (&s.at_h, &r::STRESS_AT),
            (&s.low_per_min, &r::STRESS_LOW),
            (&s.high_per_min, &r::STRESS_HIGH),
            (&s.period_h, &r::STRESS_PERIOD),
        ];
        let Some(kind) = kind else {
            // Unknown kind: still check every given value's range.
            for (value, key) in fields {
                if let Some(value) = value {
                    self.in_range(value, key);
                }
            }
            return StressSchedule::Constant { stress: 0.0 };
        };
        for (value, key) in fields {
            let given = value
                .as_ref()
                .map(|v| (v.span(), Value::Number(*v.get_ref())));
            self.not_applicable(given, key, kind);
        }
        match kind {
            "step" => {
                let before =
                    self.number(s.before_per_min.as_ref(), &r::STRESS_BEFORE, table.clone());
                let after = self.number(s.after_per_min.as_ref(), &r::STRESS_AFTER, table.clone());
                let at_min = self.number(s.at_h.as_ref(), &r::STRESS_AT, table);
                // A step at or after the end of the run would never act (NaN duration: the
                // time table has its own problem, reported there).
                if let Some(at) = &s.at_h
                    && at_min >= duration_min
                {
                    self.inconsistent(
                        at.span(),
                        r::STRESS_AT.key,
                        Value::Number(*at.get_ref()),
                        format!(
                            "must be before the end of the run (time.duration_days = {}, {} h), \
                             or the step never acts",
                            min_to_days(duration_min),
                            min_to_h(duration_min)
                        ),
                    );
                }
                StressSchedule::Step {
                    before,
                    after,
                    at_min,
                }
            }
            "square_wave" => {
                let low = self.number(s.low_per_min.as_ref(), &r::STRESS_LOW, table.clone());
                let high = self.number(s.high_per_min.as_ref(), &r::STRESS_HIGH, table.clone());
                let period_min = self.number(s.period_h.as_ref(), &r::STRESS_PERIOD, table);
                if let Some(low_value) = &s.low_per_min
                    && low > high
                {
                    self.inconsistent(
                        low_value.span(),
                        r::STRESS_LOW.key,
                        Value::Number(low),
                        format!("must be <= {} ({high})", r::STRESS_HIGH.key),
                    );
                }
                StressSchedule::SquareWave {
                    low,
                    high,
                    period_min,
                }
            }
            _ => StressSchedule::Constant {
                stress: self.number(s.stress_per_min.as_ref(), &r::STRESS_CONSTANT, table),
            },
        }
    }

    fn species(&mut self, genetics: Option<&Spanned<GeneticsFile>>) -> Species {
        let Some(name) = genetics.and_then(|g| g.get_ref().species.as_ref()) else {
            return Species::default();
        };
        self.one_of(name, &r::GENETICS_SPECIES, "species", SPECIES_NAMES)
            .and_then(|found| Species::ALL.into_iter().find(|s| s.name() == found))
            .unwrap_or_default()
    }

    fn knockouts(&mut self, genetics: Option<&Spanned<GeneticsFile>>) -> Vec<CoreKnockout> {
        let mut knockouts = Vec::new();
        let names = genetics.and_then(|g| g.get_ref().knockouts.as_ref());
        for name in names.into_iter().flatten() {
            let key = &r::GENETICS_KNOCKOUTS;
            let Some(found) = self.one_of(name, key, "knockout", KNOCKOUT_NAMES) else {
                continue;
            };
            let Some(knockout) = CoreKnockout::ALL.into_iter().find(|k| k.name() == found) else {
                continue;
            };
            if knockouts.contains(&knockout) {
                self.report(
                    Some(name.span()),
                    key.key,
                    Some(name.get_ref().into()),
                    ProblemKind::Duplicate,
                );
            } else {
                knockouts.push(knockout);
            }
        }
        knockouts
    }

    /// `[[treatment]]` entries: catalog id, dose, time window; applies whole-run effects
    /// (genes, parameters, and the medium or plasma of treatments without a window).
    fn treatments(
        &mut self,
        entries: &[Spanned<TreatmentFile>],
        plasma_fed: bool,
        duration_min: f64,
        params: &mut ModelParams,
        knockouts: &mut Vec<CoreKnockout>,
        environment: &mut Environment,
    ) -> Vec<Treatment> {
        let ids: Vec<&'static str> = CATALOG.iter().map(|e| e.id).collect();
        let mut treatments = Vec::new();
        // The table and id of each entry of `treatments`, for messages.
        let mut spans: Vec<(Range<usize>, String)> = Vec::new();
        // Whether a treatment alone took a parameter out of range (reported at it).
        let mut alone_out_of_range = false;
        // Where each gene was deleted: `[genetics]` names, then `[[treatment]]` ids.
        let mut deleted_by: Vec<(CoreKnockout, String)> = knockouts
            .iter()
            .map(|k| (*k, r::GENETICS_KNOCKOUTS.key.to_string()))
            .collect();
        for entry in entries {
            let table = entry.span();
            let t = entry.get_ref();
            let Some(id) = &t.id else {
                self.missing_key(table, &r::TREATMENT_ID);
                continue;
            };
            let Some(catalog_entry) = find(id.get_ref()) else {
                let kind = ProblemKind::UnknownName {
                    what: "treatment (see `vcsim catalog`)",
                    expected: Vec::new(),
                    suggestion: DidYouMean(closest(id.get_ref(), ids.iter().copied())),
                };
                self.report(
                    Some(id.span()),
                    r::TREATMENT_ID.key,
                    Some(id.get_ref().into()),
                    kind,
                );
                continue;
            };
            let dose = self.number_or(
                t.dose.as_ref(),
                &r::TREATMENT_DOSE,
                catalog_entry.typical_dose,
            );
            let doses = &catalog_entry.doses;
            if let Some(given) = &t.dose
                && r::TREATMENT_DOSE
                    .bounds()
                    .is_some_and(|b| b.contains(*given.get_ref()))
                && !doses.contains(dose)
            {
                self.inconsistent(
                    given.span(),
                    r::TREATMENT_DOSE.key,
                    Value::Number(dose),
                    format!(
                        "must be in [{}, {}] {} for {} ({}; `vcsim catalog`)",
                        doses.min,
                        doses.max,
                        catalog_entry.dose_unit,
                        catalog_entry.id,
                        doses.basis
                    ),
                );
            }
            let mut start_min =
                self.number(t.start_days.as_ref(), &r::TREATMENT_START, table.clone());
            let mut stop_min = self.optional_number(t.stop_days.as_ref(), &r::TREATMENT_STOP);
            // A start at or after the end of the run would never act (NaN duration: the
            // time table has its own problem, reported there).
            if let Some(start) = t.start_days.as_ref()
                && start_min >= duration_min
            {
                self.inconsistent(
                    start.span(),
                    r::TREATMENT_START.key,
                    Value::Number(min_to_days(start_min)),
                    format!(
                        "must be before the end of the run (time.duration_days = {}), or the \
                         treatment never acts",
                        min_to_days(duration_min)
                    ),
                );
            }
            if let (Some(stop), Some(span)) = (stop_min, t.stop_days.as_ref().map(Spanned::span))
                && stop <= start_min
            {
                self.inconsistent(
                    span,
                    r::TREATMENT_STOP.key,
                    Value::Number(min_to_days(stop)),
                    format!(
                        "must be after treatment.start_days ({})",
                        min_to_days(start_min)
                    ),
                );
            }
            // What a cell senses follows a window exactly (the cell integration stops at
            // its edges), but the medium or plasma and the model's parameters change only
            // at the start of an hourly coupling step: a window on them must open and
            // close on whole hours.
            let changes_parameters = catalog_entry.changes_genes_or_parameters();
            if catalog_entry.changes_solutes() || changes_parameters {
                let what = if catalog_entry.changes_solutes() {
                    "the medium or plasma"
                } else {
                    "model parameters"
                };
                let edges = [
                    (t.start_days.as_ref(), start_min, r::TREATMENT_START.key),
                    (
                        t.stop_days.as_ref(),
                        stop_min.unwrap_or(0.0),
                        r::TREATMENT_STOP.key,
                    ),
                ];
                for (given, at_min, key) in edges {
                    let Some(given) = given else { continue };
                    let hours = at_min / COUPLING_STEP_MIN;
                    if at_min.is_finite() && (hours - hours.round()).abs() > WHOLE_HOUR_TOLERANCE {
                        self.inconsistent(
                            given.span(),
                            key,
                            Value::Number(*given.get_ref()),
                            format!(
                                "{} changes {what}, which change only at the start of an \
                                 hourly coupling step: give a whole number of hours (a \
                                 multiple of 1/24 day, e.g. {})",
                                catalog_entry.id,
                                min_to_days(hours.round() * COUPLING_STEP_MIN)
                            ),
                        );
                    }
                }
                // Within the tolerance the edges are the whole hours they round to, for
                // the cells as for the medium.
                start_min = whole_hour(start_min);
                stop_min = stop_min.map(whole_hour);
            }
            let between_animal_cv = self.number(
                t.between_animal_cv.as_ref(),
                &r::TREATMENT_BETWEEN_ANIMAL_CV,
                table.clone(),
            );
            let deletes_a_gene = catalog_entry
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Knockout(_)));
            if let Some(given) = &t.between_animal_cv
                && deletes_a_gene
                && *given.get_ref() > 0.0
            {
                self.inconsistent(
                    given.span(),
                    r::TREATMENT_BETWEEN_ANIMAL_CV.key,
                    Value::Number(*given.get_ref()),
                    format!(
                        "{} deletes a gene, which no animal receives in part: leave out \
                         between_animal_cv",
                        catalog_entry.id
                    ),
                );
            }
            let onset_min = self.number(t.onset_days.as_ref(), &r::TREATMENT_ONSET, table.clone());
            if let Some(given) = &t.onset_days
                && *given.get_ref() > 0.0
            {
                let days = *given.get_ref();
                if deletes_a_gene {
                    self.inconsistent(
                        given.span(),
                        r::TREATMENT_ONSET.key,
                        Value::Number(days),
                        format!(
                            "{} deletes a gene, which is permanent from the start: leave out \
                             onset_days",
                            catalog_entry.id
                        ),
                    );
                } else if !plasma_fed {
                    self.inconsistent(
                        given.span(),
                        r::TREATMENT_ONSET.key,
                        Value::Number(days),
                        "is for a milieu an animal develops, in a vessel wall fed by plasma; a \
                         medium changes only at medium changes: give each composition a window \
                         (start_days, stop_days)"
                            .to_string(),
                    );
                } else if onset_min.is_finite() && {
                    let hours = onset_min / COUPLING_STEP_MIN;
                    (hours - hours.round()).abs() > WHOLE_HOUR_TOLERANCE
                } {
                    self.inconsistent(
                        given.span(),
                        r::TREATMENT_ONSET.key,
                        Value::Number(days),
                        format!(
                            "must be a whole number of hours (the dose rises at the hourly \
                             coupling steps): a multiple of 1/24 day, e.g. {}",
                            min_to_days(whole_hour(onset_min).max(COUPLING_STEP_MIN))
                        ),
                    );
                }
            }
            let onset_min = whole_hour(onset_min);
            // A dose that varies between animals or rises over an onset is applied while
            // the run goes (`sim::Simulation::new`), as a windowed treatment is.
            let whole_window = start_min <= 0.0 && stop_min.is_none();
            let whole_run = whole_window && between_animal_cv == 0.0 && onset_min == 0.0;
            if deletes_a_gene && !whole_window {
                self.inconsistent(
                    table.clone(),
                    "treatment",
                    Value::Text(id.get_ref().clone()),
                    "deletes a gene, which is permanent: it acts for the whole run; leave \
                     out start_days and stop_days"
                        .to_string(),
                );
            }
            for effect in catalog_entry.effects {
                let Effect::Knockout(gene) = *effect else {
                    continue;
                };
                if let Some((_, earlier)) = deleted_by.iter().find(|(k, _)| *k == gene) {
                    let kind = ProblemKind::Inconsistent {
                        requirement: format!(
                            "deletes {}, which {earlier} already deletes: delete each gene once",
                            gene.name()
                        ),
                    };
                    self.report(
                        Some(id.span()),
                        r::TREATMENT_ID.key,
                        Some(id.get_ref().into()),
                        kind,
                    );
                } else {
                    deleted_by.push((gene, format!("the treatment `{}`", id.get_ref())));
                }
            }
            let relative_dose = dose / catalog_entry.typical_dose;
            // A change of parameters for a time window is applied while the run goes
            // (`sim::ModelPhase`); here it is only checked, on a copy.
            let applied = if whole_run {
                catalog_entry.apply_to_params(relative_dose, params, knockouts)
            } else {
                catalog_entry.apply_to_params(
                    relative_dose,
                    &mut params.clone(),
                    &mut knockouts.clone(),
                )
            };
            if let Err(e) = applied {
                alone_out_of_range = true;
                self.inconsistent(
                    table.clone(),
                    "treatment",
                    Value::Text(id.get_ref().clone()),
                    format!("at this dose: {e}"),
                );
            }
            // A change of the medium or plasma for a time window is applied while the run
            // goes (`treatment::TreatmentSchedule::compositions`).
            if whole_run {
                catalog_entry.apply_to_medium(relative_dose, &mut environment.medium);
            }
            treatments.push(Treatment {
                entry: catalog_entry,
                dose,
                relative_dose,
                start_min,
                stop_min,
                between_animal_cv,
                onset_min,
            });
            spans.push((table.clone(), id.get_ref().clone()));
        }
        // Each windowed parameter change was checked alone above; together (overlapping
        // windows, or a window on top of the whole-run changes) they must also stay in
        // range, as the run applies them (`sim::ModelPhase`).
        if !alone_out_of_range
            && let Err((failed, from_min, error)) =
                parameter_phases(params, knockouts, &treatments, duration_min)
            && let Some(index) = treatments.iter().position(|t| std::ptr::eq(t, failed))
        {
            let (table, id) = spans[index].clone();
            self.inconsistent(
                table,
                "treatment",
                Value::Text(id),
                format!(
                    "from day {} on, together with the other treatments acting then: {error}",
                    min_to_days(from_min)
                ),
            );
        }
        treatments
    }

    fn parameters(
        &mut self,
        tables: Option<&ParameterTables>,
    ) -> (ModelParams, Vec<ParameterOverride>) {
        let mut params = ModelParams::default();
        let mut overrides = Vec::new();
        let modules = ModelParams::modules();
        // File order: the maps are sorted by name, the spans by position.
        let mut entries: Vec<_> = tables.into_iter().flatten().collect();
        entries.sort_by_key(|(module, _)| module.span().start);
        for (module, fields) in entries {
            let module_name = module.get_ref().as_str();
            if !modules.contains(&module_name) {
                let kind = ProblemKind::UnknownName {
                    what: "parameter module",
                    expected: modules.clone(),
                    suggestion: DidYouMean(closest(module_name, modules.iter().copied())),
                };
                self.report(
                    Some(module.span()),
                    &format!("parameters.{module_name}"),
                    None,
                    kind,
                );
                continue;
            }
            let mut fields: Vec<_> = fields.iter().collect();
            fields.sort_by_key(|(field, _)| field.span().start);
            for (field, value) in fields {
                let key = format!("parameters.{module_name}.{}", field.get_ref());
                let v = *value.get_ref();
                match params.set(module_name, field.get_ref(), v) {
                    Ok(()) => overrides.push(ParameterOverride {
                        module: module_name.to_string(),
                        field: field.get_ref().clone(),
                        value: v,
                    }),
                    Err(error) => {
                        let (span, value, kind) = match error {
                            ParamError::UnknownModule { suggestion, .. } => (
                                module.span(),
                                None,
                                ProblemKind::UnknownName {
                                    what: "parameter module",
                                    expected: modules.clone(),
                                    suggestion,
                                },
                            ),
                            ParamError::UnknownField { suggestion, .. } => (
                                field.span(),
                                None,
                                ProblemKind::UnknownName {
                                    what: "parameter (see `vcsim params`)",
                                    expected: Vec::new(),
                                    suggestion,
                                },
                            ),
                            ParamError::OutOfRange { min, max, unit, .. } => (
                                value.span(),
                                Some(Value::Number(v)),
                                ProblemKind::OutOfRange {
                                    allowed: Bounds::closed(min, max),
                                    unit,
                                },
                            ),
                        };
                        self.report(Some(span), &key, value, kind);
                    }
                }
            }
        }
        // The overrides are kept sorted by module and field, not in file order: a TOML
        // table has no order, and a scenario written back (a job's unit scenario) and
        // read again must give the same scenario and so the same unit key.
        overrides.sort_by(|a, b| (&a.module, &a.field).cmp(&(&b.module, &b.field)));
        (params, overrides)
    }

    fn record(
        &mut self,
        record: Option<&Spanned<RecordFile>>,
        time_file: Option<&Spanned<TimeFile>>,
        time: &TimeSettings,
    ) -> RecordSettings {
        let duration_days = time_file
            .and_then(|t| t.get_ref().duration_days.as_ref())
            .map(|d| *d.get_ref())
            .filter(|d| r::TIME_DURATION.bounds().is_some_and(|b| b.contains(*d)));
        let empty = RecordFile::default();
        let rec = record.map_or(&empty, Spanned::get_ref);

        let every_min = match &rec.every_h {
            Some(every) => {
                let every_min = self.in_range(every, &r::RECORD_EVERY);
                if let Some(days) = duration_days
                    && valid(Some(every), &r::RECORD_EVERY)
                    && every_min > time.duration_min
                {
                    self.inconsistent(
                        every.span(),
                        r::RECORD_EVERY.key,
                        Value::Number(*every.get_ref()),
                        format!(
                            "must be <= {} ({days} d = {} h)",
                            r::TIME_DURATION.key,
                            days * 24.0
                        ),
                    );
                }
                every_min
            }
            None => (r::DEFAULT_RECORD_EVERY_H * r::RECORD_EVERY.scale).min(time.duration_min),
        };

        let mut snapshots_min = vec![0.0];
        for snapshot in rec.snapshots_days.iter().flatten() {
            let minutes = self.in_range(snapshot, &r::RECORD_SNAPSHOTS);
            let days = *snapshot.get_ref();
            if let Some(duration) = duration_days
                && valid(Some(snapshot), &r::RECORD_SNAPSHOTS)
                && days > duration
            {
                self.inconsistent(
                    snapshot.span(),
                    r::RECORD_SNAPSHOTS.key,
                    Value::Number(days),
                    format!("must be <= {} ({duration})", r::TIME_DURATION.key),
                );
            }
            snapshots_min.push(minutes);
        }
        snapshots_min.push(time.duration_min);
        snapshots_min.sort_by(f64::total_cmp);
        snapshots_min.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * b.abs().max(1.0));
        RecordSettings {
            every_min,
            snapshots_min,
        }
    }
}

/// Whether an optional number is absent or inside the key's range.
fn valid(value: Option<&Spanned<f64>>, key: &KeyRef) -> bool {
    value.is_none_or(|v| key.bounds().is_some_and(|b| b.contains(*v.get_ref())))
}

/// A count default from the reference table (a small non-negative integer).
fn float_to_count(value: f64) -> usize {
    value as usize
}

/// `[a-z0-9_-]{1,64}`: the rule for names that become folder names (`meta.name`, an
/// experiment's `experiment.name`), so that a result is always a plain folder inside
/// `output/` (no `..`, no absolute path, no empty name).
#[must_use]
pub fn is_valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// `^[A-Z]{2,3}-\d+$`.
#[must_use]
pub fn is_claim_id(claim: &str) -> bool {
    let Some((letters, digits)) = claim.split_once('-') else {
        return false;
    };
    (2..=3).contains(&letters.len())
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::units::{DAY, HOUR};

    const MINIMAL: &str = r#"
[meta]
name = "t"
description = "test"

[geometry]
mode = "in_vitro"
axial_sites = 10
circumferential_sites = 10

[time]
duration_days = 14
"#;

    fn load(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_toml(text, "x.toml")
    }

    /// The minimal file with `old` replaced by `new`.
    fn minimal_with(old: &str, new: &str) -> String {
        assert!(MINIMAL.contains(old), "{old}");
        MINIMAL.replacen(old, new, 1)
    }

    /// The rendered error of an invalid file.
    fn error_text(text: &str) -> String {
        match load(text) {
            Ok(_) => panic!("expected an invalid scenario:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn a_valid_full_file_parses_to_canonical_values() {
        let text = r#"
[meta]
name = "full_test-1"
description = "every key"
claims = ["OS-1", "VC-12"]
seed = 7

[geometry]
mode = "in_vitro"
axial_sites = 20
circumferential_sites = 30
site_spacing_um = 40.0
occupancy = 0.5
medium_depth_mm = 3

[time]
duration_days = 14.0
dt_min = 0.25

[environment]
calcium_mM = 2.8
phosphate_mM = 0.9
pyrophosphate_uM = 1.5
beta_glycerophosphate_mM = 10
fetuin_a_uM = 2
glucose_mM = 25
tnf_alpha = 1
il1_beta = 0.5
il6 = 0.25
lps = 2
ros = 0.1
rage = 1
bmp2 = 3
medium_change_every_days = 2.5

[stress]
kind = "step"
before_per_min = 0
after_per_min = 8
at_h = 24

[genetics]
species = "rat"
knockouts = ["atf4", "perk"]

[parameters.upr_core]
bip_folding_rate = 1.6

[record]
every_h = 6
snapshots_days = [14, 7, 0, 7]
"#;
        let s = load(text).unwrap();
        assert_eq!(
            s.meta,
            Meta {
                name: "full_test-1".into(),
                description: "every key".into(),
                claims: vec!["OS-1".into(), "VC-12".into()],
                seed: 7,
            }
        );
        assert_eq!(
            s.geometry,
            Geometry::InVitro {
                axial_sites: 20,
                circumferential_sites: 30,
                site_spacing_um: 40.0,
                occupancy: 0.5,
                medium_depth_mm: 3.0,
            }
        );
        assert_eq!(
            s.time,
            TimeSettings {
                duration_min: 14.0 * DAY,
                dt_min: 0.25,
                integrator: Integrator::ADAPTIVE,
            }
        );
        assert_eq!(
            s.environment,
            Environment {
                medium: Medium {
                    fluid: FluidComposition {
                        calcium: 2.8,
                        phosphate: 0.9,
                        pyrophosphate: 1.5,
                        beta_glycerophosphate: 10.0,
                        fetuin_a: 2.0,
                        magnesium: 0.8,
                    },
                    glucose: 25.0,
                    tnf_alpha: 1.0,
                    il1_beta: 0.5,
                    il6: 0.25,
                    lps: 2.0,
                    ros: 0.1,
                    rage: 1.0,
                    bmp2: 3.0,
                },
                medium_change_every_min: Some(2.5 * DAY),
                bath_ul_per_mm2: None,
            }
        );
        assert_eq!(
            s.stress,
            StressSchedule::Step {
                before: 0.0,
                after: 8.0,
                at_min: 24.0 * HOUR,
            }
        );
        assert_eq!(s.knockouts, [CoreKnockout::Atf4, CoreKnockout::Perk]);
        assert_eq!(s.species, Species::Rat);
        assert_eq!(
            s.overrides,
            [ParameterOverride {
                module: "upr_core".into(),
                field: "bip_folding_rate".into(),
                value: 1.6,
            }]
        );
        assert!(close(s.params.cell.upr_core.bip_folding_rate, 1.6));
        assert_eq!(
            s.record,
            RecordSettings {
                every_min: 6.0 * HOUR,
                snapshots_min: vec![0.0, 7.0 * DAY, 14.0 * DAY],
            }
        );
        assert_eq!(s.source_text, text);
        assert_eq!(s.cell_count_upper_bound(), 600);
    }

    #[test]
    fn a_minimal_file_takes_every_default() {
        let s = load(MINIMAL).unwrap();
        assert_eq!(s.meta.seed, 1);
        assert_eq!(s.species, Species::Human);
        assert_eq!(
            s.geometry,
            Geometry::InVitro {
                axial_sites: 10,
                circumferential_sites: 10,
                site_spacing_um: 50.0,
                occupancy: 1.0,
                medium_depth_mm: 2.1,
            }
        );
        assert_eq!(s.time.dt_min.to_bits(), 0.5_f64.to_bits());
        assert_eq!(s.environment.medium_change_every_min, None);
        assert!(
            close(s.environment.medium.fluid.calcium, 1.8)
                && close(s.environment.medium.fluid.phosphate, 0.9)
        );
        assert!(
            close(s.environment.medium.fluid.fetuin_a, 1.0)
                && close(s.environment.medium.glucose, 5.5)
        );
        assert_eq!(s.stress, StressSchedule::Constant { stress: 0.0 });
        assert!(s.knockouts.is_empty() && s.overrides.is_empty());
        assert_eq!(s.params, ModelParams::default());
        assert_eq!(
            s.record,
            RecordSettings {
                every_min: 720.0,
                snapshots_min: vec![0.0, 14.0 * DAY],
            }
        );
        // NaN would serialise as null; the only null is the absent medium change.
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json.matches("null").count(), 1, "{json}");
    }

    #[test]
    fn vessel_mode_takes_the_vessel_defaults() {
        let text = minimal_with("\"in_vitro\"", "\"vessel\"");
        let s = load(&text).unwrap();
        assert_eq!(
            s.geometry,
            Geometry::Vessel {
                axial_sites: 10,
                circumferential_sites: 10,
                site_spacing_um: 20.0,
                occupancy: 1.0,
                intima_layers: 0,
                media_layers: 8,
                adventitia_layers: 2,
                lamella_every: 1,
            }
        );
        // 10 x 10 sites x 8 media layers; the adventitia holds no cells.
        assert_eq!(s.cell_count_upper_bound(), 800);
    }

    #[test]
    fn malformed_toml_gives_line_and_column() {
        let text = minimal_with("[time]", "[time");
        let error = load(&text).unwrap_err();
        assert_eq!(error.problems().len(), 1);
        assert_eq!(
            error.to_string(),
            "x.toml:11:6: unclosed table, expected `]`"
        );
    }

    #[test]
    fn an_unknown_key_names_the_key_its_line_and_the_expected_keys() {
        let text = minimal_with("duration_days = 14", "duraton_days = 14");
        let error = load(&text).unwrap_err();
        let problem = &error.problems()[0];
        assert_eq!(problem.key, "time.duraton_days");
        assert_eq!(
            problem.location,
            Some(Location {
                line: 12,
                column: 1
            })
        );
        assert_eq!(
            error.to_string(),
            "x.toml:12:1: time.duraton_days: unknown key, expected one of `duration_days`, \
             `dt_min`, `integrator`, did you mean `duration_days`?"
        );
    }

    #[test]
    fn an_unknown_table_is_named_with_its_line() {
        let text = format!("{MINIMAL}\n[enviroment]\ncalcium_mM = 1\n");
        let message = error_text(&text);
        assert!(
            message.starts_with("x.toml:14:2: enviroment: unknown key, expected one of `meta`")
        );
        assert!(
            message.ends_with("did you mean `environment`?"),
            "{message}"
        );
    }

    #[test]
    fn a_negative_concentration_names_key_value_range_and_line() {
        let text = format!("{MINIMAL}[environment]\nphosphate_mM = -1\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:16: environment.phosphate_mM = -1: must be in [0, 10] mM"
        );
    }

    #[test]
    fn a_time_step_below_the_floor_is_rejected() {
        // 1e-300 was accepted and never finished.
        let text = format!("{MINIMAL}dt_min = 1e-300\nintegrator = \"rk4\"\n");
        let message = error_text(&text);
        assert!(
            message.starts_with("x.toml:13:10: time.dt_min = ")
                && message.contains("must be in [0.01, 5] min"),
            "{message}"
        );
    }

    #[test]
    fn a_stress_step_at_or_after_the_end_is_rejected() {
        for at in ["1e9", "336"] {
            let text = format!(
                "{MINIMAL}[stress]\nkind = \"step\"\nbefore_per_min = 0\nafter_per_min = 2\nat_h = {at}\n"
            );
            let message = error_text(&text);
            assert!(
                message.contains("stress.at_h") && message.contains("before the end of the run"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_square_wave_below_the_shortest_period_is_rejected() {
        let text = format!(
            "{MINIMAL}[stress]\nkind = \"square_wave\"\nlow_per_min = 0\nhigh_per_min = 2\nperiod_h = 0.01\n"
        );
        let message = error_text(&text);
        assert!(
            message.contains("stress.period_h = 0.01: must be >= 0.1 h"),
            "{message}"
        );
    }

    #[test]
    fn a_dose_outside_the_entry_s_range_names_range_and_unit() {
        for (id, dose, range) in [
            ("4-pba", "500", "[0, 50] mM"),
            ("xbp1-overexpression", "2.5", "[0, 2] –"),
            ("atf4-knockout", "0.5", "[1, 1] –"),
        ] {
            let text = format!("{MINIMAL}[[treatment]]\nid = \"{id}\"\ndose = {dose}\n");
            let message = error_text(&text);
            assert!(
                message.contains(&format!(
                    "treatment.dose = {dose}: must be in {range} for {id}"
                )),
                "{message}"
            );
        }
    }

    #[test]
    fn a_zero_time_step_is_rejected() {
        let text = format!("{MINIMAL}dt_min = 0\n");
        assert_eq!(
            error_text(&text),
            "x.toml:13:10: time.dt_min = 0: must be in [0.01, 5] min"
        );
    }

    #[test]
    fn a_huge_time_step_is_rejected() {
        let text = format!("{MINIMAL}dt_min = 100\n");
        assert_eq!(
            error_text(&text),
            "x.toml:13:10: time.dt_min = 100: must be in [0.01, 5] min"
        );
    }

    #[test]
    fn several_problems_are_reported_at_once_in_file_order() {
        let text = r#"
[meta]
name = "Bad Name"
description = ""
claims = ["os-1"]

[geometry]
mode = "in_vitro"
axial_sites = 0
circumferential_sites = 10
intima_layers = 2

[time]
dt_min = -1

[environment]
calcium_mM = 11
phosphate_mM = -1

[genetics]
knockouts = ["aft4"]
species = "mouse"
"#;
        let error = load(text).unwrap_err();
        let lines: Vec<String> = error.to_string().lines().map(String::from).collect();
        assert_eq!(
            lines,
            [
                "x.toml:3:8: meta.name = \"Bad Name\": must be 1-64 characters from `a-z`, `0-9`, `_` and `-`",
                "x.toml:4:15: meta.description = \"\": must be non-empty text",
                "x.toml:5:11: meta.claims = \"os-1\": must be a claim ID: 2-3 capital letters, `-` and digits, like `OS-1`",
                "x.toml:9:15: geometry.axial_sites = 0: must be in [1, 10000]",
                "x.toml:11:17: geometry.intima_layers = 2: not allowed when geometry.mode = \"in_vitro\" (only when geometry.mode = \"vessel\")",
                "x.toml:13:1: time.duration_days: required key is missing",
                "x.toml:14:10: time.dt_min = -1: must be in [0.01, 5] min",
                "x.toml:17:14: environment.calcium_mM = 11: must be in [0, 10] mM",
                "x.toml:18:16: environment.phosphate_mM = -1: must be in [0, 10] mM",
                "x.toml:21:14: genetics.knockouts = \"aft4\": unknown knockout; expected one of `perk`, `ire1`, `atf6`, `atf4`, `gadd34`, `chop`, `xbp1`, did you mean `atf4`?",
                "x.toml:22:11: genetics.species = \"mouse\": unknown species; expected one of `human`, `rat`",
            ]
        );
        assert_eq!(error.problems().len(), 11);
    }

    #[test]
    fn type_errors_and_unknown_keys_do_not_hide_value_errors() {
        let text = r#"
[meta]
name = "t"
description = "test"
seed = -1
colour = "red"
shape = "round"

[geometry]
mode = "in_vitro"
axial_sites = "five"
circumferential_sites = 0

[time]
duration_days = "two"
dt_min = -1

[[treatment]]
id = "4-pba"
doze = 3
"#;
        let lines: Vec<String> = error_text(text).lines().map(String::from).collect();
        assert_eq!(
            lines,
            [
                "x.toml:5:8: meta.seed = -1: expected a whole number in [0, 18446744073709551615]",
                "x.toml:6:1: meta.colour: unknown key, expected one of `name`, `description`, `claims`, `seed`",
                "x.toml:7:1: meta.shape: unknown key, expected one of `name`, `description`, `claims`, `seed`",
                "x.toml:11:15: geometry.axial_sites = \"five\": expected a whole number in [1, 10000]",
                "x.toml:12:25: geometry.circumferential_sites = 0: must be in [1, 10000]",
                "x.toml:15:17: time.duration_days = \"two\": expected a number in (0, 3650] d",
                "x.toml:16:10: time.dt_min = -1: must be in [0.01, 5] min",
                "x.toml:20:1: treatment[0].doze: unknown key, expected one of `id`, `dose`, `start_days`, `stop_days`, `between_animal_cv`, `onset_days`, did you mean `dose`?",
            ]
        );
    }

    #[test]
    fn a_misspelt_required_key_is_not_also_missing() {
        let text = minimal_with("duration_days = 14", "duraton_days = 14");
        let error = load(&text).unwrap_err();
        assert_eq!(error.problems().len(), 1, "{error}");
    }

    #[test]
    fn a_seed_takes_any_u64() {
        let text = minimal_with("name = \"t\"", "name = \"t\"\nseed = 18446744073709551615");
        assert_eq!(load(&text).unwrap().meta.seed, u64::MAX);
    }

    #[test]
    fn a_dose_that_varies_between_animals_is_applied_at_run_time_and_checked() {
        // Applied while the run goes, at each animal's dose: the scenario's plasma and
        // parameters stay untreated, and the treatment keeps its CV.
        let text =
            format!("{MINIMAL}[[treatment]]\nid = \"high-phosphate\"\nbetween_animal_cv = 0.25\n");
        let varied = load(&text).expect("valid");
        let plain = load(MINIMAL).expect("valid");
        assert!(close(varied.treatments[0].between_animal_cv, 0.25));
        assert!(!varied.treatments[0].is_whole_run());
        assert!(close(
            varied.environment.medium.fluid.phosphate,
            plain.environment.medium.fluid.phosphate
        ));
        // Out of [0, 1], and on a gene deletion, it is refused.
        let text =
            format!("{MINIMAL}[[treatment]]\nid = \"high-phosphate\"\nbetween_animal_cv = -0.1\n");
        assert!(
            error_text(&text).contains("treatment.between_animal_cv = -0.1: must be in [0, 1]"),
            "{}",
            error_text(&text)
        );
        let text =
            format!("{MINIMAL}[[treatment]]\nid = \"atf4-knockout\"\nbetween_animal_cv = 0.2\n");
        assert!(
            error_text(&text).contains("deletes a gene, which no animal receives in part"),
            "{}",
            error_text(&text)
        );
    }

    #[test]
    fn an_onset_is_whole_hours_in_a_plasma_fed_wall_applied_while_the_run_goes() {
        let vessel = minimal_with("\"in_vitro\"", "\"vessel\"");
        let text = format!("{vessel}[[treatment]]\nid = \"ckd-uremia\"\nonset_days = 3\n");
        let ramped = load(&text).expect("valid");
        let plain = load(&vessel).expect("valid");
        assert!(close(ramped.treatments[0].onset_min, 3.0 * DAY));
        // Half a day is 12 whole hours.
        let text = format!("{vessel}[[treatment]]\nid = \"ckd-uremia\"\nonset_days = 0.5\n");
        assert!(close(
            load(&text).expect("valid").treatments[0].onset_min,
            0.5 * DAY
        ));
        assert!(!ramped.treatments[0].is_whole_run());
        // The scenario's plasma stays untreated: the run applies the rising dose.
        assert!(close(
            ramped.environment.medium.fluid.phosphate,
            plain.environment.medium.fluid.phosphate
        ));
        // onset_days = 0 is the same as leaving it out, in any fluid.
        let text = format!("{vessel}[[treatment]]\nid = \"ckd-uremia\"\nonset_days = 0\n");
        assert!(load(&text).expect("valid").treatments[0].is_whole_run());
        let text = format!("{MINIMAL}[[treatment]]\nid = \"high-phosphate\"\nonset_days = 0\n");
        assert!(load(&text).expect("valid").treatments[0].is_whole_run());
        for (value, expected) in [
            ("-1", "treatment.onset_days = -1: must be >= 0 days"),
            ("2.01", "must be a whole number of hours"),
        ] {
            let text =
                format!("{vessel}[[treatment]]\nid = \"ckd-uremia\"\nonset_days = {value}\n");
            assert!(
                error_text(&text).contains(expected),
                "{}",
                error_text(&text)
            );
        }
        // A medium changes at medium changes: not in a well, nor in a segment's bath.
        let bath = format!("{vessel}[environment]\nbath_uL_per_mm2 = 80.0\n");
        for base in [MINIMAL, bath.as_str()] {
            let text = format!("{base}[[treatment]]\nid = \"high-phosphate\"\nonset_days = 7\n");
            assert!(
                error_text(&text).contains("in a vessel wall fed by plasma"),
                "{}",
                error_text(&text)
            );
        }
        let text = format!("{vessel}[[treatment]]\nid = \"atf4-knockout\"\nonset_days = 7\n");
        assert!(
            error_text(&text).contains("deletes a gene, which is permanent from the start"),
            "{}",
            error_text(&text)
        );
    }

    #[test]
    fn a_gene_deleted_by_genetics_and_by_a_treatment_is_refused_naming_both() {
        let text = format!(
            "{MINIMAL}[genetics]\nknockouts = [\"atf4\"]\n[[treatment]]\nid = \"atf4-knockout\"\n"
        );
        assert_eq!(
            error_text(&text),
            "x.toml:16:6: treatment.id = \"atf4-knockout\": deletes atf4, which \
             genetics.knockouts already deletes: delete each gene once"
        );
    }

    #[test]
    fn an_experiment_file_given_as_a_scenario_names_the_command_for_it() {
        let text = "[experiment]\nname = \"e\"\n[[arm]]\nname = \"control\"\n";
        assert!(
            error_text(text).contains("this is an experiment file"),
            "{}",
            error_text(text)
        );
        assert!(error_text(text).contains("`vcsim compare`"));
    }

    #[test]
    fn an_unknown_knockout_suggests_the_closest_name() {
        let text = format!("{MINIMAL}[genetics]\nknockouts = [\"perk\", \"ire\"]\n");
        let error = load(&text).unwrap_err();
        let problem = &error.problems()[0];
        assert_eq!(problem.key, "genetics.knockouts");
        assert_eq!(
            problem.location,
            Some(Location {
                line: 14,
                column: 22
            })
        );
        assert!(error.to_string().ends_with("did you mean `ire1`?"));
    }

    #[test]
    fn a_duplicate_knockout_is_rejected() {
        let text = format!("{MINIMAL}[genetics]\nknockouts = [\"atf4\", \"atf4\"]\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:22: genetics.knockouts = \"atf4\": listed more than once"
        );
    }

    #[test]
    fn an_unknown_parameter_module_suggests_the_closest_module() {
        let text = format!("{MINIMAL}[parameters.upr_cor]\nbip_folding_rate = 1\n");
        let message = error_text(&text);
        assert!(message.starts_with(
            "x.toml:13:13: parameters.upr_cor: unknown parameter module; expected one of `upr_core`"
        ));
        assert!(message.ends_with(", did you mean `upr_core`?"), "{message}");
    }

    #[test]
    fn an_unknown_parameter_field_suggests_the_closest_field() {
        let text = format!("{MINIMAL}[parameters.upr_core]\nbip_foldng_rate = 1\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:1: parameters.upr_core.bip_foldng_rate: unknown parameter (see `vcsim \
             params`), did you mean `bip_folding_rate`?"
        );
    }

    #[test]
    fn an_out_of_range_parameter_names_its_range_and_unit() {
        let text = format!("{MINIMAL}[parameters.upr_core]\nbip_folding_rate = 50\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:20: parameters.upr_core.bip_folding_rate = 50: must be in [0.15, 5] min⁻¹"
        );
    }

    #[test]
    fn a_square_wave_with_low_above_high_is_rejected() {
        let text = format!(
            "{MINIMAL}[stress]\nkind = \"square_wave\"\nlow_per_min = 5\nhigh_per_min = 2\nperiod_h = 24\n"
        );
        assert_eq!(
            error_text(&text),
            "x.toml:15:15: stress.low_per_min = 5: must be <= stress.high_per_min (2)"
        );
    }

    #[test]
    fn a_key_of_another_stress_kind_names_the_kind() {
        let text = format!("{MINIMAL}[stress]\nkind = \"constant\"\nperiod_h = 24\n");
        assert_eq!(
            error_text(&text),
            "x.toml:15:12: stress.period_h = 24: not allowed when stress.kind = \"constant\" \
             (only when stress.kind = \"square_wave\")"
        );
    }

    #[test]
    fn a_step_without_its_time_is_missing_a_key() {
        let text =
            format!("{MINIMAL}[stress]\nkind = \"step\"\nbefore_per_min = 0\nafter_per_min = 2\n");
        assert_eq!(
            error_text(&text),
            "x.toml:13:1: stress.at_h: required key is missing (required when stress.kind = \"step\")"
        );
    }

    #[test]
    fn a_vessel_key_in_in_vitro_mode_is_rejected() {
        let text = minimal_with(
            "circumferential_sites = 10",
            "circumferential_sites = 10\nmedia_layers = 8",
        );
        assert_eq!(
            error_text(&text),
            "x.toml:10:16: geometry.media_layers = 8: not allowed when geometry.mode = \"in_vitro\" \
             (only when geometry.mode = \"vessel\")"
        );
    }

    #[test]
    fn a_medium_change_in_a_vessel_is_rejected() {
        let text = minimal_with("\"in_vitro\"", "\"vessel\"");
        let text = format!("{text}[environment]\nmedium_change_every_days = 2.5\n");
        assert!(error_text(&text).starts_with(
            "x.toml:14:28: environment.medium_change_every_days = 2.5: not allowed when geometry.mode = \"vessel\""
        ));
    }

    #[test]
    fn a_vessel_in_a_bath_takes_medium_changes_and_a_well_takes_no_bath() {
        let vessel = minimal_with("\"in_vitro\"", "\"vessel\"");
        let text = format!(
            "{vessel}[environment]\nbath_uL_per_mm2 = 80.0\nmedium_change_every_days = 2.5\n"
        );
        let s = load(&text).expect("a vessel in a bath with medium changes");
        assert_eq!(s.environment.bath_ul_per_mm2, Some(80.0));
        assert_eq!(s.environment.medium_change_every_min, Some(2.5 * DAY));
        let well = minimal_with("name = \"t\"", "name = \"t\"");
        let text = format!("{well}[environment]\nbath_uL_per_mm2 = 80.0\n");
        assert!(
            error_text(&text).contains(
                "environment.bath_uL_per_mm2 = 80: not allowed when geometry.mode = \"in_vitro\""
            ),
            "{}",
            error_text(&text)
        );
        let text = format!("{vessel}[environment]\nbath_uL_per_mm2 = 0.5\n");
        assert!(error_text(&text).contains("environment.bath_uL_per_mm2 = 0.5"));
    }

    #[test]
    fn a_missing_required_key_points_at_its_table() {
        let text = minimal_with("name = \"t\"\n", "");
        assert_eq!(
            error_text(&text),
            "x.toml:2:1: meta.name: required key is missing"
        );
    }

    #[test]
    fn a_missing_required_table_is_named() {
        let text = minimal_with("[time]\nduration_days = 14\n", "");
        assert_eq!(error_text(&text), "x.toml: time: required table is missing");
    }

    #[test]
    fn a_duration_shorter_than_the_step_is_rejected() {
        let text = minimal_with("duration_days = 14", "duration_days = 0.0001");
        assert_eq!(
            error_text(&text),
            "x.toml:12:17: time.duration_days = 0.0001: must be at least time.dt_min (0.5 min)"
        );
        let text = format!("{text}dt_min = 1\n");
        assert!(
            error_text(&text).starts_with("x.toml:13:10: time.dt_min = 1: must be <= the duration")
        );
    }

    #[test]
    fn a_duplicate_key_names_the_key() {
        let text = format!("{MINIMAL}[time]\ndt_min = 1\n");
        assert_eq!(error_text(&text), "x.toml:13:2: time: duplicate key");
    }

    #[test]
    fn a_snapshot_beyond_the_duration_is_rejected() {
        let text = format!("{MINIMAL}[record]\nsnapshots_days = [0, 7, 15]\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:25: record.snapshots_days = 15: must be <= time.duration_days (14)"
        );
    }

    #[test]
    fn a_record_interval_beyond_the_duration_is_rejected() {
        let text = minimal_with("duration_days = 14", "duration_days = 0.5");
        let text = format!("{text}[record]\nevery_h = 13\n");
        assert_eq!(
            error_text(&text),
            "x.toml:14:11: record.every_h = 13: must be <= time.duration_days (0.5 d = 12 h)"
        );
    }

    #[test]
    fn a_short_run_records_at_its_end_by_default() {
        let text = minimal_with("duration_days = 14", "duration_days = 0.25");
        assert!(close(load(&text).unwrap().record.every_min, 6.0 * HOUR));
    }

    #[test]
    fn too_many_cell_sites_are_rejected() {
        let text = minimal_with("\"in_vitro\"", "\"vessel\"")
            .replace("axial_sites = 10", "axial_sites = 10000")
            .replace("circumferential_sites = 10", "circumferential_sites = 1000");
        assert_eq!(
            error_text(&text),
            "x.toml:6:1: geometry = 80000000: too many cell sites: axial_sites × \
             circumferential_sites × cell layers (10000 × 1000 × 8) must be <= 20000000"
        );
    }

    #[test]
    fn a_non_finite_value_is_out_of_range() {
        let text = format!("{MINIMAL}[environment]\nglucose_mM = nan\n");
        assert!(error_text(&text).contains("environment.glucose_mM = NaN: must be in [0, 100] mM"));
    }

    #[test]
    fn claim_ids_and_names_follow_their_patterns() {
        assert!(is_claim_id("OS-1") && is_claim_id("VC-12") && is_claim_id("ABC-3"));
        assert!(!is_claim_id("os-1") && !is_claim_id("OS-") && !is_claim_id("O-1"));
        assert!(!is_claim_id("ABCD-1") && !is_claim_id("OS-1a") && !is_claim_id("OS1"));
        assert!(is_valid_name("calcifying-medium_2") && !is_valid_name(""));
        assert!(!is_valid_name("Upper") && !is_valid_name(&"a".repeat(65)));
    }
}
