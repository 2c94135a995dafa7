#!/usr/bin/env bash
# Usage: scripts/test.sh [--all]
#
# Runs the tests on this machine in one command:
#  - picks a JDK 21+ (installs Debian's when there is none), and Chromium with its driver for the browser tests;
#  - starts PostgreSQL (installs it if missing), creates a throwaway database and a role for it, and runs
#    ./mvnw verify against it (the tests clean and migrate the schema themselves);
#  - --all also runs the Samba AD suite (./mvnw -Pad-it, a real AD DC on 127.0.0.41/42) and the multi-process
#    system test (scripts/system-test.sh).
# With QUARKUS_DATASOURCE_JDBC_URL (and _USERNAME, _PASSWORD) set, it uses that database and installs no
# PostgreSQL: the same as plain `./mvnw verify`. Installing needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n\033[1m==>\033[0m %s\n' "$*"; }
ALL=no
case ${1:-} in
  --all) ALL=yes ;;
  "") ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
esac
root() { [ "$(id -u)" -eq 0 ] || { echo "installing $* needs root: run as root, or install it first" >&2; exit 1; }; }
apt_install() {
  root "$@"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

# ---- JDK and browser ---------------------------------------------------------------------------------------------
JDK=$(bash scripts/pick-jdk.sh --install)
export JAVA_HOME=$JDK PATH=$JDK/bin:$PATH
log "JDK: $JAVA_HOME"
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  log "installing Chromium and its driver (browser tests)"
  apt_install chromium chromium-driver
fi

# ---- database ----------------------------------------------------------------------------------------------------
if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql
  fi
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
  if [ "$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $4}')" != online ]; then
    log "starting PostgreSQL $ver (port $port)"
    root pg_ctlcluster
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  fi
  db=adsync_test password=$(openssl rand -hex 16)
  log "throwaway database $db"
  root psql
  (cd / && runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -q \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'adsync_test') THEN CREATE ROLE adsync_test LOGIN; END IF; END \$\$" \
    -c "ALTER ROLE adsync_test PASSWORD '$password'" \
    -c "CREATE DATABASE $db OWNER adsync_test")
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$port/$db"
  export QUARKUS_DATASOURCE_USERNAME=adsync_test QUARKUS_DATASOURCE_PASSWORD=$password
fi

# ---- tests -------------------------------------------------------------------------------------------------------
log "./mvnw -B verify"
./mvnw -B verify

if [ "$ALL" = yes ]; then
  log "the Samba AD fixture's packages"
  root samba
  bash deploy/samba-ad/install-deps.sh
  log "./mvnw -B -pl shared-model,sync-worker -Pad-it verify (a real Samba AD DC)"
  ./mvnw -B -pl shared-model,sync-worker -Pad-it verify
  log "scripts/system-test.sh (separate processes, faults)"
  bash scripts/system-test.sh
fi
