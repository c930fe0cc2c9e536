import { NethuntFake } from '../fakes/nethunt-fake';
import { SumitFake } from '../fakes/sumit-fake';
import { WorksectionFake } from '../fakes/worksection-fake';
import type { GoogleSheetsFake } from '../fakes/google-sheets-fake';
import type { Sms8x8Fake } from '../fakes/sms8x8-fake';
import type { IntegrationStatus } from '../../workflows/control';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, runNow, settled, SHEET, startSmsFakes } from '../support/sms-send-scenario';
import { createLeadsToInvoices } from '../support/sumit-leads';

interface Delivery {
  record: string;
  step: string;
  state: string;
  reason: string | null;
  inDoubt: boolean;
}

const DOCUMENTS = '/accounting/documents/create/';
const LEADS = '596f644b8f6d05e16c24b810';
const PROJECT = '26';

/**
 * The details page per kind: a scenario's held records retried from the page (asking first when
 * a step is in doubt) and seen through to the target once; an SMS integration's messages with
 * their states; a CRM automation's state, why it is blocked and the values suggested for it.
 */
describeInBrowser('console: held records, messages and automations on the details page', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let sumit: SumitFake;
  let scenario: Awaited<ReturnType<typeof createLeadsToInvoices>>;
  let sheets: GoogleSheetsFake | undefined;
  let sms: Sms8x8Fake | undefined;
  let crm: NethuntFake | undefined;
  let ws: WorksectionFake | undefined;

  const deliveries = async (state?: string) => (await h.request<{ items: Delivery[] }>('GET', `/integrations/${scenario.id}/deliveries${state ? `?state=${state}` : ''}`)).body.items;
  /** SUMIT lists entities a second behind now: run until the new lead's invoice step is held. */
  const runUntilHeld = (record: string) =>
    waitFor(
      `${record} to be held`,
      async () => {
        await runNow(h, scenario.id);
        return (await deliveries('held')).find((d) => d.record === record);
      },
      (d) => d !== undefined,
      120_000,
      0,
    );
  const invoicesOf = (name: string) => {
    const customers = sumit.customers().filter((c) => Object.values(c.properties).includes(name));
    expect(customers).toHaveLength(1);
    return sumit.documents().filter((d) => d.customerId === customers[0]!.id);
  };
  const openDetails = async (id: string, title: string) => {
    // Through the list, so the page mounts afresh (a hash already shown would not reload it).
    await b.page.goto(`${h.api.url}/ui/#/integrations`);
    await b.page.goto(`${h.api.url}/ui/#/integrations/${id}`);
    await b.page.getByRole('heading', { name: title, level: 1 }).waitFor();
  };

  beforeAll(async () => {
    h = await startHarness();
    sumit = new SumitFake();
    await sumit.start();
    scenario = await createLeadsToInvoices(h, sumit);
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([sumit?.close(), sheets?.close(), sms?.close(), crm?.close(), ws?.close()]);
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('a record SUMIT refused shows with its reason; retried from the page once the cause is gone, it reaches SUMIT once and shows delivered', async () => {
    const lead = sumit.addEntity('Leads', { Name: 'Refused Ltd', Email: 'refused@example.co.il' });
    const record = `created:${lead.id}`;
    // SUMIT refuses the invoice once with its business error (HTTP 200, Status 1): a refusal, no doubt.
    sumit.script({ kind: 'error', message: 'Missing Item details', path: DOCUMENTS });
    await runUntilHeld(record);
    expect(invoicesOf('Refused Ltd')).toHaveLength(0);

    const page = b.page;
    await openDetails(scenario.id, 'Leads to invoices');
    const table = page.getByRole('region', { name: 'Held records' });
    const row = table.getByRole('row', { name: new RegExp(`^${record}\\b`) });
    await row.getByRole('cell', { name: 'held', exact: true }).waitFor();
    await row.getByText(/Missing Item details/).waitFor();
    await row.getByRole('cell', { name: 'action 1 (create-document)', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'held-records');

    // The scripted refusal was SUMIT's answer to that one call: it answers normally now.
    await row.getByRole('button', { name: `Retry ${record}` }).click();
    await page.getByRole('status').filter({ hasText: 'Retry requested for 1 step' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await row.getByRole('cell', { name: 'delivered', exact: true }).waitFor({ timeout: 120_000 });
    expect(await row.getByRole('button').count()).toBe(0);
    expect(invoicesOf('Refused Ltd')).toHaveLength(1);
    expect((await deliveries('held')).filter((d) => d.record === record)).toEqual([]);
    await screenshots(page, 'held-records-delivered');
  });

  it('a step whose answer was lost is in doubt: its retry asks first, naming the risk of a duplicate; confirmed, the invoice is made once', async () => {
    const lead = sumit.addEntity('Leads', { Name: 'Lost Answer Ltd', Email: 'lost@example.co.il' });
    const record = `created:${lead.id}`;
    // A gateway's 502 instead of SUMIT's answer: the call may have been carried out.
    sumit.script({ kind: 'http', path: DOCUMENTS, response: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' } });
    const held = await runUntilHeld(record);
    expect(held).toMatchObject({ step: '1:create-document', inDoubt: true });

    const page = b.page;
    await openDetails(scenario.id, 'Leads to invoices');
    const row = page.getByRole('region', { name: 'Held records' }).getByRole('row', { name: new RegExp(`^${record}\\b`) });
    await row.getByRole('cell', { name: 'in doubt', exact: true }).waitFor();
    await row.getByText(/may have been carried out/).waitFor();
    await row.getByRole('button', { name: `Retry ${record}` }).click();
    const dialog = page.getByRole('dialog', { name: `Retry ${record}?` });
    await dialog.getByText(`In doubt: ${record}: action 1 (create-document).`).waitFor();
    await dialog.getByText(/may create a duplicate at the target/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'held-records-in-doubt');

    // Checked in SUMIT, as the dialog asks: the gateway lost the request, no invoice was made.
    expect(invoicesOf('Lost Answer Ltd')).toHaveLength(0);
    await dialog.getByRole('button', { name: 'Retry anyway' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('cell', { name: 'delivered', exact: true }).waitFor({ timeout: 120_000 });
    expect(invoicesOf('Lost Answer Ltd')).toHaveLength(1);
    expect(await deliveries('held')).toEqual([]);
  });

  it("an SMS integration's messages show with their states and the provider's reason, filtered by state", async () => {
    ({ sheets, sms } = await startSmsFakes());
    const ids = await createSmsAccounts(h, sheets, sms);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, customer(1)] } });
    const smsId = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, smsId);
    sheets.appendRows(spreadsheetId, SHEET, [customer(2), ['Bad Number', '12345', 'ORD-X'], customer(3)]);
    await runNow(h, smsId);
    expect(sms.sentMessages({ status: 'QUEUED' }).map((m) => m.destination).sort()).toEqual([customer(2)[1], customer(3)[1]]);

    const page = b.page;
    await openDetails(smsId, 'Order confirmations');
    const table = page.getByRole('region', { name: "Messages, in the order of the sheet's rows" });
    const rejected = table.getByRole('row').filter({ hasText: '12345' });
    await rejected.getByRole('cell', { name: 'rejected by the provider', exact: true }).waitFor();
    await rejected.getByText(/Invalid MSISDN/).waitFor();
    // 8x8's receipts arrive after the send: the poll brings them in.
    for (const phone of [customer(2)[1]!, customer(3)[1]!]) {
      await table.getByRole('row').filter({ hasText: phone }).getByRole('cell', { name: 'delivered', exact: true }).waitFor({ timeout: 60_000 });
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sms-messages');

    await page.getByLabel('Show').selectOption({ label: 'rejected by the provider' });
    await waitFor('only the rejected message', () => table.locator('tbody tr').count(), (n) => n === 1, 30_000);
    await expect(table.locator('tbody tr').textContent()).resolves.toContain('12345');
    await h.request('DELETE', `/integrations/${smsId}`);
  });

  describe('a CRM automation', () => {
    let crmId: string;
    const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${crmId}`)).body.status;
    const runCrm = async () => {
      const before = (await status()).runs;
      await h.request('POST', `/integrations/${crmId}/run`);
      return waitFor('a run to finish', status, (s) => s.runs > before && s.state === 'idle');
    };

    beforeAll(async () => {
      crm = new NethuntFake();
      ws = new WorksectionFake();
      await Promise.all([crm.start(), ws.start()]);
      const source = await h.request<{ id: string }>('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: `${crm.url}/api/v1/zapier`, credentials: { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' } });
      const target = await h.request<{ id: string }>('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' } });
      const created = await h.request<{ id: string }>('POST', '/integrations', {
        kind: 'crm-automation',
        name: 'Won deals to delivery',
        source: { accountId: source.body.id },
        target: { accountId: target.body.id },
        config: {
          pollIntervalSeconds: 3600,
          automations: [
            {
              id: 'won-deals',
              trigger: { folderId: LEADS, field: 'Stage', value: 'Won' },
              task: { projectId: PROJECT, title: 'Deliver to {{Name}}', assignee: 'bob@acme.test', dueInDays: 3 },
              importFields: ['Name'],
              onClose: { field: 'Stage', value: 'Delivered' },
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      crmId = created.body.id;
      await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');
    });

    it('shows its trigger and task in words, suggests the values most used, and one becomes the trigger value once confirmed', async () => {
      crm!.addRecord(LEADS, { Name: 'Acme Kft', Stage: 'Closed won' });
      crm!.addRecord(LEADS, { Name: 'Beta Bt', Stage: 'Closed won' });
      crm!.addRecord(LEADS, { Name: 'Gamma Zrt', Stage: 'Negotiation' });

      const page = b.page;
      await openDetails(crmId, 'Won deals to delivery');
      const card = page.getByRole('article', { name: 'won-deals' });
      await card.getByText(`a record of NetHunt folder ${LEADS} gets Stage = "Won"`).waitFor();
      await card.getByText(/creates the Worksection task "Deliver to \{\{Name\}\}" in project 26, assigned to bob@acme.test, due 3 days later/).waitFor();
      await card.getByText('active', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Suggest values of Stage for won-deals' }).click();
      const suggested = card.getByRole('list', { name: 'Suggested values of Stage' });
      await suggested.getByText(/"Closed won"\s*\(2 records\)/).first().waitFor();
      await suggested.getByText(/"Negotiation"\s*\(1 record\)/).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, 'automations-suggestions');

      await card.getByRole('button', { name: 'Use as trigger value: "Closed won" for won-deals' }).click();
      const dialog = page.getByRole('dialog', { name: 'Start won-deals on "Closed won"?' });
      await dialog.getByRole('button', { name: 'Change the trigger' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card.getByText(`a record of NetHunt folder ${LEADS} gets Stage = "Closed won"`).waitFor();
      const saved = await h.request<{ trigger: { value: unknown } }>('GET', `/integrations/${crmId}/automations/won-deals`);
      expect(saved.body.trigger.value).toBe('Closed won');
    });

    it('an archived project blocks the automation, and the page says why', async () => {
      ws!.setProjectStatus(PROJECT, 'archived');
      const s = await runCrm();
      expect(s.blocked?.['won-deals']).toMatch(/archived/);
      const page = b.page;
      await openDetails(crmId, 'Won deals to delivery');
      const card = page.getByRole('article', { name: 'won-deals' });
      await card.getByText('blocked', { exact: true }).waitFor();
      await card.getByText(/is archived; records that reach the value wait/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, 'automations-blocked');
    });
  });
});
