#!/usr/bin/env python3
"""SALib's samples and indices on the Ishigami and Sobol G functions: the reference that
tests/it/sensitivity.rs checks vcsim's estimators against.

    python3 .ci/salib-reference.py OUT_DIR     # write the reference files into OUT_DIR
    python3 .ci/salib-reference.py --check     # regenerate and compare with tests/data/salib

Needs SALib 1.5.1 with numpy 2.1.3, scipy 1.14.1 and pandas 2.2.3 (pinned in
.ci/salib-requirements.txt; .ci/run installs them into target/salib-venv). Each case is a
CSV of SALib's sample (one row per model run, in SALib's order, full precision) and a JSON
of SALib's analysis of the test function on it.
"""
import json
import os
import sys
import tempfile

import numpy as np
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami, Sobol_G

HERE = os.path.dirname(os.path.abspath(__file__))
COMMITTED = os.path.join(HERE, "..", "tests", "data", "salib")
G_A = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0]
RESAMPLES = 1000


def ishigami_problem():
    return {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def g_problem():
    return {"num_vars": 8, "names": [f"x{i + 1}" for i in range(8)], "bounds": [[0.0, 1.0]] * 8}


def write_case(out, name, x, result):
    with open(os.path.join(out, f"{name}.csv"), "w") as f:
        f.write(",".join(f"x{i + 1}" for i in range(x.shape[1])) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump({k: [float(v) for v in np.asarray(result[k])] for k in result}, f, indent=1)
        f.write("\n")


def generate(out):
    p = ishigami_problem()
    x = sobol_sample.sample(p, 512, calc_second_order=False, seed=1)
    s = sobol_analyze.analyze(p, Ishigami.evaluate(x), calc_second_order=False,
                              num_resamples=RESAMPLES, seed=1)
    write_case(out, "ishigami-sobol", x, {k: s[k] for k in ("S1", "S1_conf", "ST", "ST_conf")})

    p = g_problem()
    x = sobol_sample.sample(p, 128, calc_second_order=False, seed=2)
    s = sobol_analyze.analyze(p, Sobol_G.evaluate(x, np.array(G_A)), calc_second_order=False,
                              num_resamples=RESAMPLES, seed=2)
    write_case(out, "g-sobol", x, {k: s[k] for k in ("S1", "S1_conf", "ST", "ST_conf")})

    p = ishigami_problem()
    x = morris_sample.sample(p, 100, num_levels=4, seed=3)
    m = morris_analyze.analyze(p, x, Ishigami.evaluate(x), num_levels=4,
                               num_resamples=RESAMPLES, seed=3)
    write_case(out, "ishigami-morris", x, {k: m[k] for k in ("mu", "mu_star", "sigma", "mu_star_conf")})


def check():
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        bad = []
        for name in sorted(os.listdir(tmp)):
            new = open(os.path.join(tmp, name)).read()
            path = os.path.join(COMMITTED, name)
            old = open(path).read() if os.path.exists(path) else None
            if old != new:
                bad.append(name)
        if bad:
            print("tests/data/salib differs from what SALib computes now:", ", ".join(bad))
            sys.exit(1)
        print(f"tests/data/salib: {len(os.listdir(tmp))} files, identical to SALib's output")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
    elif len(sys.argv) == 2:
        os.makedirs(sys.argv[1], exist_ok=True)
        generate(sys.argv[1])
    else:
        print(__doc__)
        sys.exit(2)
