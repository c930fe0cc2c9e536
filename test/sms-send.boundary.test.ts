import { startHarness, type Harness } from './support/harness';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, runNow, settled, SHEET, startSmsFakes } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

/**
 * "Already there" means there when the user saved, not when the workflow first looked. No worker
 * runs between the 201 and the appends, so the workflow's first pass comes strictly after them:
 * the widest form of the instant between saving and the first poll.
 */
describe('sms-send: rows appended right after saving', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    ({ sheets, sms } = await startSmsFakes());
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('texts every one of 2,000 rows appended after the 201, once, and none of the 300 that were there', async () => {
    const ids = await createSmsAccounts(h, sheets, sms);
    const before = Array.from({ length: 300 }, (_, i) => customer(i));
    const after = Array.from({ length: 2_000 }, (_, i) => customer(10_000 + i));
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...before] } });
    const id = await createSmsSend(h, ids, spreadsheetId);
    sheets.appendRows(spreadsheetId, SHEET, after);
    await h.addWorker();
    await settled(h, id);
    await runNow(h, id);

    const texted = new Set(sms.sentMessages({ status: 'QUEUED' }).map((m) => m.destination));
    expect(after.filter((r) => !texted.has(r[1]!))).toEqual([]);
    expect(before.filter((r) => texted.has(r[1]!))).toEqual([]);
    expect(duplicates(sms)).toEqual({ distinct: 2_000, twice: [] });
  });
});
