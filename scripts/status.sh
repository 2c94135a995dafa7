#!/usr/bin/env bash
# Usage: scripts/status.sh
# The processes scripts/up.sh started, with their PID and readiness (GET /q/health/ready on their management
# port), and the demo DC. Exits 1 if any of them is down.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/local.sh"
down=0
printf '%-10s %-8s %-6s %s\n' process pid port health
for name in "${PROCS[@]}"; do
  if alive "$name"; then
    health=$(curl -sS --max-time 2 "http://127.0.0.1:$(mgmt_port_of "$name")/q/health/ready" 2>/dev/null | jq -r .status 2>/dev/null)
    printf '%-10s %-8s %-6s %s\n' "$name" "$(pid_of "$name")" "$(mgmt_port_of "$name")" "${health:-no answer}"
    [ "$health" = UP ] || down=1
  else
    printf '%-10s %-8s %-6s %s\n' "$name" - "$(mgmt_port_of "$name")" "not running"
    down=1
  fi
done
if [ -f "$DEMO_DC_DIR/run/samba.pid" ] && kill -0 "$(cat "$DEMO_DC_DIR/run/samba.pid")" 2>/dev/null; then
  printf '%-10s %-8s %-6s %s\n' demo-dc "$(cat "$DEMO_DC_DIR/run/samba.pid")" 636 "running on $DEMO_DC_IP"
elif [ -d "$DEMO_DC_DIR" ]; then
  printf '%-10s %-8s %-6s %s\n' demo-dc - 636 "not running"
  down=1
fi
exit $down
