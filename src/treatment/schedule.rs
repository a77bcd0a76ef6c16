//! The time-dependent exposure of a run: each treatment with its dose and time window,
//! and the medium or plasma composition over time that follows from them.

use super::catalog::{Effect, Entry};
use crate::model::medium::Medium;
use crate::model::parameter_set::ModelParams;
use crate::model::parameters::ParamError;
use crate::model::surroundings::Surroundings;
use crate::model::upr_core::CoreKnockout;

/// A catalog entry given at a dose for a time window, resolved: the entry itself, not
/// its id.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Treatment {
    /// The catalog entry (`vcsim catalog`), serialised as its id.
    #[serde(rename = "id", serialize_with = "serialize_entry_id")]
    pub entry: &'static Entry,
    /// Dose in the entry's unit ([`Entry::dose_unit`]).
    pub dose: f64,
    /// [1] Dose relative to the entry's typical dose.
    pub relative_dose: f64,
    /// [min] Start.
    pub start_min: f64,
    /// [min] Stop, if before the end of the run.
    pub stop_min: Option<f64>,
    /// [1] Between-animal coefficient of variation of the dose's effect: each animal
    /// (each seed) receives `dose` times a log-normal factor of mean 1 and this CV
    /// ([`Treatment::for_animal`]). 0 (the default) gives every animal the dose itself.
    /// It stands for how differently animals of one cohort respond to one regimen (e.g.
    /// how much renal function an adenine diet removes); its value and source belong to
    /// the scenario or protocol that sets it.
    #[serde(skip_serializing_if = "is_zero")]
    pub between_animal_cv: f64,
    /// [min] Onset: the dose rises from the start to its full value over this time, in
    /// hourly steps ([`ONSET_STEP_MIN`], the coupling step at which plasma and parameters
    /// change), each holding the dose of its midpoint on a straight line (step `k` of
    /// `n`: `(k - 1/2)/n` of the dose); from `start + onset` the full dose. For a milieu
    /// that an animal develops over weeks (adenine makes renal failure within 10-12
    /// days) rather than one given at once; only in a wall fed by plasma (a medium
    /// changes at medium changes). 0 (the default) gives the full dose from the start.
    #[serde(skip_serializing_if = "is_zero")]
    pub onset_min: f64,
}

/// [min] One step of an onset ramp ([`Treatment::onset_min`]): the hourly coupling step,
/// at which plasma and parameters change.
pub const ONSET_STEP_MIN: f64 = crate::model::COUPLING_STEP_MIN;

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

impl Treatment {
    /// Whether the treatment acts at `time_min` [min].
    #[must_use]
    pub fn active_at(&self, time_min: f64) -> bool {
        time_min >= self.start_min && self.stop_min.is_none_or(|stop| time_min < stop)
    }

    /// Whether the treatment acts from the start to the end of the run (no window) at
    /// one dose for every animal and from the first minute: then a scenario applies its
    /// effects on parameters and on the medium or plasma once, when it is validated. A
    /// treatment whose dose varies between animals or rises over an onset is applied
    /// while the run goes, as a windowed one is.
    #[must_use]
    pub fn is_whole_run(&self) -> bool {
        self.start_min <= 0.0
            && self.stop_min.is_none()
            && self.between_animal_cv == 0.0
            && self.onset_min == 0.0
    }

    /// [1] The share of the dose acting at `time_min` [min] while the treatment is active:
    /// during the onset ([`Treatment::onset_min`]) the midpoint share of the hour's step,
    /// `(k - 1/2)/n` in step `k` of `n`; 1 from the end of the onset on (and always
    /// without one).
    #[must_use]
    pub fn dose_share_at(&self, time_min: f64) -> f64 {
        let since_start = time_min - self.start_min;
        if self.onset_min <= 0.0 || since_start >= self.onset_min {
            return 1.0;
        }
        let steps = self.onset_min / ONSET_STEP_MIN;
        let step = (since_start / ONSET_STEP_MIN).floor().max(0.0) + 1.0;
        (step - 0.5) / steps
    }

    /// [1] The relative dose acting at `time_min` [min] while the treatment is active:
    /// [`Treatment::relative_dose`] times [`Treatment::dose_share_at`].
    #[must_use]
    pub fn relative_dose_at(&self, time_min: f64) -> f64 {
        let share = self.dose_share_at(time_min);
        if share >= 1.0 {
            self.relative_dose
        } else {
            self.relative_dose * share
        }
    }

    /// [min] Where the dose changes within the window: the end of each step of the onset
    /// (none without one), before the stop.
    fn onset_edges(&self) -> impl Iterator<Item = f64> + '_ {
        let steps = if self.onset_min > 0.0 {
            (self.onset_min / ONSET_STEP_MIN).round() as u32
        } else {
            0
        };
        (1..=steps)
            .map(move |k| f64::from(k).mul_add(ONSET_STEP_MIN, self.start_min))
            .filter(move |at| self.stop_min.is_none_or(|stop| *at < stop))
    }

    /// The treatment as one animal receives it, given that animal's standard normal
    /// draw `z`: the dose times `exp(mu + sigma z)`, a log-normal factor of mean 1 and
    /// coefficient of variation [`Treatment::between_animal_cv`] (`sigma^2 = ln(1 +
    /// cv^2)`, `mu = -sigma^2 / 2`). A treatment without between-animal variation is
    /// returned as it is.
    #[must_use]
    pub fn for_animal(&self, z: f64) -> Self {
        if self.between_animal_cv == 0.0 {
            return self.clone();
        }
        let sigma = self
            .between_animal_cv
            .mul_add(self.between_animal_cv, 1.0)
            .ln()
            .sqrt();
        let factor = sigma.mul_add(z, -0.5 * sigma * sigma).exp();
        Self {
            dose: self.dose * factor,
            relative_dose: self.relative_dose * factor,
            ..self.clone()
        }
    }
}

/// One phase of [`parameter_phases`]: from when [min], the parameters and the deletions.
pub type ParameterPhase = (f64, ModelParams, Vec<CoreKnockout>);

/// Why [`parameter_phases`] failed: the treatment whose change took a parameter out of its
/// range, the phase's start [min] and the error.
pub type PhaseError<'a> = (&'a Treatment, f64, ParamError);

/// The parameters over time of a run lasting `duration_min` [min]: `(from_min, params,
/// knockouts)` from 0 and from each start and stop of a treatment that changes parameters
/// for a time window (before the end), with the windowed treatments active then applied in
/// file order to the whole-run `params` and `knockouts`.
///
/// # Errors
/// The first treatment whose change takes a parameter out of its range, with the phase's
/// start [min].
pub fn parameter_phases<'a>(
    params: &ModelParams,
    knockouts: &[CoreKnockout],
    treatments: &'a [Treatment],
    duration_min: f64,
) -> Result<Vec<ParameterPhase>, PhaseError<'a>> {
    let windowed: Vec<&Treatment> = treatments
        .iter()
        .filter(|t| t.entry.changes_genes_or_parameters() && !t.is_whole_run())
        .collect();
    let mut edges = window_edges(&windowed);
    edges.retain(|&edge| edge < duration_min);
    edges
        .into_iter()
        .map(|from_min| {
            let mut phase_params = params.clone();
            let mut phase_knockouts = knockouts.to_vec();
            for treatment in windowed.iter().filter(|t| t.active_at(from_min)) {
                treatment
                    .entry
                    .apply_to_params_in_part(
                        treatment.relative_dose,
                        treatment.dose_share_at(from_min),
                        &mut phase_params,
                        &mut phase_knockouts,
                    )
                    .map_err(|error| (*treatment, from_min, error))?;
            }
            Ok((from_min, phase_params, phase_knockouts))
        })
        .collect()
}

fn serialize_entry_id<S: serde::Serializer>(
    entry: &&'static Entry,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(entry.id)
}

/// The medium or plasma over time and the treatments acting on cells.
#[derive(Clone, Debug, PartialEq)]
pub struct TreatmentSchedule {
    /// The medium or plasma for the whole run: the scenario's, with the whole-run
    /// treatments applied.
    pub medium: Medium,
    /// The composition over time: `(from_min, medium)` in time order, the first from 0.
    /// One entry unless treatments change the medium or plasma for a time window; then a
    /// new entry starts at each start and stop of such a window, with the active
    /// windowed treatments applied (in file order) to [`TreatmentSchedule::medium`].
    pub compositions: Vec<(f64, Medium)>,
    /// Treatments acting on cells (drugs, signals, ER load) with their time windows:
    /// additive ones first, then the ones that scale (so scaling sees every addition).
    pub treatments: Vec<Treatment>,
}

impl TreatmentSchedule {
    /// The schedule of a medium (whole-run treatments already applied) and the
    /// treatments in file order.
    #[must_use]
    pub fn new(medium: Medium, treatments: &[Treatment]) -> Self {
        let mut acting = treatments.to_vec();
        let compositions = compositions(&medium, &acting);
        let scales = |entry: &Entry| {
            entry
                .effects
                .iter()
                .any(|e| matches!(e, Effect::ErStressScale(_) | Effect::SignalScale(..)))
        };
        acting.sort_by_key(|t| scales(t.entry));
        Self {
            medium,
            compositions,
            treatments: acting,
        }
    }

    /// The medium or plasma at `time_min`.
    #[must_use]
    pub fn medium_at(&self, time_min: f64) -> &Medium {
        &self.compositions[self.composition_index(time_min)].1
    }

    /// Which entry of [`TreatmentSchedule::compositions`] holds at `time_min`.
    #[must_use]
    pub fn composition_index(&self, time_min: f64) -> usize {
        self.compositions
            .iter()
            .rposition(|(from, _)| *from <= time_min)
            .unwrap_or(0)
    }

    /// Appends to `out` the times [min] strictly between `start_min` and `end_min` at
    /// which what a cell senses from the treatments switches: the start and stop of
    /// every window and the half periods of a glucose swing. The cell integration stops
    /// there, so windows and swings act exactly when they say.
    pub fn cell_switches(&self, start_min: f64, end_min: f64, out: &mut Vec<f64>) {
        let mut push = |at: f64| {
            if start_min < at && at < end_min {
                out.push(at);
            }
        };
        for treatment in &self.treatments {
            push(treatment.start_min);
            if let Some(stop) = treatment.stop_min {
                push(stop);
            }
            for edge in treatment.onset_edges() {
                push(edge);
            }
            for effect in treatment.entry.effects {
                if let Effect::GlucoseSwing { period_min, .. } = *effect {
                    let half = 0.5 * period_min;
                    if half.is_nan() || half <= 0.0 {
                        continue;
                    }
                    let from = treatment.start_min.max(start_min);
                    let mut k = ((from - treatment.start_min) / half).floor() + 1.0;
                    loop {
                        let at = treatment.start_min + k * half;
                        if at >= end_min {
                            break;
                        }
                        push(at);
                        k += 1.0;
                    }
                }
            }
        }
    }

    /// Applies every treatment active at `time_min` to what a cell senses.
    pub fn apply_to_surroundings(&self, time_min: f64, surroundings: &mut Surroundings) {
        for treatment in &self.treatments {
            if treatment.active_at(time_min) {
                treatment.entry.apply_to_surroundings(
                    treatment.relative_dose_at(time_min),
                    time_min - treatment.start_min,
                    surroundings,
                );
            }
        }
    }
}

/// [min] 0 and every start, onset step and stop of the `windowed` treatments, in time
/// order, once each: where a timeline of what they change starts a new entry.
fn window_edges(windowed: &[&Treatment]) -> Vec<f64> {
    let mut edges: Vec<f64> = std::iter::once(0.0)
        .chain(windowed.iter().flat_map(|t| {
            std::iter::once(t.start_min)
                .chain(t.onset_edges())
                .chain(t.stop_min)
        }))
        .filter(|t| *t >= 0.0)
        .collect();
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    edges
}

/// The composition timeline of [`TreatmentSchedule::compositions`]: treatments whose
/// effects on the medium or plasma hold for a time window (their whole-run effects are
/// already in `medium`), applied in file order at each start and stop.
fn compositions(medium: &Medium, treatments: &[Treatment]) -> Vec<(f64, Medium)> {
    let windowed: Vec<&Treatment> = treatments
        .iter()
        .filter(|t| t.entry.changes_solutes() && !t.is_whole_run())
        .collect();
    window_edges(&windowed)
        .into_iter()
        .map(|from| {
            let mut at = medium.clone();
            for t in &windowed {
                if t.active_at(from) {
                    t.entry.apply_to_medium(t.relative_dose_at(from), &mut at);
                }
            }
            (from, at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::treatment::find;

    fn treatment(cv: f64) -> Treatment {
        let entry = find("high-phosphate").expect("catalog entry");
        Treatment {
            entry,
            dose: 2.0 * entry.typical_dose,
            relative_dose: 2.0,
            start_min: 0.0,
            stop_min: None,
            between_animal_cv: cv,
            onset_min: 0.0,
        }
    }

    fn ramped(id: &str, start_h: f64, onset_h: f64, stop_h: Option<f64>) -> Treatment {
        let entry = find(id).expect("catalog entry");
        Treatment {
            entry,
            dose: entry.typical_dose,
            relative_dose: 1.0,
            start_min: start_h * ONSET_STEP_MIN,
            stop_min: stop_h.map(|h| h * ONSET_STEP_MIN),
            between_animal_cv: 0.0,
            onset_min: onset_h * ONSET_STEP_MIN,
        }
    }

    #[test]
    fn an_onset_raises_the_dose_in_hourly_midpoint_steps() {
        let t = ramped("high-phosphate", 2.0, 4.0, None);
        assert!(!t.is_whole_run());
        let hour = ONSET_STEP_MIN;
        // Step k of 4 holds (k - 1/2)/4 of the dose; the edges belong to the next step.
        let expected = [
            (2.0, 0.125),
            (2.5, 0.125),
            (3.0, 0.375),
            (4.99, 0.625),
            (5.0, 0.875),
        ];
        for (at_h, share) in expected {
            let got = t.dose_share_at(at_h * hour);
            assert!(
                (got - share).abs() < 1e-15,
                "hour {at_h}: {got} (want {share})"
            );
        }
        // From the end of the onset on, the dose itself, bit for bit.
        for at_h in [6.0, 6.5, 100.0] {
            assert_eq!(t.relative_dose_at(at_h * hour).to_bits(), 1.0_f64.to_bits());
        }
        // Averaged over the onset the ramp gives half the dose, as a straight line does.
        let mean: f64 = (0..4)
            .map(|k| t.dose_share_at((2.0 + f64::from(k) + 0.5) * hour))
            .sum::<f64>()
            / 4.0;
        assert!((mean - 0.5).abs() < 1e-15, "mean share {mean}");
        // Without an onset the full dose from the start.
        let step = ramped("high-phosphate", 0.0, 0.0, None);
        assert!(step.is_whole_run());
        assert_eq!(step.dose_share_at(0.0).to_bits(), 1.0_f64.to_bits());
    }

    #[test]
    fn the_medium_and_the_parameters_follow_the_onset_steps() {
        // DMEM (Ca 1.8, Pi 0.9 mM) with nothing else.
        let medium = Medium {
            fluid: crate::model::medium::FluidComposition {
                calcium: 1.8,
                phosphate: 0.9,
                pyrophosphate: 0.0,
                beta_glycerophosphate: 0.0,
                fetuin_a: 0.0,
                magnesium: 0.8,
            },
            glucose: 5.5,
            tnf_alpha: 0.0,
            il1_beta: 0.0,
            il6: 0.0,
            lps: 0.0,
            ros: 0.0,
            rage: 0.0,
            bmp2: 0.0,
        };
        // High phosphate over a 3-hour onset from hour 1: a new composition each hour.
        let t = ramped("high-phosphate", 1.0, 3.0, None);
        let schedule = TreatmentSchedule::new(medium.clone(), std::slice::from_ref(&t));
        let hours: Vec<f64> = schedule
            .compositions
            .iter()
            .map(|(from, _)| from / ONSET_STEP_MIN)
            .collect();
        assert_eq!(hours, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let added: Vec<f64> = schedule
            .compositions
            .iter()
            .map(|(_, m)| m.fluid.phosphate - medium.fluid.phosphate)
            .collect();
        let mut full = medium.clone();
        t.entry.apply_to_medium(1.0, &mut full);
        let full_added = full.fluid.phosphate - medium.fluid.phosphate;
        assert!(full_added > 0.0);
        for (got, share) in added.iter().zip([0.0, 1.0 / 6.0, 0.5, 5.0 / 6.0, 1.0]) {
            assert!((got - share * full_added).abs() < 1e-12, "{added:?}");
        }
        // The cells' integration stops at every step.
        let mut switches = Vec::new();
        schedule.cell_switches(0.0, 10.0 * ONSET_STEP_MIN, &mut switches);
        for hour in [1.0, 2.0, 3.0, 4.0] {
            assert!(switches.contains(&(hour * ONSET_STEP_MIN)), "{switches:?}");
        }
        // A stop inside the onset cuts it: no step after the stop.
        let cut = ramped("high-phosphate", 0.0, 10.0, Some(2.0));
        let cut_schedule = TreatmentSchedule::new(medium, std::slice::from_ref(&cut));
        let cut_hours: Vec<f64> = cut_schedule
            .compositions
            .iter()
            .map(|(from, _)| from / ONSET_STEP_MIN)
            .collect();
        assert_eq!(cut_hours, vec![0.0, 1.0, 2.0]);

        // The CKD milieu's blunted Sestrin (a parameter set to 0.3) moves there in steps.
        let params = ModelParams::default();
        let field = |p: &ModelParams| {
            p.rows()
                .into_iter()
                .find(|r| r.module == "mtorc1" && r.field == "ckd_sestrin_responsiveness")
                .map(|r| r.value)
                .expect("parameter")
        };
        let rest = field(&params);
        let ckd = ramped("ckd-uremia", 0.0, 2.0, None);
        let phases =
            parameter_phases(&params, &[], std::slice::from_ref(&ckd), 1e5).expect("in range");
        let values: Vec<f64> = phases.iter().map(|(_, p, _)| field(p)).collect();
        assert_eq!(phases.len(), 3);
        assert!(
            (values[0] - (rest + 0.25 * (0.3 - rest))).abs() < 1e-12,
            "{values:?}"
        );
        assert!(
            (values[1] - (rest + 0.75 * (0.3 - rest))).abs() < 1e-12,
            "{values:?}"
        );
        assert_eq!(values[2].to_bits(), 0.3_f64.to_bits());
    }

    #[test]
    fn an_animal_dose_is_log_normal_with_mean_one_and_the_given_cv() {
        // Without variation every animal receives the dose itself.
        assert_eq!(treatment(0.0).for_animal(1.7), treatment(0.0));
        assert!(treatment(0.0).is_whole_run());
        assert!(!treatment(0.3).is_whole_run());
        // The factor's mean and CV over the standard normal (trapezoid on ±8 SD).
        let cv = 0.3;
        let t = treatment(cv);
        let (mut mean, mut square) = (0.0, 0.0);
        let steps = 16_000;
        for k in 0..=steps {
            let z = -8.0 + 16.0 * f64::from(k) / f64::from(steps);
            let weight = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
                * (16.0 / f64::from(steps))
                * if k == 0 || k == steps { 0.5 } else { 1.0 };
            let factor = t.for_animal(z).relative_dose / t.relative_dose;
            mean += weight * factor;
            square += weight * factor * factor;
        }
        let sd = (square - mean * mean).sqrt();
        assert!((mean - 1.0).abs() < 1e-9, "mean {mean}");
        assert!((sd / mean - cv).abs() < 1e-9, "cv {}", sd / mean);
        // The dose moves with the relative dose; nothing else changes.
        let animal = t.for_animal(1.0);
        assert!((animal.dose / animal.relative_dose - t.dose / t.relative_dose).abs() < 1e-12);
        assert!(animal.relative_dose > t.relative_dose);
        assert!(t.for_animal(-1.0).relative_dose < t.relative_dose);
        assert_eq!(animal.start_min.to_bits(), t.start_min.to_bits());
    }
}
