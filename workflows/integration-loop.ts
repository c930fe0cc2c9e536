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
  upstreamRunCompletedSignal,
  type IntegrationState,
  type IntegrationStatus,
  type RunCounts,
  type RunRecord,
  RECENT_RUNS,
} from './control';
import { signalDependents } from './dependents';
import { describeFailure } from './describe-failure';

/** Why a run started: its schedule came due, someone asked (run now, resume, a fixed account), or the integration it runs after completed a run. */
export type RunReason = { by: 'schedule' } | { by: 'request' } | { by: 'upstream'; integrationId: string };

/** Where the schedule stands: carried across continue-as-new. */
export interface ScheduleState {
  /** Identifies the schedule: a change restarts its clock (the 5-minute rule counts from the change). */
  key: string | null;
  savedAt: string | null;
  /** When the last scheduled run came due (a run asked for by hand does not move it). */
  lastDueAt: string | null;
}

/** What a long-running integration carries into its next run through continue-as-new. */
export type Carried<Cursor = unknown> = IntegrationStatus<Cursor> & {
  paused: boolean;
  pollIntervalSeconds: number;
  runRequested: boolean;
  /** Why the requested run was asked for (absent on workflows carried before it existed: a request). */
  requested?: RunReason | null;
  /** The kind's preparation before its first run is done (absent: the kind has none). */
  prepared?: boolean;
  /** A run stopped on bad credentials: the accounts are looked at again until they work. */
  waitingForAccount?: boolean;
  schedule?: ScheduleState;
};

/**
 * The policies a kind hands to the loop, read at start and after every config change (an
 * activity may read them from the integration's config). Without a policy the loop polls: it
 * runs at once, then every poll interval the pages set, and runs again when the config changes.
 */
export interface LoopPolicy {
  /** Identifies the schedule (a change restarts its clock); when the integration was created. */
  scheduleKey: string;
  createdAt: string;
  /** When the next scheduled run comes due; null: only a request or the upstream integration starts one. */
  nextDue(at: { now: Date; savedAt: Date; lastDueAt: Date | null }): Date | null;
  /** Another integration whose every completed run starts a run of this one. */
  runsAfter: string | null;
  /** After bad credentials, how long before the accounts are looked at again (without one: wait for a human). */
  accountRecheckMs: number;
}

/** One run, as the integration's own code sees it. */
export interface Run<Cursor> {
  status: IntegrationStatus<Cursor>;
  readonly reason: RunReason;
  /** A pause or stop came in: the run ends between pages, where nothing is half done. */
  readonly interrupted: boolean;
  /** Adds a page's counts (other fields of the page are ignored) to the run's and the totals. */
  add(counts: Partial<RunCounts>): void;
  setPollInterval(seconds: number): void;
  /** Waits, waking early on a pause or a stop. */
  sleep(ms: number): Promise<void>;
}

export interface LoopOptions<Cursor> {
  integrationId: string;
  carried?: Carried<Cursor>;
  initialCursor: Cursor;
  /** Reads the kind's scheduling policies; absent: a poller (see LoopPolicy). */
  policy?(): Promise<LoopPolicy>;
  /** Before the very first run (e.g. mark what is already there as seen). Throws on failure. */
  prepare?(status: IntegrationStatus<Cursor>): Promise<void>;
  /** Whether the accounts work again, after a run stopped on bad credentials. */
  accountsWork?(): Promise<boolean>;
  /** One run: pages until the source has nothing more. Returns false when it stopped early (interrupted). */
  run(run: Run<Cursor>): Promise<boolean>;
  continueAsNew(carried: Carried<Cursor>): Promise<never>;
}

const COUNT_KEYS = ['fetched', 'created', 'updated', 'unchanged', 'held', 'failed'] as const satisfies readonly (keyof RunCounts)[];

/** History stays bounded on an integration that runs for months. */
const MAX_HISTORY_EVENTS = 5_000;

/**
 * What every integration workflow does around its business: answers pause, resume, run now,
 * config changed, stop and "the integration this one runs after completed a run"; shows its
 * status (query, search attribute IntegrationState); runs when its schedule comes due; after a
 * failure that needs a human (credentials, config) makes no calls until resumed or reconfigured,
 * or looks at the accounts again when the kind asks for it; continues as new before its history
 * grows too long.
 *
 * The order of commands for kinds without a policy is the one recorded in test/histories: keep it.
 */
export async function integrationLoop<Cursor>(options: LoopOptions<Cursor>): Promise<void> {
  const carried = options.carried;
  const status: IntegrationStatus<Cursor> = carried ?? {
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
  const scheduled = options.policy !== undefined;
  let paused = carried?.paused ?? false;
  let pollIntervalSeconds = carried?.pollIntervalSeconds ?? 300;
  // A poller runs at once; a scheduled kind waits for its schedule unless a run was asked for.
  let runRequested = carried?.runRequested ?? !scheduled;
  let requested: RunReason | null = carried?.requested ?? (runRequested ? { by: 'request' } : null);
  let prepared = carried?.prepared ?? options.prepare === undefined;
  let waitingForAccount = carried?.waitingForAccount ?? false;
  const schedule: ScheduleState = carried?.schedule ?? { key: null, savedAt: null, lastDueAt: null };
  let due = !scheduled;
  let policy: LoopPolicy | undefined;
  // A scheduled kind reads its policy at every (re)start.
  let configChanged = scheduled;
  let stopping = false;

  const request = (reason: RunReason) => {
    runRequested = true;
    requested ??= reason;
  };
  setHandler(statusQuery, () => ({ ...status, state: paused && status.state !== 'stopped' ? 'paused' : status.state }));
  setHandler(pauseSignal, () => void (paused = true));
  // The backlog collected while paused goes out once, now.
  setHandler(resumeSignal, () => {
    paused = false;
    request({ by: 'request' });
  });
  setHandler(runNowSignal, () => request({ by: 'request' }));
  setHandler(configChangedSignal, () => {
    configChanged = true;
    // A scheduled kind keeps its schedule: an edit must not send a batch off it.
    if (!scheduled) request({ by: 'request' });
  });
  setHandler(stopSignal, () => void (stopping = true));
  setHandler(upstreamRunCompletedSignal, ({ integrationId: from }) => {
    if (policy?.runsAfter === from) request({ by: 'upstream', integrationId: from });
  });

  const setState = (state: IntegrationState) => {
    if (status.state === state) return;
    status.state = state;
    upsertSearchAttributes([{ key: IntegrationStateKey, value: state }]);
  };
  const carry = (): Carried<Cursor> => ({ ...status, paused, pollIntervalSeconds, runRequested, requested, prepared, waitingForAccount, schedule });

  for (;;) {
    if (stopping) break;
    if (scheduled && configChanged) {
      await readPolicy();
      continue;
    }
    if (paused) setState('paused');
    await condition(() => stopping || (scheduled && configChanged) || (!paused && (runRequested || waitingForAccount || status.state !== 'failed')));
    if (stopping) break;
    if (scheduled && configChanged) continue;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await options.continueAsNew(carry());
    }
    if (!prepared) {
      await prepare();
      continue;
    }
    if (waitingForAccount) {
      await waitForAccount();
      continue;
    }
    if (!runRequested && !due) {
      due = await waitUntilDue();
      continue;
    }
    const reason: RunReason = runRequested ? (requested ?? { by: 'request' }) : { by: 'schedule' };
    runRequested = false;
    requested = null;
    due = false;
    if (configChanged) {
      configChanged = false;
      status.lastError = null;
    }
    await runOnce(reason);
    if (stopping) break;
    if (status.state === 'failed') continue; // waits above for a resume, a config change or the accounts
    due = await waitUntilDue();
  }
  setState('stopped');

  /** Waits for the next scheduled run; true when it came due (not woken by a signal first). */
  async function waitUntilDue(): Promise<boolean> {
    setState(paused ? 'paused' : 'idle');
    const dueAt = paused ? null : nextDue();
    status.nextRunAt = dueAt ? dueAt.toISOString() : null;
    const wake = () => stopping || runRequested || paused || (scheduled && configChanged);
    // Without a due time (an "after" schedule, manual only, paused) only a signal starts a run.
    const woken = dueAt ? await condition(wake, Math.max(0, dueAt.getTime() - Date.now())) : (await condition(wake), true);
    status.nextRunAt = null;
    if (woken || !dueAt) return false;
    if (scheduled) schedule.lastDueAt = dueAt.toISOString();
    return true;
  }

  function nextDue(): Date | null {
    if (!policy) return new Date(Date.now() + pollIntervalSeconds * 1000);
    return policy.nextDue({
      now: new Date(),
      savedAt: new Date(schedule.savedAt ?? policy.createdAt),
      lastDueAt: schedule.lastDueAt ? new Date(schedule.lastDueAt) : null,
    });
  }

  async function readPolicy(): Promise<void> {
    configChanged = false;
    if (!options.policy) return;
    try {
      policy = await options.policy();
    } catch (err) {
      // Without its policy the kind can't be scheduled: read it again on a signal or in a minute.
      fail(err);
      await condition(() => stopping || configChanged || runRequested, 60_000);
      configChanged = true;
      return;
    }
    if (policy.scheduleKey !== schedule.key) {
      schedule.savedAt = schedule.key === null ? policy.createdAt : new Date().toISOString();
      schedule.key = policy.scheduleKey;
      schedule.lastDueAt = null;
    }
    if (status.state === 'failed' && !waitingForAccount) {
      setState('idle');
      status.lastError = null;
    }
  }

  async function prepare(): Promise<void> {
    try {
      await options.prepare?.(status);
      prepared = true;
      if (status.state === 'failed') {
        waitingForAccount = false;
        status.lastError = null;
        setState('idle');
      }
    } catch (err) {
      fail(err);
      // What stopped it needs a human (credentials, a switched-off functionality): trying again at
      // once would spin. Look again after the account recheck interval or on a signal.
      const before = requested;
      await condition(() => stopping || configChanged || paused || requested !== before, policy?.accountRecheckMs);
    }
  }

  async function waitForAccount(): Promise<void> {
    setState('failed');
    await condition(() => stopping || configChanged || paused, policy?.accountRecheckMs);
    if (stopping || paused || configChanged || !options.accountsWork) return;
    try {
      if (!(await options.accountsWork())) return;
      waitingForAccount = false;
      status.lastError = null;
      setState('idle');
      // The run the bad credentials interrupted is carried on now.
      request({ by: 'request' });
    } catch (err) {
      fail(err);
    }
  }

  function fail(err: unknown) {
    const failure = describeFailure(err);
    status.lastError = { message: failure.message, type: failure.type, at: new Date().toISOString() };
    if (failure.type === 'auth' && policy && options.accountsWork) waitingForAccount = true;
    if (failure.nonRetryable) setState('failed');
  }

  async function runOnce(reason: RunReason): Promise<void> {
    setState('running');
    status.runs++;
    const startedAt = new Date().toISOString();
    status.lastRunStartedAt = startedAt;
    const counts = emptyCounts();
    status.lastRunCounts = counts;
    const run: Run<Cursor> = {
      status,
      reason,
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
      sleep: async (ms) => void (await condition(() => paused || stopping, ms)),
    };
    let outcome: RunRecord['outcome'] = 'interrupted';
    try {
      if (!(await options.run(run))) return;
      outcome = 'completed';
      status.lastRunFinishedAt = new Date().toISOString();
      if (counts.failed === 0 || scheduled) status.lastError = null;
      // Integrations set to run "after" this one (added while these workflows were live: patched).
      if (patched('signal-dependents')) await signalDependents(options.integrationId);
    } catch (err) {
      outcome = 'failed';
      fail(err);
    } finally {
      // Kept in the status only (no command): histories recorded before it replay unchanged.
      const record: RunRecord = {
        startedAt,
        finishedAt: new Date().toISOString(),
        reason: reason.by === 'upstream' ? `after ${reason.integrationId}` : reason.by,
        counts: { ...counts },
        outcome,
        error: outcome === 'failed' ? (status.lastError?.message ?? null) : null,
      };
      status.recentRuns = [...(status.recentRuns ?? []), record].slice(-RECENT_RUNS);
    }
  }
}
