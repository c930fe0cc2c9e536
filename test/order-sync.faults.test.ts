import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, waitFor } from './support/order-sync-scenario';
import type { IntegrationStatus } from '../workflows/control';

/**
 * Flaky providers: a fifth of all calls to each fake fail with 429 or 5xx, and some MiniCRM
 * uploads are carried out but their answer is lost. The sync still delivers every order exactly
 * once, and the providers' real limits are never crossed (no UNAS ban, no MiniCRM violation).
 */
describe('order sync with faulty providers', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { orderSync: { pageSize: 100 } } });
    // Real limits on both fakes (UNAS VIP plan); the accounts say the same.
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: 90, seed: 11 }, { seed: 12 }));
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('delivers every order exactly once, without a ban or a limit violation', async () => {
    unas.addOrders(600, { status: 'Beérkezett' });
    const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 90 } });
    const id = await createOrderSync(h, ids);
    // From the first run on: saving asks MiniCRM whether the owner, fields and statuses exist, and
    // a fault there is a 502 for the user to retry, not what this test is about.
    unas.faults = { failRate: 0.2, statuses: [429, 500, 502, 503] };
    crm.faults = { failRate: 0.2, statuses: [429, 500, 502, 503], lostAnswerRate: 0.1 };
    await waitFor('600 order cards', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 600, 120_000);
    const status = await waitFor(
      'the run to finish',
      async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status,
      (s) => s.state === 'idle' && s.lastRunFinishedAt !== null,
    );

    expect(exactlyOnce(unas, crm)).toEqual({ missing: [], duplicated: [], extra: [] });
    expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(600);
    expect(status.counts.created).toBe(600);
    expect(unas.banned).toBe(false);
    expect(crm.limitViolations).toBe(0);
    // The faults really happened, on both sides, including uploads carried out with a lost answer.
    const failed = (fake: { calls: { status: number | string }[] }) => fake.calls.filter((c) => typeof c.status === 'number' && c.status >= 429).length;
    expect(failed(unas)).toBeGreaterThan(0);
    expect(failed(crm)).toBeGreaterThan(0);
  });
});
