#!/usr/bin/env bash
# Container health check without curl: exits 0 iff GET http://127.0.0.1:PORT/PATH answers HTTP 200.
#   http-health 9000 /q/health/ready      (the management port: API 9000, worker 9090)
set -euo pipefail
port=${1:?usage: http-health PORT [PATH]}
path=${2:-/q/health/ready}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3
[[ $status =~ ^HTTP/1\.[01]\ 200 ]]
