import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { describeFailure } from './describe-failure';
import type { OrderSyncActivities, PageSummary } from '../activities/order-sync/activities';
import {
  configChangedSignal,
  emptyCounts,
  IntegrationStateKey,
  pauseSignal,
  resumeSignal,
  runNowSignal,
  statusQuery,
  stopSignal,
  type IntegrationState,
  type IntegrationStatus,
  type RunCounts,
} from './control';

const { syncOrdersPage, releaseHeldOrders } = proxyActivities<OrderSyncActivities>({
  // A page can wait on provider limits (UNAS allows 30 order queries an hour) and heartbeats meanwhile.
  startToCloseTimeout: '15 minutes',
  // Every HTTP request heartbeats and none outlasts 30 s: a worker that dies mid-page is noticed in 45 s.
  heartbeatTimeout: '45 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 25,
    nonRetryableErrorTypes: ['auth', 'validation', 'not-found', 'integration-gone'],
  },
});

export interface OrderSyncInput {
  integrationId: string;
  /** Set by continue-as-new: the state a long-running sync carries into its next run. */
  carried?: IntegrationStatus & { paused: boolean; pollIntervalSeconds: number; runRequested: boolean };
}

const COUNT_KEYS = ['fetched', 'created', 'updated', 'unchanged', 'held', 'failed'] as const satisfies readonly (keyof RunCounts)[];

/** History stays bounded on a sync that runs for months. */
const MAX_HISTORY_EVENTS = 5_000;

/**
 * The order sync as a business process: read what changed in the shop since the cursor, write it
 * to the CRM, advance the cursor, wait for the next run. Paused, it makes no calls at all; failed
 * (bad credentials, wrong config), it waits for a fix and a resume without losing its place.
 */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<void> {
  const { integrationId } = input;
  const status: IntegrationStatus = input.carried ?? {
    state: 'idle',
    cursor: undefined,
    counts: emptyCounts(),
    heldByStatus: {},
    runs: 0,
    lastRunStartedAt: null,
    lastRunFinishedAt: null,
    lastRunCounts: null,
    nextRunAt: null,
    lastError: null,
  };
  let paused = input.carried?.paused ?? false;
  let pollIntervalSeconds = input.carried?.pollIntervalSeconds ?? 300;
  let runRequested = input.carried?.runRequested ?? true;
  let configChanged = false;
  let stopping = false;

  setHandler(statusQuery, () => ({ ...status, state: paused && status.state !== 'stopped' ? 'paused' : status.state }));
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => {
    paused = false;
    runRequested = true;
  });
  setHandler(runNowSignal, () => void (runRequested = true));
  setHandler(configChangedSignal, () => {
    configChanged = true;
    runRequested = true;
  });
  setHandler(stopSignal, () => void (stopping = true));

  const setState = (state: IntegrationState) => {
    if (status.state === state) return;
    status.state = state;
    upsertSearchAttributes([{ key: IntegrationStateKey, value: state }]);
  };

  for (;;) {
    if (stopping) break;
    if (paused) setState('paused');
    await condition(() => stopping || (!paused && (runRequested || status.state !== 'failed')));
    if (stopping) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew<typeof orderSyncWorkflow>({ integrationId, carried: { ...status, paused, pollIntervalSeconds, runRequested } });
    }

    if (runRequested || status.state !== 'failed') {
      runRequested = false;
      if (configChanged) {
        configChanged = false;
        status.lastError = null;
      }
      await runOnce();
    }
    if (stopping) break;
    if (status.state === 'failed') continue; // waits above for a resume or a config change
    setState(paused ? 'paused' : 'idle');
    status.nextRunAt = paused ? null : new Date(Date.now() + pollIntervalSeconds * 1000).toISOString();
    await condition(() => stopping || runRequested || paused, paused ? undefined : pollIntervalSeconds * 1000);
    status.nextRunAt = null;
  }
  setState('stopped');

  async function runOnce(): Promise<void> {
    setState('running');
    status.runs++;
    status.lastRunStartedAt = new Date().toISOString();
    const run = emptyCounts();
    status.lastRunCounts = run;
    try {
      const released = await releaseHeldOrders({ integrationId });
      add(run, { ...released, fetched: 0 });
      status.heldByStatus = released.heldByStatus;
      // Pages until the source has nothing more; a pause or stop takes effect between pages.
      for (;;) {
        if (paused || stopping) return;
        const page: PageSummary = await syncOrdersPage({ integrationId, cursor: status.cursor as PageSummary['nextCursor'] | undefined });
        status.cursor = page.nextCursor; // only now: the page is durably written
        pollIntervalSeconds = page.pollIntervalSeconds;
        status.heldByStatus = page.heldByStatus;
        add(run, page);
        if (page.errors.length > 0) status.lastError = { message: page.errors.join('; '), type: 'rejected-by-target', at: new Date().toISOString() };
        if (!page.hasMore) break;
      }
      status.lastRunFinishedAt = new Date().toISOString();
      if (run.failed === 0) status.lastError = null;
    } catch (err) {
      const failure = describeFailure(err);
      status.lastError = { ...failure, at: new Date().toISOString() };
      // Needs a human (credentials, config): stop calling until resumed or reconfigured.
      if (failure.nonRetryable) setState('failed');
    }
  }

  function add(run: RunCounts, page: RunCounts) {
    for (const k of COUNT_KEYS) {
      run[k] += page[k];
      status.counts[k] += page[k];
    }
  }
}
