import { webhookSecret } from '../kinds/sms-send/webhook-url';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, runNow, settled, SHEET, SMS_KEY, startSmsFakes, statusOf, SUB_ACCOUNT } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

interface MessageView {
  clientMessageId: string;
  phone: string;
  state: string;
}

/**
 * Anyone who learns an integration's webhook URL can post to it. A receipt moves only a message
 * that was sent, and only as it was sent (sub-account, number, 8x8's id): otherwise a forged
 * "delivered" could silently suppress a text that was never sent.
 */
describe('sms-send: delivery receipts that do not match what was sent move nothing', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };

  const messages = async (id: string) => (await h.request<{ items: MessageView[] }>('GET', `/integrations/${id}/messages?limit=100`)).body.items;
  const receipt = (m: MessageView, state: string, over: Record<string, unknown> = {}) => ({
    namespace: 'SMS',
    eventType: 'outbound_message_status_changed',
    payload: { umid: 'forged-umid', clientMessageId: m.clientMessageId, subAccountId: SUB_ACCOUNT, destination: m.phone, status: { state, timestamp: new Date().toISOString() }, ...over },
  });

  beforeAll(async () => {
    h = await startHarness({ activityOptions: { smsSend: { authRecheckSeconds: 2 } } });
    // No receipts from the fake: every receipt in this test is one we post.
    ({ sheets, sms } = await startSmsFakes({}, { receipts: { enabled: false } }));
    ids = await createSmsAccounts(h, sheets, sms);
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  it('a forged "delivered" for a message not sent yet is ignored, and the text still goes out', async () => {
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const id = await createSmsSend(h, ids, spreadsheetId);
    const path = `/webhooks/8x8/${webhookSecret(h.runtime.secretBox, id)}`;
    await settled(h, id);
    sms.revokeKey(SMS_KEY);
    sheets.appendRows(spreadsheetId, SHEET, [customer(1)]);
    try {
      await h.request('POST', `/integrations/${id}/run`);
      await waitFor('the send to be refused', () => statusOf(h, id), (s) => s.state === 'failed' && s.lastError?.type === 'auth');
      const [pending] = await messages(id);
      expect(pending?.state).toBe('pending');
      expect((await h.request<{ applied: boolean }>('POST', path, receipt(pending!, 'delivered'))).body.applied).toBe(false);
      expect((await messages(id))[0]?.state).toBe('pending');
    } finally {
      sms.grantKey(SMS_KEY, [SUB_ACCOUNT]);
    }
    await waitFor('the text to go out', () => sms.sentMessages({ status: 'QUEUED' }).filter((m) => m.destination === customer(1)[1]).length, (n) => n === 1, 30_000);
  });

  it('a receipt for a sent message applies only with its sub-account, number and 8x8 id', async () => {
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const id = await createSmsSend(h, ids, spreadsheetId);
    const path = `/webhooks/8x8/${webhookSecret(h.runtime.secretBox, id)}`;
    await settled(h, id);
    sheets.appendRows(spreadsheetId, SHEET, [customer(2)]);
    await runNow(h, id);
    const [queued] = await messages(id);
    expect(queued?.state).toBe('queued');
    const sent = sms.sentMessages({ status: 'QUEUED' }).find((m) => m.clientMessageId === queued!.clientMessageId)!;
    const post = async (over: Record<string, unknown>) => (await h.request<{ applied: boolean }>('POST', path, receipt(queued!, 'undelivered', { umid: sent.umid, ...over }))).body.applied;

    expect(await post({ subAccountId: 'someone_else' })).toBe(false);
    expect(await post({ destination: '+36709999999' })).toBe(false);
    expect(await post({ umid: 'another-message' })).toBe(false);
    expect((await messages(id))[0]?.state).toBe('queued');
    // 8x8's own receipt, as it is sent: the number with or without its +.
    expect(await post({ destination: queued!.phone.replace(/^\+/, '') })).toBe(true);
    expect((await messages(id))[0]?.state).toBe('undelivered');
  });
});
