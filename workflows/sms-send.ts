import { continueAsNew, patched, proxyActivities, uuid4 } from '@temporalio/workflow';
import type { NewRowsCursor } from '../connectors/google-sheets/new-rows';
import type { SmsPlan, SmsSendActivities } from '../activities/sms-send/activities';
import type { RunTrigger } from '../activities/sms-send/runs';
import { nextRunAt } from '../kinds/sms-send/next-run';
import { PAGE_ACTIVITY, RETRY } from './activity-options';
import { describeFailure } from './describe-failure';
import { integrationLoop, type Carried, type LoopPolicy, type RunReason } from './integration-loop';
import { smsSendWorkflowV1, type CarriedV1 } from './legacy/sms-send-v1';

const { collectSmsRows, sendSmsChunk, checkSmsAccounts, planSmsSend } = proxyActivities<SmsSendActivities>({
  // The pages' heartbeat timeout and retries: a worker that dies mid-send is noticed within seconds.
  ...PAGE_ACTIVITY,
  // A batch of 1,000 can wait on 8x8 (which takes its time to queue big batches) and on the limiter.
  startToCloseTimeout: '10 minutes',
});
const { startSmsRun, finishSmsRun } = proxyActivities<SmsSendActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

type Cursor = NewRowsCursor | undefined;

export interface SmsSendInput {
  integrationId: string;
  carried?: Carried<Cursor> | CarriedV1;
}

/** Patch id: sms-send runs on the integration loop (histories from before replay the first version). */
const ON_LOOP = 'sms-send-on-integration-loop';

/**
 * Scheduled SMS as a business process: rows appended to the sheet since the cursor become
 * messages, which go out through 8x8 once each; messages a crash left in doubt are settled by
 * their receipts. The rows already in the sheet when it was saved are passed over (unless it
 * backfills); runs come from the schedule (every N minutes, times of day), "run now", or a
 * completed run of the integration it runs after. One workflow per integration: two sends of one
 * integration never overlap. Counts: fetched = rows read, created = SMS taken by 8x8, held =
 * rejected, failed = rows that could not become an SMS.
 */
export async function smsSendWorkflow(input: SmsSendInput): Promise<void> {
  const { integrationId } = input;
  const moveToLoop = (carried: Carried<Cursor>) => continueAsNew<typeof smsSendWorkflow>({ integrationId, carried });
  if (!patched(ON_LOOP)) return smsSendWorkflowV1({ integrationId, carried: input.carried && isV1(input.carried) ? input.carried : undefined }, moveToLoop);
  let plan: SmsPlan | undefined;

  await integrationLoop<Cursor>({
    integrationId,
    carried: input.carried && isV1(input.carried) ? undefined : input.carried,
    initialCursor: undefined,
    continueAsNew: moveToLoop,
    async policy() {
      plan = await planSmsSend({ integrationId });
      return smsPolicy(plan);
    },
    async prepare(status) {
      if (plan?.backfill) return;
      for (;;) {
        const page = await collectSmsRows({ integrationId, cursor: status.cursor, markOnly: true });
        status.cursor = page.nextCursor;
        if (!page.hasMore) return;
      }
    },
    accountsWork: async () => (await checkSmsAccounts({ integrationId })).ok,
    async run(run) {
      const runId = uuid4();
      await startSmsRun({ runId, integrationId, ...runTrigger(run.reason, plan) });
      let error: string | undefined;
      try {
        for (;;) {
          if (run.interrupted) return false;
          const page = await collectSmsRows({ integrationId, cursor: run.status.cursor });
          run.status.cursor = page.nextCursor; // only now: the page's messages are durably pending
          run.add({ fetched: page.rowsRead, held: page.rejected, failed: page.failed });
          if (!page.hasMore) break;
        }
        for (;;) {
          if (run.interrupted) return false;
          const chunk = await sendSmsChunk({ integrationId });
          run.add({ created: chunk.sent, held: chunk.rejected });
          if (chunk.hasMore) continue;
          if (chunk.inDoubt === 0) return true;
          // Messages a crash left in flight: their receipts settle them, or the doubt wait runs out.
          await run.sleep(chunk.retryInMs);
        }
      } catch (err) {
        error = describeFailure(err).message;
        throw err;
      } finally {
        const counts = run.status.lastRunCounts;
        await finishSmsRun({ runId, counts: { rowsRead: counts?.fetched ?? 0, sent: counts?.created ?? 0, rejected: counts?.held ?? 0, failed: counts?.failed ?? 0 }, ...(error && { error }) });
      }
    },
  });
}

/** When an sms-send integration runs, as the loop's policy: its schedule, read from the config by an activity. */
function smsPolicy(plan: SmsPlan): LoopPolicy {
  const { schedule, timeZone } = plan;
  return {
    scheduleKey: JSON.stringify([schedule, timeZone]),
    createdAt: plan.createdAt,
    runsAfter: 'after' in schedule ? schedule.after : null,
    accountRecheckMs: plan.authRecheckMs,
    nextDue: ({ now, savedAt, lastDueAt }) =>
      plan.autoUpdate
        ? nextRunAt(schedule, {
            now,
            timeZone,
            // The pass that marked the rows already there counts as run zero: the first interval run
            // comes one interval after the schedule was saved, not at once (a backfill is sent at once).
            lastRunAt: lastDueAt ?? ('every' in schedule && !plan.backfill ? savedAt : undefined),
            createdAt: lastDueAt ? undefined : savedAt,
          })
        : null,
  };
}

/** How the run is recorded in sms_runs. */
function runTrigger(reason: RunReason, plan: SmsPlan | undefined): { trigger: RunTrigger; triggeredBy?: string } {
  if (reason.by === 'upstream') return { trigger: 'after', triggeredBy: reason.integrationId };
  if (reason.by === 'request') return { trigger: 'manual' };
  return { trigger: plan && 'times' in plan.schedule ? 'time' : 'interval' };
}

function isV1(carried: Carried<Cursor> | CarriedV1): carried is CarriedV1 {
  return 'initialized' in carried;
}
