import type { IntegrationStatus } from '../workflows/control';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { recordHistory } from './support/histories';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, SHEET, startSmsFakes, statusOf } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

type View = { status: IntegrationStatus };

/**
 * An order sync whose target's CRM functionality is switched off in the hub, with real Temporal and
 * PostgreSQL: while off it makes no calls and shows why; switched on, it goes on by itself and
 * every order arrives exactly once.
 */
describe('a switched-off functionality stops the integrations that use it until it is on again', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let ids: { unasAccountId: string; crmAccountId: string };
  let integrationId: string;

  const status = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body.status;
  const calls = () => unas.calls.length + crm.calls.length;
  const REASON = 'CRM is switched off for account "CRM"';

  beforeAll(async () => {
    h = await startHarness();
    ({ unas, crm } = await startFakes());
    ids = await createAccounts(h, unas, crm);
    unas.addOrders(20, { status: 'Beérkezett' });
    integrationId = await createOrderSync(h, ids); // polls every 10 s
    await waitFor('the first 20 orders', () => crm.projects(ORDERS_CATEGORY).length, (n) => n === 20);
    await waitFor('the first run to finish', status, (s) => s.state === 'idle');
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('makes no calls while off, shows the reason, and neither retries nor runs again by itself', async () => {
    const off = await h.request('PATCH', `/accounts/${ids.crmAccountId}/functionalities/crm`, { enabled: false, confirm: true });
    expect(off.status).toBe(200);
    // A page already in flight when the toggle was saved may finish; the next run stops.
    await h.request('POST', `/integrations/${integrationId}/run`);
    const stopped = await waitFor('the sync to stop on the toggle', status, (s) => s.state === 'failed');
    expect(stopped.lastError).toMatchObject({ message: REASON, type: 'switched-off' });

    const callsBefore = calls();
    const runsBefore = stopped.runs;
    unas.addOrders(15, { status: 'Feldolgozás alatt' });
    // A manual run while off stops at the toggle too.
    await h.request('POST', `/integrations/${integrationId}/run`);
    await waitFor('the manual run', status, (s) => s.runs === runsBefore + 1);
    await new Promise((r) => setTimeout(r, 12_000)); // longer than the 10 s poll interval

    const s = await status();
    expect(s.state).toBe('failed');
    expect(s.lastError).toMatchObject({ message: REASON, type: 'switched-off' });
    expect(s.runs).toBe(runsBefore + 1); // no polls of its own while it waits
    expect(calls()).toBe(callsBefore);
    expect(crm.projects(ORDERS_CATEGORY)).toHaveLength(20);
    // Not a credentials problem: the account keeps its status.
    expect((await h.request<{ status: string }>('GET', `/accounts/${ids.crmAccountId}`)).body.status).toBe('active');

    // Each stopped activity ran once: a toggle is not retried.
    const history = await h.temporal.workflow.getHandle(`integration-${integrationId}`).fetchHistory();
    const events = history.events ?? [];
    const stoppedAttempts = events
      .filter((e) => e.activityTaskFailedEventAttributes?.failure?.message === REASON)
      .map((e) => events.find((x) => Number(x.eventId) === Number(e.activityTaskFailedEventAttributes!.startedEventId))?.activityTaskStartedEventAttributes?.attempt);
    expect(stoppedAttempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(stoppedAttempts)).toEqual(new Set([1]));
  });

  it('goes on by itself when switched on, delivering every order exactly once', async () => {
    const on = await h.request<{ functionalities: Record<string, boolean> }>('PATCH', `/accounts/${ids.crmAccountId}/functionalities/crm`, { enabled: true });
    expect(on.status).toBe(200);
    expect(on.body.functionalities.crm).toBe(true);

    await waitFor('all 35 orders', () => crm.projects(ORDERS_CATEGORY).length, (n) => n === 35);
    const s = await waitFor('the sync to be idle again', status, (v) => v.state === 'idle');
    expect(s.lastError).toBeNull();
    expect(exactlyOnce(unas, crm)).toEqual({ missing: [], duplicated: [], extra: [] });
    expect(s.counts.created).toBe(35);
  });
});

/** The same for scheduled SMS: rows appended while 8x8's SMS is off go out once it is on, each exactly once. */
describe('a switched-off SMS functionality holds the messages until it is on again', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };

  const toggle = (accountId: string, name: string, enabled: boolean) =>
    h.request('PATCH', `/accounts/${accountId}/functionalities/${name}`, enabled ? { enabled } : { enabled, confirm: true });

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { smsSend: { authRecheckSeconds: 2 } } });
    ({ sheets, sms } = await startSmsFakes());
    ids = await createSmsAccounts(h, sheets, sms);
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('sends nothing and reads nothing while off, then every row exactly once when switched on', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => customer(i));
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...rows.slice(0, 3)] } });
    expect((await toggle(ids.smsAccountId, 'sms', false)).status).toBe(200);
    // backfill: the rows already there are due at once.
    const id = await createSmsSend(h, ids, spreadsheetId, { backfill: true, schedule: { every: 60 } });
    const stopped = await waitFor('the run to stop on the toggle', () => statusOf(h, id), (s) => s.state === 'failed');
    expect(stopped.lastError).toMatchObject({ message: 'SMS is switched off for account "8x8"', type: 'switched-off' });
    sheets.appendRows(spreadsheetId, SHEET, rows.slice(3));
    const callsBefore = sheets.calls.length + sms.calls.length;
    await new Promise((r) => setTimeout(r, 5_000)); // more than two account rechecks' worth
    expect(sheets.calls.length + sms.calls.length).toBe(callsBefore);
    expect(sms.sentMessages()).toEqual([]);

    expect((await toggle(ids.smsAccountId, 'sms', true)).status).toBe(200);
    await waitFor('every row to be sent', () => duplicates(sms).distinct, (n) => n === 5);
    const s = await waitFor('the integration to be idle', () => statusOf(h, id), (v) => v.state === 'idle');
    expect(s.lastError).toBeNull();
    expect(duplicates(sms)).toEqual({ distinct: 5, twice: [] });
    expect(sms.sentMessages().map((m) => m.destination).sort()).toEqual(rows.map((r) => r[1]).sort());
  });

  it('a sheet switched off before the first pass waits instead of spinning, and starts when it is on', async () => {
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, customer(10)] } });
    expect((await toggle(ids.sheetsAccountId, 'spreadsheet', false)).status).toBe(200);
    const id = await createSmsSend(h, ids, spreadsheetId, { schedule: { every: 60 } });
    const stopped = await waitFor('the first pass to stop on the toggle', () => statusOf(h, id), (s) => s.state === 'failed');
    expect(stopped.lastError).toMatchObject({ message: 'Spreadsheets is switched off for account "Sheets"', type: 'switched-off' });
    const eventsAt = async () => (await h.temporal.workflow.getHandle(`integration-${id}`).fetchHistory()).events?.length ?? 0;
    const before = await eventsAt();
    await new Promise((r) => setTimeout(r, 5_000));
    // One look every 2 s (the recheck interval in this test), not one after another.
    expect((await eventsAt()) - before).toBeLessThan(100);

    expect((await toggle(ids.sheetsAccountId, 'spreadsheet', true)).status).toBe(200);
    const ready = await waitFor('the first pass to be done', () => statusOf(h, id), (s) => s.state === 'idle' && s.cursor !== undefined);
    expect(ready.lastError).toBeNull();
    // The row there before the first pass is passed over, as for any integration created without backfill.
    expect(sms.sentMessages().filter((m) => m.destination === customer(10)[1])).toEqual([]);
    // The first pass waiting on a failure is new (patched): replay.test.ts replays this history.
    await recordHistory(h.temporal, `integration-${id}`, 'sms-send-on-loop-toggle-first-pass');
  });
});
