import type { IntegrationStatus } from '../../workflows/control';
import type { MiniCrmFake } from '../fakes/minicrm-fake';
import type { UnasFake } from '../fakes/unas-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { createAccounts, createOrderSync, startFakes, waitFor } from '../support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, runNow, settled, SHEET, startSmsFakes } from '../support/sms-send-scenario';
import type { GoogleSheetsFake } from '../fakes/google-sheets-fake';
import type { Sms8x8Fake } from '../fakes/sms8x8-fake';

type View = { enabled: boolean; workflowId: string; status: IntegrationStatus; countLabels: Record<string, string> };

/** An order sync made through the API, seen and paused from the console's integrations pages. */
describeInBrowser('console: integrations list and details', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let integrationId: string;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  const view = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body;

  beforeAll(async () => {
    h = await startHarness();
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: 1000 }, {}));
    const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 1000 } });
    // Changed a minute ago: UNAS dates have whole seconds, so orders changed in the very second of the
    // first run are read by the next one, an hour later with this interval.
    unas.addOrders(12, { status: 'Beérkezett', modifiedAt: Date.now() - 60_000 });
    // Polls once an hour: after its first run it waits, and the counts hold still while the page is read.
    integrationId = await createOrderSync(h, ids, { pollIntervalSeconds: 3600 });
    await waitFor('the first run', view, (v) => v.status.runs >= 1 && v.status.state === 'idle' && v.status.counts.created === 12);
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([unas?.close(), crm?.close(), sheets?.close(), sms?.close()]);
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('lists the order sync with its state, runs and counts in its own words', async () => {
    const page = b.page;
    const v = await view();
    await page.goto(`${h.api.url}/ui/#/integrations`);
    const card = page.getByRole('article', { name: 'UNAS → MiniCRM' });
    await card.getByText('waiting', { exact: true }).waitFor();
    await card.getByText('order-sync', { exact: true }).waitFor();
    // Each count beside the kind's words for it, as the API reports them.
    for (const key of ['fetched', 'created'] as const) {
      await card.locator('.counts li').filter({ hasText: v.countLabels[key]! }).filter({ hasText: String(v.status.counts[key]) }).first().waitFor();
    }
    await expect(card.locator('dt:text-is("Runs") + dd').textContent()).resolves.toBe(String(v.status.runs));
    const link = card.getByRole('link', { name: /in the Temporal UI/ });
    await expect(link.getAttribute('href')).resolves.toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${v.workflowId}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'integrations');
  });

  it('pauses from the page: the state changes there and the API agrees; resumes again', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations`);
    const card = page.getByRole('article', { name: 'UNAS → MiniCRM' });
    await card.getByRole('button', { name: 'Pause UNAS → MiniCRM' }).click();
    await card.getByText('paused', { exact: true }).first().waitFor();
    await waitFor('the API to report paused', view, (v) => v.status.state === 'paused');
    expect((await view()).enabled).toBe(false);

    await card.getByRole('button', { name: 'Resume UNAS → MiniCRM' }).click();
    await card.getByRole('button', { name: 'Pause UNAS → MiniCRM' }).waitFor();
    await waitFor('the API to report resumed', view, (v) => v.status.state !== 'paused');
    expect((await view()).enabled).toBe(true);
  });

  it('a details page shows the status and the last run in the kind own words; a state change shows without a reload', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations`);
    await page.getByRole('link', { name: 'UNAS → MiniCRM' }).click();
    await page.getByRole('heading', { name: 'UNAS → MiniCRM', level: 1 }).waitFor();
    // Resumed in the test before: that run finishes first (a run is kept once it is over).
    const v = await waitFor('the runs to be over', view, (x) => x.status.state === 'idle' && x.status.recentRuns?.length === x.status.runs);
    // The runs the workflow keeps in its status, oldest first: the first one wrote the 12 orders.
    const recent = v.status.recentRuns!;
    expect(recent[0]).toMatchObject({ outcome: 'completed', counts: { created: 12 } });
    const table = page.getByRole('region', { name: 'Runs, newest first' });
    await waitFor('a row per run', () => table.locator('tbody tr').count(), (n) => n === recent.length, 30_000);
    // Columns in the kind's words; the oldest run (the last row) created the 12.
    const column = await table.locator('thead th').allTextContents();
    const created = column.indexOf(v.countLabels.created!);
    expect(created).toBeGreaterThan(0);
    await expect(table.locator('tbody tr').last().locator('td').nth(created).textContent()).resolves.toBe('12');
    await page.getByRole('img', { name: new RegExp(`^${recent.length} runs? from`) }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'integration-details');

    // Paused through the API, not the page: the poll brings it in.
    expect((await h.request('POST', `/integrations/${integrationId}/pause`)).status).toBe(202);
    await page.getByText('paused', { exact: true }).first().waitFor({ timeout: 60_000 });
  });

  it('an SMS integration shows its runs as a chart and a table, as the API keeps them', async () => {
    ({ sheets, sms } = await startSmsFakes());
    const ids = await createSmsAccounts(h, sheets, sms);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, customer(1)] } });
    const smsId = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, smsId);
    sheets.appendRows(spreadsheetId, SHEET, [customer(2), customer(3), customer(4)]);
    await runNow(h, smsId);
    sheets.appendRows(spreadsheetId, SHEET, [customer(5)]);
    await runNow(h, smsId);
    const runs = (await h.request<{ items: { sent: number }[] }>('GET', `/integrations/${smsId}/runs`)).body.items;
    const sent = runs.reduce((n, r) => n + r.sent, 0);
    expect(sent).toBe(4);

    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/${smsId}`);
    await page.getByRole('heading', { name: 'Order confirmations', level: 1 }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^${runs.length} runs .*: ${sent} sent`) }).waitFor();
    const table = page.getByRole('region', { name: 'Runs, newest first' });
    await waitFor('every run in the table', () => table.locator('tbody tr').count(), (n) => n === runs.length, 30_000);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'integration-details-sms');
    await h.request('DELETE', `/integrations/${smsId}`);
  });

  it('deleting asks first, then the integration is gone from the list and the API', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations`);
    await page.getByRole('button', { name: 'Delete UNAS → MiniCRM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete UNAS → MiniCRM?' });
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No integration yet').waitFor();
    expect((await h.request('GET', `/integrations/${integrationId}`)).status).toBe(404);
  });
});
