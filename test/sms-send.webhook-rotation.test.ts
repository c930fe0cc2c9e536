import { webhookSecret } from '../kinds/sms-send/webhook-url';
import { startHarness, type Harness } from './support/harness';
import { createSmsAccounts, createSmsSend, customer, HEADER, runNow, settled, SHEET, startSmsFakes } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

interface MessageView {
  clientMessageId: string;
  state: string;
}

/**
 * A receipt URL that leaked is revoked for its integration alone: after a rotation the old URL
 * moves nothing, the new one (answered once, and given to 8x8 with the next send) works, and every
 * other integration's URL goes on working.
 */
describe('sms-send: rotating one integration\'s webhook secret', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    h = await startHarness();
    // No receipts from the fake: every receipt in this test is one we post, in 8x8's wire format.
    ({ sheets, sms } = await startSmsFakes({}, { receipts: { enabled: false } }));
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  const messages = async (id: string) => (await h.request<{ items: MessageView[] }>('GET', `/integrations/${id}/messages?limit=100`)).body.items;
  const stateOf = async (id: string, clientMessageId: string) => (await messages(id)).find((m) => m.clientMessageId === clientMessageId)?.state;
  /** One row texted by the integration: its message id and the 8x8 message as sent. */
  const textOne = async (id: string, spreadsheetId: string, i: number) => {
    sheets.appendRows(spreadsheetId, SHEET, [customer(i)]);
    await runNow(h, id);
    const sent = sms.sentMessages({ status: 'QUEUED' }).find((m) => m.destination === customer(i)[1]);
    if (!sent?.clientMessageId) throw new Error(`row ${i} was not texted`);
    return sent;
  };
  const post = (url: string, body: unknown) => h.request<{ applied?: boolean }>('POST', new URL(url, h.api.url).pathname, body);

  it('refuses receipts to the old URL and moves no message; takes them at the new one; another integration keeps its URL', async () => {
    const ids = await createSmsAccounts(h, sheets, sms);
    const sheetA = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const sheetB = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const a = await createSmsSend(h, ids, sheetA);
    const b = await createSmsSend(h, ids, sheetB);
    await Promise.all([settled(h, a), settled(h, b)]);
    const oldA = `/webhooks/8x8/${webhookSecret(h.runtime.secretBox, a)}`;
    const urlB = `/webhooks/8x8/${webhookSecret(h.runtime.secretBox, b)}`;
    const sentA = await textOne(a, sheetA, 1);
    const sentB = await textOne(b, sheetB, 2);
    // The URL 8x8 was given is the one we expect to retire.
    expect(new URL(sentA.dlrCallbackUrl!).pathname).toBe(oldA);

    const rotated = await h.request<{ id: string; receiptUrl: string }>('POST', `/integrations/${a}/webhook-secret/rotate`);
    expect(rotated.status).toBe(200);
    const newA = new URL(rotated.body.receiptUrl).pathname;
    expect(newA).not.toBe(oldA);
    expect(newA).toMatch(new RegExp(`^/webhooks/8x8/${a}\\.`));
    // Answered once: nothing that reads the integration shows it again.
    const newSecret = newA.split('/').pop()!;
    expect((await h.request('GET', `/integrations/${a}`)).text).not.toContain(newSecret);
    expect((await h.request('GET', '/integrations')).text).not.toContain(newSecret);

    const stale = await post(oldA, sms.deliveryReceipt(sentA.umid, 'delivered'));
    expect(stale.status).toBe(404);
    expect(await stateOf(a, sentA.clientMessageId!)).toBe('queued');

    const fresh = await post(rotated.body.receiptUrl, sms.deliveryReceipt(sentA.umid, 'delivered'));
    expect(fresh.status).toBe(200);
    expect(fresh.body.applied).toBe(true);
    expect(await stateOf(a, sentA.clientMessageId!)).toBe('delivered');

    const other = await post(urlB, sms.deliveryReceipt(sentB.umid, 'delivered'));
    expect(other.status).toBe(200);
    expect(other.body.applied).toBe(true);
    expect(await stateOf(b, sentB.clientMessageId!)).toBe('delivered');

    // The next send tells 8x8 the new URL; B's sends keep theirs.
    expect((await textOne(a, sheetA, 3)).dlrCallbackUrl).toBe(rotated.body.receiptUrl);
    expect(new URL((await textOne(b, sheetB, 4)).dlrCallbackUrl!).pathname).toBe(urlB);
  });

  it('answers an unknown integration with a 404 and a malformed id with a 4xx', async () => {
    const missing = await h.request('POST', '/integrations/00000000-0000-4000-8000-000000000000/webhook-secret/rotate');
    expect(missing.status).toBe(404);
    const malformed = await h.request('POST', '/integrations/not-an-id/webhook-secret/rotate');
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
  });
});
