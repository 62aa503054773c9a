#!/usr/bin/env bash
# Stops the one-node Slurm cluster of scripts/slurm-up.sh: cancels its jobs, then stops slurmd,
# slurmctld and munged, each by its PID file. Idempotent (nothing running is fine).
#
#   bash scripts/slurm-down.sh           # keep the state directory (logs stay readable)
#   bash scripts/slurm-down.sh --purge   # and remove it
#
# Environment: SRHM_SLURM_DIR (default /tmp/srhm-slurm); SRHM_SLURM_KEEP_MUNGE=1 leaves munged up.
set -uo pipefail

DIR="${SRHM_SLURM_DIR:-/tmp/srhm-slurm}"
CONF="$DIR/slurm.conf"

# shellcheck source=scripts/slurm-lib.sh
source "$(dirname "$0")/slurm-lib.sh"

# TERM, then up to 10 s of waiting, then KILL.
stop() {
  local pidfile="$1" name="$2" pid
  pid="$(alive "$pidfile" "$name")" || { rm -f "$pidfile"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "slurm-down: $name ($pid) ignored SIGTERM: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
  echo "slurm-down: stopped $name ($pid)"
}

# Cancel every job first, so that no task outlives the cluster.
if [ -f "$CONF" ] && alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null &&
  alive "$DIR/run/slurmd.pid" slurmd >/dev/null; then
  export SLURM_CONF="$CONF"
  if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || scancel --quiet --user="$(id -un)" 2>/dev/null
    for _ in $(seq 1 150); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
    [ -n "$(squeue -h -o %i 2>/dev/null)" ] && echo "slurm-down: jobs still listed after 30 s" >&2
  fi
fi

stop "$DIR/run/slurmd.pid" slurmd
stop "$DIR/run/slurmctld.pid" slurmctld
[ "${SRHM_SLURM_KEEP_MUNGE:-0}" = 1 ] || stop "$DIR/run/munged.pid" munged

if [ "${1:-}" = "--purge" ]; then
  rm -rf "$DIR"
  echo "slurm-down: removed $DIR"
fi
exit 0
