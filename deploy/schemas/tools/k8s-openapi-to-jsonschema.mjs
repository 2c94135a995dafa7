#!/usr/bin/env node
// Converts the Kubernetes OpenAPI definitions (components.schemas of an OpenAPI 3 document, or definitions of a
// Swagger 2 one) into one strict JSON Schema (draft-07) file plus an apiVersion/kind -> definition index.
//
//   node k8s-openapi-to-jsonschema.mjs <openapi.json | openapi.json.gz> <out-dir>
//     writes <out-dir>/kubernetes-strict.json  {"$id":"kubernetes-strict.json","definitions":{...}}
//            <out-dir>/kinds.json              {"apps/v1/Deployment":"io.k8s.api.apps.v1.Deployment", ...}
//
// The rules are those of openapi2jsonschema --kubernetes --strict (the generator behind the
// instrumenta/yannh "kubernetes-json-schema" sets used by kubeval/kubeconform):
//   - every object schema that declares properties and no additionalProperties gets
//     "additionalProperties": false, so a misspelt field is an error (kubectl's strict field validation);
//     free-form objects (RawExtension, FieldsV1, JSON, ...) stay open;
//   - IntOrString accepts a string or an integer; Quantity a string or a number (the API server accepts both);
//   - apiVersion/kind of a top-level kind are pinned to the values in x-kubernetes-group-version-kind;
//   - descriptions and x-kubernetes-* annotations are dropped (size); any other unknown keyword aborts.
// Deterministic: the same input gives byte-identical output, which scripts/validate-deploy.sh checks.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const [src, outDir] = process.argv.slice(2);
if (!src || !outDir) {
  console.error('usage: k8s-openapi-to-jsonschema.mjs <openapi.json[.gz]> <out-dir>');
  process.exit(2);
}
let raw = readFileSync(src);
if (src.endsWith('.gz')) raw = gunzipSync(raw);
const doc = JSON.parse(raw.toString('utf8'));
const defs = doc.components?.schemas ?? doc.definitions;
if (!defs) throw new Error(`${src}: neither components.schemas nor definitions`);
const REF_PREFIXES = ['#/components/schemas/', '#/definitions/'];

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = { oneOf: [{ type: 'string' }, { type: 'number' }] };
const SPECIAL = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': INT_OR_STRING,
  'io.k8s.apimachinery.pkg.api.resource.Quantity': QUANTITY,
};
const COPY = new Set(['type', 'format', 'enum', 'required', 'minimum', 'maximum', 'pattern', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'uniqueItems']);
const DROP = new Set(['description', 'example', 'default', 'readOnly']);

function convert(node, where) {
  if (node === true || node === false) return node;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error(`${where}: not a schema`);
  if (node.$ref) {
    const p = REF_PREFIXES.find((x) => node.$ref.startsWith(x));
    if (!p) throw new Error(`${where}: unsupported $ref ${node.$ref}`);
    return { $ref: `#/definitions/${node.$ref.slice(p.length)}` };
  }
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string']) return structuredClone(INT_OR_STRING);
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (COPY.has(k)) out[k] = structuredClone(v);
    else if (k === 'properties') {
      out.properties = {};
      for (const [pk, pv] of Object.entries(v)) out.properties[pk] = convert(pv, `${where}.${pk}`);
    } else if (k === 'items') out.items = convert(v, `${where}[]`);
    else if (k === 'additionalProperties') out.additionalProperties = convert(v, `${where}{}`);
    else if (k === 'allOf' || k === 'oneOf' || k === 'anyOf') out[k] = v.map((x, i) => convert(x, `${where}/${k}${i}`));
    else if (DROP.has(k) || k.startsWith('x-')) continue;
    else throw new Error(`${where}: unknown keyword '${k}'`);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const definitions = {};
const kinds = {};
for (const [name, schema] of Object.entries(defs)) {
  if (SPECIAL[name]) {
    definitions[name] = structuredClone(SPECIAL[name]);
    continue;
  }
  const d = convert(schema, name);
  const gvks = schema['x-kubernetes-group-version-kind'] ?? [];
  if (gvks.length && d.properties?.apiVersion && d.properties?.kind) {
    const apiVersions = [...new Set(gvks.map((g) => (g.group ? `${g.group}/${g.version}` : g.version)))];
    const kindNames = [...new Set(gvks.map((g) => g.kind))];
    d.properties.apiVersion = { type: 'string', enum: apiVersions };
    d.properties.kind = { type: 'string', enum: kindNames };
    // A definition with exactly one GVK is that kind's schema (shared helper types such as DeleteOptions or
    // WatchEvent carry one GVK per API group and are not manifests).
    if (gvks.length === 1) {
      const key = `${apiVersions[0]}/${kindNames[0]}`;
      if (kinds[key]) throw new Error(`two definitions for ${key}: ${kinds[key]} and ${name}`);
      kinds[key] = name;
    }
  }
  definitions[name] = d;
}

const info = doc.info ?? {};
const out = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'kubernetes-strict.json',
  title: `Kubernetes object schemas, strict (additionalProperties: false), from ${info.title ?? 'Kubernetes'} OpenAPI ${info.version ?? ''}`.trim(),
  definitions,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'kubernetes-strict.json'), JSON.stringify(out, null, 1) + '\n');
writeFileSync(join(outDir, 'kinds.json'), JSON.stringify(Object.fromEntries(Object.entries(kinds).sort()), null, 1) + '\n');
console.error(`k8s-openapi-to-jsonschema: ${Object.keys(definitions).length} definitions, ${Object.keys(kinds).length} kinds -> ${outDir}`);
