/**
 * Orders per second of the order sync, 10,000 orders between the fakes with every limit off:
 * the service (Temporal workflow, activities, delivery ledger, PostgreSQL rate limiter) against a
 * plain script making the same HTTP calls in a loop with none of the guarantees. The ratio is the
 * price of durability. Prints figures; asserts nothing.
 *
 *   npm run bench:order-sync            (ORDERS=10000 by default; DATABASE_URL optional)
 */
import os from 'node:os';
import { connect } from '../connectors/kit/connect';
import { parseEgressAllow } from '../connectors/kit/egress';
import type { RateLimiter } from '../connectors/kit/rate-limiter';
import { toXml } from '../connectors/kit/xml';
import { minicrm } from '../connectors/minicrm';
import { uploadSyncXml } from '../connectors/minicrm/client';
import { unas } from '../connectors/unas';
import { pollChangedOrders, type OrderCursor } from '../connectors/unas/orders';
import { buyerProject, orderProject } from '../activities/order-sync/mapping';
import { resolveTargets } from '../activities/order-sync/targets';
import { orderSyncConfig } from '../kinds/order-sync/config';
import { MiniCrmFake } from '../test/fakes/minicrm-fake';
import { UnasFake } from '../test/fakes/unas-fake';
import { startHarness } from '../test/support/harness';
import { createAccounts, createOrderSync, ORDERS_CATEGORY, orderSyncBody, waitFor } from '../test/support/order-sync-scenario';
import { peakRssMiB, type Figure } from './figures';
import { runBench } from './services';

const ORDERS = Number(process.env.ORDERS ?? 10_000);
const NO_LIMITS = { unas: { orderQueriesPerHour: 1e9, callsPerHour: 1e9 }, crm: { requestsPerMinute: 1e9, syncUploadsPerHour: 1e9 } };

async function fakes() {
  const unasFake = new UnasFake({ orderQueriesPerHour: null, callsPerHour: null, singleOrderQueriesPerHour: null, seed: 1 });
  const crm = new MiniCrmFake({ requestsPerMinute: null, syncUploadsPerHour: null });
  await Promise.all([unasFake.start(), crm.start()]);
  unasFake.addOrders(ORDERS, { status: 'Beérkezett' });
  // The sync reads whole elapsed seconds only: let the second of the last order pass.
  await new Promise((r) => setTimeout(r, 1_100));
  return { unas: unasFake, crm, close: () => Promise.all([unasFake.close(), crm.close()]) };
}

/** The same HTTP calls as the service, in a loop: no workflow, no ledger, no shared limiter. */
async function plainLoop(): Promise<number> {
  const f = await fakes();
  const noLimiter = { acquire: async () => async () => undefined } as unknown as RateLimiter;
  // The fakes listen on 127.0.0.1, which egress refuses unless allowed.
  const fakesOnly = parseEgressAllow('127.0.0.1').allow;
  const shop = connect(unas, { id: 'plain-unas', baseUrl: f.unas.url, limits: {}, credentials: { apiKey: 'unas-test-key' } }, { limiter: noLimiter, egress: fakesOnly });
  const crm = connect(minicrm, { id: 'plain-crm', baseUrl: f.crm.url, limits: {}, credentials: { systemId: f.crm.systemId, apiKey: f.crm.apiKey } }, { limiter: noLimiter, egress: fakesOnly });
  const config = orderSyncConfig.parse(orderSyncBody('x', 'y').config);
  const started = performance.now();
  const targets = await resolveTargets(crm, config);
  let cursor: OrderCursor | undefined;
  for (;;) {
    const page = await pollChangedOrders(shop, { syncFrom: config.syncFrom, safetyLagSeconds: 0 }, cursor);
    const orders = page.records.map((r) => r.data);
    for (let i = 0; i < orders.length; i += 500) {
      const chunk = orders.slice(i, i + 500);
      const buyers = new Map(chunk.map((o) => buyerProject(o, targets)).map((b) => [String(b['@_Id']), b]));
      await uploadSyncXml(crm, toXml({ Projects: { Project: [...buyers.values(), ...chunk.map((o) => orderProject(o, targets.statusIds.get(o.Status)!, targets))] } }));
    }
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const cards = f.crm.projects(ORDERS_CATEGORY).length;
  await f.close();
  if (cards !== ORDERS) throw new Error(`plain loop wrote ${cards} cards, expected ${ORDERS}`);
  return seconds;
}

/** Resident memory sampled while the service works: the high-water mark of the process would include the plain loop's. */
function sampleRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  };
}

async function service(): Promise<{ seconds: number; rssMiB: number; idleRssMiB: number }> {
  const f = await fakes();
  const h = await startHarness({ safetyLagSeconds: 0 });
  const idleRssMiB = process.memoryUsage().rss / 2 ** 20;
  const stopSampling = sampleRss();
  try {
    const ids = await createAccounts(h, f.unas, f.crm, NO_LIMITS);
    const started = performance.now();
    const id = await createOrderSync(h, ids);
    // Done when the service says so: every order written and recorded in the ledger.
    const created = () => h.request<{ status?: { counts?: { created: number } } }>('GET', `/integrations/${id}`).then((r) => r.body.status?.counts?.created ?? 0);
    await waitFor(`${ORDERS} orders created`, created, (n) => n >= ORDERS, 30 * 60_000, 50);
    const seconds = (performance.now() - started) / 1000;
    const cards = f.crm.projects(ORDERS_CATEGORY).length;
    if (cards !== ORDERS) throw new Error(`service wrote ${cards} cards, expected ${ORDERS}`);
    return { seconds, rssMiB: stopSampling(), idleRssMiB };
  } finally {
    stopSampling();
    await h.close();
    await f.close();
  }
}

runBench('order-sync', async (): Promise<Figure[]> => {
  // ONLY=plain or ONLY=service runs one side (to profile it, or to see its memory alone).
  const only = process.env.ONLY;
  const plain = only === 'service' ? NaN : await plainLoop();
  const { seconds: durable, rssMiB, idleRssMiB } = only === 'plain' ? { seconds: NaN, rssMiB: NaN, idleRssMiB: NaN } : await service();
  const rate = (s: number) => (ORDERS / s).toFixed(0).padStart(7);
  console.log(`\norder sync, ${ORDERS} orders, limits off (${os.cpus().length} cores, Temporal dev server on SQLite)`);
  console.log(`  plain loop  ${plain.toFixed(2).padStart(7)} s  ${rate(plain)} orders/s`);
  console.log(`  service     ${durable.toFixed(2).padStart(7)} s  ${rate(durable)} orders/s`);
  console.log(`  ratio       service takes ${(durable / plain).toFixed(2)}× the plain loop's time`);
  console.log(`  memory      bench process (API, worker, fakes with ${ORDERS} orders and cards) ${idleRssMiB.toFixed(0)} MiB before the sync, ${rssMiB.toFixed(0)} MiB at most during it; high-water mark ${peakRssMiB().toFixed(0)} MiB\n`);
  return [
    { name: `${ORDERS} orders, service vs plain script`, value: durable, unit: 's', baseline: { name: 'plain script', value: plain }, target: '≤ 1.2×' },
    { name: 'peak RSS during the sync (API, worker, fakes)', value: rssMiB, unit: 'MiB', target: '≤ 300 MiB' },
    { name: 'RSS before the sync (API, worker, fakes)', value: idleRssMiB, unit: 'MiB' },
  ];
});
