import { condition, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
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
import { signalDependents } from './dependents';
import { describeFailure } from './describe-failure';

/** What a long-running integration carries into its next run through continue-as-new. */
export type Carried = IntegrationStatus & { paused: boolean; pollIntervalSeconds: number; runRequested: boolean };

/** One run, as the integration's own code sees it. */
export interface Run {
  status: IntegrationStatus;
  /** A pause or stop came in: the run ends between pages, where nothing is half done. */
  readonly interrupted: boolean;
  /** Adds a page's counts (other fields of the page are ignored) to the run's and the totals. */
  add(counts: Partial<RunCounts>): void;
  setPollInterval(seconds: number): void;
}

export interface LoopOptions {
  integrationId: string;
  carried?: Carried;
  initialCursor?: unknown;
  /** One run: pages until the source has nothing more. Returns false when it stopped early (interrupted). */
  run(run: Run): Promise<boolean>;
  continueAsNew(carried: Carried): Promise<never>;
}

const COUNT_KEYS = ['fetched', 'created', 'updated', 'unchanged', 'held', 'failed'] as const satisfies readonly (keyof RunCounts)[];

/** History stays bounded on an integration that runs for months. */
const MAX_HISTORY_EVENTS = 5_000;

/**
 * What every integration workflow does around its business: answers pause, resume, run now, config
 * changed and stop; shows its status (query, search attribute IntegrationState); runs, then waits
 * the poll interval; after a failure that needs a human (credentials, config) makes no calls until
 * resumed or reconfigured; continues as new before its history grows too long.
 */
export async function integrationLoop(options: LoopOptions): Promise<void> {
  const status: IntegrationStatus = options.carried ?? {
    state: 'idle',
    cursor: options.initialCursor,
    counts: emptyCounts(),
    heldByStatus: {},
    runs: 0,
    lastRunStartedAt: null,
    lastRunFinishedAt: null,
    lastRunCounts: null,
    nextRunAt: null,
    lastError: null,
  };
  let paused = options.carried?.paused ?? false;
  let pollIntervalSeconds = options.carried?.pollIntervalSeconds ?? 300;
  let runRequested = options.carried?.runRequested ?? true;
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
      await options.continueAsNew({ ...status, paused, pollIntervalSeconds, runRequested });
    }
    runRequested = false;
    if (configChanged) {
      configChanged = false;
      status.lastError = null;
    }
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
    const counts = emptyCounts();
    status.lastRunCounts = counts;
    const run: Run = {
      status,
      get interrupted() {
        return paused || stopping;
      },
      add(page) {
        for (const k of COUNT_KEYS) {
          const v = page[k] ?? 0;
          counts[k] += v;
          status.counts[k] += v;
        }
      },
      setPollInterval: (seconds) => void (pollIntervalSeconds = seconds),
    };
    try {
      if (!(await options.run(run))) return;
      status.lastRunFinishedAt = new Date().toISOString();
      if (counts.failed === 0) status.lastError = null;
      // Integrations set to run "after" this one (added while these workflows were live: patched).
      if (patched('signal-dependents')) await signalDependents(options.integrationId);
    } catch (err) {
      const failure = describeFailure(err);
      status.lastError = { message: failure.message, type: failure.type, at: new Date().toISOString() };
      if (failure.nonRetryable) setState('failed');
    }
  }
}
