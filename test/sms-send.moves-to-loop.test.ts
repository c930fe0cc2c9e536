import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { temporal as proto } from '@temporalio/proto';
import { startHarness, type Harness } from './support/harness';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, runNow, settled, SHEET, startSmsFakes, statusOf } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

const { EventType } = proto.api.enums.v1;

/** The patch ids recorded in a run's history (markers), decoded. */
async function patchesOf(h: Harness, workflowId: string): Promise<string[]> {
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((p) => p.payloads ?? []))
    .map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString()) as { id: string }).id);
}

/**
 * An upgrade as an operator lives it: an sms-send integration runs on a worker of the release
 * before sms-send moved onto the integration loop; that worker is replaced by one of this
 * release. The running workflow replays its first version, then continues as new on the loop at
 * its next turn, carrying its cursor, counts and the run that was asked for: rows sent before the
 * upgrade are not sent again, rows added after go out once.
 */
describe('a live sms-send workflow of the first version moves onto the integration loop', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    h = await startHarness({ noWorker: true, activityOptions: { smsSend: { authRecheckSeconds: 2, doubtWaitSeconds: 8 } } });
    ({ sheets, sms } = await startSmsFakes());
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('keeps its cursor and counts across the upgrade: nothing sent twice, nothing missed', async () => {
    const previousRelease = await bundleWorkflowCode({ workflowsPath: require.resolve('./support/sms-send-v1-workflows'), logger: new DefaultLogger('WARN') });
    const oldWorker = await h.addWorker(undefined, previousRelease);
    const ids = await createSmsAccounts(h, sheets, sms);
    const rows = [1, 2, 3, 4].map(customer);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, rows[0]!] } });
    const id = await createSmsSend(h, ids, spreadsheetId);
    const workflowId = `integration-${id}`;
    await settled(h, id);
    sheets.appendRows(spreadsheetId, SHEET, [rows[1]!, rows[2]!]);
    await runNow(h, id);
    const sentTo = () => rows.map((r) => sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === r[1]).length);
    expect(sentTo()).toEqual([0, 1, 1, 0]);
    const firstRun = (await h.temporal.workflow.getHandle(workflowId).describe()).runId;
    expect(await patchesOf(h, workflowId)).not.toContain('sms-send-on-integration-loop');

    await oldWorker.stop();
    await h.addWorker();
    sheets.appendRows(spreadsheetId, SHEET, [rows[3]!]);
    await runNow(h, id);

    expect(sentTo()).toEqual([0, 1, 1, 1]);
    expect(duplicates(sms).twice).toEqual([]);
    const moved = await h.temporal.workflow.getHandle(workflowId).describe();
    expect(moved.runId).not.toBe(firstRun);
    expect(await patchesOf(h, workflowId)).toContain('sms-send-on-integration-loop');
    const status = await statusOf(h, id);
    expect(status).toMatchObject({ state: 'idle', runs: 2, counts: expect.objectContaining({ created: 3 }) });

    // And it goes on as a loop integration: one more row, one more SMS.
    sheets.appendRows(spreadsheetId, SHEET, [customer(5)]);
    await runNow(h, id);
    expect(sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === customer(5)[1])).toHaveLength(1);
  });
});
