/**
 * Leads per second of a SUMIT scenario (new lead → create customer → create invoice), LEADS leads
 * between the fakes with limits off: the service (workflow, activities, per-step ledger, trigger
 * cursor in PostgreSQL) against a plain loop making the same HTTP calls with none of the
 * guarantees. Prints figures; asserts nothing.
 *
 *   npm run bench:scenario     (LEADS=2000; DATABASE_URL optional)
 */
import os from 'node:os';
import type { RateLimiter } from '../connectors/kit/rate-limiter';
import { connect } from '../connectors/kit/connect';
import { parseEgressAllow } from '../connectors/kit/egress';
import { sumit as sumitConnector } from '../connectors/sumit';
import type { EntityChangesCursor } from '../connectors/sumit/entity-changes';
import { SumitFake } from '../test/fakes/sumit-fake';
import { startHarness } from '../test/support/harness';
import { waitFor } from '../test/support/order-sync-scenario';
import { postLeadsToInvoices } from '../test/support/sumit-leads';
import { peakRssMiB, type Figure } from './figures';
import { runBench } from './services';

const LEADS = Number(process.env.LEADS ?? 2_000);
const since = new Date(Date.now() - 3_600_000).toISOString();
const triggerInput = { folder: 'Leads', startFrom: since, safetyLagSeconds: 0, pageSize: 1000 };

async function fake(): Promise<SumitFake> {
  const f = new SumitFake({ requestsPerMinute: null });
  await f.start();
  // Stamped a minute ago, so the whole backlog is readable at once.
  const at = Date.now() - 60_000;
  for (let i = 1; i <= LEADS; i++) f.addEntity('Leads', { Name: `Lead ${i}`, Email: `lead${i}@example.co.il` }, at + i);
  return f;
}

function check(f: SumitFake, who: string) {
  const docs = f.documents().length;
  if (f.customers().length !== LEADS || docs !== LEADS) throw new Error(`${who} made ${f.customers().length} customers and ${docs} invoices, expected ${LEADS}`);
}

/** The same HTTP calls as the service, in a loop: no workflow, no ledger, no shared limiter. */
async function plainLoop(): Promise<number> {
  const f = await fake();
  const noLimiter = { acquire: async () => async () => undefined } as unknown as RateLimiter;
  // The fakes listen on 127.0.0.1, which egress refuses unless allowed.
  const fakesOnly = parseEgressAllow('127.0.0.1').allow;
  const ctx = connect(sumitConnector, { id: 'plain', baseUrl: f.url, limits: {}, credentials: { companyId: f.companyId, apiKey: f.apiKey } }, { limiter: noLimiter, egress: fakesOnly });
  const trigger = sumitConnector.triggers['entity-created'];
  const started = performance.now();
  let cursor: EntityChangesCursor | undefined;
  for (;;) {
    const page = await trigger.poll(ctx, triggerInput, cursor);
    for (const r of page.records) {
      const props = r.data.properties;
      const customer = await sumitConnector.actions['create-customer'].run(ctx, { name: String(props.Name), emailAddress: String(props.Email) });
      await sumitConnector.actions['create-document'].run(ctx, { type: 'Invoice', customer: { id: customer.customerId }, items: [{ name: 'Setup', quantity: 1, unitPrice: 100 }] });
    }
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  check(f, 'plain loop');
  await f.close();
  return seconds;
}

async function service(): Promise<{ seconds: number; rssMiB: number; limiterRoundTrips: number }> {
  const f = await fake();
  const h = await startHarness();
  try {
    const started = performance.now();
    // The account's limit raised out of the way: SUMIT's documented 100 calls a minute would be all this measures.
    const id = await postLeadsToInvoices(h, f, triggerInput, { requestsPerMinute: 1e9 });
    // Done when the service says so: every action carried out and recorded in the ledger.
    const done = () => h.request<{ status: { counts: { created: number } } }>('GET', `/integrations/${id}`).then((r) => r.body.status.counts?.created ?? 0);
    await waitFor(`${LEADS * 2} actions`, done, (n) => n >= LEADS * 2, 30 * 60_000, 50);
    const seconds = (performance.now() - started) / 1000;
    check(f, 'service');
    return { seconds, rssMiB: peakRssMiB(), limiterRoundTrips: h.runtime.limiter.stats.roundTrips };
  } finally {
    await h.close();
    await f.close();
  }
}

runBench('scenario', async (): Promise<Figure[]> => {
  const plain = await plainLoop();
  const durable = await service();
  const rate = (s: number) => (LEADS / s).toFixed(0).padStart(6);
  console.log(`\nSUMIT scenario, ${LEADS} leads → customer + invoice (2 calls each), limits off (${os.cpus().length} cores, Temporal dev server on SQLite)`);
  console.log(`  plain loop  ${plain.toFixed(2).padStart(7)} s  ${rate(plain)} leads/s`);
  console.log(`  service     ${durable.seconds.toFixed(2).padStart(7)} s  ${rate(durable.seconds)} leads/s  (bench process peak RSS ${durable.rssMiB.toFixed(0)} MiB: API, worker and fakes)`);
  console.log(`  ratio       service takes ${(durable.seconds / plain).toFixed(2)}× the plain loop's time`);
  console.log(`  limiter     ${durable.limiterRoundTrips} PostgreSQL round trips for ${LEADS * 2 + 1} throttled calls\n`);
  return [
    { name: `${LEADS} leads, service vs plain loop`, value: durable.seconds, unit: 's', baseline: { name: 'plain loop', value: plain }, target: '≤ 1.5×' },
    { name: 'limiter round trips per call', value: durable.limiterRoundTrips, unit: 'queries', baseline: { name: 'throttled calls', value: LEADS * 2 + 1 } },
    { name: 'bench process peak RSS (API, worker, fakes)', value: durable.rssMiB, unit: 'MiB' },
  ];
});
