#!/usr/bin/env bash
# Entrypoint of the demo Samba AD DC image (deploy/samba-ad/Dockerfile, service samba-ad in docker-compose.yml).
#
# First start (empty $DC_DIR volume): provisions the domain with the test fixture's provision.sh, seeds
# $AD_DEMO_USERS users (some disabled, with departments and a manager tree) and a few groups with gen-users.py + seed.sh, then runs samba in the
# foreground. Later starts reuse the volume (provision.sh is idempotent) and skip the seeding.
# The CA certificate that signed the DC's LDAPS certificate is copied to $CA_EXPORT (a shared volume) so that
# clients can verify it; the CA key never leaves $DC_DIR.
#
# Environment (defaults in brackets):
#   AD_ADMIN_PASSWORD           Administrator password (required; used only when the domain is first provisioned;
#                               must satisfy AD complexity: upper, lower, digit/symbol, >= 7 characters)
#   AD_REALM [ADSYNC.TEST]  AD_DOMAIN [ADSYNC]  AD_DC_HOSTNAME [dc1]   -> DC dc1.adsync.test
#   AD_DEMO_USERS [50]  AD_DEMO_DISABLED_PERCENT [10]
#   DC_DIR [/var/lib/adsync-dc]  CA_EXPORT [/export/ca.pem]
#   DC_BIND [all]               all: listen on every interface of the container (what other containers need);
#                               fixture: only on $DC_IP, as the test fixture does
#   DC_IP [127.0.0.2]           the loopback address the fixture scripts provision for (and put in the
#                               certificate); with DC_BIND=all clients use the container's name instead
set -euo pipefail
FIXTURE=${FIXTURE:-/opt/adsync/samba-ad}
# shellcheck source=/dev/null
source "$FIXTURE/lib.sh"

: "${AD_ADMIN_PASSWORD:?AD_ADMIN_PASSWORD must be set (see .env.example)}"
AD_REALM=${AD_REALM:-ADSYNC.TEST}
AD_DOMAIN=${AD_DOMAIN:-ADSYNC}
AD_DC_HOSTNAME=${AD_DC_HOSTNAME:-dc1}
AD_DEMO_USERS=${AD_DEMO_USERS:-50}
AD_DEMO_DISABLED_PERCENT=${AD_DEMO_DISABLED_PERCENT:-10}
DC_DIR=${DC_DIR:-/var/lib/adsync-dc}
CA_EXPORT=${CA_EXPORT:-/export/ca.pem}
DC_BIND=${DC_BIND:-all}
DC_IP=${DC_IP:-127.0.0.2}
[[ $AD_DEMO_USERS =~ ^[0-9]+$ ]] || die "AD_DEMO_USERS must be a number"
[[ $DC_BIND == all || $DC_BIND == fixture ]] || die "DC_BIND must be 'all' or 'fixture'"

"$FIXTURE/provision.sh" --ip "$DC_IP" --dir "$DC_DIR" --realm "$AD_REALM" --domain "$AD_DOMAIN" \
  --hostname "$AD_DC_HOSTNAME" --admin-password "$AD_ADMIN_PASSWORD" --no-start
load_fixture_env "$DC_DIR"

if [[ ! -f $DC_DIR/.adsync-demo-seeded ]]; then
  log "seeding $AD_DEMO_USERS demo users (${AD_DEMO_DISABLED_PERCENT}% disabled) and groups under $AD_USERS_DN"
  "$SAMBA_PY" "$FIXTURE/gen-users.py" --count "$AD_DEMO_USERS" --ou "$AD_USERS_DN" \
    --disabled-percent "$AD_DEMO_DISABLED_PERCENT" --specials --groups --org --upn-suffix "${AD_REALM,,}" \
    --mail-domain "${AD_REALM,,}" | "$FIXTURE/seed.sh" "$DC_DIR" - --method ldb
  touch "$DC_DIR/.adsync-demo-seeded"
fi

mkdir -p "$(dirname "$CA_EXPORT")"
install -m 0644 "$DC_DIR/tls/ca.pem" "$CA_EXPORT.tmp" && mv -f "$CA_EXPORT.tmp" "$CA_EXPORT"
log "CA certificate for LDAPS: $CA_EXPORT"

args=(-F --no-process-group --debug-stdout -s "$DC_DIR/etc/smb.conf")
if [[ $DC_BIND == all ]]; then
  # The fixture binds the DC to one loopback address; in a container it must answer on the container's
  # network interfaces. Overridden on the command line only: smb.conf stays exactly as provision.sh wrote it.
  args+=("--option=interfaces=lo eth*" "--option=bind interfaces only=no")
fi
rm -f "$DC_DIR/run/samba.pid"
log "starting samba: realm $AD_REALM, DC $AD_HOSTNAME, base $AD_BASE_DN, sync base $AD_SYNC_BASE_DN"
export KRB5_CONFIG=$DC_DIR/etc/krb5.conf
exec samba "${args[@]}"
