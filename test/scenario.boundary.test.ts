import { SumitFake } from './fakes/sumit-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import type { IntegrationStatus } from '../workflows/control';

/**
 * A trigger that starts "from now on" starts from the save. No worker runs between the 201 and the
 * new entities, so the first poll comes strictly after them. SUMIT stamps whole seconds and its
 * trigger reads a second behind now: the test lets the clock pass the second after the last new
 * entity before any worker starts, so a first poll that fixed "now" itself would place them all
 * behind its start (and lose them).
 */
describe('scenario: entities created right after saving', () => {
  let h: Harness;
  let sumit: SumitFake;
  let scenarioId: string;

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    sumit = new SumitFake();
    await sumit.start();
  });
  afterAll(async () => {
    await h?.close();
    await sumit?.close();
  });

  const status = async (id: string) => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status;
  const customersNamed = (name: string) => sumit.customers().filter((c) => Object.values(c.properties).includes(name)).length;

  it('runs the actions for every lead created after the 201, once, and for none that were there', async () => {
    const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', baseUrl: sumit.url, credentials: { companyId: sumit.companyId, apiKey: sumit.apiKey } });
    expect(account.status).toBe(201);
    // Leads a little while in the folder: older than the second the trigger always reads again.
    const there = Array.from({ length: 5 }, (_, i) => `Already ${i}`);
    for (const name of there) sumit.addEntity('Leads', { Name: name }, Date.now() - 10_000);

    const created = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'scenario',
      name: 'Leads to customers',
      source: { accountId: account.body.id },
      target: { accountId: account.body.id },
      config: {
        trigger: { trigger: 'entity-created', input: { folder: 'Leads', safetyLagSeconds: 0, pageSize: 10 } },
        actions: [{ action: 'create-customer', input: { name: '{{record.properties.Name}}' } }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const fresh = Array.from({ length: 25 }, (_, i) => `Fresh ${i}`);
    let lastStamp = 0;
    for (const name of fresh) lastStamp = sumit.addEntity('Leads', { Name: name }).createdAt;
    // The clock's condition, not a guess about other processes: from here on, a first poll's start is past them.
    const passed = (Math.floor(lastStamp / 1000) + 2) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, passed - Date.now())));

    await h.addWorker();
    await waitFor('the first run', () => status(id), (s) => s.runs >= 1 && s.state === 'idle');
    const before = (await status(id)).runs;
    await h.request('POST', `/integrations/${id}/run`);
    const s = await waitFor('another run', () => status(id), (st) => st.runs > before && st.state === 'idle');

    expect(fresh.filter((name) => customersNamed(name) !== 1)).toEqual([]);
    expect(there.filter((name) => customersNamed(name) > 0)).toEqual([]);
    expect(s.lastError).toBeNull();
    scenarioId = id;
  });

  it('a trigger replaced later starts from the save that replaced it', async () => {
    await h.stopWorkers();
    const there = Array.from({ length: 3 }, (_, i) => `Project there ${i}`);
    for (const name of there) sumit.addEntity('Projects', { Name: name }, Date.now() - 10_000);
    const changed = await h.request('PATCH', `/integrations/${scenarioId}`, { config: { trigger: { trigger: 'entity-created', input: { folder: 'Projects', safetyLagSeconds: 0 } } } });
    expect(changed.status).toBe(200);
    const fresh = Array.from({ length: 5 }, (_, i) => `Project fresh ${i}`);
    let lastStamp = 0;
    for (const name of fresh) lastStamp = sumit.addEntity('Projects', { Name: name }).createdAt;
    const passed = (Math.floor(lastStamp / 1000) + 2) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, passed - Date.now())));

    await h.addWorker();
    const before = (await status(scenarioId)).runs;
    await h.request('POST', `/integrations/${scenarioId}/run`);
    await waitFor('a run', () => status(scenarioId), (st) => st.runs > before && st.state === 'idle');

    expect(fresh.filter((name) => customersNamed(name) !== 1)).toEqual([]);
    expect(there.filter((name) => customersNamed(name) > 0)).toEqual([]);
  });
});
