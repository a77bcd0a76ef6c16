//! The fluid the cells sit in: a culture medium (in vitro) or plasma (vessel wall).
//!
//! [`FluidComposition`] holds the solutes of the mineral chemistry, which the wall's
//! fluid carries and changes; [`Medium`] is the whole bath a scenario sets and treatments
//! change: that composition, glucose, and the cytokines and other signals, which are
//! dimensionless (1 = a typical experimental dose, `docs/model.md` §6).

/// The solutes of the mineral chemistry in a fluid compartment, in canonical units.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FluidComposition {
    /// [mM] Total calcium (DMEM 1.8; calcifying medium +1-2 mM CaCl2; plasma ≈ 2.2-2.6, of
    /// which about half is ionised).
    pub calcium: f64,
    /// [mM] Inorganic phosphate (DMEM 0.9-1.0; calcifying 2-3; plasma 0.8-1.45).
    pub phosphate: f64,
    /// [µM] Pyrophosphate (plasma 3.26 normal, 2.26 haemodialysis; Lomashvili 2005).
    pub pyrophosphate: f64,
    /// [mM] β-glycerophosphate, a phosphate donor hydrolysed by ALP (calcifying medium 10).
    pub beta_glycerophosphate: f64,
    /// [µM] Fetuin-A, a calcification inhibitor (plasma ≈ 10-20 µM).
    pub fetuin_a: f64,
    /// [mM] Magnesium, an inhibitor of calcium phosphate nucleation (DMEM 0.8; plasma
    /// ≈ 0.7-1.0 total).
    pub magnesium: f64,
}

impl FluidComposition {
    /// The solutes of a medium or plasma (the cells' environment).
    #[must_use]
    pub const fn from_environment(medium: &Medium) -> Self {
        medium.fluid
    }
}

/// A culture medium or plasma: its solutes, glucose and signals.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Medium {
    /// The solutes of the mineral chemistry.
    #[serde(flatten)]
    pub fluid: FluidComposition,
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
    /// [1] Exogenous oxidative stress (ROS), 1 = xanthine/xanthine oxidase (Liu 2014).
    pub ros: f64,
    /// [1] RAGE activation, 1 = AGEs 100 µg/mL.
    pub rage: f64,
    /// [1] Exogenous BMP-2, 1 = 100 ng/mL.
    pub bmp2: f64,
}
