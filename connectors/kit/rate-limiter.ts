import type { Pool } from 'pg';
import { rateLimitedError } from './errors';

export interface LimitSpec {
  /** Calls allowed per window; null switches the limit off. */
  limit: number | null;
  windowMs: number;
  description: string;
}

/** Slots of one bucket this process took in one transaction and hands out from memory. */
interface Reservation {
  id: number;
  slots: number;
  used: number;
  /** Local time after which none is handed out: never later than the row's `at`. */
  usableUntil: number;
  /** When the lease ends (or would have, for one call taken at once): how fast the slots went. */
  leaseEnds: number;
  /** The unused slots went back to the table (or there were none); nothing more is handed out. */
  settled: boolean;
  timer?: NodeJS.Timeout;
}

interface Bucket {
  spec: string;
  current?: Reservation;
  /** Slots the next reservation asks for: doubles while batches run out, falls to what was used when one did not. */
  batch: number;
  /** The reservation under way: callers of the same bucket wait for it and take from it rather than reserve too. */
  busy?: Promise<unknown>;
}

type Outcome = { ok: true; answered: Answered } | { ok: false; waitMs: number };

/**
 * Called once the provider's answer is in. A call taken alone (near the limit) is dated in the
 * log when it was answered, a moment every provider counts it before; until then it is dated a
 * window ahead, so a caller that never reports counts it longer, never shorter.
 */
export type Answered = () => Promise<void>;
const NOTHING_TO_REPORT: Answered = async () => undefined;

const MAX_BATCH = 1024;
/** How long reserved slots may be handed out: at most a tenth of the window, at most a second. */
const leaseMs = (windowMs: number) => Math.min(1_000, Math.round(windowMs / 10));

/**
 * Per-account limits shared by every integration and every worker, kept in PostgreSQL as a
 * sliding-window log. A token bucket would allow twice the limit inside one window (a full
 * bucket, then its refill); providers such as UNAS ban an IP for an hour on the first excess, so
 * the count must be exact for any window, not just on average.
 *
 * A round trip per call would cost more than the call itself while an account is far from its
 * limit, so a worker reserves slots in batches: a row of `slots` calls dated at the end of a short
 * lease, handed out in memory until the lease ends, the rest given back. Dating the row at the
 * lease's end rather than its start keeps the log exact: every call made from it leaves the
 * provider's window no later than the row leaves ours. The batch is at most a quarter of what is
 * free, so near the limit it is one call taken at once (as without batches), and other workers
 * always find room; a worker that dies holding a batch blocks at most that batch for one window.
 */
export class RateLimiter {
  /** Queries sent to PostgreSQL: what the batches save shows here. */
  readonly stats = { roundTrips: 0, reservations: 0 };
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly pool: Pool) {}

  /** Takes one slot if free; otherwise says how long until the oldest call leaves the window. */
  async tryAcquire(bucketName: string, spec: LimitSpec, cost = 1): Promise<Outcome> {
    if (spec.limit === null) return { ok: true, answered: NOTHING_TO_REPORT };
    const key = `${spec.limit}/${spec.windowMs}`;
    for (;;) {
      const bucket = this.bucket(bucketName, key);
      if (bucket.busy) {
        await bucket.busy.catch(() => undefined);
        continue;
      }
      const r = bucket.current;
      if (r && !r.settled && r.used + cost <= r.slots && Date.now() < r.usableUntil) {
        r.used += cost;
        if (r.used === r.slots) this.settle(r);
        return { ok: true, answered: NOTHING_TO_REPORT };
      }
      const reserving = this.reserve(bucketName, bucket, { ...spec, limit: spec.limit }, cost);
      bucket.busy = reserving;
      try {
        return await reserving;
      } finally {
        bucket.busy = undefined;
      }
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
  ): Promise<Answered> {
    const maxWaitMs = options.maxWaitMs ?? 65_000;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await this.tryAcquire(bucket, spec, options.cost);
      if (r.ok) return r.answered;
      if (Date.now() + r.waitMs > deadline) {
        throw rateLimitedError(system, `${spec.description}: limit of ${spec.limit} reached, next slot in ${Math.ceil(r.waitMs / 1000)} s`, r.waitMs);
      }
      options.heartbeat?.();
      await new Promise((resolve) => setTimeout(resolve, Math.min(r.waitMs, 5_000)));
    }
  }

  /** Gives every unused reserved slot back, so a worker that stops leaves its share to the others. */
  async release(): Promise<void> {
    const pending = [...this.buckets.values()].map((b) => b.current).filter((r): r is Reservation => r !== undefined && !r.settled);
    await Promise.all(pending.map((r) => this.giveBack(r)));
  }

  private bucket(name: string, spec: string): Bucket {
    let b = this.buckets.get(name);
    if (!b || b.spec !== spec) {
      // A changed limit starts afresh: what was reserved under the old one goes back.
      if (b?.current && !b.current.settled) void this.giveBack(b.current);
      b = { spec, batch: 1 };
      this.buckets.set(name, b);
    }
    return b;
  }

  private async reserve(name: string, bucket: Bucket, spec: LimitSpec & { limit: number }, cost: number): Promise<Outcome> {
    const previous = bucket.current;
    bucket.current = undefined;
    let leftover: Reservation | undefined;
    if (previous) {
      if (!previous.settled && previous.used < previous.slots) leftover = previous;
      this.settle(previous);
      // Demand that used up a whole batch within its lease gets twice as many next time; less demand gets what it used.
      const ranOutInTime = previous.used >= previous.slots && Date.now() < previous.leaseEnds;
      bucket.batch = ranOutInTime ? Math.min(MAX_BATCH, bucket.batch * 2) : Math.max(1, Math.min(bucket.batch, previous.used));
    }
    // A call reaches the provider a little after it takes its slot (the commit, the event loop, the
    // connection): a row dated when the slot was taken would leave our window before the call
    // leaves the provider's. Batches are dated 5% of the window (at most 100 ms) past their lease.
    // A call taken alone is dated a window ahead while in flight and, once answered, at its answer:
    // no margin to guess, and none to pay (5% of the rate on per-second limits, where the delay of
    // a loaded machine outgrew it).
    const windowMs = spec.windowMs;
    const margin = Math.min(100, Math.round(spec.windowMs * 0.05));
    const lease = leaseMs(spec.windowMs);
    const startedAt = Date.now();
    this.stats.reservations += 1;
    const client = await this.pool.connect();
    const query = <R extends object>(text: string, values?: unknown[]) => {
      this.stats.roundTrips += 1;
      return client.query<R>(text, values);
    };
    try {
      // The slot log is bookkeeping: losing its last entries in a PostgreSQL crash costs at most a
      // call that waits for nothing; waiting for the WAL flush on every reservation delays the calls.
      await query('begin; set local synchronous_commit to off');
      await query('select pg_advisory_xact_lock(hashtext($1))', [name]);
      if (leftover) await this.lowerTo(query, leftover);
      // A call still in flight is taken as answered now for the wait: the earliest it can leave.
      // clock_timestamp(), not now(): now() is when the transaction began, before it waited for the
      // lock, so a call recorded at now() would be dated earlier than it goes out and the next one
      // let through too soon.
      const { rows } = await query<{ used: number; oldest: Date | null }>(
        `with expired as (delete from rate_limit_events where bucket = $1 and at <= clock_timestamp() - ($2 || ' milliseconds')::interval)
         select coalesce(sum(slots), 0)::float8 as used, min(least(at, clock_timestamp())) as oldest from rate_limit_events
          where bucket = $1 and at > clock_timestamp() - ($2 || ' milliseconds')::interval`,
        [name, windowMs],
      );
      const used = Number(rows[0]?.used ?? 0);
      const free = spec.limit - used;
      if (free < cost) {
        await query('commit');
        const oldest = rows[0]?.oldest?.getTime() ?? Date.now();
        // Woken a hair late rather than early: an early look finds no slot and waits at least 20 ms more.
        return { ok: false, waitMs: Math.max(20, oldest + windowMs - Date.now() + 5) };
      }
      const slots = Math.min(Math.max(cost, bucket.batch), Math.max(cost, Math.floor(free / 4)));
      // One call is made at once and dated when answered (a window ahead until then); a batch is
      // dated at its lease's end, the latest moment one of its calls may go out, plus the margin.
      const alone = slots === cost;
      const ahead = alone ? 0 : lease;
      const inserted = await query<{ id: string }>(
        `insert into rate_limit_events (bucket, at, slots) values ($1, clock_timestamp() + ($2 || ' milliseconds')::interval, $3) returning id`,
        [name, alone ? windowMs : lease + margin, slots],
      );
      await query('commit');
      const r: Reservation = { id: Number(inserted.rows[0]!.id), slots, used: cost, usableUntil: startedAt + ahead, leaseEnds: startedAt + lease, settled: alone };
      if (!r.settled) r.timer = setTimeout(() => void this.giveBack(r), Math.max(0, r.usableUntil - Date.now())).unref();
      bucket.current = r;
      return { ok: true, answered: alone ? () => this.answeredNow(r.id) : NOTHING_TO_REPORT };
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Dates a call taken alone at its answer; not dated, it stays a window ahead: a wait for nothing, never an excess. */
  private async answeredNow(id: number): Promise<void> {
    try {
      this.stats.roundTrips += 1;
      await this.pool.query('update rate_limit_events set at = least(at, clock_timestamp()) where id = $1', [id]);
    } catch {
      // see above
    }
  }

  /** Nothing more is handed out from `r`; whoever settles it gives its leftover back. */
  private settle(r: Reservation): void {
    r.settled = true;
    if (r.timer) clearTimeout(r.timer);
    r.timer = undefined;
  }

  /** The lease ended with slots unused: lower the row to what was used so other workers get the rest now, not a window later. */
  private async giveBack(r: Reservation): Promise<void> {
    if (r.settled) return;
    this.settle(r);
    try {
      this.stats.roundTrips += 1;
      await this.lowerTo((text, values) => this.pool.query(text, values), r);
    } catch {
      // Not given back, the slots still leave the window with the row: a wait for nothing, never an excess.
    }
  }

  /** Lowering a count never lets a call through that should wait, so it needs no lock of its own. */
  private async lowerTo(query: (text: string, values: unknown[]) => Promise<unknown>, r: Reservation): Promise<void> {
    if (r.used === 0) await query('delete from rate_limit_events where id = $1', [r.id]);
    else await query('update rate_limit_events set slots = $2 where id = $1', [r.id, r.used]);
  }
}
