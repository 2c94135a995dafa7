#!/usr/bin/env node
// adsync-specific deployment rules that a JSON schema cannot express (driven by scripts/validate-deploy.sh).
//
//   node checks.mjs k8s <rendered.yaml>
//       probes on /q/health/live|ready at the management port (Prometheus scrapes it too; no Service exposes it),
//       resources, non-root security contexts, the worker's
//       termination grace vs. its shutdown settings, job-server name from the pod name, references between
//       objects (Secret/ConfigMap keys, Service/PDB/HPA selectors and targets).
//   node checks.mjs compose <docker-compose.yml> <env-file>
//       the demo stack's wiring (health-gated depends_on, scalable workers, stop grace, no literal secrets) and
//       the env file's demo secrets (encryption key = base64 of 32 bytes, admin key hash listed in ADSYNC_API_KEYS).
//   node checks.mjs dockerfiles <docker-compose.yml> [<Dockerfile> <context>]...
//       every Dockerfile built by the compose file (plus the extra pairs): lint (dockerfile-utils), each COPY/ADD
//       source exists in the build context and is not excluded by the ignore file, app images run as non-root,
//       no secret is baked in with ENV/ARG.
// Prints one line per rule; exits 1 if any rule fails.
import { readFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validate as lintDockerfile } from 'dockerfile-utils';

let failures = 0;
const ok = (msg) => console.log(`  ok   ${msg}`);
const fail = (msg) => { failures++; console.log(`  FAIL ${msg}`); };
const check = (cond, msg, why = '') => (cond ? ok(msg) : fail(why ? `${msg}: ${why}` : msg));

function loadYaml(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true, uniqueKeys: true })
    .map((d) => {
      if (d.errors?.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((x) => x != null);
}

function seconds(duration) { // Quarkus/Go style: 30s, 1m, 1m30s, 500ms, plain number = seconds
  const s = String(duration).trim();
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let m;
  let consumed = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== s.length || !s) throw new Error(`cannot parse duration '${duration}'`);
  return total;
}

// ---- Kubernetes --------------------------------------------------------------------------------------------
function k8s(file) {
  const objs = loadYaml(file);
  const find = (kind, name) => objs.find((o) => o.kind === kind && o.metadata?.name === name);
  const deployments = objs.filter((o) => o.kind === 'Deployment');
  // http: the API port (null: none); management: health and metrics (quarkus.management.port)
  const expected = { 'adsync-api': { http: 8080, management: 9000 }, 'adsync-worker': { http: null, management: 9090 } };
  for (const name of Object.keys(expected)) check(find('Deployment', name), `Deployment ${name} exists`);

  for (const d of deployments) {
    const name = d.metadata.name;
    const pod = d.spec.template.spec;
    const labels = d.spec.template.metadata?.labels ?? {};
    const sel = d.spec.selector?.matchLabels ?? {};
    check(Object.entries(sel).every(([k, v]) => labels[k] === v), `${name}: selector matches the pod template labels`);
    check(pod.securityContext?.runAsNonRoot === true && Number(pod.securityContext?.runAsUser) > 0,
      `${name}: pod runs as non-root (runAsNonRoot, runAsUser ${pod.securityContext?.runAsUser})`);
    check(pod.automountServiceAccountToken === false, `${name}: no service account token mounted`);
    for (const c of pod.containers) {
      const id = `${name}/${c.name}`;
      const sc = c.securityContext ?? {};
      check(sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true
        && (sc.capabilities?.drop ?? []).includes('ALL'), `${id}: no privilege escalation, read-only root, drops ALL capabilities`);
      const r = c.resources ?? {};
      check(r.requests?.cpu && r.requests?.memory && r.limits?.memory && r.limits?.cpu,
        `${id}: cpu/memory requests and limits set`);
      const ports = expected[name];
      if (ports) {
        const http = (c.ports ?? []).find((p) => p.name === 'http');
        check((http?.containerPort ?? null) === ports.http, `${id}: container port http = ${ports.http ?? '(none)'}`, `found ${http?.containerPort}`);
        const mgmt = (c.ports ?? []).find((p) => p.name === 'management');
        const port = ports.management;
        check(mgmt?.containerPort === port, `${id}: container port management = ${port}`, `found ${mgmt?.containerPort}`);
        const probeOk = (p, path) => p?.httpGet?.path === path && (p.httpGet.port === 'management' || p.httpGet.port === port);
        check(probeOk(c.livenessProbe, '/q/health/live'), `${id}: livenessProbe GET /q/health/live on :${port}`);
        check(probeOk(c.readinessProbe, '/q/health/ready'), `${id}: readinessProbe GET /q/health/ready on :${port}`);
        check(!c.startupProbe || probeOk(c.startupProbe, '/q/health/live') || probeOk(c.startupProbe, '/q/health/started'),
          `${id}: startupProbe on a health endpoint on :${port}`);
        const ann = d.spec.template.metadata?.annotations ?? {};
        check(ann['prometheus.io/scrape'] === 'true' && ann['prometheus.io/port'] === String(port) && ann['prometheus.io/path'] === '/q/metrics',
          `${id}: Prometheus scrapes /q/metrics on :${port}`,
          `found ${ann['prometheus.io/scrape']} :${ann['prometheus.io/port']}${ann['prometheus.io/path'] ?? ''}`);
      }
      // every secretKeyRef / configMapRef points at an existing object and key
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s) {
          const sec = find('Secret', s.name);
          const keys = { ...(sec?.data ?? {}), ...(sec?.stringData ?? {}) };
          check(sec && Object.hasOwn(keys, s.key), `${id}: env ${e.name} <- Secret ${s.name}/${s.key} exists`);
        }
      }
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef) check(find('ConfigMap', ef.configMapRef.name), `${id}: envFrom ConfigMap ${ef.configMapRef.name} exists`);
        if (ef.secretRef) check(find('Secret', ef.secretRef.name), `${id}: envFrom Secret ${ef.secretRef.name} exists`);
      }
    }
  }

  const worker = find('Deployment', 'adsync-worker');
  if (worker) {
    const pod = worker.spec.template.spec;
    const c = pod.containers[0];
    const serverName = (c.env ?? []).find((e) => e.name === 'ADSYNC_WORKER_SERVER_NAME');
    check(serverName?.valueFrom?.fieldRef?.fieldPath === 'metadata.name',
      'adsync-worker: ADSYNC_WORKER_SERVER_NAME = pod name (downward API metadata.name)');
    const cfg = {};
    for (const ef of c.envFrom ?? []) Object.assign(cfg, find('ConfigMap', ef.configMapRef?.name)?.data ?? {});
    for (const e of c.env ?? []) if (e.value !== undefined) cfg[e.name] = e.value;
    const grace = seconds(cfg.ADSYNC_WORKER_SHUTDOWN_GRACE ?? '30s');
    const quarkus = seconds(cfg.QUARKUS_SHUTDOWN_TIMEOUT ?? '40s');
    const tgps = pod.terminationGracePeriodSeconds ?? 30;
    check(grace < quarkus && quarkus < tgps,
      `adsync-worker: shutdown-grace ${grace}s < quarkus.shutdown.timeout ${quarkus}s < terminationGracePeriodSeconds ${tgps}s`);
    check(worker.spec.replicas === undefined, 'adsync-worker: replicas left to the HPA (no spec.replicas)');
  }

  for (const svc of objs.filter((o) => o.kind === 'Service')) {
    const sel = svc.spec.selector ?? {};
    const target = deployments.find((d) => Object.entries(sel).every(([k, v]) => d.spec.template.metadata?.labels?.[k] === v));
    check(target, `Service ${svc.metadata.name}: selector matches Deployment ${target?.metadata.name ?? '(none)'}`);
    for (const p of svc.spec.ports ?? []) {
      const named = target?.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort));
      check(named, `Service ${svc.metadata.name}: port ${p.port} -> targetPort ${p.targetPort} exists in the pods`);
      // health and metrics need no key: they stay inside the pod network
      const mgmt = target?.spec.template.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === 'management');
      check(!mgmt || (p.targetPort !== 'management' && p.targetPort !== mgmt.containerPort && p.port !== mgmt.containerPort),
        `Service ${svc.metadata.name}: port ${p.port} does not expose the management port`);
    }
  }
  for (const pdb of objs.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const sel = pdb.spec.selector?.matchLabels ?? {};
    const target = deployments.find((d) => Object.entries(sel).every(([k, v]) => d.spec.template.metadata?.labels?.[k] === v));
    check(target, `PodDisruptionBudget ${pdb.metadata.name}: selects the pods of ${target?.metadata.name ?? '(none)'}`);
  }
  check(objs.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'adsync-worker'), 'PodDisruptionBudget for the workers exists');
  for (const hpa of objs.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const t = hpa.spec.scaleTargetRef;
    check(t.kind === 'Deployment' && find('Deployment', t.name), `HPA ${hpa.metadata.name}: targets existing Deployment ${t.name}`);
    check(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas >= hpa.spec.minReplicas,
      `HPA ${hpa.metadata.name}: ${hpa.spec.minReplicas}..${hpa.spec.maxReplicas} replicas`);
  }
  const secret = find('Secret', 'adsync-secrets');
  if (secret) {
    const values = Object.values(secret.stringData ?? {});
    check(values.every((v) => String(v).includes('REPLACE_ME')),
      'Secret adsync-secrets: only placeholder values are committed (REPLACE_ME)');
  }
}

// ---- Compose ----------------------------------------------------------------------------------------------
function parseEnv(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m && !line.trim().startsWith('#')) env[m[1]] = m[2].trim();
  }
  return env;
}

function compose(file, envFile) {
  const [doc] = loadYaml(file);
  const s = doc.services ?? {};
  const healthy = (svc, dep) => s[svc]?.depends_on?.[dep]?.condition === 'service_healthy';
  for (const name of ['postgres', 'samba-ad', 'api-service', 'sync-worker', 'bootstrap']) check(s[name], `service ${name} exists`);
  check(!('version' in doc), 'no obsolete top-level version key');
  for (const [name, svc] of Object.entries(s)) {
    if (name !== 'bootstrap') check(svc.healthcheck?.test, `${name}: has a healthcheck`);
  }
  check(healthy('api-service', 'postgres'), 'api-service waits for postgres to be healthy');
  check(healthy('sync-worker', 'postgres'), 'sync-worker waits for postgres to be healthy');
  check(healthy('bootstrap', 'api-service') && healthy('bootstrap', 'samba-ad'), 'bootstrap waits for a healthy API and DC');
  const w = s['sync-worker'] ?? {};
  check(!w.container_name && !w.ports && !w.hostname, 'sync-worker: no container_name/ports/hostname, so --scale works');
  check(Number(w.deploy?.replicas) === 2, 'sync-worker: deploy.replicas 2');
  check(!Object.hasOwn(w.environment ?? {}, 'ADSYNC_WORKER_SERVER_NAME'), 'sync-worker: job-server name defaults to the container hostname');
  check(seconds(w.stop_grace_period ?? '10s') > 40, `sync-worker: stop_grace_period ${w.stop_grace_period} exceeds the 40s Quarkus shutdown`);
  check(/^127\.0\.0\.1:/.test(String(s['api-service']?.ports?.[0] ?? '')), 'api-service: published on 127.0.0.1 only');
  // health and metrics are on the management port (no key): health-checked inside the container, never published
  check((s['api-service']?.ports ?? []).length === 1 && /:8080$/.test(String(s['api-service'].ports[0])),
    'api-service: only the API port 8080 is published (not the management port 9000)');
  const probes = (svc, port) => JSON.stringify(s[svc]?.healthcheck?.test ?? []) === JSON.stringify(['CMD', 'http-health', port, '/q/health/ready']);
  check(probes('api-service', '9000'), 'api-service: healthcheck GET /q/health/ready on the management port 9000');
  check(probes('sync-worker', '9090'), 'sync-worker: healthcheck GET /q/health/ready on the management port 9090');
  check((s.bootstrap?.volumes ?? []).some((v) => String(v).endsWith(':ro') && String(v).startsWith('samba-ca:')),
    'bootstrap reads the DC CA certificate from the shared samba-ca volume (read-only)');
  check(s.bootstrap?.environment?.AD_SECURITY === 'LDAPS', 'bootstrap registers the domain with LDAPS');
  // secrets only by interpolation, never literal
  const secretish = /PASSWORD|ENCRYPTION_KEY|API_KEYS|ADMIN_KEY/;
  for (const [name, svc] of Object.entries(s)) {
    for (const [k, v] of Object.entries(svc.environment ?? {})) {
      if (secretish.test(k)) check(/^\$\{[A-Z_]+:\?[^}]*\}$/.test(String(v)), `${name}: ${k} comes from .env (\${VAR:?})`, `found '${v}'`);
    }
  }
  const env = parseEnv(envFile);
  let key = null;
  try { key = Buffer.from(env.ADSYNC_ENCRYPTION_KEY ?? '', 'base64'); } catch { /* reported below */ }
  check(key?.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(env.ADSYNC_ENCRYPTION_KEY ?? ''),
    `${envFile}: ADSYNC_ENCRYPTION_KEY is base64 of 32 bytes`);
  const hash = createHash('sha256').update(env.ADSYNC_ADMIN_KEY ?? '').digest('hex');
  check((env.ADSYNC_API_KEYS ?? '').split(',').includes(`admin:${hash}`),
    `${envFile}: ADSYNC_API_KEYS lists admin:sha256(ADSYNC_ADMIN_KEY)`);
  check(/demo/i.test(readFileSync(envFile, 'utf8').split('\n').slice(0, 6).join('\n')),
    `${envFile}: says its values are for the demo only`);
}

// ---- Dockerfiles ------------------------------------------------------------------------------------------
function globRe(p) {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      if (p[i + 2] === '/') { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i += 1; }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// Docker's .dockerignore semantics: the last matching pattern wins; a pattern also matches everything below a
// matching directory; "!pattern" re-includes.
function ignoreMatcher(file) {
  if (!file || !existsSync(file)) return () => false;
  const rules = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const neg = l.startsWith('!');
      const p = (neg ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { neg, re: globRe(p) };
    });
  return (path) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const r of rules) if (prefixes.some((p) => r.re.test(p))) excluded = !r.neg;
    return excluded;
  };
}

function filesUnder(abs) {
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { withFileTypes: true }).flatMap((e) => filesUnder(join(abs, e.name)));
}

function instructions(text) {
  const out = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    if (!cur && (/^\s*#/.test(raw) || !raw.trim())) continue;
    if (/\\\s*$/.test(raw)) { cur += raw.replace(/\\\s*$/, ' '); continue; }
    cur += raw;
    const m = /^\s*(\w+)\s+(.*)$/s.exec(cur);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim() });
    cur = '';
  }
  return out;
}

function dockerfile(dockerfilePath, contextDir, role) {
  const rel = relative(process.cwd(), dockerfilePath);
  const text = readFileSync(dockerfilePath, 'utf8');
  const lint = lintDockerfile(text);
  check(lint.length === 0, `${rel}: lint (dockerfile-utils)`,
    lint.map((d) => `line ${d.range.start.line + 1}: ${d.message}`).join('; '));
  const ignoreFile = existsSync(`${dockerfilePath}.dockerignore`) ? `${dockerfilePath}.dockerignore` : join(contextDir, '.dockerignore');
  const excluded = ignoreMatcher(ignoreFile);
  const ins = instructions(text);
  for (const i of ins.filter((x) => x.keyword === 'COPY' || x.keyword === 'ADD')) {
    const words = i.args.startsWith('[') ? JSON.parse(i.args) : i.args.split(/\s+/);
    if (words.some((w) => w.startsWith('--from='))) continue;
    const srcs = words.filter((w) => !w.startsWith('--')).slice(0, -1);
    for (const src of srcs) {
      const abs = resolve(contextDir, src);
      if (!existsSync(abs)) {
        fail(`${rel}: ${i.keyword} ${src}: not found in context ${relative(process.cwd(), contextDir) || '.'}`);
        continue;
      }
      const files = filesUnder(abs).map((f) => relative(contextDir, f));
      const sent = files.filter((f) => !excluded(f));
      check(sent.length > 0 && (statSync(abs).isDirectory() || sent.length === files.length),
        `${rel}: ${i.keyword} ${src} is in the build context (${sent.length} file(s)${existsSync(ignoreFile) ? `, after ${relative(process.cwd(), ignoreFile)}` : ''})`,
        `excluded by ${ignoreFile}`);
    }
  }
  const users = ins.filter((x) => x.keyword === 'USER').map((x) => x.args);
  const lastUser = users.at(-1);
  if (role === 'app') {
    check(lastUser && !/^(0|root)(:|$)/.test(lastUser), `${rel}: runs as a non-root user (USER ${lastUser})`);
  }
  const baked = ins.filter((x) => (x.keyword === 'ENV' || x.keyword === 'ARG')
    && /(PASSWORD|ENCRYPTION_KEY|API_KEYS|ADMIN_KEY|SECRET)\s*=/.test(x.args));
  check(baked.length === 0, `${rel}: no secrets in ENV/ARG`, baked.map((b) => `${b.keyword} ${b.args}`).join('; '));
}

function dockerfiles(composeFile, extra) {
  const [doc = {}] = loadYaml(composeFile);
  const base = dirname(resolve(composeFile));
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    if (!svc.build) continue;
    const ctx = resolve(base, typeof svc.build === 'string' ? svc.build : svc.build.context ?? '.');
    const df = resolve(ctx, svc.build.dockerfile ?? 'Dockerfile');
    if (!existsSync(df)) { fail(`${name}: Dockerfile ${df} not found`); continue; }
    dockerfile(df, ctx, name === 'api-service' || name === 'sync-worker' || name === 'bootstrap' ? 'app' : 'other');
  }
  for (let i = 0; i + 1 < extra.length; i += 2) dockerfile(resolve(extra[i]), resolve(extra[i + 1]), 'app');
}

const [mode, ...args] = process.argv.slice(2);
try {
  if (mode === 'k8s' && args[0]) k8s(args[0]);
  else if (mode === 'compose' && args[1]) compose(args[0], args[1]);
  else if (mode === 'dockerfiles' && args[0]) dockerfiles(args[0], args.slice(1));
  else {
    console.error('usage: checks.mjs k8s <rendered.yaml> | compose <compose.yml> <env-file> | dockerfiles <compose.yml> [<Dockerfile> <context>]...');
    process.exit(2);
  }
} catch (e) {
  fail(`${mode}: ${e.message}`);
}
process.exit(failures ? 1 : 0);
