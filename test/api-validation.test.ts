import { randomUUID } from 'node:crypto';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, orderSyncBody, startFakes } from './support/order-sync-scenario';

interface Problem {
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/**
 * Bad input, one row each: the right 4xx, as application/problem+json, naming the field and the
 * reason. None may ever be a 5xx.
 */
describe('the HTTP API answers bad input with a 4xx naming the field and the reason', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let ids: { unasAccountId: string; crmAccountId: string };
  let integrationId: string;
  let scenarioId: string;
  let sumitAccountId: string;

  beforeAll(async () => {
    // No worker: these requests never need a sync to run.
    h = await startHarness({ noWorker: true });
    ({ unas, crm } = await startFakes());
    ids = await createAccounts(h, unas, crm);
    integrationId = await createOrderSync(h, ids, { syncFrom: '2024-03-01' });
    // Saving a scenario checks its schemas without calling SUMIT, so no SUMIT fake is needed here.
    const sumit = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', credentials: { companyId: 12345678, apiKey: 'sumit-key-not-used-here' } });
    sumitAccountId = sumit.body.id;
    scenarioId = (await h.request<{ id: string }>('POST', '/integrations', scenarioBody())).body.id;
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  const body = (config: Record<string, unknown> = {}) => orderSyncBody(ids.unasAccountId, ids.crmAccountId, config);
  const scenarioBody = (actions: unknown[] = [{ action: 'send-sms', input: { recipient: '+972501234567', text: 'New lead {{record.id}}' } }]) => ({
    kind: 'scenario',
    name: 'Leads to SMS',
    source: { accountId: sumitAccountId },
    target: { accountId: sumitAccountId },
    config: { trigger: { trigger: 'entity-created', input: { folder: 'Leads' } }, actions },
  });

  type Row = [
    what: string,
    request: () => { method: string; path: string; body?: unknown; headers?: Record<string, string> },
    expected: { status: number; field?: string; message: RegExp },
  ];
  const rows: Row[] = [
    ['no bearer token', () => ({ method: 'GET', path: '/integrations', headers: { authorization: '' } }), { status: 401, message: /Authorization: Bearer/ }],
    ['a wrong bearer token', () => ({ method: 'GET', path: '/accounts', headers: { authorization: 'Bearer not-the-token-at-all' } }), { status: 401, message: /token/i }],
    ['a body that is not JSON', () => ({ method: 'POST', path: '/accounts', body: '{"system": "unas",', headers: { 'content-type': 'application/json' } }), { status: 400, message: /not valid JSON/ }],
    ['a JSON array instead of an object', () => ({ method: 'POST', path: '/accounts', body: [] }), { status: 400, message: /JSON object/ }],
    ['an oversized body', () => ({ method: 'POST', path: '/accounts', body: { system: 'unas', name: 'x'.repeat(300_000), credentials: {} } }), { status: 413, message: /256 kB/ }],
    ['an unknown system', () => ({ method: 'POST', path: '/accounts', body: { system: 'shopify', name: 'Shop', credentials: { apiKey: 'k' } } }), { status: 422, field: 'system', message: /unas|minicrm/ }],
    ['a name of the wrong type', () => ({ method: 'POST', path: '/accounts', body: { system: 'unas', name: 42, credentials: { apiKey: 'a-key-of-some-length' } } }), { status: 422, field: 'name', message: /string/ }],
    ['credentials missing a field', () => ({ method: 'POST', path: '/accounts', body: { system: 'minicrm', name: 'CRM', credentials: { apiKey: 'a-key-of-some-length' } } }), { status: 422, field: 'credentials.systemId', message: /.+/ }],
    ['a base URL that is not http(s)', () => ({ method: 'POST', path: '/accounts', body: { system: 'unas', name: 'Shop', baseUrl: 'ftp://example.com', credentials: { apiKey: 'a-key-of-some-length' } } }), { status: 422, field: 'baseUrl', message: /http/ }],
    ['an unknown field', () => ({ method: 'POST', path: '/accounts', body: { system: 'unas', name: 'Shop', credentials: { apiKey: 'a-key-of-some-length' }, colour: 'red' } }), { status: 422, message: /colour/ }],
    // Found by test/bad-input.test.ts: PostgreSQL cannot store U+0000 (text, jsonb) nor half a surrogate pair (jsonb), so these were 500s from the INSERT.
    ['a name with a NUL character', () => ({ method: 'POST', path: '/accounts', body: { system: 'unas', name: 'Shop\u0000', credentials: { apiKey: 'a-key-of-some-length' } } }), { status: 422, field: 'name', message: /U\+0000/ }],
    ['a config value with half a surrogate pair', () => ({ method: 'POST', path: '/integrations', body: body({ owner: 'Kovács \uD800' }) }), { status: 422, field: 'config.owner', message: /surrogate/ }],
    ['an unknown kind', () => ({ method: 'POST', path: '/integrations', body: { ...body(), kind: 'order-teleport' } }), { status: 422, field: 'kind', message: /order-sync/ }],
    ['an account that does not exist', () => ({ method: 'POST', path: '/integrations', body: { ...body(), source: { accountId: randomUUID() } } }), { status: 422, field: 'source.accountId', message: /no account/ }],
    ['an account id that is not a UUID', () => ({ method: 'POST', path: '/integrations', body: { ...body(), target: { accountId: 'crm-1' } } }), { status: 422, field: 'target.accountId', message: /UUID/ }],
    ['accounts of the wrong systems', () => ({ method: 'POST', path: '/integrations', body: orderSyncBody(ids.crmAccountId, ids.unasAccountId) }), { status: 422, field: 'source.accountId', message: /must be a unas account/ }],
    ['a malformed status map', () => ({ method: 'POST', path: '/integrations', body: body({ statusMap: '{"Beérkezett": "Új rendelés" "Teljesítve": "Teljesítve"}' }) }), { status: 422, field: 'config.statusMap', message: /position 29.*expected ',' or '}'/ }],
    ['an empty status map', () => ({ method: 'POST', path: '/integrations', body: body({ statusMap: {} }) }), { status: 422, field: 'config.statusMap', message: /at least one/ }],
    ['a sync start date that is not a date', () => ({ method: 'POST', path: '/integrations', body: body({ syncFrom: '2024-02-30x' }) }), { status: 422, field: 'config.syncFrom', message: /YYYY-MM-DD/ }],
    ['a poll interval below the minimum', () => ({ method: 'POST', path: '/integrations', body: body({ pollIntervalSeconds: 1 }) }), { status: 422, field: 'config.pollIntervalSeconds', message: /10/ }],
    ['a missing owner', () => ({ method: 'POST', path: '/integrations', body: body({ owner: undefined }) }), { status: 422, field: 'config.owner', message: /.+/ }],
    ['changing the sync start date', () => ({ method: 'PATCH', path: `/integrations/${integrationId}`, body: { config: { syncFrom: '2023-01-01' } } }), { status: 422, field: 'config.syncFrom', message: /can never change/ }],
    ['an integration id that is not a UUID', () => ({ method: 'GET', path: '/integrations/42' }), { status: 404, field: 'id', message: /no integration/ }],
    ['an integration that does not exist', () => ({ method: 'POST', path: `/integrations/${randomUUID()}/pause` }), { status: 404, message: /no integration/ }],
    ['a scenario action reading a later action', () => ({ method: 'POST', path: '/integrations', body: scenarioBody([{ action: 'create-customer', input: { name: '{{actions.1.name}}' } }, { action: 'list-folders', input: {} }]) }), { status: 422, field: 'config.actions.0.input.name', message: /does not run before action 0/ }],
    ['deliveries of an integration that is not a scenario', () => ({ method: 'GET', path: `/integrations/${integrationId}/deliveries` }), { status: 404, message: /no scenario integration/ }],
    ['deliveries in an unknown state', () => ({ method: 'GET', path: `/integrations/${scenarioId}/deliveries?state=lost` }), { status: 422, field: 'query.state', message: /done|held/ }],
    ['deliveries of two records at once', () => ({ method: 'GET', path: `/integrations/${scenarioId}/deliveries?record=created:1&record=created:2` }), { status: 422, field: 'query.record', message: /string/ }],
    ['a retry whose records are not a list', () => ({ method: 'POST', path: `/integrations/${scenarioId}/deliveries/retry`, body: { records: 'created:1' } }), { status: 422, field: 'records', message: /array/ }],
    ['a retry of a record that holds nothing', () => ({ method: 'POST', path: `/integrations/${scenarioId}/deliveries/retry`, body: { records: ['created:1'] } }), { status: 422, field: 'records', message: /no held step/ }],
    ['rotating the webhook secret of an integration that does not send SMS', () => ({ method: 'POST', path: `/integrations/${integrationId}/webhook-secret/rotate` }), { status: 404, message: /no sms-send integration/ }],
    ['rotating the webhook secret of an integration id that is not a UUID', () => ({ method: 'POST', path: '/integrations/42/webhook-secret/rotate' }), { status: 404, message: /no integration/ }],
    ['an API client role that does not exist', () => ({ method: 'POST', path: '/clients', body: { name: 'Reporting', role: 'root' } }), { status: 422, field: 'role', message: /viewer|operator|admin/ }],
    ['an API client without a name', () => ({ method: 'POST', path: '/clients', body: { role: 'viewer' } }), { status: 422, field: 'name', message: /.+/ }],
    ['revoking an API client that does not exist', () => ({ method: 'DELETE', path: `/clients/${randomUUID()}` }), { status: 404, message: /no live API client/ }],
    ['an audit page larger than allowed', () => ({ method: 'GET', path: '/audit?limit=5000' }), { status: 422, field: 'query.limit', message: /1000/ }],
    ['a lookup the system does not have', () => ({ method: 'GET', path: `/accounts/${ids.crmAccountId}/lookups/owners` }), { status: 404, message: /no lookup "owners".*"users"/ }],
    ['a lookup parameter of the wrong type', () => ({ method: 'GET', path: `/accounts/${ids.crmAccountId}/lookups/statuses?categoryId=Orders` }), { status: 400, field: 'query.categoryId', message: /module id/ }],
    ['a status map naming a MiniCRM status that does not exist', () => ({ method: 'POST', path: '/integrations', body: body({ statusMap: { Beérkezett: 'Kiszállítva' } }) }), { status: 422, field: 'config.statusMap.Beérkezett', message: /not a status of the Orders module/ }],
    ['a sample of an integration that is not a scenario', () => ({ method: 'POST', path: `/integrations/${integrationId}/sample` }), { status: 404, message: /no scenario integration/ }],
    ['a draft sample of a trigger the system lacks', () => ({ method: 'POST', path: '/scenarios/sample', body: { accountId: sumitAccountId, trigger: 'changed-orders' } }), { status: 422, field: 'trigger', message: /entity-created/ }],
    ['a draft sample from an account that does not exist', () => ({ method: 'POST', path: '/scenarios/sample', body: { accountId: randomUUID(), trigger: 'entity-created' } }), { status: 422, field: 'accountId', message: /no account/ }],
    ['a draft SMS preview from an account that does not exist', () => ({ method: 'POST', path: '/sms-send/preview', body: { accountId: randomUUID(), spreadsheetId: 'abc', range: 'Customers', phoneColumn: 'Phone', template: 'Hi {{Name}}' } }), { status: 422, field: 'accountId', message: /no account/ }],
    ['a draft SMS preview from an account that is not Google Sheets', () => ({ method: 'POST', path: '/sms-send/preview', body: { accountId: ids.unasAccountId, spreadsheetId: 'abc', range: 'Customers', phoneColumn: 'Phone', template: 'Hi {{Name}}' } }), { status: 422, field: 'accountId', message: /Google Sheets account, not unas/ }],
    ['a draft SMS template that is not closed', () => ({ method: 'POST', path: '/sms-send/preview', body: { accountId: ids.unasAccountId, spreadsheetId: 'abc', range: 'Customers', phoneColumn: 'Phone', template: 'Hi {{Name' } }), { status: 422, field: 'template', message: /not closed/ }],
    ['a schedule preview with a time of day that is not one', () => ({ method: 'POST', path: '/sms-send/schedule-preview', body: { schedule: { times: ['9:00'] }, timeZone: 'UTC' } }), { status: 422, field: 'schedule.times.0', message: /HH:MM/ }],
    ['a schedule preview in a time zone that does not exist', () => ({ method: 'POST', path: '/sms-send/schedule-preview', body: { schedule: { every: 5 }, timeZone: 'Mars/Olympus' } }), { status: 422, field: 'timeZone', message: /IANA/ }],
    ['a schedule preview after an integration that does not exist', () => ({ method: 'POST', path: '/sms-send/schedule-preview', body: { schedule: { after: randomUUID() }, timeZone: 'UTC' } }), { status: 422, field: 'schedule.after', message: /no integration/ }],
    ['deleting an account in use', () => ({ method: 'DELETE', path: `/accounts/${ids.unasAccountId}` }), { status: 409, message: /used by 1 integration/ }],
  ];

  it.each(rows)('%s', async (_what, make, expected) => {
    const r = make();
    const res = await h.request<Problem>(r.method, r.path, r.body, r.headers);
    expect(res.status).toBe(expected.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(expected.status);
    const said = [res.body.detail, ...(res.body.errors ?? []).map((e) => `${e.field}: ${e.message}`)].join(' | ');
    expect(said).toMatch(expected.message);
    if (expected.field) expect(res.body.errors?.map((e) => e.field)).toContain(expected.field);
  });

  it("answers a malformed body with where it broke, never a fragment of it (it may hold a key)", async () => {
    const res = await h.request<Problem>('POST', '/accounts', '{"apiKey": "sk_live_SECRET", ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^the body is not valid JSON/);
    expect(res.text).not.toContain('sk_live_SECRET');
    expect(res.text).not.toContain('apiKey');
    expect(h.logs.join('')).not.toContain('sk_live_SECRET');
  });

  it('logged no unhandled error for any of them', () => {
    expect(h.logs.join('')).not.toMatch(/unhandled error/);
  });
});
