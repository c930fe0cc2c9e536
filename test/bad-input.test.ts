import fc from 'fast-check';
import { webhookSecret } from '../kinds/sms-send/webhook-url';
import { NethuntFake } from './fakes/nethunt-fake';
import { SumitFake } from './fakes/sumit-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, workflowBundle, type ApiResponse, type Harness } from './support/harness';
import { createAccounts, createOrderSync, orderSyncBody, startFakes } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, HEADER, SHEET, startSmsFakes, SUB_ACCOUNT } from './support/sms-send-scenario';

/**
 * The bad-input battery: every operation of /openapi.json, as a running service publishes it, is
 * sent bad input generated from its own request schema. Whatever arrives, the answer is never a
 * 5xx, every 4xx is application/problem+json, and a refused field is named in `errors[].field`
 * (the path fieldErrors builds: `config.statusMap`, `source.accountId`, `(body)` for the body as a
 * whole). The values are drawn by fast-check from a fixed seed (BAD_INPUT_SEED overrides it); a
 * failure prints the seed and every offending request.
 */
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261201);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  format?: string;
};
interface Operation {
  'x-required-role'?: 'viewer' | 'operator' | 'admin';
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}
interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  requiredRole?: string;
  errors?: { field: string; message: string }[];
}

const MB = 1024 * 1024;
const INJECTIONS = [
  "' OR '1'='1' --",
  'Robert"); DROP TABLE integrations; --',
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '{{constructor.constructor("return process")()}}',
  '${process.env.API_TOKEN}',
  '<script>alert(1)</script>',
  '%00%0d%0aSet-Cookie: x=1',
] as const;
const UNICODE = ['😀👩‍👩‍👧‍👦', 'مرحبا بالعالم\u202Eevil', 'a\u0000b', '\u0000', '\uFEFF\u200B', 'Ǆ̶̡͉̙ͫ͊', '\uD800', '𝕳𝖊𝖑𝖑𝖔'] as const;

/** Values fast-check draws for each kind of bad input. */
const arbitraries = {
  unicode: fc.oneof(fc.constantFrom(...UNICODE), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })),
  injection: fc.oneof(fc.constantFrom<unknown>(...INJECTIONS), fc.constant<unknown>({ $gt: '' }), fc.constant<unknown>({ $where: 'sleep(1000)' }), fc.constant<unknown>(['__proto__'])),
  wrongFor: (schema: JsonSchema) => {
    const types = typesOf(schema);
    const others: unknown[] = [];
    if (!types.has('string')) others.push('a string', '');
    if (!types.has('number') && !types.has('integer')) others.push(12345, -1.5, 1e308);
    if (!types.has('boolean')) others.push(true);
    if (!types.has('object')) others.push({ nested: { deeper: 1 } });
    if (!types.has('array')) others.push([1, 'two', null]);
    if (!types.has('null')) others.push(null);
    return fc.constantFrom(...others);
  },
  /** A UUID that exists nowhere. */
  uuid: fc.uuid({ version: 4 }),
};
/** Ids no resource has, as they travel in a path: not a UUID, huge, traversal, NUL, emoji, SQL, broken percent-encoding. */
const BAD_IDS = ['not-a-uuid', 'x'.repeat(8_000), '..%2F..%2Fetc%2Fpasswd', '%00', '%F0%9F%98%80', "1'%20OR%20'1'%3D'1", '%E0%A4%A'];
/** Required query parameters that must name something real for the request to get past them. */
const queryBases: Record<string, string> = { folder: '596f644b8f6d05e16c24b810', field: 'Stage' };
const draw = <T>(arb: fc.Arbitrary<T>, salt: number): T => fc.sample(arb, { seed: SEED + salt, numRuns: 1 })[0]!;

/** The JSON types a schema allows, over its anyOf / oneOf alternatives too (a nullish field allows null). */
const typesOf = (s: JsonSchema): Set<string> => new Set([...([s.type].flat().filter(Boolean) as string[]), ...[...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((a) => [...typesOf(a)])]);
const first = (s: JsonSchema): JsonSchema => s.anyOf?.[0] ?? s.oneOf?.[0] ?? s;

/** A minimal instance of a schema: the required properties only, each with its simplest value. */
function example(schema: JsonSchema): unknown {
  const s = first(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const types = typesOf(s);
  if (types.has('object') || s.properties) return Object.fromEntries((s.required ?? []).map((k) => [k, example(s.properties?.[k] ?? {})]));
  if (types.has('array')) return Array.from({ length: s.minItems ?? 0 }, () => example(s.items ?? {}));
  if (types.has('string')) return s.format === 'uri' ? 'https://example.com' : 'x'.repeat(Math.max(1, s.minLength ?? 1));
  if (types.has('integer') || types.has('number')) return Math.max(1, s.minimum ?? 1);
  if (types.has('boolean')) return true;
  return 'x';
}

/** Every field a schema declares, nested objects included, with its dotted path (as errors[].field spells it). */
function fields(schema: JsonSchema, prefix: string[] = [], components: (path: string[]) => JsonSchema | undefined = () => undefined): { path: string[]; schema: JsonSchema; required: boolean }[] {
  const s = first(schema);
  const out: { path: string[]; schema: JsonSchema; required: boolean }[] = [];
  for (const [key, raw] of Object.entries(s.properties ?? {})) {
    const path = [...prefix, key];
    const field = components(path) ?? raw;
    out.push({ path, schema: field, required: (s.required ?? []).includes(key) });
    out.push(...fields(field, path, components));
  }
  return out;
}

const clone = <T>(v: T): T => structuredClone(v);
function setAt(body: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = clone(body) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (remove) delete at[last];
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true }); // `__proto__` as an own key
  return copy;
}

/** Whether a problem names the field: the field itself, one inside it, the object holding it, or the body naming its key. */
function names(problem: Problem, path: string[]): boolean {
  const field = path.join('.');
  return (problem.errors ?? []).some(
    (e) =>
      e.field === field ||
      e.field.startsWith(`${field}.`) ||
      field.startsWith(`${e.field}.`) ||
      e.field.endsWith(`.${field}`) || // a query parameter some routes prefix with `query.`
      (e.field === '(body)' && e.message.includes(path.at(-1)!)),
  );
}

describe('bad input generated from /openapi.json', () => {
  let h: Harness;
  let doc: OpenApi;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let nethunt: NethuntFake;
  let ws: WorksectionFake;
  let sumitFake: SumitFake;
  /** Path parameter values that exist, by route. */
  let ids: Record<string, string>;
  let tokens: { viewer: string; operator: string };
  /** Base bodies that the API accepts (the schema alone cannot make a valid kind config or receipt). */
  let bases: Record<string, unknown>;
  const failures: string[] = [];
  let requests = 0;
  let worker: Promise<unknown> | undefined;
  const workerStarted = () => (worker ??= h.addWorker());

  beforeAll(async () => {
    // No worker yet: the integrations the battery creates would all start polling. The routes that
    // ask the workflow (an SMS preview and test read its cursor) get a worker when their turn comes.
    void workflowBundle(); // the late worker's bundle, made while the fakes and accounts are set up
    h = await startHarness({ noWorker: true, oauthClients: { 'google-sheets': { clientId: 'battery-client', clientSecret: 'battery-secret', authorizeUrl: 'http://127.0.0.1:9/authorize', tokenUrl: 'http://127.0.0.1:9/token' } } });
    ({ unas, crm } = await startFakes());
    ({ sheets, sms } = await startSmsFakes());
    nethunt = new NethuntFake();
    // Worksection allows one call a second; the battery's automation checks would wait minutes for it.
    ws = new WorksectionFake({ requestsPerSecond: null });
    sumitFake = new SumitFake({ requestsPerMinute: null });
    await Promise.all([nethunt.start(), ws.start(), sumitFake.start()]);

    const orderIds = await createAccounts(h, unas, crm);
    const orderSync = await createOrderSync(h, orderIds, { pollIntervalSeconds: 3600 });
    const smsIds = await createSmsAccounts(h, sheets, sms);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const smsSend = await createSmsSend(h, smsIds, spreadsheetId, { schedule: { every: 1440 } });
    const sumit = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', credentials: { companyId: 12345678, apiKey: 'sumit-key-not-used-here' } });
    const scenario = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'scenario',
      name: 'Leads to SMS',
      source: { accountId: sumit.body.id },
      target: { accountId: sumit.body.id },
      config: { trigger: { trigger: 'entity-created', input: { folder: 'Leads' } }, actions: [{ action: 'send-sms', input: { recipient: '+972501234567', text: 'New lead {{record.id}}' } }] },
    });
    const nethuntAccount = await h.request<{ id: string }>('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: `${nethunt.url}/api/v1/zapier`, credentials: { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' } });
    const wsAccount = await h.request<{ id: string }>('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' }, limits: { requestsPerSecond: 1000 } });
    const automation = (id: string) => ({ id, trigger: { folderId: '596f644b8f6d05e16c24b810', field: 'Stage', value: 'Won' }, task: { projectId: '26', title: 'Deliver to {{Name}}' }, importFields: ['Name'], onClose: { field: 'Stage', value: 'Delivered' } });
    const crmAutomation = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'crm-automation',
      name: 'Won deals',
      source: { accountId: nethuntAccount.body.id },
      target: { accountId: wsAccount.body.id },
      config: { pollIntervalSeconds: 3600, automations: [automation('won-deals'), automation('second')] },
    });
    // A SUMIT account on a fake for the draft sample, which reads the trigger's records.
    const sampled = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT sampled', baseUrl: sumitFake.url, credentials: { companyId: sumitFake.companyId, apiKey: sumitFake.apiKey } });
    // An account of its own for the account routes: they rename it, replace its credentials, check it.
    const spare = await h.request<{ id: string }>('POST', '/accounts', { system: 'unas', name: 'Spare', baseUrl: unas.url, credentials: { apiKey: 'unas-spare-key' } });
    for (const res of [sumit, sampled, scenario, nethuntAccount, wsAccount, crmAutomation, spare]) expect([res.status, res.text]).toEqual([201, expect.any(String)]);

    const client = async (role: string) => (await h.request<{ token: string }>('POST', '/clients', { name: `battery ${role}`, role })).body.token;
    tokens = { viewer: await client('viewer'), operator: await client('operator') };

    ids = {
      '/accounts/{id}': spare.body.id,
      '/integrations/{id}/automations': crmAutomation.body.id,
      '/integrations/{id}/deliveries': scenario.body.id,
      '/integrations/{id}/preview': smsSend,
      '/integrations/{id}/test': smsSend,
      '/integrations/{id}/runs': smsSend,
      '/integrations/{id}/messages': smsSend,
      '/integrations/{id}/suggestions': crmAutomation.body.id,
      '/integrations/{id}': orderSync,
      '/systems/{id}': 'unas',
      '/clients/{id}': '00000000-0000-4000-8000-00000000c11e',
      '{automationId}': 'won-deals',
      '{name}': 'orders',
      '{system}': 'google-sheets',
      '{secret}': webhookSecret(h.runtime.secretBox, smsSend),
    };
    bases = {
      'post /accounts': { system: 'unas', name: 'Battery shop', baseUrl: unas.url, credentials: { apiKey: 'unas-battery-key' } },
      'post /integrations': orderSyncBody(orderIds.unasAccountId, orderIds.crmAccountId, { pollIntervalSeconds: 3600 }),
      'post /integrations/{id}/automations': automation('battery'),
      'post /integrations/{id}/test': { phone: '+36701234567' },
      'post /clients': { name: 'battery client', role: 'viewer' },
      'post /scenarios/sample': { accountId: sampled.body.id, trigger: 'entity-created', input: { folder: 'Leads' } },
      'post /sms-send/preview': { accountId: smsIds.sheetsAccountId, spreadsheetId, range: `'${SHEET}'!A:C`, phoneColumn: 'Phone', template: 'Hi {{Name}}' },
      // The battery walks the first shape of the schedule's union (every), so the base has that one.
      'post /sms-send/schedule-preview': { schedule: { every: 60 }, timeZone: 'Europe/Budapest' },
      'post /webhooks/8x8/{secret}': {
        namespace: 'SMS',
        eventType: 'outbound_message_status_changed',
        payload: { umid: 'battery-umid', clientMessageId: `${smsSend}:2`, subAccountId: SUB_ACCOUNT, destination: '+36701000002', status: { state: 'delivered', timestamp: new Date().toISOString() } },
      },
    };

    const res = await fetch(`${h.api.url}/openapi.json`);
    doc = (await res.json()) as OpenApi;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close(), sheets?.close(), sms?.close(), nethunt?.close(), ws?.close(), sumitFake?.close()]);
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op, key: `${method} ${path}` })),
    );
  /** The path with every parameter filled in with one that exists, or `bad` for the one named. */
  const fill = (path: string, bad?: { param: string; value: string }) =>
    path.replace(/\{(\w+)\}/g, (whole, param: string) => {
      if (bad?.param === param) return bad.value;
      const byRoute = Object.entries(ids).find(([route]) => route.startsWith('/') && path.startsWith(route))?.[1];
      return param === 'id' ? (byRoute ?? ids['/integrations/{id}']!) : ids[whole]!;
    });
  const bodySchema = (op: Operation) => op.requestBody?.content['application/json']?.schema;
  const baseBody = (key: string, op: Operation) => (key in bases ? bases[key] : bodySchema(op) ? example(bodySchema(op)!) : undefined);
  /** Kind config fields come from components.schemas (`<kind>-config`): the body schema says only "an object". */
  const componentsFor = (key: string) => (path: string[]) =>
    key === 'post /integrations' && path.length === 1 && path[0] === 'config' ? doc.components.schemas['order-sync-config'] : undefined;

  /** One request as a client sends it; redirects are not followed (the OAuth start answers one to the provider). */
  async function send(method: string, path: string, body: unknown, token = h.apiToken, raw?: string): Promise<ApiResponse<Problem>> {
    requests += 1;
    const text = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const res = await fetch(`${h.api.url}${path}`, {
      method: method.toUpperCase(),
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(text !== undefined && { 'content-type': 'application/json' }) },
      body: text,
    });
    const answer = await res.text();
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(answer);
    } catch {
      // not JSON: judge() says so
    }
    return { status: res.status, body: parsed as Problem, headers: res.headers, text: answer };
  }

  /** The rules every answer keeps; returns what is wrong, or null. */
  function judge(res: ApiResponse<Problem>, field?: string[], mustRefuse = false): string | null {
    if (res.status >= 500) return `answered ${res.status}: ${res.text.slice(0, 300)}`;
    if (res.status < 400) return mustRefuse ? `accepted it (${res.status})` : null;
    if (!/application\/problem\+json/.test(res.headers.get('content-type') ?? '')) return `answered ${res.status} as ${res.headers.get('content-type')}, not problem+json: ${res.text.slice(0, 200)}`;
    if (res.body.status !== res.status) return `problem.status ${res.body.status} differs from ${res.status}`;
    if (field && (res.status === 400 || res.status === 422) && !names(res.body, field)) return `${res.status} does not name ${field.join('.')}: ${res.text.slice(0, 300)}`;
    return null;
  }
  beforeEach(() => {
    failures.length = 0;
  });
  const record = (what: string, problem: string | null) => {
    if (problem) failures.push(`${what}: ${problem}`);
  };

  it('publishes a request-body schema for every operation that reads a body', () => {
    const withBody = operations().filter(({ op }) => bodySchema(op));
    const keys = withBody.map((o) => o.key);
    // Every body the routes parse with parseBody (and the 8x8 receipt) is described.
    expect(keys).toEqual(
      expect.arrayContaining([
        'post /accounts',
        'patch /accounts/{id}',
        'patch /accounts/{id}/functionalities/{name}',
        'post /integrations',
        'patch /integrations/{id}',
        'post /integrations/{id}/automations',
        'patch /integrations/{id}/automations/{automationId}',
        'post /integrations/{id}/deliveries/retry',
        'post /integrations/{id}/test',
        'post /clients',
        'post /webhooks/8x8/{secret}',
      ]),
    );
    for (const { key, op } of withBody) expect([key, typesOf(first(bodySchema(op)!)).has('object') || Boolean(first(bodySchema(op)!).properties)]).toEqual([key, true]);
  });

  it('never answers 5xx to a bad field, and names every field it refuses', async () => {
    let salt = 0;
    for (const { path, method, op, key } of operations()) {
      const schema = bodySchema(op);
      if (!schema || method === 'delete') continue;
      const base = baseBody(key, op);
      const url = fill(path);
      if (key === 'post /integrations/{id}/test' || key === 'post /integrations/{id}/preview') await workerStarted();
      record(`${key} with its base body`, judge(await send(method, url, base)));
      // Fields inside an optional object the base body leaves out are tried through that object (a lone
      // `price.currency` would be refused for the missing `price.total`, not for itself).
      const present = (path: string[]) => path.slice(0, -1).every((_, i) => typeof path.slice(0, i + 1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], base) === 'object');
      for (const field of fields(schema, [], componentsFor(key)).filter((f) => present(f.path))) {
        const where = `${key} ${field.path.join('.')}`;
        const typed = typesOf(field.schema).size > 0;
        const cases: [string, unknown, boolean][] = [];
        if (typed) cases.push(['wrong type', draw(arbitraries.wrongFor(field.schema), salt++), true]);
        cases.push(['empty', typesOf(first(field.schema)).has('object') ? {} : typesOf(first(field.schema)).has('array') ? [] : '', false]);
        for (const text of ['😀👩‍👩‍👧‍👦 مرحبا\u202Eevil', 'a\u0000b']) cases.push(['unicode', text, false]);
        cases.push(['unicode or injection', draw(fc.oneof(arbitraries.unicode, arbitraries.injection), salt++), false]);
        cases.push(['long (100 kB)', 'x'.repeat(100_000), false]);
        for (const [what, value, mustRefuse] of cases) {
          const res = await send(method, url, setAt(base, field.path, value));
          record(`${where} ${what} ${JSON.stringify(value).slice(0, 60)}`, judge(res, field.path, mustRefuse));
        }
        const missing = await send(method, url, setAt(base, field.path, undefined, true));
        record(`${where} missing`, judge(missing, field.path, field.required));
      }
      // 1 MB in a field: the body is refused whole (over 256 kB) before any field is read, so once per operation.
      const [firstField] = fields(schema, [], componentsFor(key));
      if (firstField) {
        const huge = await send(method, url, setAt(base, firstField.path, 'x'.repeat(MB)));
        record(`${key} ${firstField.path.join('.')} huge (1 MB)`, huge.status === 413 ? judge(huge, ['(body)']) : `answered ${huge.status} to a 1 MB body, not 413`);
      }
      // Keys that are not fields at all, at the top: an own `__proto__` or `constructor` pollutes nothing and is refused or ignored.
      for (const extra of ['__proto__', 'constructor', 'prototype']) {
        const res = await send(method, url, setAt(base, [extra], { polluted: true }));
        record(`${key} extra key ${extra}`, judge(res, [extra]));
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // Bodies that are no object at all.
      for (const raw of ['[]', '"text"', '42', 'null', '{"unterminated": ']) {
        const res = await send(method, url, undefined, h.apiToken, raw);
        record(`${key} body ${raw}`, judge(res, ['(body)'], true));
      }
    }
    if (failures.length) throw new Error(`seed ${SEED} (BAD_INPUT_SEED=${SEED} reproduces it), ${failures.length} of ${requests} requests broke the rules:\n${failures.join('\n')}`);
  }, 240_000);

  it('keeps the rules when fast-check mixes several bad fields in one body', async () => {
    for (const { path, method, op, key } of operations()) {
      const schema = bodySchema(op);
      if (!schema || method === 'delete') continue;
      const all = fields(schema, [], componentsFor(key));
      if (all.length === 0) continue;
      const base = baseBody(key, op);
      const url = fill(path);
      const value = fc.oneof(arbitraries.unicode, arbitraries.injection, fc.jsonValue({ maxDepth: 2 }));
      const property = fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...all), value), { minLength: 1, maxLength: 3 }), async (changes) => {
        const body = changes.reduce((b, [field, v]) => setAt(b, field.path, v), base);
        const res = await send(method, url, body);
        const problem = judge(res);
        if (problem) throw new Error(`${key} ${JSON.stringify(body).slice(0, 300)}: ${problem}`);
      });
      const result = await fc.check(property, { seed: SEED, numRuns: 6 });
      if (result.failed) failures.push(`${key}: seed ${SEED}, path ${result.counterexamplePath}: ${String(result.errorInstance)}`);
    }
    if (failures.length) throw new Error(`seed ${SEED} (BAD_INPUT_SEED=${SEED} reproduces it):\n${failures.join('\n')}`);
  }, 120_000);

  it('answers every path with a bad id with a 4xx problem that names the parameter', async () => {
    let salt = 10_000;
    for (const { path, method, op, key } of operations()) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const param of params) {
        for (const value of [...BAD_IDS, draw(arbitraries.uuid, salt++)]) {
          const res = await send(method, fill(path, { param, value }), baseBody(key, op));
          // A segment that is not percent-decodable is refused before routing: its field is `(path)`.
          const named = names(res.body, [param]) || names(res.body, ['(path)']);
          record(`${key} ${param}=${value.slice(0, 40)}`, judge(res, undefined, true) ?? (named ? null : `${res.status} does not name ${param}: ${res.text.slice(0, 200)}`));
        }
      }
    }
    if (failures.length) throw new Error(`seed ${SEED} (BAD_INPUT_SEED=${SEED} reproduces it):\n${failures.join('\n')}`);
  }, 120_000);

  it('never answers 5xx to a bad query parameter, and names every one it refuses', async () => {
    let salt = 20_000;
    let checked = 0;
    for (const { path, method, op, key } of operations()) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'query');
      // The others required stay as a valid request has them, so a refusal is about the one changed.
      const required = Object.fromEntries(params.filter((p) => p.required).map((p) => [p.name, queryBases[p.name] ?? String(example(p.schema))]));
      const url = (name: string, values: string[]) => {
        const q = new URLSearchParams(Object.entries(required).filter(([k]) => k !== name));
        for (const v of values) q.append(name, v);
        return `${fill(path)}?${q.toString()}`;
      };
      for (const param of params) {
        const values = ['not-a-number', '-1', '1e400', 'x'.repeat(8_000), '😀\u202E', '\u0000', draw(arbitraries.unicode, salt++), String(draw(fc.constantFrom(...INJECTIONS), salt++))];
        // A refusal naming only parameters the request left out is about them (the OAuth callback
        // with a state but no code): it need not name this one.
        const absent = new Set(params.map((p) => p.name).filter((n) => n !== param.name && !(n in required)));
        const aboutAbsent = (res: ApiResponse<Problem>) => (res.body.errors ?? []).length > 0 && res.body.errors!.every((e) => absent.has(e.field.replace(/^query\./, '')));
        const judgeQuery = (res: ApiResponse<Problem>) => judge(res, aboutAbsent(res) ? undefined : [param.name]);
        for (const value of values) {
          const res = await send(method, url(param.name, [value]), baseBody(key, op));
          checked += 1;
          record(`${key} ?${param.name}=${value.slice(0, 40)}`, judgeQuery(res));
        }
        // Given twice: an array where a string is expected.
        record(`${key} ?${param.name} twice`, judgeQuery(await send(method, url(param.name, ['a', 'b']), baseBody(key, op))));
      }
    }
    expect(checked).toBeGreaterThan(50);
    if (failures.length) throw new Error(`seed ${SEED} (BAD_INPUT_SEED=${SEED} reproduces it):\n${failures.join('\n')}`);
  }, 120_000);

  it('answers 403 naming the role to a client whose role lacks the right, whatever the body', async () => {
    const below = { viewer: [] as const, operator: ['viewer'] as const, admin: ['viewer', 'operator'] as const };
    let checked = 0;
    for (const { path, method, op, key } of operations()) {
      const needed = op['x-required-role'];
      if (!needed) continue;
      for (const role of below[needed]) {
        const res = await send(method, fill(path), baseBody(key, op), tokens[role]);
        checked += 1;
        if (res.status !== 403 || res.body.requiredRole !== needed || !/problem\+json/.test(res.headers.get('content-type') ?? '')) {
          failures.push(`${key} as ${role}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    if (failures.length) throw new Error(failures.join('\n'));
  }, 60_000);

  it('leaves the service healthy after the battery', async () => {
    expect((await h.request('GET', '/readyz')).status).toBe(200);
    expect((await h.request<{ items: unknown[] }>('GET', '/integrations')).status).toBe(200);
    expect(h.logs.filter((line) => line.includes('"unhandled error"'))).toEqual([]);
  });
});
