"""Makes data/split.csv: each paper of the dataset goes to `calibration` or `held_out`.

The split is by paper (all rows of one paper share a set), stratified by the paper's main
theme so that both sets hold every kind of measurement, 60/40 by paper. Papers are
ordered within a theme by a SHA-256 hash of a fixed salt and the paper key, so the split depends on nothing but the keys and was fixed before any fitting;
the salt is never changed to move a paper. Papers known only from qualitative.csv form
their own stratum. A paper added after the split was fixed is named in ADDED_LATER and
continues the walk after the first papers, so none of them moves.

Run from the repository root: python3 data/tools/split.py [--check]
--check recomputes the split and fails if data/split.csv differs (a paper added later is
assigned by the same rule; one that is already assigned never moves).
"""

import collections
import csv
import hashlib
import sys

SALT = "vcsim split 2026-12-02"
CALIBRATION_SHARE = 0.6
# Papers added to the dataset after the split was fixed (86 papers on 2026-12-02), in the
# order they were added. Each continues the walk below from where the first papers left
# it (calibration while calibration's share of all papers so far is below the target),
# so adding a paper never moves one already assigned, and its set is decided by its
# place in this list before any simulation of it.
ADDED_LATER = [
    "lomashvili2008",  # 2026-12-05: aortic TNAP activity in uraemic rats (OBS137)
    "liu-hg-hasmc",  # 2026-12-05: calcium and ALP of a human culture in high glucose (OBS138-OBS140)
    "high-glucose-cbfa1",  # 2026-12-07: a bovine culture's calcium at days 7 and 14 (OBS141-OBS144)
]


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def compute():
    observations = load("data/observations.csv")
    qualitative = load("data/qualitative.csv")
    themes = collections.defaultdict(collections.Counter)
    n_obs = collections.Counter()
    n_qual = collections.Counter()
    for row in observations:
        themes[row["paper_key"]][row["theme"]] += 1
        n_obs[row["paper_key"]] += 1
    for row in qualitative:
        n_qual[row["paper_key"]] += 1
    keys = sorted(set(n_obs) | set(n_qual))
    primary = {}
    for key in keys:
        if themes[key]:
            # The most frequent theme; ties broken by name so the rule is total.
            primary[key] = sorted(themes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            primary[key] = "qualitative_only"
    strata = collections.defaultdict(list)
    for key in keys:
        strata[primary[key]].append(key)
    # One sequence: the themes in name order, each theme's papers in hash order. Walking
    # it, a paper goes to calibration while calibration's share of the papers so far is
    # below the target (rounded), so every theme alternates between the sets and the
    # whole is 60/40 by paper.
    ordered = [
        key
        for theme in sorted(strata)
        for key in sorted(
            strata[theme], key=lambda k: hashlib.sha256(f"{SALT}|{k}".encode()).hexdigest()
        )
    ]
    # Papers added after the split was fixed are walked after the first ones, in the order
    # they were added, so that none of the first papers moves.
    unknown = [key for key in ADDED_LATER if key not in keys]
    if unknown:
        sys.exit(f"ADDED_LATER names papers the dataset does not hold: {unknown}")
    ordered = [key for key in ordered if key not in ADDED_LATER] + ADDED_LATER
    assigned = {}
    calibration = 0
    for i, key in enumerate(ordered):
        if calibration < CALIBRATION_SHARE * (i + 1) - 0.5:
            assigned[key] = "calibration"
            calibration += 1
        else:
            assigned[key] = "held_out"
    return [
        {
            "paper_key": key,
            "set": assigned[key],
            "primary_theme": primary[key],
            "observation_rows": n_obs[key],
            "qualitative_rows": n_qual[key],
        }
        for key in keys
    ]


def main():
    rows = compute()
    fields = ["paper_key", "set", "primary_theme", "observation_rows", "qualitative_rows"]
    if "--check" in sys.argv:
        with open("data/split.csv", newline="") as f:
            kept = {r["paper_key"]: r["set"] for r in csv.DictReader(f)}
        moved = [r["paper_key"] for r in rows if r["paper_key"] in kept and kept[r["paper_key"]] != r["set"]]
        missing = [r["paper_key"] for r in rows if r["paper_key"] not in kept]
        if moved or missing:
            print(f"data/split.csv is out of date: moved {moved}, not assigned {missing}")
            sys.exit(1)
        print(f"data/split.csv: {len(rows)} papers, every one assigned by the rule")
        return
    with open("data/split.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    by_set = collections.Counter(r["set"] for r in rows)
    obs = collections.Counter()
    for r in rows:
        obs[r["set"]] += r["observation_rows"]
    print(f"papers: {dict(by_set)}; observation rows: {dict(obs)}")


if __name__ == "__main__":
    main()
