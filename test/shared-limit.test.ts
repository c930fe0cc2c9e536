import { MiniCrmFake } from './fakes/minicrm-fake';
import { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { orderSyncBody, waitFor } from './support/order-sync-scenario';

const orderQueries = (unas: UnasFake) => unas.calls.filter((c) => c.path.endsWith('/getOrder') && c.status === 200).length;

/**
 * A provider limit belongs to the account, not to an integration or a worker: two integrations
 * reading the same UNAS account, run by two workers, together never make more order queries than
 * the account's plan allows (UNAS bans the shop's IP for an hour on the first excess).
 */
describe('a per-account limit shared by two integrations and two workers', () => {
  let h: Harness;
  let unas: UnasFake;
  let crms: MiniCrmFake[];

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { orderSync: { pageSize: 10 } } });
    await h.addWorker(); // a second worker on the same task queue
    unas = new UnasFake({ orderQueriesPerHour: 6 });
    crms = [new MiniCrmFake(), new MiniCrmFake()];
    await Promise.all([unas.start(), ...crms.map((c) => c.start())]);
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), ...(crms ?? []).map((c) => c.close())]);
  });

  it('stops at the plan’s 6 order queries an hour across both, and the shop is never banned', async () => {
    unas.addOrders(200, { status: 'Beérkezett' });
    const shop = await h.request<{ id: string }>('POST', '/accounts', { system: 'unas', name: 'Shop', baseUrl: unas.url, credentials: { apiKey: 'unas-test-key' }, limits: { orderQueriesPerHour: 6 } });
    for (const [i, crm] of crms.entries()) {
      const target = await h.request<{ id: string }>('POST', '/accounts', { system: 'minicrm', name: `CRM ${i}`, baseUrl: crm.url, credentials: { systemId: crm.systemId, apiKey: crm.apiKey } });
      const created = await h.request('POST', '/integrations', { ...orderSyncBody(shop.body.id, target.body.id), name: `sync ${i}` });
      expect(created.status).toBe(201);
    }

    // Each integration alone needs 20 pages; together they get the account's 6 queries, no more.
    await waitFor('the account’s 6 order queries to be used', () => orderQueries(unas), (n) => n >= 6);
    await new Promise((r) => setTimeout(r, 5_000)); // both workers keep trying meanwhile
    expect(orderQueries(unas)).toBe(6);
    expect(unas.banned).toBe(false);
    // What was read was written: the sync is held back by the limit, not broken by it.
    expect(crms[0]!.projects(17).length + crms[1]!.projects(17).length).toBeGreaterThan(0);
  });
});
