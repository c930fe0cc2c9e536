import type { Locator } from 'playwright-core';
import type { IntegrationStatus } from '../../workflows/control';
import { SumitFake } from '../fakes/sumit-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/order-sync-scenario';
import { runNow } from '../support/sms-send-scenario';

type View = { name: string; config: { pollIntervalSeconds: number; trigger: unknown; actions: Record<string, unknown>[] }; status: IntegrationStatus };

const optionsOf = (select: Locator) => select.locator('option').allTextContents();
const offers = (select: Locator, names: string[]) => waitFor(`${names.join(', ')} among the options`, () => optionsOf(select), (o) => names.every((n) => o.includes(n)), 60_000);

/**
 * A SUMIT scenario made in the console: the trigger picked from SUMIT's triggers, a sample of the
 * Leads folder fetched, the customer's name mapped from the sample's field (and previewed on it);
 * a lead added after saving reaches SUMIT as one customer with the mapped name.
 */
describeInBrowser('console: the scenario form', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let sumit: SumitFake;
  let integrationId: string;
  const view = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body;
  const customersNamed = (name: string) => sumit.customers().filter((c) => c.properties.Customers_FullName === name);

  beforeAll(async () => {
    h = await startHarness();
    sumit = new SumitFake();
    await sumit.start();
    const account = await h.request('POST', '/accounts', { system: 'sumit', name: 'SUMIT', baseUrl: sumit.url, credentials: { companyId: sumit.companyId, apiKey: sumit.apiKey } });
    expect(account.status).toBe(201);
    sumit.addEntity('Leads', { Name: 'Sample Lead Ltd', Email: 'sample@example.co.il' });
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await sumit?.close();
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('creates a scenario from SUMIT’s triggers and actions, the name mapped from a sample lead; a new lead becomes one customer with that name', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations`);
    await page.getByRole('link', { name: 'New integration' }).click();
    await page.getByRole('link', { name: 'scenario', exact: true }).click();
    await page.getByRole('heading', { name: 'New scenario integration', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name (required)' }).fill('Leads to customers');
    // The only SUMIT account is chosen for both ends.
    await waitFor('the accounts chosen', () => page.getByLabel('Target account (the actions are carried out here)').inputValue(), (v) => v !== '');

    const trigger = page.getByRole('combobox', { name: 'Trigger (required)' });
    await offers(trigger, ['New entity in a folder', 'Changed entity in a folder', 'Archived or deleted entity']);
    await trigger.selectOption({ label: 'New entity in a folder' });
    await page.getByRole('textbox', { name: 'folder (required)' }).fill('Leads');
    // SUMIT's own lag would report a lead a minute late; the test has no minute to spare.
    await page.getByText('Optional fields (6)').click();
    await page.getByRole('textbox', { name: 'safetyLagSeconds' }).fill('0');

    await page.getByRole('button', { name: 'Fetch a sample' }).click();
    const sample = page.getByRole('region', { name: 'Sample record' });
    await sample.getByRole('cell', { name: 'Sample Lead Ltd', exact: true }).waitFor({ timeout: 60_000 });
    await sample.getByRole('rowheader', { name: 'properties.Name' }).waitFor();

    const action = page.getByRole('group', { name: /^Action 1/ });
    const which = action.getByRole('combobox', { name: 'Action (required)' });
    await offers(which, ['Create customer', 'Create document', 'Send SMS']);
    await which.selectOption({ label: 'Create customer' });
    const name = action.getByRole('textbox', { name: 'name (required)' });
    await name.fill('Lead: ');
    await action.getByRole('combobox', { name: 'Insert a field into name' }).selectOption({ label: 'properties.Name — Sample Lead Ltd' });
    await waitFor('the placeholder inserted', () => name.inputValue(), (v) => v === 'Lead: {{record.properties.Name}}');
    await action.getByText('With the sample: Lead: Sample Lead Ltd').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'scenario-form-new');

    await page.getByRole('button', { name: 'Create scenario' }).click();
    await page.getByRole('heading', { name: 'Leads to customers', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    integrationId = /#\/integrations\/([^/]+)$/.exec(page.url())![1]!;
    const saved = await view();
    expect(saved.config.trigger).toEqual({ trigger: 'entity-created', input: { folder: 'Leads', safetyLagSeconds: 0 } });
    expect(saved.config.actions).toEqual([{ id: expect.stringMatching(/^action-/), action: 'create-customer', input: { name: 'Lead: {{record.properties.Name}}' } }]);
    expect(saved.config.pollIntervalSeconds).toBe(300);

    await waitFor('the first run', view, (v) => v.status.runs >= 1 && v.status.state === 'idle');
    sumit.addEntity('Leads', { Name: 'New Lead Ltd', Email: 'new@example.co.il' });
    // SUMIT lists entities a second behind now: run until the lead's customer is there.
    await waitFor(
      'the new lead’s customer',
      async () => {
        await runNow(h, integrationId);
        return customersNamed('Lead: New Lead Ltd').length;
      },
      (n) => n > 0,
      120_000,
      0,
    );
    await runNow(h, integrationId);
    expect(customersNamed('Lead: New Lead Ltd')).toHaveLength(1);
    // The lead sampled before saving is older than the scenario: no customer for it.
    expect(customersNamed('Lead: Sample Lead Ltd')).toHaveLength(0);
  });

  it('edits it: the saved trigger, action and mapping show; a second action maps an earlier result and takes its items as JSON', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/${integrationId}/edit`);
    await page.getByRole('heading', { name: 'Edit Leads to customers', level: 1 }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Trigger (required)' }).inputValue()).toBe('entity-created');
    expect(await page.getByRole('textbox', { name: 'folder (required)' }).inputValue()).toBe('Leads');
    expect(await page.getByRole('textbox', { name: 'safetyLagSeconds' }).inputValue()).toBe('0');
    const first = page.getByRole('group', { name: /^Action 1: Create customer/ });
    expect(await first.getByRole('combobox', { name: 'Action (required)' }).inputValue()).toBe('create-customer');
    const name = first.getByRole('textbox', { name: 'name (required)' });
    expect(await name.inputValue()).toBe('Lead: {{record.properties.Name}}');
    await first.getByText('Fetch a sample to see the value it takes.').waitFor();
    expect(await page.getByLabel('Source account (its trigger starts the scenario)').isDisabled()).toBe(true);

    // The saved scenario's sample: the newest lead is the one added after saving.
    await page.getByRole('button', { name: 'Fetch a sample' }).click();
    await first.getByText('With the sample: Lead: New Lead Ltd').waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Add an action' }).click();
    const second = page.getByRole('group', { name: /^Action 2/ });
    await second.getByRole('combobox', { name: 'Action (required)' }).selectOption({ label: 'Create document' });
    await second.getByRole('combobox', { name: 'type (required)' }).selectOption('Invoice');
    await second.getByText(/^Optional fields/).click();
    const customerId = second.getByRole('textbox', { name: 'customer.id' });
    await customerId.click();
    await second.getByRole('combobox', { name: 'Insert a field into customer.id' }).selectOption({ label: 'Action 1 (Create customer): a field of its result' });
    // The result's field is selected (with the focus back in the input) for the user to type over.
    await waitFor('the placeholder inserted', () => customerId.inputValue(), (v) => v === '{{actions.0.FIELD}}');
    await waitFor('the focus back in customer.id', () => customerId.evaluate((el) => el === el.ownerDocument.activeElement), (f) => f);
    await page.keyboard.type('customerId');
    expect(await customerId.inputValue()).toBe('{{actions.0.customerId}}');
    await second.getByText(/With the sample: … \(\{\{actions\.0\.customerId\}\}: known when the scenario runs\)/).waitFor();
    const items = second.getByRole('textbox', { name: 'items' });
    await items.fill('[{"name": "Setup", "quantity": 1');
    await second.getByText(/^Not valid JSON/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'scenario-form-edit');
    // JSON that does not parse is refused before it is sent.
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitFor('the focus on the JSON', () => items.evaluate((el) => el === el.ownerDocument.activeElement), (f) => f);
    await items.fill('[{"name": "Setup", "quantity": 1, "unitPrice": 100}]');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Leads to customers', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    const after = (await view()).config;
    expect(after.actions).toEqual([
      { id: expect.stringMatching(/^action-/), action: 'create-customer', input: { name: 'Lead: {{record.properties.Name}}' } },
      { id: expect.stringMatching(/^action-/), action: 'create-document', input: { type: 'Invoice', customer: { id: '{{actions.0.customerId}}' }, items: [{ name: 'Setup', quantity: 1, unitPrice: 100 }] } },
    ]);
  });
});
