import { condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AutomationCursors, CrmAutomationActivities } from '../activities/crm-automation/activities';
import type { TaskEventCursor } from '../activities/connectors/worksection/task-events';
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
} from './control';
import { describeFailure } from './describe-failure';

const { handleRecordChanges, handleClosedTasks } = proxyActivities<CrmAutomationActivities>({
  // Worksection allows one call a second: a poll of many records waits on the limiter, heartbeating.
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

export interface CrmAutomationCursor {
  records: AutomationCursors;
  tasks?: TaskEventCursor;
}

export interface CrmAutomationInput {
  integrationId: string;
  carried?: IntegrationStatus & { paused: boolean; pollIntervalSeconds: number; runRequested: boolean };
}

const MAX_HISTORY_EVENTS = 5_000;

/**
 * The CRM automation as a business process: records that reached the trigger value get a task;
 * tasks closed since the last look write their value back to the record. Counts: `created` are
 * tasks created, `updated` values written back.
 */
export async function crmAutomationWorkflow(input: CrmAutomationInput): Promise<void> {
  const { integrationId } = input;
  const status: IntegrationStatus = input.carried ?? {
    state: 'idle',
    cursor: { records: {} } satisfies CrmAutomationCursor,
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
  let stopping = false;

  setHandler(statusQuery, () => ({ ...status, state: paused && status.state !== 'stopped' ? 'paused' : status.state }));
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => {
    paused = false;
    runRequested = true;
  });
  setHandler(runNowSignal, () => void (runRequested = true));
  setHandler(configChangedSignal, () => void (runRequested = true));
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
      await continueAsNew<typeof crmAutomationWorkflow>({ integrationId, carried: { ...status, paused, pollIntervalSeconds, runRequested } });
    }
    runRequested = false;
    await runOnce();
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
    const cursor = status.cursor as CrmAutomationCursor;
    try {
      // Closes first: a task closed since the last run writes back before its record is looked at again.
      for (;;) {
        if (paused || stopping) return;
        const closed = await handleClosedTasks({ integrationId, cursor: cursor.tasks });
        cursor.tasks = closed.cursor;
        add(run, { updated: closed.writtenBack });
        if (!closed.hasMore) break;
      }
      for (;;) {
        if (paused || stopping) return;
        const page = await handleRecordChanges({ integrationId, cursors: cursor.records });
        cursor.records = page.cursors;
        pollIntervalSeconds = page.pollIntervalSeconds;
        add(run, { fetched: page.fetched, created: page.created, unchanged: page.unchanged, held: page.waiting });
        status.blocked = page.blocked;
        if (!page.hasMore) break;
      }
      status.lastRunFinishedAt = new Date().toISOString();
      status.lastError = null;
    } catch (err) {
      const failure = describeFailure(err);
      status.lastError = { message: failure.message, type: failure.type, at: new Date().toISOString() };
      if (failure.nonRetryable) setState('failed');
    }
  }

  function add(run: IntegrationStatus['counts'], page: Partial<IntegrationStatus['counts']>) {
    for (const [k, v] of Object.entries(page) as [keyof IntegrationStatus['counts'], number][]) {
      run[k] += v;
      status.counts[k] += v;
    }
  }
}
