import { GoogleSheetsFake, type GoogleSheetsFakeOptions } from '../fakes/google-sheets-fake';
import { Sms8x8Fake, type Sms8x8FakeOptions } from '../fakes/sms8x8-fake';
import type { IntegrationStatus } from '../../workflows/control';
import type { Harness } from './harness';
import { waitFor } from './order-sync-scenario';

export const SHEET = 'Customers';
export const HEADER = ['Name', 'Phone', 'Order'];
export const TOKEN = 'ya29.fake-access-token';
export const SMS_KEY = 'fake-8x8-api-key-0001';
export const SUB_ACCOUNT = 'acme_hq';

/** A customer row with a valid, distinct phone number. */
export const customer = (i: number) => [`Customer ${i}`, `+3670${String(1_000_000 + i).padStart(7, '0')}`, `ORD-${i}`];

export async function startSmsFakes(sheetsOptions: GoogleSheetsFakeOptions = {}, smsOptions: Sms8x8FakeOptions = {}) {
  const sheets = new GoogleSheetsFake({ readsPerMinutePerUser: null, readsPerMinutePerProject: null, ...sheetsOptions });
  const sms = new Sms8x8Fake(smsOptions);
  await Promise.all([sheets.start(), sms.start()]);
  return { sheets, sms };
}

export async function createSmsAccounts(h: Harness, sheets: GoogleSheetsFake, sms: Sms8x8Fake) {
  const a = await h.request<{ id: string }>('POST', '/accounts', { system: 'google-sheets', name: 'Sheets', baseUrl: sheets.url, credentials: { authType: 'oauth2', accessToken: TOKEN } });
  const b = await h.request<{ id: string }>('POST', '/accounts', { system: '8x8', name: '8x8', baseUrl: sms.url, credentials: { subAccountId: SUB_ACCOUNT, apiKey: SMS_KEY } });
  if (a.status !== 201 || b.status !== 201) throw new Error(`account creation failed: ${a.text} ${b.text}`);
  return { sheetsAccountId: a.body.id, smsAccountId: b.body.id };
}

export function smsSendBody(ids: { sheetsAccountId: string; smsAccountId: string }, spreadsheetId: string, config: Record<string, unknown> = {}) {
  return {
    kind: 'sms-send',
    name: 'Order confirmations',
    source: { accountId: ids.sheetsAccountId },
    target: { accountId: ids.smsAccountId },
    config: {
      spreadsheetId,
      range: `'${SHEET}'!A:C`,
      phoneColumn: 'Phone',
      sender: 'Webshop',
      template: '{{Name}}, your order {{Order}} is confirmed on {{date}}.',
      schedule: { every: 60 },
      ...config,
    },
  };
}

export async function createSmsSend(h: Harness, ids: { sheetsAccountId: string; smsAccountId: string }, spreadsheetId: string, config: Record<string, unknown> = {}): Promise<string> {
  const res = await h.request<{ id: string }>('POST', '/integrations', smsSendBody(ids, spreadsheetId, config));
  if (res.status !== 201) throw new Error(`integration creation failed: ${res.status} ${res.text}`);
  return res.body.id;
}

export const statusOf = async (h: Harness, id: string) => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status;

/** Waits until the workflow has read the sheet once (its cursor is set) and sits idle. */
export const settled = (h: Harness, id: string) => waitFor('the integration to settle', () => statusOf(h, id), (s) => s.state === 'idle' && s.cursor !== undefined);

/** Runs the integration now and waits for that run to finish. */
export async function runNow(h: Harness, id: string) {
  const before = (await statusOf(h, id)).runs;
  const res = await h.request('POST', `/integrations/${id}/run`);
  if (res.status !== 202) throw new Error(`run failed: ${res.text}`);
  return waitFor('a run to finish', () => statusOf(h, id), (s) => s.runs > before && s.state === 'idle');
}

/** clientMessageIds sent (QUEUED) more than once, and how many distinct ones went out. */
export function duplicates(sms: Sms8x8Fake): { distinct: number; twice: string[] } {
  const counts = new Map<string, number>();
  for (const m of sms.sentMessages({ status: 'QUEUED' })) counts.set(m.clientMessageId ?? m.umid, (counts.get(m.clientMessageId ?? m.umid) ?? 0) + 1);
  return { distinct: counts.size, twice: [...counts].filter(([, n]) => n > 1).map(([id]) => id) };
}
