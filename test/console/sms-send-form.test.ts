import type { GoogleSheetsFake } from '../fakes/google-sheets-fake';
import type { Sms8x8Fake } from '../fakes/sms8x8-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, settled, SHEET, startSmsFakes } from '../support/sms-send-scenario';

type Saved = { name: string; config: { spreadsheetId: string; range: string; phoneColumn: string; template: string; timeZone: string; schedule: unknown } };

/**
 * The run times a times-of-day schedule must show, worked out here without the service's code:
 * Tokyo keeps UTC+9 all year, so each day's clock times are fixed instants; the first counts only
 * if it is more than 5 minutes after the save.
 */
function tokyoRuns(times: string[], now: number): string[] {
  const tokyoToday = new Date(now + 9 * 3_600_000);
  const out: number[] = [];
  for (let d = 0; d <= 3; d++) {
    for (const t of times) {
      const [h, m] = t.split(':').map(Number);
      out.push(Date.UTC(tokyoToday.getUTCFullYear(), tokyoToday.getUTCMonth(), tokyoToday.getUTCDate() + d, (h ?? 0) - 9, m ?? 0));
    }
  }
  return out
    .filter((at) => at > now + 5 * 60_000)
    .sort((a, b) => a - b)
    .slice(0, 5)
    .map((at) => new Date(at).toISOString());
}

/** An SMS integration edited in the console: its template previewed on the sheet's rows as typed, a test SMS, a schedule and its next runs. */
describeInBrowser('console: the sms-send form', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;
  let ids: { sheetsAccountId: string; smsAccountId: string };
  let spreadsheetId: string;
  let integrationId: string;
  const saved = async (id = integrationId) => (await h.request<Saved>('GET', `/integrations/${id}`)).body;

  beforeAll(async () => {
    h = await startHarness();
    ({ sheets, sms } = await startSmsFakes());
    ids = await createSmsAccounts(h, sheets, sms);
    // Rows already there when the integration is made: no new row will come, so every preview and
    // the test SMS are built from these.
    spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, customer(1), customer(2), customer(3)], Archive: [['Old']] } });
    integrationId = await createSmsSend(h, ids, spreadsheetId, { timeZone: 'UTC' });
    await settled(h, integrationId);
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([sheets?.close(), sms?.close()]);
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('edits the template with its live preview on rows already in the sheet, sends a test SMS, sets times of day in a zone and saves', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/${integrationId}/edit`);
    await page.getByRole('heading', { name: 'Edit Order confirmations', level: 1 }).waitFor();
    // The sheet and the columns are lists read from the spreadsheet, not names to type.
    const sheet = page.getByLabel('Sheet', { exact: true });
    await waitFor('the sheets list', () => sheet.locator('option').allTextContents(), (o) => o.includes('Archive'), 30_000);
    expect(await sheet.locator('option').allTextContents()).toEqual(['Choose…', SHEET, 'Archive']);
    await expect(sheet.inputValue()).resolves.toBe(SHEET);
    const phone = page.getByLabel('Phone number column');
    await waitFor('the columns list', () => phone.locator('option').allTextContents(), (o) => o.length > 1, 30_000);
    expect(await phone.locator('option').allTextContents()).toEqual(['Choose…', ...HEADER]);
    await expect(phone.inputValue()).resolves.toBe('Phone');

    const preview = page.getByRole('region', { name: 'Preview on rows already in the sheet' });
    await page.getByLabel('Message text').fill('Hi {{Name}}, order {{Order}} ships today.');
    await preview.getByText('Hi Customer 1, order ORD-1 ships today.', { exact: true }).waitFor({ timeout: 30_000 });
    await preview.getByText('Hi Customer 3, order ORD-3 ships today.', { exact: true }).waitFor();
    await preview.getByText('1 SMS · 39 characters (GSM-7)').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sms-send-form-preview');

    // Times of day in Tokyo: the next five runs as the clock there shows them.
    await page.getByRole('radio', { name: 'At times of day' }).check();
    await page.getByLabel('Time of day 1', { exact: true }).fill('08:30');
    await page.getByRole('button', { name: 'Add a time of day' }).click();
    await page.getByLabel('Time of day 2', { exact: true }).fill('20:15');
    const before = Date.now();
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    const runs = page.getByRole('region', { name: 'Next five runs (Asia/Tokyo), if saved now' });
    const read = async () => Promise.all((await runs.locator('time').all()).map(async (t) => ({ at: (await t.getAttribute('datetime')) ?? '', text: (await t.textContent()) ?? '' })));
    const shown = await waitFor('five runs in Tokyo', read, (r) => r.length === 5 && r.every(({ text }) => / (08:30|20:15)$/.test(text)), 30_000);
    const expected = [tokyoRuns(['08:30', '20:15'], before), tokyoRuns(['08:30', '20:15'], Date.now())];
    expect(expected).toContainEqual(shown.map((r) => r.at));
    // Each as the Tokyo clock reads its instant.
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const { at, text } of shown) {
      const p = Object.fromEntries(tokyo.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
      expect(text).toBe(`${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
    }
    await screenshots(page, 'sms-send-form-schedule');

    // A test SMS of the text being edited (not saved yet), to a number typed here.
    expect(sms.sentMessages()).toEqual([]);
    await page.getByLabel('Phone number for the test').fill('+36 70 555 0101');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(/^8x8 answered QUEUED/).waitFor({ timeout: 30_000 });
    expect(sms.sentMessages().map((m) => [m.destination, m.text, m.status])).toEqual([['+36705550101', 'Hi Customer 1, order ORD-1 ships today.', 'QUEUED']]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sms-send-form-test-sent');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Order confirmations', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    const after = await saved();
    expect(after.config).toMatchObject({ template: 'Hi {{Name}}, order {{Order}} ships today.', schedule: { times: ['08:30', '20:15'] }, timeZone: 'Asia/Tokyo', phoneColumn: 'Phone', range: `'${SHEET}'!A:C` });
    expect(sms.sentMessages()).toHaveLength(1);
  });

  it('names a placeholder the sheet has no column for in the editor, and refuses to save it with the reason beside the text', async () => {
    const page = b.page;
    const before = (await saved()).config.template;
    await page.goto(`${h.api.url}/ui/#/integrations/${integrationId}/edit`);
    await page.getByRole('heading', { name: 'Edit Order confirmations', level: 1 }).waitFor();
    await page.getByLabel('Message text').fill('Hi {{Name}}, {{No such column}}');
    const problem = page.locator('#sms-template-problems');
    await problem.getByText(/unknown variable \{\{No such column\}\} at position 13.*"Name", "Phone", "Order"/).waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Preview on rows already in the sheet' }).getByText(/Not sent: the template uses \{\{No such column\}\}/).first().waitFor();

    await page.getByRole('button', { name: 'Save changes' }).click();
    const beside = page.locator('#sms-template-error');
    await beside.getByText(/unknown variable \{\{No such column\}\}/).waitFor({ timeout: 30_000 });
    await expect(page.getByLabel('Message text').getAttribute('aria-describedby')).resolves.toContain('sms-template-error');
    expect((await saved()).config.template).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sms-send-form-bad-placeholder');
  });

  it('creates an integration from the form: the address pasted, the sheet and columns picked from lists, the text previewed before saving', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/new/sms-send`);
    await page.getByRole('heading', { name: 'New sms-send integration', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Welcome texts');
    // One account of each system: chosen for the user.
    await waitFor('the accounts chosen', () => page.getByLabel('Google Sheets account').inputValue(), (v) => v === ids.sheetsAccountId, 30_000);
    await waitFor('the 8x8 account chosen', () => page.getByLabel('8x8 account').inputValue(), (v) => v === ids.smsAccountId, 30_000);
    await page.getByLabel('Spreadsheet').fill(`https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit#gid=0`);
    await page.getByText(`Id: ${spreadsheetId}`).waitFor();
    const sheet = page.getByLabel('Sheet', { exact: true });
    await waitFor('the sheets list', () => sheet.locator('option').allTextContents(), (o) => o.includes(SHEET), 30_000);
    await sheet.selectOption(SHEET);
    const phone = page.getByLabel('Phone number column');
    await waitFor('the columns list', () => phone.locator('option').allTextContents(), (o) => o.includes('Phone'), 30_000);
    await phone.selectOption('Phone');
    await page.getByLabel('Sender', { exact: true }).fill('Webshop');
    await page.getByLabel('Message text').fill('Welcome, ');
    await page.getByLabel('Insert a column').selectOption('Name');
    await waitFor('the column inserted', () => page.getByLabel('Message text').inputValue(), (v) => v === 'Welcome, {{Name}}', 10_000);
    await page.getByRole('region', { name: 'Preview on rows already in the sheet' }).getByText('Welcome, Customer 2', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('A test SMS can be sent once the integration is saved').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sms-send-form-new');

    await page.getByRole('button', { name: 'Create integration' }).click();
    await page.getByRole('heading', { name: 'Welcome texts', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    const id = page.url().split('/').pop()!;
    const created = await saved(id);
    expect(created.config).toMatchObject({ spreadsheetId, range: `'${SHEET}'`, phoneColumn: 'Phone', template: 'Welcome, {{Name}}', sender: 'Webshop' });
    await h.request('DELETE', `/integrations/${id}`);
  });
});
