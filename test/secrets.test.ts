import { MiniCrmFake } from './fakes/minicrm-fake';
import { UnasFake } from './fakes/unas-fake';
import { historyText, recordHistory } from './support/histories';
import { startHarness, type ApiResponse, type Harness } from './support/harness';
import { ORDERS_CATEGORY, orderSyncBody, waitFor } from './support/order-sync-scenario';
import type { IntegrationStatus } from '../workflows/control';

const UNAS_KEY = 'unas-KEY-7f3a9c1e5b2d';
const CRM_KEY = 'crm-KEY-2d8e4b6a0c4f';
const WRONG_CRM_KEY = 'crm-WRONG-9b1c7e3f5a11';
const SECRETS = [UNAS_KEY, CRM_KEY, WRONG_CRM_KEY];

/**
 * Credentials go in once and never come out: not in an API response, not in a log line, not in a
 * workflow history, not in plain text in the database — even when the provider rejects them.
 */
describe('credentials never leak', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  const responses: ApiResponse[] = [];
  let integrationId: string;

  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await h.request<T>(method, path, body);
    responses.push(res);
    return res;
  };

  beforeAll(async () => {
    h = await startHarness();
    unas = new UnasFake({ apiKeys: [UNAS_KEY], orderQueriesPerHour: null });
    crm = new MiniCrmFake({ apiKey: CRM_KEY });
    await Promise.all([unas.start(), crm.start()]);
    unas.addOrders(30, { status: 'Beérkezett' });

    const a = await call<{ id: string }>('POST', '/accounts', { system: 'unas', name: 'Webshop', baseUrl: unas.url, credentials: { apiKey: UNAS_KEY } });
    const b = await call<{ id: string }>('POST', '/accounts', { system: 'minicrm', name: 'CRM', baseUrl: crm.url, credentials: { systemId: crm.systemId, apiKey: CRM_KEY } });
    await call('POST', `/accounts/${a.body.id}/check`);
    await call('GET', '/accounts');
    const created = await call<{ id: string }>('POST', '/integrations', orderSyncBody(a.body.id, b.body.id));
    integrationId = created.body.id;
    await waitFor('30 cards', () => crm.projects(ORDERS_CATEGORY).length, (n) => n === 30);

    // The CRM key is replaced by a wrong one: the check and the next run fail with the provider's reason.
    await call('PATCH', `/accounts/${b.body.id}`, { credentials: { systemId: crm.systemId, apiKey: WRONG_CRM_KEY } });
    const check = await call<{ status: string; statusReason: string }>('POST', `/accounts/${b.body.id}/check`);
    expect(check.body.status).toBe('inactive');
    expect(check.body.statusReason).toMatch(/unauthorized|api key|credentials/i);
    unas.addOrders(1, { status: 'Beérkezett' });
    await call('POST', `/integrations/${integrationId}/run`);
    const failed = await waitFor(
      'the run to fail on the wrong key',
      async () => (await call<{ status: IntegrationStatus }>('GET', `/integrations/${integrationId}`)).body.status,
      (s) => s.state === 'failed',
    );
    expect(failed.lastError?.message).toMatch(/unauthorized|api key|credentials/i);
    await call('GET', `/integrations/${integrationId}`);
    await call('GET', `/accounts/${b.body.id}`);
  });

  afterAll(async () => {
    if (h && integrationId) await recordHistory(h.temporal, `integration-${integrationId}`, 'order-sync-credentials-fail');
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('no API response carries a credential', () => {
    expect(responses.length).toBeGreaterThan(8);
    for (const res of responses) for (const secret of SECRETS) expect(res.text).not.toContain(secret);
  });

  it('no log line carries a credential, though the requests carried them', () => {
    const logs = h.logs.join('');
    expect(logs).toMatch(/"url":"\/accounts"/); // the requests were logged
    for (const secret of SECRETS) expect(logs).not.toContain(secret);
  });

  it("the workflow's history carries ids, never a credential", async () => {
    const history = await h.temporal.workflow.getHandle(`integration-${integrationId}`).fetchHistory();
    const text = historyText(history);
    expect(text).toContain(integrationId);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('the database holds credentials only as ciphertext', async () => {
    const { rows } = await h.database.pool.query<{ dump: string }>(
      `select string_agg(t::text, E'\\n') as dump from (
         select row_to_json(a)::text as t from accounts a
         union all select row_to_json(i)::text from integrations i
         union all select row_to_json(l)::text from delivery_ledger l) x`,
    );
    const dump = rows[0]?.dump ?? '';
    expect(dump).toContain('credentials_data');
    for (const secret of SECRETS) expect(dump).not.toContain(secret);
    // …and what is there opens, under the account's id, to the credentials now in force.
    const { rows: accounts } = await h.database.pool.query<{ id: string; system: string; credentials_key_id: string; credentials_data: string }>('select * from accounts');
    const opened = accounts.map((a) => h.runtime.secretBox.open({ keyId: a.credentials_key_id, data: a.credentials_data }, a.id) as { apiKey: string });
    expect(opened.map((c) => c.apiKey).sort()).toEqual([WRONG_CRM_KEY, UNAS_KEY].sort());
  });
});
