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
});
