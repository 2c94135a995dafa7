# Shared by scripts/up.sh, down.sh and status.sh: where the local system keeps its state, and small helpers.
# The state folder (git-ignored, mode 700) holds the generated secrets (env, mode 600), the PIDs of the processes
# up.sh started, their logs, and the demo DC.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${ADSYNC_STATE_DIR:-$ROOT/.adsync}
API_PORT=${ADSYNC_API_PORT:-8080}
API_MGMT_PORT=${ADSYNC_API_MANAGEMENT_PORT:-9000}
WORKER_MGMT_PORTS=(9090 9092)
DEMO_DC_IP=${ADSYNC_DEMO_DC_IP:-127.0.0.60}
DEMO_DC_DIR=$STATE/demo-dc
DB_NAME=adsync
DB_ROLE=adsync

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The processes up.sh starts: name, then how they are told apart from anything else on the machine.
PROCS=(api worker-1 worker-2)

pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null || true; }

# alive NAME: the recorded PID runs, and it is one of our JVMs (a reused PID of another program is not ours)
alive() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "quarkus-run.jar"
}

mgmt_port_of() {
  case $1 in
    api) echo "$API_MGMT_PORT" ;;
    worker-1) echo "${WORKER_MGMT_PORTS[0]}" ;;
    worker-2) echo "${WORKER_MGMT_PORTS[1]}" ;;
  esac
}

ready() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(mgmt_port_of "$1")/q/health/ready" 2>/dev/null; }
