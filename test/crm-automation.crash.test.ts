import { NethuntFake } from './fakes/nethunt-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { reportRecovery } from './support/recovery';
import { spawnWorker } from './support/worker-process';
import type { IntegrationStatus } from '../workflows/control';

const LEADS = '596f644b8f6d05e16c24b810';
const RECORDS = 25;

/**
 * The worker process is SIGKILLed while tasks are being created (Worksection answers slowly, so
 * a creation is likely in flight) and a new one is started: every record has exactly one task.
 */
describe('CRM automation survives a worker crash', () => {
  let h: Harness;
  let crm: NethuntFake;
  let ws: WorksectionFake;

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

  it('a worker killed mid-creation and a new one started: one task per record, none twice', async () => {
    const first = spawnWorker(h);
    await first.ready;
    const source = await h.request<{ id: string }>('POST', '/accounts', { system: 'nethunt', name: 'NetHunt', baseUrl: `${crm.url}/api/v1/zapier`, credentials: { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' } });
    const target = await h.request<{ id: string }>('POST', '/accounts', { system: 'worksection', name: 'Worksection', baseUrl: ws.url, credentials: { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' } });
    const created = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'crm-automation',
      name: 'Won deals',
      source: { accountId: source.body.id },
      target: { accountId: target.body.id },
      config: { automations: [{ id: 'won', trigger: { folderId: LEADS, field: 'Stage', value: 'Won' }, task: { projectId: '26', title: 'Deliver to {{Name}}' }, onClose: { field: 'Stage', value: 'Delivered' } }] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status;
    await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');

    const records = Array.from({ length: RECORDS }, (_, i) => crm.addRecord(LEADS, { Name: `Client ${i + 1}`, Stage: 'Won' }));
    ws.faults = { failRate: 0, delayMs: 400 };
    await h.request('POST', `/integrations/${id}/run`);
    await waitFor('some tasks', () => ws.tasks().length, (n) => n >= 5);
    const killedAt = Date.now();
    await first.kill();
    expect(ws.tasks().length).toBeLessThan(RECORDS);

    const second = spawnWorker(h);
    try {
      await second.ready;
      const readyAt = Date.now();
      ws.faults = { failRate: 0 };
      await waitFor('a task for every record', () => ws.tasks().length, (n) => n >= RECORDS, 150_000);
      const before = (await status()).runs;
      await h.request('POST', `/integrations/${id}/run`);
      await waitFor('one more run', status, (s) => s.runs > before && s.state === 'idle');
      for (const r of records) expect(ws.tasks().filter((t) => t.text.includes(`NetHunt record ${r.id}`))).toHaveLength(1);
      expect(ws.tasks()).toHaveLength(RECORDS);
      await reportRecovery(h.temporal, 'crm-automation, worker SIGKILLed mid-page', `integration-${id}`, killedAt, readyAt);
    } finally {
      await second.kill();
    }
  }, 300_000);
});
