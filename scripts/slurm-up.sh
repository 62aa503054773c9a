#!/usr/bin/env bash
# Starts a one-node Slurm cluster on loopback (munged, slurmctld, slurmd, no systemd), installing
# Debian's packages first when they are missing. Idempotent: daemons that already run are kept.
#
#   bash scripts/slurm-up.sh                 # then: export SLURM_CONF=/tmp/srhm-slurm/slurm.conf
#   bash scripts/slurm-up.sh --install-only  # only install the packages (CI's preparation)
#
# Environment: SRHM_SLURM_DIR (state, logs, PID files, config; default /tmp/srhm-slurm),
# SRHM_SLURM_CTLD_PORT (6817), SRHM_SLURM_SLURMD_PORT (6818), SRHM_SLURM_WAIT (seconds to wait
# for the node to become idle, 60). The last line on stdout is "srhm-slurm: started" when this
# call started a daemon, "srhm-slurm: already up" when everything was running; on failure the
# script exits non-zero and says why on stderr (with the tails of the daemons' logs).
# Stop it with scripts/slurm-down.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
DIR="${SRHM_SLURM_DIR:-/tmp/srhm-slurm}"
CTLD_PORT="${SRHM_SLURM_CTLD_PORT:-6817}"
SLURMD_PORT="${SRHM_SLURM_SLURMD_PORT:-6818}"
WAIT="${SRHM_SLURM_WAIT:-60}"
NODE=srhm0
CONF="$DIR/slurm.conf"
SOCKET="$DIR/munge/munge.socket.2"
started=0

fail() {
  echo "slurm-up: $*" >&2
  for log in "$DIR/log/munged.log" "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log"; do
    [ -s "$log" ] && { echo "--- tail of $log" >&2; tail -n 15 "$log" >&2; }
  done
  echo "slurm-up: stop what did start with: SRHM_SLURM_DIR=$DIR bash scripts/slurm-down.sh" >&2
  exit 1
}

# shellcheck source=scripts/slurm-lib.sh
source "$(dirname "$0")/slurm-lib.sh"

install_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing ${missing[*]} and not root: install them with apt-get"
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
  echo "slurm-up: installing ${missing[*]} (waiting for the dpkg lock if another apt runs)"
  local opts=(-o DPkg::Lock::Timeout=900 -qq)
  # Another apt may hold the locks for minutes (up to 15 are waited for); other failures get 3 tries.
  local try failures=0
  for try in $(seq 1 90); do
    if apt-get "${opts[@]}" update >"$DIR/log/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get "${opts[@]}" install -y --no-install-recommends \
        slurmctld slurmd slurm-client munge >>"$DIR/log/apt.log" 2>&1; then
      return 0
    fi
    if grep -qiE "could not get lock|unable to lock|is another process using it" "$DIR/log/apt.log"; then
      [ $((try % 6)) -eq 1 ] && echo "slurm-up: another apt holds the lock; waiting" >&2
    else
      failures=$((failures + 1))
      [ "$failures" -ge 3 ] && break
      echo "slurm-up: apt-get failed (try $failures of 3), retrying in 10 s" >&2
    fi
    sleep 10
  done
  tail -n 20 "$DIR/log/apt.log" >&2
  fail "apt-get install slurmctld slurmd slurm-client munge failed"
}

mkdir -p "$DIR/log" "$DIR/run" "$DIR/ctld" "$DIR/slurmd" "$DIR/munge"
# munged wants its socket's directory reachable by every user (the key itself is 0400).
chmod 0755 "$DIR" "$DIR/munge"
install_packages
if [ "${1:-}" = "--install-only" ]; then
  echo "slurm-up: $(slurmctld -V) and munge are installed"
  exit 0
fi

# munge: our own key, socket and PID file, so that a system munged (if any) is left alone.
if [ ! -s "$DIR/munge/munge.key" ]; then
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$DIR/munge/munge.key" 2>/dev/null || true
  fi
  [ -s "$DIR/munge/munge.key" ] || dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 2>/dev/null
  chmod 0400 "$DIR/munge/munge.key"
fi
if ! alive "$DIR/run/munged.pid" munged >/dev/null; then
  rm -f "$SOCKET" "$SOCKET.lock"
  munged --force --socket="$SOCKET" --key-file="$DIR/munge/munge.key" \
    --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/munged.seed" || fail "munged did not start"
  started=1
fi
for _ in $(seq 1 50); do
  munge -n --socket="$SOCKET" 2>/dev/null | unmunge --socket="$SOCKET" >/dev/null 2>&1 && break
  sleep 0.1
done
munge -n --socket="$SOCKET" | unmunge --socket="$SOCKET" >/dev/null ||
  fail "munge credentials do not round-trip on $SOCKET"

# The configuration: the template with this machine's host name, CPUs and our directories.
cpus="$(nproc --all)"
host="$(hostname -s 2>/dev/null || hostname)"
tmp="$(mktemp "$DIR/slurm.conf.XXXXXX")"
sed -e "s|@DIR@|$DIR|g" -e "s|@CPUS@|$cpus|g" -e "s|@HOST@|$host|g" \
  -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" \
  "$here/slurm.conf.template" >"$tmp"
if [ -f "$CONF" ] && cmp -s "$tmp" "$CONF"; then
  rm -f "$tmp"
else
  chmod 0644 "$tmp"
  mv "$tmp" "$CONF"
  # A changed configuration needs fresh daemons.
  if alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null || alive "$DIR/run/slurmd.pid" slurmd >/dev/null; then
    echo "slurm-up: slurm.conf changed: restarting the Slurm daemons"
    SRHM_SLURM_KEEP_MUNGE=1 bash "$here/slurm-down.sh"
  fi
fi
export SLURM_CONF="$CONF"

if ! alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null; then
  # -c: start from a clean state (no jobs of a previous cluster come back).
  rm -f "$DIR/run/slurmctld.pid" # a stale one would look like an exited daemon
  slurmctld -c -f "$CONF" || fail "slurmctld did not start"
  started=1
fi
if ! alive "$DIR/run/slurmd.pid" slurmd >/dev/null; then
  rm -f "$DIR/run/slurmd.pid"
  slurmd -f "$CONF" -N "$NODE" || fail "slurmd did not start"
  started=1
fi

# Wait for the node to be idle (or busy with jobs); resume it when it comes up down or drained.
# A daemon that exits (a port in use, a bad configuration) ends the wait at once.
state=""
deadline=$((SECONDS + WAIT))
grace=$((SECONDS + 10))
# A daemon has exited: its PID file names a dead process, or it has written none after 10 s (the
# daemons fork, and the child writes the PID file a moment later).
gone() {
  local pidfile="$1" name="$2"
  alive "$pidfile" "$name" >/dev/null && return 1
  [ -s "$pidfile" ] && return 0
  [ "$SECONDS" -ge "$grace" ]
}
while [ "$SECONDS" -lt "$deadline" ]; do
  gone "$DIR/run/slurmctld.pid" slurmctld && fail "slurmctld exited (see its log below)"
  gone "$DIR/run/slurmd.pid" slurmd && fail "slurmd exited (see its log below)"
  state="$(timeout 5 sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n1 || true)"
  case "$state" in
    idle | mixed | allocated | completing) break ;;
    down* | drain* | fail*) timeout 5 scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle | mixed | allocated | completing) ;;
  *) fail "node $NODE is '${state:-unreachable}' after ${WAIT}s (slurm.conf: $CONF)" ;;
esac

echo "slurm-up: node $NODE is $state ($cpus CPUs); use: export SLURM_CONF=$CONF"
if [ "$started" -eq 1 ]; then echo "srhm-slurm: started"; else echo "srhm-slurm: already up"; fi
