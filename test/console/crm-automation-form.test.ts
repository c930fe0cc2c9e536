import type { Locator } from 'playwright-core';
import type { IntegrationStatus } from '../../workflows/control';
import { NethuntFake } from '../fakes/nethunt-fake';
import { WorksectionFake } from '../fakes/worksection-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/order-sync-scenario';

type View = { config: { pollIntervalSeconds: number; automations: Record<string, unknown>[] }; status: IntegrationStatus };

const LEADS = '596f644b8f6d05e16c24b810';
const optionsOf = (select: Locator) => select.locator('option').allTextContents();
const offers = (select: Locator, names: string[]) => waitFor(`${names.join(', ')} among the options`, () => optionsOf(select), (o) => names.every((n) => o.some((x) => x.startsWith(n))), 60_000);

/** A CRM automation made in the console from the accounts' folders, fields, projects and users; a lead reaching the value gets its task. */
describeInBrowser('console: the crm-automation form', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let crm: NethuntFake;
  let ws: WorksectionFake;
  let integrationId: string;
  const view = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body;

  beforeAll(async () => {
    h = await startHarness();
    crm = new NethuntFake();
    ws = new WorksectionFake();
    await Promise.all([crm.start(), ws.start()]);
    const source = await h.request('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: `${crm.url}/api/v1/zapier`, credentials: { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' } });
    const target = await h.request('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' } });
    expect([source.status, target.status]).toEqual([201, 201]);
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([crm?.close(), ws?.close()]);
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('creates an automation from the lists; a lead that is won gets one task with its data', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/new/crm-automation`);
    await page.getByRole('heading', { name: 'New crm-automation integration', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Won deals to delivery');
    await page.getByLabel('Every').fill('1');
    await page.getByLabel('Unit').selectOption({ label: 'hours' });

    const a = page.getByRole('group', { name: /^Automation 1/ });
    const folder = a.getByLabel('Folder');
    // A folder the user cannot write to is offered, saying so.
    await offers(folder, ['Leads', 'Companies', 'Shared reports (read only: no write-back)']);
    await folder.selectOption({ label: 'Leads' });
    const field = a.getByLabel('Field that starts it');
    await offers(field, ['Name', 'Primary Email Address', 'Stage']);
    await field.selectOption('Stage');
    await a.getByLabel('Value that starts it').fill('Won');
    const project = a.getByLabel('Project');
    await offers(project, ['Sales follow-ups', 'Next quarter']);
    await project.selectOption({ label: 'Sales follow-ups' });
    await a.getByLabel('Task title', { exact: true }).fill('Deliver to ');
    await a.getByRole('button', { name: 'Insert {{Name}} into the title' }).click();
    expect(await a.getByLabel('Task title', { exact: true }).inputValue()).toBe('Deliver to {{Name}}');
    const assignee = a.getByLabel('Assignee');
    await offers(assignee, ['Ann Owner', 'Bob Doer']);
    await assignee.selectOption({ label: 'Bob Doer' });
    await a.getByLabel('Priority (optional)').fill('7');
    await a.getByRole('checkbox', { name: 'Name', exact: true }).check();
    await a.getByRole('checkbox', { name: 'Primary Email Address' }).check();
    await a.getByLabel('Field written back').selectOption('Stage');
    await a.getByLabel('Value written back').fill('Delivered');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'crm-automation-form-new');

    await page.getByRole('button', { name: 'Create CRM automation' }).click();
    await page.getByRole('heading', { name: 'Won deals to delivery', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    integrationId = /#\/integrations\/([^/]+)$/.exec(page.url())![1]!;
    const saved = await view();
    expect(saved.config.pollIntervalSeconds).toBe(3600);
    expect(saved.config.automations).toEqual([
      {
        id: expect.stringMatching(/^auto-/),
        trigger: { folderId: LEADS, field: 'Stage', value: 'Won' },
        task: { projectId: '26', title: 'Deliver to {{Name}}', assignee: 'bob@acme.test', priority: 7 },
        importFields: ['Name', 'Primary Email Address'],
        onClose: { field: 'Stage', value: 'Delivered' },
      },
    ]);

    await waitFor('the first run', view, (v) => v.status.runs >= 1 && v.status.state === 'idle');
    const won = crm.addRecord(LEADS, { Name: 'Acme Kft', 'Primary Email Address': 'buyer@acme.hu', Stage: 'Won' });
    expect((await h.request('POST', `/integrations/${integrationId}/run`)).status).toBe(202);
    const tasks = await waitFor('the task', () => ws.tasks().filter((t) => t.text.includes(`NetHunt record ${won.id}`)), (t) => t.length > 0);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ projectId: '26', name: 'Deliver to Acme Kft', priority: 7, userTo: 'bob@acme.test' });
  });

  it('edits it: the saved automation shows and keeps its id when the interval changes', async () => {
    const page = b.page;
    const before = (await view()).config.automations[0]!;
    await page.goto(`${h.api.url}/ui/#/integrations/${integrationId}/edit`);
    await page.getByRole('heading', { name: 'Edit Won deals to delivery', level: 1 }).waitFor();
    const a = page.getByRole('group', { name: /^Automation 1/ });
    await offers(a.getByLabel('Field that starts it'), ['Stage']);
    expect(await a.getByLabel('Folder').inputValue()).toBe(LEADS);
    expect(await a.getByLabel('Field that starts it').inputValue()).toBe('Stage');
    await offers(a.getByLabel('Assignee'), ['Bob Doer']);
    expect(await a.getByLabel('Assignee').inputValue()).toBe('bob@acme.test');
    expect(await a.getByRole('checkbox', { name: 'Primary Email Address' }).isChecked()).toBe(true);
    expect(await a.getByLabel('Task title', { exact: true }).inputValue()).toBe('Deliver to {{Name}}');
    expect(await page.getByLabel('NetHunt account (records are watched here)').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'crm-automation-form-edit');

    // A second automation added and taken away again leaves the first as it was.
    await page.getByRole('button', { name: 'Add an automation' }).click();
    await page.getByRole('group', { name: /^Automation 2/ }).getByRole('button', { name: 'Remove automation 2' }).click();
    await waitFor('automation 2 gone', () => page.getByRole('group', { name: /^Automation 2/ }).count(), (n) => n === 0);
    expect(await page.getByRole('button', { name: 'Add an automation' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await page.getByLabel('Every').fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Won deals to delivery', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    const after = (await view()).config;
    expect(after.pollIntervalSeconds).toBe(7200);
    expect(after.automations).toEqual([before]);
  });
});
