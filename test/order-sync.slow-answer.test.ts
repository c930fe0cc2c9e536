import { msToNumber } from '@temporalio/common/lib/time';
import { HEARTBEAT_TIMEOUT } from '../workflows/activity-options';
import type { IntegrationStatus } from '../workflows/control';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, waitFor } from './support/order-sync-scenario';

const ORDERS = 250;
const PAGE_SIZE = 100;
const UPLOAD_PATH = /^\/Api\/SyncFeed\/[^/]+\/Upload\/?$/;

/**
 * A provider that answers after longer than the heartbeat timeout, with the real worker, Temporal
 * server and fakes: the page still completes in one attempt, because the activity heartbeats on a
 * timer while the request is in flight, and the orders arrive once. The answer comes 5 s after the
 * heartbeat timeout to keep the suite fast; a MiniCRM upload of 100 s or more (its requests may take
 * 180 s, UNAS's 120 s) is the same mechanism, only longer.
 */
describe('a provider slower than the heartbeat timeout', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { orderSync: { pageSize: PAGE_SIZE } } });
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: 1000 }, {}));
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('a MiniCRM upload answered after heartbeat timeout + 5 s: one attempt, every order once', async () => {
    const slowMs = msToNumber(HEARTBEAT_TIMEOUT) + 5_000;
    // Changed a minute ago, so the first run reads all of them in one window: three pages, three uploads.
    unas.addOrders(ORDERS, { status: 'Beérkezett', modifiedAt: Date.now() - 60_000 });
    // The second of the three uploads (one per page): earlier pages are done, later ones wait on it.
    let uploadsSeen = 0;
    let slow: { body: string; receivedAt: number } | undefined;
    crm.answerSlowly(slowMs, (req) => {
      if (!UPLOAD_PATH.test(req.path) || ++uploadsSeen !== 2) return false;
      slow = { body: req.body, receivedAt: Date.now() };
      return true;
    });

    const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 1000 } });
    const integrationId = await createOrderSync(h, ids);
    const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${integrationId}`)).body.status;
    const done = await waitFor('every order to be written', status, (s) => s.counts.created >= ORDERS && s.state === 'idle', 120_000);

    // The premise: the slow answer really came after the heartbeat timeout.
    const slowCalls = crm.calls.filter((c) => c.body === slow?.body);
    expect(slowCalls).toHaveLength(1); // the fake saw the slow request once: it was never sent again
    expect(slowCalls[0]!.at - slow!.receivedAt).toBeGreaterThanOrEqual(slowMs);

    // Every activity of the workflow completed in its first attempt (a heartbeat timeout would show as attempt 2).
    const history = await h.temporal.workflow.getHandle(`integration-${integrationId}`).fetchHistory();
    const events = history.events ?? [];
    const attempts = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.every((a) => a === 1)).toBe(true);
    expect(events.filter((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskFailedEventAttributes)).toEqual([]);

    // The data arrives once: one upload per page, one card per order.
    expect(crm.calls.filter((c) => UPLOAD_PATH.test(c.path))).toHaveLength(Math.ceil(ORDERS / PAGE_SIZE));
    expect(exactlyOnce(unas, crm)).toEqual({ missing: [], duplicated: [], extra: [] });
    expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(ORDERS);
    expect(done.counts.created).toBe(ORDERS);
    expect(done.lastError).toBeNull();
  }, 180_000);
});
