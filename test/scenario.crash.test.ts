import { SumitFake } from './fakes/sumit-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { spawnWorker } from './support/worker-process';
import type { IntegrationStatus } from '../workflows/control';

const LEADS = 30;

/**
 * The worker process is SIGKILLed while a scenario creates customers and invoices (SUMIT answers
 * slowly, so a call is likely in flight) and a new one is started. Customers carry an idempotency
 * key, so the new worker finds the one the dead worker made; an invoice has none, so one that was
 * under way is held "in doubt" for a person to check, never created twice.
 */
describe('SUMIT scenario survives a worker crash', () => {
  let h: Harness;
  let sumit: SumitFake;

  beforeAll(async () => {
    h = await startHarness({ noWorker: true });
    sumit = new SumitFake({ requestsPerMinute: null });
    await sumit.start();
  });
  afterAll(async () => {
    await h?.close();
    await sumit?.close();
  });

  it('a worker killed mid-page and a new one started: one customer per lead, no invoice twice, none unaccounted for', async () => {
    const first = spawnWorker(h);
    await first.ready;
    const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', baseUrl: sumit.url, credentials: { companyId: sumit.companyId, apiKey: sumit.apiKey } });
    const created = await h.request<{ id: string }>('POST', '/integrations', {
      kind: 'scenario',
      name: 'Leads to invoices',
      source: { accountId: account.body.id },
      target: { accountId: account.body.id },
      config: {
        trigger: { trigger: 'entity-created', input: { folder: 'Leads', safetyLagSeconds: 0 } },
        actions: [
          { action: 'create-customer', input: { name: '{{record.properties.Name}}' } },
          { action: 'create-document', input: { type: 'Invoice', customer: { id: '{{actions.0.customerId}}' }, items: [{ name: 'Setup', quantity: 1, unitPrice: 100 }] } },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status;
    await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');

    const leads = Array.from({ length: LEADS }, (_, i) => sumit.addEntity('Leads', { Name: `Lead ${i + 1}` }));
    await new Promise((r) => setTimeout(r, 2_100));
    sumit.faults = { failRate: 0, delayMs: 300 };
    await h.request('POST', `/integrations/${id}/run`);
    await waitFor('some invoices', () => sumit.documents().length, (n) => n >= 5);
    await first.kill();
    expect(sumit.documents().length).toBeLessThan(LEADS);

    const second = spawnWorker(h);
    try {
      await second.ready;
      sumit.faults = { failRate: 0 };
      const inDoubt = async () =>
        (await h.request<{ items: { record: string; inDoubt: boolean }[] }>('GET', `/integrations/${id}/deliveries?state=held`)).body.items.filter((d) => d.inDoubt).map((d) => d.record);
      const accounted = async () => sumit.documents().length + (await inDoubt()).length;
      await waitFor('every lead invoiced or held', accounted, (n) => n >= LEADS, 150_000);
      const held = new Set(await inDoubt());
      for (const lead of leads) {
        const customers = sumit.customers().filter((c) => c.properties.Customers_FullName === lead.properties.Name);
        expect(customers).toHaveLength(1);
        const docs = sumit.documents().filter((d) => d.customerId === customers[0]!.id);
        expect(docs.length).toBeLessThanOrEqual(1);
        if (docs.length === 0) expect(held.has(`created:${lead.id}`)).toBe(true);
      }
      console.log(`scenario crash test: ${LEADS} leads, ${sumit.documents().length} invoices, ${held.size} held in doubt`);
    } finally {
      await second.kill();
    }
  }, 300_000);
});
