#!/usr/bin/env node
// Offline JSON-schema validation for adsync's deployment files (driven by scripts/validate-deploy.sh).
//
//   node validate.mjs k8s <rendered.yaml> [label]
//       every document of a multi-document YAML stream (e.g. `kubectl kustomize` output) is validated against the
//       strict Kubernetes schema of its apiVersion/kind (../kubernetes/kubernetes-strict.json, index kinds.json);
//       an unknown apiVersion/kind is an error, not a skip.
//   node validate.mjs compose <docker-compose.yml> [--env-file FILE]
//       the file as written, and (with --env-file) again after Compose-style ${VAR} interpolation with the
//       variables of FILE (a ${VAR:?} / ${VAR?} that FILE does not define is an error), against the
//       compose-spec schema (../compose/compose-spec.json).
//   node validate.mjs strictness <schema.json>
//       fails if any object schema with properties accepts unknown fields.
//
// Prints one line per checked object; exits 1 if anything is invalid, 2 on usage errors.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const schemasDir = join(here, '..');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

function newAjv() {
  const ajv = new Ajv({
    allErrors: true,
    // strictSchema: unknown keywords in a schema are errors. strictTypes/Tuples/Required only lint how a schema
    // is written (compose-spec.json does not pass them) and do not change what validates.
    strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allowUnionTypes: true,
  });
  addFormats(ajv);
  // compose-spec.json names its meta-schema "https://json-schema.org/draft-07/schema": the same draft-07 that Ajv
  // knows as "http://json-schema.org/draft-07/schema".
  const draft7 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json');
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  // OpenAPI numeric formats used by the Kubernetes definitions.
  const intRange = (bits) => (n) => Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n <= 2 ** (bits - 1) - 1;
  ajv.addFormat('int32', { type: 'number', validate: intRange(32) });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isSafeInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n) => Number.isFinite(n) });
  ajv.addFormat('float', { type: 'number', validate: (n) => Number.isFinite(n) });
  return ajv;
}

function parseYamlStream(text, file) {
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  const out = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors?.length) throw new Error(`${file}: YAML error: ${d.errors.map((e) => e.message).join('; ')}`);
    const v = d.toJS({ maxAliasCount: 100 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function formatErrors(errors) {
  return errors.map((e) => {
    const at = e.instancePath || '(root)';
    if (e.keyword === 'additionalProperties') return `${at}: unknown field '${e.params.additionalProperty}'`;
    if (e.keyword === 'enum') return `${at}: ${e.message}: ${JSON.stringify(e.params.allowedValues)}`;
    return `${at}: ${e.message}`;
  });
}

// oneOf/anyOf failures repeat every branch's complaint; keep the messages unique and readable.
const uniq = (xs) => [...new Set(xs)];

function validateK8s(file, label) {
  const ajv = newAjv();
  ajv.addSchema(readJson(join(schemasDir, 'kubernetes', 'kubernetes-strict.json')));
  const kinds = readJson(join(schemasDir, 'kubernetes', 'kinds.json'));
  const docs = parseYamlStream(readFileSync(file, 'utf8'), file);
  let bad = 0;
  if (docs.length === 0) {
    console.log(`  FAIL ${label}: no Kubernetes objects found`);
    return 1;
  }
  const cache = new Map();
  for (const [i, obj] of docs.entries()) {
    const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? `#${i}`}`;
    const key = `${obj?.apiVersion}/${obj?.kind}`;
    const def = kinds[key];
    if (!def) {
      console.log(`  FAIL ${label} ${id}: no schema for apiVersion/kind '${obj?.apiVersion}' / '${obj?.kind}'`);
      bad++;
      continue;
    }
    if (!cache.has(def)) cache.set(def, ajv.compile({ $ref: `kubernetes-strict.json#/definitions/${def}` }));
    const validate = cache.get(def);
    if (validate(obj)) {
      console.log(`  ok   ${label} ${id} (${obj.apiVersion}, ${def})`);
    } else {
      bad++;
      console.log(`  FAIL ${label} ${id} (${obj.apiVersion}):`);
      for (const m of uniq(formatErrors(validate.errors))) console.log(`         ${m}`);
    }
  }
  return bad ? 1 : 0;
}

// --- Compose -------------------------------------------------------------------------------------------------
function parseEnvFile(file) {
  const env = {};
  for (const [n, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (!m) throw new Error(`${file}:${n + 1}: not VAR=value`);
    let v = m[2];
    if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    else if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$])/g, '$1').replace(/\\n/g, '\n');
    else v = v.replace(/\s+#.*$/, '');
    env[m[1]] = v;
  }
  return env;
}

// Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:+a}, ${VAR+a}, ${VAR:?e}, ${VAR?e}.
function interpolate(value, env, problems, path) {
  if (typeof value === 'string') {
    return value.replace(/\$(\$|[A-Za-z_][A-Za-z0-9_]*|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\})/g,
      (all, simple, name, op, arg) => {
        if (simple === '$') return '$';
        if (!name) name = simple;
        const set = Object.hasOwn(env, name);
        const nonEmpty = set && env[name] !== '';
        switch (op) {
          case undefined: return set ? env[name] : '';
          case ':-': return nonEmpty ? env[name] : interpolate(arg, env, problems, path);
          case '-': return set ? env[name] : interpolate(arg, env, problems, path);
          case ':+': return nonEmpty ? interpolate(arg, env, problems, path) : '';
          case '+': return set ? interpolate(arg, env, problems, path) : '';
          case ':?':
          case '?':
            if (op === ':?' ? nonEmpty : set) return env[name];
            problems.push(`${path}: required variable ${name} is not set (${arg || 'no message'})`);
            return '';
          default: return all;
        }
      });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, problems, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, problems, `${path}/${k}`)]));
  }
  return value;
}

function validateCompose(file, envFile) {
  const ajv = newAjv();
  const validate = ajv.compile(readJson(join(schemasDir, 'compose', 'compose-spec.json')));
  const docs = parseYamlStream(readFileSync(file, 'utf8'), file);
  if (docs.length !== 1) {
    console.log(`  FAIL ${file}: expected exactly one YAML document, found ${docs.length}`);
    return 1;
  }
  let bad = 0;
  const check = (doc, what) => {
    if (validate(doc)) {
      console.log(`  ok   ${what}: ${Object.keys(doc.services ?? {}).length} services (${Object.keys(doc.services ?? {}).join(', ')})`);
    } else {
      bad++;
      console.log(`  FAIL ${what}:`);
      for (const m of uniq(formatErrors(validate.errors))) console.log(`         ${m}`);
    }
  };
  check(docs[0], `${file} (as written)`);
  if (envFile) {
    const problems = [];
    const resolved = interpolate(docs[0], parseEnvFile(envFile), problems, '');
    if (problems.length) {
      bad++;
      console.log(`  FAIL ${file} interpolated with ${envFile}:`);
      for (const p of problems) console.log(`         ${p}`);
    }
    check(resolved, `${file} (interpolated with ${envFile})`);
  }
  return bad ? 1 : 0;
}

// Every object schema that declares properties must close itself (additionalProperties false, or a schema for
// map values, as the Kubernetes definitions do for e.g. labels). Walks schema positions only.
function strictness(file) {
  const root = readJson(file);
  let closed = 0;
  const open = [];
  const walk = (n, at) => {
    if (!n || typeof n !== 'object') return;
    if (n.properties) {
      if (n.additionalProperties === undefined || n.additionalProperties === true) open.push(at);
      else closed++;
      for (const [k, v] of Object.entries(n.properties)) walk(v, `${at}.${k}`);
    }
    if (n.items) walk(n.items, `${at}[]`);
    if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${at}{}`);
    for (const k of ['oneOf', 'anyOf', 'allOf']) (n[k] ?? []).forEach((x, i) => walk(x, `${at}/${k}${i}`));
  };
  for (const [name, d] of Object.entries(root.definitions ?? {})) walk(d, name);
  console.log(`  ${open.length ? 'FAIL' : 'ok  '} strict: ${closed} object schemas with properties reject unknown fields, ${open.length} do not${open.length ? ': ' + open.slice(0, 5).join(', ') : ''}`);
  return open.length ? 1 : 0;
}

const [mode, file, ...rest] = process.argv.slice(2);
try {
  if (mode === 'strictness' && file) process.exit(strictness(file));
  if (mode === 'k8s' && file) process.exit(validateK8s(file, rest[0] ?? file));
  if (mode === 'compose' && file) {
    const i = rest.indexOf('--env-file');
    process.exit(validateCompose(file, i >= 0 ? rest[i + 1] : undefined));
  }
} catch (e) {
  console.log(`  FAIL ${file}: ${e.message}`);
  process.exit(1);
}
console.error('usage: validate.mjs k8s <rendered.yaml> [label] | compose <docker-compose.yml> [--env-file FILE]');
process.exit(2);
