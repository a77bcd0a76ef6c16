//! The scenario library bundled in the binary: the review's experiments
//! (`scenarios/review/*.toml`), the flagship comparison and the base scenarios they
//! build on, so `vcsim validate` runs from any folder and always runs the files the
//! binary was built with.

use crate::experiment::design::{Experiment, ExperimentError};
use crate::scenario::Geometry;
use crate::units::HOUR;
use std::path::Path;

/// Base scenarios, by file name.
pub const BASES: [(&str, &str); 4] = [
    (
        "control-medium.toml",
        include_str!("../../scenarios/control-medium.toml"),
    ),
    (
        "calcifying-medium.toml",
        include_str!("../../scenarios/calcifying-medium.toml"),
    ),
    (
        "vessel-normal-plasma.toml",
        include_str!("../../scenarios/vessel-normal-plasma.toml"),
    ),
    (
        "vessel-media.toml",
        include_str!("../../scenarios/vessel-media.toml"),
    ),
];

/// The experiments, by name: (name, path in the repository, file text).
pub const EXPERIMENTS: [(&str, &str, &str); 18] = [
    (
        "er-stress-branches",
        "scenarios/review/er-stress-branches.toml",
        include_str!("../../scenarios/review/er-stress-branches.toml"),
    ),
    (
        "calcifying-vs-normal",
        "scenarios/review/calcifying-vs-normal.toml",
        include_str!("../../scenarios/review/calcifying-vs-normal.toml"),
    ),
    (
        "interventions",
        "scenarios/interventions.toml",
        include_str!("../../scenarios/interventions.toml"),
    ),
    (
        "autophagy",
        "scenarios/review/autophagy.toml",
        include_str!("../../scenarios/review/autophagy.toml"),
    ),
    (
        "glucose",
        "scenarios/review/glucose.toml",
        include_str!("../../scenarios/review/glucose.toml"),
    ),
    (
        "stearic-acid",
        "scenarios/review/stearic-acid.toml",
        include_str!("../../scenarios/review/stearic-acid.toml"),
    ),
    (
        "homocysteine",
        "scenarios/review/homocysteine.toml",
        include_str!("../../scenarios/review/homocysteine.toml"),
    ),
    (
        "oxysterols",
        "scenarios/review/oxysterols.toml",
        include_str!("../../scenarios/review/oxysterols.toml"),
    ),
    (
        "ages-rage",
        "scenarios/review/ages-rage.toml",
        include_str!("../../scenarios/review/ages-rage.toml"),
    ),
    (
        "tnf-alpha",
        "scenarios/review/tnf-alpha.toml",
        include_str!("../../scenarios/review/tnf-alpha.toml"),
    ),
    (
        "selenoprotein-s",
        "scenarios/review/selenoprotein-s.toml",
        include_str!("../../scenarios/review/selenoprotein-s.toml"),
    ),
    (
        "hydroxycholesterol",
        "scenarios/review/hydroxycholesterol.toml",
        include_str!("../../scenarios/review/hydroxycholesterol.toml"),
    ),
    (
        "bmp2",
        "scenarios/review/bmp2.toml",
        include_str!("../../scenarios/review/bmp2.toml"),
    ),
    (
        "xanthine-oxidase",
        "scenarios/review/xanthine-oxidase.toml",
        include_str!("../../scenarios/review/xanthine-oxidase.toml"),
    ),
    (
        "vitamin-d-nicotine",
        "scenarios/review/vitamin-d-nicotine.toml",
        include_str!("../../scenarios/review/vitamin-d-nicotine.toml"),
    ),
    (
        "ckd-mtorc1",
        "scenarios/review/ckd-mtorc1.toml",
        include_str!("../../scenarios/review/ckd-mtorc1.toml"),
    ),
    (
        "chop-paradox",
        "scenarios/review/chop-paradox.toml",
        include_str!("../../scenarios/review/chop-paradox.toml"),
    ),
    (
        "phosphate-dose",
        "scenarios/review/phosphate-dose.toml",
        include_str!("../../scenarios/review/phosphate-dose.toml"),
    ),
];

/// Quick mode's size: replicates per arm.
pub const QUICK_REPLICATES: usize = 4;
/// Quick mode's size: in-vitro lattice side (sites); 196 cells.
pub const QUICK_IN_VITRO_SIDE: usize = 14;
/// Quick mode keeps a sparsely seeded culture large enough to seed about this many cells
/// (a growth protocol seeded at 0.3% of the sites would otherwise start empty at 14 x 14).
pub const QUICK_MIN_SEEDED_CELLS: f64 = 25.0;
/// Quick mode's size: vessel lattice side (axial and circumferential sites; the layers
/// stay), 5 x 5 x 8 = 200 media cells.
pub const QUICK_VESSEL_SIDE: usize = 5;
/// [min] Recording interval of validation runs: 2 h, fine enough for the early CHOP
/// peak (8-12 h after thapsigargin, docs/model.md §3.5).
pub const RECORD_EVERY_MIN: f64 = 120.0;

/// Loads a bundled experiment; `quick` shrinks it to the quick-mode size.
///
/// # Errors
/// An unknown name (`Invalid`), or a bundled file that does not validate (a build
/// defect that the library's tests catch).
pub fn load(name: &str, quick: bool) -> Result<Experiment, ExperimentError> {
    let Some((_, path, text)) = EXPERIMENTS.iter().find(|(n, _, _)| *n == name) else {
        return Err(ExperimentError::Invalid {
            problems: vec![format!("no bundled experiment named {name:?}")],
        });
    };
    load_text(path, text, quick)
}

/// Loads an experiment file's text (at `path` in the repository) whose base is a bundled
/// base scenario; `quick` shrinks it to the quick-mode size. Every run records every
/// [`RECORD_EVERY_MIN`].
///
/// # Errors
/// A base that is not bundled, or a file that does not validate.
pub fn load_text(path: &str, text: &str, quick: bool) -> Result<Experiment, ExperimentError> {
    let read_base = |base: &Path| -> Result<(String, String), ExperimentError> {
        let file = base.file_name().and_then(|f| f.to_str()).unwrap_or("");
        BASES
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(n, t)| ((*t).to_string(), format!("scenarios/{n}")))
            .ok_or_else(|| ExperimentError::Invalid {
                problems: vec![format!(
                    "{path}: experiment.base = {:?}: not a bundled base scenario",
                    base.display()
                )],
            })
    };
    let mut experiment =
        Experiment::parse(text, path, quick.then_some(QUICK_REPLICATES), &read_base)?;
    for arm in &mut experiment.arms {
        let side = match arm.scenario.geometry {
            Geometry::InVitro {
                axial_sites,
                circumferential_sites,
                occupancy,
                ..
            } => quick_in_vitro_side(occupancy, axial_sites.min(circumferential_sites)),
            Geometry::Vessel { .. } => QUICK_VESSEL_SIDE,
        };
        arm.scenario = arm
            .scenario
            .revised(|file| {
                file.set_record_every_h(RECORD_EVERY_MIN / HOUR);
                if quick {
                    file.set_lattice(side, side);
                }
            })
            .map_err(|e| ExperimentError::Invalid {
                problems: e.to_string().lines().map(str::to_string).collect(),
            })?;
    }
    Ok(experiment)
}

/// Quick mode's side of a culture seeded at `occupancy` whose shorter side is
/// `full_side`: [`QUICK_IN_VITRO_SIDE`], or larger so that about
/// [`QUICK_MIN_SEEDED_CELLS`] are seeded, never larger than the full run.
fn quick_in_vitro_side(occupancy: f64, full_side: usize) -> usize {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive side of at most a few hundred sites"
    )]
    let needed = (QUICK_MIN_SEEDED_CELLS / occupancy).sqrt().ceil() as usize;
    needed
        .max(QUICK_IN_VITRO_SIDE)
        .min(full_side.max(QUICK_IN_VITRO_SIDE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_mode_keeps_a_sparse_culture_seeded() {
        assert_eq!(quick_in_vitro_side(0.25, 60), QUICK_IN_VITRO_SIDE);
        let side = quick_in_vitro_side(0.003, 150);
        assert_eq!(side, 92, "sqrt(25 / 0.003) = 91.3");
        assert_eq!(
            quick_in_vitro_side(0.003, 50),
            50,
            "never larger than the full run"
        );
    }

    #[test]
    fn every_bundled_experiment_loads_in_both_modes() {
        for (name, _, _) in EXPERIMENTS {
            for quick in [false, true] {
                let e = load(name, quick).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(e.name, name);
                assert!(e.arms.len() >= 2, "{name}");
            }
        }
    }

    #[test]
    fn every_review_file_is_bundled() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/review");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                EXPERIMENTS.iter().any(|(n, _, _)| *n == stem),
                "{} is not in EXPERIMENTS",
                path.display()
            );
        }
    }
}
