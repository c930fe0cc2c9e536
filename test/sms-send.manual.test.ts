import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import { NethuntFake } from './fakes/nethunt-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';
import { createSmsAccounts, createSmsSend, customer, HEADER, SHEET, startSmsFakes } from './support/sms-send-scenario';

interface Preview {
  count: number;
  messages: { row: string; phone: string; text: string; state: string }[];
}
interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
  switchedOff?: { accountId: string; accountName: string; functionality: string }[];
}

/**
 * What a user does by hand beside the runs: a preview of rows already in the sheet, a test SMS and
 * CRM suggestions; and a hub switch that is off refuses those too.
 */
describe('previews, test sends and suggestions, and the hub switches', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };
  let integrationId: string;
  let spreadsheetId: string;

  const toggle = (accountId: string, name: string, enabled: boolean) => h.request('PATCH', `/accounts/${accountId}/functionalities/${name}`, { enabled, confirm: true });

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    ({ sheets, sms } = await startSmsFakes());
    spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: 30 }, (_, i) => customer(i + 1))] } });
    ids = await createSmsAccounts(h, sheets, sms);
    integrationId = await createSmsSend(h, ids, spreadsheetId, { template: 'Hello {{Name}}, order {{Order}}' });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([sheets?.close(), sms?.close()]);
  });

  it('previews rows already in the sheet, from a given row, rendered with the template', async () => {
    const first = await h.request<Preview>('POST', `/integrations/${integrationId}/preview?rows=existing&limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.messages).toEqual([
      { row: '2', phone: '+36701000001', text: 'Hello Customer 1, order ORD-1', state: 'pending', reason: null, length: { encoding: 'GSM-7', characters: 29, segments: 1 } },
      { row: '3', phone: '+36701000002', text: 'Hello Customer 2, order ORD-2', state: 'pending', reason: null, length: { encoding: 'GSM-7', characters: 29, segments: 1 } },
      { row: '4', phone: '+36701000003', text: 'Hello Customer 3, order ORD-3', state: 'pending', reason: null, length: { encoding: 'GSM-7', characters: 29, segments: 1 } },
    ]);
    const later = await h.request<Preview>('POST', `/integrations/${integrationId}/preview?rows=existing&from=30&limit=10`);
    expect(later.body.messages.map((m) => [m.row, m.text])).toEqual([
      ['30', 'Hello Customer 29, order ORD-29'],
      ['31', 'Hello Customer 30, order ORD-30'],
    ]);
    const bad = await h.request<Problem>('POST', `/integrations/${integrationId}/preview?rows=existing&limit=5000`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('query.limit');
  });

  it('previews a template being typed, saved or not: rendered rows, the columns, and an unknown column named', async () => {
    const draft = await h.request<Preview & { columns: string[]; problems: { kind: string; message: string }[] }>('POST', `/integrations/${integrationId}/preview?rows=existing&limit=2`, { template: 'Dear {{Name}} ({{Order}})' });
    expect(draft.status).toBe(200);
    expect(draft.body.messages.map((m) => m.text)).toEqual(['Dear Customer 1 (ORD-1)', 'Dear Customer 2 (ORD-2)']);
    expect(draft.body.columns).toEqual(HEADER);
    expect(draft.body.problems).toEqual([]);
    // Nothing was saved: the integration keeps its template.
    expect((await h.request<{ config: { template: string } }>('GET', `/integrations/${integrationId}`)).body.config.template).toBe('Hello {{Name}}, order {{Order}}');

    const unsaved = await h.request<Preview & { problems: { kind: string; message: string }[] }>('POST', '/sms-send/preview', {
      accountId: ids.sheetsAccountId,
      spreadsheetId,
      range: `'${SHEET}'!A:C`,
      phoneColumn: 'Phone',
      template: 'Hi {{Name}}, {{No such column}}',
      limit: 1,
    });
    expect(unsaved.status).toBe(200);
    expect(unsaved.body.problems).toEqual([{ kind: 'unknown-variable', message: expect.stringMatching(/unknown variable \{\{No such column\}\}.*"Name", "Phone", "Order"/), line: 1, column: 14 }]);
    expect(unsaved.body.messages[0]).toMatchObject({ row: '2', state: 'failed', reason: expect.stringMatching(/No such column/) });

    const times = await h.request<{ runs: { local: string }[] }>('POST', '/sms-send/schedule-preview', { schedule: { times: ['00:00'] }, timeZone: 'Asia/Tokyo' });
    expect(times.status).toBe(200);
    expect(times.body.runs).toHaveLength(5);
    expect(times.body.runs.every((r) => r.local.endsWith(' 00:00'))).toBe(true);
    const after = await h.request<{ runs: unknown[]; after: { id: string; name: string } }>('POST', '/sms-send/schedule-preview', { schedule: { after: integrationId }, timeZone: 'UTC' });
    expect(after.body).toMatchObject({ runs: [], after: { id: integrationId, name: 'Order confirmations' } });
  });

  it('refuses a test SMS through an account whose SMS switch is off, naming the switch and the account, and sends nothing', async () => {
    expect((await toggle(ids.smsAccountId, 'sms', false)).status).toBe(200);
    try {
      const res = await h.request<Problem>('POST', `/integrations/${integrationId}/test`, { phone: '+36701234567' });
      expect(res.status).toBe(409);
      expect(res.body.detail).toMatch(/a test SMS is refused: SMS is switched off for account "8x8"/);
      expect(res.body.switchedOff).toEqual([{ accountId: ids.smsAccountId, accountName: '8x8', functionality: 'sms', label: 'SMS' }]);
      expect(sms.calls).toHaveLength(0);
      // The preview reads the sheet only: the SMS switch does not stop it.
      expect((await h.request('POST', `/integrations/${integrationId}/preview?rows=existing&limit=1`)).status).toBe(200);
    } finally {
      await toggle(ids.smsAccountId, 'sms', true);
    }
  });

  it("refuses a preview and a test SMS while the sheet account's Spreadsheets switch is off", async () => {
    expect((await toggle(ids.sheetsAccountId, 'spreadsheet', false)).status).toBe(200);
    try {
      sheets.resetCalls();
      const preview = await h.request<Problem>('POST', `/integrations/${integrationId}/preview?rows=existing`);
      expect(preview.status).toBe(409);
      expect(preview.body.detail).toMatch(/Spreadsheets is switched off for account "Sheets"/);
      const test = await h.request<Problem>('POST', `/integrations/${integrationId}/test`, { phone: '+36701234567' });
      expect(test.status).toBe(409);
      expect(sheets.calls).toHaveLength(0);
    } finally {
      await toggle(ids.sheetsAccountId, 'spreadsheet', true);
    }
  });

  it("refuses CRM automation suggestions while the NetHunt account's CRM switch is off", async () => {
    const crm = new NethuntFake();
    const ws = new WorksectionFake({ requestsPerSecond: null });
    await Promise.all([crm.start(), ws.start()]);
    try {
      const source = await h.request<{ id: string }>('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: crm.baseUrl, credentials: { email: crm.email, apiKey: crm.apiKey } });
      const target = await h.request<{ id: string }>('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: ws.apiKey } });
      const leads = '596f644b8f6d05e16c24b810';
      const created = await h.request<{ id: string }>('POST', '/integrations', {
        kind: 'crm-automation',
        name: 'Leads',
        source: { accountId: source.body.id },
        target: { accountId: target.body.id },
        config: { automations: [{ trigger: { folderId: leads, field: 'Stage', value: 'Won' }, task: { projectId: '26', title: '{{Name}}' }, onClose: { field: 'Stage', value: 'Done' } }] },
      });
      expect(created.status).toBe(201);
      crm.addRecord(leads, { Name: 'Acme', Stage: 'Won' });
      const path = `/integrations/${created.body.id}/suggestions?folder=${leads}&field=Stage`;
      expect((await h.request('GET', path)).status).toBe(200);

      await toggle(source.body.id, 'crm', false);
      const refused = await h.request<Problem>('GET', path);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/suggestions is refused: CRM is switched off for account "NetHunt"/);
    } finally {
      await Promise.all([crm.close(), ws.close()]);
    }
  });
});
