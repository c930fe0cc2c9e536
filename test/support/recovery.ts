import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

export interface ActivityCompletion {
  activity: string;
  /** The attempt that completed: 2 or more when the one the kill interrupted timed out first. */
  attempt: number;
  /** Milliseconds from the kill. */
  afterKillMs: number;
}

/**
 * The workflow's activities that completed after `killedAt` (epoch ms), read from its history:
 * how long a worker crash held the integration up. Timestamps come from the Temporal server on
 * this machine, so they compare with the test's clock.
 */
export async function completionsAfter(client: Client, workflowId: string, killedAt: number): Promise<ActivityCompletion[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const out: ActivityCompletion[] = [];
  for (const e of events) {
    const done = e.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const at = tsToMs(e.eventTime);
    if (at < killedAt) continue;
    const scheduled = byId.get(Number(done.scheduledEventId))?.activityTaskScheduledEventAttributes;
    const started = byId.get(Number(done.startedEventId))?.activityTaskStartedEventAttributes;
    out.push({ activity: scheduled?.activityType?.name ?? '?', attempt: started?.attempt ?? 0, afterKillMs: at - killedAt });
  }
  return out;
}

/**
 * Prints how long recovery from a SIGKILLed worker took (P5: the next page completes within 15 s).
 * A figure, not an assertion: speed is measured and printed, never asserted in a test.
 */
export async function reportRecovery(client: Client, what: string, workflowId: string, killedAt: number, readyAt: number): Promise<void> {
  const [next, following] = await completionsAfter(client, workflowId, killedAt);
  const fmt = (c: ActivityCompletion | undefined) => (c ? `${(c.afterKillMs / 1000).toFixed(1)} s (${c.activity}, attempt ${c.attempt})` : 'none');
  process.stderr.write(
    `[recovery] ${what}: new worker ready ${((readyAt - killedAt) / 1000).toFixed(1)} s after the kill; ` +
      `next page completed ${fmt(next)}; the one after ${fmt(following)}\n`,
  );
}
