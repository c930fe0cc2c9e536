import { NethuntFake } from './fakes/nethunt-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import type { IntegrationStatus } from '../workflows/control';

const LEADS = '596f644b8f6d05e16c24b810';
const PROJECT = '26';

/**
 * "Changes count from the first run on" means from the save on. No worker runs between the 201 and
 * the changes, so the first poll comes strictly after them: the widest form of the instant between
 * saving and the first poll. NetHunt stamps changes to the millisecond, and every one of these is
 * stamped after the save and before the first poll.
 */
describe('crm-automation: changes right after saving', () => {
  let h: Harness;
  let crm: NethuntFake;
  let ws: WorksectionFake;
  let integrationId: string;

  const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${integrationId}`)).body.status;
  const runNow = async () => {
    const before = (await status()).runs;
    await h.request('POST', `/integrations/${integrationId}/run`);
    return waitFor('a run to finish', status, (s) => s.runs > before && s.state === 'idle');
  };
  const tasksOf = (recordId: string, prefix: string) => ws.tasks().filter((t) => t.text.includes(`NetHunt record ${recordId}`) && t.name.startsWith(prefix));
  /** Records that did not get exactly one task of the automation. */
  const notOnce = (ids: string[], prefix: string) => ids.map((id) => [id, tasksOf(id, prefix).length] as const).filter(([, n]) => n !== 1);
  const withTasks = (ids: string[], prefix: string) => ids.filter((id) => tasksOf(id, prefix).length > 0);

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    crm = new NethuntFake();
    ws = new WorksectionFake();
    await Promise.all([crm.start(), ws.start()]);
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([crm?.close(), ws?.close()]);
  });

  it('gives a task to every record that reaches the value after the 201, once, and none to those already there', async () => {
    const source = await h.request<{ id: string }>('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: crm.baseUrl, credentials: { email: crm.email, apiKey: crm.apiKey } });
    const target = await h.request<{ id: string }>('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' } });
    const already = Array.from({ length: 5 }, (_, i) => crm.addRecord(LEADS, { Name: `Already Won ${i}`, Stage: 'Won' }).id);
    const turning = Array.from({ length: 5 }, (_, i) => crm.addRecord(LEADS, { Name: `Turning ${i}`, Stage: 'Negotiation' }).id);

    const created = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'crm-automation',
      name: 'Won deals to delivery',
      source: { accountId: source.body.id },
      target: { accountId: target.body.id },
      config: {
        pollIntervalSeconds: 60,
        automations: [{ id: 'won-deals', trigger: { folderId: LEADS, field: 'Stage', value: 'Won' }, task: { projectId: PROJECT, title: 'Deliver to {{Name}}' }, onClose: { field: 'Stage', value: 'Delivered' } }],
      },
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    // The instant after the 201: new records at the value, and records already there that reach it.
    const fresh = Array.from({ length: 20 }, (_, i) => crm.addRecord(LEADS, { Name: `Fresh Won ${i}`, Stage: 'Won' }).id);
    for (const id of turning) crm.editRecord(id, { Stage: 'Won' });

    await h.addWorker();
    await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');
    await runNow();

    expect(notOnce([...fresh, ...turning], 'Deliver to')).toEqual([]);
    expect(withTasks(already, 'Deliver to')).toEqual([]);
    expect((await status()).lastError).toBeNull();
  });

  it('an automation added later counts changes from the save that added it, not from its first poll', async () => {
    await h.stopWorkers();
    const already = Array.from({ length: 3 }, (_, i) => crm.addRecord(LEADS, { Name: `Already VIP ${i}`, Stage: 'Negotiation', Tags: ['vip'] }).id);
    const added = await h.request('POST', `/integrations/${integrationId}/automations`, {
      id: 'vip-leads',
      trigger: { folderId: LEADS, field: 'Tags', value: 'vip' },
      task: { projectId: PROJECT, title: 'Call VIP {{Name}}' },
      onClose: { field: 'Task status', value: 'Done' },
    });
    expect(added.status).toBe(201);
    const fresh = Array.from({ length: 10 }, (_, i) => crm.addRecord(LEADS, { Name: `Fresh VIP ${i}`, Stage: 'Negotiation', Tags: ['vip'] }).id);

    await h.addWorker();
    await runNow();
    await runNow();

    expect(notOnce(fresh, 'Call VIP')).toEqual([]);
    expect(withTasks(already, 'Call VIP')).toEqual([]);
    expect(withTasks([...already, ...fresh], 'Deliver to')).toEqual([]);
  });

  it('so does one added with the whole config (PATCH /integrations/:id), while the others keep theirs', async () => {
    await h.stopWorkers();
    const already = Array.from({ length: 3 }, (_, i) => crm.addRecord(LEADS, { Name: `Already hot ${i}`, Stage: 'Negotiation', Tags: ['hot'] }).id);
    const current = await h.request<{ items: unknown[] }>('GET', `/integrations/${integrationId}/automations`);
    const hot = { id: 'hot-leads', trigger: { folderId: LEADS, field: 'Tags', value: 'hot' }, task: { projectId: PROJECT, title: 'Hot {{Name}}' }, onClose: { field: 'Task status', value: 'Done' } };
    const patched = await h.request('PATCH', `/integrations/${integrationId}`, { config: { automations: [...current.body.items, hot] } });
    expect(patched.status).toBe(200);
    const fresh = Array.from({ length: 5 }, (_, i) => crm.addRecord(LEADS, { Name: `Fresh hot ${i}`, Stage: 'Negotiation', Tags: ['hot'] }).id);
    const won = crm.addRecord(LEADS, { Name: 'Won meanwhile', Stage: 'Won' }).id;

    await h.addWorker();
    await runNow();
    await runNow();

    expect(notOnce(fresh, 'Hot')).toEqual([]);
    expect(withTasks(already, 'Hot')).toEqual([]);
    // The first automation runs on from its own cursor: a record won meanwhile gets its task once.
    expect(notOnce([won], 'Deliver to')).toEqual([]);
  });
});
