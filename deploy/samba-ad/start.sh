#!/usr/bin/env bash
# Usage: start.sh DIR
#
# Starts the already provisioned DC in DIR (see provision.sh) on the IP recorded in
# DIR/fixture.env, re-adding that address to `lo` if it is missing, and waits until
# ldap://IP:389 and ldaps://IP:636 (verified against DIR/tls/ca.pem) answer a rootDSE search.
# No-op (apart from the wait) if it is already running.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[[ $# -eq 1 && $1 != -h && $1 != --help ]] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
DIR=$(abspath "$1")
load_fixture_env "$DIR"
require_loopback_ip "$AD_IP"
[[ -f $DIR/private/sam.ldb ]] || die "$DIR is not provisioned"
start_samba "$DIR" "$AD_IP"
log "DC $DIR up on $AD_IP"
