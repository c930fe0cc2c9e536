import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { integrations } from '../db/schema';
import { startTemporalDevServer, type DevServer } from '../lib/dev/temporal-dev-server';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startHarness, type ApiResponse, type Harness } from './support/harness';
import { createAccounts, createOrderSync, startFakes } from './support/order-sync-scenario';

interface Problem {
  status: number;
  detail: string;
  unavailable?: string;
  postgres?: string;
  temporal?: string;
}

/** "Never hangs", not a speed benchmark: generous for a loaded CI machine. */
const NEVER_HANGS_MS = 15_000;

async function timed<T>(call: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T> & { ms: number }> {
  const started = Date.now();
  const res = await call();
  return { ...res, ms: Date.now() - started };
}

function expectUnavailable(res: ApiResponse<Problem> & { ms: number }, dependency: 'PostgreSQL' | 'Temporal') {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(res.body.detail).toContain(`${dependency} is unreachable`);
  expect(res.ms).toBeLessThan(NEVER_HANGS_MS);
}

/** The real API with Temporal, then PostgreSQL, stopped under it: a 503 naming which, never a 500 or a hang. */
describe('Temporal and PostgreSQL stopped under the API', () => {
  describe('Temporal stopped', () => {
    let dir: string;
    let server: DevServer | undefined;
    let h: Harness;
    let unas: UnasFake;
    let crm: MiniCrmFake;
    let id: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(path.resolve(__dirname, '..', '.cache'), 'outage-temporal-'));
      // A Temporal server of this file's own, so stopping it disturbs no other test file.
      server = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: path.join(dir, 'temporal.db') });
      h = await startHarness({ temporalAddress: server.address });
      ({ unas, crm } = await startFakes());
      id = await createOrderSync(h, await createAccounts(h, unas, crm));
      expect((await h.request('GET', '/readyz')).body).toEqual({ postgres: 'ok', temporal: 'ok' });
      await h.stopWorkers();
      await server.stop();
      server = undefined;
    });
    afterAll(async () => {
      await h?.close();
      await server?.stop();
      await Promise.all([unas?.close(), crm?.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const enabledInDatabase = async () => (await h.database.db.select({ enabled: integrations.enabled }).from(integrations).where(eq(integrations.id, id)))[0]?.enabled;

    it('GET /integrations/:id answers 503 with Retry-After, naming Temporal', async () => {
      expectUnavailable(await timed(() => h.request<Problem>('GET', `/integrations/${id}`)), 'Temporal');
    });

    it('POST pause answers 503 and leaves enabled unchanged in the database', async () => {
      expect(await enabledInDatabase()).toBe(true);
      const res = await timed(() => h.request<Problem>('POST', `/integrations/${id}/pause`));
      expectUnavailable(res, 'Temporal');
      expect(res.body.unavailable).toBe('Temporal');
      expect(await enabledInDatabase()).toBe(true);
    });

    it('what needs only PostgreSQL still answers', async () => {
      const list = await h.request<{ items: { id: string }[] }>('GET', '/integrations');
      expect(list.status).toBe(200);
      expect(list.body.items.map((i) => i.id)).toContain(id);
    });

    it('/readyz says Temporal is down; /healthz still answers', async () => {
      const res = await timed(() => h.request<Problem>('GET', '/readyz', undefined, { authorization: '' }));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).toMatchObject({ postgres: 'ok', temporal: 'down' });
      expect(res.body.detail).toMatch(/^Temporal is unreachable/);
      expect(res.ms).toBeLessThan(NEVER_HANGS_MS);
      expect((await h.request('GET', '/healthz')).status).toBe(200);
    });
  });

  describe('PostgreSQL stopped', () => {
    let dir: string;
    let postgres: EmbeddedDatabase | undefined;
    let h: Harness | undefined;

    beforeAll(async () => {
      // A PostgreSQL server of this test's own (git-ignored .cache), so stopping it disturbs no other test file.
      dir = path.resolve(__dirname, '..', '.cache', `outage-postgres-${randomBytes(4).toString('hex')}`);
      postgres = await startEmbeddedPostgres(dir);
      h = await startHarness({ postgresUrl: postgres.url, noWorker: true });
      expect((await h.request('GET', '/integrations')).status).toBe(200);
      await postgres.stop();
      postgres = undefined;
    }, 240_000);
    afterAll(async () => {
      // Its database went with the server: close() cannot drop it.
      await h?.close().catch(() => undefined);
      await postgres?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('GET /integrations answers 503 with Retry-After, naming PostgreSQL', async () => {
      const res = await timed(() => h!.request<Problem>('GET', '/integrations'));
      expectUnavailable(res, 'PostgreSQL');
      expect(res.body.unavailable).toBe('PostgreSQL');
    });

    it('/readyz says PostgreSQL is down and Temporal is not', async () => {
      const res = await timed(() => h!.request<Problem>('GET', '/readyz'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).toMatchObject({ postgres: 'down', temporal: 'ok' });
      expect(res.body.detail).toMatch(/^PostgreSQL is unreachable/);
      expect(res.ms).toBeLessThan(NEVER_HANGS_MS);
    });
  });
});
