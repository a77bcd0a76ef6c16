//! What one cell reads from its surroundings: extracellular ions, glucose, cytokines,
//! oxidative stress, growth factors and drugs.
//!
//! This is the interface between the vessel wall (or the culture medium) and the
//! intracellular model: the population simulation fills it from the cell's voxel and the
//! scenario's exposure schedule; `vcsim cell` fills it from command-line flags.
//! Concentrations are physical (mM, µM, nM); signals without a natural unit are scaled
//! so that a typical experimental dose is 1 (`docs/model.md` §6).

/// The extracellular inputs of one cell at one time.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Surroundings {
    /// [min⁻¹] Direct ER-stress input `S_ext` from ER-stress agents and inducers that act
    /// as ER client load (thapsigargin, tunicamycin, saturated fatty acids, oxysterols).
    /// 2 ≈ 2.5 nM and 8 ≈ 10 nM thapsigargin in MEFs (Diedrichs 2018).
    pub er_stress: f64,
    /// [mM] Extracellular calcium (DMEM 1.8; calcifying medium +1-2 mM CaCl2).
    pub calcium: f64,
    /// [mM] Extracellular inorganic phosphate (DMEM 0.9-1.0; calcifying 2-3; plasma 0.8-1.45).
    pub phosphate: f64,
    /// [µM] Extracellular pyrophosphate (plasma 3.26 normal, 2.26 haemodialysis; Lomashvili 2005).
    pub pyrophosphate: f64,
    /// [µM] Fetuin-A (plasma ≈ 10-20 µM).
    pub fetuin_a: f64,
    /// [mM] Glucose (5.5 normal; 25 high).
    pub glucose: f64,
    /// [1] TNF-α, 1 = typical experimental dose.
    pub tnf_alpha: f64,
    /// [1] IL-1β, 1 = typical experimental dose.
    pub il1_beta: f64,
    /// [1] IL-6, 1 = typical experimental dose.
    pub il6: f64,
    /// [1] Lipopolysaccharide, 1 = typical experimental dose.
    pub lps: f64,
    /// [1] Oxidative stress (ROS), 1 = xanthine/xanthine oxidase (Liu 2014).
    pub ros: f64,
    /// [1] RAGE activation, 1 = AGEs 100 µg/mL.
    pub rage: f64,
    /// [1] Exogenous BMP-2, 1 = 100 ng/mL.
    pub bmp2: f64,
    /// [1] BMP-2 secreted by the cell and its neighbours, as an excess over rest in the
    /// units of the cell's own BMP-2 (`paracrine.rs`); it replaces the cell's own BMP-2 in
    /// its Runx2 drive. `None` (a single cell): the cell answers to its own BMP-2.
    pub bmp2_paracrine: Option<f64>,
    /// [1] Growth-factor (mitogen) drive on mTORC1, 0 = reference medium.
    pub growth_factors: f64,
    /// [1] Death-receptor signals other than TNF-α (Fas ligand, oxysterols), `Xext`.
    pub extrinsic_death: f64,
    /// [1] Cell-intrinsic multiplier on the external ER client load `S_ext` (cell-to-cell
    /// variability of secretory load; 1 = reference cell).
    pub client_load_scale: f64,
    /// [1] Cell-intrinsic multiplier on BiP-assisted folding (chaperone capacity; 1 =
    /// reference cell; `docs/model.md` §4.0).
    pub folding_capacity_scale: f64,
    /// [1] Cell-intrinsic multiplier on the Runx2 drive above rest (osteogenic
    /// sensitivity; 1 = reference cell).
    pub osteogenic_sensitivity: f64,
    /// [1] Cell-intrinsic multiplier on the pro-apoptotic drive at half-maximal hazard
    /// (death threshold; 1 = reference cell).
    pub death_threshold_scale: f64,
    /// [1] Factor on all reactive oxygen species, exogenous and induced (glucose, BMP-2
    /// NADPH oxidase, RAGE): 1 = no antioxidant; selenite 0.3 (selenoprotein
    /// antioxidants, Liu 2014); selenoprotein S loss 1.5 (docs/model.md §6.2).
    pub ros_scale: f64,
    /// Drugs acting on the cell.
    pub drugs: DrugExposure,
}

/// Drug effects on one cell, at the level the model acts on (`docs/model.md` §6.2). The
/// experiment catalog maps doses onto these.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct DrugExposure {
    /// [nM] Rapamycin (mTORC1 inhibitor); 10-100 nM is saturating.
    pub rapamycin: f64,
    /// [1] Chemical-chaperone gain in BiP-assisted folding, `phi_chap` (4-PBA 5 mM or
    /// TUDCA 0.5-1 mM: 0.5-1).
    pub chaperone_folding_gain: f64,
    /// [1] Chemical-chaperone relief of client load, `psi_chap` (4-PBA, TUDCA: 0.3), in [0, 1).
    pub chaperone_load_relief: f64,
    /// [1] Fraction of autophagy initiation blocked, `eta3MA` (3-MA 5 mM: 0.7), in [0, 1].
    pub autophagy_block: f64,
    /// [1] Extra autophagy drive (valproate: 1 doubles it).
    pub autophagy_induction: f64,
    /// [1] Fraction of PiT-mediated phosphate uptake blocked (phosphonoformic acid), in [0, 1].
    pub phosphate_transport_block: f64,
}

impl Surroundings {
    /// The reference medium in which every VSMC drive is at rest: DMEM-like Ca 1.8 mM,
    /// Pi 1.0 mM (the phosphate reference `Pi0`), glucose 5.5 mM, no cytokines, no drugs.
    #[must_use]
    pub const fn reference() -> Self {
        Self {
            er_stress: 0.0,
            calcium: 1.8,
            phosphate: 1.0,
            pyrophosphate: 0.0,
            fetuin_a: 0.0,
            glucose: 5.5,
            tnf_alpha: 0.0,
            il1_beta: 0.0,
            il6: 0.0,
            lps: 0.0,
            ros: 0.0,
            rage: 0.0,
            bmp2: 0.0,
            bmp2_paracrine: None,
            growth_factors: 0.0,
            extrinsic_death: 0.0,
            client_load_scale: 1.0,
            folding_capacity_scale: 1.0,
            osteogenic_sensitivity: 1.0,
            death_threshold_scale: 1.0,
            ros_scale: 1.0,
            drugs: DrugExposure {
                rapamycin: 0.0,
                chaperone_folding_gain: 0.0,
                chaperone_load_relief: 0.0,
                autophagy_block: 0.0,
                autophagy_induction: 0.0,
                phosphate_transport_block: 0.0,
            },
        }
    }

    /// The reference medium with a direct ER-stress input `stress` [min⁻¹].
    #[must_use]
    pub const fn with_er_stress(stress: f64) -> Self {
        let mut s = Self::reference();
        s.er_stress = stress;
        s
    }

    /// The fields that must be non-negative, by name, for validation.
    #[must_use]
    pub fn named_values(&self) -> [(&'static str, f64); 26] {
        [
            ("er_stress", self.er_stress),
            ("calcium", self.calcium),
            ("phosphate", self.phosphate),
            ("pyrophosphate", self.pyrophosphate),
            ("fetuin_a", self.fetuin_a),
            ("glucose", self.glucose),
            ("tnf_alpha", self.tnf_alpha),
            ("il1_beta", self.il1_beta),
            ("il6", self.il6),
            ("lps", self.lps),
            ("ros", self.ros),
            ("rage", self.rage),
            ("bmp2", self.bmp2),
            ("growth_factors", self.growth_factors),
            ("extrinsic_death", self.extrinsic_death),
            ("client_load_scale", self.client_load_scale),
            ("folding_capacity_scale", self.folding_capacity_scale),
            ("osteogenic_sensitivity", self.osteogenic_sensitivity),
            ("death_threshold_scale", self.death_threshold_scale),
            ("ros_scale", self.ros_scale),
            ("rapamycin", self.drugs.rapamycin),
            ("chaperone_folding_gain", self.drugs.chaperone_folding_gain),
            ("chaperone_load_relief", self.drugs.chaperone_load_relief),
            ("autophagy_block", self.drugs.autophagy_block),
            ("autophagy_induction", self.drugs.autophagy_induction),
            (
                "phosphate_transport_block",
                self.drugs.phosphate_transport_block,
            ),
        ]
    }

    /// Checks that every input is finite and non-negative and that the fractions are in
    /// their ranges.
    ///
    /// # Errors
    /// The first offending input, by name.
    pub fn validate(&self) -> Result<(), InvalidSurroundings> {
        for (name, value) in self.named_values() {
            if !value.is_finite() || value < 0.0 {
                return Err(InvalidSurroundings {
                    input: name,
                    value,
                    allowed: "finite and >= 0",
                });
            }
        }
        let fractions = [
            (
                "chaperone_load_relief",
                self.drugs.chaperone_load_relief,
                0.99,
            ),
            ("autophagy_block", self.drugs.autophagy_block, 1.0),
            (
                "phosphate_transport_block",
                self.drugs.phosphate_transport_block,
                1.0,
            ),
        ];
        for (name, value, max) in fractions {
            if value > max {
                return Err(InvalidSurroundings {
                    input: name,
                    value,
                    allowed: if max < 1.0 {
                        "in [0, 0.99]"
                    } else {
                        "in [0, 1]"
                    },
                });
            }
        }
        Ok(())
    }
}

/// An input outside its allowed range.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("cell input `{input}` = {value} is not allowed (must be {allowed})")]
pub struct InvalidSurroundings {
    /// The input's name.
    pub input: &'static str,
    /// The value given.
    pub value: f64,
    /// What is allowed.
    pub allowed: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_medium_is_valid_and_negative_values_are_not() {
        assert!(Surroundings::reference().validate().is_ok());
        let mut s = Surroundings::reference();
        s.phosphate = -1.0;
        assert_eq!(s.validate().unwrap_err().input, "phosphate");
        let mut s = Surroundings::reference();
        s.drugs.autophagy_block = 1.5;
        assert_eq!(s.validate().unwrap_err().input, "autophagy_block");
    }
}
