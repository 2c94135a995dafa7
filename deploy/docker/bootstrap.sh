#!/bin/sh
# adsync demo bootstrap: the one script that sets up the demo, for `docker compose up` (service "bootstrap"; runs
# once, then exits) and for scripts/up.sh alike.
#  1. waits until the API is ready (GET /q/health/ready on its management port) and, for LDAPS, until the DC's CA certificate exists
#  2. registers the demo domain (POST /domains): LDAPS to the Samba DC, trusting the DC's CA certificate
#  3. creates the product description's example job (POST /jobs): Sync All Domains, Requeue if Job Fails, Time Span
#     Schedule, RunWhen Immediately, every 12 hours
# Idempotent: an existing domain / job of the same name is reused, so `docker compose up` can run it again.
#
# Environment: ADSYNC_ADMIN_KEY (required; an admin API key whose SHA-256 is in the API's ADSYNC_API_KEYS),
#   AD_BIND_PASSWORD (required), API_URL [http://api-service:8080],
#   API_MANAGEMENT_URL [http://api-service:9000] (health, no key), AD_NAME [adsync.test],
#   AD_HOST [dc1.adsync.test], AD_SECURITY [LDAPS] (LDAPS | STARTTLS | NONE), AD_PORT [636 / 389],
#   AD_BIND_DN [CN=Administrator,CN=Users,DC=adsync,DC=test], AD_BASE_DN [OU=adsync,DC=adsync,DC=test],
#   CA_FILE [/ca/ca.pem], JOB_NAME [Demo AD sync], WAIT_SECONDS [300]
# Prints the job's id on standard output (everything else goes to standard error).
set -eu
: "${ADSYNC_ADMIN_KEY:?ADSYNC_ADMIN_KEY must be set (see .env.example)}"
: "${AD_BIND_PASSWORD:?AD_BIND_PASSWORD must be set (see .env.example)}"
API_URL=${API_URL:-http://api-service:8080}
API_MANAGEMENT_URL=${API_MANAGEMENT_URL:-http://api-service:9000}
AD_NAME=${AD_NAME:-adsync.test}
AD_HOST=${AD_HOST:-dc1.adsync.test}
AD_SECURITY=${AD_SECURITY:-LDAPS}
AD_BIND_DN=${AD_BIND_DN:-CN=Administrator,CN=Users,DC=adsync,DC=test}
AD_BASE_DN=${AD_BASE_DN:-OU=adsync,DC=adsync,DC=test}
CA_FILE=${CA_FILE:-/ca/ca.pem}
JOB_NAME=${JOB_NAME:-Demo AD sync}
WAIT_SECONDS=${WAIT_SECONDS:-300}
case $AD_SECURITY in
  LDAPS) AD_PORT=${AD_PORT:-636} ;;
  STARTTLS | NONE) AD_PORT=${AD_PORT:-389} ;;
  *) echo "[bootstrap] ERROR: AD_SECURITY must be LDAPS, STARTTLS or NONE" >&2; exit 1 ;;
esac

log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The key goes to curl in a header file, not on its command line.
umask 077
printf 'Authorization: Bearer %s\n' "$ADSYNC_ADMIN_KEY" >"$work/auth"
umask 022

# call METHOD PATH [JSON]: response body in $work/body, HTTP status in $code
call() {
  if [ $# -ge 3 ]; then
    code=$(printf '%s' "$3" | curl -sS -o "$work/body" -w '%{http_code}' -X "$1" -H @"$work/auth" \
      -H 'Accept: application/json' -H 'Content-Type: application/json' --data-binary @- "$API_URL$2") || code=000
  else
    code=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$1" -H @"$work/auth" \
      -H 'Accept: application/json' "$API_URL$2") || code=000
  fi
}
expect() { # expect CODE... : die with the problem+json body unless $code is one of them
  for c in "$@"; do [ "$code" = "$c" ] && return 0; done
  die "$method_path answered HTTP $code: $(head -c 2000 "$work/body")"
}

# ---- 1. wait -------------------------------------------------------------------------------------------------
deadline=$(( $(date +%s) + WAIT_SECONDS ))
log "waiting for $API_MANAGEMENT_URL/q/health/ready"
until curl -fsS -o /dev/null "$API_MANAGEMENT_URL/q/health/ready" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || die "API not ready after ${WAIT_SECONDS}s"
  sleep 2
done
if [ "$AD_SECURITY" != NONE ]; then
  log "waiting for the DC's CA certificate $CA_FILE"
  until [ -s "$CA_FILE" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$CA_FILE missing after ${WAIT_SECONDS}s (is samba-ad healthy?)"
    sleep 2
  done
  grep -q 'BEGIN CERTIFICATE' "$CA_FILE" || die "$CA_FILE is not a PEM certificate"
fi

method_path="GET /domains"
call GET '/domains?size=500'
[ "$code" = 401 ] && die "the API refused ADSYNC_ADMIN_KEY (401): its SHA-256 must be listed as admin:<hex> in ADSYNC_API_KEYS"
expect 200

# ---- 2. domain -----------------------------------------------------------------------------------------------
domain_id=$(jq -r --arg n "$AD_NAME" '.items[] | select(.name == $n) | .id' "$work/body" | head -n1)
if [ -n "$domain_id" ]; then
  log "domain $AD_NAME exists: $domain_id (left as it is)"
else
  if [ "$AD_SECURITY" = NONE ]; then
    body=$(jq -n --arg name "$AD_NAME" --arg host "$AD_HOST" --argjson port "$AD_PORT" --arg sec "$AD_SECURITY" \
      --arg bind "$AD_BIND_DN" --arg pw "$AD_BIND_PASSWORD" --arg base "$AD_BASE_DN" \
      '{name: $name, hosts: [$host], port: $port, security: $sec, bindDn: $bind, bindPassword: $pw, baseDn: $base}')
  else
    body=$(jq -n --arg name "$AD_NAME" --arg host "$AD_HOST" --argjson port "$AD_PORT" --arg sec "$AD_SECURITY" \
      --rawfile ca "$CA_FILE" --arg bind "$AD_BIND_DN" --arg pw "$AD_BIND_PASSWORD" --arg base "$AD_BASE_DN" \
      '{name: $name, hosts: [$host], port: $port, security: $sec, caCertificatePem: $ca, bindDn: $bind,
        bindPassword: $pw, baseDn: $base}')
  fi
  method_path="POST /domains"
  call POST /domains "$body"
  expect 201
  domain_id=$(jq -r .id "$work/body")
  log "registered domain $AD_NAME ($AD_SECURITY ${AD_HOST}:${AD_PORT}, base $AD_BASE_DN): $domain_id"
fi

# ---- 3. job --------------------------------------------------------------------------------------------------
method_path="GET /jobs"
call GET "/jobs?size=500"
expect 200
job_id=$(jq -r --arg n "$JOB_NAME" '.items[] | select(.name == $n) | .id' "$work/body" | head -n1)
if [ -n "$job_id" ]; then
  log "job '$JOB_NAME' exists: $job_id (left as it is)"
else
  body=$(jq -n --arg name "$JOB_NAME" \
    '{type: "AD_SYNC", name: $name, description: "Demo: syncs every registered domain every 12 hours",
      syncAllDomains: true, requeueOnFailure: true, enabled: true,
      schedule: {type: "TIME_SPAN", runWhen: "IMMEDIATELY", interval: "PT12H"}}')
  method_path="POST /jobs"
  call POST /jobs "$body"
  expect 201
  job_id=$(jq -r .id "$work/body")
  log "created job '$JOB_NAME': $job_id, next run $(jq -r .nextRunAt "$work/body")"
fi
printf '%s\n' "$job_id"

cat >&2 <<MSG
[bootstrap] done. Follow the sync (admin key from .env):
  curl -H "Authorization: Bearer \$ADSYNC_ADMIN_KEY" localhost:8080/jobs/$job_id/runs
  curl -H "Authorization: Bearer \$ADSYNC_ADMIN_KEY" "localhost:8080/accounts?domainId=$domain_id"
  curl -H "Authorization: Bearer \$ADSYNC_ADMIN_KEY" localhost:8080/job-servers
MSG
