#!/usr/bin/env bash
# adsync benchmarks: bench/run.sh [--runs N] [--scenarios 1,2,3,4,5,6,7] [--skip-build] [--report-only] [--keep]
#
# As root (the Samba AD fixture needs it). It:
#   1. picks a JDK >= 21, starts PostgreSQL 15 if it is down, installs the fixture's packages;
#   2. restores two fixture DCs from deploy/samba-ad's cache, fresh for every run: 20,000 users (10% disabled) on
#      127.0.0.71 and 2,000 users on 127.0.0.72. The first time they are provisioned and seeded, then cached in
#      ~/.cache/adsync-fixture (about a minute for 20,000 users); later restores take seconds;
#   3. builds the api-service and sync-worker apps and the bench module (unless --skip-build);
#   4. runs the scenario driver (bench/src/main/java/io/adsync/bench/BenchMain.java), which recreates the
#      database adsync_bench, starts api-service and the workers as separate processes, runs each scenario
#      --runs times (default 5) and prints a Markdown table (median, min-max, target, met).
# Scenarios: 1 raw ldapsearch read, 2 first full sync, 3 no-change resync, 4 incremental after 10 changes
# (2,000 vs 20,000 users), 5 claim throughput (5,000 due, 4 no-op workers), 6 worker memory and -Xmx64m,
# 7 API latency at fixed rates.
# Results: $BENCH_WORK/results.md and results.json (default /tmp/adsync-bench), logs in $BENCH_WORK/logs.
# Exit code: 0 if every scenario ran and met its target, 1 otherwise. With --report-only, a missed target is
# reported but does not fail the run (CI uses this: its timings share the machine with everything else).
# --keep leaves the DCs running afterwards.
#
# Environment: BENCH_WORK=/tmp/adsync-bench  BIG_USERS=20000  SMALL_USERS=2000  BIG_IP=127.0.0.71
#              SMALL_IP=127.0.0.72  API_PORT=18080  WORKER_PORT=18190 (first of the management ports, for health:
#              the API's, then one per sync-worker)
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMBA=$ROOT/deploy/samba-ad
RUNS=5 SCENARIOS=1,2,3,4,5,6,7 BUILD=1 KEEP=0 ENFORCE=true
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --report-only) ENFORCE=false; shift ;;
    -h|--help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive number" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "bench/run.sh: run as root (the Samba AD fixture needs it)" >&2; exit 1; }
WORK=${BENCH_WORK:-/tmp/adsync-bench}
BIG_USERS=${BIG_USERS:-20000} SMALL_USERS=${SMALL_USERS:-2000}
BIG_IP=${BIG_IP:-127.0.0.71} SMALL_IP=${SMALL_IP:-127.0.0.72}
log() { printf '\n==> %s\n' "$*"; }

JAVA_HOME=$(bash "$ROOT/scripts/pick-jdk.sh" --install); export JAVA_HOME
log "JDK: $JAVA_HOME"

PGVER=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  log "starting PostgreSQL $PGVER"
  pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q

log "fixture packages"
bash "$SAMBA/install-deps.sh"
mkdir -p "$WORK/logs"
dc() { # dc NAME IP USERS: a fresh DC restored from the cache (seeded and cached the first time)
  local dir=$WORK/dc-$1
  [[ -d $dir ]] && { bash "$SAMBA/stop.sh" "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; }
  # --org: department, title, company, phones, office and a manager tree, what the default attribute mappings read
  bash "$SAMBA/cached-dc.sh" --ip "$2" --dir "$dir" --users "$3" --org > "$WORK/logs/dc-$1.log" 2>&1 \
    || { tail -20 "$WORK/logs/dc-$1.log" >&2; echo "could not start the $1 fixture DC" >&2; exit 1; }
  tail -1 "$WORK/logs/dc-$1.log"
}
stop_dcs() {
  ((KEEP)) && return 0
  for d in big small; do [[ -d $WORK/dc-$d ]] && bash "$SAMBA/stop.sh" "$WORK/dc-$d" --remove-ip >/dev/null 2>&1 || true; done
}
trap stop_dcs EXIT
log "fixture DCs: $BIG_USERS users on $BIG_IP, $SMALL_USERS users on $SMALL_IP"
dc big "$BIG_IP" "$BIG_USERS"
dc small "$SMALL_IP" "$SMALL_USERS"

cd "$ROOT"
if ((BUILD)); then
  log "building api-service, sync-worker and bench"
  ./mvnw -B -q -DskipTests -pl api-service,sync-worker,bench -am package
fi

log "scenarios $SCENARIOS, $RUNS runs each"
ADSYNC_BENCH_ROOT=$ROOT ADSYNC_BENCH_WORK=$WORK ADSYNC_BENCH_RUNS=$RUNS ADSYNC_BENCH_ENFORCE_TARGETS=$ENFORCE \
ADSYNC_BENCH_BIG_ENV=$WORK/dc-big/fixture.env ADSYNC_BENCH_BIG_USERS=$BIG_USERS \
ADSYNC_BENCH_SMALL_ENV=$WORK/dc-small/fixture.env ADSYNC_BENCH_SMALL_USERS=$SMALL_USERS \
ADSYNC_BENCH_API_PORT=${API_PORT:-18080} ADSYNC_BENCH_WORKER_PORT=${WORKER_PORT:-18190} \
  "$JAVA_HOME/bin/java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" io.adsync.bench.BenchMain --scenarios "$SCENARIOS" \
  2>&1 | tee "$WORK/bench.log"
exit "${PIPESTATUS[0]}"
