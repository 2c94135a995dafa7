#!/usr/bin/env bash
# Usage: install-deps.sh
#
# Idempotently installs what the Samba AD fixture needs on Debian 12 (bookworm), as root and
# non-interactively.  `apt-get update` runs only if at least one package is missing.
# While installing, a temporary /usr/sbin/policy-rc.d stops the postinst scripts from starting
# the system smbd/nmbd/samba-ad-dc services (the fixture runs its own samba per DC directory).
# Deliberately not installed: samba-ad-dc (system DC unit files), winbind (the fixture's DCs run
# only the ldap, kdc and cldap services), ldb-tools (seed.sh uses python3-samba instead).
set -euo pipefail
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
[[ $(id -u) -eq 0 ]] || { echo "install-deps.sh: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

PKGS=(
  samba                # /usr/sbin/samba (AD DC server binary)
  samba-common-bin     # samba-tool, testparm
  samba-dsdb-modules   # AD directory modules (only Recommended by samba)
  samba-ad-provision   # schema/provision data (only Recommended by samba)
  samba-vfs-modules    # acl_xattr, which provision needs for the sysvol ACLs (only Recommended by samba)
  python3-samba        # samba python bindings (ldb-load.py / seed.sh)
  ldap-utils           # ldapsearch, ldapadd, ldapmodify, ldapdelete
  openssl              # CA + server certificate
  python3              # gen-users.py
  iproute2             # ip addr add 127.0.0.N/32 dev lo, ss
  util-linux           # flock (cache build lock)
  procps
  ca-certificates
)

missing=()
for p in "${PKGS[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps.sh: all packages present (${PKGS[*]})"
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}"

policy_added=no
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\n# added by adsync deploy/samba-ad/install-deps.sh during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  policy_added=yes
fi
cleanup() { if [[ $policy_added == yes ]]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
echo "install-deps.sh: done"
