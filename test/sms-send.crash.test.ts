import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, SHEET, startSmsFakes } from './support/sms-send-scenario';
import { spawnWorker } from './support/worker-process';
import { reportRecovery } from './support/recovery';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

const ROWS = Number(process.env.SMS_CRASH_ROWS ?? 5_000);

/**
 * The worker killed with SIGKILL while a batch request is in flight, twice, and a new one started:
 * the fake (like 8x8) does not deduplicate by clientMessageId, so only the send protocol
 * (pending → sending → receipt or doubt wait) stands between a crash and a customer texted twice.
 */
describe('sms-send survives a worker killed mid-send', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    ({ sheets, sms } = await startSmsFakes({}, { requestsPerSecond: null }));
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it(`${ROWS} rows become exactly ${ROWS} SMS, none twice`, async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => customer(i + 1));
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...rows] } });
    // Every batch is answered 1.5 s after it arrives; counting arrivals against answers tells when one is on the wire.
    let arrived = 0;
    sms.answerSlowly(1_500, (req) => req.method === 'POST' && ++arrived > 0, Infinity);
    const answered = () => sms.calls.filter((c) => c.method === 'POST').length;
    // The batch on the wire at the kill is settled by its receipts, which a loaded machine can take
    // well over 20 s to process (5,000 receipt posts to the API); a doubt wait shorter than that
    // resends what was sent (the product's default is 180 s).
    const env = { PUBLIC_URL: h.api.url, SMS_CHUNK_SIZE: '250', SMS_DOUBT_WAIT_SECONDS: '90' };
    const ids = await createSmsAccounts(h, sheets, sms);

    let worker = spawnWorker(h, env);
    await worker.ready;
    const id = await createSmsSend(h, ids, spreadsheetId, { backfill: true });
    const queued = () => sms.sentMessages({ status: 'QUEUED' }).length;
    const kills: { atQueued: number; inFlight: number }[] = [];
    const recoveries: { killedAt: number; readyAt: number }[] = [];
    try {
      for (const fraction of [0.2, 0.5]) {
        await waitFor(`${fraction * 100}% sent`, queued, (n) => n >= ROWS * fraction, 180_000, 50);
        // Killed while a batch is on the wire: the fake takes it after the worker is gone.
        await waitFor('a batch in flight', () => arrived - answered(), (n) => n > 0, 60_000, 20);
        const killedAt = Date.now();
        await worker.kill();
        const atKill = queued();
        await new Promise((r) => setTimeout(r, 1_500)); // the batch in flight lands in the fake
        kills.push({ atQueued: atKill, inFlight: queued() - atKill });
        worker = spawnWorker(h, env);
        await worker.ready;
        recoveries.push({ killedAt, readyAt: Date.now() });
      }
      await waitFor(`all ${ROWS} SMS`, () => duplicates(sms).distinct, (n) => n >= ROWS, 240_000, 500);
      await new Promise((r) => setTimeout(r, 2_000)); // anything still in flight lands now
    } finally {
      await worker.kill();
    }
    for (const [i, r] of recoveries.entries()) await reportRecovery(h.temporal, `sms-send, worker SIGKILLed mid-send (kill ${i + 1})`, `integration-${id}`, r.killedAt, r.readyAt);
    const check = duplicates(sms);
    expect(check.twice).toEqual([]);
    expect(check.distinct).toBe(ROWS);
    expect(sms.sentMessages({ status: 'QUEUED' })).toHaveLength(ROWS);
    // At least one kill caught a batch on the wire: it was taken by the fake after the worker died.
    expect(kills.some((k) => k.inFlight > 0)).toBe(true);
    const states = await h.database.db.execute<{ state: string; n: string }>(sql`select state, count(*)::text as n from sms_messages where integration_id = ${id} group by state`);
    const byState = Object.fromEntries(states.rows.map((r) => [r.state, Number(r.n)]));
    expect((byState.queued ?? 0) + (byState.delivered ?? 0)).toBe(ROWS);
    console.log(`sms-send crash test: ${ROWS} rows, kills ${JSON.stringify(kills)}, states ${JSON.stringify(byState)}`);
  }, 600_000);
});
