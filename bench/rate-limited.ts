/**
 * Issue 12's P2: how much of a rate-limited provider's allowed rate the service uses, with no 429,
 * over a run of SECONDS (default 300). Both fakes enforce their limit as a sliding window and
 * answer 429 past it; the figures are read from the fakes' own records of the calls they answered.
 *
 * - 8x8: "allowed" is 5 requests per sliding second per sub-account (the account's override of the
 *   documented 1,800), each a batch of 100 SMS. An sms-send integration with more sheet rows than
 *   the run can send (backfill), so the limit, not the sheet, binds.
 * - MiniCRM: "allowed" is the documented 60 R3 requests per sliding minute. No kind does R3 work
 *   per item (order sync writes through the XML sync, 180 uploads an hour, and reads its schema
 *   once per 10 minutes), so the load is the `list-modules` action called as the worker calls it:
 *   through the account's throttle and the PostgreSQL limiter, from two limiters on one database
 *   (two workers) with CALLERS callers each, never resting.
 *
 * achieved / allowed = requests answered 200 in the steady part (from one window after the
 * provider's first call to the end of the run) / (limit × windows in that part). Both loads run at
 * once. Prints figures with the load average; asserts nothing.
 *
 *   npm run bench:rate-limited     (SECONDS=300, CALLERS=4; DATABASE_URL optional)
 */
import os from 'node:os';
import { connect } from '../connectors/kit/connect';
import { parseEgressAllow } from '../connectors/kit/egress';
import { RateLimiter } from '../connectors/kit/rate-limiter';
import { minicrm } from '../connectors/minicrm';
import type { RecordedCall } from '../test/fakes/fake-server';
import { GoogleSheetsFake } from '../test/fakes/google-sheets-fake';
import { MiniCrmFake } from '../test/fakes/minicrm-fake';
import { Sms8x8Fake } from '../test/fakes/sms8x8-fake';
import { startHarness, type Harness } from '../test/support/harness';
import { waitFor } from '../test/support/order-sync-scenario';
import { customer, HEADER, SHEET, SMS_KEY, SUB_ACCOUNT, TOKEN, smsSendBody } from '../test/support/sms-send-scenario';
import type { Figure } from './figures';
import { runBench } from './services';

const SECONDS = Number(process.env.SECONDS ?? 300);
const CALLERS = Number(process.env.CALLERS ?? 4);
const SMS_RPS = 5;
const SMS_CHUNK = 100;
const CRM_PER_MINUTE = 60;

interface Measured {
  /** Requests answered 200 in the steady part. */
  achieved: number;
  allowed: number;
  answered429: number;
  /** The most requests answered 200 in any one window, as the fake counts them. */
  busiestWindow: number;
}

/** Reads a provider's calls as its sliding window sees them, from `start` (its first call) for `seconds`. */
function measure(calls: RecordedCall[], limit: number, windowMs: number, start: number, seconds: number): Measured {
  const end = start + seconds * 1000;
  const ok = calls.filter((c) => c.status === 200 && c.at <= end).map((c) => c.at);
  const steady = ok.filter((at) => at > start + windowMs).length;
  let busiest = 0;
  for (let i = 0, j = 0; j < ok.length; j++) {
    while (ok[i]! <= ok[j]! - windowMs) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return { achieved: steady, allowed: (limit * (end - start - windowMs)) / windowMs, answered429: calls.filter((c) => c.status === 429).length, busiestWindow: busiest };
}

async function firstCall(fake: { calls: RecordedCall[] }, matches: (c: RecordedCall) => boolean): Promise<number> {
  const first = await waitFor('the provider’s first call', () => fake.calls.find(matches), (c) => c !== undefined, 10 * 60_000, 20);
  return first!.at;
}

async function smsSend(h: Harness): Promise<Measured> {
  // More rows than the run can send: 5 batches of 100 a second for SECONDS, and a fifth more.
  const rows = Math.ceil(SECONDS * SMS_RPS * SMS_CHUNK * 1.2);
  const sheets = new GoogleSheetsFake({ readsPerMinutePerUser: null, readsPerMinutePerProject: null });
  const sms = new Sms8x8Fake({ requestsPerSecond: SMS_RPS });
  await Promise.all([sheets.start(), sms.start()]);
  try {
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: rows }, (_, i) => customer(i + 1))] } });
    const a = await h.request<{ id: string }>('POST', '/accounts', { system: 'google-sheets', name: 'Sheets', baseUrl: sheets.url, credentials: { authType: 'oauth2', accessToken: TOKEN }, limits: { readRequestsPerMinute: 1e6 } });
    const b = await h.request<{ id: string }>('POST', '/accounts', { system: '8x8', name: '8x8', baseUrl: sms.url, credentials: { subAccountId: SUB_ACCOUNT, apiKey: SMS_KEY }, limits: { requestsPerSecond: SMS_RPS } });
    const created = await h.request<{ id: string }>('POST', '/integrations', smsSendBody({ sheetsAccountId: a.body.id, smsAccountId: b.body.id }, spreadsheetId, { backfill: true }));
    if (created.status !== 201) throw new Error(created.text);
    const start = await firstCall(sms, (c) => c.path.endsWith('/messages/batch'));
    await new Promise((r) => setTimeout(r, SECONDS * 1000 - (Date.now() - start) + 100));
    const calls = sms.calls.filter((c) => c.path.endsWith('/messages/batch'));
    await h.request('POST', `/integrations/${created.body.id}/pause`);
    return measure(calls, SMS_RPS, 1_000, start, SECONDS);
  } finally {
    await Promise.all([sheets.close(), sms.close()]);
  }
}

async function miniCrm(h: Harness): Promise<Measured> {
  const crm = new MiniCrmFake({ requestsPerMinute: CRM_PER_MINUTE });
  await crm.start();
  try {
    const account = { id: 'bench-minicrm', baseUrl: crm.url, limits: {}, credentials: { systemId: crm.systemId, apiKey: crm.apiKey } };
    // Two workers' limiters on the service's database, as two `npm run worker` processes would have.
    const limiters = [new RateLimiter(h.database.pool), new RateLimiter(h.database.pool)];
    const egress = parseEgressAllow('127.0.0.1').allow;
    const started = Date.now();
    const until = started + (SECONDS + 5) * 1000;
    const callers = limiters.flatMap((limiter) =>
      Array.from({ length: CALLERS }, async () => {
        const ctx = connect(minicrm, account, { limiter, egress });
        while (Date.now() < until) await minicrm.actions['list-modules'].run(ctx, {});
      }),
    );
    const start = await firstCall(crm, (c) => c.path.startsWith('/Api/R3/'));
    await Promise.all(callers);
    await Promise.all(limiters.map((l) => l.release()));
    return measure(
      crm.calls.filter((c) => c.path.startsWith('/Api/R3/')),
      CRM_PER_MINUTE,
      60_000,
      start,
      SECONDS,
    );
  } finally {
    await crm.close();
  }
}

runBench('rate-limited', async (): Promise<Figure[]> => {
  const h = await startHarness({ activityOptions: { smsSend: { chunkSize: SMS_CHUNK } } });
  const loads: number[] = [os.loadavg()[0]!];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]!), 5_000);
  try {
    // Both run to their end before the harness closes: a failure of one must not pull the database from under the other.
    const [smsResult, crmResult] = await Promise.allSettled([smsSend(h), miniCrm(h)]);
    if (smsResult.status === 'rejected') throw smsResult.reason;
    if (crmResult.status === 'rejected') throw crmResult.reason;
    const [sms, crm] = [smsResult.value, crmResult.value];
    const load = `load average (1 min) ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}, ${os.cpus().length} cores`;
    console.log(`\nrate-limited providers, ${SECONDS} s each, both at once (${load})`);
    for (const [name, m, limit] of [
      [`8x8 at ${SMS_RPS} req/s, batches of ${SMS_CHUNK}`, sms, `${SMS_RPS} per sliding second`],
      [`MiniCRM at ${CRM_PER_MINUTE} req/min, ${CALLERS * 2} callers`, crm, `${CRM_PER_MINUTE} per sliding minute`],
    ] as const) {
      console.log(
        `  ${name.padEnd(36)} ${m.achieved} of ${m.allowed.toFixed(0)} allowed (${limit}) = ${(m.achieved / m.allowed).toFixed(3)}; busiest window ${m.busiestWindow}; answered 429: ${m.answered429}`,
      );
    }
    console.log('');
    return [
      { name: `8x8 at ${SMS_RPS} req/s (batches of ${SMS_CHUNK}), ${SECONDS} s, achieved vs allowed`, value: sms.achieved, unit: 'requests', baseline: { name: 'allowed', value: sms.allowed }, target: '≥ 0.95×' },
      { name: `8x8 at ${SMS_RPS} req/s, answered 429`, value: sms.answered429, unit: 'requests', target: '0' },
      { name: `MiniCRM at ${CRM_PER_MINUTE} req/min, ${SECONDS} s, achieved vs allowed`, value: crm.achieved, unit: 'requests', baseline: { name: 'allowed', value: crm.allowed }, target: '≥ 0.95×' },
      { name: `MiniCRM at ${CRM_PER_MINUTE} req/min, answered 429`, value: crm.answered429, unit: 'requests', target: '0' },
    ];
  } finally {
    clearInterval(sampler);
    await h.close();
  }
});
