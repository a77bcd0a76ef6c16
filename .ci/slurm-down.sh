#!/usr/bin/env bash
# Stops the single-node Slurm of .ci/slurm-up.sh: slurmd, slurmctld and munged, each by
# the PID in its PID file (never by name), and waits for them to end.
set -uo pipefail
for pidfile in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
    if [ -s "$pidfile" ]; then
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
done
