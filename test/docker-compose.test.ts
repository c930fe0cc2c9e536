import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_TASK_QUEUE, envSchema, loadConfig, workerEnvSchema } from '../lib/config';
import { SEARCH_ATTRIBUTES } from '../lib/dev/temporal-dev-server';
import { publicUrlProblem } from '../lib/public-url';

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is checked against the code it
 * deploys: every variable lib/config.ts requires is set, the values the user's .env fills in make
 * a configuration the service accepts, and the Temporal set-up registers what the workflows use.
 */

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: string | number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { source?: string; target: string })[];
  healthcheck?: { test: string | string[] };
  deploy?: { replicas?: number };
  container_name?: string;
  user?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string>; engines?: { node?: string } };

/** What a user's .env holds (see the comment at the top of docker-compose.yml). */
const userEnv: Env = {
  POSTGRES_PASSWORD: 'pg-superuser-password',
  APP_DB_PASSWORD: 'app-db-password',
  API_TOKEN: 'an-api-token-of-32-characters-xx',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  PUBLIC_URL: 'https://integrations.example.com',
};

/** Docker Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(value: string, vars: Env): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const key = (name ?? bare)!;
    const set = colon ? Boolean(vars[key]) : vars[key] !== undefined;
    if (op === '-') return set ? vars[key]! : arg!;
    if (op === '?') {
      if (!set) throw new Error(`required variable ${key} is missing a value: ${arg}`);
      return vars[key]!;
    }
    return vars[key] ?? '';
  });
}

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
const resolvedEnv = (service: Service, vars: Env = userEnv) => Object.fromEntries(Object.entries(environment(service)).map(([k, v]) => [k, interpolate(v, vars)]));

/** Keys the code cannot start without: parsing an absent value fails (no default, not optional). */
function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}
const defaultOf = (schema: z.ZodObject, key: string): unknown => (schema.shape[key] as z.ZodType).parse(undefined);

const commandLine = (c: string | string[] | undefined) => (Array.isArray(c) ? c.join(' ') : (c ?? ''));
const dependsOn = (service: Service): Record<string, string | undefined> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((s) => [s, undefined]))
    : Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([s, d]) => [s, d.condition]));
const containerPorts = (service: Service): number[] =>
  (service.ports ?? []).map((p) => (typeof p === 'string' ? Number(interpolate(p, userEnv).split(':').pop()!.split('/')[0]) : p.target));
const publishedPorts = (service: Service): number[] =>
  (service.ports ?? []).map((p) => (typeof p === 'string' ? Number(interpolate(p, userEnv).split(':').at(-2)) : Number(p.published)));

function service(name: string): Service {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"; it has ${Object.keys(compose.services).join(', ')}`);
  return s;
}

/** The one-shot admin-tools step(s) whose script registers search attributes. */
const searchAttributeSteps = Object.entries(compose.services).filter(
  ([, s]) => (s.image ?? '').startsWith('temporalio/admin-tools') && /search-attribute create/.test(commandLine(s.command) + commandLine(s.entrypoint)),
);

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal, its UI, the search-attribute step, the API and the workers', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'api', 'worker']) expect(compose.services).toHaveProperty([name]);
    expect(searchAttributeSteps).toHaveLength(1);
  });

  it('sets on the API every variable envSchema requires, and only variables the code reads', () => {
    const required = requiredKeys(envSchema);
    // A sanity check on the derivation itself: these have no default and are not optional.
    expect(required).toEqual(expect.arrayContaining(['API_TOKEN', 'DATABASE_URL', 'ENCRYPTION_KEYS']));
    const env = environment(service('api'));
    expect(Object.keys(env)).toEqual(expect.arrayContaining(required));
    // A renamed variable leaves the old name behind here: every key must be one the code reads.
    expect(Object.keys(env).filter((k) => !(k in envSchema.shape))).toEqual([]);
    // Temporal must not fall back to the in-process default (127.0.0.1 inside the container).
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE']));
  });

  it('sets on the workers every variable workerEnvSchema requires, and nothing only the API needs', () => {
    const required = requiredKeys(workerEnvSchema);
    expect(required).toEqual(expect.arrayContaining(['DATABASE_URL', 'ENCRYPTION_KEYS']));
    const env = environment(service('worker'));
    expect(Object.keys(env)).toEqual(expect.arrayContaining([...required, 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE']));
    expect(Object.keys(env).filter((k) => !(k in workerEnvSchema.shape))).toEqual([]);
    // Workers hold no API token: it is not theirs to leak.
    expect(env).not.toHaveProperty('API_TOKEN');
  });

  it('gives the API and the workers a configuration the service accepts once the .env is filled in', () => {
    const api = loadConfig(resolvedEnv(service('api')), envSchema);
    const worker = loadConfig(resolvedEnv(service('worker')), workerEnvSchema);
    for (const config of [api, worker]) {
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgresql');
      expect(config.TEMPORAL_ADDRESS.split(':')[0]).toBe('temporal');
      expect(config.TEMPORAL_ADDRESS.split(':')[1]).toBe('7233');
      expect(config.ENCRYPTION_KEYS[0]!.id).toBe('k1');
    }
    // The API and the workers meet on the same database, namespace and task queue, with the same keys.
    expect(worker.DATABASE_URL).toBe(api.DATABASE_URL);
    expect(worker.TEMPORAL_NAMESPACE).toBe(api.TEMPORAL_NAMESPACE);
    expect(worker.TEMPORAL_TASK_QUEUE).toBe(api.TEMPORAL_TASK_QUEUE);
    expect(worker.ENCRYPTION_KEYS).toEqual(api.ENCRYPTION_KEYS);
    expect(api.API_TOKEN).toBe(userEnv.API_TOKEN);
    expect(api.PORT).toBe(3000);
  });

  it('takes every secret from the .env and refuses to start without it', () => {
    const api = environment(service('api'));
    const worker = environment(service('worker'));
    const requiredVariable = /^\$\{(\w+):\?[^}]+\}$/;
    expect(api.API_TOKEN).toMatch(requiredVariable);
    expect(api.ENCRYPTION_KEYS).toMatch(requiredVariable);
    expect(worker.ENCRYPTION_KEYS).toMatch(requiredVariable);
    expect(api.DATABASE_URL).toMatch(/^postgres:\/\/(\$\{[^}]+\}|[^:@$]+):\$\{\w+:\?[^}]+\}@/);
    expect(environment(service('postgresql')).POSTGRES_PASSWORD).toMatch(requiredVariable);
    expect(environment(service('temporal')).POSTGRES_PWD).toMatch(requiredVariable);
    for (const secret of Object.keys(userEnv)) {
      const { [secret]: _omitted, ...partial } = userEnv;
      const resolveAll = () => Object.values(compose.services).forEach((s) => resolvedEnv(s, partial));
      expect(resolveAll).toThrow(new RegExp(`\\b${secret}\\b`));
    }
  });

  it('has no default PUBLIC_URL: the user sets a public https one, which the API accepts for sms-send', () => {
    const requiredVariable = /^\$\{PUBLIC_URL:\?[^}]+\}$/;
    expect(environment(service('api')).PUBLIC_URL).toMatch(requiredVariable);
    expect(environment(service('worker')).PUBLIC_URL).toMatch(requiredVariable);
    const { PUBLIC_URL: _unset, ...withoutIt } = userEnv;
    expect(() => resolvedEnv(service('api'), withoutIt)).toThrow(/\bPUBLIC_URL\b/);
    expect(() => resolvedEnv(service('worker'), withoutIt)).toThrow(/\bPUBLIC_URL\b/);
    const api = loadConfig(resolvedEnv(service('api')), envSchema);
    const worker = loadConfig(resolvedEnv(service('worker')), workerEnvSchema);
    expect(worker.PUBLIC_URL).toBe(api.PUBLIC_URL);
    expect(publicUrlProblem(api.PUBLIC_URL)).toBeNull();
    // What the old default was, and what a user might still write, is refused for sms-send.
    expect(publicUrlProblem('http://localhost:3000')).toMatch(/loopback/);
  });

  it('defaults the task queue and namespace to what the code defaults to, everywhere', () => {
    const unset: Env = { ...userEnv };
    const api = resolvedEnv(service('api'), unset);
    const worker = resolvedEnv(service('worker'), unset);
    expect(api.TEMPORAL_TASK_QUEUE).toBe(DEFAULT_TASK_QUEUE);
    expect(worker.TEMPORAL_TASK_QUEUE).toBe(DEFAULT_TASK_QUEUE);
    expect(defaultOf(envSchema, 'TEMPORAL_TASK_QUEUE')).toBe(DEFAULT_TASK_QUEUE);
    const namespace = defaultOf(envSchema, 'TEMPORAL_NAMESPACE');
    expect(api.TEMPORAL_NAMESPACE).toBe(namespace);
    expect(worker.TEMPORAL_NAMESPACE).toBe(namespace);
    // The search attributes are registered in the namespace the service uses.
    const [, setup] = searchAttributeSteps[0]!;
    expect(resolvedEnv(setup, unset).TEMPORAL_NAMESPACE).toBe(namespace);
    const custom = { ...userEnv, TEMPORAL_NAMESPACE: 'shop', TEMPORAL_TASK_QUEUE: 'q' };
    expect(resolvedEnv(setup, custom).TEMPORAL_NAMESPACE).toBe('shop');
    expect(resolvedEnv(service('api'), custom)).toMatchObject({ TEMPORAL_NAMESPACE: 'shop', TEMPORAL_TASK_QUEUE: 'q' });
    expect(resolvedEnv(service('worker'), custom)).toMatchObject({ TEMPORAL_NAMESPACE: 'shop', TEMPORAL_TASK_QUEUE: 'q' });
  });

  it('runs the API and the workers with the package.json scripts, from our own image', () => {
    for (const [name, script] of [['api', 'api'], ['worker', 'worker']] as const) {
      const s = service(name);
      expect(commandLine(s.command)).toBe(`npm run ${script}`);
      const body = packageJson.scripts[script];
      expect(body).toBeDefined();
      // The script's entry file exists (a renamed file would crash-loop the container).
      const entry = /tsx\s+(\S+\.ts)/.exec(body!)?.[1];
      expect(entry).toBeDefined();
      expect(fs.existsSync(path.join(root, entry!))).toBe(true);
      expect(s.build).toBeDefined();
    }
    expect(service('worker').image).toBe(service('api').image);
  });

  it('publishes the API port, matching PORT, and health-checks /healthz', () => {
    const api = service('api');
    const port = Number(resolvedEnv(api).PORT ?? defaultOf(envSchema, 'PORT'));
    expect(containerPorts(api)).toContain(port);
    expect(publishedPorts(api)).toContain(3000);
    expect(commandLine(api.healthcheck?.test)).toContain(`127.0.0.1:${port}/healthz`);
  });

  it('runs at least two workers, which can scale (no fixed name, no published port)', () => {
    const worker = service('worker');
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
  });

  it('persists Temporal in the PostgreSQL service, after it is healthy and its schema is set up', () => {
    const temporal = service('temporal');
    const env = environment(temporal);
    expect(env.DB).toMatch(/^postgres/);
    expect(compose.services[env.POSTGRES_SEEDS!]?.image).toMatch(/^postgres:16/);
    expect(env.DB_PORT).toBe('5432');
    expect(env.POSTGRES_USER).toBe(environment(service('postgresql')).POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBe(environment(service('postgresql')).POSTGRES_PASSWORD);
    expect(dependsOn(temporal)[env.POSTGRES_SEEDS!]).toBe('service_healthy');
    expect(containerPorts(temporal)).toContain(7233);

    // Its schema step: temporal-sql-tool against the same server, finished before the server starts.
    const schemaSteps = Object.entries(compose.services).filter(([, s]) => /temporal-sql-tool[\s\S]*update-schema/.test(commandLine(s.command)));
    expect(schemaSteps).toHaveLength(1);
    const [schemaName, schema] = schemaSteps[0]!;
    expect(commandLine(schema.command)).toMatch(/--ep postgresql\b/);
    expect(commandLine(schema.command)).toMatch(/temporal_visibility/);
    expect(dependsOn(schema).postgresql).toBe('service_healthy');
    expect(dependsOn(temporal)[schemaName]).toBe('service_completed_successfully');

    const pg = service('postgresql');
    expect(pg.healthcheck?.test).toBeDefined();
    expect((pg.volumes ?? []).some((v) => (typeof v === 'string' ? v : v.target).includes('/var/lib/postgresql/data'))).toBe(true);
  });

  it('registers exactly the search attributes the workflows set, as Keyword, before the service starts', () => {
    const [stepName, step] = searchAttributeSteps[0]!;
    const script = commandLine(step.command) + commandLine(step.entrypoint);
    const created = [...script.matchAll(/search-attribute create\b[^\n]*?--name\s+(\w+)\s+--type\s+(\w+)/g)].map((m) => ({ name: m[1], type: m[2] }));
    expect(created.map((c) => c.name).sort()).toEqual([...SEARCH_ATTRIBUTES].sort());
    expect(new Set(created.map((c) => c.type))).toEqual(new Set(['Keyword']));
    expect(environment(step).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(dependsOn(step).temporal).toBeDefined();
    for (const name of ['api', 'worker']) expect(dependsOn(service(name))[stepName]).toBe('service_completed_successfully');
  });

  it('points the Temporal UI at the server', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toMatch(/^temporalio\/ui/);
    expect(environment(ui).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(containerPorts(ui)).toContain(8080);
  });

  it('creates the application database with an init script that exists, for the user and database the API uses', () => {
    const pg = service('postgresql');
    const mount = (pg.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`)).find((v) => v.includes('/docker-entrypoint-initdb.d'));
    expect(mount).toBeDefined();
    const hostDir = path.join(root, mount!.split(':')[0]!);
    const scripts = fs.readdirSync(hostDir).filter((f) => /\.(sh|sql)$/.test(f));
    expect(scripts.length).toBeGreaterThan(0);
    const script = scripts.map((f) => fs.readFileSync(path.join(hostDir, f), 'utf8')).join('\n');
    expect(script).toMatch(/CREATE DATABASE/i);
    const pgEnv = resolvedEnv(pg);
    const url = new URL(loadConfig(resolvedEnv(service('api')), envSchema).DATABASE_URL);
    expect(url.pathname.slice(1)).toBe(pgEnv.APP_DB_NAME);
    expect(url.username).toBe(pgEnv.APP_DB_USER);
    expect(decodeURIComponent(url.password)).toBe(pgEnv.APP_DB_PASSWORD);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('builds on Node 20 slim with a clean install from the lock file', () => {
    expect(instructions[0]).toMatch(/^FROM node:20-slim\b/);
    expect(packageJson.engines?.node).toBe('>=20');
    expect(instructions.some((l) => /^RUN .*\bnpm ci\b/.test(l))).toBe(true);
    expect(instructions.findIndex((l) => /^COPY package\.json package-lock\.json/.test(l))).toBeLessThan(instructions.findIndex((l) => /^RUN .*npm ci/.test(l)));
  });

  it('runs as a non-root user', () => {
    const users = instructions.filter((l) => l.startsWith('USER ')).map((l) => l.slice(5).trim());
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    for (const name of ['api', 'worker']) expect(service(name).user ?? 'node').not.toMatch(/^(root|0)(:|$)/);
  });

  it('keeps host dependencies, local data, caches and the .env secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim().replace(/^\/|\/$/g, ''))
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.cache', '.env']));
    // Nothing the image needs at run time is excluded.
    for (const needed of ['api', 'activities', 'workflows', 'lib', 'db', 'package.json', 'package-lock.json', 'tsconfig.json']) expect(ignored).not.toContain(needed);
  });
});
