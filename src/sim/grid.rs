//! The vessel-wall lattice: indexing and neighbours, no biology.
//!
//! Sites are laid out axial-fastest: `index = (layer · circumferential + c) · axial + a`.
//! The circumferential direction is periodic (the wall is a cylinder unrolled); the
//! axial ends are no-flux in a vessel and periodic in a culture well (a patch of a large
//! monolayer). Radial neighbours connect adjacent cell-holding layers of a vessel.

/// What a radial layer of the lattice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// The cell monolayer of a culture well.
    Monolayer,
    /// Intima (holds VSMCs).
    Intima,
    /// Media (holds VSMCs); `lamella` marks an elastic lamella on its outer side.
    Media {
        /// Whether an elastic lamella lies in this layer.
        lamella: bool,
    },
    /// Adventitia (no VSMCs modelled).
    Adventitia,
}

impl LayerKind {
    /// Whether VSMCs live in this layer.
    #[must_use]
    pub const fn holds_cells(self) -> bool {
        !matches!(self, Self::Adventitia)
    }

    /// The label used in outputs.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Monolayer => "monolayer",
            Self::Intima => "intima",
            Self::Media { lamella: false } => "media",
            Self::Media { lamella: true } => "media_lamella",
            Self::Adventitia => "adventitia",
        }
    }
}

/// The lattice geometry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Lattice {
    /// Sites along the vessel axis.
    pub axial: usize,
    /// Sites around the circumference.
    pub circumferential: usize,
    /// Radial layers, inner to outer.
    pub layers: Vec<LayerKind>,
    /// [µm] Distance between neighbouring sites.
    pub spacing_um: f64,
    /// Whether the axial direction wraps around (culture well) or is no-flux (vessel).
    pub periodic_axial: bool,
}

impl Lattice {
    /// Number of sites.
    #[must_use]
    pub fn len(&self) -> usize {
        self.axial * self.circumferential * self.layers.len()
    }

    /// Whether the lattice has no sites.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of a site.
    #[must_use]
    pub const fn index(&self, axial: usize, circumferential: usize, layer: usize) -> usize {
        (layer * self.circumferential + circumferential) * self.axial + axial
    }

    /// `(axial, circumferential, layer)` of a site.
    #[must_use]
    pub const fn coords(&self, index: usize) -> (usize, usize, usize) {
        let axial = index % self.axial;
        let rest = index / self.axial;
        (
            axial,
            rest % self.circumferential,
            rest / self.circumferential,
        )
    }

    /// The kind of a site's layer.
    #[must_use]
    pub fn layer_of(&self, index: usize) -> LayerKind {
        self.layers[self.coords(index).2]
    }

    /// The neighbours of a site (4 in its layer, plus radial neighbours in cell-holding
    /// layers), written into `out`; returns how many.
    pub fn neighbours(&self, index: usize, out: &mut [usize; 6]) -> usize {
        let (a, c, l) = self.coords(index);
        let mut n = 0;
        let mut push = |i: usize| {
            if i != index && !out[..n].contains(&i) {
                out[n] = i;
                n += 1;
            }
        };
        let circ = self.circumferential;
        push(self.index(a, (c + 1) % circ, l));
        push(self.index(a, (c + circ - 1) % circ, l));
        if self.periodic_axial {
            push(self.index((a + 1) % self.axial, c, l));
            push(self.index((a + self.axial - 1) % self.axial, c, l));
        } else {
            if a + 1 < self.axial {
                push(self.index(a + 1, c, l));
            }
            if a > 0 {
                push(self.index(a - 1, c, l));
            }
        }
        if l > 0 && self.layers[l - 1].holds_cells() {
            push(self.index(a, c, l - 1));
        }
        if l + 1 < self.layers.len() && self.layers[l + 1].holds_cells() {
            push(self.index(a, c, l + 1));
        }
        n
    }

    /// [mm²] Wall (or well-bottom) area of one site.
    #[must_use]
    pub fn site_area_mm2(&self) -> f64 {
        (self.spacing_um * 1e-3).powi(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vessel() -> Lattice {
        Lattice {
            axial: 4,
            circumferential: 3,
            layers: vec![
                LayerKind::Media { lamella: false },
                LayerKind::Media { lamella: true },
                LayerKind::Adventitia,
            ],
            spacing_um: 20.0,
            periodic_axial: false,
        }
    }

    #[test]
    fn index_and_coords_round_trip() {
        let l = vessel();
        for i in 0..l.len() {
            let (a, c, k) = l.coords(i);
            assert_eq!(l.index(a, c, k), i);
        }
    }

    #[test]
    fn ends_are_no_flux_and_the_circumference_wraps() {
        let l = vessel();
        let mut out = [0; 6];
        // Axial end of the inner media layer: 2 circumferential, 1 axial, 1 radial.
        assert_eq!(l.neighbours(l.index(0, 0, 0), &mut out), 4);
        assert!(out[..4].contains(&l.index(0, 2, 0)));
        // The outer media layer has no radial neighbour in the adventitia.
        assert_eq!(l.neighbours(l.index(1, 1, 1), &mut out), 5);
    }
}
