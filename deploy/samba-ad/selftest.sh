#!/usr/bin/env bash
# shellcheck disable=SC2015  # ok() cannot fail, so "A && ok || fail" is a safe if/else
# Usage: selftest.sh DIR [MIN_USERS]
#
# Smoke-tests a running fixture DC (provisioned by provision.sh/cached-dc.sh) over the wire:
# LDAPS verified against DIR/tls/ca.pem (with hostname check on the IP), StartTLS (-ZZ), a paged
# search (pr=100) over AD_USERS_DN returning >= MIN_USERS users (default 1) that all carry
# objectGUID, uSNChanged and userAccountControl, the non-ASCII special users (if seeded with
# --specials) round-tripping byte-exactly, and a freshly generated foreign CA being rejected.
# Exits non-zero on the first failure.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $# -ge 1 && $1 != -h && $1 != --help ]] || { sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
DIR=$(abspath "$1"); MIN=${2:-1}
load_fixture_env "$DIR"
export LDAPTLS_CACERT=$AD_CA_PEM LDAPTLS_REQCERT=demand
S=(ldapsearch -LLL -o ldif-wrap=no -x -D "$AD_BIND_DN" -w "$AD_BIND_PASSWORD")
ok() { printf '  ok   %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*" >&2; exit 1; }
echo "selftest $DIR ($AD_IP)"

"${S[@]}" -H "$AD_LDAPS_URL" -s base -b '' highestCommittedUSN | grep -q '^highestCommittedUSN: [0-9]' \
  && ok "LDAPS rootDSE (highestCommittedUSN)" || fail "LDAPS"
"${S[@]}" -ZZ -H "$AD_LDAP_URL" -s base -b '' dnsHostName | grep -q "^dnsHostName: $AD_HOSTNAME" \
  && ok "StartTLS bind + rootDSE" || fail "StartTLS"

out=$(mktemp); trap 'rm -f "$out" "${wrong:-}"*' EXIT
"${S[@]}" -H "$AD_LDAPS_URL" -b "$AD_USERS_DN" -E pr=100/noprompt '(&(objectCategory=person)(objectClass=user))' \
  objectGUID uSNChanged userAccountControl >"$out"
n=$(grep -c '^dn' "$out" || true)
for a in 'objectGUID::' 'uSNChanged:' 'userAccountControl:'; do
  [[ $(grep -c "^$a" "$out" || true) -eq $n ]] || fail "$a missing on some of $n users"
done
((n >= MIN)) && ok "paged search (pr=100): $n users, all with objectGUID/uSNChanged/userAccountControl" \
  || fail "paged search returned $n users, expected >= $MIN"

if "${S[@]}" -H "$AD_LDAPS_URL" -b "$AD_USERS_DN" '(sAMAccountName=zoe.angstrom)' 1.1 | grep -q '^dn'; then
  for pair in "zoe.angstrom|Zoë Ångström" "yamada.taro|山田太郎"; do
    sam=${pair%%|*}; want=${pair#*|}
    got=$("${S[@]}" -H "$AD_LDAPS_URL" -b "$AD_USERS_DN" "(sAMAccountName=$sam)" displayName \
      | sed -n 's/^displayName:: //p' | base64 -d)
    [[ $got == "$want" ]] && ok "non-ASCII displayName of $sam = $got" || fail "$sam displayName '$got' != '$want'"
    "${S[@]}" -H "$AD_LDAPS_URL" -b "$AD_BASE_DN" "(displayName=$want)" sAMAccountName | grep -q "^sAMAccountName: $sam" \
      && ok "filter on non-ASCII value finds $sam" || fail "filter (displayName=$want)"
  done
fi

wrong=$(mktemp -u /tmp/adsync-wrongca.XXXXXX)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$wrong.key" -out "$wrong.pem" -subj "/CN=not the fixture CA" -days 1 2>/dev/null
if LDAPTLS_CACERT=$wrong.pem ldapsearch -LLL -x -o nettimeout=3 -H "$AD_LDAPS_URL" -s base -b '' 1.1 >/dev/null 2>&1; then
  fail "LDAPS accepted a foreign CA"
fi
ok "LDAPS with a foreign CA is rejected"
echo "selftest $DIR passed"
