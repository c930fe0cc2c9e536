import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../db/embedded';
import { startTemporalDevServer, type DevServer } from '../lib/dev/temporal-dev-server';
import { recordHistory } from './support/histories';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, SHEET, startSmsFakes, statusOf } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

const ROWS = 1_500;

/**
 * The Temporal server itself SIGKILLed mid-send and restarted on its SQLite file: the SMS
 * integration resumes from its history where it was, and every row is texted exactly once.
 */
describe('sms-send survives a Temporal server restart', () => {
  let dir: string;
  let server: DevServer;
  let port: number;
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-restart-test-'));
    port = await freePort();
    // A Temporal server of this file's own, so restarting it disturbs no other test file.
    server = await startTemporalDevServer({ port, uiPort: null, dbFile: path.join(dir, 'temporal.db') });
    h = await startHarness({ temporalAddress: server.address, noWorker: true });
    ({ sheets, sms } = await startSmsFakes({}, { requestsPerSecond: null }));
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${ROWS} rows, the server killed mid-send and restarted: ${ROWS} SMS, none twice`, async () => {
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: ROWS }, (_, i) => customer(i + 1))] } });
    sms.faults = { failRate: 0, delayMs: 200 };
    const worker = await h.addWorker({ smsSend: { chunkSize: 100, doubtWaitSeconds: 20 } });
    try {
      const ids = await createSmsAccounts(h, sheets, sms);
      const id = await createSmsSend(h, ids, spreadsheetId, { backfill: true });
      const queued = () => sms.sentMessages({ status: 'QUEUED' }).length;
      await waitFor('some SMS', queued, (n) => n >= 300, 120_000, 50);
      server.process.kill('SIGKILL');
      await new Promise((r) => server.process.once('exit', r));
      const atKill = queued();
      expect(atKill).toBeLessThan(ROWS);
      await new Promise((r) => setTimeout(r, 2_000));
      server = await startTemporalDevServer({ port, uiPort: null, dbFile: path.join(dir, 'temporal.db') });

      await waitFor(`all ${ROWS} SMS after the restart`, () => duplicates(sms).distinct, (n) => n >= ROWS, 180_000, 500);
      await new Promise((r) => setTimeout(r, 2_000)); // anything still in flight lands now
      const check = duplicates(sms);
      expect(check.twice).toEqual([]);
      expect(check.distinct).toBe(ROWS);
      const status = await waitFor('the run to finish', () => statusOf(h, id), (s) => s.state === 'idle');
      expect(status.lastError).toBeNull();
      console.log(`sms-send Temporal restart: ${ROWS} rows, ${atKill} queued at the kill, ${check.distinct} distinct after`);
      await recordHistory(h.temporal, `integration-${id}`, 'sms-send-on-loop-temporal-restart');
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
