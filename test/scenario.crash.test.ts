import { SumitFake } from './fakes/sumit-fake';
import { startHarness, type Harness } from './support/harness';
import { waitFor } from './support/order-sync-scenario';
import { createLeadsToInvoices, expectEveryLeadOnce } from './support/sumit-leads';
import { spawnWorker } from './support/worker-process';

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
    const { id, inDoubt } = await createLeadsToInvoices(h, sumit);

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
      const accounted = async () => sumit.documents().length + (await inDoubt()).length;
      await waitFor('every lead invoiced or held', accounted, (n) => n >= LEADS, 150_000);
      const held = new Set(await inDoubt());
      expectEveryLeadOnce(sumit, leads, held);
      console.log(`scenario crash test: ${LEADS} leads, ${sumit.documents().length} invoices, ${held.size} held in doubt`);
    } finally {
      await second.kill();
    }
  }, 300_000);
});
