import type { Pool } from 'pg';
import { rateLimitedError } from './errors';

export interface LimitSpec {
  /** Calls allowed per window; null switches the limit off. */
  limit: number | null;
  windowMs: number;
  description: string;
}

/**
 * Per-account limits shared by every integration and every worker, kept in PostgreSQL as a
 * sliding-window log. A token bucket would allow twice the limit inside one window (a full
 * bucket, then its refill); providers such as UNAS ban an IP for an hour on the first excess, so
 * the count must be exact for any window, not just on average.
 */
export class RateLimiter {
  constructor(private readonly pool: Pool) {}

  /** Takes one slot if free; otherwise says how long until the oldest call leaves the window. */
  async tryAcquire(bucket: string, spec: LimitSpec, cost = 1): Promise<{ ok: true } | { ok: false; waitMs: number }> {
    if (spec.limit === null) return { ok: true };
    // A call reaches the provider a little after it takes its slot (the commit, the event loop, the
    // connection): a window as long as the provider's would let the next call land inside it when the
    // one before went out late. 5% of the window (at most 100 ms) absorbs that at a cost of 5% of
    // the rate on per-second limits and nothing noticeable on longer ones.
    const windowMs = spec.windowMs + Math.min(100, Math.round(spec.windowMs * 0.05));
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      // The slot log is bookkeeping: losing its last entries in a PostgreSQL crash costs at most a
      // call that waits for nothing; waiting for the WAL flush on every call delays the call itself.
      await client.query('set local synchronous_commit to off');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [bucket]);
      // clock_timestamp(), not now(): now() is when the transaction began, before it waited for the
      // lock, so a call recorded at now() would be dated earlier than it goes out and the next one
      // let through too soon.
      await client.query(`delete from rate_limit_events where bucket = $1 and at <= clock_timestamp() - ($2 || ' milliseconds')::interval`, [bucket, windowMs]);
      const { rows } = await client.query<{ n: string; oldest: Date | null }>(
        'select count(*) as n, min(at) as oldest from rate_limit_events where bucket = $1',
        [bucket],
      );
      const used = Number(rows[0]?.n ?? 0);
      if (used + cost > spec.limit) {
        await client.query('commit');
        const oldest = rows[0]?.oldest?.getTime() ?? Date.now();
        return { ok: false, waitMs: Math.max(50, oldest + windowMs - Date.now() + 25) };
      }
      await client.query('insert into rate_limit_events (bucket, at) select $1, clock_timestamp() from generate_series(1, $2)', [bucket, cost]);
      await client.query('commit');
      return { ok: true };
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Waits for a slot while the wait is short (heartbeating meanwhile); a longer wait becomes a
   * rate-limited error so Temporal retries the activity later instead of holding a worker slot.
   */
  async acquire(
    system: string,
    bucket: string,
    spec: LimitSpec,
    options: { maxWaitMs?: number; heartbeat?: () => void; cost?: number } = {},
  ): Promise<void> {
    const maxWaitMs = options.maxWaitMs ?? 65_000;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await this.tryAcquire(bucket, spec, options.cost);
      if (r.ok) return;
      if (Date.now() + r.waitMs > deadline) {
        throw rateLimitedError(system, `${spec.description}: limit of ${spec.limit} reached, next slot in ${Math.ceil(r.waitMs / 1000)} s`, r.waitMs);
      }
      options.heartbeat?.();
      await new Promise((resolve) => setTimeout(resolve, Math.min(r.waitMs, 5_000)));
    }
  }
}
