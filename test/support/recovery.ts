import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

export interface ActivityCompletion {
  activity: string;
  /** The attempt that completed: 2 or more when the one the kill interrupted timed out first. */
  attempt: number;
  /** Milliseconds from the kill to when that attempt started (a retry: when the timeout let it go). */
  startedAfterKillMs: number;
  /** Milliseconds from the kill. */
  afterKillMs: number;
  /** Why the attempt before it ended (e.g. a heartbeat timeout), when there was one. */
  lastFailure?: string;
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
    const startedEvent = byId.get(Number(done.startedEventId));
    const started = startedEvent?.activityTaskStartedEventAttributes;
    out.push({
      activity: scheduled?.activityType?.name ?? '?',
      attempt: started?.attempt ?? 0,
      startedAfterKillMs: tsToMs(startedEvent?.eventTime) - killedAt,
      afterKillMs: at - killedAt,
      ...(started?.lastFailure?.message && { lastFailure: started.lastFailure.message }),
    });
  }
  return out;
}

/**
 * Prints how long recovery from a SIGKILLed worker took (P5: the next page completes within 15 s).
 * A figure, not an assertion: speed is measured and printed, never asserted in a test.
 */
export async function reportRecovery(client: Client, what: string, workflowId: string, killedAt: number, readyAt: number): Promise<void> {
  const [next, following] = await completionsAfter(client, workflowId, killedAt);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const fmt = (c: ActivityCompletion | undefined) => (c ? `${s(c.afterKillMs)} (${c.activity}, attempt ${c.attempt}, started ${s(c.startedAfterKillMs)}${c.lastFailure ? `, after: ${c.lastFailure}` : ''})` : 'none');
  process.stderr.write(
    `[recovery] ${what}: new worker ready ${s(readyAt - killedAt)} after the kill; ` +
      `next page completed ${fmt(next)}; the one after ${fmt(following)}\n`,
  );
}
