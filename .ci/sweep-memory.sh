#!/usr/bin/env bash
# Issue 14 item 4: the peak memory of a 10,000-run sweep. Runs `vcsim sweep` over a Latin
# hypercube of 10,000 points of a tiny scenario (2 x 2 sites, 6 hours) under
# `/usr/bin/time -v`, prints the peak resident set size and fails above 200 MB. Every run
# is written to disk as it finishes and dropped; the plan holds one key per run and the
# table one row of readouts per run, so the peak must not grow with the job's size.
#
#   bash .ci/sweep-memory.sh [RUNS]        # default 10000; needs a release build
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10000}"
limit_kb=$((200 * 1024))
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp tests/data/bad/_fixtures/tiny.toml "$work/base.toml"
cat > "$work/sweep.toml" <<TOML
[sweep]
name = "memory"
base = "base.toml"
design = "latin_hypercube"
samples = $runs
readouts = ["calcium_ug_per_mg_protein", "chop_mean", "grp78_mean"]

[[factor]]
environment = "phosphate_mM"
range = [0.5, 3.0]

[[factor]]
parameter = "autophagy.erphagy_clearance_rate"
range = [0.05, 0.5]
scale = "log"
TOML
start=$(date +%s)
/usr/bin/time -v target/release/vcsim sweep "$work/sweep.toml" --quiet --no-plots \
  --threads "$(nproc)" --out "$work/out" 2> "$work/time.txt"
end=$(date +%s)
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
rows=$(($(wc -l < "$work/out/sweep.csv") - 1))
echo "sweep of $rows runs in $((end - start)) s on $(nproc) threads: peak RSS $((peak_kb / 1024)) MB (limit 200 MB)"
if [ "$rows" -ne "$runs" ]; then
  echo "sweep.csv has $rows runs, expected $runs" >&2
  exit 1
fi
if [ "$peak_kb" -gt "$limit_kb" ]; then
  echo "peak RSS above 200 MB" >&2
  exit 1
fi
