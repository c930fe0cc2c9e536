import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { OrderSyncActivities, PageSummary } from '../activities/order-sync/activities';
import { PAGE_ACTIVITY } from './activity-options';
import { integrationLoop, type Carried } from './integration-loop';

const { syncOrdersPage, releaseHeldOrders } = proxyActivities<OrderSyncActivities>(PAGE_ACTIVITY);

type Cursor = PageSummary['nextCursor'] | undefined;

export interface OrderSyncInput {
  integrationId: string;
  /** Set by continue-as-new: the state a long-running sync carries into its next run. */
  carried?: Carried<Cursor>;
}

/**
 * The order sync as a business process: orders held for a status the map now has are written;
 * then what changed in the shop since the cursor is read and written to the CRM a page at a time,
 * the cursor advancing only after each page is durably written.
 */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<void> {
  const { integrationId } = input;
  await integrationLoop<Cursor>({
    integrationId,
    carried: input.carried,
    initialCursor: undefined,
    continueAsNew: (carried) => continueAsNew<typeof orderSyncWorkflow>({ integrationId, carried }),
    async run(run) {
      const { status } = run;
      const released = await releaseHeldOrders({ integrationId });
      run.add({ ...released, fetched: 0 });
      status.heldByStatus = released.heldByStatus;
      for (;;) {
        if (run.interrupted) return false;
        const page: PageSummary = await syncOrdersPage({ integrationId, cursor: status.cursor });
        status.cursor = page.nextCursor; // only now: the page is durably written
        run.setPollInterval(page.pollIntervalSeconds);
        status.heldByStatus = page.heldByStatus;
        run.add(page);
        if (page.errors.length > 0) status.lastError = { message: page.errors.join('; '), type: 'rejected-by-target', at: new Date().toISOString() };
        if (!page.hasMore) return true;
      }
    },
  });
}
