#!/usr/bin/env python3
"""Round trip of `vcsim export-sbml`: the exported SBML, simulated in libRoadRunner, must
reproduce `vcsim cell` for the same conditions.

For every case (stress levels, knockouts, drugs, a calcifying medium, both model
variants) the script
  1. exports the model with `vcsim export-sbml --model M FLAGS` (a temporary file);
  2. validates it with libSBML: it must read as SBML Level 3 Version 2 and the full
     consistency check (including units and modelling practice) must report neither an
     error nor a warning;
  3. simulates it in libRoadRunner with CVODE (absolute tolerance 1e-12, relative
     tolerance 1e-10) for 72 h, one row per hour;
  4. runs `vcsim cell --model M FLAGS --hours 72 --every-min 60` with fixed-step RK4
     (`--integrator rk4 --dt-min 0.5`) and with the default adaptive integrator;
  5. compares every species (the 22 states), the quasi-steady sensors, the readouts and
     survival at every hour.

Norm: for each value, |vcsim - sbml| / max(|sbml|, 1e-6) (a relative difference, on an
absolute floor of 1e-6 for values decayed to near 0, as in tests/sbml_crosscheck.py);
the check holds the maximum over all columns and hours of a case to 1e-3 for RK4 and to
1e-2 for the adaptive integrator (its per-step tolerance is 5e-4). Prints a table and a
final line `N passed, M failed`; exits 1 on any failure.

Needs only the standard library plus libroadrunner, python-libsbml and numpy
(see .ci/sbml-export-check.sh for the pinned versions).
"""

import argparse
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import libsbml
import roadrunner

ABS_TOL = 1e-12
REL_TOL = 1e-10
HOURS = 72
ZERO = 1e-6
# (integrator name, extra `vcsim cell` flags, tolerance)
INTEGRATORS = [
    ("rk4", ["--integrator", "rk4", "--dt-min", "0.5"], 1e-3),
    ("adaptive", [], 1e-2),
]

STATES = [
    "unfolded_protein", "atf6_cleaved", "bip_mrna", "bip_protein", "atf4", "chop_mrna",
    "chop_protein", "gadd34_mrna", "gadd34_protein", "p_eif2a", "xbp1s", "mtorc1",
    "sestrin", "autophagy_flux", "p_jnk", "caspase12_cleaved", "bcl2", "runx2", "alp",
    "pit", "bmp2", "alpha_sma",
]
# Assignment-rule parameters of the export, named like the `vcsim cell` columns.
RULES = [
    "free_bip", "p_perk", "p_ire1", "effective_stress_per_min", "phosphate_intracellular",
    "atf4_activity", "osteocalcin", "osteopontin", "enpp1_capacity", "osteogenic_index",
    "bh3", "apoptotic_drive", "apoptosis_hazard_per_h", "survival",
]

# (case name, model variant, flags shared by export-sbml and cell)
CASES = [
    ("vsmc_S2", "vsmc", ["--stress", "2"]),
    ("vsmc_S8", "vsmc", ["--stress", "8"]),
    ("vsmc_atf4_ko_S8", "vsmc", ["--stress", "8", "--knockout", "atf4"]),
    ("vsmc_ire1_ko_S8", "vsmc", ["--stress", "8", "--knockout", "ire1"]),
    ("vsmc_gadd34_chop_ko_S4", "vsmc", ["--stress", "4", "--knockout", "gadd34", "--knockout", "chop"]),
    ("vsmc_rapamycin_S8", "vsmc", ["--stress", "8", "--rapamycin-nm", "10"]),
    ("vsmc_chaperone_S8", "vsmc", ["--stress", "8", "--chaperone-folding-gain", "0.5",
                                   "--chaperone-load-relief", "0.3"]),
    ("vsmc_3ma_S4", "vsmc", ["--stress", "4", "--autophagy-block", "0.7"]),
    ("vsmc_calcifying", "vsmc", ["--ca-mm", "2.8", "--pi-mm", "3", "--glucose-mm", "25"]),
    ("published_S8", "published", ["--stress", "8"]),
    ("published_perk_ko_S8", "published", ["--stress", "8", "--knockout", "perk"]),
]
MAX_DETAILS = 40


def run(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "could not run: %s" % e
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-10:]
        return "exit code %d%s" % (proc.returncode, "".join("\n      | " + l for l in tail))
    return None


def validate(path):
    """(errors, warnings, messages) of libSBML's reading and consistency check."""
    doc = libsbml.readSBMLFromFile(path)
    if (doc.getLevel(), doc.getVersion()) != (3, 2):
        return 1, 0, ["not SBML Level 3 Version 2 (level %d version %d)" % (doc.getLevel(), doc.getVersion())]
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_MODELING_PRACTICE, True)
    doc.checkConsistency()
    errors = warnings = 0
    messages = []
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            errors += 1
            messages.append("error %d (line %d): %s" % (e.getErrorId(), e.getLine(), e.getMessage().strip()))
        elif e.getSeverity() == libsbml.LIBSBML_SEV_WARNING:
            warnings += 1
            messages.append("warning %d (line %d): %s" % (e.getErrorId(), e.getLine(), e.getMessage().strip()))
    if doc.getModel() is None:
        errors += 1
        messages.append("no model")
    return errors, warnings, messages


def simulate(path):
    """{hour: {column: value}} from libRoadRunner."""
    rr = roadrunner.RoadRunner(path)
    rr.setIntegrator("cvode")
    rr.integrator.absolute_tolerance = ABS_TOL
    rr.integrator.relative_tolerance = REL_TOL
    sel = ["time"] + ["[%s]" % s for s in STATES] + RULES
    res = np.asarray(rr.simulate(0, HOURS * 60, HOURS + 1, selections=sel))
    if res.shape != (HOURS + 1, len(sel)):
        raise SystemExit("error: unexpected libRoadRunner result shape %s" % (res.shape,))
    out = {}
    for h in range(HOURS + 1):
        row = res[h]
        if abs(row[0] - 60 * h) > 1e-9:
            raise SystemExit("error: libRoadRunner row %d has time %r" % (h, row[0]))
        out[h] = {name: float(row[j + 1]) for j, name in enumerate(STATES + RULES)}
    return out


def read_cell_csv(path):
    """{hour: {column: value}} from `vcsim cell` output."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    data = {}
    for row in rows[1:]:
        t = float(row[0])
        h = round(t / 60)
        if abs(t - 60 * h) > 1e-6:
            continue
        vals = {}
        for name, cell in zip(header[1:], row[1:]):
            try:
                vals[name] = float(cell)
            except ValueError:
                vals[name] = math.nan
        data[h] = vals
    return data


def rel_diff(v, r):
    if not math.isfinite(v) or not math.isfinite(r):
        return math.inf
    if abs(v) < ZERO and abs(r) < ZERO:
        return 0.0
    return abs(v - r) / max(abs(r), ZERO)


def check(binary, keep=None):
    if os.path.exists(binary):
        binary = os.path.abspath(binary)
    elif shutil.which(binary):
        binary = shutil.which(binary)
    else:
        print("error: vcsim binary %s not found (build it with `cargo build --release`)" % binary)
        print("0 passed, 1 failed")
        return 1
    print("libroadrunner %s, libsbml %s, CVODE atol=%g rtol=%g; norm |vcsim - sbml| / max(|sbml|, %g), "
          "max over %d columns x %d hours"
          % (roadrunner.__version__, libsbml.getLibSBMLDottedVersion(), ABS_TOL, REL_TOL, ZERO,
             len(STATES + RULES), HOURS + 1))
    n_pass = n_fail = 0
    table = []
    details = []
    errors = []
    with tempfile.TemporaryDirectory(prefix="vcsim-sbml-export-") as tmp:
        out_dir = keep or tmp
        os.makedirs(out_dir, exist_ok=True)
        for name, model, flags in CASES:
            xml = os.path.join(out_dir, name + ".xml")
            if os.path.exists(xml):
                os.remove(xml)
            cmd = [binary, "export-sbml", "--model", model] + flags + ["--out", xml]
            err = run(cmd)
            if err is not None:
                errors.append("ERROR: %s: %s\n      command: %s" % (name, err, " ".join(cmd)))
                n_fail += 1
                continue
            n_err, n_warn, messages = validate(xml)
            if n_err or n_warn:
                errors.append("ERROR: %s: libSBML reports %d errors and %d warnings:\n  %s"
                              % (name, n_err, n_warn, "\n  ".join(messages[:20])))
                n_fail += 1
                continue
            sbml = simulate(xml)
            for integrator, extra, tol in INTEGRATORS:
                csv_path = os.path.join(out_dir, "%s_%s.csv" % (name, integrator))
                if os.path.exists(csv_path):
                    os.remove(csv_path)
                cmd = ([binary, "cell", "--model", model] + flags + extra
                       + ["--hours", str(HOURS), "--every-min", "60", "--out", csv_path])
                err = run(cmd)
                if err is not None:
                    errors.append("ERROR: %s: %s\n      command: %s" % (name, err, " ".join(cmd)))
                    n_fail += 1
                    continue
                cell = read_cell_csv(csv_path)
                worst = (-1.0, "-", "-")
                worst_state = 0.0
                failed = 0
                for h in range(HOURS + 1):
                    for col in STATES + RULES:
                        v = cell.get(h, {}).get(col, math.nan)
                        r = sbml[h][col]
                        d = rel_diff(v, r)
                        if d > worst[0]:
                            worst = (d, col, h)
                        if col in STATES:
                            worst_state = max(worst_state, d)
                        if d > tol:
                            failed += 1
                            details.append("  %-24s %-8s %-24s t=%2dh vcsim=%-14.8g sbml=%-14.8g rel=%.3g"
                                           % (name, integrator, col, h, v, r, d))
                ok = failed == 0
                n_pass += ok
                n_fail += not ok
                table.append((name, integrator, tol, worst, worst_state, "ok" if ok else "FAIL"))
    print()
    print("%-24s %-9s %6s %-24s %6s %10s %11s  %s" % ("case", "vcsim", "tol", "worst column", "at", "worst rel",
                                                    "states only", "result"))
    print("-" * 104)
    for name, integrator, tol, (d, col, h), d_state, result in table:
        print("%-24s %-9s %6g %-24s %5sh %10.3g %11.3g  %s" % (name, integrator, tol, col, h, d, d_state, result))
    if details:
        print()
        print("failed comparisons:")
        for line in details[:MAX_DETAILS]:
            print(line)
        if len(details) > MAX_DETAILS:
            print("  ... and %d more" % (len(details) - MAX_DETAILS))
    for e in errors:
        print(e)
    print()
    print("%d passed, %d failed" % (n_pass, n_fail))
    return 1 if n_fail else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vcsim", metavar="BINARY", default="target/release/vcsim", help="the vcsim binary")
    ap.add_argument("--keep", metavar="DIR", help="keep the exported SBML and CSV files in DIR")
    args = ap.parse_args(argv)
    return check(args.vcsim, args.keep)


if __name__ == "__main__":
    sys.exit(main())
