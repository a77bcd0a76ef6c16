//! Paracrine BMP-2: the BMP-2 a cell answers to is what it and its neighbours secrete
//! (`docs/model.md` §3.3.5, "BMP-2 is shared with the neighbours").
//!
//! Each living cell secretes BMP-2 in proportion to its autocrine BMP-2 state above rest,
//! `s = (Bmp − 1)₊` (`osteogenic.rs`). Secreted BMP-2 binds the matrix and its antagonists
//! near its source, so it reaches the cell's lattice neighbours and not much further: the
//! BMP-2 excess at a site is the nearest-neighbour kernel of a signal of range `λ`,
//!
//! ```text
//! w     = exp(−h / λ)                                    weight of a neighbouring site (spacing h)
//! b_i   = (s_i + w Σ_{j ∈ N(i)} s_j) / (1 + w |N(i)|)     BMP-2 excess a cell at site i answers to
//! ```
//!
//! `N(i)` are the site's lattice neighbours in cell-holding layers; an empty site or a dead
//! cell secretes nothing. In a confluent wall where every cell secretes alike, `b = s`: the
//! kernel keeps the autocrine loop's gain, and a single cell (`vcsim cell`, the SBML
//! export) keeps its own loop. A lone cell in a sparse culture keeps only its own share
//! `1 / (1 + w |N|)`, and cells in an osteogenic cluster drive each other.

/// [1] Weight of a neighbouring site at lattice spacing `spacing_um` [µm] for a paracrine
/// signal of range `range_um` [µm]: `exp(−h/λ)`; 0 for a range of 0 (autocrine only).
#[must_use]
pub fn neighbour_weight(spacing_um: f64, range_um: f64) -> f64 {
    if range_um > 0.0 {
        (-spacing_um / range_um).exp()
    } else {
        0.0
    }
}

/// [1] The BMP-2 excess at a site: its own secretion `own` and its neighbours' secretions
/// (`neighbours`, one per lattice neighbour in a cell-holding layer), weighted by
/// `weight` ([`neighbour_weight`]) and normalised so that equal secretions give the same
/// excess back.
#[must_use]
pub fn bmp2_excess_at_site(own: f64, neighbours: &[f64], weight: f64) -> f64 {
    let around: f64 = neighbours.iter().sum();
    #[expect(clippy::cast_precision_loss, reason = "at most 6 neighbours")]
    let count = neighbours.len() as f64;
    (own + weight * around) / (1.0 + weight * count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_secretions_give_the_same_excess_back() {
        let w = neighbour_weight(20.0, 20.0);
        for count in 0..=6 {
            let neighbours = vec![0.7; count];
            assert!((bmp2_excess_at_site(0.7, &neighbours, w) - 0.7).abs() < 1e-15);
        }
    }

    #[test]
    fn a_lone_cell_keeps_only_its_own_share_and_drives_its_neighbours() {
        let w = neighbour_weight(20.0, 20.0);
        assert!((w - (-1.0_f64).exp()).abs() < 1e-15);
        let lone = bmp2_excess_at_site(1.0, &[0.0; 6], w);
        assert!((lone - 1.0 / (1.0 + 6.0 * w)).abs() < 1e-15);
        let neighbour = bmp2_excess_at_site(0.0, &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0], w);
        assert!(neighbour > 0.0 && neighbour < lone);
    }

    #[test]
    fn a_range_of_zero_is_autocrine_and_a_longer_range_shares_more() {
        assert!(neighbour_weight(20.0, 0.0).abs() < 1e-15);
        assert!((bmp2_excess_at_site(0.4, &[2.0, 2.0, 2.0, 2.0], 0.0) - 0.4).abs() < 1e-15);
        assert!(neighbour_weight(50.0, 20.0) < neighbour_weight(20.0, 20.0));
        assert!(neighbour_weight(20.0, 40.0) > neighbour_weight(20.0, 20.0));
    }
}
