#!/usr/bin/env bash
# adsync multi-process system test: real processes, no containers.
#
#   scripts/system-test.sh            # build, then run every scenario (as root; about 3-5 minutes)
#   SKIP_BUILD=1 scripts/system-test.sh
#
# It starts PostgreSQL 15, a Samba AD DC from deploy/samba-ad (3,000 users + the fixture's specials), one
# api-service and three sync-worker processes (job servers w1, w2, w3), drives them through the REST API with
# curl + jq, and checks the database with psql and the directory with ldapsearch:
#   1 initial full sync: every directory user arrives exactly once (after a passing POST /domains/{id}/test)
#   2 kill -9 of the worker running a full sync: another worker takes it over (ABANDONED, then SUCCEEDED)
#   3 PostgreSQL restart in the middle of a run: workers reconnect; the run fails cleanly and is retried, or (a
#     restart short enough to fall between two write transactions) rides through it; either way every account once
#   4 DC stopped: the connection test and the run fail UNREACHABLE, nothing is deactivated; the DC comes back
#     and the retry succeeds
#   5 canBeJobServer=false on one worker: it claims nothing while the others work; flipped back, it claims again
#   6 SIGTERM to an idle worker and to a busy one (graceful stop: finish within the grace, or release + requeue)
# It prints a table (scenario | outcome | seconds) and exits non-zero if anything failed. Every log (api,
# workers, PostgreSQL, DC, API errors) stays in the run folder; on failure their tails are printed.
#
# Settings (environment):
#   SKIP_BUILD=1          use the jars already in */target/quarkus-app
#   PG_MODE=private       (default) a PostgreSQL 15 instance of its own, in the run folder, on 127.0.0.1:$PG_PORT
#                         (default 55432), restarted with pg_ctl; other users of the machine's cluster are not
#                         disturbed by scenario 3
#   PG_MODE=cluster       the machine's 15/main cluster on 127.0.0.1:5432 (started if down), database $DB_NAME,
#                         restarted with pg_ctlcluster: this drops every other session on that cluster
#   DB_NAME=adsync_systest  dropped and created at start
#   DC_IP=127.0.0.61  USERS=3000  API_PORT=8080  API_MGMT_PORT=9000  WORKER_PORTS="18091 18092 18093"
#                         API_MGMT_PORT: the API's management port (health, metrics). WORKER_PORTS: the workers'
#                         management ports, their only HTTP ports (not 9091: that is sync-worker's
#                         quarkus.management.test-port, used by its own test suite)
#   PAGE_SIZE=20          page size of the main domain (151 pages for 3,004 users)
#   SLOW_INSERT_MS=5      test-only brake: a trigger on the account table sleeps this long per inserted row (rows
#                         the engine finds unchanged are never inserted, so only creating syncs slow down). A full
#                         sync into an emptied table then lasts at least 3,004 x 5 ms = 15 s on any machine, so
#                         kill -9, the PostgreSQL restart and SIGTERM reliably land in the middle of it, and a busy
#                         worker cannot finish within its 5 s shutdown grace. 0 removes the brake. Product code,
#                         schema and configuration are otherwise untouched.
#   SCENARIOS="1 2 3 4 5 6"  which scenarios to run (1 always runs: it creates the domain and job the others use)
#   ALLOW_API_5XX_AFTER_DB_RESTART=1  only note (do not fail on) API requests answered 5xx right after the
#                         PostgreSQL restart of scenario 3
#   RUN_ROOT=/tmp/adsync-systest   run folders go below it (run-<date>-<pid>)
#   KEEP=1                keep the DC and PostgreSQL data of a passing run (a failing run keeps everything)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPERS=$ROOT/scripts/system-test
SAMBA=$ROOT/deploy/samba-ad

SKIP_BUILD=${SKIP_BUILD:-0}
PG_MODE=${PG_MODE:-private}
DB_NAME=${DB_NAME:-adsync_systest}
DC_IP=${DC_IP:-127.0.0.61}
USERS=${USERS:-3000}
API_PORT=${API_PORT:-8080}
API_MGMT_PORT=${API_MGMT_PORT:-9000}
read -r -a WORKER_PORTS <<< "${WORKER_PORTS:-18091 18092 18093}"
PAGE_SIZE=${PAGE_SIZE:-20}
SLOW_INSERT_MS=${SLOW_INSERT_MS:-5}
SCENARIOS=" ${SCENARIOS:-1 2 3 4 5 6} "
ALLOW_API_5XX_AFTER_DB_RESTART=${ALLOW_API_5XX_AFTER_DB_RESTART:-0}
FAST_PAGE_SIZE=${FAST_PAGE_SIZE:-200}
RUN_ROOT=${RUN_ROOT:-/tmp/adsync-systest}
KEEP=${KEEP:-0}
JAVA_OPTS=${JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}
# worker timings (the brief's "fast test" settings) and how much slack the bounded waits allow on top
LEASE_S=10 POLL_MAX_S=2 GRACE_S=5 RETRY_INITIAL_S=2 RETRY_MAX_S=10
SLACK_S=${SLACK_S:-8}
MID_RUN_ACCOUNTS=${MID_RUN_ACCOUNTS:-300}   # "in the middle of a sync": at least this many accounts written
USER_FILTER='(&(objectCategory=person)(objectClass=user))'   # the API's default user filter
WORKERS=(w1 w2 w3)

if [[ $PG_MODE == cluster ]]; then PG_PORT=5432; else PG_PORT=${PG_PORT:-55432}; fi
PG_BIN=/usr/lib/postgresql/15/bin
RUN_DIR=$RUN_ROOT/run-$(date +%Y%m%d-%H%M%S)-$$
DC_DIR=$RUN_DIR/dc
PG_DATA=$RUN_DIR/pg/data
TMPD=$RUN_DIR/tmp
API_URL=http://127.0.0.1:$API_PORT
API_MGMT_URL=http://127.0.0.1:$API_MGMT_PORT   # health and metrics, no key
API_KEY=systest-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

declare -A PID=()          # process name -> pid of every JVM this script started
declare -A PORT=()         # worker name -> management port (health)
declare -A SERVER_ID=()    # worker name -> job-server id
T_NAME=() T_RESULT=() T_SECS=() T_NOTE=()
CUR="" CUR_T0="" NOTE="" FAIL_MSG="" ERR_AT="" DC_STARTED=0 PG_STARTED=0 LATER="" FAILED_LATER=0
T_START=$EPOCHREALTIME

# ---------------------------------------------------------------------------------------------- helpers ------
log() { printf '[systest %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
note() { NOTE+="${NOTE:+; }$*"; log "note: $*"; }
fail() { FAIL_MSG=$*; log "FAIL: $*"; exit 1; }
# fail_later MSG: the scenario fails, but only after it has run to its end, and the next scenarios still run
# (for a wrong outcome that leaves the system in a usable state)
fail_later() { LATER+="${LATER:+; }$*"; log "FAIL (recorded, continuing): $*"; }
us() { echo "${EPOCHREALTIME/./}"; }                                   # microseconds since the epoch
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
trap 'ERR_AT="line $LINENO: $BASH_COMMAND"' ERR

# wait_for TIMEOUT_S WHAT CMD...: run CMD every 0.3 s until it succeeds; fail the scenario on timeout
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$(( $(us) + timeout * 1000000 ))
  until "$@"; do
    (( $(us) < deadline )) || fail "timed out after ${timeout}s waiting for $what"
    sleep 0.3
  done
}

# api METHOD PATH [JSON]: prints the body of a 2xx answer. Connection failures and 5xx answers are logged to
# api-errors.log and tried again (up to 6 times, 1 s apart); any other status fails at once.
api() {
  local method=$1 path=$2 body=${3-} code out
  out=$(mktemp -p "$TMPD")
  for _ in 1 2 3 4 5 6; do
    code=$(curl -sS -m 30 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $API_KEY" \
      -H 'Content-Type: application/json' ${body:+--data-binary "$body"} "$API_URL$path" 2>>"$RUN_DIR/curl.err") || code=000
    if [[ $code == 2?? ]]; then cat "$out"; rm -f "$out"; return 0; fi
    printf '%s %s %s -> HTTP %s %s\n' "$(date +%T.%3N)" "$method" "$path" "$code" "$(head -c 400 "$out" | tr '\n' ' ')" \
      >> "$RUN_DIR/api-errors.log"
    [[ $code == 000 || $code == 5?? ]] || break
    sleep 1
  done
  echo "API $method $path failed: HTTP $code $(head -c 600 "$out")" >&2
  rm -f "$out"
  return 1
}
# api_5xx_count [all]: 5xx answers to the test's own API calls (with "all": the scenario 3 probe's too)
api_5xx_count() {
  local n=0
  if [[ -f $RUN_DIR/api-errors.log ]]; then
    if [[ ${1-} == all ]]; then n=$(grep -c 'HTTP 5' "$RUN_DIR/api-errors.log" || true)
    else n=$(grep 'HTTP 5' "$RUN_DIR/api-errors.log" | grep -vc '(probe)$' || true); fi
  fi
  echo "${n:-0}"
}

# api_probe FILE: PROBE_N plain API reads (no retries), each failure's status and title appended to FILE
PROBE_N=12
api_probe() {
  local i code path out
  out=$(mktemp -p "$TMPD")
  : > "$1"
  for ((i = 0; i < PROBE_N; i++)); do
    case $((i % 3)) in 0) path='/job-servers?size=100' ;; 1) path="/jobs/$JOB/runs?size=5" ;; 2) path="/accounts?domainId=$DOMAIN&size=1" ;; esac
    code=$(curl -sS -m 30 -o "$out" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" "$API_URL$path" 2>/dev/null) || code=000
    if [[ $code != 2?? ]]; then
      echo "HTTP $code $(jq -r '.title // empty' "$out" 2>/dev/null) (GET ${path%%\?*})" >> "$1"
      printf '%s GET %s -> HTTP %s %s (probe)\n' "$(date +%T.%3N)" "$path" "$code" "$(head -c 300 "$out")" >> "$RUN_DIR/api-errors.log"
    fi
  done
  rm -f "$out"
}
sql() { PGCONNECT_TIMEOUT=5 timeout 60 psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB_NAME" -c "$1"; }
sql_try() { sql "$1" 2>/dev/null; }      # for polls that may run while the database restarts

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_free() { [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }      # nothing listens on port $1, on any address

start_java() { # start_java NAME JAR VAR=VALUE...
  local name=$1 jar=$2; shift 2
  printf '\n===== %s: starting %s =====\n' "$(date -Is)" "$name" >> "$RUN_DIR/$name.log"
  # shellcheck disable=SC2086
  env "$@" "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" >> "$RUN_DIR/$name.log" 2>&1 &
  PID[$name]=$!
  log "started $name (pid ${PID[$name]}), log $RUN_DIR/$name.log"
}
start_worker() {
  local name=$1
  start_java "$name" "$ROOT/sync-worker/target/quarkus-app/quarkus-run.jar" \
    ADSYNC_WORKER_SERVER_NAME="$name" QUARKUS_MANAGEMENT_PORT="${PORT[$name]}" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    ADSYNC_WORKER_LEASE=${LEASE_S}s ADSYNC_WORKER_POLL_MAX=${POLL_MAX_S}s ADSYNC_WORKER_SHUTDOWN_GRACE=${GRACE_S}s \
    ADSYNC_WORKER_RETRY_INITIAL=${RETRY_INITIAL_S}s ADSYNC_WORKER_RETRY_MAX=${RETRY_MAX_S}s
}
health_up() { [[ $(curl -s -m 5 "$1" | jq -r .status 2>/dev/null) == UP ]]; }
worker_ready() { alive "${PID[$1]}" && health_up "http://127.0.0.1:${PORT[$1]}/q/health/ready"; }
# exited NAME: true once the process is gone (reaped; its exit status goes to EXIT_STATUS)
exited() {
  alive "${PID[$1]}" && return 1
  EXIT_STATUS=0; wait "${PID[$1]}" 2>/dev/null || EXIT_STATUS=$?
  return 0
}

servers_json() { api GET '/job-servers?size=100'; }
server_field() { servers_json | jq -r --arg n "$1" ".items[] | select(.name == \$n) | $2"; }
server_name_of() { servers_json | jq -r --arg id "$1" '.items[] | select(.id == $id) | .name'; }
refresh_server_ids() { local w; for w in "${WORKERS[@]}"; do SERVER_ID[$w]=$(server_field "$w" .id); done; }

run_json() { api GET "/runs/$1"; }
run_state() { api GET "/runs/$1" | jq -r .state; }
run_is() { [[ $(run_state "$1") == "$2" ]]; }
run_ended() { [[ $(run_state "$1") =~ ^(SUCCEEDED|FAILED|CANCELLED|ABANDONED)$ ]]; }
# every scenario checks the whole directory, so runs are full (an incremental run would not re-create accounts
# the test deleted locally; a retry inherits the mode of the run it retries)
queue_run() { api POST "/jobs/$1/runs" '{"mode":"FULL"}' | jq -r .id; }
history() { api GET "/jobs/$1/runs?size=100"; }
# the runs of a job created after run $2 (oldest first), as JSON lines
runs_after() {
  history "$1" | jq -c --arg r "$2" '.items | reverse | (map(.id) | index($r)) as $i | .[($i + 1):][]'
}
# retry_started JOB RUN: a run queued after RUN has left QUEUED; retry_queued JOB RUN: a RETRY run follows RUN
retry_started() { [[ -n $(runs_after "$1" "$2" | jq -r 'select(.state != "QUEUED") | .id' | head -n1) ]]; }
retry_queued() { [[ -n $(runs_after "$1" "$2" | jq -r 'select(.trigger == "RETRY") | .id' | head -n1) ]]; }
# chain_created JOB RUN: accounts created by RUN and its retries up to the first success, by their own stats
chain_created() {
  { run_json "$2"; runs_after "$1" "$2"; } | jq -s 'reduce .[] as $r ({sum: 0, done: false};
    if .done then . else {sum: (.sum + ($r.stats.created // 0)), done: ($r.state == "SUCCEEDED")} end) | .sum'
}
first_succeeded_after() { runs_after "$1" "$2" | jq -r 'select(.state == "SUCCEEDED") | .id' | head -n1; }
has_success_after() { [[ -n $(first_succeeded_after "$1" "$2") ]]; }

count_accounts() { sql_try "select count(*) from account where domain_id = '$1'"; }
listen_sessions_are() { [[ $(sql_try "select count(*) from pg_stat_activity where datname = '$DB_NAME' and query like 'LISTEN%'") == "$1" ]]; }
# online_since EPOCH N: N job servers are ONLINE with a heartbeat newer than EPOCH (seconds, fractional)
online_since() {
  [[ $(servers_json | jq --argjson t "$1" "$JQ_EPOCH"'[.items[] | select(.status == "ONLINE" and .lastHeartbeatAt != null and (.lastHeartbeatAt | epoch) > $t)] | length') == "$2" ]]
}
# JQ_EPOCH: a jq function turning the API's instants (2026-01-01T00:00:00.123456Z) into epoch seconds
JQ_EPOCH='def epoch: (sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) + ((capture("\\.(?<f>[0-9]+)Z$") | ("0." + .f | tonumber)) // 0);'
count_active() { sql "select count(*) from account where domain_id = '$1' and active"; }

# mid_sync RUN DOMAIN: true while RUN is RUNNING and has written at least MID_RUN_ACCOUNTS (of the accounts deleted
# before it) but not all; fails at once if RUN ended first
mid_sync() {
  local state n
  state=$(run_state "$1")
  case $state in
    QUEUED) return 1 ;;
    RUNNING) ;;
    *) fail "run $1 ended ($state) before it could be interrupted: the sync is too fast (lower PAGE_SIZE)" ;;
  esac
  n=$(count_accounts "$2")
  [[ -n $n ]] && (( n >= MID_RUN_ACCOUNTS && n < EXPECTED_TOTAL ))
}

# verify_accounts DOMAIN LABEL: the domain's accounts are exactly the directory's users (objectGUID, username,
# active), each once, in the database and through the API
verify_accounts() {
  local did=$1 label=$2 dups total pages p
  sql "select object_guid, username, case when active then 't' else 'f' end from account where domain_id = '$did'" \
    | LC_ALL=C sort > "$TMPD/db-$label.tsv"
  if ! diff "$RUN_DIR/ldap-users.tsv" "$TMPD/db-$label.tsv" > "$TMPD/diff-$label.txt"; then
    fail "$label: accounts differ from the directory ($(grep -c '^<' "$TMPD/diff-$label.txt" || true) missing or different, $(grep -c '^>' "$TMPD/diff-$label.txt" || true) extra or different; see $TMPD/diff-$label.txt)"
  fi
  dups=$(sql "select (select count(*) from (select 1 from account where domain_id = '$did' group by object_guid having count(*) > 1) g)
                   + (select count(*) from (select 1 from account where domain_id = '$did' group by lower(username) having count(*) > 1) u)")
  [[ $dups == 0 ]] || fail "$label: $dups duplicated objectGUIDs/usernames in the account table"
  total=$(api GET "/accounts?domainId=$did&size=1" | jq -r .total)
  [[ $total == "$EXPECTED_TOTAL" ]] || fail "$label: GET /accounts total is $total, the directory has $EXPECTED_TOTAL users"
  pages=$(( (total + 499) / 500 ))
  : > "$TMPD/api-$label.tsv"
  for ((p = 0; p < pages; p++)); do
    api GET "/accounts?domainId=$did&size=500&page=$p" | jq -r '.items[] | [.objectGuid, .username, (if .active then "t" else "f" end)] | @tsv' \
      >> "$TMPD/api-$label.tsv"
  done
  LC_ALL=C sort -o "$TMPD/api-$label.tsv" "$TMPD/api-$label.tsv"
  diff -q "$RUN_DIR/ldap-users.tsv" "$TMPD/api-$label.tsv" > /dev/null \
    || fail "$label: the accounts listed by GET /accounts (all $pages pages) differ from the directory (see $TMPD/api-$label.tsv)"
  log "$label: $EXPECTED_TOTAL accounts = directory users, each once (database and API agree; $(count_active "$did") active)"
}

create_domain() { # create_domain NAME PAGE_SIZE -> id
  jq -n --arg name "$1" --argjson ps "$2" --arg ca "$(cat "$AD_CA_PEM")" --arg ip "$AD_IP" --arg bdn "$AD_BIND_DN" \
        --arg pw "$AD_BIND_PASSWORD" --arg base "$AD_SYNC_BASE_DN" \
    '{name: $name, hosts: [$ip], security: "LDAPS", caCertificatePem: $ca, bindDn: $bdn, bindPassword: $pw,
      baseDn: $base, pageSize: $ps, connectTimeoutSeconds: 5, readTimeoutSeconds: 30}' \
    | { body=$(cat); api POST /domains "$body"; } | jq -r .id
}
create_job() { # create_job NAME DOMAIN_ID -> id
  api POST /jobs "$(jq -n --arg n "$1" --arg d "$2" '{name: $n, domainId: $d, requeueOnFailure: true, schedule: {type: "MANUAL"}}')" | jq -r .id
}

pg_restart() {
  if [[ $PG_MODE == cluster ]]; then
    pg_ctlcluster --skip-systemctl-redirect 15 main restart
  else
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$RUN_DIR/pg/postgresql.log" -m fast -w -t 60 restart \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUN_DIR/pg" > /dev/null
  fi
}

# ---------------------------------------------------------------------------------------------- cleanup ------
print_table() {
  local i total
  total=$(secs_since "$T_START")
  printf '\n%-44s | %-7s | %7s | %s\n' scenario outcome seconds notes
  printf -- '---------------------------------------------+---------+---------+------\n'
  for i in "${!T_NAME[@]}"; do
    printf '%-44s | %-7s | %7s | %s\n' "${T_NAME[$i]}" "${T_RESULT[$i]}" "${T_SECS[$i]}" "${T_NOTE[$i]}"
  done
  printf '\ntotal runtime %ss; logs in %s\n' "$total" "$RUN_DIR"
}

cleanup() {
  local rc=$? name f deadline
  set +e
  trap - EXIT ERR
  if [[ -n $CUR ]]; then   # a scenario was cut short
    T_NAME+=("$CUR"); T_RESULT+=(FAIL); T_SECS+=("$(secs_since "$CUR_T0")")
    T_NOTE+=("${FAIL_MSG:-unexpected error${ERR_AT:+ at $ERR_AT}}${NOTE:+ ($NOTE)}")
    ((rc != 0)) || rc=1
  fi
  if ((rc != 0)) && [[ -d $RUN_DIR ]]; then
    for f in "$RUN_DIR"/api.log "$RUN_DIR"/w?.log "$RUN_DIR"/pg/postgresql.log "$RUN_DIR"/api-errors.log "$DC_DIR"/log/log.samba; do
      [[ -s $f ]] || continue
      printf '\n----- tail of %s -----\n' "$f" >&2
      grep -v $'^\tat \|^\t\.\.\. [0-9]* more' "$f" | tail -n 40 | cut -c1-400 >&2
    done
  fi
  for name in "${!PID[@]}"; do alive "${PID[$name]}" && kill -TERM "${PID[$name]}" 2>/dev/null; done
  deadline=$((SECONDS + 20))
  for name in "${!PID[@]}"; do
    while alive "${PID[$name]}" && ((SECONDS < deadline)); do sleep 0.2; done
    alive "${PID[$name]}" && { log "killing $name (pid ${PID[$name]}): it did not stop"; kill -KILL "${PID[$name]}" 2>/dev/null; }
    wait "${PID[$name]}" 2>/dev/null
  done
  if ((DC_STARTED)); then "$SAMBA/stop.sh" "$DC_DIR" --remove-ip > "$RUN_DIR/dc-stop.log" 2>&1; fi
  if ((PG_STARTED)) && [[ $PG_MODE == private ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop > /dev/null 2>&1
  fi
  if ((rc == 0)) && [[ $KEEP != 1 ]]; then rm -rf "$DC_DIR" "$PG_DATA" "$TMPD"; fi
  ((${#T_NAME[@]})) && print_table
  if ((rc == 0)); then log "PASSED"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'FAIL_MSG="interrupted"; exit 130' INT TERM

# scenario NAME FUNCTION: runs it and records the outcome
scenario() {
  CUR=$1 CUR_T0=$EPOCHREALTIME NOTE="" FAIL_MSG="" LATER=""
  log "=== $CUR"
  "$2"
  if [[ -n $LATER ]]; then
    T_NAME+=("$CUR"); T_RESULT+=(FAIL); T_SECS+=("$(secs_since "$CUR_T0")"); T_NOTE+=("$LATER${NOTE:+ ($NOTE)}")
    log "=== $CUR: FAIL ($(secs_since "$CUR_T0")s): $LATER"
    FAILED_LATER=1
  else
    T_NAME+=("$CUR"); T_RESULT+=(PASS); T_SECS+=("$(secs_since "$CUR_T0")"); T_NOTE+=("$NOTE")
    log "=== $CUR: PASS ($(secs_since "$CUR_T0")s)"
  fi
  CUR=""
}

# ---------------------------------------------------------------------------------------------- setup --------
setup_tools() {
  [[ $(id -u) == 0 ]] || fail "run me as root (the Samba fixture and PostgreSQL control need it)"
  if ! command -v jq > /dev/null; then
    log "installing jq"
    apt-get install -y -qq jq > /dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq jq > /dev/null; }
  fi
  "$SAMBA/install-deps.sh" > "$RUN_DIR/install-deps.log" 2>&1 || fail "deploy/samba-ad/install-deps.sh failed (see $RUN_DIR/install-deps.log)"
  local t
  for t in curl psql ss python3 openssl runuser; do command -v "$t" > /dev/null || fail "missing tool: $t"; done
  if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java ]] \
     || (( $("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print int($2)}') < 21 )); then
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  [[ -x $JAVA_HOME/bin/java ]] || fail "no JDK 21+ (set JAVA_HOME)"
  export JAVA_HOME
  local p
  for p in "$API_PORT" "$API_MGMT_PORT" "${WORKER_PORTS[@]}"; do port_free "$p" 127.0.0.1 || fail "port $p is in use"; done
  [[ -z $(ss -Hltn "src $DC_IP" 2>/dev/null) ]] || fail "something already listens on $DC_IP (another DC?); set DC_IP"
  if [[ $PG_MODE == private ]]; then port_free "$PG_PORT" 127.0.0.1 || fail "port $PG_PORT is in use; set PG_PORT"; fi
}

setup_build() {
  if [[ $SKIP_BUILD == 1 ]]; then
    log "SKIP_BUILD=1: using the existing jars"
  else
    log "building (./mvnw -B -DskipTests package), log $RUN_DIR/build.log"
    (cd "$ROOT" && ./mvnw -B -DskipTests package) > "$RUN_DIR/build.log" 2>&1 || fail "build failed (see $RUN_DIR/build.log)"
  fi
  local j
  for j in api-service sync-worker; do
    [[ -f $ROOT/$j/target/quarkus-app/quarkus-run.jar ]] || fail "$j/target/quarkus-app/quarkus-run.jar is missing (build first)"
  done
}

setup_postgres() {
  if [[ $PG_MODE == cluster ]]; then
    pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect 15 main start
  else
    mkdir -p "$RUN_DIR/pg"; chown postgres: "$RUN_DIR/pg"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 > "$RUN_DIR/initdb.log" 2>&1
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$RUN_DIR/pg/postgresql.log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUN_DIR/pg" > /dev/null
    PG_STARTED=1
  fi
  wait_for 30 "PostgreSQL on 127.0.0.1:$PG_PORT" pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
  PGCONNECT_TIMEOUT=5 psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME"
  log "PostgreSQL ($PG_MODE) on 127.0.0.1:$PG_PORT, database $DB_NAME"
}

setup_dc() {
  log "Samba DC with $USERS users on $DC_IP in $DC_DIR"
  DC_STARTED=1
  "$SAMBA/cached-dc.sh" --ip "$DC_IP" --dir "$DC_DIR" --users "$USERS" --specials > "$RUN_DIR/dc-setup.log" 2>&1 \
    || fail "cached-dc.sh failed (see $RUN_DIR/dc-setup.log)"
  # shellcheck disable=SC1091
  source "$DC_DIR/fixture.env"
  LDAPTLS_CACERT=$AD_CA_PEM timeout 60 ldapsearch -LLL -o ldif-wrap=no -H "$AD_LDAPS_URL" -x -D "$AD_BIND_DN" -w "$AD_BIND_PASSWORD" \
    -b "$AD_SYNC_BASE_DN" -E pr=500/noprompt "$USER_FILTER" objectGUID sAMAccountName userAccountControl accountExpires \
    > "$RUN_DIR/ldap-users.ldif"
  "$HELPERS/ldap-users.py" < "$RUN_DIR/ldap-users.ldif" | LC_ALL=C sort > "$RUN_DIR/ldap-users.tsv"
  EXPECTED_TOTAL=$(wc -l < "$RUN_DIR/ldap-users.tsv")
  EXPECTED_ACTIVE=$(awk -F'\t' '$3 == "t"' "$RUN_DIR/ldap-users.tsv" | wc -l)
  (( EXPECTED_TOTAL >= USERS )) || fail "ldapsearch found $EXPECTED_TOTAL users under $AD_SYNC_BASE_DN, expected at least $USERS"
  [[ $(cut -f1 "$RUN_DIR/ldap-users.tsv" | sort -u | wc -l) == "$EXPECTED_TOTAL" ]] || fail "the directory listing has duplicate objectGUIDs"
  log "directory: $EXPECTED_TOTAL users under $AD_SYNC_BASE_DN ($EXPECTED_ACTIVE active)"
}

setup_apps() {
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME"
  export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
  ADSYNC_ENCRYPTION_KEY=$(openssl rand -base64 32); export ADSYNC_ENCRYPTION_KEY
  start_java api "$ROOT/api-service/target/quarkus-app/quarkus-run.jar" QUARKUS_HTTP_PORT="$API_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$API_MGMT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    ADSYNC_API_KEYS="admin:$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"
  wait_for 120 "the API to be ready" health_up "$API_MGMT_URL/q/health/ready"   # it runs the migrations
  if ((SLOW_INSERT_MS > 0)); then
    sql "CREATE FUNCTION systest_slow_insert() RETURNS trigger LANGUAGE plpgsql AS \$\$
           BEGIN PERFORM pg_sleep($SLOW_INSERT_MS / 1000.0); RETURN NEW; END \$\$;
         CREATE TRIGGER systest_slow_insert BEFORE INSERT ON account FOR EACH ROW EXECUTE FUNCTION systest_slow_insert();" > /dev/null
    log "test brake: account inserts sleep ${SLOW_INSERT_MS} ms per row (SLOW_INSERT_MS)"
  fi
  local i w
  for i in "${!WORKERS[@]}"; do PORT[${WORKERS[$i]}]=${WORKER_PORTS[$i]}; start_worker "${WORKERS[$i]}"; done
  for w in "${WORKERS[@]}"; do wait_for 120 "worker $w to be ready" worker_ready "$w"; done
  refresh_server_ids
  for w in "${WORKERS[@]}"; do
    [[ -n ${SERVER_ID[$w]} && $(server_field "$w" .status) == ONLINE ]] || fail "job server $w is not registered and ONLINE"
  done
  log "api on $API_URL; job servers: $(for w in "${WORKERS[@]}"; do printf '%s=%s(pid %s) ' "$w" "${SERVER_ID[$w]}" "${PID[$w]}"; done)"
}

# ---------------------------------------------------------------------------------------------- scenarios ----
s1_initial_sync() {
  DOMAIN=$(create_domain adsync.test "$PAGE_SIZE")
  JOB=$(create_job main-sync "$DOMAIN")
  [[ $DOMAIN =~ ^[0-9a-f-]{36}$ && $JOB =~ ^[0-9a-f-]{36}$ ]] || fail "domain/job creation returned no ids"
  local test
  test=$(api POST "/domains/$DOMAIN/test")
  [[ $(jq -r '"\(.ok) \(.baseDnFound)"' <<< "$test") == "true true" ]] || fail "POST /domains/{id}/test: $test"
  local r t0 stats
  t0=$EPOCHREALTIME
  r=$(queue_run "$JOB")
  wait_for 180 "the first full sync $r to end" run_ended "$r"
  run_json "$r" > "$TMPD/s1-run.json"
  [[ $(jq -r .state "$TMPD/s1-run.json") == SUCCEEDED ]] || fail "first sync ended $(jq -c '{state, error}' "$TMPD/s1-run.json")"
  stats=$(jq -c .stats "$TMPD/s1-run.json")
  [[ $(jq -r .stats.created "$TMPD/s1-run.json") == "$EXPECTED_TOTAL" && $(jq -r .stats.errors "$TMPD/s1-run.json") == 0 ]] \
    || fail "first sync stats $stats, expected created=$EXPECTED_TOTAL errors=0"
  [[ $(jq -r .progress.entriesRead "$TMPD/s1-run.json") == "$EXPECTED_TOTAL" ]] || fail "progress.entriesRead is not $EXPECTED_TOTAL"
  verify_accounts "$DOMAIN" s1
  [[ $(count_active "$DOMAIN") == "$EXPECTED_ACTIVE" ]] || fail "active accounts $(count_active "$DOMAIN") != $EXPECTED_ACTIVE"
  note "$EXPECTED_TOTAL users (ldapsearch) = $EXPECTED_TOTAL accounts, $EXPECTED_ACTIVE active; full sync ${PAGE_SIZE}/page took $(secs_since "$t0")s"
}

s2_kill9() {
  local r owner opid at_kill t_kill r2 r2json took hist
  sql "delete from account where domain_id = '$DOMAIN'" > /dev/null
  r=$(queue_run "$JOB")
  wait_for 60 "run $r to be in the middle of its sync" mid_sync "$r" "$DOMAIN"
  owner=$(server_name_of "$(run_json "$r" | jq -r .jobServerId)")
  [[ -n $owner && -n ${PID[$owner]:-} ]] || fail "cannot find the worker that owns run $r"
  opid=${PID[$owner]}
  kill -KILL "$opid"; t_kill=$EPOCHREALTIME
  wait "$opid" 2>/dev/null || true
  at_kill=$(count_accounts "$DOMAIN")
  log "killed -9 $owner (pid $opid) owning run $r with $at_kill of $EXPECTED_TOTAL accounts written"
  run_is "$r" RUNNING || fail "run $r is not RUNNING right after the kill"
  # the lease (${LEASE_S}s) expires, another worker's reaper marks it ABANDONED and claims the retry
  wait_for $((LEASE_S + POLL_MAX_S + SLACK_S)) "run $r to be ABANDONED" run_is "$r" ABANDONED
  wait_for 15 "a retry of run $r to start" retry_started "$JOB" "$r"
  r2=$(runs_after "$JOB" "$r" | head -n1 | jq -r .id)
  took=$(secs_since "$t_kill")
  awk -v t="$took" -v max=$((LEASE_S + POLL_MAX_S + SLACK_S)) 'BEGIN { exit !(t <= max) }' \
    || fail "the retry started ${took}s after the kill, more than lease + poll + slack"
  wait_for 180 "retry $r2 to end" run_ended "$r2"
  r2json=$(run_json "$r2")
  [[ $(jq -r .state <<< "$r2json") == SUCCEEDED ]] || fail "retry $r2 ended $(jq -c '{state, error}' <<< "$r2json")"
  [[ $(jq -r .trigger <<< "$r2json") == RETRY && $(jq -r .attempt <<< "$r2json") == 2 ]] \
    || fail "run $r2 is not attempt 2 (RETRY): $(jq -c '{trigger, attempt}' <<< "$r2json")"
  [[ $(jq -r .jobServerId <<< "$r2json") != "${SERVER_ID[$owner]}" ]] || fail "the retry ran on the killed worker $owner"
  hist=$(history "$JOB" | jq -r '[.items[0:2][] | .state] | join(",")')
  [[ $hist == "SUCCEEDED,ABANDONED" ]] || fail "run history (newest first) starts $hist, expected SUCCEEDED,ABANDONED"
  [[ $(jq -r '.stats.created + .stats.unchanged + .stats.updated' <<< "$r2json") == "$EXPECTED_TOTAL" ]] \
    || fail "retry stats $(jq -c .stats <<< "$r2json") do not add up to $EXPECTED_TOTAL"
  verify_accounts "$DOMAIN" s2
  note "killed $owner at $at_kill/$EXPECTED_TOTAL accounts; $(server_name_of "$(jq -r .jobServerId <<< "$r2json")") took over after ${took}s (bound $((LEASE_S + POLL_MAX_S + SLACK_S))s); retry stats $(jq -c '.stats | {created, unchanged}' <<< "$r2json")"
  start_worker "$owner"
  wait_for 120 "worker $owner to be ready again" worker_ready "$owner"
}

s3_pg_restart() {
  local r t_restart t_back s e5_before e5 w final chain created
  e5_before=$(api_5xx_count)
  sql "delete from account where domain_id = '$DOMAIN'" > /dev/null
  r=$(queue_run "$JOB")
  wait_for 60 "run $r to be in the middle of its sync" mid_sync "$r" "$DOMAIN"
  log "restarting PostgreSQL ($PG_MODE) with run $r at $(count_accounts "$DOMAIN")/$EXPECTED_TOTAL accounts"
  t_restart=$EPOCHREALTIME
  pg_restart
  log "PostgreSQL is back after $(secs_since "$t_restart")s"
  t_back=$EPOCHREALTIME
  # the API: once PostgreSQL accepts connections again, requests must be answered normally (no client calls
  # /q/health first; the readiness check would itself weed out a dead pooled connection)
  sleep 1
  api_probe "$TMPD/s3-api-probe.txt"
  wait_for 60 "the API to be ready after the restart" health_up "$API_MGMT_URL/q/health/ready"
  # the workers reconnect by themselves: pools, LISTEN connections, heartbeats, readiness
  for w in "${WORKERS[@]}"; do wait_for 60 "worker $w to be ready after the restart" worker_ready "$w"; done
  wait_for 60 "every worker's LISTEN connection to be back" listen_sessions_are "${#WORKERS[@]}"
  wait_for $((2 * POLL_MAX_S + 5 + SLACK_S)) "every job server to heartbeat after the restart" online_since "$t_back" "${#WORKERS[@]}"
  wait_for 90 "run $r to end" run_ended "$r"
  s=$(run_json "$r")
  final=$(jq -r '.state + " " + (.error.category // "-")' <<< "$s")
  if [[ $final == "SUCCEEDED -" ]]; then
    # A short restart can fall between two of the run's write transactions: the pool validates connections on
    # borrow, so the next batch simply gets a new one and the run rides through. Acceptable only if nothing was
    # lost, which the account check and the stats check below decide.
    chain="none: the restart fell between two of its write transactions and the run rode through it"
  else
    [[ $final == "FAILED DB" || $final == ABANDONED* ]] \
      || fail "run $r interrupted by the restart ended '$final' ($(jq -r .error.message <<< "$s" | head -c 300)); expected FAILED with category DB, ABANDONED, or SUCCEEDED with every account written"
    wait_for 15 "run $r to be requeued" retry_queued "$JOB" "$r"
    wait_for 240 "a run after $r to succeed" has_success_after "$JOB" "$r"
    chain=$(runs_after "$JOB" "$r" | jq -r '"\(.attempt):\(.state)\(if .error then "/" + .error.category else "" end)"' | paste -sd' ')
  fi
  verify_accounts "$DOMAIN" s3
  # the accounts were deleted before the run: its own stats and its retries' must add up to every user once
  created=$(chain_created "$JOB" "$r")
  [[ $created == "$EXPECTED_TOTAL" ]] || fail_later "run stats do not add up: $r and its retries report $created accounts created, $EXPECTED_TOTAL were"
  e5=$(( $(api_5xx_count) - e5_before ))
  note "run ended $final; retries: $chain"
  ((e5 == 0)) || note "the API answered $e5 requests with 5xx after the restart (see api-errors.log)"
  if [[ -s $TMPD/s3-api-probe.txt ]]; then
    PROBE_FAIL="$(wc -l < "$TMPD/s3-api-probe.txt") of $PROBE_N API requests made 1 s after PostgreSQL was back failed: $(sort "$TMPD/s3-api-probe.txt" | uniq -c | sort -rn | head -n 3 | sed 's/^ *//' | paste -sd';')"
    if [[ $ALLOW_API_5XX_AFTER_DB_RESTART == 1 ]]; then note "ALLOW_API_5XX_AFTER_DB_RESTART=1: $PROBE_FAIL"; else fail_later "$PROBE_FAIL"; fi
  fi
}

s4_dc_down() {
  local active_before r s t_up r_next rj chain
  active_before=$(count_active "$DOMAIN")
  [[ $active_before == "$EXPECTED_ACTIVE" ]] || fail "active accounts before: $active_before, expected $EXPECTED_ACTIVE"
  "$SAMBA/stop.sh" "$DC_DIR" > "$RUN_DIR/dc-stop.log" 2>&1 || fail "stop.sh failed"
  log "DC stopped"
  s=$(api POST "/domains/$DOMAIN/test")
  [[ $(jq -r '"\(.ok) \(.category)"' <<< "$s") == "false UNREACHABLE" ]] || fail "POST /domains/{id}/test with the DC down: $s"
  r=$(queue_run "$JOB")
  wait_for 60 "run $r to end with the DC down" run_ended "$r"
  s=$(run_json "$r")
  [[ $(jq -r .state <<< "$s") == FAILED && $(jq -r .error.category <<< "$s") == UNREACHABLE ]] \
    || fail "with the DC down, run $r ended $(jq -c '{state, error}' <<< "$s"), expected FAILED/UNREACHABLE"
  [[ $(jq -r .stats.deactivated <<< "$s") == 0 ]] || fail "run $r deactivated $(jq -r .stats.deactivated <<< "$s") accounts"
  [[ $(count_active "$DOMAIN") == "$active_before" ]] || fail "active accounts changed: $active_before -> $(count_active "$DOMAIN")"
  [[ $(api GET "/accounts?domainId=$DOMAIN&active=true&size=1" | jq -r .total) == "$active_before" ]] || fail "API active total changed"
  "$SAMBA/start.sh" "$DC_DIR" > "$RUN_DIR/dc-start.log" 2>&1 || fail "start.sh failed (see $RUN_DIR/dc-start.log)"
  t_up=$EPOCHREALTIME
  log "DC started again"
  wait_for 90 "a retry after $r to succeed" has_success_after "$JOB" "$r"
  chain=$(runs_after "$JOB" "$r" | jq -r '"\(.attempt):\(.trigger):\(.state)\(if .error then "/" + .error.category else "" end)"' | paste -sd' ')
  # the retries: UNREACHABLE while the DC was down, and the first one that started after it was back succeeded
  runs_after "$JOB" "$r" | jq -e 'select(.state != "SUCCEEDED" and (.state != "FAILED" or .error.category != "UNREACHABLE"))' > /dev/null \
    && fail "unexpected runs between the failure and the success: $chain"
  runs_after "$JOB" "$r" | jq -e --argjson t "$t_up" "$JQ_EPOCH"'select(.state == "FAILED" and .startedAt != null and (.startedAt | epoch) > $t)' > /dev/null \
    && fail "a retry that started after the DC was back still failed: $chain"
  r_next=$(first_succeeded_after "$JOB" "$r")
  rj=$(run_json "$r_next")
  [[ $(jq -r .trigger <<< "$rj") == RETRY ]] || fail "the run that succeeded is not a retry: $(jq -c '{trigger, attempt}' <<< "$rj")"
  [[ $(jq -r .stats.deactivated <<< "$rj") == 0 && $(count_active "$DOMAIN") == "$active_before" ]] || fail "accounts were deactivated"
  verify_accounts "$DOMAIN" s4
  note "FAILED/UNREACHABLE: $(jq -r .error.message <<< "$s" | head -c 90); then $chain"
}

set_flag() { # set_flag WORKER true|false
  local out
  out=$(api PATCH "/job-servers/${SERVER_ID[$1]}" "{\"canBeJobServer\": $2}")
  [[ $(jq -r .canBeJobServer <<< "$out") == "$2" ]] || fail "PATCH canBeJobServer=$2 on $1 answered $out"
}

s5_flag() {
  local off=w3 w d j i r runs=() used n_runs servers="" line log_from claimed_off
  set_flag "$off" false
  log_from=$(( $(wc -l < "$RUN_DIR/$off.log") + 1 ))
  sleep $((POLL_MAX_S + 1))   # "stops claiming within one poll interval"
  for d in b c d; do
    EXTRA_DOMAINS+=("$(create_domain "$d.adsync.test" "$FAST_PAGE_SIZE")")
    EXTRA_JOBS+=("$(create_job "sync-$d" "${EXTRA_DOMAINS[-1]}")")
  done
  runs+=("$(queue_run "$JOB")")   # one long run (page size $PAGE_SIZE) keeps work around for a while
  for i in 1 2 3; do for j in "${EXTRA_JOBS[@]}"; do runs+=("$(queue_run "$j")"); done; done
  n_runs=${#runs[@]}
  log "queued $n_runs manual runs on 4 jobs/domains with $off flagged off"
  for r in "${runs[@]}"; do
    wait_for 240 "run $r to end" run_ended "$r"
    line=$(run_json "$r" | jq -r '"\(.state) \(.jobServerId)"')
    [[ ${line%% *} == SUCCEEDED ]] || fail "run $r ended ${line%% *}"
    [[ ${line#* } != "${SERVER_ID[$off]}" ]] || fail "run $r was claimed by $off although canBeJobServer=false"
    servers+="${line#* } "
  done
  claimed_off=$(tail -n +"$log_from" "$RUN_DIR/$off.log" | grep -c "of job .* started (" || true)
  [[ $claimed_off == 0 ]] || fail "$off's log shows $claimed_off runs started while it was flagged off"
  [[ $(server_field "$off" .status) == ONLINE ]] || fail "$off went OFFLINE while flagged off (it should keep heartbeating)"
  used=$(for s in $servers; do server_name_of "$s"; done | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
  for i in "${!EXTRA_DOMAINS[@]}"; do verify_accounts "${EXTRA_DOMAINS[$i]}" "s5-domain-${EXTRA_DOMAINS[$i]:0:8}"; done
  verify_accounts "$DOMAIN" s5-main
  # flip it back, and show that it claims again: with the other two flagged off, the next run must land on it
  set_flag "$off" true
  for w in "${WORKERS[@]}"; do [[ $w == "$off" ]] || set_flag "$w" false; done
  sleep $((POLL_MAX_S + 1))
  r=$(queue_run "${EXTRA_JOBS[0]}")
  wait_for 60 "run $r to end" run_ended "$r"
  line=$(run_json "$r" | jq -r '"\(.state) \(.jobServerId)"')
  for w in "${WORKERS[@]}"; do [[ $w == "$off" ]] || set_flag "$w" true; done
  [[ $line == "SUCCEEDED ${SERVER_ID[$off]}" ]] || fail "after flipping $off back, run $r ended '$line' (expected SUCCEEDED on $off)"
  note "$n_runs runs on 4 jobs/domains ran on $used, none on $off; flipped back, $off claimed the next run"
}

s6_sigterm() {
  local idle=w3 t0 r owner opid t_term s final r2 r2json took created
  # idle worker: exits promptly and shows OFFLINE
  [[ $(sql "select count(*) from job_run where state = 'RUNNING'") == 0 ]] || fail "runs are still RUNNING"
  t0=$EPOCHREALTIME
  kill -TERM "${PID[$idle]}"
  wait_for $((POLL_MAX_S + 10)) "idle $idle to exit after SIGTERM" exited "$idle"
  local idle_took idle_rc=$EXIT_STATUS
  idle_took=$(secs_since "$t0")
  grep -q "worker $idle stopped" "$RUN_DIR/$idle.log" || fail "$idle's log does not say it stopped"
  [[ $(server_field "$idle" .status) == OFFLINE ]] || fail "$idle is not OFFLINE after a clean stop"
  # busy worker: SIGTERM in the middle of a sync
  sql "delete from account where domain_id = '$DOMAIN'" > /dev/null
  r=$(queue_run "$JOB")
  wait_for 60 "run $r to be in the middle of its sync" mid_sync "$r" "$DOMAIN"
  owner=$(server_name_of "$(run_json "$r" | jq -r .jobServerId)")
  opid=${PID[$owner]}
  kill -TERM "$opid"; t_term=$EPOCHREALTIME
  log "SIGTERM to busy $owner (pid $opid) running $r at $(count_accounts "$DOMAIN")/$EXPECTED_TOTAL accounts"
  wait_for $((GRACE_S + POLL_MAX_S + 5 + 20)) "busy $owner to exit by itself" exited "$owner"
  took=$(secs_since "$t_term")
  grep -q "worker $owner stopped" "$RUN_DIR/$owner.log" || fail "$owner's log does not say it stopped"
  [[ $(server_field "$owner" .status) == OFFLINE ]] || fail "$owner is not OFFLINE after a clean stop"
  s=$(run_json "$r")
  final=$(jq -r '.state + " " + (.error.category // "-")' <<< "$s")
  case $final in
    "SUCCEEDED -")
      note "busy $owner finished $r within the grace and exited after ${took}s (exit $EXIT_STATUS)" ;;
    "ABANDONED CANCELLED")
      awk -v t="$took" -v max=$((GRACE_S + POLL_MAX_S + 5 + 10)) 'BEGIN { exit !(t <= max) }' || fail "$owner took ${took}s to stop"
      wait_for 15 "the released run $r to be requeued and claimed" retry_started "$JOB" "$r"
      r2=$(runs_after "$JOB" "$r" | head -n1 | jq -r .id)
      wait_for 180 "requeued run $r2 to end" run_ended "$r2"
      r2json=$(run_json "$r2")
      [[ $(jq -r .state <<< "$r2json") == SUCCEEDED ]] || fail "requeued run $r2 ended $(jq -c '{state, error}' <<< "$r2json")"
      [[ $(jq -r .jobServerId <<< "$r2json") != "${SERVER_ID[$owner]}" ]] || fail "requeued run ran on the stopped $owner"
      created=$(chain_created "$JOB" "$r")
      [[ $created == "$EXPECTED_TOTAL" ]] || fail_later "run stats do not add up: the released run $r reports $(jq -r .stats.created <<< "$s") accounts created and its retry $(jq -r .stats.created <<< "$r2json"), but all $EXPECTED_TOTAL were created by the two (the retry found $(jq -r .stats.unchanged <<< "$r2json") unchanged): the release wrote empty stats"
      note "busy $owner released $r (ABANDONED/CANCELLED: $(jq -r .error.message <<< "$s" | head -c 80)) and exited after ${took}s (exit $EXIT_STATUS); $(server_name_of "$(jq -r .jobServerId <<< "$r2json")") completed it" ;;
    *) fail "run $r of the SIGTERMed $owner ended '$final' ($(jq -r .error.message <<< "$s")); expected SUCCEEDED, or ABANDONED with category CANCELLED" ;;
  esac
  verify_accounts "$DOMAIN" s6
  note "idle $idle exited ${idle_took}s after SIGTERM (exit $idle_rc), OFFLINE"
}

final_checks() {
  local n
  n=$(sql "select count(*) from job_run where state in ('RUNNING', 'QUEUED')")
  [[ $n == 0 ]] || fail "$n runs are still RUNNING or QUEUED at the end"
  n=$(sql "select count(*) from sync_job where current_run_id is not null")
  [[ $n == 0 ]] || fail "$n jobs still point at a current run"
  n=$(sql "select count(*) from (select 1 from account group by domain_id, object_guid having count(*) > 1) x")
  [[ $n == 0 ]] || fail "duplicated accounts"
  local domains=$((1 + ${#EXTRA_DOMAINS[@]}))
  n=$(sql "select count(*) from account")
  [[ $n == $((EXPECTED_TOTAL * domains)) ]] || fail "$n accounts in all, expected $((EXPECTED_TOTAL * domains)) ($domains domains)"
  note "$n accounts in $domains domains, no duplicates, no run left RUNNING/QUEUED, $(api_5xx_count all) API 5xx answers in all"
}

# ---------------------------------------------------------------------------------------------- main ---------
mkdir -p "$TMPD"
log "run folder $RUN_DIR"
CUR="setup" CUR_T0=$EPOCHREALTIME
setup_tools
setup_build
setup_postgres
setup_dc
setup_apps
T_NAME+=("setup: build, PG, DC, api + 3 workers"); T_RESULT+=(PASS); T_SECS+=("$(secs_since "$CUR_T0")"); T_NOTE+=("")
CUR=""

want() { [[ $SCENARIOS == *" $1 "* ]]; }
EXTRA_DOMAINS=() EXTRA_JOBS=()
scenario "1 initial full sync"                s1_initial_sync
if want 2; then scenario "2 kill -9 of the busy worker"       s2_kill9; fi
if want 3; then scenario "3 PostgreSQL restart mid-run"       s3_pg_restart; fi
if want 4; then scenario "4 DC down: UNREACHABLE, then retry" s4_dc_down; fi
if want 5; then scenario "5 canBeJobServer=false"             s5_flag; fi
if want 6; then scenario "6 SIGTERM idle and busy worker"     s6_sigterm; fi
scenario "final consistency"                  final_checks
((FAILED_LATER == 0)) || exit 1
