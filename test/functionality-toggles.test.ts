import { randomUUID } from 'node:crypto';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, startFakes } from './support/order-sync-scenario';

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  integrations?: { id: string; name: string; kind: string }[];
}
interface AccountView {
  id: string;
  name: string;
  functionalities: Record<string, boolean>;
}
interface HubItem {
  functionality: string;
  label: string;
  systems: { id: string; name: string; authType: string }[];
  accounts: { id: string; name: string; system: string; status: string; enabled: boolean }[];
}

/** The hub's toggles and catalogue through the HTTP API (enforcement has its own end-to-end test). */
describe('functionality toggles and the hub', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let ids: { unasAccountId: string; crmAccountId: string };
  let integrationId: string;

  const toggle = (accountId: string, name: string, body: unknown) => h.request<Problem & AccountView>('PATCH', `/accounts/${accountId}/functionalities/${name}`, body);
  const account = async (id: string) => (await h.request<AccountView>('GET', `/accounts/${id}`)).body;

  beforeAll(async () => {
    // With a worker: switching on asks each integration's workflow for its status.
    h = await startHarness();
    ({ unas, crm } = await startFakes());
    ids = await createAccounts(h, unas, crm);
    integrationId = await createOrderSync(h, ids);
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it("shows every functionality of the account's system, on by default", async () => {
    expect((await account(ids.crmAccountId)).functionalities).toEqual({ orders: true, crm: true });
    expect((await account(ids.unasAccountId)).functionalities).toEqual({ orders: true });
    const list = await h.request<{ items: AccountView[] }>('GET', '/accounts');
    expect(list.body.items.find((a) => a.id === ids.crmAccountId)?.functionalities).toEqual({ orders: true, crm: true });
  });

  it('answers 404 for an unknown account and 422 for a functionality its system lacks, naming the valid ones', async () => {
    const missing = await toggle(randomUUID(), 'crm', { enabled: false, confirm: true });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body.detail).toMatch(/no account/);

    const sms = await toggle(ids.crmAccountId, 'sms', { enabled: false, confirm: true });
    expect(sms.status).toBe(422);
    expect(sms.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(sms.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/"sms" is not a functionality of minicrm; valid: crm, orders/) }]);

    const unknown = await toggle(ids.crmAccountId, 'teleport', { enabled: true });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]?.field).toBe('name');
  });

  it('answers 422 naming the field for a body that is not {enabled, confirm?}', async () => {
    const wrongType = await toggle(ids.crmAccountId, 'crm', { enabled: 'no' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors?.map((e) => e.field)).toEqual(['enabled']);
    const extra = await toggle(ids.crmAccountId, 'crm', { enabled: false, confirm: true, force: true });
    expect(extra.status).toBe(422);
    expect(extra.body.detail).toMatch(/force/);
    expect((await account(ids.crmAccountId)).functionalities.crm).toBe(true);
  });

  it('asks for confirmation before switching off, listing the integrations that would stop', async () => {
    const res = await toggle(ids.crmAccountId, 'crm', { enabled: false });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.integrations).toEqual([{ id: integrationId, name: 'UNAS → MiniCRM', kind: 'order-sync' }]);
    expect(res.body.detail).toMatch(/switching off CRM of account "CRM" stops 1 integration/);
    expect(res.body.detail).toContain(integrationId);
    expect(res.body.errors).toEqual([{ field: 'confirm', message: expect.stringMatching(/must be true/) }]);
    expect((await account(ids.crmAccountId)).functionalities.crm).toBe(true);

    // The order sync uses MiniCRM's CRM, not its Orders: switching Orders off stops nothing.
    const orders = await toggle(ids.crmAccountId, 'orders', { enabled: false });
    expect(orders.status).toBe(409);
    expect(orders.body.integrations).toEqual([]);
    expect(orders.body.detail).toMatch(/stops no integration/);
  });

  it('switches off with confirm: saved, and shown in the view', async () => {
    const res = await toggle(ids.crmAccountId, 'crm', { enabled: false, confirm: true });
    expect(res.status).toBe(200);
    expect(res.body.functionalities).toEqual({ orders: true, crm: false });
    expect((await account(ids.crmAccountId)).functionalities).toEqual({ orders: true, crm: false });
    // Already off: nothing to confirm.
    expect((await toggle(ids.crmAccountId, 'crm', { enabled: false })).status).toBe(200);
  });

  it('groups the catalogue by functionality, with the accounts of each and their toggle', async () => {
    const res = await h.request<{ items: HubItem[] }>('GET', '/hub');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.functionality, i.label])).toEqual([
      ['orders', 'Orders'],
      ['crm', 'CRM'],
      ['tasks', 'Tasks'],
      ['sms', 'SMS'],
      ['email', 'Email'],
      ['documents', 'Documents'],
      ['mailing-list', 'Mailing lists'],
      ['spreadsheet', 'Spreadsheets'],
    ]);
    const byName = new Map(res.body.items.map((i) => [i.functionality, i]));
    expect(byName.get('crm')!.systems.map((s) => s.id).sort()).toEqual(['minicrm', 'nethunt', 'sumit']);
    expect(byName.get('crm')!.systems.find((s) => s.id === 'minicrm')).toEqual({ id: 'minicrm', name: 'MiniCRM', authType: expect.any(String), oauth: false });
    // The worker's first sync may have marked the accounts active by now.
    const crmStatus = expect.stringMatching(/^(unchecked|active)$/);
    const unasStatus = crmStatus;
    expect(byName.get('crm')!.accounts).toEqual([{ id: ids.crmAccountId, name: 'CRM', system: 'minicrm', status: crmStatus, enabled: false }]);
    expect(byName.get('orders')!.accounts).toEqual([
      { id: ids.unasAccountId, name: 'Webshop', system: 'unas', status: unasStatus, enabled: true },
      { id: ids.crmAccountId, name: 'CRM', system: 'minicrm', status: crmStatus, enabled: true },
    ]);
    expect(byName.get('sms')!.systems.map((s) => s.id).sort()).toEqual(['8x8', 'sumit']);
    expect(byName.get('sms')!.accounts).toEqual([]);

    const sms = await h.request<{ items: HubItem[] }>('GET', '/hub?functionality=crm');
    expect(sms.body.items.map((i) => i.functionality)).toEqual(['crm']);

    const bad = await h.request<Problem>('GET', '/hub?functionality=fax');
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0]?.field).toBe('query.functionality');
  });

  it('switches on without confirm', async () => {
    const res = await toggle(ids.crmAccountId, 'crm', { enabled: true });
    expect(res.status).toBe(200);
    expect(res.body.functionalities).toEqual({ orders: true, crm: true });
    const hub = await h.request<{ items: HubItem[] }>('GET', '/hub?functionality=crm');
    expect(hub.body.items[0]!.accounts[0]!.enabled).toBe(true);
  });

  it('lists the endpoints and their schemas in /openapi.json', async () => {
    const doc = await h.request<{ paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> }>('GET', '/openapi.json');
    const toggleOp = doc.body.paths['/accounts/{id}/functionalities/{name}']!.patch!;
    expect(JSON.stringify(toggleOp.requestBody)).toContain('"enabled"');
    expect(JSON.stringify(toggleOp.responses['409'])).toContain('"integrations"');
    expect(JSON.stringify(doc.body.paths['/hub']!.get!.responses['200'])).toContain('"accounts"');
    expect(JSON.stringify(doc.body.paths['/accounts/{id}']!.get!.responses['200'])).toContain('"functionalities"');
  });
});
