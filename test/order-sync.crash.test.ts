import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../db/embedded';
import { startTemporalDevServer, type DevServer } from '../lib/dev/temporal-dev-server';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { recordHistory } from './support/histories';
import { reportRecovery } from './support/recovery';
import { startHarness, type Harness } from './support/harness';
import { cardsByOrder, createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, waitFor } from './support/order-sync-scenario';
import { spawnWorker } from './support/worker-process';

/**
 * Crashes in the middle of a sync: the worker process killed with SIGKILL (no shutdown hook runs),
 * and the Temporal server itself killed and restarted on its SQLite file. Every order must end up
 * in the CRM exactly once.
 */
describe('order sync survives crashes', () => {
  let dir: string;
  let server: DevServer;
  let port: number;
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-test-'));
    port = await freePort();
    // A Temporal server of this file's own, so restarting it disturbs no other test file.
    server = await startTemporalDevServer({ port, uiPort: null, dbFile: path.join(dir, 'temporal.db') });
    h = await startHarness({ temporalAddress: server.address, noWorker: true });
  });

  afterAll(async () => {
    await h?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: null, seed: 7 }, { syncUploadsPerHour: null }));
  });
  afterEach(async () => {
    await Promise.all([unas.close(), crm.close()]);
  });

  it('a worker killed with SIGKILL mid-sync (uploads in flight) and a new one started: every order exactly once', async () => {
    unas.addOrders(1500);
    // Slow uploads make it likely that the kill lands while one is in flight.
    crm.faults = { failRate: 0, delayMs: 150 };
    const first = spawnWorker(h, { ORDER_SYNC_PAGE_SIZE: '100' });
    await first.ready;
    const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 10_000 }, crm: { syncUploadsPerHour: 10_000 } });
    const integrationId = await createOrderSync(h, ids);
    await waitFor('a third of the orders', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 500);
    const killedAt = Date.now();
    await first.kill();
    const atKill = crm.projects(ORDERS_CATEGORY).length;
    expect(atKill).toBeLessThan(1500);

    const second = spawnWorker(h, { ORDER_SYNC_PAGE_SIZE: '100' });
    try {
      await second.ready;
      const readyAt = Date.now();
      await waitFor('all 1,500 orders', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 1500, 120_000);
      await new Promise((r) => setTimeout(r, 1_000)); // anything still in flight lands now
      const check = exactlyOnce(unas, crm);
      expect(check).toEqual({ missing: [], duplicated: [], extra: [] });
      expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(1500);
      await reportRecovery(h.temporal, 'order-sync, worker SIGKILLed mid-page', `integration-${integrationId}`, killedAt, readyAt);
    } finally {
      await second.kill();
    }
  }, 300_000); // two worker processes start from source (tsx), each bundling the workflows

  it('the Temporal server killed and restarted on its file mid-sync: the sync resumes and every order is there once', async () => {
    unas.addOrders(1500);
    crm.faults = { failRate: 0, delayMs: 100 };
    const worker = await h.addWorker({ orderSync: { pageSize: 100 } });
    try {
      const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 10_000 }, crm: { syncUploadsPerHour: 10_000 } });
      const integrationId = await createOrderSync(h, ids);
      await waitFor('some orders', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 300);
      server.process.kill('SIGKILL');
      await new Promise((r) => server.process.once('exit', r));
      await new Promise((r) => setTimeout(r, 2_000));
      server = await startTemporalDevServer({ port, uiPort: null, dbFile: path.join(dir, 'temporal.db') });

      await waitFor('all 1,500 orders after the restart', () => crm.projects(ORDERS_CATEGORY).length, (n) => n >= 1500, 120_000);
      const status = await waitFor(
        'the status to show the run finished',
        async () => (await h.request<{ status: { state: string; counts: { created: number } } }>('GET', `/integrations/${integrationId}`)).body.status,
        (s) => s.state === 'idle',
      );
      expect(status.counts.created).toBeGreaterThanOrEqual(1500);
      expect(exactlyOnce(unas, crm)).toEqual({ missing: [], duplicated: [], extra: [] });
      expect([...cardsByOrder(crm).values()].every((n) => n === 1)).toBe(true);
      await recordHistory(h.temporal, `integration-${integrationId}`, 'order-sync-temporal-restart');
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
