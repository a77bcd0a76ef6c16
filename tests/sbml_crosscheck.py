#!/usr/bin/env python3
"""Cross-check vcsim's `published` model against the published SBML (BIOMD0000000703).

The SBML (tests/data/BIOMD0000000703.xml, Diedrichs et al. 2018, CC0 1.0) is simulated
in libRoadRunner with CVODE (absolute tolerance 1e-12, relative tolerance 1e-10) for a
fixed set of cases (wild type at several stress levels, and the four knockouts).

Modes:
  --write-reference FILE  write the libRoadRunner values as CSV (tests/data/sbml_reference.csv)
  --vcsim BINARY          run `BINARY cell --model published ...` (vcsim's default integrator,
                          the adaptive Rosenbrock-W scheme) for every case and compare its CSV
                          with libRoadRunner (1 % relative tolerance, relative to at least
                          1e-6: a state decayed to a millionth of its resting level, such as
                          Xbp1s without IRE1, is compared on that absolute scale); prints a
                          table and a final line `N passed, M failed`; exits 1 on any failure.

Needs only the standard library plus libroadrunner, python-libsbml and numpy
(see .ci/sbml-crosscheck.sh for the pinned versions).
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

HERE = os.path.dirname(os.path.abspath(__file__))
SBML_PATH = os.path.join(HERE, "data", "BIOMD0000000703.xml")

ABS_TOL = 1e-12
REL_TOL = 1e-10
T_END_MIN = 5760  # 96 h; model time unit is the minute
CHECK_MIN = [120, 480, 720, 1440, 2880, 4320, 5760]  # 2, 8, 12, 24, 48, 72, 96 h

# (vcsim / CSV column, SBML id). The first 11 are the ODE states (species, all in
# compartment ER of size 1); the last 3 are assignment-rule parameters.
STATES = [
    ("unfolded_protein", "U"),
    ("atf6_cleaved", "A6"),
    ("bip_mrna", "b"),
    ("bip_protein", "Btot"),
    ("atf4", "A4"),
    ("chop_mrna", "c"),
    ("chop_protein", "C"),
    ("gadd34_mrna", "g"),
    ("gadd34_protein", "G"),
    ("p_eif2a", "Ep"),
    ("xbp1s", "x"),
]
RULES = [
    ("free_bip", "B"),
    ("p_perk", "Pp"),
    ("p_ire1", "Ip"),
]
COLUMNS = STATES + RULES

# Knockout -> SBML parameter overrides (after promotion of local parameters, the
# local `gamma` of reaction A4_syn is the global `A4_syn_gamma`).
GAMMA_ID = "A4_syn_gamma"
KNOCKOUTS = {
    "perk": {"KOperk": 0.0},
    "ire1": {"KOire1": 0.0},
    "atf6": {"A6tot_norm": 0.0, "A6_star": 0.0},
    "atf4": {"A4_star": 0.0, GAMMA_ID: 0.0},
}

# (case name, stress in 1/min = SBML parameter `Stress`, knockout or None)
CASES = [
    ("wt_S0", 0.0, None),
    ("wt_S2", 2.0, None),
    ("wt_S4", 4.0, None),
    ("wt_S8", 8.0, None),
    ("perk_ko_S8", 8.0, "perk"),
    ("ire1_ko_S8", 8.0, "ire1"),
    ("atf6_ko_S8", 8.0, "atf6"),
    ("atf4_ko_S8", 8.0, "atf4"),
    ("atf6_ko_S4", 4.0, "atf6"),
]

# Comparison rule: |vcsim - rr| / max(|rr|, ZERO) <= RTOL, both |x| < ZERO count as equal.
# States are fold changes (1 at rest); ZERO is the tiny absolute floor for states that
# decay towards 0 in a knockout (vcsim's absolute integration tolerance is 1e-6).
RTOL = 0.01
ZERO = 1e-6
MAX_DETAILS = 60  # failed comparisons listed individually


def fmt_num(v):
    """Shortest string that round-trips the double (repr precision)."""
    return repr(float(v))


def fmt_stress(s):
    return "%g" % s


def load_document(stress, knockout):
    """Read the SBML, promote local parameters, apply stress and knockout on the
    document itself, so that RoadRunner evaluates the initial assignments X = X_star
    with the knockout values when it loads the model."""
    doc = libsbml.readSBMLFromFile(SBML_PATH)
    if doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) > 0:
        raise SystemExit("error: libSBML could not read %s:\n%s" % (SBML_PATH, doc.getErrorLog().toString()))
    props = libsbml.ConversionProperties()
    props.addOption("promoteLocalParameters", True)
    if doc.convert(props) != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SystemExit("error: libSBML promoteLocalParameters conversion failed")
    model = doc.getModel()
    overrides = {"Stress": stress}
    if knockout is not None:
        overrides.update(KNOCKOUTS[knockout])
    for pid, value in overrides.items():
        p = model.getParameter(pid)
        if p is None:
            gammas = [q.getId() for q in model.getListOfParameters() if "gamma" in q.getId()]
            raise SystemExit("error: SBML parameter %r not found (ids containing 'gamma': %s)" % (pid, gammas))
        if p.setValue(float(value)) != libsbml.LIBSBML_OPERATION_SUCCESS:
            raise SystemExit("error: could not set SBML parameter %r" % pid)
    return libsbml.writeSBMLToString(doc)


def simulate_case(stress, knockout):
    """Return {minute: {column: value}} for the minutes in CHECK_MIN."""
    rr = roadrunner.RoadRunner(load_document(stress, knockout))
    rr.setIntegrator("cvode")
    rr.integrator.absolute_tolerance = ABS_TOL
    rr.integrator.relative_tolerance = REL_TOL
    sel = ["time"] + ["[%s]" % sid for _, sid in STATES] + [sid for _, sid in RULES]
    # One output row per minute: row i is t = i min exactly.
    res = np.asarray(rr.simulate(0, T_END_MIN, T_END_MIN + 1, selections=sel))
    if res.shape != (T_END_MIN + 1, len(sel)):
        raise SystemExit("error: unexpected libRoadRunner result shape %s" % (res.shape,))
    if not np.all(np.isfinite(res)):
        raise SystemExit("error: libRoadRunner produced non-finite values (stress=%g, knockout=%s)" % (stress, knockout))

    # Knockout sanity: the initial assignments must have used the knockout star values.
    col = {sid: j + 1 for j, (_, sid) in enumerate(COLUMNS)}
    if knockout == "atf4":
        a4 = res[:, col["A4"]]
        if a4[0] != 0.0 or np.max(np.abs(a4)) != 0.0:
            raise SystemExit("error: ATF4 knockout: A4 must start at 0 and stay 0 (start %r, max |A4| %r)" % (a4[0], np.max(np.abs(a4))))
    if knockout == "atf6":
        a6 = res[:, col["A6"]]
        if a6[0] != 0.0:
            raise SystemExit("error: ATF6 knockout: A6 must start at 0 (got %r)" % a6[0])

    out = {}
    for m in CHECK_MIN:
        row = res[m]
        if abs(row[0] - m) > 1e-9:
            raise SystemExit("error: libRoadRunner row %d has time %r, expected %d min" % (m, row[0], m))
        out[m] = {name: float(row[j + 1]) for j, (name, _) in enumerate(COLUMNS)}
    return out


def simulate_all():
    return {name: simulate_case(stress, ko) for name, stress, ko in CASES}


def write_reference(path):
    ref = simulate_all()
    header = ["case", "stress_per_min", "knockout", "time_h"] + [name for name, _ in COLUMNS]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for name, stress, ko in CASES:
            for m in CHECK_MIN:
                vals = ref[name][m]
                w.writerow([name, fmt_stress(stress), ko or "none", "%g" % (m / 60)]
                           + [fmt_num(vals[c]) for c, _ in COLUMNS])
    print("wrote %s: %d cases x %d times (libroadrunner %s, libsbml %s, CVODE atol=%g rtol=%g)"
          % (path, len(CASES), len(CHECK_MIN), roadrunner.__version__, libsbml.getLibSBMLDottedVersion(),
             ABS_TOL, REL_TOL))
    return 0


def rel_diff(v, r):
    """Relative difference; 0 if both are below ZERO in magnitude; inf if v is not finite."""
    if not math.isfinite(v):
        return math.inf
    if abs(v) < ZERO and abs(r) < ZERO:
        return 0.0
    return abs(v - r) / max(abs(r), ZERO)


def read_vcsim_csv(path):
    """Return (header list, {minute: {column: float}})."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise ValueError("empty CSV")
    header = [h.strip() for h in rows[0]]
    if header[0] != "time_min":
        raise ValueError("first column is %r, expected 'time_min'" % header[0])
    data = {}
    for row in rows[1:]:
        if not row or all(not c.strip() for c in row):
            continue
        t = float(row[0])
        m = round(t)
        if abs(t - m) > 1e-6:
            continue
        vals = {}
        for h, cell in zip(header[1:], row[1:]):
            try:
                vals[h] = float(cell)
            except ValueError:
                vals[h] = math.nan  # non-numeric (e.g. a label column); only matters if compared
        data[m] = vals
    return header, data


def run_vcsim(binary, stress, knockout, out_path):
    cmd = [binary, "cell", "--model", "published", "--stress", fmt_stress(stress),
           "--hours", "96", "--every-min", "60"]
    if knockout is not None:
        cmd += ["--knockout", knockout]
    cmd += ["--out", out_path]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return cmd, "could not run: %s" % e
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-10:]
        return cmd, "exit code %d%s" % (proc.returncode, "".join("\n      | " + l for l in tail))
    if not os.path.exists(out_path):
        return cmd, "exit code 0 but no output file %s" % out_path
    return cmd, None


def check_vcsim(binary):
    if os.path.exists(binary):
        binary = os.path.abspath(binary)
    elif shutil.which(binary):
        binary = shutil.which(binary)
    else:
        print("error: vcsim binary %s not found (build it with `cargo build --release`)" % binary)
        print("0 passed, 1 failed")
        return 1
    print("libroadrunner %s, libsbml %s, CVODE atol=%g rtol=%g; tolerance %g relative (|x| < %g counts as 0)"
          % (roadrunner.__version__, libsbml.getLibSBMLDottedVersion(), ABS_TOL, REL_TOL, RTOL, ZERO))
    ref = simulate_all()
    n_pass = n_fail = 0
    errors = []
    table = []
    details = []
    with tempfile.TemporaryDirectory(prefix="vcsim-crosscheck-") as tmp:
        for name, stress, ko in CASES:
            out_path = os.path.join(tmp, name + ".csv")
            cmd, err = run_vcsim(binary, stress, ko, out_path)
            columns = [c for c, _ in STATES]
            n_cmp = len(columns) * len(CHECK_MIN)
            if err is None:
                try:
                    header, data = read_vcsim_csv(out_path)
                except (OSError, ValueError) as e:
                    err = "could not read its CSV: %s" % e
            if err is not None:
                kind = "knockout " + ko if ko else "wild type"
                errors.append("ERROR: vcsim failed for case %s (%s, S=%s): %s\n      command: %s"
                              % (name, kind, fmt_stress(stress), err, " ".join(cmd)))
                n_fail += n_cmp
                table.append((name, "-", "-", math.inf, 0, n_cmp, "vcsim failed"))
                continue
            missing = [c for c in columns if c not in header]
            columns += [c for c, _ in RULES if c in header]
            worst = (-1.0, "-", "-")
            c_pass = c_fail = 0
            for col in columns:
                for m in CHECK_MIN:
                    r = ref[name][m][col]
                    if col in missing or m not in data:
                        v, d = math.nan, math.inf
                    else:
                        v = data[m].get(col, math.nan)
                        d = rel_diff(v, r)
                    ok = d <= RTOL
                    if ok:
                        c_pass += 1
                    else:
                        c_fail += 1
                        if col not in missing and m in data:  # missing ones are summarised in the table
                            details.append("  %-11s %-17s t=%3gh  vcsim=%-14.8g sbml=%-14.8g rel=%.3g"
                                           % (name, col, m / 60, v, r, d))
                    if d > worst[0]:
                        worst = (d, col, m)
            note = ""
            if missing:
                note = "missing columns: " + ", ".join(missing)
            missing_t = [m for m in CHECK_MIN if m not in data]
            if missing_t:
                note += ("; " if note else "") + "missing time_min rows: " + ", ".join(map(str, missing_t))
            n_pass += c_pass
            n_fail += c_fail
            table.append((name, worst[1], worst[2], worst[0], c_pass, c_fail, note))

    print()
    print("%-11s %-17s %8s %12s %6s %6s" % ("case", "worst state", "worst t", "worst rel", "pass", "fail"))
    print("-" * 66)
    for name, col, m, d, cp, cf, note in table:
        t = "-" if m == "-" else "%gh" % (m / 60)
        print("%-11s %-17s %8s %12.3g %6d %6d%s" % (name, col, t, d, cp, cf, ("  " + note) if note else ""))
    if details:
        print()
        print("failed comparisons (tolerance %g relative):" % RTOL)
        for line in details[:MAX_DETAILS]:
            print(line)
        if len(details) > MAX_DETAILS:
            print("  ... and %d more" % (len(details) - MAX_DETAILS))
    if errors:
        print()
        for e in errors:
            print(e)
    print()
    print("%d passed, %d failed" % (n_pass, n_fail))
    return 1 if (n_fail or errors) else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write-reference", metavar="CSV", help="write libRoadRunner reference values to CSV")
    g.add_argument("--vcsim", metavar="BINARY", help="compare the vcsim binary against libRoadRunner")
    args = ap.parse_args(argv)
    if args.write_reference:
        return write_reference(args.write_reference)
    return check_vcsim(args.vcsim)


if __name__ == "__main__":
    sys.exit(main())
