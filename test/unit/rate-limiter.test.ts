import { isConnectorError } from '../../connectors/kit/errors';
import { RateLimiter } from '../../connectors/kit/rate-limiter';
import { createTestDatabase } from '../support/database';

/** The limiter against the real PostgreSQL: the count must be exact for any window, across callers. */
describe('per-account rate limiter', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('never lets more calls into a window than the limit, however many callers race', async () => {
    const a = new RateLimiter(db.database.pool);
    const b = new RateLimiter(db.database.pool); // a second worker
    const spec = { limit: 7, windowMs: 60_000, description: 'test calls per minute' };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tryAcquire('race', spec)));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.waitMs).toBeGreaterThan(55_000);
  });

  it('waits for a short wait, and turns a long one into a retryable rate-limited error', async () => {
    const limiter = new RateLimiter(db.database.pool);
    const spec = { limit: 1, windowMs: 400, description: 'test calls per 400 ms' };
    await limiter.acquire('test', 'short', spec);
    const started = Date.now();
    await limiter.acquire('test', 'short', spec);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    const hourly = { limit: 1, windowMs: 3_600_000, description: 'test calls per hour' };
    await limiter.acquire('test', 'long', hourly);
    const err = await limiter.acquire('test', 'long', hourly, { maxWaitMs: 1_000 }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.kind).toBe('rate-limited');
    expect(isConnectorError(err) && err.details.retryAfterMs).toBeGreaterThan(3_000_000);
  });

  it('keeps buckets apart, and a null limit is no limit', async () => {
    const limiter = new RateLimiter(db.database.pool);
    const spec = { limit: 1, windowMs: 60_000, description: 'x' };
    expect((await limiter.tryAcquire('account-1', spec)).ok).toBe(true);
    expect((await limiter.tryAcquire('account-2', spec)).ok).toBe(true);
    expect((await limiter.tryAcquire('account-1', spec)).ok).toBe(false);
    for (let i = 0; i < 5; i++) expect((await limiter.tryAcquire('off', { ...spec, limit: null })).ok).toBe(true);
  });
});
