import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { NewRowsCursor } from '../../connectors/google-sheets/new-rows';
import type { SmsPlan, SmsSendActivities } from '../../activities/sms-send/activities';
import type { RunTrigger } from '../../activities/sms-send/runs';
import { nextRunAt } from '../../kinds/sms-send/next-run';
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
} from '../control';
import { RETRY } from '../activity-options';
import { signalDependents } from '../dependents';
import { describeFailure } from '../describe-failure';
import type { Carried as LoopCarried } from '../integration-loop';

const { collectSmsRows, sendSmsChunk, checkSmsAccounts, planSmsSend } = proxyActivities<SmsSendActivities>({
  // A batch of 1,000 can wait on 8x8 (which takes its time to queue big batches) and on the limiter.
  startToCloseTimeout: '10 minutes',
  // Every HTTP request heartbeats: a worker that dies mid-send is noticed in 45 s.
  heartbeatTimeout: '45 seconds',
  retry: RETRY,
});
const { startSmsRun, finishSmsRun } = proxyActivities<SmsSendActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

export interface CarriedV1 {
  status: IntegrationStatus;
  cursor?: NewRowsCursor;
  initialized: boolean;
  paused: boolean;
  pending: { trigger: RunTrigger; triggeredBy?: string } | null;
  lastScheduledAt: string | null;
  scheduleSavedAt: string | null;
  scheduleKey: string | null;
  waitingForAccount: boolean;
}


const MAX_HISTORY_EVENTS = 5_000;
/** Patch id: a failed first pass (marking the rows already there) waits before it is tried again. */
const INIT_WAITS = 'sms-initialize-failure-waits';
/** Patch id: a live workflow of this version continues as new on the integration loop (workflows/sms-send.ts). */
export const SMS_MOVES_TO_LOOP = 'sms-send-moves-to-integration-loop';

/**
 * The first version of the sms-send workflow, with its own loop: kept so that histories recorded
 * before sms-send moved onto the integration loop still replay, and so that a workflow of this
 * version, replayed by a new worker, reaches its next loop turn and continues as new on the
 * integration loop (patch SMS_MOVES_TO_LOOP). Delete once no workflow of this version runs.
 *
 * Scheduled SMS as a business process: rows appended to the sheet since the cursor become
 * messages, which go out through 8x8 once each; then wait for the next run. Runs come from the
 * schedule (workflow timers computed by nextRunAt), "run now", or a completed run of the
 * integration this one runs after. One workflow per integration, one run at a time: two sends of
 * one integration can never overlap. Counts: fetched = rows read, created = SMS taken by 8x8,
 * held = rejected, failed = rows that could not become an SMS.
 */
export async function smsSendWorkflowV1(input: { integrationId: string; carried?: CarriedV1 }, moveToLoop?: (carried: LoopCarried<NewRowsCursor | undefined>) => Promise<never>): Promise<void> {
  const { integrationId } = input;
  const c: CarriedV1 = input.carried ?? {
    status: {
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
    },
    initialized: false,
    paused: false,
    pending: null,
    lastScheduledAt: null,
    scheduleSavedAt: null,
    scheduleKey: null,
    waitingForAccount: false,
  };
  const status = c.status;
  let configChanged = true; // the plan is read at every (re)start
  let stopping = false;
  let plan: SmsPlan | undefined;

  setHandler(statusQuery, () => ({ ...status, cursor: c.cursor, state: c.paused && status.state !== 'stopped' ? 'paused' : status.state }));
  setHandler(pauseSignal, () => void (c.paused = true));
  setHandler(resumeSignal, () => {
    // The backlog collected while paused goes out once, now.
    c.paused = false;
    c.pending ??= { trigger: 'manual' };
  });
  setHandler(runNowSignal, () => void (c.pending ??= { trigger: 'manual' }));
  setHandler(configChangedSignal, () => void (configChanged = true));
  setHandler(stopSignal, () => void (stopping = true));
  setHandler(upstreamRunCompletedSignal, ({ integrationId: from }) => {
    if (plan && 'after' in plan.schedule && plan.schedule.after === from) c.pending ??= { trigger: 'after', triggeredBy: from };
  });

  const setState = (state: IntegrationState) => {
    if (status.state === state) return;
    status.state = state;
    upsertSearchAttributes([{ key: IntegrationStateKey, value: state }]);
  };

  for (;;) {
    if (stopping) break;
    // Between runs, where nothing is half done; on replay of an old history there is no marker here.
    if (moveToLoop && patched(SMS_MOVES_TO_LOOP)) await moveToLoop(toLoopCarried(c));
    if (configChanged) {
      configChanged = false;
      plan = await planSmsSend({ integrationId });
      const key = JSON.stringify([plan.schedule, plan.timeZone]);
      // The 5-minute rule counts from when this schedule was saved, not from a later edit of something else.
      if (key !== c.scheduleKey) {
        c.scheduleSavedAt = c.scheduleKey === null ? plan.createdAt : new Date().toISOString();
        c.scheduleKey = key;
        c.lastScheduledAt = null;
      }
      if (status.state === 'failed' && !c.waitingForAccount) {
        setState('idle');
        status.lastError = null;
      }
    }
    if (!plan) continue;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew({ integrationId, carried: c });
    }
    if (c.paused) {
      setState('paused');
      status.nextRunAt = null;
      await condition(() => stopping || configChanged || !c.paused);
      continue;
    }
    if (!c.initialized) {
      // Rows already in the sheet at creation are passed over unless the config asks for a backfill.
      if (!(await initialize(plan))) {
        // What stopped the first pass needs a human (credentials, a switched-off functionality): trying
        // again at once would spin. Look again after the account recheck interval or on a signal.
        if (patched(INIT_WAITS)) {
          const pending = c.pending;
          await condition(() => stopping || configChanged || c.paused || c.pending !== pending, plan.authRecheckMs);
        }
        continue;
      }
      if (status.state === 'failed' && patched(INIT_WAITS)) {
        c.waitingForAccount = false;
        status.lastError = null;
        setState('idle');
      }
    }
    if (c.waitingForAccount) {
      await waitForAccount(plan);
      continue;
    }
    if (status.state === 'failed') {
      // Needs a human (config): waits for a config change or an explicit run.
      await condition(() => stopping || configChanged || c.paused || c.pending !== null);
      if (c.pending) setState('idle');
      continue;
    }

    if (!c.pending) {
      const due = plan.autoUpdate
        ? nextRunAt(plan.schedule, {
            now: new Date(),
            timeZone: plan.timeZone,
            // The pass that marked the rows already there counts as run zero: the first interval
            // run comes one interval after the schedule was saved, not at once (a backfill is sent at once).
            lastRunAt: c.lastScheduledAt ? new Date(c.lastScheduledAt) : 'every' in plan.schedule && !plan.backfill ? new Date(c.scheduleSavedAt ?? plan.createdAt) : undefined,
            createdAt: c.lastScheduledAt ? undefined : new Date(c.scheduleSavedAt ?? plan.createdAt),
          })
        : null;
      setState('idle');
      status.nextRunAt = due ? due.toISOString() : null;
      const wake = () => stopping || configChanged || c.paused || c.pending !== null;
      // Without a due time (an "after" schedule, auto-update off) only a signal starts a run.
      const woken = due ? await condition(wake, Math.max(0, due.getTime() - Date.now())) : (await condition(wake), true);
      status.nextRunAt = null;
      if (woken || !due) continue;
      c.lastScheduledAt = due.toISOString();
      c.pending = { trigger: 'every' in plan.schedule ? 'interval' : 'time' };
    }
    const run = c.pending;
    await runOnce(run.trigger, run.triggeredBy);
  }
  setState('stopped');

  async function initialize(p: SmsPlan): Promise<boolean> {
    if (p.backfill) {
      c.initialized = true;
      return true;
    }
    try {
      for (;;) {
        const page = await collectSmsRows({ integrationId, cursor: c.cursor, markOnly: true });
        c.cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      c.initialized = true;
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  async function waitForAccount(p: SmsPlan): Promise<void> {
    setState('failed');
    await condition(() => stopping || configChanged || c.paused, p.authRecheckMs);
    if (stopping || c.paused) return;
    try {
      const check = await checkSmsAccounts({ integrationId });
      if (!check.ok) return;
      c.waitingForAccount = false;
      status.lastError = null;
      setState('idle');
      // The run the bad credentials interrupted is carried on now.
      c.pending ??= { trigger: 'manual' };
    } catch (err) {
      fail(err);
    }
  }

  function fail(err: unknown) {
    const failure = describeFailure(err);
    status.lastError = { message: failure.message, type: failure.type, at: new Date().toISOString() };
    if (failure.type === 'auth') c.waitingForAccount = true;
    if (failure.nonRetryable) setState('failed');
  }

  async function runOnce(trigger: RunTrigger, triggeredBy: string | undefined): Promise<void> {
    setState('running');
    const runId = uuid4();
    await startSmsRun({ runId, integrationId, trigger, ...(triggeredBy && { triggeredBy }) });
    status.runs++;
    status.lastRunStartedAt = new Date().toISOString();
    const run: RunCounts = emptyCounts();
    status.lastRunCounts = run;
    let error: string | undefined;
    let completed = false;
    try {
      for (;;) {
        if (c.paused || stopping) return;
        const page = await collectSmsRows({ integrationId, cursor: c.cursor });
        c.cursor = page.nextCursor; // only now: the page's messages are durably pending
        add(run, { fetched: page.rowsRead, held: page.rejected, failed: page.failed });
        if (!page.hasMore) break;
      }
      for (;;) {
        if (c.paused || stopping) return;
        const chunk = await sendSmsChunk({ integrationId });
        add(run, { created: chunk.sent, held: chunk.rejected });
        if (chunk.hasMore) continue;
        if (chunk.inDoubt === 0) break;
        // Messages a crash left in flight: their receipts settle them, or the doubt wait runs out.
        await condition(() => stopping || c.paused, chunk.retryInMs);
      }
      completed = true;
      c.pending = null;
      status.lastRunFinishedAt = new Date().toISOString();
      status.lastError = null;
    } catch (err) {
      fail(err);
      error = status.lastError?.message;
      // A run that needs a human is over; a paused one resumes as a new run.
      if (!c.waitingForAccount) c.pending = null;
    } finally {
      if (!completed && c.paused) c.pending = null;
      await finishSmsRun({ runId, counts: { rowsRead: run.fetched, sent: run.created, rejected: run.held, failed: run.failed }, ...(error && { error }) });
    }
    if (completed) await signalDependents(integrationId);
  }

  function add(run: RunCounts, page: Partial<RunCounts>) {
    for (const [k, v] of Object.entries(page) as [keyof RunCounts, number][]) {
      run[k] += v;
      status.counts[k] += v;
    }
  }
}

/** The state of a version-1 workflow, as the integration loop carries it. */
export function toLoopCarried(c: CarriedV1): LoopCarried<NewRowsCursor | undefined> {
  return {
    ...c.status,
    cursor: c.cursor,
    paused: c.paused,
    pollIntervalSeconds: 300,
    runRequested: c.pending !== null,
    requested: c.pending === null ? null : c.pending.trigger === 'after' && c.pending.triggeredBy ? { by: 'upstream', integrationId: c.pending.triggeredBy } : { by: 'request' },
    prepared: c.initialized,
    waitingForAccount: c.waitingForAccount,
    schedule: { key: c.scheduleKey, savedAt: c.scheduleSavedAt, lastDueAt: c.lastScheduledAt },
  };
}
