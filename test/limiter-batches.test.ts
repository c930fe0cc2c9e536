import { sms8x8 } from '../connectors/8x8';
import { sendSms } from '../connectors/8x8/messages';
import { connect } from '../connectors/kit/connect';
import { RateLimiter } from '../connectors/kit/rate-limiter';
import { sumit } from '../connectors/sumit';
import { listFolders } from '../connectors/sumit/folders';
import { connectDatabase, type Database } from '../db/client';
import { Sms8x8Fake } from './fakes/sms8x8-fake';
import { SumitFake } from './fakes/sumit-fake';
import { createTestDatabase } from './support/database';
import { egressAllow } from './support/egress';

const ACCOUNT = '00000000-0000-4000-8000-000000000012';

/** `loops` callers at once, each calling `call` until `total` calls were made between them. */
async function hammer(total: number, loops: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < total) await call(next++);
    }),
  );
}

/**
 * The limiter reserves slots in batches and hands them out from memory; the provider must not
 * notice: two workers (two limiters, two connection pools, one database) sharing one account
 * together stay within the account's limit in every window, and far from the limit the calls
 * cost only a few database round trips between them.
 */
describe('a shared limit with slots reserved in batches', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let secondPool: Database;
  let workers: RateLimiter[];
  const egress = egressAllow();

  beforeAll(async () => {
    db = await createTestDatabase();
    secondPool = connectDatabase(db.url);
    workers = [new RateLimiter(db.database.pool), new RateLimiter(secondPool.pool)];
  });
  afterAll(async () => {
    await secondPool?.close();
    await db?.drop();
  });

  it('two workers hammering one 8x8 sub-account limited to 16 requests a second never let the fake count more than 20 in any second', async () => {
    // The account declares 16, the fake refuses the 21st. The 4 between are for the event loop of a
    // loaded test machine, which can hold a request past the limiter's 50 ms margin; they are not
    // for the limiter: two workers each keeping 16 on its own would send 32 a second.
    const fake = new Sms8x8Fake({ requestsPerSecond: 20 });
    await fake.start();
    try {
      const contexts = workers.map((limiter) =>
        connect(sms8x8, { id: ACCOUNT, baseUrl: fake.url, limits: { requestsPerSecond: 16 }, credentials: { apiKey: 'fake-8x8-api-key-0001', subAccountId: 'acme_hq' } }, { limiter, egress }),
      );
      const calls = 100; // six seconds' worth: the window slides several times
      await hammer(calls, 4, (i) => sendSms(contexts[i % 2]!, { destination: '+36701234567', text: `Message ${i}` }));

      // The fake keeps its own sliding second per sub-account and refuses the 21st (HTTP 429).
      expect(fake.limitViolations).toBe(0);
      expect(fake.sentMessages()).toHaveLength(calls);
    } finally {
      await fake.close();
    }
  });

  it('far from the limit, a thousand calls from two workers cost far fewer database round trips than calls', async () => {
    const fake = new SumitFake({ requestsPerMinute: null });
    await fake.start();
    try {
      const contexts = workers.map((limiter) =>
        connect(sumit, { id: ACCOUNT, baseUrl: fake.url, limits: { requestsPerMinute: 100_000 }, credentials: { companyId: fake.companyId, apiKey: fake.apiKey } }, { limiter, egress }),
      );
      const before = workers.map((w) => w.stats.roundTrips);
      const calls = 1_000;
      await hammer(calls, 8, (i) => listFolders(contexts[i % 2]!));

      expect(fake.calls).toHaveLength(calls);
      const roundTrips = workers.reduce((sum, w, i) => sum + w.stats.roundTrips - before[i]!, 0);
      // One call a round trip (or five, as a transaction) was the cost before batches. Batches
      // last one lease (1 s here), so a loaded machine, taking more seconds for the same calls,
      // needs more of them: 204 at a load of 13 on 2 cores.
      expect(roundTrips).toBeLessThan(calls / 3);
    } finally {
      await fake.close();
    }
  });
});
