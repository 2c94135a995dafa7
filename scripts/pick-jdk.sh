#!/usr/bin/env bash
# Usage: scripts/pick-jdk.sh [--install]
# Prints the newest JDK >= 21 under $JAVA_HOME or /usr/lib/jvm. With --install, installs Debian's openjdk-21 (or
# -25) first if there is none. Exits 1 if none is available.
set -euo pipefail
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
pick() {
  local best="" best_v=0 d v
  for d in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d"); v=${v%%.*}
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  echo "$best"
}
jdk=$(pick)
if [ -z "$jdk" ] && [ "${1:-}" = --install ]; then
  echo "no JDK >= 21 found; installing one from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openjdk-21-jdk-headless >/dev/null 2>&1 || apt-get install -y -qq openjdk-25-jdk-headless >/dev/null
  jdk=$(pick)
fi
[ -n "$jdk" ] || {
  echo "no JDK 21+ available: this distribution packages none (Debian 12 ships 17; Debian 13 and Ubuntu 24.04 ship" >&2
  echo "openjdk-21-jdk-headless). Install a JDK 21+ (Temurin, for example) under /usr/lib/jvm or set JAVA_HOME." >&2
  exit 1
}
echo "$jdk"
