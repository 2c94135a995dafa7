#!/usr/bin/env bash
# Usage: scripts/down.sh [--purge]
#
# Stops exactly the processes scripts/up.sh started (by the PIDs it recorded in .adsync/pids: SIGTERM, so that
# workers release their runs, then SIGKILL after 45 s) and the demo DC. The data stays: the next up.sh reuses it.
# PostgreSQL is left running (a system service, possibly used by others). --purge also drops the database and the
# role up.sh created (never a database it was given through QUARKUS_DATASOURCE_*) and deletes .adsync/ (secrets,
# logs, the demo DC).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/local.sh"
PURGE=no
case ${1:-} in
  --purge) PURGE=yes ;;
  "") ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 (see --help)" ;;
esac
[ -d "$STATE" ] || { log "nothing to stop: $STATE does not exist"; exit 0; }

for name in "${PROCS[@]}"; do
  if alive "$name"; then
    pid=$(pid_of "$name")
    log "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 45); do alive "$name" || break; sleep 1; done
    if alive "$name"; then
      log "$name did not stop in 45 s: SIGKILL"
      kill -KILL "$pid" || true
    fi
  fi
  rm -f "$STATE/pids/$name.pid"
done
if [ -f "$DEMO_DC_DIR/fixture.env" ]; then
  log "stopping the demo DC"
  bash "$ROOT/deploy/samba-ad/stop.sh" "$DEMO_DC_DIR" --remove-ip >/dev/null 2>&1 || log "the demo DC did not stop cleanly"
fi
if [ "$PURGE" = yes ]; then
  port=$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main" && $4 == "online" {print $3}' | tail -1)
  if [ -f "$STATE/own-database" ] && [ -n "$port" ]; then
    log "dropping the database $DB_NAME and the role $DB_ROLE"
    (cd / && runuser -u postgres -- psql -p "$port" -qtA -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "DROP ROLE IF EXISTS $DB_ROLE" >/dev/null)
  fi
  log "deleting $STATE"
  rm -rf "$STATE"
fi
log "down"
