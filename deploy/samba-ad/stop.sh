#!/usr/bin/env bash
# Usage: stop.sh DIR [--remove-ip]
#
# Stops the DC in DIR: SIGTERM to the pid in DIR/run/samba.pid (SIGKILL to its process group
# after 15s), then waits until its LDAP port is closed.  Succeeds if it is not running.
# --remove-ip also deletes the DC's 127.0.0.N/32 address from `lo` (only if no other process
# still listens on it).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }
(($# >= 1)) || usage
[[ $1 == -h || $1 == --help ]] && usage 0
DIR=$(abspath "$1"); shift
REMOVE_IP=no
while (($#)); do
  case $1 in
    --remove-ip) REMOVE_IP=yes; shift ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
IP=""
if [[ -f $DIR/fixture.env ]]; then
  load_fixture_env "$DIR"; IP=$AD_IP
elif [[ -f $DIR/etc/smb.conf ]]; then
  IP=$(sed -n 's/^[[:space:]]*interfaces = //p' "$DIR/etc/smb.conf")
fi
if [[ ! -d $DIR ]]; then
  log "$DIR does not exist - nothing to stop"; exit 0
fi
stop_samba "$DIR" "$IP"
log "DC $DIR stopped"
if [[ $REMOVE_IP == yes && -n $IP ]] && ip -4 -o addr show dev lo | grep -qw "inet ${IP}/32"; then
  if ss -Hltnu "src $IP" 2>/dev/null | grep -q .; then
    log "not removing $IP from lo: something still listens on it"
  else
    ip addr del "$IP/32" dev lo && log "removed $IP/32 from lo"
  fi
fi
