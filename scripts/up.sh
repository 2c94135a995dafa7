#!/usr/bin/env bash
# Usage: scripts/up.sh [--no-demo]
#
# Runs the whole system on this machine, with a demo directory, in one command:
#  1. installs what is missing from the distribution's packages (PostgreSQL, a JDK 21+, Samba for the demo, curl,
#     jq); without root (or password-less sudo) it prints the exact command to run and stops;
#  2. creates the database and generates the encryption key and an admin API key, kept in .adsync/ (mode 700,
#     secrets in .adsync/env, mode 600; git-ignored);
#  3. builds the apps if they are missing or older than their sources, and starts api-service and two sync-workers
#     (logs in .adsync/logs/);
#  4. provisions the demo Samba AD DC (50 users, some disabled, groups, a manager tree) on 127.0.0.60, registers it
#     through the public API (LDAPS, trusting the DC's CA) and creates the example job (Sync All Domains, Requeue if
#     Job Fails, Time Span Schedule, RunWhen Immediately, every 12 hours), with deploy/docker/bootstrap.sh, the same
#     script docker compose runs;
#  5. waits for the first run to succeed, and prints the console URL, the admin key and the accounts synced.
# A second run reuses all of it. With QUARKUS_DATASOURCE_JDBC_URL (and _USERNAME, _PASSWORD) set, it uses that
# database and installs no PostgreSQL. --no-demo starts no demo DC and registers nothing.
# Companions: scripts/status.sh, scripts/down.sh [--purge].
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/local.sh"

DEMO=yes
while (($#)); do
  case $1 in
    --no-demo) DEMO=no; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
t0=$SECONDS
cd "$ROOT"

# ---- 1. packages -----------------------------------------------------------------------------------------------
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(none); fi
fi
as_root() {
  [ "${SUDO[0]:-}" = none ] && return 1
  "${SUDO[@]}" "$@"
}
missing=()
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
OWN_DB=no
if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  OWN_DB=yes
  command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1 || missing+=(postgresql)
fi
JDK=$(bash scripts/pick-jdk.sh 2>/dev/null || true)
[ -n "$JDK" ] || missing+=(openjdk-21-jdk-headless)
if [ "$DEMO" = yes ]; then
  for b in samba ldapsearch; do command -v "$b" >/dev/null || { missing+=(samba); break; }; done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${SUDO[0]:-}" = none ]; then
    echo "Missing: ${missing[*]}. Install them as root, then run this again:" >&2
    if [ "$DEMO" = yes ]; then
      echo "  sudo apt-get install -y ${missing[*]/samba/} && sudo bash deploy/samba-ad/install-deps.sh" | tr -s ' ' >&2
    else
      echo "  sudo apt-get install -y ${missing[*]}" >&2
    fi
    echo "(the demo DC itself also needs root: it binds 127.0.0.60 and runs samba; --no-demo skips it)" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  pkgs=("${missing[@]}")
  [ "$DEMO" = yes ] && pkgs=("${pkgs[@]/samba/}")
  # shellcheck disable=SC2206
  pkgs=(${pkgs[@]})
  [ ${#pkgs[@]} -eq 0 ] || as_root apt-get install -y -qq "${pkgs[@]}" >/dev/null
  [[ " ${missing[*]} " == *" samba "* ]] && as_root bash deploy/samba-ad/install-deps.sh
  JDK=$(bash scripts/pick-jdk.sh)
fi
export JAVA_HOME=$JDK PATH=$JDK/bin:$PATH

# ---- 2. state, secrets, database ---------------------------------------------------------------------------------
umask 077
mkdir -p "$STATE/pids" "$STATE/logs"
chmod 700 "$STATE"
if [ ! -f "$STATE/env" ]; then
  log "generating the encryption key and an admin API key in $STATE/env"
  admin_key=$(openssl rand -hex 32)
  {
    echo "ADSYNC_ENCRYPTION_KEY='$(openssl rand -base64 32)'"
    echo "ADSYNC_ADMIN_KEY='$admin_key'"
    echo "ADSYNC_API_KEYS='admin:$(printf %s "$admin_key" | sha256sum | cut -d' ' -f1)'"
    echo "ADSYNC_DB_PASSWORD='$(openssl rand -hex 24)'"
  } >"$STATE/env"
fi
grep -q '^QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY=' "$STATE/env" \
  || echo "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY='$(openssl rand -hex 32)'" >>"$STATE/env" # console sessions survive restarts
chmod 600 "$STATE/env"
# shellcheck disable=SC1091
source "$STATE/env"
umask 022

if [ "$OWN_DB" = yes ]; then
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
  if [ "$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $4}')" != online ]; then
    log "starting PostgreSQL $ver (port $port)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || die "could not start PostgreSQL $ver"
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  fi
  psql_admin() { (cd / && as_root runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"); }
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")" != 1 ]; then
    log "creating the role $DB_ROLE and the database $DB_NAME"
    psql_admin -c "CREATE ROLE $DB_ROLE LOGIN PASSWORD '$ADSYNC_DB_PASSWORD'"
  else
    psql_admin -c "ALTER ROLE $DB_ROLE PASSWORD '$ADSYNC_DB_PASSWORD'" # the state folder's password is the one
  fi
  [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" = 1 ] \
    || psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE"
  touch "$STATE/own-database" # down.sh --purge drops only a database that up.sh made
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$port/$DB_NAME"
  export QUARKUS_DATASOURCE_USERNAME=$DB_ROLE QUARKUS_DATASOURCE_PASSWORD=$ADSYNC_DB_PASSWORD
fi
export ADSYNC_ENCRYPTION_KEY ADSYNC_API_KEYS QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY

# ---- 3. build and start -----------------------------------------------------------------------------------------
API_JAR=api-service/target/quarkus-app/quarkus-run.jar
WORKER_JAR=sync-worker/target/quarkus-app/quarkus-run.jar
stale() {
  [ -f "$API_JAR" ] && [ -f "$WORKER_JAR" ] || return 0
  [ -n "$(find pom.xml shared-model api-service sync-worker -path '*/target' -prune -o -type f -newer "$API_JAR" -print -quit)" ] && return 0
  [ -n "$(find pom.xml shared-model sync-worker -path '*/target' -prune -o -type f -newer "$WORKER_JAR" -print -quit)" ]
}
if stale; then
  if alive api || alive worker-1 || alive worker-2; then
    log "sources changed: stopping the running apps to rebuild them"
    bash scripts/down.sh
  fi
  log "building the apps (./mvnw package; a few minutes the first time)"
  ./mvnw -B -q package -DskipTests -pl shared-model,api-service,sync-worker >"$STATE/logs/build.log" 2>&1 \
    || { tail -40 "$STATE/logs/build.log" >&2; die "the build failed (whole log: $STATE/logs/build.log)"; }
fi

start() { # start NAME JAR [ENV=VALUE...]: in its own session, so that down.sh can stop it and all it started
  local name=$1 jar=$2; shift 2
  if alive "$name"; then
    log "$name is running (pid $(pid_of "$name"))"
    return
  fi
  env "$@" setsid java -jar "$jar" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name.pid"
  log "started $name (pid $!, log $STATE/logs/$name.log)"
}
start api "$API_JAR" QUARKUS_HTTP_PORT="$API_PORT" QUARKUS_MANAGEMENT_PORT="$API_MGMT_PORT"
for i in 1 2; do
  start "worker-$i" "$WORKER_JAR" QUARKUS_MANAGEMENT_PORT="${WORKER_MGMT_PORTS[$((i - 1))]}" \
    ADSYNC_WORKER_SERVER_NAME="$(hostname -s)-worker-$i"
done
for name in "${PROCS[@]}"; do
  for _ in $(seq 1 120); do ready "$name" && break; alive "$name" || break; sleep 1; done
  ready "$name" || { tail -30 "$STATE/logs/$name.log" >&2; die "$name did not become ready (log: $STATE/logs/$name.log)"; }
done
log "api-service and two sync-workers are ready"

# ---- 4. demo directory and bootstrap ------------------------------------------------------------------------------
API_URL=http://127.0.0.1:$API_PORT
if [ "$DEMO" = yes ]; then
  [ "${SUDO[0]:-}" = none ] && die "the demo DC needs root (it binds $DEMO_DC_IP and runs samba): run as root, or with --no-demo"
  log "demo Samba AD DC on $DEMO_DC_IP (provisioned once, then reused)"
  as_root bash deploy/samba-ad/cached-dc.sh --ip "$DEMO_DC_IP" --dir "$DEMO_DC_DIR" --users 50 --specials --groups --org \
    >"$STATE/logs/demo-dc.log" 2>&1 || { tail -20 "$STATE/logs/demo-dc.log" >&2; die "the demo DC did not start"; }
  AD_BIND_PASSWORD=$(. "$DEMO_DC_DIR/fixture.env"; echo "$AD_BIND_PASSWORD")
  AD_CA_PEM=$(. "$DEMO_DC_DIR/fixture.env"; echo "$AD_CA_PEM")
  job_id=$(ADSYNC_ADMIN_KEY=$ADSYNC_ADMIN_KEY AD_BIND_PASSWORD=$AD_BIND_PASSWORD API_URL=$API_URL \
    API_MANAGEMENT_URL=http://127.0.0.1:$API_MGMT_PORT AD_HOST=$DEMO_DC_IP CA_FILE=$AD_CA_PEM \
    WAIT_SECONDS=60 sh deploy/docker/bootstrap.sh 2>>"$STATE/logs/bootstrap.log") \
    || { tail -20 "$STATE/logs/bootstrap.log" >&2; die "bootstrap failed"; }

  # ---- 5. the first run --------------------------------------------------------------------------------------------
  auth=(-H "Authorization: Bearer $ADSYNC_ADMIN_KEY")
  state=""
  for _ in $(seq 1 120); do
    state=$(curl -fsS "${auth[@]}" "$API_URL/jobs/$job_id/runs?size=1" | jq -r '.items[0].state // "NONE"')
    case $state in SUCCEEDED | FAILED | CANCELLED | ABANDONED) break ;; esac
    sleep 1
  done
  [ "$state" = SUCCEEDED ] || die "the demo job's last run is $state: $(curl -fsS "${auth[@]}" "$API_URL/jobs/$job_id/runs?size=1" | jq -c '.items[0].error')"
  accounts=$(curl -fsS "${auth[@]}" "$API_URL/accounts?size=1" | jq -r .total)
fi

console=$API_URL/console
curl -fsS -o /dev/null "$console" 2>/dev/null || console="$API_URL/q/swagger-ui (no console in this build)"
cat <<REPORT

adsync is up ($((SECONDS - t0)) s).
  console:        $console
  admin API key:  $ADSYNC_ADMIN_KEY   (also in $STATE/env)
  API:            $API_URL   (OpenAPI: $API_URL/q/openapi)
REPORT
if [ "$DEMO" = yes ]; then
  cat <<REPORT
  demo domain:    adsync.test on $DEMO_DC_IP (LDAPS); job "Demo AD sync" $job_id: last run SUCCEEDED
  accounts:       $accounts synced
REPORT
fi
cat <<REPORT
  logs:           $STATE/logs/
  status / stop:  scripts/status.sh   scripts/down.sh   (scripts/down.sh --purge also deletes the data)
REPORT
