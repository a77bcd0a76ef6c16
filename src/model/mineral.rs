//! Extracellular phosphate chemistry and calcium-phosphate mineral (`docs/model.md` §5.2-5.4;
//! claims VC-1, AP-1; Millán 2021 framework).
//!
//! Amounts: mineral in pmol of calcium per lattice site; ions in the fluid in mM (Ca, Pi,
//! β-glycerophosphate, Mg) and µM (PPi, fetuin-A); fluid volume in µL (1 mM · 1 µL = 1 nmol).
//! Calcium in a fluid is total calcium; the chemistry uses ionised calcium,
//! `Ca_i = f_ion · Ca` (about half of plasma calcium is ionised, the rest bound to albumin
//! and complexed; serum-supplemented medium binds less).
//!
//! ```text
//! S     = Ca_i · Pi / K_s;  σ = S − 1                                       supersaturation
//! Φ     = 1 / ((1 + PPi/K_PPi_n)(1 + Fet/K_F)(1 + Mg/K_Mg)(1 + MGP/K_MGP))   inhibitors
//! N_c   = Σ vesicles + ε_AB Σ ALP (apoptotic bodies)                      cell-derived templates
//! N_el  = ε_el · elastin · (f_el + (1 − f_el) d)                             lamella template
//!         (d: degraded share of a lamella, `elastin.rs`)
//! D_v   = σ₊^n / (1 + (ϑ_v σ₊)^n)                                           vesicles' own uptake saturates
//! J_nuc = k_nuc (N_c D_v + N_el σ₊^n) Φ                                     [pmol h⁻¹], expected
//! nuclei ~ Poisson(J_nuc Δt / m_0), each m_0 of new ACP                      (m_0 = 0: J_nuc Δt exactly)
//! S_HAP = S_p (Ca_i/1.2 mM)^(5/9) (Pi/1.3 mM)^(1/3)                          per-ion HAP saturation
//! G     = k_g m^(2/3) (S_HAP − 1)₊^g / (1 + PPi/K_PPi_g)                    growth on existing mineral
//! dACP/dt = nuclei + f_a G − k_mat ACP;   dHAP/dt = k_mat ACP + (1 − f_a) G
//! fluid: Ca −= mineral formed; Pi −= ν_P · mineral formed
//! TNAP (ALP): β-GP → Pi, Michaelis-Menten  V_β ΣALP β/(K_β + β);  PPi → 2 Pi, first order
//! ENPP1/ANK: PPi production s_E Σ ENPP1
//! ```
//!
//! There is no threshold: every rate is a smooth power of the supersaturation and a smooth
//! product of inhibitor factors, so a small upstream change makes a small change in
//! mineral. New mineral needs a nucleus: below `K_s` (σ ≤ 0) none forms; normal plasma
//! is supersaturated (σ > 0) and is kept from calcifying by its inhibitors, so losing one
//! (PPi: ENPP1 deficiency; carboxylated MGP: warfarin) calcifies at normal phosphate,
//! given time. Nucleation is a rare event at a site (a vesicle's first crystal), and an
//! existing deposit grows from every physiological fluid, which is supersaturated with
//! hydroxyapatite many times over (`S_HAP` ≫ 1): growth, not nucleation, makes the mass,
//! and it depends little on the fluid's composition and much on time.

use crate::model::parameters::{ParamSpec, ParameterTable, spec};
use crate::references::Source;
use crate::stats::normal_quantile;
use crate::units::{DAY, HOUR};

/// [µg pmol⁻¹] Mass of one pmol of calcium (40.078 g/mol).
pub const CALCIUM_UG_PER_PMOL: f64 = 40.078e-6;

/// [mg pmol⁻¹] Mass of mineral per pmol of its calcium, as hydroxyapatite
/// Ca₁₀(PO₄)₆(OH)₂ (1004.6 g/mol, ten calcium): 100.46 pg. Amorphous calcium phosphate,
/// Ca₃(PO₄)₂ with some water, is within a few percent of it per calcium.
pub const MINERAL_MG_PER_PMOL_CALCIUM: f64 = 100.46e-9;

/// [µm³ pmol⁻¹] Volume of hydroxyapatite per pmol of its calcium: the hexagonal unit cell
/// (a = 9.418 Å, c = 6.884 Å: 528.8 Å³, density 3.16 g/cm³; Kay, Young & Posner 1964,
/// Nature 204:1050) holds ten calcium, so 52.88 Å³ × 6.022 × 10¹¹ per pmol.
pub const MINERAL_UM3_PER_PMOL_CALCIUM: f64 = 31.84;

/// Parameters of the extracellular chemistry, transport and mineral.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MineralParams {
    /// `K_s` [mM²]: effective solubility product of amorphous calcium phosphate, in
    /// ionised calcium × phosphate.
    pub solubility_product: f64,
    /// `f_ion,m` [1]: ionised share of the calcium of a serum-supplemented culture medium.
    pub ionised_calcium_fraction_medium: f64,
    /// `f_ion,p` [1]: ionised share of plasma (and wall fluid) calcium.
    pub ionised_calcium_fraction_plasma: f64,
    /// `n` [1]: order of nucleation in supersaturation.
    pub nucleation_exponent: f64,
    /// `ϑ_v` [1]: saturation of nucleation on cell-derived templates (matrix vesicles and
    /// apoptotic bodies): their drive is `σ^n / (1 + (ϑ_v σ)^n)`, half its most at
    /// `σ = 1/ϑ_v`; 0 leaves it `σ^n`, as on elastin.
    pub vesicle_drive_saturation: f64,
    /// `g` [1]: order of growth in supersaturation.
    pub growth_exponent: f64,
    /// `S_ref − 1` [1]: the hydroxyapatite supersaturation `S_HAP − 1` of the solution in
    /// which `k_g`'s growth velocity was measured (Kanzaki 1998: ionised Ca 2.5 mM, Pi
    /// 1.0 mM at the built-in `S_p`). Growth there is `k_g (S_ref − 1)² m^(2/3)` whatever
    /// the order `g`, so changing `g` keeps the measured velocity. It is tied to the
    /// built-in `S_p` = 10: a run that changes `S_p` keeps 12.8 unless it sets this too.
    pub growth_reference_excess: f64,
    /// `K_PPi_n` [µM]: PPi halving nucleation.
    pub ppi_nucleation_half: f64,
    /// `K_PPi_g` [µM]: PPi halving crystal growth.
    pub ppi_growth_half: f64,
    /// `K_F` [µM]: fetuin-A halving nucleation.
    pub fetuin_nucleation_half: f64,
    /// `K_Mg` [mM]: magnesium halving nucleation.
    pub magnesium_nucleation_half: f64,
    /// `K_MGP` [1]: carboxylated MGP halving nucleation.
    pub mgp_half: f64,
    /// `MGP` [1]: carboxylated matrix Gla protein (1 normal; warfarin lowers it).
    pub matrix_gla_protein: f64,
    /// `ε_AB` [1]: nucleation template of an apoptotic body per unit ALP.
    pub apoptotic_body_template: f64,
    /// `ε_el` [1]: nucleation template of a fully degraded elastic-lamella site, in
    /// matrix-vesicle equivalents (medial calcification).
    pub elastin_template: f64,
    /// `ε_prop` [vesicle equivalents per pmol^⅔]: nucleation template that a deposit's
    /// surface (`m^(2/3)`) presents to each neighbouring site: crystals that outgrow their
    /// vesicle seed the matrix next to them, so mineral propagates from a focus (0: off).
    pub propagation_template: f64,
    /// `f_cg` [1]: how much the mineral that nucleated on matrix vesicles and apoptotic
    /// bodies grows, relative to lamellar mineral: a site's growing deposit is
    /// `m_el + f_cg (m − m_el)`. 1 (built in) grows all of a site's mineral as one compact
    /// deposit; 0 leaves cell-derived mineral at its nuclei (each `m_0`), vesicle-bounded
    /// nanocrystals that do not grow on, so that only lamellar mineral grows.
    pub cell_deposit_growth_share: f64,
    /// `f_el` [1]: share of `ε_el` that an intact lamella presents.
    pub intact_elastin_template_share: f64,
    /// `k_el` [d⁻¹]: degradation of a lamella whose neighbourhood is all osteogenic cells
    /// (first order in its intact share).
    pub elastolysis_rate_per_day: f64,
    /// `k_mat` [d⁻¹]: ACP → hydroxyapatite maturation.
    pub maturation_rate_per_day: f64,
    /// `k_nuc` [pmol h⁻¹]: nucleation per template unit at unit supersaturation.
    pub nucleation_rate_per_h: f64,
    /// `k_g` [pmol^⅓ h⁻¹]: crystal growth on existing mineral per unit of `(S_HAP − 1)²`,
    /// without inhibitors (at another order `g` the law is
    /// `k_g (S_ref − 1)^(2 − g) (S_HAP − 1)^g`, equal at the reference supersaturation).
    pub growth_rate_per_h: f64,
    /// `S_p` [1]: per-ion saturation ratio of hydroxyapatite in normal plasma (ionised Ca
    /// 1.2 mM, Pi 1.3 mM): the ion-activity product over the solubility product, to the
    /// power 1/9 (Ca₅(PO₄)₃OH has nine ions).
    pub hap_saturation_plasma: f64,
    /// `m_0` [pmol Ca]: the mineral of one nucleation event (a matrix vesicle's first
    /// crystals); 0 makes nucleation deterministic (its expected rate, every step).
    pub nucleus_pmol: f64,
    /// `f_a` [1]: share of growth laid down as ACP.
    pub acp_growth_fraction: f64,
    /// `ν_P` [1]: Pi taken per Ca into mineral (HAP 0.60, ACP 0.67).
    pub phosphate_per_calcium: f64,
    /// `V_β` [fmol h⁻¹]: β-glycerophosphate hydrolysis per cell per unit ALP.
    pub bgp_hydrolysis_vmax_per_h: f64,
    /// `K_β` [mM]: β-glycerophosphate for half-maximal hydrolysis.
    pub bgp_half_saturation: f64,
    /// `V_βs` [mM h⁻¹]: β-glycerophosphate hydrolysis by the alkaline phosphatase of the
    /// serum in a well's medium (10% FBS), at saturating β-glycerophosphate.
    pub serum_bgp_hydrolysis_vmax_per_h: f64,
    /// `s_E` [fmol h⁻¹]: PPi production per cell per unit ENPP1 capacity.
    pub ppi_production_per_h: f64,
    /// `k_T` [µL h⁻¹]: PPi clearance by ALP per cell per unit ALP.
    pub ppi_hydrolysis_clearance_per_h: f64,
    /// `k_PPase` [h⁻¹]: first-order PPi hydrolysis in the wall or pericellular fluid by an
    /// enzyme added to the medium (inorganic pyrophosphatase or alkaline phosphatase);
    /// 0 without one.
    pub exogenous_ppi_hydrolysis_rate_per_h: f64,
    /// `D_Ca` [µm² s⁻¹]: diffusivity of calcium ions in water (37 °C).
    pub calcium_diffusivity: f64,
    /// `D_Pi` [µm² s⁻¹]: diffusivity of phosphate ions in water.
    pub phosphate_diffusivity: f64,
    /// `D_PPi` [µm² s⁻¹]: diffusivity of pyrophosphate in water.
    pub pyrophosphate_diffusivity: f64,
    /// `θ` [1]: effective diffusivity in the wall's extracellular space over that in water
    /// (1/tortuosity²).
    pub tissue_diffusivity_factor: f64,
    /// `φ` [1]: extracellular (interstitial) volume fraction of the wall.
    pub extracellular_fraction: f64,
    /// `P_L` [µm s⁻¹]: permeability of the lumen's endothelium to small ions.
    pub lumen_permeability: f64,
    /// `P_vv` [µm s⁻¹]: exchange of the outer adventitia with its vasa vasorum.
    pub vasa_vasorum_permeability: f64,
    /// `δ_p` [µm]: depth of the pericellular fluid layer of a culture well.
    pub pericellular_depth_um: f64,
    /// `L_u` [µm]: unstirred layer between the pericellular fluid and the bulk medium.
    pub unstirred_layer_um: f64,
    /// `ρ` [mg µL⁻¹]: density of the wall (wet tissue).
    pub tissue_density: f64,
    /// `d` [1]: dry share of the wall's wet mass.
    pub tissue_dry_fraction: f64,
    /// `m_AR` [pmol]: mineral per site that stains Alizarin-positive (the stain detects
    /// calcium down to 0.0004 µg/mm² or less: 0.025 pmol over a 50-µm culture site, 0.016
    /// pmol of a 20-µm wall site read in a 5-µm section; the threshold is 2-3 times that).
    pub alizarin_threshold: f64,
    /// `prot` [ng]: protein per VSMC, for µg Ca/mg protein.
    pub protein_per_cell: f64,
    /// `Ca_wall` [µg Ca/mg dry tissue]: calcium of a wall without mineral (bound to
    /// elastin and matrix, in cells and interstitial fluid), per mg of dry wall.
    pub wall_basal_calcium_ug_per_mg_dry: f64,
    /// `B_HA` [1]: the most BMP-2-like osteogenic drive calcium-phosphate deposits give a
    /// cell they touch, in units of exogenous BMP-2 (1 = 100 ng/mL).
    pub crystal_bmp2_max: f64,
    /// `K_HA` [pmol Ca]: mineral around a cell (per site, averaged over its site and
    /// neighbours) for half of its responses to deposits (`B_HA` and `h_HA`).
    pub crystal_response_half: f64,
    /// `h_HA` [h⁻¹]: the most apoptosis hazard calcium-phosphate deposits add to a cell
    /// they touch (crystals taken up and dissolved in lysosomes, Ewence 2008).
    pub crystal_death_hazard_max_per_h: f64,
    /// `K_FHA` [µM]: fetuin-A in the fluid that halves the hazard of deposits (`h_HA`):
    /// serum proteins coat calcium-phosphate particles and slow their uptake and
    /// dissolution (Dautova 2014).
    pub fetuin_crystal_death_half: f64,
    /// `λ_BMP` [µm]: range of secreted BMP-2 in the matrix: a neighbouring site at
    /// spacing `h` counts `exp(−h/λ_BMP)` of the site's own cell (`paracrine.rs`).
    pub bmp2_range_um: f64,
}

impl Default for MineralParams {
    fn default() -> Self {
        Self {
            solubility_product: 1.0,
            ionised_calcium_fraction_medium: 0.85,
            ionised_calcium_fraction_plasma: 0.5,
            nucleation_exponent: 2.0,
            vesicle_drive_saturation: 0.0,
            growth_exponent: 2.0,
            growth_reference_excess: 12.8,
            ppi_nucleation_half: 0.5,
            ppi_growth_half: 1.0,
            fetuin_nucleation_half: 5.0,
            magnesium_nucleation_half: 1.0,
            mgp_half: 1.0,
            matrix_gla_protein: 1.0,
            apoptotic_body_template: 5.0,
            elastin_template: 0.5,
            propagation_template: 0.0,
            cell_deposit_growth_share: 1.0,
            intact_elastin_template_share: 0.1,
            elastolysis_rate_per_day: 0.02,
            maturation_rate_per_day: 0.2,
            nucleation_rate_per_h: 3e-7,
            growth_rate_per_h: 3.4e-4,
            hap_saturation_plasma: 10.0,
            nucleus_pmol: 1.65e-5,
            acp_growth_fraction: 0.5,
            phosphate_per_calcium: 0.63,
            bgp_hydrolysis_vmax_per_h: 80.0,
            bgp_half_saturation: 2.0,
            serum_bgp_hydrolysis_vmax_per_h: 0.048,
            ppi_production_per_h: 1.5,
            ppi_hydrolysis_clearance_per_h: 0.00073,
            exogenous_ppi_hydrolysis_rate_per_h: 0.0,
            calcium_diffusivity: 793.0,
            phosphate_diffusivity: 700.0,
            pyrophosphate_diffusivity: 500.0,
            tissue_diffusivity_factor: 0.4,
            extracellular_fraction: 0.3,
            lumen_permeability: 0.5,
            vasa_vasorum_permeability: 0.5,
            pericellular_depth_um: 10.0,
            unstirred_layer_um: 1000.0,
            tissue_density: 1.06,
            tissue_dry_fraction: 0.28,
            alizarin_threshold: 0.05,
            protein_per_cell: 0.3,
            wall_basal_calcium_ug_per_mg_dry: 1.08,
            crystal_bmp2_max: 1.0,
            crystal_response_half: 0.05,
            crystal_death_hazard_max_per_h: 0.002,
            fetuin_crystal_death_half: 1.0,
            bmp2_range_um: 20.0,
        }
    }
}

const A53: Source = Source::Assumed("docs/model.md §5.3 initial value");

#[rustfmt::skip]
static SPECS: [ParamSpec<MineralParams>; 51] = [
    spec("K_s", "solubility_product", "mM²", "effective ACP solubility product (ionised Ca × Pi)", Source::Assumed("below normal plasma (ionised Ca 1.2 × Pi 1.3 = 1.56 mM²): serum is supersaturated with calcium phosphate and kept metastable by inhibitors, so loss of PPi or MGP calcifies at normal phosphate (ENPP1 deficiency, warfarin); docs/model.md §5.3"), 0.2, 10.0, |p| &mut p.solubility_product),
    spec("f_ion,m", "ionised_calcium_fraction_medium", "1", "ionised share of the calcium of serum-supplemented medium", Source::Assumed("10% serum binds far less calcium than plasma (about 0.8-0.9 ionised); docs/model.md §5.2"), 0.3, 1.0, |p| &mut p.ionised_calcium_fraction_medium),
    spec("f_ion,p", "ionised_calcium_fraction_plasma", "1", "ionised share of plasma calcium", Source::Assumed("textbook: about half of plasma calcium is ionised, the rest albumin-bound or complexed (ionised 1.1-1.3 of total 2.2-2.6 mM)"), 0.3, 1.0, |p| &mut p.ionised_calcium_fraction_plasma),
    spec("n", "nucleation_exponent", "1", "order of nucleation in supersaturation", A53, 1.0, 6.0, |p| &mut p.nucleation_exponent),
    spec("ϑ_v", "vesicle_drive_saturation", "1", "saturation of nucleation on matrix vesicles and apoptotic bodies in the fluid's supersaturation: drive σ^n/(1 + (ϑ_v σ)^n), half-maximal at σ = 1/ϑ_v (0: no saturation)", Source::Assumed("0 in the built-in table (the drive σ^n of a free fluid). A vesicle builds its own supersaturation: annexins take up calcium and its phosphatases (TNAP, PHOSPHO1) and PiT-1 supply phosphate inside its membrane, and the vesicles of VSMC nucleate once they are released competent (Kapustin 2011, Circ Res 109:e1), so nucleation in them should saturate in the ions of the fluid around them; how fast is not measured, and a fit may free it (docs/calibration.md)"), 0.0, 10.0, |p| &mut p.vesicle_drive_saturation),
    spec("g", "growth_exponent", "1", "order of crystal growth in supersaturation", Source::Assumed("the measured orders of calcium-phosphate crystal growth lie between 1.25 and 2, 'suggesting a surface controlled process' (Nancollas 1983, Croat Chem Acta, hrcak.srce.hr/194194); hydroxyapatite on polymers 1.25 ± 0.18 (Dalas, Kallitsis & Koutsoukos 1991, Langmuir 7:1822); 2 for hydroxyapatite at 37 °C with amino acids present (J Cryst Growth 2000, 216:443) and on polyaminoacids (Chrissanthopoulos, Malkaj & Dalas 2006, Mater Lett), spiral growth controlled by surface diffusion; abstracts only, and whether each defines the supersaturation per ion (to the power 1/9), as here, was not checked. 2, the upper end, is kept; k_g keeps its measured velocity at any g (S_ref)"), 1.0, 4.0, |p| &mut p.growth_exponent),
    spec("S_ref − 1", "growth_reference_excess", "1", "hydroxyapatite supersaturation S_HAP − 1 of the solution in which k_g's velocity was measured", Source::Assumed("Kanzaki 1998's pseudophysiological solution (J Phys Chem B 102:6471; not read in full), its calcium and phosphate taken as 2.5 and 1.0 mM: S_HAP − 1 = 10 (2.5/1.2)^(5/9) (1.0/1.3)^(1/3) − 1 = 12.8 at the built-in S_p. Growth there is k_g (S_ref − 1)² m^(2/3) at every order g, so a fit that frees g keeps the measured velocity"), 1.0, 1000.0, |p| &mut p.growth_reference_excess),
    spec("K_PPi_n", "ppi_nucleation_half", "µM", "PPi halving nucleation", Source::Assumed("plasma 2-3 µM PPi suffices to prevent aortic calcification (O'Neill 2011)"), 0.01, 100.0, |p| &mut p.ppi_nucleation_half),
    spec("K_PPi_g", "ppi_growth_half", "µM", "PPi halving the growth of existing mineral", Source::Assumed("PPi adsorbs to apatite and inhibits its crystal growth at micromolar concentrations (Fleisch 1966, Nature 212:901); docs/model.md §5.3 initial value 1 µM"), 0.001, 100.0, |p| &mut p.ppi_growth_half),
    spec("K_F", "fetuin_nucleation_half", "µM", "fetuin-A halving nucleation", Source::Assumed("fetuin-A inhibits concentration-dependently (Reynolds 2005)"), 0.01, 1000.0, |p| &mut p.fetuin_nucleation_half),
    spec("K_Mg", "magnesium_nucleation_half", "mM", "magnesium halving nucleation", Source::Assumed("Mg inhibits calcium phosphate nucleation and stabilises ACP; 1-3 mM Mg prevents VSMC calcification in vitro (ter Braake 2018, not read in full)"), 0.01, 100.0, |p| &mut p.magnesium_nucleation_half),
    spec("K_MGP", "mgp_half", "1", "carboxylated MGP halving nucleation", A53, 0.001, 100.0, |p| &mut p.mgp_half),
    spec("MGP", "matrix_gla_protein", "1", "carboxylated matrix Gla protein (1 normal; warfarin lowers it)", A53, 0.0, 10.0, |p| &mut p.matrix_gla_protein),
    spec("ε_AB", "apoptotic_body_template", "1", "nucleation template of an apoptotic body per unit ALP", Source::Claim("AP-1 (Proudfoot 2000: apoptotic bodies concentrate calcium)"), 0.0, 1000.0, |p| &mut p.apoptotic_body_template),
    spec("ε_el", "elastin_template", "1", "nucleation template of a fully degraded elastic-lamella site, in matrix-vesicle equivalents (medial calcification)", Source::Assumed("docs/model.md §5.3 initial value; the range reaches the lamella's surface in a 20-µm site (about 800 µm², 2.5 × 10⁴ surfaces of a 100-nm vesicle) and 400 times more, as purified elastin calcifies heavily in normal interstitial fluid (107 µg Ca/mg in 30 days; Hinds 2004, J Biomed Mater Res)"), 0.0, 1e7, |p| &mut p.elastin_template),
    spec("ε_prop", "propagation_template", "pmol^-⅔", "nucleation template, in matrix-vesicle equivalents, that a deposit of m pmol Ca presents to each neighbouring site per m^(2/3) (its surface): mineral propagating from a focus into the matrix around it (0: off)", Source::Assumed("0 in the built-in table (off), until a calibration frees it. Once crystals break out of their matrix vesicle, the extracellular fluid 'contains sufficient Ca2+ and PO4(3-) to support continuous crystal proliferation, with preformed crystals serving as nuclei' (Anderson 2003, Curr Rheumatol Rep 5:222, PMID 12744815; abstract), so a deposit seeds the matrix next to it and calcification spreads from foci; how well an apatite surface nucleates per area relative to a vesicle is not measured. Geometric reference: a compact deposit's surface is 48.6 m^(2/3) µm², about 1,550 surfaces of a 100-nm vesicle per pmol^⅔, or 260 per neighbour if a sixth of it faces each of up to six (a monolayer site has four)"), 0.0, 1e6, |p| &mut p.propagation_template),
    spec("f_cg", "cell_deposit_growth_share", "1", "growth of the mineral that nucleated on matrix vesicles and apoptotic bodies, relative to lamellar mineral: a site's growing deposit is m_el + f_cg (m − m_el) (1: all of it one compact deposit; 0: cell-derived mineral stays at its nuclei)", Source::Assumed("1 in the built-in table (one compact deposit per site) until a calibration frees it. The crystals of calcifying VSMC layers are nanometre-sized: crystallites of 5-10 nm in lysed cells and fibres 10 nm thick in live ones (Villa-Bellosta, Millán & Sorribas 2011, Am J Physiol Cell Physiol 300:C210; abstract), fetuin-A caps calciprotein particles near 100 nm (Heiss 2010, Biophys J 99:3986), and microcalcifications form by aggregation of calcifying vesicles (Hutcheson 2016, Nat Mater 15:335), so a vesicle's mineral may not grow on as a compact crystal and the mass of a culture's deposits may be made by new nuclei; 0 is that limit (m_0, a filled 100-nm vesicle, per nucleus). Mineral on elastin keeps the measured growth"), 0.0, 1.0, |p| &mut p.cell_deposit_growth_share),
    spec("f_el", "intact_elastin_template_share", "1", "share of the degraded lamella's template that an intact lamella presents", Source::Assumed("intact, cross-linked elastin calcifies little: mice lacking cathepsin S (Aikawa 2009, Circulation 119:1785) or MMP-2 or MMP-9 (Basalyga 2004, Circulation 110:3480) are protected from elastin calcification (both not read in full) and elastin degradation precedes medial calcification in uraemic mice (Pai 2011); taken as a tenth, no measurement of the ratio found"), 0.0, 1.0, |p| &mut p.intact_elastin_template_share),
    spec("k_el", "elastolysis_rate_per_day", "d⁻¹", "degradation of a lamella among osteogenic cells (first order in its intact share)", Source::Assumed("elastin turnover is detected together with the VSMC phenotype change by week 4 of uraemia, before medial calcification at week 8 (Pai 2011): 0.02 d⁻¹ degrades 13% of a lamella in the first week among osteo/chondrogenic cells and half in five weeks; contractile cells degrade none, as elastin of adult arteries turns over in decades"), 0.0, 10.0, |p| &mut p.elastolysis_rate_per_day),
    spec("k_mat", "maturation_rate_per_day", "d⁻¹", "ACP → hydroxyapatite maturation", A53, 0.0, 10.0, |p| &mut p.maturation_rate_per_day),
    spec("k_nuc", "nucleation_rate_per_h", "pmol h⁻¹", "nucleation per template unit at unit supersaturation", Source::Calibrated("mineral onset by day 3-7, robust at day 7-14 in calcifying medium (docs/model.md §5.3); refitted with k_g for the supersaturation law to the same day-7/14 calcium of the calcifying well (14 and 119 µg Ca/mg protein, before 12 and 110)"), 0.0, 1.0, |p| &mut p.nucleation_rate_per_h),
    spec("k_g", "growth_rate_per_h", "pmol^⅓ h⁻¹", "crystal growth on existing mineral per unit (S_HAP − 1)², without inhibitors (k_g (S_ref − 1)^(2 − g) (S_HAP − 1)^g at order g)", Source::Assumed("the (0001) face of a hydroxyapatite crystal grows at about 0.01 nm/s at first in a pseudophysiological solution (Kanzaki 1998, J Phys Chem B 102:6471; not read in full; its calcium and phosphate taken as 2.5 and 1.0 mM, S_HAP − 1 = 12.8): a compact deposit of m pmol Ca (31.8 µm³ of HAP per pmol Ca) then gains 0.055 m^(2/3) pmol/h, so k_g = 0.055/12.8²; a lower bound, as a deposit of many nanocrystals has more surface"), 0.0, 10.0, |p| &mut p.growth_rate_per_h),
    spec("S_p", "hap_saturation_plasma", "1", "per-ion saturation ratio of hydroxyapatite in normal plasma, (IAP/Ksp)^(1/9)", Source::Assumed("plasma is supersaturated with hydroxyapatite by about 10⁹ in ion-activity product (per ion about 10; docs/model.md §5.3); growth barely depends on it while S_HAP ≫ 1"), 1.0, 100.0, |p| &mut p.hap_saturation_plasma),
    spec("m_0", "nucleus_pmol", "pmol", "mineral of one nucleation event (0: deterministic nucleation at its expected rate)", Source::Assumed("the first crystals of a matrix vesicle: a 100-nm vesicle filled with apatite holds 1.65e-5 pmol Ca (vesicles are 30-300 nm)"), 0.0, 1.0, |p| &mut p.nucleus_pmol),
    spec("f_a", "acp_growth_fraction", "1", "share of growth laid down as ACP", A53, 0.0, 1.0, |p| &mut p.acp_growth_fraction),
    spec("ν_P", "phosphate_per_calcium", "1", "Pi taken per Ca into mineral (HAP 0.60, ACP 0.67)", Source::Assumed("between HAP and ACP stoichiometry; docs/model.md §5.3"), 0.5, 0.7, |p| &mut p.phosphate_per_calcium),
    spec("V_β", "bgp_hydrolysis_vmax_per_h", "fmol h⁻¹", "β-glycerophosphate hydrolysis per cell per unit ALP", Source::Calibrated("medium Pi from 10 mM β-GP rises over days, as in calcifying-medium protocols"), 0.0, 1e5, |p| &mut p.bgp_hydrolysis_vmax_per_h),
    spec("K_β", "bgp_half_saturation", "mM", "β-glycerophosphate for half-maximal hydrolysis", Source::Assumed("docs/model.md §5.2"), 0.01, 100.0, |p| &mut p.bgp_half_saturation),
    spec("V_βs", "serum_bgp_hydrolysis_vmax_per_h", "mM h⁻¹", "β-glycerophosphate hydrolysis by the alkaline phosphatase of a well's serum (10% FBS), at saturating β-glycerophosphate", Source::Assumed("without cells, DMEM with 15% FBS and 10 mM β-glycerophosphate reaches 5 mM Pi (Hamlin & Price 2004, Calcif Tissue Int 75:231; abstract), about 4.1 mM hydrolysed; the abstract gives no time, taken as one medium interval of 3 days: Michaelis-Menten at K_β gives 0.072 mM h⁻¹ at 15% FBS, 0.048 at 10% (linear in serum); the serum's own Pi and the Pi taken into the decalcified tibia's new mineral are left out, small beside the unknown time and of opposite sign. Cross-check: one FBS lot's ALP, 279 U/L in a vendor's certificate of analysis (a Biological Industries MSC-qualified lot; assay not stated, taken as the alkaline p-nitrophenyl phosphate assay), is 1.7 mM h⁻¹ at 10% FBS, so this is about 3% of it, a plausible share for TNAP at pH 7.4 on β-glycerophosphate (no measured ratio found); FBS lots differ in ALP activity (Ansari, Ito & Hofmann 2022, PMC9026015), so a scenario with another serum or none sets its own value"), 0.0, 10.0, |p| &mut p.serum_bgp_hydrolysis_vmax_per_h),
    spec("s_E", "ppi_production_per_h", "fmol h⁻¹", "PPi production per cell per unit ENPP1 capacity", Source::Calibrated("resting PPi about 1-3 µM (docs/model.md §5.2) without raising medium Pi by more than about 0.05 mM per medium change"), 0.0, 1e4, |p| &mut p.ppi_production_per_h),
    spec("k_T", "ppi_hydrolysis_clearance_per_h", "µL h⁻¹", "PPi clearance by ALP per cell per unit ALP", Source::Calibrated("PPi t½ about 30 min at resting ALP in confluent culture (O'Neill 2011: plasma t½ 33 min)"), 0.0, 10.0, |p| &mut p.ppi_hydrolysis_clearance_per_h),
    spec("k_PPase", "exogenous_ppi_hydrolysis_rate_per_h", "h⁻¹", "first-order PPi hydrolysis in the wall or pericellular fluid by an enzyme added to the medium (0 without one)", Source::Assumed("0: no enzyme is added unless a treatment adds one (the pyrophosphatase and alkaline-phosphatase entries of the catalog)"), 0.0, 1e5, |p| &mut p.exogenous_ppi_hydrolysis_rate_per_h),
    spec("D_Ca", "calcium_diffusivity", "µm² s⁻¹", "diffusivity of calcium ions in water", Source::Assumed("Ca²⁺ tracer diffusivity 7.9 × 10⁻⁶ cm² s⁻¹ at 25 °C (standard tables, e.g. Li & Gregory 1974)"), 10.0, 3000.0, |p| &mut p.calcium_diffusivity),
    spec("D_Pi", "phosphate_diffusivity", "µm² s⁻¹", "diffusivity of phosphate ions in water", Source::Assumed("between HPO₄²⁻ and H₂PO₄⁻ (about 6-9 × 10⁻⁶ cm² s⁻¹ at 25 °C, standard tables)"), 10.0, 3000.0, |p| &mut p.phosphate_diffusivity),
    spec("D_PPi", "pyrophosphate_diffusivity", "µm² s⁻¹", "diffusivity of pyrophosphate in water", Source::Assumed("a larger, more charged anion than phosphate: below D_Pi; no measurement found"), 10.0, 3000.0, |p| &mut p.pyrophosphate_diffusivity),
    spec("θ", "tissue_diffusivity_factor", "1", "effective over free diffusivity in the wall's extracellular space (1/λ²)", Source::Assumed("tortuosity λ ≈ 1.6 of small ions in tissue extracellular space (Nicholson & Syková 1998, brain), taken for the media"), 0.05, 1.0, |p| &mut p.tissue_diffusivity_factor),
    spec("φ", "extracellular_fraction", "1", "extracellular volume fraction of the wall", Source::Assumed("interstitial space of arterial media about 0.2-0.4 of its volume"), 0.05, 0.9, |p| &mut p.extracellular_fraction),
    spec("P_L", "lumen_permeability", "µm s⁻¹", "small-ion permeability of the lumen's endothelium", Source::Assumed("arterial endothelium passes small hydrophilic solutes at about 10⁻⁵-10⁻⁴ cm s⁻¹ (0.1-1 µm s⁻¹)"), 0.0, 100.0, |p| &mut p.lumen_permeability),
    spec("P_vv", "vasa_vasorum_permeability", "µm s⁻¹", "exchange of the outer adventitia with its vasa vasorum", Source::Assumed("the adventitia is vascularised (vasa vasorum), the rat aortic media is not; same order as P_L"), 0.0, 100.0, |p| &mut p.vasa_vasorum_permeability),
    spec("δ_p", "pericellular_depth_um", "µm", "pericellular fluid layer of a culture well", Source::Assumed("the fluid within about one cell height (5-10 µm) of a monolayer"), 1.0, 100.0, |p| &mut p.pericellular_depth_um),
    spec("L_u", "unstirred_layer_um", "µm", "unstirred layer between pericellular fluid and bulk medium", Source::Assumed("a static well is unstirred over about half its 2-mm medium depth"), 10.0, 5000.0, |p| &mut p.unstirred_layer_um),
    spec("ρ", "tissue_density", "mg µL⁻¹", "density of the wet wall", Source::Assumed("soft tissue about 1.06 g/mL"), 0.9, 1.3, |p| &mut p.tissue_density),
    spec("d", "tissue_dry_fraction", "1", "dry share of the wet wall's mass", Source::Assumed("arterial wall is about 70-75% water"), 0.1, 0.5, |p| &mut p.tissue_dry_fraction),
    spec("m_AR", "alizarin_threshold", "pmol", "mineral per site that stains Alizarin-positive", Source::Assumed("the order of the stain's published sensitivity: Alizarin red S (1%, pH 6.3-6.5, on paraffin sections) detects calcium 'at a surface density of not more than 0.0004 ug./mm2' (abstract of a histochemical technic, scilit.net/publications/1a5be653f872abe6204d237842dfe4ea; attributed to Dahl, Proc Soc Exp Biol Med 1952, not verified), about 0.025 pmol Ca over a 50-µm culture site and 0.016 pmol of a 20-µm wall site's mineral read in a 5-µm section; 0.05 pmol is 2-3 times that bound, for a culture stained at pH 4.2 and read by eye or an image threshold, which needs more than the least the stain can show"), 0.0, 100.0, |p| &mut p.alizarin_threshold),
    spec("prot", "protein_per_cell", "ng", "protein per VSMC, for µg Ca/mg protein", Source::Assumed("docs/model.md §5.3"), 0.01, 10.0, |p| &mut p.protein_per_cell),
    spec("Ca_wall", "wall_basal_calcium_ug_per_mg_dry", "µg Ca/mg dry tissue", "calcium of a wall without mineral (matrix, cells, fluid), per mg dry wall", Source::Assumed("27 nmol Ca/mg dry weight in control rat aortas (adenine-rat study, PMC3129884; authors not verified); 24 umol/g in VDN controls agrees"), 0.0, 100.0, |p| &mut p.wall_basal_calcium_ug_per_mg_dry),
    spec("B_HA", "crystal_bmp2_max", "1", "most BMP-2-like osteogenic drive from calcium-phosphate deposits a cell touches (BMP-2 100 ng/mL = 1)", Source::Assumed("deposits, not high Pi alone, raise Bmp2 and Runx2 in VSMC (Villa-Bellosta 2011, Am J Physiol Cell Physiol 300:C210; nanocrystals raise BMP-2, Sage 2011, Kidney Int 79:414; pages not re-verified); size of the effect not reported in a usable form: taken equal to a typical exogenous BMP-2 dose"), 0.0, 10.0, |p| &mut p.crystal_bmp2_max),
    spec("h_HA", "crystal_death_hazard_max_per_h", "h⁻¹", "most apoptosis hazard from calcium-phosphate deposits a cell touches", Source::Assumed("calcium phosphate crystals kill human VSMC dose-dependently within a day, by lysosomal dissolution and a rise in cytosolic calcium (Ewence 2008, Circ Res 103:e28); the rate is not given in a usable form: 0.002 h⁻¹ (about 5% of cells a day among the heaviest deposits) keeps crystal death a minority of the apoptosis of a calcifying culture; the hazard in a protein-free fluid, lowered by fetuin-A (K_FHA)"), 0.0, 1.0, |p| &mut p.crystal_death_hazard_max_per_h),
    spec("K_FHA", "fetuin_crystal_death_half", "µM", "fetuin-A in the fluid that halves the hazard of deposits (h_HA)", Source::Assumed("fetuin-A and albumin at 1 µM and above reduced the calcium rise and the death of human VSMC exposed to calcium-phosphate particles, and serum reduced the particles' toxicity (Dautova 2014, PLoS ONE 9:e97565); the abstract gives no dose-response: half-protection at the lowest protective dose it reports. Albumin is not in the model's fluid (docs/model.md §5.3)"), 0.01, 1000.0, |p| &mut p.fetuin_crystal_death_half),
    spec("K_HA", "crystal_response_half", "pmol", "mineral around a cell for half of its responses to deposits (B_HA, h_HA)", Source::Assumed("the deposits that raise osteogenic genes are the ones that stain (Villa-Bellosta 2011): half-effect at the Alizarin detection limit m_AR"), 1e-4, 100.0, |p| &mut p.crystal_response_half),
    spec("λ_BMP", "bmp2_range_um", "µm", "range of secreted BMP-2 in the matrix: a neighbouring site at spacing h weighs exp(−h/λ_BMP) against the site's own cell", Source::Assumed("the decay length of Dpp, the fly's BMP-2/4, in the wing-disc epithelium is about 20 µm (Kicheva 2007, Science 315:521); BMP-2 binds heparan sulfate and collagen of the matrix and is bound by MGP in the vessel wall (Zebboudj 2002, J Biol Chem 277:4388), so its range is taken as about one wall-cell spacing; not measured in the vessel wall"), 0.0, 1000.0, |p| &mut p.bmp2_range_um),
];

impl ParameterTable for MineralParams {
    const MODULE: &'static str = "mineral";

    fn specs() -> &'static [ParamSpec<Self>] {
        &SPECS
    }
}

/// The mineral and templates of one lattice site.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SiteMineral {
    /// [pmol Ca] Amorphous calcium phosphate.
    pub acp: f64,
    /// [pmol Ca] Hydroxyapatite.
    pub hap: f64,
    /// [1] Competence-weighted matrix vesicles deposited here by living cells.
    pub vesicles: f64,
    /// [1] Calcifying vesicle equivalents apoptotic bodies left here (the apoptotic-body
    /// channel; they nucleate like matrix vesicles and turn over with them).
    pub body_vesicles: f64,
    /// [1] Apoptotic-body template: Σ ALP of the apoptotic bodies here.
    pub apoptotic_bodies: f64,
    /// [1] Elastin (1 on an elastic lamella).
    pub elastin: f64,
    /// [1] Degraded share of the site's elastin (0 intact, 1 fully degraded).
    #[serde(default)]
    pub elastin_degraded: f64,
    /// [pmol Ca] The part of `acp + hap` that nucleated on the elastic lamella and grew
    /// from it (the rest nucleated on matrix vesicles and apoptotic bodies): where the
    /// site's mineral lies, lamellar or in the cells' matrix.
    #[serde(default)]
    pub lamella: f64,
}

impl SiteMineral {
    /// [pmol Ca] All mineral.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.acp + self.hap
    }
}

/// The fluid a site's mineral forms from, constant over one chemistry step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fluid {
    /// [mM] Ionised calcium.
    pub ionised_calcium: f64,
    /// [mM] Phosphate.
    pub phosphate: f64,
    /// [µM] Pyrophosphate.
    pub pyrophosphate: f64,
    /// [µM] Fetuin-A.
    pub fetuin_a: f64,
    /// [mM] Magnesium.
    pub magnesium: f64,
}

/// `σ` [1]: supersaturation `Ca_i · Pi / K_s − 1` of a fluid.
#[must_use]
pub fn supersaturation(p: &MineralParams, fluid: &Fluid) -> f64 {
    fluid.ionised_calcium * fluid.phosphate / p.solubility_product - 1.0
}

/// `Φ` [1]: the inhibitors' factor on nucleation (1 without inhibitors).
#[must_use]
pub fn nucleation_inhibition(p: &MineralParams, fluid: &Fluid) -> f64 {
    1.0 / ((1.0 + fluid.pyrophosphate.max(0.0) / p.ppi_nucleation_half)
        * (1.0 + fluid.fetuin_a.max(0.0) / p.fetuin_nucleation_half)
        * (1.0 + fluid.magnesium.max(0.0) / p.magnesium_nucleation_half)
        * (1.0 + p.matrix_gla_protein / p.mgp_half))
}

/// [1] Per-ion saturation of hydroxyapatite, `S_HAP = S_p (Ca_i/1.2)^(5/9) (Pi/1.3)^(1/3)`:
/// its ion-activity product (∝ Ca⁵ Pi³ at fixed pH) relative to normal plasma's, to the
/// power 1/9, times plasma's own `S_p`.
#[must_use]
pub fn hap_saturation(p: &MineralParams, fluid: &Fluid) -> f64 {
    p.hap_saturation_plasma
        * (fluid.ionised_calcium.max(0.0) / PLASMA_IONISED_CALCIUM_MM).powf(5.0 / 9.0)
        * (fluid.phosphate.max(0.0) / PLASMA_PHOSPHATE_MM).powf(1.0 / 3.0)
}

/// [mM] Ionised calcium of normal plasma, the reference of [`hap_saturation`].
pub const PLASMA_IONISED_CALCIUM_MM: f64 = 1.2;
/// [mM] Phosphate of normal plasma, the reference of [`hap_saturation`].
pub const PLASMA_PHOSPHATE_MM: f64 = 1.3;

/// [1] A site's nucleation templates in matrix-vesicle equivalents: those its cells left
/// (`N_c`: vesicles, and apoptotic bodies by their ALP) and its elastic lamella's (`N_el`).
fn templates(p: &MineralParams, site: &SiteMineral) -> (f64, f64) {
    (
        site.vesicles + site.body_vesicles + p.apoptotic_body_template * site.apoptotic_bodies,
        p.elastin_template * site.elastin * lamella_template_share(p, site.elastin_degraded),
    )
}

/// [pmol Ca h⁻¹] Expected template nucleation at one site, `J_nuc` (0 at or below the
/// solubility of amorphous calcium phosphate).
#[must_use]
pub fn nucleation_rate(p: &MineralParams, site: &SiteMineral, fluid: &Fluid) -> f64 {
    let sigma = supersaturation(p, fluid);
    if sigma <= 0.0 {
        return 0.0;
    }
    let (cell_templates, lamella_templates) = templates(p, site);
    let drive = sigma.powf(p.nucleation_exponent);
    // Without saturation the templates share one drive: summed first, as before the
    // law had a vesicle term, so runs at the built-in ϑ_v = 0 stay bit-identical.
    if p.vesicle_drive_saturation <= 0.0 {
        return fluid_bathed_nucleation(
            p,
            (cell_templates + lamella_templates).max(0.0),
            drive,
            fluid,
        );
    }
    let vesicle_drive = vesicle_nucleation_drive(p, sigma);
    p.nucleation_rate_per_h
        * (cell_templates.max(0.0) * vesicle_drive + lamella_templates.max(0.0) * drive)
        * nucleation_inhibition(p, fluid)
}

/// [pmol Ca h⁻¹] Expected nucleation at one site on the deposits of its neighbours,
/// `k_nuc ε_prop Σ_j m_j^(2/3) σ^n Φ` for `neighbour_surface` = `Σ_j m_j^(2/3)` [pmol^⅔]
/// over the site's lattice neighbours: mineral propagating from a focus into the matrix
/// around it (Anderson 2003: preformed crystals serve as nuclei). A crystal surface is
/// bathed by the fluid, so its drive is the fluid's `σ^n`, as on elastin. 0 when
/// `ε_prop` is 0 (the built-in value), without neighbouring mineral or below solubility.
#[must_use]
pub fn propagation_nucleation_rate(
    p: &MineralParams,
    neighbour_surface: f64,
    fluid: &Fluid,
) -> f64 {
    if p.propagation_template <= 0.0 || neighbour_surface <= 0.0 {
        return 0.0;
    }
    let sigma = supersaturation(p, fluid);
    if sigma <= 0.0 {
        return 0.0;
    }
    fluid_bathed_nucleation(
        p,
        p.propagation_template * neighbour_surface,
        sigma.powf(p.nucleation_exponent),
        fluid,
    )
}

/// [pmol Ca h⁻¹] Nucleation on `templates` [matrix-vesicle equivalents] bathed by the
/// fluid, whose drive is `drive` (`σ^n`): `k_nuc N drive Φ`. The one law of
/// [`nucleation_rate`] (unsaturated) and [`propagation_nucleation_rate`].
fn fluid_bathed_nucleation(p: &MineralParams, templates: f64, drive: f64, fluid: &Fluid) -> f64 {
    p.nucleation_rate_per_h * templates * drive * nucleation_inhibition(p, fluid)
}

/// [pmol^⅔] A deposit's surface measure, `m^(2/3)` for `m` [pmol Ca] its mineral (0 for
/// none): what [`propagation_nucleation_rate`] sums over a site's neighbours.
#[must_use]
pub fn deposit_surface(mineral_pmol: f64) -> f64 {
    if mineral_pmol > 0.0 {
        mineral_pmol.powf(2.0 / 3.0)
    } else {
        0.0
    }
}

/// [1] The share of a site's expected nucleation ([`nucleation_rate`]) that forms on its
/// elastic lamella rather than on matrix vesicles and apoptotic bodies: `N_el σ^n` over
/// `N_c D_v + N_el σ^n`. 0 without elastin or without supersaturation.
#[must_use]
pub fn lamella_nucleation_share(p: &MineralParams, site: &SiteMineral, fluid: &Fluid) -> f64 {
    let sigma = supersaturation(p, fluid);
    if sigma <= 0.0 {
        return 0.0;
    }
    let (cell_templates, lamella_templates) = templates(p, site);
    let (cell_templates, lamella_templates) = (cell_templates.max(0.0), lamella_templates.max(0.0));
    let drive = sigma.powf(p.nucleation_exponent);
    let cell_drive = if p.vesicle_drive_saturation <= 0.0 {
        drive
    } else {
        vesicle_nucleation_drive(p, sigma)
    };
    let on_lamella = lamella_templates * drive;
    let all = cell_templates * cell_drive + on_lamella;
    if all > 0.0 { on_lamella / all } else { 0.0 }
}

/// [1] The supersaturation drive of nucleation on a cell-derived template (a matrix vesicle
/// or an apoptotic body), `σ^n / (1 + (ϑ_v σ)^n)`: the free fluid's `σ^n` while `σ` is
/// small, saturating at `ϑ_v^(−n)` once the vesicle's own ion uptake, not the fluid
/// around it, limits how fast its lumen nucleates (Kapustin 2011). 0 at or below
/// solubility.
#[must_use]
pub fn vesicle_nucleation_drive(p: &MineralParams, sigma: f64) -> f64 {
    if sigma <= 0.0 {
        return 0.0;
    }
    let drive = sigma.powf(p.nucleation_exponent);
    drive / (1.0 + (p.vesicle_drive_saturation * sigma).powf(p.nucleation_exponent))
}

/// [1] The share of a site's room that mineral has not yet filled, `1 − m / m_max`
/// (0 when full): `m` [pmol Ca] its mineral, `room_um3` [µm³] the volume mineral can
/// occupy there (a wall's whole site: mineral replaces fluid and matrix; a well's
/// pericellular layer). Nucleation and growth both need room, so a site fills up and
/// mineral spreads to its neighbours instead of piling up past the site's volume.
#[must_use]
pub fn free_room(mineral_pmol: f64, room_um3: f64) -> f64 {
    if room_um3 <= 0.0 {
        return 0.0;
    }
    (1.0 - mineral_pmol.max(0.0) * MINERAL_UM3_PER_PMOL_CALCIUM / room_um3).clamp(0.0, 1.0)
}

/// [pmol Ca h⁻¹] Growth of a site's existing mineral, `G`: on its surface (`m^(2/3)`),
/// driven by the fluid's hydroxyapatite supersaturation and slowed by PPi bound to it.
#[must_use]
pub fn growth_rate(p: &MineralParams, site: &SiteMineral, fluid: &Fluid) -> f64 {
    let m = growing_mineral(p, site);
    let drive = hap_saturation(p, fluid) - 1.0;
    if m <= 0.0 || drive <= 0.0 {
        return 0.0;
    }
    // At the built-in g = 2 the reference factor is exactly 1 (x⁰), so the law is
    // unchanged bit for bit; at another order the growth at S_ref stays the measured one.
    p.growth_rate_per_h
        * deposit_surface(m)
        * drive.powf(p.growth_exponent)
        * p.growth_reference_excess.powf(2.0 - p.growth_exponent)
        / (1.0 + fluid.pyrophosphate.max(0.0) / p.ppi_growth_half)
}

/// [pmol Ca] The part of a site's mineral that grows, `m_el + f_cg (m − m_el)`: its
/// lamellar mineral and the share `f_cg` of the mineral its cells' vesicles and bodies
/// nucleated. All of it (`site.total()`, bit for bit) at the built-in `f_cg` = 1.
#[must_use]
pub fn growing_mineral(p: &MineralParams, site: &SiteMineral) -> f64 {
    let m = site.total();
    if p.cell_deposit_growth_share >= 1.0 {
        return m;
    }
    let lamellar = site.lamella.clamp(0.0, m.max(0.0));
    lamellar + p.cell_deposit_growth_share.max(0.0) * (m - lamellar)
}

/// [1] The share of a site's growth that is lamellar: its lamellar mineral over the
/// mineral that grows ([`growing_mineral`]); 0 without growing mineral.
#[must_use]
pub fn lamellar_growth_share(p: &MineralParams, site: &SiteMineral) -> f64 {
    let growing = growing_mineral(p, site);
    if growing > 0.0 {
        (site.lamella / growing).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Above this mean, [`nucleation_events`] uses the normal approximation of the Poisson
/// distribution (with its skewness correction) instead of summing its terms: `e^(−λ)`
/// underflows above about 745, and summing costs one term per event.
pub const POISSON_NORMAL_ABOVE: f64 = 700.0;

/// The number of nucleation events at a site in one step: Poisson with mean `expected`,
/// drawn by inverting its distribution at the uniform draw `uniform` in [0, 1) (one draw,
/// so a site's events are a pure function of its keyed stream). Exact up to
/// [`POISSON_NORMAL_ABOVE`]; above it the Cornish-Fisher quantile
/// `λ + √λ z + (z² − 1)/6` (z the standard normal quantile of the draw), whose error is
/// a small fraction of an event's standard deviation there and whose cost does not
/// grow with the mean. A count, returned as f64 so no mean overflows it.
#[must_use]
pub fn nucleation_events(expected: f64, uniform: f64) -> f64 {
    if expected.is_nan() || expected <= 0.0 {
        return 0.0;
    }
    if expected > POISSON_NORMAL_ABOVE {
        let z = normal_quantile(uniform.clamp(1e-300, 1.0 - 1e-16));
        let quantile = expected + expected.sqrt() * z + (z * z - 1.0) / 6.0;
        return (quantile + 0.5).floor().max(0.0);
    }
    let mut events = 0.0_f64;
    let mut probability = (-expected).exp();
    let mut cumulative = probability;
    // Far enough into the tail for any draw below 1 − 1e-12; the cap only guards a
    // draw that is exactly at the top.
    let cap = expected + 12.0 * expected.sqrt() + 30.0;
    while uniform >= cumulative && events < cap {
        events += 1.0;
        probability *= expected / events;
        cumulative += probability;
    }
    events
}

/// [1] The share of a fully degraded lamella's nucleation template that a lamella with
/// degraded share `degraded` presents: `f_el + (1 − f_el) d` (degradation: `elastin.rs`).
#[must_use]
pub fn lamella_template_share(p: &MineralParams, degraded: f64) -> f64 {
    let f = p.intact_elastin_template_share;
    f + (1.0 - f) * degraded.clamp(0.0, 1.0)
}

/// `B` [1]: the osteogenic drive, in units of exogenous BMP-2 (100 ng/mL = 1), that a cell
/// gets from the calcium-phosphate deposits around it: `B_HA m / (m + K_HA)` for `m`
/// [pmol Ca] the mean mineral of its site and its lattice neighbours (deposits and the
/// nanocrystals they shed in the shared pericellular or interstitial fluid). Deposits
/// raise Bmp2 and Runx2 in VSMC (Villa-Bellosta 2011; Sage 2011), so mineral recruits
/// the cells next to it: the positive feedback that makes calcification focal.
#[must_use]
pub fn crystal_bmp2(p: &MineralParams, mineral_nearby_pmol: f64) -> f64 {
    deposit_response(p.crystal_bmp2_max, p, mineral_nearby_pmol)
}

/// [h⁻¹] The apoptosis hazard the calcium-phosphate deposits around a cell add,
/// `h_HA m / (m + K_HA) / (1 + F / K_FHA)`, `m` as in [`crystal_bmp2`] (Ewence 2008:
/// crystals taken up by VSMC dissolve in lysosomes and kill them) and `F` [µM] the
/// fetuin-A of the fluid bathing the cell (Dautova 2014: fetuin-A delays the particles'
/// uptake and dissolution and protects the cell). Dead cells leave apoptotic bodies that
/// nucleate more mineral: the loop by which calcified foci grow into their surroundings.
#[must_use]
pub fn crystal_death_hazard_per_h(
    p: &MineralParams,
    mineral_nearby_pmol: f64,
    fetuin_a_um: f64,
) -> f64 {
    deposit_response(p.crystal_death_hazard_max_per_h, p, mineral_nearby_pmol)
        / (1.0 + fetuin_a_um.max(0.0) / p.fetuin_crystal_death_half)
}

/// `maximum · m / (m + K_HA)`: a cell's saturating response to the mineral `m` [pmol Ca]
/// around it (0 without mineral).
fn deposit_response(maximum: f64, p: &MineralParams, mineral_nearby_pmol: f64) -> f64 {
    let m = mineral_nearby_pmol.max(0.0);
    if m == 0.0 {
        return 0.0;
    }
    maximum * m / (m + p.crystal_response_half)
}

/// Matures ACP into hydroxyapatite over `step_h` hours (exact exponential; conserves Ca).
pub fn mature(p: &MineralParams, site: &mut SiteMineral, step_h: f64) {
    let converted = site.acp * (1.0 - (-p.maturation_rate_per_day * step_h * HOUR / DAY).exp());
    site.acp -= converted;
    site.hap += converted;
}

/// [mM] β-glycerophosphate left after `step_h` hours of Michaelis-Menten hydrolysis at
/// maximal rate `vmax_per_h` [mM h⁻¹] (exact solution of `dβ/dt = -vmax β/(K + β)` by
/// Newton's method).
#[must_use]
pub fn bgp_after(initial: f64, vmax_per_h: f64, half_saturation: f64, step_h: f64) -> f64 {
    if initial <= 0.0 || vmax_per_h <= 0.0 || step_h <= 0.0 {
        return initial.max(0.0);
    }
    // K ln(β0/β) + (β0 - β) = vmax t;  f(β) = K ln(β0/β) + β0 - β - vmax t, decreasing in β.
    let target = vmax_per_h * step_h;
    let f = |b: f64| half_saturation * (initial / b).ln() + initial - b - target;
    let mut b = (initial * (-target / (half_saturation + initial)).exp()).max(initial * 1e-300);
    for _ in 0..60 {
        let derivative = -half_saturation / b - 1.0;
        let next = b - f(b) / derivative;
        let next = if next <= 0.0 {
            0.5 * b
        } else {
            next.min(initial)
        };
        if (next - b).abs() <= 1e-15 * initial {
            b = next;
            break;
        }
        b = next;
    }
    b
}

/// What one step of β-glycerophosphate hydrolysis in a well's bulk medium did [mM of the
/// bulk]: left unhydrolysed, and hydrolysed by the cells' TNAP and by the serum's ALP.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BgpHydrolysis {
    /// [mM] β-glycerophosphate left.
    pub left: f64,
    /// [mM] Hydrolysed by the cells (its Pi goes to their sites).
    pub by_cells: f64,
    /// [mM] Hydrolysed by the serum in the medium (its Pi stays in the bulk).
    pub by_serum: f64,
}

/// One step of β-glycerophosphate hydrolysis by two enzymes on one substrate with the
/// same half-saturation `K_β` (the cells' TNAP, `cells_vmax_per_h`, and the serum's ALP,
/// `serum_vmax_per_h`, both [mM h⁻¹]): the exact Michaelis-Menten integral at the summed
/// maximal rate, shared in proportion to each enzyme's maximal rate (at every instant
/// each takes the same share of the rate).
#[must_use]
pub fn hydrolyse_bgp(
    initial: f64,
    cells_vmax_per_h: f64,
    serum_vmax_per_h: f64,
    half_saturation: f64,
    step_h: f64,
) -> BgpHydrolysis {
    let cells = cells_vmax_per_h.max(0.0);
    let serum = serum_vmax_per_h.max(0.0);
    let vmax = cells + serum;
    let left = bgp_after(initial, vmax, half_saturation, step_h);
    let hydrolysed = initial.max(0.0) - left;
    let by_serum = if vmax > 0.0 {
        hydrolysed * serum / vmax
    } else {
        0.0
    };
    BgpHydrolysis {
        left,
        by_cells: hydrolysed - by_serum,
        by_serum,
    }
}

/// [µM] PPi after `step_h` hours with production `production_per_h` [µM h⁻¹] and
/// first-order clearance `clearance_per_h` [h⁻¹] (exact).
#[must_use]
pub fn ppi_after(initial: f64, production_per_h: f64, clearance_per_h: f64, step_h: f64) -> f64 {
    if clearance_per_h <= 0.0 {
        return initial + production_per_h * step_h;
    }
    let decay = (-clearance_per_h * step_h).exp();
    initial * decay + production_per_h / clearance_per_h * (1.0 - decay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fluid(ionised_calcium: f64, phosphate: f64) -> Fluid {
        Fluid {
            ionised_calcium,
            phosphate,
            pyrophosphate: 0.0,
            fetuin_a: 0.0,
            magnesium: 0.0,
        }
    }

    fn templated() -> SiteMineral {
        SiteMineral {
            vesicles: 100.0,
            ..SiteMineral::default()
        }
    }

    /// [pmol Ca h⁻¹] New mineral at a site at the expected nucleation rate.
    fn formed(p: &MineralParams, site: &SiteMineral, f: &Fluid) -> f64 {
        nucleation_rate(p, site, f) + growth_rate(p, site, f)
    }

    /// A site holding `hap` pmol Ca of apatite and no templates.
    fn deposit(hap: f64) -> SiteMineral {
        SiteMineral {
            hap,
            ..SiteMineral::default()
        }
    }

    #[test]
    fn no_nucleus_forms_at_or_below_solubility_and_more_forms_as_pi_rises() {
        let p = MineralParams::default();
        let site = templated();
        let ca = 1.53; // DMEM total 1.8 mM, 85% ionised
        let at = |pi: f64| nucleation_rate(&p, &site, &fluid(ca, pi));
        assert!(at(p.solubility_product / ca).abs() < 1e-300);
        assert!(at(0.5 * p.solubility_product / ca).abs() < 1e-300);
        assert!(at(1.4) > 0.0 && at(2.0) > at(1.4) && at(2.5) > at(2.0) && at(3.0) > at(2.5));
    }

    #[test]
    fn vesicle_nucleation_saturates_in_supersaturation_and_lamellae_do_not() {
        let free = MineralParams::default();
        assert!(free.vesicle_drive_saturation.abs() < f64::EPSILON);
        let p = MineralParams {
            vesicle_drive_saturation: 1.0,
            ..MineralParams::default()
        };
        // No nucleation at or below solubility, σ^n while σ is small, half at σ = 1/ϑ_v,
        // rising towards ϑ_v^(−n) and never above σ^n.
        assert!(vesicle_nucleation_drive(&p, 0.0).abs() < 1e-300);
        assert!(vesicle_nucleation_drive(&p, -0.5).abs() < 1e-300);
        let small = 1e-3;
        assert!((vesicle_nucleation_drive(&p, small) / small.powi(2) - 1.0).abs() < 1e-5);
        assert!((vesicle_nucleation_drive(&p, 1.0) - 0.5).abs() < 1e-12);
        let mut previous = 0.0;
        for i in 1..=200 {
            let sigma = 0.05 * f64::from(i);
            let drive = vesicle_nucleation_drive(&p, sigma);
            assert!(drive > previous && drive < 1.0 && drive <= sigma.powi(2));
            previous = drive;
        }
        // Culture fluids (K_s 1.5 mM²): β-glycerophosphate alone (ionised Ca × Pi about
        // 3.7 mM², σ ≈ 1.5) against 1 mM more calcium (about 7.2 mM², σ ≈ 3.8): the free
        // fluid's drive differs 6.4-fold, the saturated vesicles' 1.4-fold.
        let (low, high): (f64, f64) = (3.7 / 1.5 - 1.0, 7.2 / 1.5 - 1.0);
        let free_ratio = (high / low).powi(2);
        let vesicle_ratio = vesicle_nucleation_drive(&p, high) / vesicle_nucleation_drive(&p, low);
        assert!(free_ratio > 6.0 && vesicle_ratio < 1.5 && vesicle_ratio > 1.0);
        // Nucleation at a vesicle site follows the saturated drive; at a lamella, σ^n.
        let culture = fluid(2.0, 2.5);
        let sigma = supersaturation(&p, &culture);
        let vesicle_site = templated();
        let lamella_site = SiteMineral {
            elastin: 1.0,
            ..SiteMineral::default()
        };
        let ratio = |site: &SiteMineral| {
            nucleation_rate(&p, site, &culture) / nucleation_rate(&free, site, &culture)
        };
        let expected = 1.0 / (1.0 + sigma.powi(2));
        assert!((ratio(&vesicle_site) - expected).abs() < 1e-12);
        assert!((ratio(&lamella_site) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_existing_deposit_grows_from_every_physiological_fluid_and_little_with_composition() {
        let p = MineralParams::default();
        let deposit = deposit(1.0);
        let plasma = fluid(PLASMA_IONISED_CALCIUM_MM, PLASMA_PHOSPHATE_MM);
        assert!((hap_saturation(&p, &plasma) - p.hap_saturation_plasma).abs() < 1e-12);
        // Below the solubility of ACP (no new nuclei) a deposit still grows: the fluid is
        // supersaturated with hydroxyapatite.
        let dilute = fluid(1.0, 0.5);
        assert!(supersaturation(&p, &dilute) < 0.0);
        assert!(growth_rate(&p, &deposit, &dilute) > 0.0);
        // A ring in serum-free medium at Pi 3.8 mM (free Ca 1.8 mM) against normal plasma:
        // 62-fold in the square of ACP supersaturation, about 3-fold in growth.
        let ring = fluid(1.8, 3.8);
        let acp_ratio = (supersaturation(&p, &ring) / supersaturation(&p, &plasma)).powi(2);
        let growth_ratio = growth_rate(&p, &deposit, &ring) / growth_rate(&p, &deposit, &plasma);
        assert!(acp_ratio > 50.0, "{acp_ratio}");
        assert!(growth_ratio > 1.5 && growth_ratio < 5.0, "{growth_ratio}");
        // Nothing grows where there is no mineral, and growth goes with the surface.
        assert!(growth_rate(&p, &SiteMineral::default(), &plasma).abs() < 1e-300);
        let eight = SiteMineral {
            hap: 8.0,
            ..deposit
        };
        let surface = growth_rate(&p, &eight, &plasma) / growth_rate(&p, &deposit, &plasma);
        assert!((surface - 4.0).abs() < 1e-12);
    }

    #[test]
    fn a_deposit_seeds_its_neighbours_in_proportion_to_its_surface_only_when_propagation_is_on() {
        let off = MineralParams::default();
        let culture = fluid(2.4, 4.0);
        // Built in: off, whatever the neighbouring mineral.
        assert!(propagation_nucleation_rate(&off, deposit_surface(8.0), &culture).abs() < 1e-300);
        let p = MineralParams {
            propagation_template: 100.0,
            ..off
        };
        // A deposit's surface goes as m^(2/3): eight times the mineral, four times the seed.
        let one = propagation_nucleation_rate(&p, deposit_surface(1.0), &culture);
        let eight = propagation_nucleation_rate(&p, deposit_surface(8.0), &culture);
        assert!(one > 0.0);
        assert!((eight / one - 4.0).abs() < 1e-12, "{}", eight / one);
        // It is template nucleation: the same law as a site's own templates (here, a
        // lamella of the same template count), inhibited alike, and none without mineral
        // or below solubility.
        let lamella = SiteMineral {
            elastin: 1.0,
            elastin_degraded: 1.0,
            ..SiteMineral::default()
        };
        let q = MineralParams {
            elastin_template: 100.0,
            ..p.clone()
        };
        let on_lamella = nucleation_rate(&q, &lamella, &culture);
        assert!(
            (one / on_lamella - 1.0).abs() < 1e-12,
            "{one} vs {on_lamella}"
        );
        let inhibited = Fluid {
            pyrophosphate: 2.0,
            ..culture
        };
        let ratio = propagation_nucleation_rate(&p, 1.0, &inhibited) / one;
        let lamella_ratio = nucleation_rate(&q, &lamella, &inhibited) / on_lamella;
        assert!(ratio < 1.0 && (ratio / lamella_ratio - 1.0).abs() < 1e-12);
        assert!(propagation_nucleation_rate(&p, 0.0, &culture).abs() < 1e-300);
        assert!(propagation_nucleation_rate(&p, 1.0, &fluid(1.0, 0.5)).abs() < 1e-300);
        assert!(deposit_surface(0.0).abs() < 1e-300 && deposit_surface(-1.0).abs() < 1e-300);
    }

    #[test]
    fn the_growth_rate_is_the_measured_face_velocity_on_a_compact_deposit() {
        // Kanzaki 1998: 0.01 nm/s at first in a pseudophysiological solution (taken as
        // Ca 2.5, Pi 1.0 mM). A sphere of m pmol Ca of apatite (31.8 µm³ per pmol Ca)
        // gains (36π)^(1/3) v m^(2/3) / v_m^(1/3) pmol per hour.
        let p = MineralParams::default();
        let velocity_um_per_h = 0.01e-3 * 3600.0;
        let molar_volume_um3 = 31.8;
        let sphere =
            (36.0 * std::f64::consts::PI).cbrt() * velocity_um_per_h / f64::cbrt(molar_volume_um3);
        let deposit = deposit(1.0);
        let kanzaki = fluid(2.5, 1.0);
        let grown = growth_rate(&p, &deposit, &kanzaki);
        assert!((grown / sphere - 1.0).abs() < 0.02, "{grown} vs {sphere}");
        // S_ref − 1 is that solution's supersaturation, so every measured order of growth
        // (1.25-2) keeps the measured velocity there and differs only away from it.
        let reference = hap_saturation(&p, &kanzaki) - 1.0;
        assert!(
            (reference / p.growth_reference_excess - 1.0).abs() < 0.01,
            "{reference}"
        );
        let culture = fluid(2.4, 4.0);
        let plasma = fluid(PLASMA_IONISED_CALCIUM_MM, PLASMA_PHOSPHATE_MM);
        let second = growth_rate(&p, &deposit, &culture) / growth_rate(&p, &deposit, &plasma);
        for order in [1.25, 1.5] {
            let q = MineralParams {
                growth_exponent: order,
                ..p.clone()
            };
            let at_reference = growth_rate(&q, &deposit, &kanzaki);
            assert!(
                (at_reference / grown - 1.0).abs() < 0.01,
                "g {order}: {at_reference}"
            );
            // A lower order makes growth follow the fluid's composition less steeply.
            let ratio = growth_rate(&q, &deposit, &culture) / growth_rate(&q, &deposit, &plasma);
            assert!(
                ratio > 1.0 && ratio < second,
                "g {order}: {ratio} against {second}"
            );
        }
    }

    #[test]
    fn pyrophosphate_slows_growth_dose_dependently_and_smoothly() {
        let p = MineralParams::default();
        let deposit = deposit(2.0);
        let rates: Vec<f64> = (0..=40)
            .map(|i| {
                let f = Fluid {
                    pyrophosphate: 0.25 * f64::from(i),
                    ..fluid(1.2, 2.5)
                };
                growth_rate(&p, &deposit, &f)
            })
            .collect();
        for w in rates.windows(2) {
            assert!(w[1] < w[0] && w[1] > 0.5 * w[0]);
        }
        assert!(rates[40] < 0.2 * rates[0]);
    }

    #[test]
    fn nucleation_events_are_poisson_in_the_uniform_draw() {
        assert!(nucleation_events(0.0, 0.999).abs() < f64::EPSILON);
        assert!(nucleation_events(-1.0, 0.5).abs() < f64::EPSILON);
        assert!(nucleation_events(f64::NAN, 0.5).abs() < f64::EPSILON);
        // Summed terms up to POISSON_NORMAL_ABOVE, the normal approximation above it (a
        // mean of 1e12 events, which once ran its sum for minutes and returned its cap,
        // 12 standard deviations too high, once e^(−λ) underflowed).
        for expected in [0.01, 0.3, 5.0, 40.0, 699.0, 701.0, 800.0, 1e6, 1e12] {
            let n = 20_000;
            let mut sum = 0.0;
            let mut sum_sq = 0.0;
            let mut zeros = 0;
            let mut last = 0.0;
            for k in 0..n {
                // A uniform grid of draws: exact quantiles of the distribution.
                let u = (f64::from(k) + 0.5) / f64::from(n);
                let events = nucleation_events(expected, u);
                assert!(events >= last, "not monotone in the draw");
                assert!(events.fract().abs() < f64::EPSILON, "not a count");
                last = events;
                sum += events - expected;
                sum_sq += (events - expected).powi(2);
                zeros += u32::from(events < 0.5);
            }
            let mean = expected + sum / f64::from(n);
            let variance = sum_sq / f64::from(n) - (sum / f64::from(n)).powi(2);
            assert!(
                (mean / expected - 1.0).abs() < 0.01,
                "{expected}: mean {mean}"
            );
            assert!(
                (variance / expected - 1.0).abs() < 0.03,
                "{expected}: variance {variance}"
            );
            let p_zero = f64::from(zeros) / f64::from(n);
            assert!(
                (p_zero - (-expected).exp()).abs() < 1e-3,
                "{expected}: {p_zero}"
            );
        }
        // The two methods meet at POISSON_NORMAL_ABOVE: quantiles either side of it
        // differ by at most one event from the 5th to the 95th percentile.
        for k in 1..20 {
            let u = f64::from(k) / 20.0;
            let below = nucleation_events(POISSON_NORMAL_ABOVE * (1.0 - 1e-9), u);
            let above = nucleation_events(POISSON_NORMAL_ABOVE * (1.0 + 1e-9), u);
            assert!((below - above).abs() <= 1.0, "{u}: {below} vs {above}");
        }
    }

    #[test]
    fn only_the_growing_share_of_cell_derived_mineral_grows() {
        let fluid = fluid(2.4, 4.0);
        let site = SiteMineral {
            acp: 2.0,
            hap: 6.0,
            lamella: 2.0,
            ..SiteMineral::default()
        };
        // Built in (f_cg = 1): all of the site's mineral grows, as one compact deposit.
        let p = MineralParams::default();
        assert_eq!(growing_mineral(&p, &site).to_bits(), site.total().to_bits());
        assert!((lamellar_growth_share(&p, &site) - 0.25).abs() < 1e-15);
        // f_cg = 0: only the lamellar 2 pmol grows; growth goes as that deposit's surface,
        // all of it lamellar.
        let q = MineralParams {
            cell_deposit_growth_share: 0.0,
            ..p
        };
        assert!((growing_mineral(&q, &site) - 2.0).abs() < 1e-15);
        assert!((lamellar_growth_share(&q, &site) - 1.0).abs() < 1e-15);
        let ratio = growth_rate(&q, &site, &fluid) / growth_rate(&p, &site, &fluid);
        assert!(
            (ratio - (2.0_f64 / 8.0).powf(2.0 / 3.0)).abs() < 1e-12,
            "{ratio}"
        );
        // A site whose mineral all nucleated on vesicles does not grow at f_cg = 0; at a
        // share in between its deposit grows as that share of it.
        let vesicle_site = SiteMineral {
            lamella: 0.0,
            ..site
        };
        assert!(growth_rate(&q, &vesicle_site, &fluid).abs() < f64::EPSILON);
        assert!(lamellar_growth_share(&q, &vesicle_site).abs() < f64::EPSILON);
        let half = MineralParams {
            cell_deposit_growth_share: 0.5,
            ..p
        };
        assert!((growing_mineral(&half, &site) - 5.0).abs() < 1e-15);
        assert!((lamellar_growth_share(&half, &site) - 0.4).abs() < 1e-15);
        assert!(growth_rate(&half, &vesicle_site, &fluid) > 0.0);
    }

    #[test]
    fn formation_is_smooth_in_supersaturation() {
        // No jump: the rate over a fine phosphate series changes by small steps and is
        // continuous at the solubility limit.
        let p = MineralParams::default();
        let site = templated();
        let ca = 1.2;
        let series: Vec<f64> = (0..=400)
            .map(|i| formed(&p, &site, &fluid(ca, 0.5 + 0.005 * f64::from(i))))
            .collect();
        let top = series.last().copied().unwrap_or(0.0);
        assert!(top > 0.0);
        for w in series.windows(2) {
            assert!(
                w[1] >= w[0] && w[1] - w[0] <= 0.02 * top,
                "{} -> {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn each_inhibitor_lowers_nucleation_dose_dependently_and_smoothly() {
        let p = MineralParams::default();
        let site = templated();
        let base = fluid(1.2, 2.5);
        type Set = fn(&mut Fluid, f64);
        let inhibitors: [(&str, Set, f64); 3] = [
            ("PPi", |f, x| f.pyrophosphate = x, 10.0),
            ("fetuin-A", |f, x| f.fetuin_a = x, 40.0),
            ("Mg", |f, x| f.magnesium = x, 4.0),
        ];
        for (name, set, top) in inhibitors {
            let rates: Vec<f64> = (0..=40)
                .map(|i| {
                    let mut f = base;
                    set(&mut f, top * f64::from(i) / 40.0);
                    formed(&p, &site, &f)
                })
                .collect();
            for w in rates.windows(2) {
                assert!(w[1] < w[0], "{name}: not monotone");
                assert!(w[1] > 0.5 * w[0], "{name}: a jump {} -> {}", w[0], w[1]);
            }
            assert!(rates[40] < 0.5 * rates[0], "{name} barely inhibits");
        }
    }

    #[test]
    fn loss_of_pyrophosphate_or_mgp_lets_normal_plasma_nucleate_more() {
        // Normal plasma (ionised Ca 1.2, Pi 1.3) is supersaturated: inhibitors, not
        // undersaturation, hold it.
        let p = MineralParams::default();
        let site = templated();
        let plasma = Fluid {
            pyrophosphate: 3.26,
            fetuin_a: 15.0,
            magnesium: 0.85,
            ..fluid(1.2, 1.3)
        };
        assert!(supersaturation(&p, &plasma) > 0.0);
        let normal = formed(&p, &site, &plasma);
        let no_ppi = formed(
            &p,
            &site,
            &Fluid {
                pyrophosphate: 0.0,
                ..plasma
            },
        );
        let warfarin = MineralParams {
            matrix_gla_protein: 0.3,
            ..p.clone()
        };
        assert!(no_ppi > 5.0 * normal);
        assert!(formed(&warfarin, &site, &plasma) > normal);
    }

    #[test]
    fn the_lamella_share_of_nucleation_follows_the_templates() {
        let p = MineralParams::default();
        let fluid = Fluid {
            ionised_calcium: 1.2,
            phosphate: 2.6,
            pyrophosphate: 1.0,
            fetuin_a: 10.0,
            magnesium: 0.85,
        };
        let cells_only = SiteMineral {
            vesicles: 3.0,
            ..SiteMineral::default()
        };
        assert!(lamella_nucleation_share(&p, &cells_only, &fluid).abs() < f64::EPSILON);
        let lamella_only = SiteMineral {
            elastin: 1.0,
            ..SiteMineral::default()
        };
        assert!((lamella_nucleation_share(&p, &lamella_only, &fluid) - 1.0).abs() < 1e-12);
        // Without vesicle saturation both templates share one drive, so the share is
        // the lamella's part of the summed templates, and the rate splits exactly.
        let both = SiteMineral {
            vesicles: 3.0,
            elastin: 1.0,
            elastin_degraded: 0.5,
            ..SiteMineral::default()
        };
        let lamella = p.elastin_template * lamella_template_share(&p, 0.5);
        let share = lamella_nucleation_share(&p, &both, &fluid);
        assert!((share - lamella / (lamella + 3.0)).abs() < 1e-12, "{share}");
        let rate = nucleation_rate(&p, &both, &fluid);
        let on_lamella = nucleation_rate(&p, &lamella_only_degraded(0.5), &fluid);
        assert!((rate * share - on_lamella).abs() < 1e-12 * rate.max(1e-300));
        // Below solubility nothing nucleates anywhere.
        let undersaturated = Fluid {
            ionised_calcium: 0.1,
            phosphate: 0.1,
            ..fluid
        };
        assert!(lamella_nucleation_share(&p, &both, &undersaturated).abs() < f64::EPSILON);
    }

    fn lamella_only_degraded(degraded: f64) -> SiteMineral {
        SiteMineral {
            elastin: 1.0,
            elastin_degraded: degraded,
            ..SiteMineral::default()
        }
    }

    #[test]
    fn a_site_holds_no_more_mineral_than_its_volume() {
        // Hydroxyapatite: 100.46 pg and 31.84 µm³ per pmol of calcium (3.16 g/cm³).
        let density = MINERAL_MG_PER_PMOL_CALCIUM * 1e-3 / (MINERAL_UM3_PER_PMOL_CALCIUM * 1e-12);
        assert!((density - 3.155).abs() < 0.01, "{density} g/cm³");
        let room = 8000.0; // a 20-µm site
        let full = room / MINERAL_UM3_PER_PMOL_CALCIUM;
        assert!((free_room(0.0, room) - 1.0).abs() < f64::EPSILON);
        assert!((free_room(0.5 * full, room) - 0.5).abs() < 1e-12);
        assert!(free_room(full, room).abs() < 1e-12);
        assert!(free_room(2.0 * full, room).abs() < f64::EPSILON);
        assert!(free_room(1.0, 0.0).abs() < f64::EPSILON);
        let mut last = 1.0;
        for k in 1..20 {
            let r = free_room(f64::from(k) * 0.05 * full, room);
            assert!(r < last);
            last = r;
        }
    }

    #[test]
    fn fetuin_a_protects_cells_from_deposits_smoothly() {
        // Dautova 2014: fetuin-A at 1 µM and above lowers the death calcium-phosphate
        // particles cause; K_FHA is the fetuin-A that halves the hazard.
        let p = MineralParams::default();
        let m = 4.0 * p.crystal_response_half;
        let bare = crystal_death_hazard_per_h(&p, m, 0.0);
        assert!(bare > 0.0);
        let half = crystal_death_hazard_per_h(&p, m, p.fetuin_crystal_death_half);
        assert!((half - 0.5 * bare).abs() < 1e-15 * bare.max(1.0));
        let mut last = bare;
        for fetuin_a in [0.1, 0.3, 1.0, 3.0, 10.0, 15.0, 30.0] {
            let h = crystal_death_hazard_per_h(&p, m, fetuin_a);
            assert!(
                h < last && h > 0.0,
                "fetuin-A {fetuin_a} µM: {h} after {last}"
            );
            last = h;
        }
        // Plasma (15 µM) protects more than a serum culture (1 µM).
        assert!(
            crystal_death_hazard_per_h(&p, m, 15.0) < 0.2 * crystal_death_hazard_per_h(&p, m, 1.0)
        );
    }

    #[test]
    fn deposits_give_a_graded_saturating_bmp2_drive() {
        let p = MineralParams::default();
        assert!(crystal_bmp2(&p, 0.0).abs() < f64::EPSILON);
        assert!(crystal_bmp2(&p, -1.0).abs() < f64::EPSILON);
        assert!(crystal_death_hazard_per_h(&p, 0.0, 0.0).abs() < f64::EPSILON);
        let hazard = crystal_death_hazard_per_h(&p, p.crystal_response_half, 0.0);
        assert!((hazard - 0.5 * p.crystal_death_hazard_max_per_h).abs() < 1e-15);
        let half = crystal_bmp2(&p, p.crystal_response_half);
        assert!((half - 0.5 * p.crystal_bmp2_max).abs() < 1e-12);
        let mut last = 0.0;
        for k in 1..40 {
            let b = crystal_bmp2(&p, 1e-4 * 1.5_f64.powi(k));
            assert!(
                b > last && b < p.crystal_bmp2_max,
                "graded and below the maximum"
            );
            last = b;
        }
    }

    #[test]
    fn maturation_conserves_calcium() {
        let p = MineralParams::default();
        let mut site = SiteMineral {
            acp: 3.0,
            hap: 1.0,
            ..SiteMineral::default()
        };
        mature(&p, &mut site, 24.0);
        assert!((site.total() - 4.0).abs() < 1e-12 && site.hap > 1.0);
    }

    #[test]
    fn two_enzymes_share_the_beta_glycerophosphate_they_hydrolyse() {
        let (b0, k, t) = (10.0, 2.0, 24.0);
        let (cells, serum) = (0.02, 0.06);
        let h = hydrolyse_bgp(b0, cells, serum, k, t);
        // Nothing is made or lost, and the sum acts as one enzyme of the summed rate.
        assert!((h.left + h.by_cells + h.by_serum - b0).abs() < 1e-12);
        assert!((h.left - bgp_after(b0, cells + serum, k, t)).abs() < 1e-15);
        // Shares follow the maximal rates: the serum's is three times the cells'.
        assert!((h.by_serum / h.by_cells - 3.0).abs() < 1e-9);
        // Each enzyme's own rate, integrated with small explicit steps, gives the same
        // amounts (an independent check of the split, not of its formula).
        let (mut b, mut cells_made, mut serum_made) = (b0, 0.0, 0.0);
        let dt = 1e-4;
        for _ in 0..240_000 {
            let saturation = b / (k + b);
            cells_made += cells * saturation * dt;
            serum_made += serum * saturation * dt;
            b -= (cells + serum) * saturation * dt;
        }
        assert!(
            (cells_made - h.by_cells).abs() < 1e-5 * h.by_cells,
            "{cells_made}"
        );
        assert!(
            (serum_made - h.by_serum).abs() < 1e-5 * h.by_serum,
            "{serum_made}"
        );
        // Without serum the cells alone hydrolyse what they did before.
        let alone = hydrolyse_bgp(b0, cells, 0.0, k, t);
        assert!(alone.by_serum.abs() < 1e-15);
        assert!((alone.left - bgp_after(b0, cells, k, t)).abs() < 1e-15);
        // Without enzymes nothing happens.
        let none = hydrolyse_bgp(b0, 0.0, 0.0, k, t);
        assert!((none.left - b0).abs() < 1e-15);
        assert!(none.by_cells.abs() + none.by_serum.abs() < 1e-15);
    }

    #[test]
    fn serum_alone_makes_hamlin_and_prices_phosphate_in_three_days() {
        // The built-in V_βs (10% FBS) scaled to their 15% FBS, over the 3 days its source
        // assumes: about 4.1 of 10 mM hydrolysed, DMEM's 0.9 mM Pi rising to about 5.
        let p = MineralParams::default();
        let h = hydrolyse_bgp(
            10.0,
            0.0,
            p.serum_bgp_hydrolysis_vmax_per_h * 1.5,
            p.bgp_half_saturation,
            72.0,
        );
        let pi = 0.9 + h.by_serum;
        assert!((pi - 5.0).abs() < 0.1, "medium Pi {pi} mM");
    }

    #[test]
    fn bgp_hydrolysis_matches_the_michaelis_menten_integral() {
        let (b0, vmax, k, t) = (10.0, 0.5, 2.0, 7.0);
        let b = bgp_after(b0, vmax, k, t);
        assert!((k * (b0 / b).ln() + b0 - b - vmax * t).abs() < 1e-9);
        assert!(b < b0 && b > 0.0);
        // Fine explicit integration agrees.
        let mut e = b0;
        let steps = 700_000;
        let h = t / f64::from(steps);
        for _ in 0..steps {
            e -= h * vmax * e / (k + e);
        }
        assert!((e - b).abs() < 1e-5);
    }

    #[test]
    fn ppi_relaxes_to_production_over_clearance() {
        assert!((ppi_after(0.0, 2.0, 1.0, 50.0) - 2.0).abs() < 1e-12);
        assert!((ppi_after(5.0, 0.0, 1.0, 1.0) - 5.0 * (-1.0_f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn every_parameter_field_is_in_the_table() {
        crate::model::parameters::assert_table_complete::<MineralParams>();
    }
}
