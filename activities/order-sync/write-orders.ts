import { z } from 'zod';
import type { Database } from '../../db/client';
import { DeliveryLedger } from '../../kinds/ledger/delivery-ledger';
import type { ConnectorContext } from '../../connectors/kit/types';
import { minicrm } from '../../connectors/minicrm';
import type { MiniCrmCredentials } from '../../connectors/minicrm/auth';
import type { SyncProject } from '../../connectors/minicrm/sync';
import type { UnasOrder } from '../../connectors/unas/orders';
import { buyerProject, fingerprint, orderExternalId, orderProject } from './mapping';
import type { MiniCrmTargets } from './targets';

export interface WriteSummary {
  created: number;
  updated: number;
  unchanged: number;
  held: number;
  failed: number;
  /** A few of the provider's per-order errors, for the status. */
  errors: string[];
}

const ACTION = 'minicrm-order-card';
/** One XML sync upload carries at most this many orders (the hourly upload limit favours big ones). */
const ORDERS_PER_UPLOAD = 500;

/**
 * Writes a page of orders to MiniCRM and records each in the ledger. Orders whose status is not in
 * the map are held (never dropped) and counted by status; unchanged orders are skipped. The XML
 * sync upserts by external id, so repeating this after a crash cannot create a second card.
 */
export async function writeOrders(
  database: Database,
  crm: ConnectorContext<MiniCrmCredentials>,
  integrationId: string,
  orders: UnasOrder[],
  targets: MiniCrmTargets,
): Promise<WriteSummary> {
  const summary: WriteSummary = { created: 0, updated: 0, unchanged: 0, held: 0, failed: 0, errors: [] };
  const latest = new Map<string, UnasOrder>();
  for (const o of orders) latest.set(o.Key, o);
  if (latest.size === 0) return summary;

  const ledger = new DeliveryLedger(database, integrationId);
  const known = new Map((await ledger.read([...latest.keys()], ACTION)).map((r) => [r.sourceKey, r]));

  const held: { key: string; status: string }[] = [];
  const toWrite: { order: UnasOrder; fp: string; project: SyncProject; isNew: boolean }[] = [];
  for (const order of latest.values()) {
    const statusId = targets.statusIds.get(order.Status);
    if (!statusId) {
      held.push({ key: order.Key, status: order.Status });
      continue;
    }
    const project = orderProject(order, statusId, targets);
    const fp = fingerprint(project);
    const prev = known.get(order.Key);
    if (prev?.state === 'done' && prev.fingerprint === fp) summary.unchanged++;
    else toWrite.push({ order, fp, project, isNew: prev?.state !== 'done' });
  }

  for (let i = 0; i < toWrite.length; i += ORDERS_PER_UPLOAD) {
    const chunk = toWrite.slice(i, i + ORDERS_PER_UPLOAD);
    const buyers = new Map<string, SyncProject>();
    for (const w of chunk) {
      const b = buyerProject(w.order, targets);
      buyers.set(b['@_Id'], b);
    }
    const result = await minicrm.actions['sync-projects'].run(crm, { projects: [...buyers.values(), ...chunk.map((w) => w.project)] });
    crm.heartbeat({ written: i + chunk.length });
    // Read once per upload: reading the answer per order made a page of 500 parse it 500 times.
    const results = uploadResults(result);
    const failures = perProjectErrors(results);
    const done = chunk.filter((w) => !failures.has(orderExternalId(w.order.Key)));
    for (const w of chunk) {
      const err = failures.get(orderExternalId(w.order.Key));
      if (err) {
        summary.failed++;
        if (summary.errors.length < 5) summary.errors.push(`order ${w.order.Key}: ${err}`);
      } else if (w.isNew) summary.created++;
      else summary.updated++;
    }
    // An answer without the card's id keeps the id already known.
    await ledger.markDone(done.map((w) => ({ sourceKey: w.order.Key, action: ACTION, targetId: targetIdOf(results, orderExternalId(w.order.Key)) ?? undefined, fingerprint: w.fp, detail: { status: w.order.Status } })));
  }

  summary.held = held.length;
  await ledger.hold(held.map((h) => ({ sourceKey: h.key, action: ACTION, detail: { status: h.status }, reason: 'unmapped-status' })));
  return summary;
}

/** Held orders by UNAS status, for the integration's status. */
export function heldByStatus(database: Database, integrationId: string): Promise<Record<string, number>> {
  return new DeliveryLedger(database, integrationId).heldCountBy(ACTION, 'status');
}

/**
 * The upload answer (its shape is not documented): we read
 * {"Results": {"<external id>": {"Id": 1, "Status": "Ok" | "Error", "Message": "..."}}} and ignore what we can't read.
 */
const uploadAnswer = z.object({
  Results: z.record(z.string(), z.object({ Id: z.union([z.number(), z.string()]).optional(), Status: z.string().optional(), Message: z.string().optional() }).loose()).catch({}),
}).loose();

type UploadResults = Map<string, z.infer<typeof uploadAnswer>['Results'][string]>;

function uploadResults(result: unknown): UploadResults {
  const parsed = uploadAnswer.safeParse(result);
  return new Map(Object.entries(parsed.success ? parsed.data.Results : {}));
}

function perProjectErrors(results: UploadResults): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, r] of results) if (r.Status?.toLowerCase() === 'error') out.set(id, r.Message ?? 'rejected');
  return out;
}

function targetIdOf(results: UploadResults, externalId: string): string | null {
  const id = results.get(externalId)?.Id;
  return id === undefined ? null : String(id);
}
