#!/usr/bin/env bash
# Usage: seed.sh DIR LDIF_FILE|- [--method ldb|ldap|ldaps] [--continue]
#
# Loads an LDIF (e.g. from gen-users.py) into the DC provisioned in DIR.
#   --method ldb   (default, fastest) write straight into DIR/private/sam.ldb through Samba's own
#                  dsdb module stack with ldb batch_mode, 1000 entries per transaction.  Works
#                  with the DC running (tdb locking; LDAP clients see the entries as each batch
#                  commits) or stopped.  objectGUID, objectSid, uSNCreated/uSNChanged, whenCreated
#                  and replication metadata are generated exactly as for an LDAP add.
#   --method ldap  ldapadd over ldap://IP:389 as Administrator (the DC must be running).
#   --method ldaps ldapadd over ldaps://IP:636 (what Windows requires for unicodePwd; this
#                  fixture's Samba also accepts unicodePwd over plain ldap://).
#   --continue     keep going past entries that fail (ldapadd -c; for ldb: no batch mode).
# Prints the number of entries and the measured entries/s on stderr.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }
(($# >= 2)) || usage
DIR=$(abspath "$1"); LDIF=$2; shift 2
METHOD=ldb CONT=no
while (($#)); do
  case $1 in
    --method) METHOD=$2; shift 2 ;;
    --continue) CONT=yes; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
load_fixture_env "$DIR"
if [[ $LDIF == - ]]; then
  tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
  cat >"$tmp"; LDIF=$tmp
fi
[[ -r $LDIF ]] || die "cannot read $LDIF"
n=$(grep -c '^dn:' "$LDIF" || true)
export KRB5_CONFIG=$DIR/etc/krb5.conf

t0=$(date +%s.%N)
case $METHOD in
  ldb)
    args=(--dir "$DIR")
    [[ $CONT == yes ]] && args+=(--continue)
    "$SAMBA_PY" "$HERE/ldb-load.py" "${args[@]}" "$LDIF"
    ;;
  ldap|ldaps)
    samba_pid "$DIR" >/dev/null || die "DC in $DIR is not running (start.sh $DIR)"
    url=$AD_LDAP_URL; [[ $METHOD == ldaps ]] && url=$AD_LDAPS_URL
    args=(-x -H "$url" -D "$AD_BIND_DN" -w "$AD_BIND_PASSWORD" -f "$LDIF")
    [[ $CONT == yes ]] && args+=(-c)
    LDAPTLS_CACERT=$AD_CA_PEM LDAPTLS_REQCERT=demand ldapadd "${args[@]}" >/dev/null
    ;;
  *) die "unknown --method $METHOD" ;;
esac
t1=$(date +%s.%N)
awk -v n="$n" -v a="$t0" -v b="$t1" -v m="$METHOD" \
  'BEGIN { d = b - a; printf "[samba-ad] seed.sh: %d entries via %s in %.1fs (%.0f entries/s)\n", n, m, d, (d > 0 ? n / d : 0) }' >&2
