#!/usr/bin/env bash
# Offline validation of adsync's deployment files. Exits non-zero on any problem.
#
#   scripts/validate-deploy.sh
#
#  1. validator dependencies: npm ci into deploy/schemas/tools/node_modules (git-ignored; only if missing/stale)
#  2. vendored schemas: upstream files match SHA256SUMS; the strict Kubernetes schema regenerates identically
#  3. Kubernetes: render deploy/kubernetes with kustomize (kubectl kustomize, or kustomize build), validate every
#     rendered object against the strict Kubernetes schema, then adsync's own rules (checks.mjs k8s)
#  4. Compose: docker-compose.yml against the compose-spec schema, as written and interpolated with .env.example,
#     then adsync's own rules (checks.mjs compose)
#  5. Dockerfiles: lint, COPY sources present in their build contexts, non-root, no baked-in secrets
#  6. shell scripts: bash -n / sh -n (and shellcheck when installed)
#  7. self-test, always: deliberately broken copies (typo'd field, wrong type, unknown kind, bad Dockerfile) must
#     be REJECTED, with the expected message; a broken copy that passes fails the run
# Needs: node >= 18 + npm (npm only for step 1), kubectl or kustomize, gzip, sha256sum. No cluster, no Docker.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS=deploy/schemas/tools
SCHEMAS=deploy/schemas
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }
die() { printf 'validate-deploy: ERROR: %s\n' "$*" >&2; exit 1; }
problems=0
run() { # run DESCRIPTION CMD...: prints the command's own report; counts a failure instead of exiting
  local desc=$1; shift
  if "$@"; then printf '  -> %s: passed\n' "$desc"; else printf '  -> %s: FAILED\n' "$desc"; problems=$((problems + 1)); fi
}

# ---- 0. prerequisites -------------------------------------------------------------------------------------
command -v node >/dev/null || die "node (>= 18) is required"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' || die "node >= 18 is required (have $(node --version))"
if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
  render() { kubectl kustomize "$1"; }
  renderer="kubectl kustomize ($(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p'))"
elif command -v kustomize >/dev/null; then
  render() { kustomize build "$1"; }
  renderer="kustomize build ($(kustomize version 2>/dev/null))"
else
  die "kubectl (with kustomize) or kustomize is required to render deploy/kubernetes"
fi

# ---- 1. validator dependencies ----------------------------------------------------------------------------
step "validator dependencies ($TOOLS)"
lock_sum=$(sha256sum "$TOOLS/package-lock.json" | cut -d' ' -f1)
if [[ -f $TOOLS/node_modules/.adsync-lock && $(cat "$TOOLS/node_modules/.adsync-lock") == "$lock_sum" ]]; then
  echo "  ok   node_modules matches package-lock.json"
else
  command -v npm >/dev/null || die "npm is required to install the validator's dependencies"
  npm ci --prefix "$TOOLS" --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$TOOLS/node_modules/.adsync-lock"
  echo "  ok   npm ci ($(node -p "Object.entries(require('./$TOOLS/package.json').dependencies).map(([k, v]) => k + '@' + v).join(', ')"))"
fi

# ---- 2. vendored schemas ----------------------------------------------------------------------------------
step "vendored schemas ($SCHEMAS)"
check_sum() { # expected file description
  local got; got=$("${@:3}" | sha256sum | cut -d' ' -f1)
  if [[ $got == "$1" ]]; then echo "  ok   $2 sha256 $got"; else echo "  FAIL $2: sha256 $got, SHA256SUMS says $1"; return 1; fi
}
verify_schemas() {
  local rc=0 sum file
  while read -r sum file; do
    case $file in
      *.openapi.json) check_sum "$sum" "$file (uncompressed from $file.gz)" gzip -dc "$SCHEMAS/$file.gz" || rc=1 ;;
      *) check_sum "$sum" "$file" cat "$SCHEMAS/$file" || rc=1 ;;
    esac
  done <"$SCHEMAS/SHA256SUMS"
  node "$TOOLS/k8s-openapi-to-jsonschema.mjs" "$SCHEMAS/kubernetes/kubernetes.io.openapi.json.gz" "$tmp/regen" 2>/dev/null
  for file in kubernetes-strict.json kinds.json; do
    if cmp -s "$tmp/regen/$file" "$SCHEMAS/kubernetes/$file"; then
      echo "  ok   kubernetes/$file is exactly what k8s-openapi-to-jsonschema.mjs generates"
    else
      echo "  FAIL kubernetes/$file differs from the generated one (edited by hand? run $TOOLS/k8s-openapi-to-jsonschema.mjs)"
      rc=1
    fi
  done
  node "$TOOLS/validate.mjs" strictness "$SCHEMAS/kubernetes/kubernetes-strict.json" || rc=1
  return $rc
}
run "schema provenance" verify_schemas

# ---- 3. Kubernetes ----------------------------------------------------------------------------------------
step "Kubernetes: render deploy/kubernetes with $renderer"
render deploy/kubernetes >"$tmp/rendered.yaml" || die "kustomize could not render deploy/kubernetes"
echo "  ok   rendered $(grep -c '^kind: ' "$tmp/rendered.yaml") objects: $(grep '^kind: ' "$tmp/rendered.yaml" | cut -d' ' -f2 | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')"
step "Kubernetes: strict schema validation"
run "Kubernetes schema" node "$TOOLS/validate.mjs" k8s "$tmp/rendered.yaml" rendered
step "Kubernetes: adsync rules"
run "Kubernetes rules" node "$TOOLS/checks.mjs" k8s "$tmp/rendered.yaml"

# ---- 4. Compose -------------------------------------------------------------------------------------------
step "Compose: docker-compose.yml against the compose-spec schema"
run "compose schema" node "$TOOLS/validate.mjs" compose docker-compose.yml --env-file .env.example
step "Compose: adsync rules"
run "compose rules" node "$TOOLS/checks.mjs" compose docker-compose.yml .env.example

# ---- 5. Dockerfiles ---------------------------------------------------------------------------------------
step "Dockerfiles (those docker-compose.yml builds)"
run "Dockerfiles" node "$TOOLS/checks.mjs" dockerfiles docker-compose.yml

# ---- 6. shell scripts -------------------------------------------------------------------------------------
step "shell scripts"
lint_scripts() {
  local rc=0 f
  for f in scripts/validate-deploy.sh deploy/docker/http-health.sh deploy/docker/samba-ad/*.sh "$TOOLS"/*.sh; do
    if bash -n "$f"; then echo "  ok   bash -n $f"; else rc=1; fi
  done
  if sh -n deploy/docker/bootstrap.sh; then echo "  ok   sh -n deploy/docker/bootstrap.sh (POSIX sh: runs on alpine)"; else rc=1; fi
  if command -v shellcheck >/dev/null; then
    if shellcheck -x scripts/validate-deploy.sh deploy/docker/*.sh deploy/docker/samba-ad/*.sh "$TOOLS"/*.sh; then
      echo "  ok   shellcheck"
    else rc=1; fi
  else
    echo "  skip shellcheck (not installed)"
  fi
  return $rc
}
run "shell scripts" lint_scripts

# ---- 7. self-test: broken copies must be rejected ---------------------------------------------------------
step "self-test: deliberately broken copies must be rejected"
# expect_reject NAME EXPECTED-OUTPUT-SUBSTRING CMD...: the command must fail AND say why
expect_reject() {
  local name=$1 want=$2 out rc=0; shift 2
  out=$("$@" 2>&1) || rc=$?
  if ((rc == 0)); then
    echo "  FAIL $name: ACCEPTED, but it is broken"; printf '%s\n' "$out" | sed 's/^/         | /' | tail -n 5; return 1
  elif ! grep -qF -- "$want" <<<"$out"; then
    echo "  FAIL $name: rejected (exit $rc), but not with \"$want\":"; printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error' | sed 's/^/         | /' | head -n 5; return 1
  fi
  echo "  ok   $name: rejected ($(grep -F -- "$want" <<<"$out" | head -n1 | sed 's/^ *//'))"
}
# break_k8s NAME FILE SED-EXPR: a copy of deploy/kubernetes with one edit, rendered
break_k8s() {
  rm -rf "$tmp/k8s-$1"; cp -r deploy/kubernetes "$tmp/k8s-$1"
  sed -i "$3" "$tmp/k8s-$1/$2"
  cmp -s "deploy/kubernetes/$2" "$tmp/k8s-$1/$2" && { echo "  FAIL self-test $1: the edit changed nothing" >&2; return 1; }
  render "$tmp/k8s-$1" >"$tmp/k8s-$1.yaml"
}
break_compose() {
  sed "$2" docker-compose.yml >"$tmp/compose-$1.yml"
  cmp -s docker-compose.yml "$tmp/compose-$1.yml" && { echo "  FAIL self-test $1: the edit changed nothing" >&2; return 1; }
  return 0
}
self_test() {
  local rc=0
  # Kubernetes
  break_k8s typo api-deployment.yaml 's/^  replicas: 2$/  replicass: 2/' &&
    expect_reject "k8s: typo'd field (spec.replicass)" "/spec: unknown field 'replicass'" \
      node "$TOOLS/validate.mjs" k8s "$tmp/k8s-typo.yaml" typo || rc=1
  break_k8s type api-deployment.yaml 's/^  replicas: 2$/  replicas: "two"/' &&
    expect_reject "k8s: wrong type (replicas: \"two\")" "/spec/replicas: must be integer" \
      node "$TOOLS/validate.mjs" k8s "$tmp/k8s-type.yaml" type || rc=1
  break_k8s nested worker-deployment.yaml 's/^          readinessProbe:$/          readynessProbe:/' &&
    expect_reject "k8s: typo'd field deep in a container (readynessProbe)" "unknown field 'readynessProbe'" \
      node "$TOOLS/validate.mjs" k8s "$tmp/k8s-nested.yaml" nested || rc=1
  break_k8s port api-service.yaml 's/^      port: 8080$/      port: "8080"/' &&
    expect_reject "k8s: wrong type (Service port: \"8080\")" "/spec/ports/0/port: must be integer" \
      node "$TOOLS/validate.mjs" k8s "$tmp/k8s-port.yaml" port || rc=1
  break_k8s kind worker-hpa.yaml 's#^apiVersion: autoscaling/v2$#apiVersion: autoscaling/v9#' &&
    expect_reject "k8s: unknown apiVersion (autoscaling/v9)" "no schema for apiVersion/kind 'autoscaling/v9'" \
      node "$TOOLS/validate.mjs" k8s "$tmp/k8s-kind.yaml" kind || rc=1
  break_k8s grace worker-deployment.yaml 's/terminationGracePeriodSeconds: 60/terminationGracePeriodSeconds: 30/' &&
    expect_reject "k8s rules: worker grace period shorter than its shutdown" "terminationGracePeriodSeconds 30s" \
      node "$TOOLS/checks.mjs" k8s "$tmp/k8s-grace.yaml" || rc=1
  break_k8s mgmt api-service.yaml 's/^      targetPort: http$/      targetPort: management/' &&
    expect_reject "k8s rules: the Service exposes the management port (health, metrics without a key)" "does not expose the management port" \
      node "$TOOLS/checks.mjs" k8s "$tmp/k8s-mgmt.yaml" || rc=1
  # Compose
  break_compose typo 's/^    stop_grace_period: 60s$/    stop_grace_periode: 60s/' &&
    expect_reject "compose: typo'd field (stop_grace_periode)" "/services/sync-worker: unknown field 'stop_grace_periode'" \
      node "$TOOLS/validate.mjs" compose "$tmp/compose-typo.yml" || rc=1
  break_compose type 's/^      replicas: 2$/      replicas: true/' &&
    expect_reject "compose: wrong type (deploy.replicas: true)" "/services/sync-worker/deploy/replicas: must be integer,string" \
      node "$TOOLS/validate.mjs" compose "$tmp/compose-type.yml" || rc=1
  break_compose depends '/^  bootstrap:$/,/^    restart:/{s/^    depends_on:$/    depends_on: api-service\n    x-was-depends_on:/}' &&
    expect_reject "compose: wrong type (depends_on: a string)" "/services/bootstrap/depends_on: must be array" \
      node "$TOOLS/validate.mjs" compose "$tmp/compose-depends.yml" || rc=1
  # shellcheck disable=SC2016 # a literal ${...} for sed
  break_compose envvar 's/\${ADSYNC_API_KEYS:?/${ADSYNC_API_KEYZ:?/' &&
    expect_reject "compose: a required variable .env.example does not define" "required variable ADSYNC_API_KEYZ is not set" \
      node "$TOOLS/validate.mjs" compose "$tmp/compose-envvar.yml" --env-file .env.example || rc=1
  # a schema loosened by hand must be caught
  node -e 'const fs = require("fs"); const s = JSON.parse(fs.readFileSync(process.argv[1]));
    delete s.definitions["io.k8s.api.apps.v1.DeploymentSpec"].additionalProperties;
    fs.writeFileSync(process.argv[2], JSON.stringify(s));' "$SCHEMAS/kubernetes/kubernetes-strict.json" "$tmp/loose.json"
  expect_reject "schema: a Kubernetes definition that accepts unknown fields" "io.k8s.api.apps.v1.DeploymentSpec" \
    node "$TOOLS/validate.mjs" strictness "$tmp/loose.json" || rc=1
  # Dockerfile
  sed 's/^RUN groupadd/RUNN groupadd/' deploy/docker/api-service.Dockerfile >"$tmp/broken.Dockerfile"
  cp deploy/docker/api-service.Dockerfile.dockerignore "$tmp/broken.Dockerfile.dockerignore"
  expect_reject "Dockerfile: unknown instruction (RUNN)" "Unknown instruction: RUNN" \
    node "$TOOLS/checks.mjs" dockerfiles /dev/null "$tmp/broken.Dockerfile" . || rc=1
  sed 's#^COPY shared-model/src/ #COPY shared-modell/src/ #' deploy/docker/api-service.Dockerfile >"$tmp/missing.Dockerfile"
  cp deploy/docker/api-service.Dockerfile.dockerignore "$tmp/missing.Dockerfile.dockerignore"
  expect_reject "Dockerfile: COPY of a path missing from the context" "COPY shared-modell/src/: not found in context" \
    node "$TOOLS/checks.mjs" dockerfiles /dev/null "$tmp/missing.Dockerfile" . || rc=1
  return $rc
}
run "self-test" self_test

# ---- summary ----------------------------------------------------------------------------------------------
echo
if ((problems)); then
  echo "validate-deploy: $problems check group(s) FAILED"
  exit 1
fi
echo "validate-deploy: all checks passed (Kubernetes: $renderer + strict schema; Compose: compose-spec; self-test: broken copies rejected)"
