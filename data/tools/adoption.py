"""Adoption checks of a calibration's parameter values (docs/calibration.md, "Adopting a fit").

A fit's parameters.toml is adopted as the shipped values only if, besides fitting its rows,
it keeps the bundled scenarios believable. These checks were written before the fits they
judged and are run the same way on every candidate, so a fit cannot be adopted by choosing
which checks to look at:

  1. objective: the mean objective of the candidate over fresh seed sets (`vcsim calibrate
     --evaluate`) is at most that of the fit's start (run with --start);
  2. normal wall: the calcium of a wall in normal plasma (scenarios/vessel-normal-plasma.toml)
     stays within 1.2x of its basal calcium at day 28;
  3. calcifying culture (scenarios/calcifying-medium.toml, scenarios/control-medium.toml):
     under 50% of cells osteogenic at day 3; control medium under 2x its basal calcium at
     day 14; Alizarin-stained area under 90% at day 14; at most 500 µg Ca/mg total protein
     at day 14 (4x the highest published culture read, 54-125 µg/mg at days 7-14);
  4. adenine wall (scenarios/vessel-adenine-ckd.toml): at least 3x the calcium per mg dry
     tissue of the normal wall at day 56 (against the normal wall at day 28, its end);
  5. ENPP1-deficient wall (scenarios/vessel-enpp1-deficiency.toml): Alizarin-stained area
     above 1% by day 182;
  6. claims: at least 17 claims pass in the full `vcsim validate` (with --claims).

Held-out rows are not read. Run from the repository root with a release build:

  python3 data/tools/adoption.py PARAMETERS.toml [--start START.toml] [--claims]
      [--vcsim target/release/vcsim] [--out DIR] [--seed-sets 4]

Exit status 0 when every check run passes, 1 when one fails, 2 on bad input.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def at(rows, day, column):
    """The value of `column` in the row of the time course closest to `day`."""
    row = min(rows, key=lambda r: abs(float(r["time_days"]) - day))
    return float(row[column])


class Runner:
    def __init__(self, vcsim, parameters, out):
        self.vcsim = vcsim
        self.parameters = parameters
        self.out = out

    def call(self, args):
        result = subprocess.run([self.vcsim, *args], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"adoption: `vcsim {' '.join(args)}` failed:\n{result.stderr}")

    def scenario(self, name):
        folder = os.path.join(self.out, name)
        self.call(["run", f"scenarios/{name}.toml", "--out", folder, "--force", "--quiet",
                   "--no-plots", "--wall", "none", "--threads", "2",
                   "--parameters", self.parameters])
        return read_csv(os.path.join(folder, "timeseries.csv"))

    def mean_objective(self, parameters, seed_sets, label):
        folder = os.path.join(self.out, f"evaluate-{label}")
        self.call(["calibrate", "--evaluate", parameters, "--seed-sets", str(seed_sets),
                   "--seed", "7", "--threads", "2", "--force", "--out", folder])
        rows = read_csv(os.path.join(folder, "evaluation.csv"))
        by_set = {r["seed_set"]: float(r["objective"]) for r in rows}
        return sum(by_set.values()) / len(by_set)

    def claims_passing(self):
        folder = os.path.join(self.out, "validate")
        self.call(["validate", "--no-plots", "--quiet", "--threads", "2", "--force",
                   "--out", folder, "--parameters", self.parameters])
        rows = read_csv(os.path.join(folder, "validation.csv"))
        return len({r["claim"] for r in rows if r["claim_pass"] == "true"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("parameters")
    parser.add_argument("--start", help="the fit's start values, for check 1")
    parser.add_argument("--claims", action="store_true", help="run check 6 (full validate)")
    parser.add_argument("--vcsim", default="target/release/vcsim")
    parser.add_argument("--out", default=None)
    parser.add_argument("--seed-sets", type=int, default=4)
    args = parser.parse_args()
    for path in [args.parameters, args.start, args.vcsim]:
        if path is not None and not os.path.exists(path):
            print(f"adoption: {path} does not exist", file=sys.stderr)
            sys.exit(2)
    out = args.out or tempfile.mkdtemp(prefix="vcsim-adoption-")
    run = Runner(os.path.abspath(args.vcsim), os.path.abspath(args.parameters), out)
    results = []

    def check(name, value, passed, bound):
        results.append(passed)
        print(f"{'pass' if passed else 'FAIL'}  {name}: {value} ({bound})")

    if args.start:
        start = run.mean_objective(os.path.abspath(args.start), args.seed_sets, "start")
        fit = run.mean_objective(run.parameters, args.seed_sets, "fit")
        check("1 mean objective", f"{fit:.1f} against the start's {start:.1f}", fit <= start,
              "at most the start's")

    normal = run.scenario("vessel-normal-plasma")
    basal = at(normal, 0, "calcium_ug_per_mg_dry_tissue")
    normal_end = at(normal, 28, "calcium_ug_per_mg_dry_tissue")
    check("2 normal wall, day 28 / day 0", f"{normal_end / basal:.3f}",
          normal_end <= 1.2 * basal, "at most 1.2")

    culture = run.scenario("calcifying-medium")
    control = run.scenario("control-medium")
    osteogenic = at(culture, 3, "fraction_osteogenic")
    check("3a osteogenic share at day 3", f"{osteogenic:.3f}", osteogenic < 0.5, "under 0.5")
    control_rise = at(control, 14, "calcium_ug") / at(control, 0, "calcium_ug")
    check("3b control medium calcium, day 14 / day 0", f"{control_rise:.3f}",
          control_rise < 2.0, "under 2")
    stained = at(culture, 14, "alizarin_positive_area_fraction")
    check("3c stained area at day 14", f"{stained:.3f}", stained < 0.9, "under 0.9")
    calcium = at(culture, 14, "calcium_ug_per_mg_total_protein")
    check("3d calcium at day 14, µg/mg total protein", f"{calcium:.1f}", calcium <= 500.0,
          "at most 500")

    adenine = run.scenario("vessel-adenine-ckd")
    ratio = at(adenine, 56, "calcium_ug_per_mg_dry_tissue") / normal_end
    alive = at(adenine, 56, "cells_alive") / at(adenine, 0, "cells_alive")
    check("4 adenine wall day 56 / normal wall", f"{ratio:.2f} ({alive:.0%} of cells alive)",
          ratio >= 3.0, "at least 3")

    enpp1 = run.scenario("vessel-enpp1-deficiency")
    first = next((float(r["time_days"]) for r in enpp1
                  if float(r["alizarin_positive_area_fraction"]) > 0.01), None)
    check("5 ENPP1-deficient wall first stained", f"day {first}" if first else "never",
          first is not None and first <= 182.0, "by day 182")

    if args.claims:
        passing = run.claims_passing()
        check("6 claims passing", passing, passing >= 17, "at least 17")

    print(f"outputs: {out}")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
