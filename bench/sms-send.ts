/**
 * SMS per second of the sms-send integration, 10,000 sheet rows to 8x8 between the fakes: once
 * with every limit off, and once where 8x8's request limit binds (the fake enforcing a per-second
 * request limit and the account declaring the same), giving the ratio of the request rate
 * achieved to the rate allowed. The documented 1,800 requests/s never binds with batches of
 * 1,000, so the bound run uses a low limit and small batches to make the limiter do the work.
 * Prints figures; asserts nothing.
 *
 *   npm run bench:sms-send     (ROWS=10000, LIMITED_RPS=5, LIMITED_CHUNK=100; DATABASE_URL optional)
 */
import os from 'node:os';
import { GoogleSheetsFake } from '../test/fakes/google-sheets-fake';
import { Sms8x8Fake } from '../test/fakes/sms8x8-fake';
import { startHarness } from '../test/support/harness';
import { waitFor } from '../test/support/order-sync-scenario';
import { customer, HEADER, SHEET, SMS_KEY, SUB_ACCOUNT, TOKEN, smsSendBody } from '../test/support/sms-send-scenario';
import type { Figure } from './figures';
import { runBench } from './services';

const ROWS = Number(process.env.ROWS ?? 10_000);
const LIMITED_RPS = Number(process.env.LIMITED_RPS ?? 5);
const LIMITED_CHUNK = Number(process.env.LIMITED_CHUNK ?? 100);

interface Result {
  seconds: number;
  requests: number;
  violations: number;
}

async function run(opts: { fakeRps: number | null; accountRps: number; chunkSize: number }): Promise<Result> {
  const sheets = new GoogleSheetsFake({ readsPerMinutePerUser: null, readsPerMinutePerProject: null });
  const sms = new Sms8x8Fake({ requestsPerSecond: opts.fakeRps });
  await Promise.all([sheets.start(), sms.start()]);
  const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: ROWS }, (_, i) => customer(i + 1))] } });
  const h = await startHarness({ activityOptions: { smsSend: { chunkSize: opts.chunkSize } } });
  try {
    const a = await h.request<{ id: string }>('POST', '/accounts', { system: 'google-sheets', name: 'Sheets', baseUrl: sheets.url, credentials: { authType: 'oauth2', accessToken: TOKEN }, limits: { readRequestsPerMinute: 1e6 } });
    const b = await h.request<{ id: string }>('POST', '/accounts', { system: '8x8', name: '8x8', baseUrl: sms.url, credentials: { subAccountId: SUB_ACCOUNT, apiKey: SMS_KEY }, limits: { requestsPerSecond: opts.accountRps } });
    const ids = { sheetsAccountId: a.body.id, smsAccountId: b.body.id };
    const started = performance.now();
    const created = await h.request<{ id: string }>('POST', '/integrations', smsSendBody(ids, spreadsheetId, { backfill: true }));
    if (created.status !== 201) throw new Error(created.text);
    const sent = () => h.request<{ status: { counts: { created: number } } }>('GET', `/integrations/${created.body.id}`).then((r) => r.body.status.counts?.created ?? 0);
    await waitFor(`${ROWS} SMS sent`, sent, (n) => n >= ROWS, 30 * 60_000, 50);
    const seconds = (performance.now() - started) / 1000;
    const queued = sms.sentMessages({ status: 'QUEUED' }).length;
    if (queued !== ROWS) throw new Error(`the fake took ${queued} SMS, expected ${ROWS}`);
    const requests = sms.calls.filter((c) => c.path.endsWith('/messages/batch') && c.status === 200).length;
    return { seconds, requests, violations: sms.limitViolations };
  } finally {
    await h.close();
    await Promise.all([sheets.close(), sms.close()]);
  }
}

runBench('sms-send', async (): Promise<Figure[]> => {
  const free = await run({ fakeRps: null, accountRps: 1e9, chunkSize: 1_000 });
  const bound = await run({ fakeRps: LIMITED_RPS, accountRps: LIMITED_RPS, chunkSize: LIMITED_CHUNK });
  const achieved = bound.requests / bound.seconds;
  console.log(`\nsms-send, ${ROWS} rows (${os.cpus().length} cores, Temporal dev server on SQLite)`);
  console.log(`  limits off       ${free.seconds.toFixed(2).padStart(7)} s  ${(ROWS / free.seconds).toFixed(0).padStart(6)} SMS/s  (${free.requests} batch requests of 1,000)`);
  console.log(
    `  limit ${LIMITED_RPS} req/s    ${bound.seconds.toFixed(2).padStart(7)} s  ${(ROWS / bound.seconds).toFixed(0).padStart(6)} SMS/s  (${bound.requests} batch requests of ${LIMITED_CHUNK}, ${bound.violations} answered 429)`,
  );
  console.log(`  achieved/allowed ${achieved.toFixed(2)} / ${LIMITED_RPS} requests/s = ${(achieved / LIMITED_RPS).toFixed(2)}\n`);
  return [
    { name: `${ROWS} rows, limits off`, value: ROWS / free.seconds, unit: 'SMS/s' },
    { name: `8x8 at ${LIMITED_RPS} req/s, achieved vs allowed`, value: achieved, unit: 'req/s', baseline: { name: 'allowed', value: LIMITED_RPS }, target: '≥ 0.95×' },
    { name: `8x8 at ${LIMITED_RPS} req/s, answered 429`, value: bound.violations, unit: 'requests', target: '0' },
  ];
});
