import { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, orderSyncBody, startFakes } from './support/order-sync-scenario';

interface Problem {
  errors: { field: string; message: string }[];
}

/** A mistake in an order sync's config is a 422 naming the field when it is saved, not a failed first run. */
describe('order sync: the config is checked against MiniCRM when it is saved', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let ids: { unasAccountId: string; crmAccountId: string };

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    ({ unas, crm } = await startFakes());
    ids = await createAccounts(h, unas, crm);
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  const create = (config: Record<string, unknown>) => h.request<Problem & { id: string; config: Record<string, unknown> }>('POST', '/integrations', orderSyncBody(ids.unasAccountId, ids.crmAccountId, config));

  it('refuses a status map naming a status MiniCRM does not have, naming the UNAS status it maps', async () => {
    const res = await create({ statusMap: { Beérkezett: 'Új rendelés', 'Feldolgozás alatt': 'Folyamatban' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'config.statusMap.Feldolgozás alatt', message: expect.stringMatching(/"Folyamatban" is not a status of the Orders module.*"Feldolgozás"/) }]);
  });

  it('refuses an owner who is not a MiniCRM user and fields the Orders module lacks, listing what there is', async () => {
    const res = await create({ owner: 'Kis Béla', linkField: 'InvoiceLink', statusField: 'UnasStatus' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'config.owner', message: expect.stringMatching(/"Kis Béla" is not a MiniCRM user.*"Kovács Anna", "Nagy Péter"/) },
      { field: 'config.linkField', message: expect.stringMatching(/no field "InvoiceLink".*"UnasLink"/) },
    ]);
  });

  it('accepts names and ids MiniCRM knows, whatever their case', async () => {
    const res = await create({ owner: 102, statusMap: { Beérkezett: '3001', Teljesítve: 'teljesítve' } });
    expect(res.status).toBe(201);
  });

  it('checks a PATCH the same way and leaves the saved config as it was', async () => {
    const created = await create({});
    expect(created.status).toBe(201);
    const res = await h.request<Problem>('PATCH', `/integrations/${created.body.id}`, { config: { statusMap: { Beérkezett: 'Elküldve' } } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'config.statusMap.Beérkezett', message: expect.stringMatching(/"Elküldve" is not a status/) }]);
    const after = await h.request<{ config: { statusMap: Record<string, string> } }>('GET', `/integrations/${created.body.id}`);
    expect(after.body.config.statusMap).toEqual(created.body.config.statusMap);
  });

  it('refuses a MiniCRM account without the Orders and Webshop modules the XML sync writes to', async () => {
    const bare = new MiniCrmFake({ categories: { '1': 'Sales' }, statuses: { '1': { '2501': 'Érdeklődő' } }, customFields: { '1': [] } });
    await bare.start();
    try {
      const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'minicrm', name: 'Sales only', baseUrl: bare.url, credentials: { systemId: bare.systemId, apiKey: bare.apiKey } });
      const res = await h.request<Problem>('POST', '/integrations', orderSyncBody(ids.unasAccountId, account.body.id));
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e) => e.field)).toEqual(['config.ordersCategoryId', 'config.webshopCategoryId']);
      expect(res.body.errors[0]!.message).toMatch(/no Orders module.*Sales \(1\)/);
    } finally {
      await bare.close();
    }
  });

  it('names the target account when MiniCRM refuses its credentials', async () => {
    const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'minicrm', name: 'Wrong key', baseUrl: crm.url, credentials: { systemId: crm.systemId, apiKey: 'minicrm-wrong-key' } });
    const res = await h.request<Problem>('POST', '/integrations', orderSyncBody(ids.unasAccountId, account.body.id));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'target.accountId', message: expect.stringMatching(/refused the system id or API key/) }]);
  });
});
