import { NethuntFake } from './fakes/nethunt-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { recordHistory } from './support/histories';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import type { IntegrationStatus } from '../workflows/control';

const LEADS = '596f644b8f6d05e16c24b810';
const PROJECT = '26';

/**
 * NetHunt → Worksection through the HTTP API: a lead reaching "Won" gets one task with its data;
 * closing the task writes "Delivered" back; the write-back starts nothing again; a lead that
 * returns to "Won" after its task was closed gets a new task.
 */
describe('CRM automation NetHunt → Worksection, end to end', () => {
  let h: Harness;
  let crm: NethuntFake;
  let ws: WorksectionFake;
  let integrationId: string;

  const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${integrationId}`)).body.status;
  /** Runs the integration now and waits until that run has finished. */
  const runNow = async () => {
    const before = (await status()).runs;
    await h.request('POST', `/integrations/${integrationId}/run`);
    return waitFor('a run to finish', status, (s) => s.runs > before && s.state === 'idle');
  };
  const tasksOf = (recordId: string) => ws.tasks().filter((t) => t.text.includes(`NetHunt record ${recordId}`));

  beforeAll(async () => {
    h = await startHarness();
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
        pollIntervalSeconds: 60,
        automations: [
          {
            id: 'won-deals',
            trigger: { folderId: LEADS, field: 'Stage', value: 'Won' },
            task: { projectId: PROJECT, title: 'Deliver to {{Name}}', maxTime: 4, priority: 7, assignee: 'bob@acme.test', dueInDays: 3 },
            importFields: ['Name', 'Primary Email Address'],
            onClose: { field: 'Stage', value: 'Delivered' },
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    // The first run marks what is already there as seen; only changes from now on count.
    await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');
  });

  afterAll(async () => {
    if (h && integrationId) await recordHistory(h.temporal, `integration-${integrationId}`, 'crm-automation-e2e');
    await h?.close();
    await Promise.all([crm?.close(), ws?.close()]);
  });

  it('creates exactly one task per lead that reaches the value, with its data, however often it is seen', async () => {
    const won = crm.addRecord(LEADS, { Name: 'Acme Kft', 'Primary Email Address': 'buyer@acme.hu', Stage: 'Negotiation' });
    const other = crm.addRecord(LEADS, { Name: 'Other Bt', Stage: 'Negotiation' });
    await new Promise((r) => setTimeout(r, 20));
    crm.editRecord(won.id, { Stage: 'Won' });
    await runNow();
    crm.editRecord(won.id, { Name: 'Acme Kft' }); // touched again while still Won
    await runNow();

    const tasks = tasksOf(won.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ projectId: PROJECT, name: 'Deliver to Acme Kft', priority: 7, userTo: 'bob@acme.test' });
    expect(Number(tasks[0]!.maxTime)).toBe(4);
    expect(tasks[0]!.text).toContain('Primary Email Address: buyer@acme.hu');
    expect(tasks[0]!.dateEnd).toBeTruthy();
    expect(tasksOf(other.id)).toHaveLength(0);
  });

  it('closing the task writes the value back once, and the write-back starts nothing again', async () => {
    const lead = crm.addRecord(LEADS, { Name: 'Close Me Zrt', Stage: 'Won' });
    await runNow();
    const [task] = tasksOf(lead.id);
    expect(task).toBeDefined();
    ws.closeTask(task!.id);
    await runNow();
    expect(crm.recordById(lead.id)!.fields.Stage).toBe('Delivered');
    await runNow();
    expect(tasksOf(lead.id)).toHaveLength(1);

    // Back to Won after the close: a new episode, a new task.
    crm.editRecord(lead.id, { Stage: 'Won' });
    await runNow();
    expect(tasksOf(lead.id)).toHaveLength(2);
    const s = await status();
    expect(s.lastError).toBeNull();
    expect(s.counts.updated).toBeGreaterThanOrEqual(1);
  });

  it('runs a second automation, added through the API, on another field alongside the first', async () => {
    const added = await h.request<{ id: string }>('POST', `/integrations/${integrationId}/automations`, {
      id: 'vip-leads',
      trigger: { folderId: LEADS, field: 'Tags', value: 'vip' },
      task: { projectId: PROJECT, title: 'Call VIP {{Name}}' },
      importFields: ['Primary Email Address'],
      onClose: { field: 'Task status', value: 'Done' },
    });
    expect(added.status).toBe(201);
    const listed = await h.request<{ items: { id: string }[] }>('GET', `/integrations/${integrationId}/automations`);
    expect(listed.body.items.map((a) => a.id)).toEqual(['won-deals', 'vip-leads']);
    await runNow(); // the new automation's first poll: from now on

    const lead = crm.addRecord(LEADS, { Name: 'Both Kft', Stage: 'Won', Tags: ['vip', 'hu'] });
    await runNow();
    expect(tasksOf(lead.id).map((t) => t.name).sort()).toEqual(['Call VIP Both Kft', 'Deliver to Both Kft']);
    const vipTask = tasksOf(lead.id).find((t) => t.name.startsWith('Call VIP'))!;
    ws.closeTask(vipTask.id);
    await runNow();
    expect(crm.recordById(lead.id)!.fields['Task status']).toBe('Done');
    expect(crm.recordById(lead.id)!.fields.Stage).toBe('Won'); // the other automation's task is still open
  });

  it('an archived project gets no tasks and says why; reactivated, the waiting records get theirs', async () => {
    ws.setProjectStatus(PROJECT, 'archived');
    const lead = crm.addRecord(LEADS, { Name: 'Waiting Bt', Stage: 'Won' });
    const blocked = await runNow();
    expect(tasksOf(lead.id)).toHaveLength(0);
    expect(blocked.blocked?.['won-deals']).toMatch(/archived/);

    ws.setProjectStatus(PROJECT, 'active');
    const resumed = await runNow();
    expect(tasksOf(lead.id).map((t) => t.name)).toEqual(['Deliver to Waiting Bt']);
    expect(resumed.blocked).toEqual({});
  });

  it('suggests the values most used in recent records of a field', async () => {
    const res = await h.request<{ items: { value: string; records: number }[] }>('GET', `/integrations/${integrationId}/suggestions?folder=${LEADS}&field=Stage`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.value)).toEqual(['Won', 'Negotiation']); // most used first
    expect(res.body.items[0]!.records).toBeGreaterThan(res.body.items[1]!.records);
    const bad = await h.request<{ errors: { field: string }[] }>('GET', `/integrations/${integrationId}/suggestions?field=Stage`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]?.field).toBe('query.folder');
  });

  it.each([
    ['an unknown folder', { trigger: { folderId: 'no-such-folder', field: 'Stage', value: 'Won' } }, 'trigger.folderId', /no readable NetHunt folder/],
    ['an unknown field', { trigger: { folderId: LEADS, field: 'Colour', value: 'Won' } }, 'trigger.field', /no field "Colour".*"Stage"/],
    ['an unknown project', { task: { projectId: '999', title: 'x' } }, 'task.projectId', /no Worksection project with id 999/],
    ['a value of the wrong type', { trigger: { folderId: LEADS, field: 'Stage', value: { is: 'Won' } } }, 'trigger.value', /.+/],
    ['a write-back that would start it again', { onClose: { field: 'Stage', value: 'Won' } }, 'onClose.value', /start the automation again/],
  ])('refuses %s, naming the field', async (_what, change, field, message) => {
    const res = await h.request<{ errors: { field: string; message: string }[] }>('PATCH', `/integrations/${integrationId}/automations/won-deals`, change);
    expect(res.status).toBe(422);
    const err = res.body.errors.find((e) => e.field === field);
    expect(err?.message).toMatch(message);
  });

  it('deleting an automation or the integration needs confirm: true, and the 409 says what would go', async () => {
    const one = await h.request<{ detail: string }>('DELETE', `/integrations/${integrationId}/automations/vip-leads`);
    expect(one.status).toBe(409);
    expect(one.body.detail).toMatch(/Tags = vip.*confirm: true/);
    expect((await h.request('DELETE', `/integrations/${integrationId}/automations/vip-leads`, { confirm: true })).status).toBe(204);

    const all = await h.request<{ detail: string }>('DELETE', `/integrations/${integrationId}`);
    expect(all.status).toBe(409);
    expect(all.body.detail).toMatch(/1 automation\(s\): won-deals/);
    // Worksection's one request a second held throughout.
    expect(ws.limitViolations).toBe(0);
  });
});
