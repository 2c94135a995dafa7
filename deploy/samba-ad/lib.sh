# shellcheck shell=bash
# Shared helpers for the adsync Samba AD fixture scripts. Sourced, not executed.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Samba's python modules live in Debian's system interpreter; never use a pyenv/venv python for them.
SAMBA_PY=${SAMBA_PY:-/usr/bin/python3}

log() { printf '[samba-ad %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[samba-ad] ERROR: %s\n' "$*" >&2; exit 1; }

# Only loopback addresses are allowed: this fixture must never talk to anything else.
require_loopback_ip() {
  local ip=$1
  [[ $ip =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || die "--ip must be a 127.0.0.0/8 address, got '$ip'"
  local o; for o in "${BASH_REMATCH[@]:1}"; do (( o <= 255 )) || die "bad IP '$ip'"; done
  [[ $ip != 127.0.0.1 ]] || die "127.0.0.1 is shared with other local services; use 127.0.0.N (N>=2)"
}

# Add IP/32 to lo unless it is already there.
ensure_lo_ip() {
  local ip=$1
  if ! ip -4 -o addr show dev lo | grep -qw "inet ${ip}/32"; then
    ip addr add "${ip}/32" dev lo 2>/dev/null || ip -4 -o addr show dev lo | grep -qw "inet ${ip}" \
      || die "cannot add ${ip}/32 to lo (need root / CAP_NET_ADMIN)"
  fi
}

# Absolute path without requiring it to exist.
abspath() { local p=$1; [[ $p = /* ]] || p="$PWD/$p"; printf '%s\n' "${p%/}"; }

# Values read back from DIR/fixture.env (written by provision.sh).
load_fixture_env() {
  local dir=$1
  [[ -f $dir/fixture.env ]] || die "$dir/fixture.env not found - was $dir provisioned with provision.sh?"
  # shellcheck disable=SC1091
  source "$dir/fixture.env"
}

samba_pid() {
  local dir=$1 f
  f="$dir/run/samba.pid"
  [[ -s $f ]] || return 1
  local pid; pid=$(tr -dc 0-9 <"$f")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  # make sure the pid really is *this* DC's samba (pid files can be stale after a reboot):
  # samba overwrites its argv, but the root process keeps its own pid file open.
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */samba ]] || return 1
  [[ -n $(find "/proc/$pid/fd" -maxdepth 1 -lname "$f" 2>/dev/null | head -n1) ]] || return 1
  printf '%s\n' "$pid"
}

# pids of samba processes (any of root/worker) that have files open under $dir/
dir_samba_pids() {
  local dir=$1 p
  for p in $(find /proc/[0-9]*/fd -maxdepth 1 -lname "$dir/*" 2>/dev/null | cut -d/ -f3 | sort -un); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */sbin/samba ]] && echo "$p"
  done
  return 0
}

port_open() { # ip port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Wait until a rootDSE search answers on the given URI.  Extra env (LDAPTLS_*) passes through.
wait_rootdse() { # uri timeout_s [extra ldapsearch args...]
  local uri=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    if ldapsearch -LLL -x -H "$uri" -o nettimeout=2 -s base -b '' "$@" dnsHostName >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  ldapsearch -LLL -x -H "$uri" -o nettimeout=2 -s base -b '' "$@" dnsHostName >&2 || true
  return 1
}

wait_ldap_up() { # dir ip [timeout]
  local dir=$1 ip=$2 timeout=${3:-60}
  wait_rootdse "ldap://$ip:389" "$timeout" || die "ldap://$ip:389 did not answer within ${timeout}s (see $dir/log/log.samba)"
  LDAPTLS_CACERT="$dir/tls/ca.pem" LDAPTLS_REQCERT=demand \
    wait_rootdse "ldaps://$ip:636" "$timeout" || die "ldaps://$ip:636 did not answer / verify within ${timeout}s"
}

start_samba() { # dir ip
  local dir=$1 ip=$2 pid
  if pid=$(samba_pid "$dir"); then
    log "samba already running for $dir (pid $pid)"
  else
    ensure_lo_ip "$ip"
    mkdir -p "$dir/run" "$dir/log"
    rm -f "$dir/run/samba.pid"
    port_open "$ip" 389 && die "something is already listening on $ip:389 (another DC using this IP?)"
    # -D daemonizes; samba writes $dir/run/samba.pid itself.
    # -l: samba opens its log before reading smb.conf; keep even that inside $dir
    KRB5_CONFIG="$dir/etc/krb5.conf" samba -D -s "$dir/etc/smb.conf" -l "$dir/log"
  fi
  wait_ldap_up "$dir" "$ip" 60
}

stop_samba() { # dir [ip]
  local dir=$1 ip=${2:-} pid
  if pid=$(samba_pid "$dir"); then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "samba pid $pid did not exit after SIGTERM; sending SIGKILL to its process group"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Stragglers (e.g. pid file lost): any samba process holding files under $dir/.
  local p left=()
  for p in $(dir_samba_pids "$dir"); do left+=("$p"); done
  if ((${#left[@]})); then
    log "killing leftover samba processes of $dir: ${left[*]}"
    kill -TERM "${left[@]}" 2>/dev/null || true
    sleep 1
    for p in $(dir_samba_pids "$dir"); do kill -KILL "$p" 2>/dev/null || true; done
  fi
  # wait for the ports to close.
  if [[ -n $ip ]]; then
    local i
    for ((i = 0; i < 150; i++)); do
      port_open "$ip" 389 || port_open "$ip" 636 || break
      sleep 0.1
    done
    ! port_open "$ip" 389 || die "port $ip:389 still open after stopping samba"
  fi
  rm -f "$dir/run/samba.pid"
}

# base DN from realm: ADSYNC.TEST -> DC=adsync,DC=test
realm_to_dn() {
  local r=${1,,} out="" part parts
  IFS=. read -ra parts <<<"$r"
  for part in "${parts[@]}"; do out+="${out:+,}DC=$part"; done
  printf '%s\n' "$out"
}
