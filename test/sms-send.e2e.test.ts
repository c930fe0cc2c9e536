import { sql } from 'drizzle-orm';
import { recordHistory } from './support/histories';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, startFakes, waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, runNow, settled, SHEET, SMS_KEY, smsSendBody, startSmsFakes, statusOf, SUB_ACCOUNT } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

interface MessageView {
  row: string;
  clientMessageId: string;
  phone: string;
  text: string;
  state: string;
  reason: string | null;
}
interface RunView {
  trigger: string;
  startedAt: string;
  triggeredBy: string | null;
  finishedAt: string | null;
  rowsRead: number;
  sent: number;
  rejected: number;
  failed: number;
}

/**
 * Google Sheets → 8x8 through the HTTP API, with the real worker, Temporal and PostgreSQL: rows
 * become exactly one SMS each, receipts settle their status, pause/resume, preview and test send,
 * invalid numbers, a revoked key, an interval and "after another integration".
 */
describe('sms-send Google Sheets → 8x8, end to end', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };

  const messages = async (id: string) => (await h.request<{ items: MessageView[] }>('GET', `/integrations/${id}/messages?limit=1000`)).body.items;
  const runs = async (id: string) => (await h.request<{ items: RunView[] }>('GET', `/integrations/${id}/runs`)).body.items;
  const sheetWith = (rows: string[][]) => sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...rows] } });
  const sentTo = (spreadsheetRows: string[][]) => spreadsheetRows.map((r) => sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === r[1]).length);

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { smsSend: { authRecheckSeconds: 2, doubtWaitSeconds: 8 } } });
    ({ sheets, sms } = await startSmsFakes());
    ids = await createSmsAccounts(h, sheets, sms);
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('refuses a template naming an unknown column, and a missing phone column, with 422s naming the fields', async () => {
    const id = sheetWith([]);
    const bad = await h.request<{ errors: { field: string; message: string }[] }>('POST', '/integrations', smsSendBody(ids, id, { template: 'Hi {{name}}, order {{Order}} on {{dat}}', phoneColumn: 'Mobile' }));
    expect(bad.status).toBe(422);
    const fields = bad.body.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['config.template', 'config.phoneColumn']));
    expect(bad.body.errors.find((e) => e.message.includes('{{name}}'))?.message).toMatch(/did you mean \{\{Name\}\}/);
    const syntax = await h.request<{ errors: { field: string }[] }>('POST', '/integrations', smsSendBody(ids, id, { template: 'Hi {{Name' }));
    expect(syntax.status).toBe(422);
    expect(syntax.body.errors[0]?.field).toBe('config.template');
    const orphan = await h.request<{ errors: { field: string }[] }>('POST', '/integrations', smsSendBody(ids, id, { schedule: { after: '1c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5' } }));
    expect(orphan.status).toBe(422);
    expect(orphan.body.errors.map((e) => e.field)).toEqual(['config.schedule.after']);
  });

  it('sends each appended row exactly once, records rejected numbers, settles receipts; preview, test send, pause and resume', async () => {
    const existing = [customer(1), customer(2), customer(3)];
    const spreadsheetId = sheetWith(existing);
    const id = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, id);
    // Rows there at creation are passed over (no backfill).
    await runNow(h, id);
    expect(sms.sentMessages()).toHaveLength(0);

    const batch1 = [customer(10), customer(11), ['Bad Number', '12345', 'ORD-X'], customer(12), ['No Number', '', 'ORD-Y']];
    sheets.appendRows(spreadsheetId, SHEET, batch1);
    const preview = await h.request<{ count: number; messages: MessageView[] }>('POST', `/integrations/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.messages.map((m) => m.text)).toContain(`Customer 10, your order ORD-10 is confirmed on ${new Date().toISOString().slice(0, 10)}.`);
    expect(sms.sentMessages()).toHaveLength(0);

    const test = await h.request<{ provider: { status: { code: string }; umid: string }; text: string }>('POST', `/integrations/${id}/test`, { phone: '+36 70 999 0000' });
    expect(test.status).toBe(200);
    expect(test.body.provider.status.code).toBe('QUEUED');
    expect(sms.sentMessages({ status: 'QUEUED' }).map((m) => m.destination)).toEqual(['+36709990000']);
    expect((await h.request('POST', `/integrations/${id}/test`, {})).status).toBe(422);

    const run = await runNow(h, id);
    expect(run.lastRunCounts).toMatchObject({ fetched: 5, created: 3, held: 2 });
    expect(sentTo([customer(10), customer(11), customer(12)])).toEqual([1, 1, 1]);
    const byRow = new Map((await messages(id)).map((m) => [m.phone || m.row, m]));
    expect(byRow.get('12345')).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/Invalid MSISDN/) });
    expect([...byRow.values()].find((m) => m.phone === '')).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/no phone number/) });
    await waitFor('receipts to mark the three delivered', () => messages(id), (ms) => ms.filter((m) => m.state === 'delivered').length === 3, 20_000);

    // Editing a row already sent sends nothing again; rows appended while paused wait for resume.
    sheets.setRow(spreadsheetId, SHEET, 6, ['Customer 10 (edited)', customer(10)[1]!, 'ORD-10']);
    expect((await h.request('POST', `/integrations/${id}/pause`)).status).toBe(202);
    await waitFor('paused', () => statusOf(h, id), (s) => s.state === 'paused');
    sheets.appendRows(spreadsheetId, SHEET, [customer(20), customer(21)]);
    await h.request('POST', `/integrations/${id}/run`);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(sentTo([customer(20), customer(21)])).toEqual([0, 0]);

    const before = (await statusOf(h, id)).runs;
    expect((await h.request('POST', `/integrations/${id}/resume`)).status).toBe(202);
    await waitFor('the backlog run', () => statusOf(h, id), (s) => s.runs > before && s.state === 'idle');
    await runNow(h, id);
    expect(sentTo([customer(10), customer(20), customer(21)])).toEqual([1, 1, 1]);
    expect(duplicates(sms).twice).toEqual([]);

    const history = await runs(id);
    expect(history.every((r) => r.finishedAt !== null && ['interval', 'manual'].includes(r.trigger))).toBe(true);
    expect(history.find((r) => r.sent === 3)).toMatchObject({ rowsRead: 5, rejected: 2, failed: 0 });
    await recordHistory(h.temporal, `integration-${id}`, 'sms-send-on-loop-e2e');
  }, 120_000);

  it('answers receipts: wrong secret 404, bad body 400, unknown or repeated receipt 2xx; the secret stays out of the logs', async () => {
    expect((await h.request('POST', '/webhooks/8x8/not-a-secret', {}, { authorization: '' })).status).toBe(404);
    const spreadsheetId = sheetWith([]);
    const id = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, id);
    sheets.appendRows(spreadsheetId, SHEET, [customer(80)]);
    await runNow(h, id);
    const [sent] = sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === customer(80)[1]);
    await waitFor('its receipt', () => sms.receipts.posts.filter((p) => p.clientMessageId === sent!.clientMessageId), (p) => p.length > 0);
    const url = sms.receipts.posts.find((p) => p.clientMessageId === sent!.clientMessageId)!.url;
    expect(url.startsWith(`${h.api.url}/webhooks/8x8/${id}.`)).toBe(true);
    const path = url.slice(h.api.url.length);
    const mac = path.split('.').at(-1)!;
    const other = await createSmsSend(h, ids, sheetWith([]));
    expect((await h.request('POST', `/webhooks/8x8/${other}.${mac}`, {})).status).toBe(404);
    expect((await h.request('POST', path, { namespace: 'SMS' })).status).toBe(400);
    expect((await h.request('POST', path, '{not json')).status).toBe(400);
    const receipt = sms.deliveryReceipt(sent!.umid, 'delivered');
    expect((await h.request<{ applied: boolean }>('POST', path, receipt)).body).toEqual({ applied: false }); // the fake's own post came first
    const unknown = { ...(receipt as { payload: object }), payload: { ...(receipt as { payload: object }).payload, clientMessageId: 'someone-else' } };
    expect((await h.request('POST', path, unknown)).status).toBe(200);
    expect(h.logs.join('')).not.toContain(mac);
    expect(h.logs.join('')).toContain('/webhooks/8x8/[redacted]');
  });

  it('backfill sends the rows already there on the first run', async () => {
    const rows = [customer(30), customer(31)];
    const id = await createSmsSend(h, ids, sheetWith(rows), { backfill: true });
    await waitFor('the backfill', () => sentTo(rows), (n) => n.every((x) => x === 1));
    await runNow(h, id);
    expect(sentTo(rows)).toEqual([1, 1]);
  });

  it('a revoked 8x8 key: the account goes inactive, the integration waits, and continues by itself once the key works', async () => {
    const spreadsheetId = sheetWith([]);
    const id = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, id);
    sms.revokeKey(SMS_KEY);
    const rows = [customer(40), customer(41)];
    sheets.appendRows(spreadsheetId, SHEET, rows);
    try {
      await h.request('POST', `/integrations/${id}/run`);
      const waiting = await waitFor('the integration to wait on the account', () => statusOf(h, id), (s) => s.state === 'failed' && s.lastError?.type === 'auth');
      expect(waiting.lastError?.message).toMatch(/authenticated/);
      const account = await h.request<{ status: string; statusReason: string }>('GET', `/accounts/${ids.smsAccountId}`);
      expect(account.body.status).toBe('inactive');
      const calls = sms.calls.length;
      await new Promise((r) => setTimeout(r, 5_000));
      // Waiting means a light check every few seconds, not a failing send over and over.
      expect(sms.calls.length - calls).toBeLessThanOrEqual(4);
      expect(sentTo(rows)).toEqual([0, 0]);
    } finally {
      sms.grantKey(SMS_KEY, [SUB_ACCOUNT]);
    }
    await waitFor('the rows to go out after the fix', () => sentTo(rows), (n) => n.every((x) => x === 1), 30_000);
    await waitFor('the account active again', async () => (await h.request<{ status: string }>('GET', `/accounts/${ids.smsAccountId}`)).body.status, (s) => s === 'active');
    await waitFor('idle', () => statusOf(h, id), (s) => s.state === 'idle');
  }, 60_000);

  it('a batch whose answer is lost is settled by its receipts, not resent; one left without a receipt is resent after the doubt wait', async () => {
    const spreadsheetId = sheetWith([]);
    const id = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, id);
    const lost = [customer(70), customer(71)];
    sheets.appendRows(spreadsheetId, SHEET, lost);
    sms.dropAnswerAfterSending(1);
    await runNow(h, id);
    expect(sentTo(lost)).toEqual([1, 1]);
    expect((await messages(id)).map((m) => m.state)).toEqual(['delivered', 'delivered']);

    // A message a crash left `sending` whose request never reached 8x8: no receipt will come.
    await h.database.db.execute(sql`
      insert into sms_messages (integration_id, row_key, client_message_id, phone, text, state, attempts, sending_at)
      values (${id}, '999', ${`${id}:999`}, ${customer(72)[1]}, 'never left', 'sending', 1, now())`);
    const started = Date.now();
    await runNow(h, id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000); // waited for a receipt first
    expect(sentTo([customer(72)])).toEqual([1]);
    expect((await messages(id)).find((m) => m.row === '999')).toMatchObject({ state: expect.stringMatching(/queued|delivered/) });
  }, 60_000);

  it('"after integration X": every completed run of X runs this one', async () => {
    const x = await createSmsSend(h, ids, sheetWith([]));
    const spreadsheetId = sheetWith([]);
    const y = await createSmsSend(h, ids, spreadsheetId, { schedule: { after: x } });
    await settled(h, x);
    await settled(h, y);
    const rows = [customer(50)];
    sheets.appendRows(spreadsheetId, SHEET, rows);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sentTo(rows)).toEqual([0]); // Y has no clock of its own
    await runNow(h, x);
    await waitFor('the dependent run', () => sentTo(rows), (n) => n[0] === 1);
    await waitFor('its run recorded', () => runs(y), (r) => r.some((run) => run.trigger === 'after' && run.triggeredBy === x && run.sent === 1));
  }, 60_000);

  it('"after integration X" where X is another kind: a completed order-sync run runs this one', async () => {
    const shop = await startFakes({ orderQueriesPerHour: null }, {});
    try {
      const x = await createOrderSync(h, await createAccounts(h, shop.unas, shop.crm));
      const spreadsheetId = sheetWith([]);
      const y = await createSmsSend(h, ids, spreadsheetId, { schedule: { after: x } });
      await settled(h, y);
      const rows = [customer(95)];
      sheets.appendRows(spreadsheetId, SHEET, rows);
      await h.request('POST', `/integrations/${x}/run`);
      await waitFor('the run after the order sync', () => runs(y), (r) => r.some((run) => run.trigger === 'after' && run.triggeredBy === x && run.sent === 1));
      expect(sentTo(rows)).toEqual([1]);
    } finally {
      await Promise.all([shop.unas.close(), shop.crm.close()]);
    }
  }, 60_000);

  it('a short interval runs by itself, one interval after it was saved', async () => {
    const spreadsheetId = sheetWith([]);
    const savedAt = Date.now();
    const id = await createSmsSend(h, ids, spreadsheetId, { schedule: { every: 1 } });
    await settled(h, id);
    const rows = [customer(60)];
    sheets.appendRows(spreadsheetId, SHEET, rows);
    await waitFor('the interval run', () => sentTo(rows), (n) => n[0] === 1, 90_000, 1_000);
    // The run's counts are written when it finishes, a moment after 8x8 has the message.
    const run = (await waitFor('the run to be recorded', () => runs(id), (all) => all.some((r) => r.sent === 1))).find((r) => r.sent === 1)!;
    expect(run.trigger).toBe('interval');
    expect(Date.parse(run.startedAt) - savedAt).toBeGreaterThan(55_000);
  }, 120_000);
});
