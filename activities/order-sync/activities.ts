import { activityHeartbeat, withAccountStatus } from '../accounts/account-status';
import { unas } from '../../connectors/unas';
import type { OrderCursor } from '../../connectors/unas/orders';
import type { ActivityDeps } from '../deps';
import { loadOrderSync } from './integration';
import { ReadAhead } from './read-ahead';
import { resolveTargets } from './targets';
import { heldByStatus, writeOrders, type WriteSummary } from './write-orders';

export interface PageSummary extends WriteSummary {
  fetched: number;
  nextCursor: OrderCursor;
  hasMore: boolean;
  /** Re-read from the start of a window because too many orders shifted between pages. */
  restartedWindow: boolean;
  pollIntervalSeconds: number;
  heldByStatus: Record<string, number>;
}

export interface OrderSyncActivityOptions {
  /** Orders per UNAS query (its maximum is 500). */
  pageSize?: number;
}

type OrderPage = Awaited<ReturnType<(typeof unas.triggers)['changed-orders']['poll']>>;

/**
 * Below one order query a second the shop's hourly quota, not the overlap, sets the sync's pace;
 * and a page read ahead that another worker ends up reading again would spend a query the sync
 * needs. So only a shop whose quotas allow at least that reads ahead.
 */
const READ_AHEAD_MIN_PER_HOUR = 3_600;

function quotaAllowsReadAhead(accountLimits: Record<string, number>): boolean {
  return (['orderQueriesPerHour', 'callsPerHour'] as const).every((name) => (accountLimits[name] ?? unas.limits[name]?.limit ?? Infinity) >= READ_AHEAD_MIN_PER_HOUR);
}

export function createOrderSyncActivities(deps: ActivityDeps, options: OrderSyncActivityOptions = {}) {
  const readAhead = new ReadAhead<OrderPage>();
  return {
    /**
     * One page: read changed orders from UNAS, write them to MiniCRM, record them in the ledger.
     * The workflow commits the returned cursor only after this returns, so a crash repeats the
     * page, and the repeat is idempotent (ledger fingerprints, upsert by external id).
     */
    async syncOrdersPage(input: { integrationId: string; cursor?: OrderCursor }): Promise<PageSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadOrderSync(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, rt, async () => {
        const targets = await resolveTargets(rt.crm, rt.config);
        const query = { syncFrom: rt.config.syncFrom, pageSize: options.pageSize, safetyLagSeconds: deps.safetyLagSeconds };
        const read = (cursor: OrderCursor | undefined) => () => unas.triggers['changed-orders'].poll(rt.shop, query, cursor);
        // Same integration, shop, query and cursor: a page read ahead for anything else is not this page.
        const keyOf = (cursor: OrderCursor | undefined) => JSON.stringify([rt.integrationId, rt.accountIds.unas, rt.shop.baseUrl, query, cursor ?? null]);
        const page = await readAhead.take(keyOf(input.cursor), read(input.cursor));
        // The next page is read while this one is written: the read has no effect at UNAS, and the
        // workflow still commits the cursor only after this page is written.
        if (page.hasMore && quotaAllowsReadAhead(rt.integration.source.row.limits)) readAhead.start(keyOf(page.nextCursor), read(page.nextCursor));
        heartbeat({ fetched: page.records.length });
        const written = await writeOrders(deps.database, rt.crm, rt.integrationId, page.records.map((r) => r.data), targets);
        return {
          ...written,
          fetched: page.records.length,
          nextCursor: page.nextCursor,
          hasMore: page.hasMore,
          restartedWindow: page.restartedWindow,
          pollIntervalSeconds: rt.config.pollIntervalSeconds,
          heldByStatus: await heldByStatus(deps.database, rt.integrationId),
        };
      });
    },

    /** Orders held for an unmapped status whose status the map now has: read them again and write them. */
    async releaseHeldOrders(input: { integrationId: string }): Promise<WriteSummary & { heldByStatus: Record<string, number> }> {
      const heartbeat = activityHeartbeat();
      const rt = await loadOrderSync(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, rt, async () => {
        const held = await heldByStatus(deps.database, rt.integrationId);
        const releasable = Object.keys(held).filter((s) => Object.prototype.hasOwnProperty.call(rt.config.statusMap, s));
        if (releasable.length === 0) return { created: 0, updated: 0, unchanged: 0, held: 0, failed: 0, errors: [], heldByStatus: held };
        const targets = await resolveTargets(rt.crm, rt.config);
        const orders = await unas.actions['orders-by-status'].run(rt.shop, { syncFrom: rt.config.syncFrom, statuses: releasable, pageSize: options.pageSize });
        const written = await writeOrders(deps.database, rt.crm, rt.integrationId, orders, targets);
        return { ...written, heldByStatus: await heldByStatus(deps.database, rt.integrationId) };
      });
    },
  };
}

export type OrderSyncActivities = ReturnType<typeof createOrderSyncActivities>;
