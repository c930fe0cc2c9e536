import { workflowIdFor } from '../workflows/control';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, runNow, settled, SHEET, startSmsFakes } from './support/sms-send-scenario';

interface RunView {
  trigger: string;
  triggeredBy: string | null;
  sent: number;
}

/**
 * "Run after X" follows the integration as it is saved now: moving the schedule from one upstream
 * to another moves which completed runs start it, and the upstream it ran after can be deleted.
 */
describe('sms-send "after integration X" when X changes', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };

  const runs = async (id: string) => (await h.request<{ items: RunView[] }>('GET', `/integrations/${id}/runs`)).body.items;
  const sheetWith = (rows: string[][]) => sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...rows] } });
  const sentTo = (rows: string[][]) => rows.map((r) => sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === r[1]).length);

  /**
   * Waits until the workflow has read its config again after the last configChanged signal: an
   * upstream's signal that arrives before that is judged by the old schedule.
   */
  const configApplied = (id: string) =>
    waitFor(
      'the workflow to read the changed config',
      async () => {
        const events = (await h.temporal.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? [];
        const signalled = events.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).lastIndexOf('configChanged');
        if (signalled < 0) return false;
        const planned = events.slice(signalled).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'planSmsSend');
        return planned.some((p) => events.some((e) => e.activityTaskCompletedEventAttributes && Number(e.activityTaskCompletedEventAttributes.scheduledEventId) === Number(p.eventId)));
      },
      (done) => done,
    );

  beforeAll(async () => {
    h = await startHarness();
    ({ sheets, sms } = await startSmsFakes());
    ids = await createSmsAccounts(h, sheets, sms);
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('after its schedule moves from {after: A} to {after: B}, a completed run of B runs it and one of A does not', async () => {
    const a = await createSmsSend(h, ids, sheetWith([]));
    const b = await createSmsSend(h, ids, sheetWith([]));
    const spreadsheetId = sheetWith([]);
    const y = await createSmsSend(h, ids, spreadsheetId, { schedule: { after: a } });
    await Promise.all([settled(h, a), settled(h, b), settled(h, y)]);

    const patch = await h.request<{ config: { schedule: unknown } }>('PATCH', `/integrations/${y}`, { config: { schedule: { after: b } } });
    expect(patch.status).toBe(200);
    expect(patch.body.config.schedule).toEqual({ after: b });
    await configApplied(y);

    const rows = [customer(300)];
    sheets.appendRows(spreadsheetId, SHEET, rows);
    await runNow(h, a);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sentTo(rows)).toEqual([0]);
    expect(await runs(y)).toEqual([]);

    await runNow(h, b);
    await waitFor('the run after B', () => runs(y), (r) => r.some((run) => run.trigger === 'after' && run.triggeredBy === b && run.sent === 1), 60_000);
    expect(sentTo(rows)).toEqual([1]);
    expect((await runs(y)).filter((run) => run.triggeredBy === a)).toEqual([]);
  }, 120_000);

  it('the integration another runs after can still be deleted; the dependent stays', async () => {
    const x = await createSmsSend(h, ids, sheetWith([]));
    const y = await createSmsSend(h, ids, sheetWith([]), { schedule: { after: x } });
    await settled(h, y);
    expect((await h.request('DELETE', `/integrations/${x}`)).status).toBe(204);
    const kept = await h.request<{ config: { schedule: unknown } }>('GET', `/integrations/${y}`);
    expect(kept.status).toBe(200);
    // What the user saved is kept as saved; saving it again asks for an upstream that exists.
    expect(kept.body.config.schedule).toEqual({ after: x });
    const resaved = await h.request<{ errors: { field: string }[] }>('PATCH', `/integrations/${y}`, { config: { sender: 'Shop' } });
    expect(resaved.status).toBe(422);
    expect(resaved.body.errors.map((e) => e.field)).toEqual(['config.schedule.after']);
    // A rename alone is still possible (runs_after, cleared by the deletion, is not pointed back at it).
    expect((await h.request('PATCH', `/integrations/${y}`, { name: 'Renamed' })).status).toBe(200);
  }, 60_000);
});
