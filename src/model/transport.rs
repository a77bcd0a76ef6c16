//! Transport of solutes between lattice sites (`docs/model.md` §5.2): exact backward-Euler
//! solves of one-dimensional diffusion lines, and of sites exchanging with one well-mixed
//! bulk. Pure numerics, no biology.
//!
//! The coupling step (1 h) is thousands of times the time a small ion takes to diffuse
//! across a 20-µm site (D ≈ 300 µm² s⁻¹ in tissue: h²/D ≈ 1 s), so the step must be
//! implicit. The wall's 3-D diffusion is split by direction (Lie splitting): each
//! direction is a set of independent lines, and each line is one tridiagonal system
//! solved exactly (Thomas algorithm; Sherman–Morrison for a periodic line), O(n). Every
//! solve conserves the line's amount to rounding: the columns of its matrix sum to
//! `1 + sink` plus the exchange at its ends. First-order sinks (PPi hydrolysis, mineral
//! uptake) sit on the diagonal of a solve, so they are implicit too.
//!
//! ```text
//! (1 + k_i + r·links_i + β_i) u_i' − r Σ_neighbours u_j' = u_i + β_i u_ext
//! r = D Δt / h²  (diffusion number);  k_i = sink rate · Δt;  β = exchange rate · Δt at a line end
//! ```

/// Exchange of one end of a line with a reservoir held at `value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exchange {
    /// [1] Exchange rate × step (0: no flux through this end).
    pub coupling: f64,
    /// Concentration of the reservoir.
    pub value: f64,
}

impl Exchange {
    /// A closed end (no flux).
    pub const CLOSED: Self = Self {
        coupling: 0.0,
        value: 0.0,
    };
}

/// The ends of a line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ends {
    /// The line closes on itself (the circumference of a vessel, a patch of a well).
    Periodic,
    /// Two ends, each exchanging with a reservoir (or closed).
    Bounded {
        /// The first site's end.
        start: Exchange,
        /// The last site's end.
        end: Exchange,
    },
}

/// Work space for [`solve_line`], kept between calls so a sweep over many lines does not
/// allocate.
#[derive(Clone, Debug, Default)]
pub struct LineScratch {
    diag: Vec<f64>,
    upper: Vec<f64>,
    rhs: Vec<f64>,
    z: Vec<f64>,
}

/// One backward-Euler step of `du_i/dt = D/h² (u_{i−1} − 2u_i + u_{i+1}) − k_i u_i` on a
/// line, plus exchange at its ends. `u` holds the values at the start (sources already
/// added) and gets the values at the end; `r` is the diffusion number `D Δt / h²`;
/// `sink[i]` is `k_i Δt` (empty: no sink). Returns what entered through the ends
/// (`Σ β (u_ext − u')`, in units of `u` × sites).
pub fn solve_line(u: &mut [f64], r: f64, sink: &[f64], ends: Ends, s: &mut LineScratch) -> f64 {
    let n = u.len();
    let k = |i: usize| sink.get(i).copied().unwrap_or(0.0);
    if n == 0 {
        return 0.0;
    }
    // A periodic line of one or two sites has one link at most (the lattice's neighbour
    // lists hold each neighbour once): solve it as a closed line.
    let ends = match ends {
        Ends::Periodic if n <= 2 => Ends::Bounded {
            start: Exchange::CLOSED,
            end: Exchange::CLOSED,
        },
        other => other,
    };
    if n == 1 {
        let Ends::Bounded { start, end } = ends else {
            unreachable!("one site is bounded")
        };
        let old = u[0];
        u[0] = (old + start.coupling * start.value + end.coupling * end.value)
            / (1.0 + k(0) + start.coupling + end.coupling);
        return start.coupling * (start.value - u[0]) + end.coupling * (end.value - u[0]);
    }
    s.diag.clear();
    s.diag.extend((0..n).map(|i| 1.0 + k(i) + 2.0 * r));
    s.rhs.clear();
    s.rhs.extend_from_slice(u);
    match ends {
        Ends::Bounded { start, end } => {
            s.diag[0] += start.coupling - r;
            s.diag[n - 1] += end.coupling - r;
            s.rhs[0] += start.coupling * start.value;
            s.rhs[n - 1] += end.coupling * end.value;
            thomas(&s.diag, -r, &mut s.rhs, &mut s.upper);
            u.copy_from_slice(&s.rhs);
            start.coupling * (start.value - u[0]) + end.coupling * (end.value - u[n - 1])
        }
        Ends::Periodic => {
            // Sherman–Morrison: A = T + w vᵀ with w = (γ, 0, …, 0, −r), v = (1, 0, …, 0, −r/γ).
            let gamma = -s.diag[0];
            let corner = -r;
            s.diag[0] -= gamma;
            s.diag[n - 1] -= corner * corner / gamma;
            thomas(&s.diag, -r, &mut s.rhs, &mut s.upper);
            s.z.clear();
            s.z.resize(n, 0.0);
            s.z[0] = gamma;
            s.z[n - 1] = corner;
            thomas(&s.diag, -r, &mut s.z, &mut s.upper);
            let factor = (s.rhs[0] + corner * s.rhs[n - 1] / gamma)
                / (1.0 + s.z[0] + corner * s.z[n - 1] / gamma);
            for (out, (x, z)) in u.iter_mut().zip(s.rhs.iter().zip(&s.z)) {
                *out = x - factor * z;
            }
            0.0
        }
    }
}

/// Solves the symmetric tridiagonal system with diagonal `diag` and constant off-diagonal
/// `off` in place of `rhs` (Thomas algorithm; `upper` is work space). The systems here
/// are diagonally dominant, so no pivoting is needed.
fn thomas(diag: &[f64], off: f64, rhs: &mut [f64], upper: &mut Vec<f64>) {
    let n = diag.len();
    upper.clear();
    upper.resize(n, 0.0);
    let mut denominator = diag[0];
    upper[0] = off / denominator;
    rhs[0] /= denominator;
    for i in 1..n {
        denominator = diag[i] - off * upper[i - 1];
        upper[i] = off / denominator;
        rhs[i] = (rhs[i] - off * rhs[i - 1]) / denominator;
    }
    for i in (0..n - 1).rev() {
        rhs[i] -= upper[i] * rhs[i + 1];
    }
}

/// One backward-Euler step of sites exchanging with one well-mixed bulk (a culture
/// well's pericellular layer and its medium):
///
/// ```text
/// (1 + q + k_i) c_i' − q B' = c_i                    each site (volume v)
/// V B' = V B + q v Σ (c_i' − B')                      the bulk (volume V)
/// ```
///
/// `q` is the exchange rate × step, `sink[i]` is `k_i Δt` (empty: none). Exact: each
/// site's value is a function of `B'`, which solves one linear equation. Conserves
/// `V B + v Σ c_i + v Σ k_i c_i'` to rounding (sums in site order).
pub fn exchange_with_bulk(
    sites: &mut [f64],
    sink: &[f64],
    bulk: &mut f64,
    q: f64,
    site_volume: f64,
    bulk_volume: f64,
) {
    let k = |i: usize| sink.get(i).copied().unwrap_or(0.0);
    let mut sum_w = 0.0;
    let mut sum_wc = 0.0;
    for (i, c) in sites.iter().enumerate() {
        let w = 1.0 / (1.0 + q + k(i));
        sum_w += w;
        sum_wc += w * c;
    }
    #[expect(clippy::cast_precision_loss, reason = "site counts")]
    let n = sites.len() as f64;
    let new_bulk = (bulk_volume * *bulk + q * site_volume * sum_wc)
        / (bulk_volume + q * site_volume * (n - q * sum_w));
    for (i, c) in sites.iter_mut().enumerate() {
        *c = (*c + q * new_bulk) / (1.0 + q + k(i));
    }
    *bulk = new_bulk;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed() -> Ends {
        Ends::Bounded {
            start: Exchange::CLOSED,
            end: Exchange::CLOSED,
        }
    }

    /// The dense backward-Euler matrix of a line, for checking the fast solve.
    fn dense(n: usize, r: f64, sink: &[f64], ends: Ends) -> Vec<Vec<f64>> {
        let mut a = vec![vec![0.0; n]; n];
        let mut link = |i: usize, j: usize| {
            a[i][i] += r;
            a[i][j] -= r;
        };
        for i in 0..n - 1 {
            link(i, i + 1);
            link(i + 1, i);
        }
        if ends == Ends::Periodic && n > 2 {
            link(0, n - 1);
            link(n - 1, 0);
        }
        for (i, row) in a.iter_mut().enumerate() {
            row[i] += 1.0 + sink.get(i).copied().unwrap_or(0.0);
        }
        if let Ends::Bounded { start, end } = ends {
            a[0][0] += start.coupling;
            a[n - 1][n - 1] += end.coupling;
        }
        a
    }

    fn multiply(a: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
        a.iter()
            .map(|row| row.iter().zip(x).map(|(a, x)| a * x).sum())
            .collect()
    }

    fn line(n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| 1.0 + ((i * 7919) % 13) as f64 * 0.3)
            .collect()
    }

    #[test]
    fn the_fast_solves_satisfy_the_dense_system() {
        let mut s = LineScratch::default();
        for n in [1, 2, 3, 5, 40] {
            let sink: Vec<f64> = (0..n).map(|i| 0.1 * (i % 3) as f64).collect();
            for ends in [
                Ends::Periodic,
                closed(),
                Ends::Bounded {
                    start: Exchange {
                        coupling: 50.0,
                        value: 2.0,
                    },
                    end: Exchange {
                        coupling: 3.0,
                        value: 0.5,
                    },
                },
            ] {
                for r in [0.01, 1.0, 2700.0] {
                    let old = line(n);
                    let mut u = old.clone();
                    solve_line(&mut u, r, &sink, ends, &mut s);
                    let mut expected = old.clone();
                    if let Ends::Bounded { start, end } = ends {
                        expected[0] += start.coupling * start.value;
                        expected[n - 1] += end.coupling * end.value;
                    }
                    let got = multiply(&dense(n, r, &sink, ends), &u);
                    for (g, e) in got.iter().zip(&expected) {
                        assert!(
                            (g - e).abs() < 1e-9 * e.abs().max(1.0),
                            "n {n} r {r} {ends:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_closed_or_periodic_line_conserves_its_amount() {
        let mut s = LineScratch::default();
        for ends in [Ends::Periodic, closed()] {
            let old = line(60);
            let sink: Vec<f64> = (0..60)
                .map(|i| if i % 7 == 0 { 0.4 } else { 0.0 })
                .collect();
            let mut u = old.clone();
            solve_line(&mut u, 2700.0, &sink, ends, &mut s);
            let before: f64 = old.iter().sum();
            let after: f64 =
                u.iter().sum::<f64>() + u.iter().zip(&sink).map(|(u, k)| u * k).sum::<f64>();
            assert!(
                (after - before).abs() < 1e-12 * before,
                "{ends:?}: {after} vs {before}"
            );
        }
    }

    #[test]
    fn what_enters_through_the_ends_is_what_the_line_gains() {
        let mut s = LineScratch::default();
        let old = line(10);
        let mut u = old.clone();
        let ends = Ends::Bounded {
            start: Exchange {
                coupling: 20.0,
                value: 5.0,
            },
            end: Exchange {
                coupling: 1.0,
                value: 0.0,
            },
        };
        let entered = solve_line(&mut u, 300.0, &[], ends, &mut s);
        let gained = u.iter().sum::<f64>() - old.iter().sum::<f64>();
        assert!((entered - gained).abs() < 1e-10);
    }

    #[test]
    fn a_line_relaxes_to_its_reservoir_and_spreads_like_the_diffusion_equation() {
        let mut s = LineScratch::default();
        // Long steps: a line open to a reservoir at one end fills to it.
        let mut u = vec![0.0; 8];
        let open = Ends::Bounded {
            start: Exchange {
                coupling: 10.0,
                value: 1.2,
            },
            end: Exchange::CLOSED,
        };
        for _ in 0..200 {
            solve_line(&mut u, 50.0, &[], open, &mut s);
        }
        assert!(u.iter().all(|u| (u - 1.2).abs() < 1e-9));
        // Many short steps of a periodic line match the exact decay of a Fourier mode.
        let n = 32;
        let mode = |i: usize| (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos();
        let mut u: Vec<f64> = (0..n).map(mode).collect();
        let (r, steps) = (1e-3, 2000);
        for _ in 0..steps {
            solve_line(&mut u, r, &[], Ends::Periodic, &mut s);
        }
        let eigen = 2.0 * (1.0 - (2.0 * std::f64::consts::PI / n as f64).cos());
        let expected = (-eigen * r * f64::from(steps)).exp();
        assert!(
            (u[0] - expected).abs() < 1e-4 * expected,
            "{} vs {expected}",
            u[0]
        );
    }

    #[test]
    fn sites_exchanging_with_a_bulk_conserve_and_equilibrate() {
        let old = line(50);
        let sink: Vec<f64> = (0..50)
            .map(|i| if i % 5 == 0 { 0.2 } else { 0.0 })
            .collect();
        let (v, big_v) = (0.01, 3.0);
        let mut sites = old.clone();
        let mut bulk = 2.0;
        exchange_with_bulk(&mut sites, &sink, &mut bulk, 400.0, v, big_v);
        let before = big_v * 2.0 + v * old.iter().sum::<f64>();
        let after = big_v * bulk
            + v * sites.iter().sum::<f64>()
            + v * sites.iter().zip(&sink).map(|(c, k)| c * k).sum::<f64>();
        assert!((after - before).abs() < 1e-12 * before);
        // Without sinks, sites end at the bulk after strong exchange.
        let mut sites = old;
        let mut bulk = 2.0;
        for _ in 0..3 {
            exchange_with_bulk(&mut sites, &[], &mut bulk, 1e4, v, big_v);
        }
        assert!(sites.iter().all(|c| (c - bulk).abs() < 1e-6));
    }
}
