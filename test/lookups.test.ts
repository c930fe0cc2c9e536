import type { SystemView } from '../api/catalogue';
import { GoogleSheetsFake } from './fakes/google-sheets-fake';
import { MiniCrmFake } from './fakes/minicrm-fake';
import { NethuntFake } from './fakes/nethunt-fake';
import { UnasFake } from './fakes/unas-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';

interface Items {
  items: { value: string; label: string; [k: string]: unknown }[];
  cached: boolean;
}
interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
  lookups?: string[];
}

describe('lookups: the lists a form picks from, read from the account itself', () => {
  let h: Harness;
  const crm = new MiniCrmFake({ users: { '101': 'Kovács Anna', '102': 'Nagy Péter', '103': 'Szabó Éva' } });
  const nethunt = new NethuntFake();
  const ws = new WorksectionFake();
  const sheets = new GoogleSheetsFake();
  const unas = new UnasFake({ orderQueriesPerHour: null });
  const ids: Record<string, string> = {};
  let spreadsheetId = '';

  const account = async (system: string, baseUrl: string, credentials: Record<string, unknown>) => {
    const res = await h.request<{ id: string }>('POST', '/accounts', { system, name: system, baseUrl, credentials });
    if (res.status !== 201) throw new Error(res.text);
    return res.body.id;
  };

  beforeAll(async () => {
    await Promise.all([crm.start(), nethunt.start(), ws.start(), sheets.start(), unas.start()]);
    spreadsheetId = sheets.addSpreadsheet({ sheets: { Orders: [['Phone', 'Name', '', 'Total'], ['+36701234567', 'Anna', 'x', 100]], "Customers' list": [['Name']] } });
    h = await startHarness({ noWorker: true });
    ids.minicrm = await account('minicrm', crm.url, { systemId: crm.systemId, apiKey: crm.apiKey });
    ids.nethunt = await account('nethunt', nethunt.baseUrl, { email: nethunt.email, apiKey: nethunt.apiKey });
    ids.worksection = await account('worksection', ws.url, { apiKey: ws.apiKey });
    ids.sheets = await account('google-sheets', sheets.url, { accessToken: 'ya29.fake-access-token' });
    ids.unas = await account('unas', unas.url, { apiKey: 'unas-test-key' });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([crm.close(), nethunt.close(), ws.close(), sheets.close(), unas.close()]);
  });

  it('lists MiniCRM owners, modules, statuses and fields as MiniCRM has them', async () => {
    const users = await h.request<Items>('GET', `/accounts/${ids.minicrm}/lookups/users`);
    expect(users.status).toBe(200);
    expect(users.body.items).toEqual(
      expect.arrayContaining([
        { value: '101', label: 'Kovács Anna' },
        { value: '102', label: 'Nagy Péter' },
        { value: '103', label: 'Szabó Éva' },
      ]),
    );
    const modules = await h.request<Items>('GET', `/accounts/${ids.minicrm}/lookups/modules`);
    expect(modules.body.items).toEqual(expect.arrayContaining([{ value: '17', label: 'Orders' }, { value: '18', label: 'Webshop' }]));
    const statuses = await h.request<Items>('GET', `/accounts/${ids.minicrm}/lookups/statuses?categoryId=17`);
    expect(statuses.body.items.map((s) => s.label)).toEqual(['Új rendelés', 'Feldolgozás', 'Teljesítve', 'Sztornó']);
    const fields = await h.request<Items>('GET', `/accounts/${ids.minicrm}/lookups/fields?categoryId=17`);
    expect(fields.body.items.map((f) => f.value)).toEqual(expect.arrayContaining(['UnasLink', 'UnasStatus']));
  });

  it('answers the same question again from its cache for a while, and asks again with ?fresh=1', async () => {
    const path = `/accounts/${ids.minicrm}/lookups/statuses?categoryId=18`;
    const first = await h.request<Items>('GET', path);
    crm.resetCalls();
    const again = await h.request<Items>('GET', path);
    expect(again.body).toEqual({ ...first.body, cached: true });
    expect(crm.calls).toHaveLength(0);
    const fresh = await h.request<Items>('GET', `${path}&fresh=1`);
    expect(fresh.body.cached).toBe(false);
    expect(crm.calls.length).toBeGreaterThan(0);
  });

  it('lists NetHunt folders (saying which are writable) and a folder\'s fields', async () => {
    const folders = await h.request<Items>('GET', `/accounts/${ids.nethunt}/lookups/folders`);
    expect(folders.body.items).toEqual(
      expect.arrayContaining([
        { value: '596f644b8f6d05e16c24b810', label: 'Leads', writable: true },
        { value: '596f644b8f6d05e16c24b812', label: 'Shared reports', writable: false },
      ]),
    );
    const fields = await h.request<Items>('GET', `/accounts/${ids.nethunt}/lookups/fields?folderId=596f644b8f6d05e16c24b811`);
    expect(fields.body.items.map((f) => f.value)).toEqual(['Name', 'Website']);
  });

  it('lists Worksection projects and users', async () => {
    const projects = await h.request<Items>('GET', `/accounts/${ids.worksection}/lookups/projects?status=active`);
    expect(projects.body.items).toEqual([{ value: '26', label: 'Sales follow-ups', status: 'active' }]);
    const users = await h.request<Items>('GET', `/accounts/${ids.worksection}/lookups/users`);
    expect(users.body.items.map((u) => [u.value, u.label])).toEqual([
      ['owner@acme.test', 'Ann Owner'],
      ['bob@acme.test', 'Bob Doer'],
    ]);
  });

  it('lists the sheets (tabs) of a spreadsheet', async () => {
    const tabs = await h.request<Items>('GET', `/accounts/${ids.sheets}/lookups/sheets?spreadsheetId=${spreadsheetId}`);
    expect(tabs.status).toBe(200);
    expect(tabs.body.items.map((t) => t.value)).toEqual(['Orders', "Customers' list"]);
    const missing = await h.request<Problem>('GET', `/accounts/${ids.sheets}/lookups/sheets?spreadsheetId=1NoSuchSheet`);
    expect(missing.status).toBe(422);
    expect(missing.body.errors?.[0]?.field).toBe('query.spreadsheetId');
  });

  it("lists a sheet's columns from its header row", async () => {
    const columns = await h.request<Items>('GET', `/accounts/${ids.sheets}/lookups/columns?spreadsheetId=${spreadsheetId}&sheet=Orders`);
    expect(columns.status).toBe(200);
    expect(columns.body.items).toEqual([
      { value: 'Phone', label: 'Phone', column: 'A' },
      { value: 'Name', label: 'Name', column: 'B' },
      { value: 'C', label: 'C', column: 'C' },
      { value: 'Total', label: 'Total', column: 'D' },
    ]);
  });

  it('lists the UNAS statuses recent orders are in', async () => {
    unas.addOrder({ status: 'Beérkezett' });
    unas.addOrder({ status: 'Beérkezett' });
    unas.addOrder({ status: 'Teljesítve' });
    const statuses = await h.request<Items>('GET', `/accounts/${ids.unas}/lookups/order-statuses`);
    expect(statuses.status).toBe(200);
    expect(statuses.body.items.map((s) => [s.value, s.orders])).toEqual([
      ['Beérkezett', 2],
      ['Teljesítve', 1],
    ]);
  });

  it('publishes each lookup with the JSON Schema of its parameters in /systems', async () => {
    const res = await h.request<SystemView>('GET', '/systems/minicrm');
    const statuses = res.body.lookups.find((l) => l.key === 'statuses');
    expect(statuses?.input).toMatchObject({ type: 'object', required: ['categoryId'], properties: { categoryId: { type: 'integer' } } });
  });

  it('names the lookups a system has for an unknown one, and the parameter for a bad one', async () => {
    const unknown = await h.request<Problem>('GET', `/accounts/${ids.minicrm}/lookups/owners`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/no lookup "owners".*"users"/);
    expect(unknown.body.lookups).toEqual(['modules', 'users', 'statuses', 'fields']);

    const missing = await h.request<Problem>('GET', `/accounts/${ids.minicrm}/lookups/statuses`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.field).toBe('query.categoryId');
    const wrong = await h.request<Problem>('GET', `/accounts/${ids.minicrm}/lookups/statuses?categoryId=orders`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors?.[0]).toMatchObject({ field: 'query.categoryId', message: expect.stringMatching(/module id/) });
  });

  it("answers a provider's refusal as the account check does: 422 for what the user must fix, 502 for an outage", async () => {
    const noFolder = await h.request<Problem>('GET', `/accounts/${ids.nethunt}/lookups/fields?folderId=000000000000000000000000`);
    expect(noFolder.status).toBe(422);
    expect(noFolder.body.errors?.[0]?.field).toBe('query.folderId');

    crm.faults = { failRate: 1, statuses: [503] };
    try {
      const down = await h.request<Problem>('GET', `/accounts/${ids.minicrm}/lookups/modules?fresh=1`);
      expect(down.status).toBe(502);
      expect(down.body.detail).toMatch(/could not reach MiniCRM/);
    } finally {
      crm.faults = { failRate: 0 };
    }

    const patched = await h.request('PATCH', `/accounts/${ids.minicrm}`, { credentials: { systemId: crm.systemId, apiKey: 'minicrm-wrong-key' } });
    expect(patched.status).toBe(200);
    const refused = await h.request<Problem>('GET', `/accounts/${ids.minicrm}/lookups/users`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.[0]).toMatchObject({ field: 'accountId', message: expect.stringMatching(/refused the system id or API key/) });
    expect(refused.text).not.toContain('minicrm-wrong-key');
  });
});
