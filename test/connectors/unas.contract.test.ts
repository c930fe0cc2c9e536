import { unas } from '../../connectors/unas';
import { pollChangedOrders, type OrderCursor } from '../../connectors/unas/orders';
import type { FakeOutcome, FakeRequest } from '../fakes/fake-server';
import { UnasFake } from '../fakes/unas-fake';
import { unasError } from '../fakes/unas-fake-xml';
import { connectorFailure, connectorTestbed } from '../support/connector-context';

const failure = (p: Promise<unknown>) => connectorFailure(p);

/** A UNAS that, once told to, answers every call after login with an error quoting the session it was sent. */
class EchoingUnasFake extends UnasFake {
  echo = false;
  sessions: string[] = [];
  protected override handle(req: FakeRequest): FakeOutcome {
    const authorization = req.headers.authorization ?? '';
    if (!this.echo || req.path === '/login') return super.handle(req);
    this.sessions.push(authorization.replace(/^Bearer\s+/i, ''));
    return unasError(`Malformed request (${authorization}; session ${this.sessions.at(-1)})`, 400);
  }
}

describe('UNAS connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: UnasFake;

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new UnasFake({ orderQueriesPerHour: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  it('checks good credentials and refuses bad ones at once, with the provider message and no retry', async () => {
    const ok = await unas.check(bed.context(unas, fake.url, { apiKey: 'unas-test-key' }));
    expect(ok.details).toMatchObject({ shopId: expect.any(String) });
    const err = await failure(unas.check(bed.context(unas, fake.url, { apiKey: 'wrong-key-123' })));
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Invalid API key/);
    expect(err.message).not.toContain('wrong-key-123');
    expect(fake.calls.filter((c) => c.path === '/login')).toHaveLength(2);
  });

  it('reads every order of a burst larger than a page, on one timestamp, even when orders change between pages', async () => {
    const ctx = bed.context(unas, fake.url, { apiKey: 'unas-test-key' });
    const t = Date.now() - 10_000;
    fake.addOrders(1234, { placedAt: t, modifiedAt: t });
    const seen = new Map<string, number>();
    let cursor: OrderCursor | undefined;
    let pages = 0;
    for (;;) {
      const page = await pollChangedOrders(ctx, { syncFrom: '2020-01-01', pageSize: 200, overlap: 10, safetyLagSeconds: 0 }, cursor);
      for (const r of page.records) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
      cursor = page.nextCursor;
      pages++;
      // Between pages, orders early in UNAS's own order change: the rest shift down a place.
      if (pages === 2) for (const o of fake.orders.slice(0, 5)) fake.updateOrder(o.key, { status: 'Teljesítve' });
      if (!page.hasMore) break;
    }
    const stillInWindow = fake.orders.filter((o) => o.modifiedAt <= t + 999);
    for (const o of stillInWindow) expect(seen.has(o.key)).toBe(true);
    // The five changed orders come again with the next window, with their new status, once the
    // second they changed in is over (a window only reads whole elapsed seconds).
    const changedAt = Math.max(...fake.orders.slice(0, 5).map((o) => o.modifiedAt));
    await new Promise((r) => setTimeout(r, Math.max(0, changedAt + 1_100 - Date.now())));
    const next = await pollChangedOrders(ctx, { syncFrom: '2020-01-01', pageSize: 200, safetyLagSeconds: 0 }, cursor);
    expect(next.records.map((r) => r.id).sort()).toEqual(fake.orders.slice(0, 5).map((o) => o.key).sort());
  });

  it('scrubs the session token from an error that quotes it', async () => {
    const echoing = new EchoingUnasFake({ orderQueriesPerHour: null });
    await echoing.start();
    try {
      const ctx = bed.context(unas, echoing.url, { apiKey: 'unas-test-key' });
      await pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined);
      echoing.echo = true;
      const err = await failure(pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined));
      expect(err.message).toMatch(/Malformed request/);
      expect(echoing.sessions[0]).toMatch(/^[0-9a-f]{40}$/);
      expect(err.message).not.toContain(echoing.sessions[0]);
    } finally {
      await echoing.close();
    }
  });

  it('renews an expired token once and goes on', async () => {
    const ctx = bed.context(unas, fake.url, { apiKey: 'unas-test-key' });
    await pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined);
    fake.expireAllTokens();
    const page = await pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined);
    expect(page.records).toEqual([]);
    expect(fake.calls.filter((c) => c.path === '/login')).toHaveLength(2);
  });

  it('stays under the multi-order query limit instead of getting banned', async () => {
    const limited = new UnasFake({ orderQueriesPerHour: 3 });
    await limited.start();
    try {
      const ctx = bed.context(unas, limited.url, { apiKey: 'unas-test-key' }, { limits: { orderQueriesPerHour: 3 } });
      for (let i = 0; i < 3; i++) await pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined);
      const err = await failure(pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined));
      expect(err.kind).toBe('rate-limited');
      expect(err.details.retryAfterMs).toBeGreaterThan(60 * 60 * 1000 - 120_000);
      expect(limited.banned).toBe(false);
    } finally {
      await limited.close();
    }
  });

  it('waits out a ban until the time UNAS gives, but a plain 429 only its Retry-After', async () => {
    const strict = new UnasFake({ orderQueriesPerHour: 2 });
    await strict.start();
    try {
      // Our side thinks it has more: the third query breaches the shop's quota and gets the ban.
      const ctx = bed.context(unas, strict.url, { apiKey: 'unas-test-key' }, { limits: { orderQueriesPerHour: 10 } });
      for (let i = 0; i < 2; i++) await pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined);
      const banned = await failure(pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined));
      expect(banned.kind).toBe('rate-limited');
      expect(banned.details.retryAfterMs).toBeGreaterThan(55 * 60 * 1000);

      const plain = new UnasFake();
      await plain.start();
      try {
        plain.faults = { failRate: 1, statuses: [429] };
        const err = await failure(pollChangedOrders(bed.context(unas, plain.url, { apiKey: 'unas-test-key' }), { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined));
        expect(err.kind).toBe('rate-limited');
        // The fake's Retry-After is 1 s; an hour here stalled a sync for the rest of the hour.
        expect(err.details.retryAfterMs).toBeLessThanOrEqual(1_000);
      } finally {
        await plain.close();
      }
    } finally {
      await strict.close();
    }
  });

  it('turns a ban answer into a wait until the ban ends, and 5xx into a retryable error', async () => {
    const ctx = bed.context(unas, fake.url, { apiKey: 'unas-test-key' });
    fake.faults = { failRate: 1, statuses: [503] };
    const err = await failure(pollChangedOrders(ctx, { syncFrom: '2020-01-01', safetyLagSeconds: 0 }, undefined));
    expect(err.kind).toBe('transient');
    expect(err.retryable).toBe(true);
  });
});
