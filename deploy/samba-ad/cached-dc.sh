#!/usr/bin/env bash
# Usage: cached-dc.sh --ip 127.0.0.N --dir DIR --users N [--specials] [--groups] [--org]
#                     [--disabled-percent 10] [--realm ADSYNC.TEST] [--domain ADSYNC]
#                     [--hostname dc1] [--admin-password PW] [--rebuild] [--force]
#
# Gives you a running DC on --ip in DIR with N generated users (gen-users.py, prefix "user",
# under OU=Users,OU=adsync) plus --specials / --groups, fast after the first time:
#   cache file  ${ADSYNC_FIXTURE_CACHE:-$HOME/.cache/adsync-fixture}/dc-<N>-<key>.tar.gz
#               (+ dc-<N>-<key>.txt describing what it contains)
#   key         sha256 (16 hex) of the fixture scripts (provision.sh lib.sh ldb-load.py
#               gen-users.py seed.sh cached-dc.sh), the samba version and the content options
#               (N, --specials, --groups, --disabled-percent, realm, domain, hostname, password).
#               The IP and DIR are NOT part of the key: after restoring, provision.sh (reuse
#               mode) rewrites smb.conf/krb5.conf for --ip/DIR and re-issues the server
#               certificate (same cached CA) when its SAN does not match --ip.  So one tarball
#               serves any 127.0.0.N and any DIR, and several DCs restored from the same
#               tarball can run at once (they share domain SID and objectGUIDs).
# Cache miss: provision + seed (ldb batch mode) + stop + tar (atomic rename) + start.
# Cache hit:  untar + provision.sh reuse + start.
# Builders of the same key are serialised with flock on <tarball>.lock.
# DIR must not exist (or be empty), or hold a DC restored from the same key (then it is just
# (re)started on --ip).  --force wipes a different DIR first; --rebuild ignores the cache.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"

IP="" DIR="" USERS="" SPECIALS=no WITH_GROUPS=no WITH_ORG=no DISABLED=10 REBUILD=no FORCE=no
REALM=ADSYNC.TEST DOMAIN=ADSYNC HOST=dc1 ADMINPW='Passw0rd!Adsync1'
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }
while (($#)); do
  case $1 in
    --ip) IP=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --specials) SPECIALS=yes; shift ;;
    --groups) WITH_GROUPS=yes; shift ;;
    --org) WITH_ORG=yes; shift ;;
    --disabled-percent) DISABLED=$2; shift 2 ;;
    --realm) REALM=$2; shift 2 ;;
    --domain) DOMAIN=$2; shift 2 ;;
    --hostname) HOST=$2; shift 2 ;;
    --admin-password) ADMINPW=$2; shift 2 ;;
    --rebuild) REBUILD=yes; shift ;;
    --force) FORCE=yes; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
[[ -n $IP && -n $DIR && $USERS =~ ^[0-9]+$ ]] || usage
require_loopback_ip "$IP"
DIR=$(abspath "$DIR")
REALM=${REALM^^}; DOMAIN=${DOMAIN^^}; HOST=${HOST,,}
PROV=(--ip "$IP" --dir "$DIR" --realm "$REALM" --domain "$DOMAIN" --hostname "$HOST" --admin-password "$ADMINPW")

CACHE=${ADSYNC_FIXTURE_CACHE:-$HOME/.cache/adsync-fixture}
mkdir -p "$CACHE"
KEY=$(
  {
    for f in provision.sh lib.sh ldb-load.py gen-users.py seed.sh cached-dc.sh; do
      printf '%s\n' "$f"; cat "$HERE/$f"
    done
    samba --version
    printf 'users=%s specials=%s groups=%s org=%s disabled=%s realm=%s domain=%s host=%s pw=%s\n' \
      "$USERS" "$SPECIALS" "$WITH_GROUPS" "$WITH_ORG" "$DISABLED" "$REALM" "$DOMAIN" "$HOST" "$ADMINPW"
  } | sha256sum | cut -c1-16
)
TAR=$CACHE/dc-$USERS-$KEY.tar.gz
t0=$SECONDS

# ---------------------------------------------------------------- existing DIR ------------------
if [[ -d $DIR ]] && [[ -n $(ls -A "$DIR") ]]; then
  if [[ $(cat "$DIR/.cache-key" 2>/dev/null || true) == "$KEY" ]]; then
    log "$DIR already holds fixture $KEY - (re)starting it on $IP"
    "$HERE/provision.sh" "${PROV[@]}"
    log "ready in $((SECONDS - t0))s"
    exit 0
  fi
  [[ $FORCE == yes ]] || die "$DIR exists and is not fixture $KEY (use --force to wipe it)"
  log "--force: wiping $DIR"
  "$HERE/stop.sh" "$DIR" || true
  rm -rf "$DIR"
fi

# ---------------------------------------------------------------- cache lock --------------------
exec 9>"$TAR.lock"
if ! flock -n 9; then
  log "waiting for another builder of $TAR"
  flock 9
fi

if [[ -f $TAR && $REBUILD == no ]]; then
  log "cache hit: restoring $TAR into $DIR"
  mkdir -p "$DIR"
  tar -xzf "$TAR" -C "$DIR"
  flock -u 9
  "$HERE/provision.sh" "${PROV[@]}"
  log "restored DC with $USERS users on $IP in $((SECONDS - t0))s"
  exit 0
fi

# ---------------------------------------------------------------- build -------------------------
log "cache miss: building $TAR"
"$HERE/provision.sh" "${PROV[@]}"
load_fixture_env "$DIR"
ldif=$(mktemp --suffix=.ldif)
trap 'rm -f "$ldif"' EXIT
gen=(--count "$USERS" --ou "$AD_USERS_DN" --prefix user --disabled-percent "$DISABLED"
     --upn-suffix "${REALM,,}" --mail-domain "${REALM,,}")
[[ $SPECIALS == yes ]] && gen+=(--specials)
[[ $WITH_GROUPS == yes ]] && gen+=(--groups --groups-ou "$AD_GROUPS_DN")
[[ $WITH_ORG == yes ]] && gen+=(--org)
"$HERE/gen-users.py" "${gen[@]}" >"$ldif"
t1=$SECONDS
"$HERE/seed.sh" "$DIR" "$ldif"
log "seeded $(grep -c '^dn:' "$ldif") entries in $((SECONDS - t1))s"
"$HERE/stop.sh" "$DIR"
printf '%s\n' "$KEY" >"$DIR/.cache-key"
tmp=$TAR.tmp.$$
# leave out sockets, pids, logs and per-run files; smb.conf/krb5.conf/fixture.env are rewritten on restore
tar -czf "$tmp" -C "$DIR" \
  --exclude=./run --exclude=./log --exclude=./msg.lock --exclude=./msg.sock \
  --exclude=./private/ldapi --exclude=./private/ldap_priv/ldapi --exclude=./private/smbd.tmp \
  --exclude=./fixture.env .
mv -f "$tmp" "$TAR"
cat >"${TAR%.tar.gz}.txt" <<MANIFEST
built:    $(date -u +%Y-%m-%dT%H:%M:%SZ) by deploy/samba-ad/cached-dc.sh
options:  --users $USERS specials=$SPECIALS groups=$WITH_GROUPS org=$WITH_ORG disabled-percent=$DISABLED
domain:   realm=$REALM domain=$DOMAIN hostname=$HOST
entries:  $(grep -c '^dn:' "$ldif") seeded under $AD_USERS_DN
samba:    $(samba --version)
MANIFEST
flock -u 9
log "cached $(du -h "$TAR" | cut -f1) at $TAR"
"$HERE/start.sh" "$DIR"
log "built DC with $USERS users on $IP in $((SECONDS - t0))s"
