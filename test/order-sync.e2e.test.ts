import type { IntegrationStatus } from '../workflows/control';
import { recordHistory } from './support/histories';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, STATUS_MAP, waitFor } from './support/order-sync-scenario';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';

type View = { status: IntegrationStatus };

describe('order sync UNAS → MiniCRM, end to end through the HTTP API', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let integrationId: string;

  const status = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body.status;
  const statusIdOf = (name: string) => Number(Object.entries({ 3001: 'Új rendelés', 3002: 'Feldolgozás', 3003: 'Teljesítve', 3004: 'Sztornó' }).find(([, n]) => n === name)![0]);

  beforeAll(async () => {
    h = await startHarness();
    // A VIP-sized plan on both sides: this test is about correctness, the limits have their own test.
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: 1000 }, {}));
    const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 1000 } });
    const old = unas.addOrder({ placedAt: Date.parse('2019-12-31T10:00:00Z') });
    expect(old.key).toBeDefined();
    unas.addOrders(2000, { status: 'Beérkezett' });
    integrationId = await createOrderSync(h, ids, { syncFrom: '2020-01-01' });
  });

  afterAll(async () => {
    if (h && integrationId) await recordHistory(h.temporal, `integration-${integrationId}`, 'order-sync-e2e');
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('creates exactly one card per order, with mapped status, owner, invoice link and UNAS status', async () => {
    await waitFor('2,000 order cards', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 2000);
    await waitFor('the run to finish', status, (s) => s.state === 'idle');
    const check = exactlyOnce(unas, crm);
    // The order placed before syncFrom is not synced, so it counts as "missing" only if we expected it.
    expect(check.missing.filter((k) => !k.endsWith(unas.orders[0]!.key))).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(2000);
    expect(crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${unas.orders[0]!.key}`)).toBeUndefined();

    for (const order of unas.orders.slice(1, 50)) {
      const card = crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${order.key}`)!;
      expect(card.StatusId).toBe(statusIdOf(STATUS_MAP.Beérkezett));
      expect(card.UserId).toBe(101);
      expect(card.fields.UnasLink).toBe(order.invoice.url);
      expect(card.fields.UnasStatus).toBe('Beérkezett');
      expect(card.orders[0]?.Products.length).toBe(order.items.length);
    }
    // The buyer's data lands in the Webshop module, one card per customer.
    expect(crm.projects(18)).toHaveLength(2000);
    const s = await status();
    expect(s.counts.created).toBe(2000);
    expect(s.lastError).toBeNull();
  });

  it('updates the same card when an order changes later, never a second one', async () => {
    const changed = unas.orders.slice(1, 101);
    for (const o of changed) unas.updateOrder(o.key, { status: 'Teljesítve' });
    await h.request('POST', `/integrations/${integrationId}/run`);
    await waitFor('100 cards to show Teljesítve', () => crm.projects(ORDERS_CATEGORY).filter((c) => c.fields.UnasStatus === 'Teljesítve').length, (n) => n === 100);
    expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(2000);
    const card = crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${changed[0]!.key}`)!;
    expect(card.StatusId).toBe(statusIdOf('Teljesítve'));
    expect(exactlyOnce(unas, crm).duplicated).toEqual([]);
  });

  it('holds orders whose status is not mapped, reports them, and syncs them once the map has it', async () => {
    const cancelled = unas.addOrders(7, { status: 'Törölve' });
    await h.request('POST', `/integrations/${integrationId}/run`);
    const held = await waitFor('held orders in the status', status, (s) => s.heldByStatus['Törölve'] === 7);
    expect(held.counts.held).toBeGreaterThanOrEqual(7);
    for (const o of cancelled) expect(crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${o.key}`)).toBeUndefined();
    const cursorBefore = held.cursor;

    const patch = await h.request('PATCH', `/integrations/${integrationId}`, { config: { statusMap: `{”Beérkezett”: ”Új rendelés”, ”Feldolgozás alatt”: ”Feldolgozás”, ”Teljesítve”: ”Teljesítve”, ”Törölve”: ”Sztornó”}` } });
    expect(patch.status).toBe(200);
    await waitFor('the held orders to sync', () => cancelled.filter((o) => crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${o.key}`)).length, (n) => n === 7);
    const card = crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${cancelled[0]!.key}`)!;
    expect(card.StatusId).toBe(statusIdOf('Sztornó'));
    const after = await waitFor('held counts to clear', status, (s) => !s.heldByStatus['Törölve']);
    // A config change never resets the cursor.
    expect((after.cursor as { since: number }).since).toBeGreaterThanOrEqual((cursorBefore as { since: number }).since);
    expect((after.cursor as { since: number }).since).toBeGreaterThan(0);
  });

  it('makes no call to either system while paused, and catches up once on resume', async () => {
    expect((await h.request('POST', `/integrations/${integrationId}/pause`)).status).toBe(202);
    await waitFor('paused state', status, (s) => s.state === 'paused');
    const callsBefore = unas.calls.length + crm.calls.length;
    const added = unas.addOrders(30, { status: 'Feldolgozás alatt' });
    await h.request('POST', `/integrations/${integrationId}/run`);
    await new Promise((r) => setTimeout(r, 12_000)); // longer than the 10 s poll interval
    expect(unas.calls.length + crm.calls.length).toBe(callsBefore);
    expect((await h.request<{ enabled: boolean }>('GET', `/integrations/${integrationId}`)).body.enabled).toBe(false);

    expect((await h.request('POST', `/integrations/${integrationId}/resume`)).status).toBe(202);
    await waitFor('the backlog to sync', () => added.filter((o) => crm.projectByExternalId(ORDERS_CATEGORY, `unas-order-${o.key}`)).length, (n) => n === 30);
    const check = exactlyOnce(unas, crm, false);
    expect(check.duplicated).toEqual([]);
  });

  it('rejects a change of syncFrom, and stops the workflow cleanly on delete', async () => {
    const res = await h.request<{ errors: { field: string; message: string }[] }>('PATCH', `/integrations/${integrationId}`, { config: { syncFrom: '2021-01-01' } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'config.syncFrom' });
    expect(res.body.errors[0]!.message).toMatch(/never change/);

    expect((await h.request('DELETE', `/integrations/${integrationId}`)).status).toBe(204);
    expect((await h.request('GET', `/integrations/${integrationId}`)).status).toBe(404);
    const description = await h.temporal.workflow.getHandle(`integration-${integrationId}`).describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
