import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Heartbeats per heartbeat timeout: several, so one late timer tick costs nothing. */
const BEATS_PER_TIMEOUT = 5;

/**
 * The longest the SDK holds a heartbeat back before sending it (the worker's
 * maxHeartbeatThrottleInterval). Its default, 0.8 × the heartbeat timeout, would let the server hear
 * from an activity with a 10 s timeout only every 8 s, 2 s short of giving it up; at most 2 s
 * leaves most of the timeout as margin on a busy machine.
 */
export const MAX_HEARTBEAT_THROTTLE = '2 seconds';

/**
 * Runs `work` heartbeating on a timer until it settles, as long as this process lives: a request
 * in flight (a MiniCRM upload may take 180 s, a UNAS query or an 8x8 batch 120 s) keeps the
 * activity alive however long the provider takes to answer, and a worker that dies stops the
 * heartbeats, so the short heartbeat timeout hands its work to another worker within seconds.
 *
 * The interval comes from the heartbeat timeout the workflow set for this activity, not from a
 * constant of its own: the timeout is defined once (workflows/activity-options.ts, which activities
 * may not import), and the two cannot drift apart. An activity scheduled without a heartbeat
 * timeout (database-only ones) gets no timer.
 */
export async function heartbeatOnTimer<T>(ctx: Pick<Context, 'info' | 'heartbeat'>, work: () => Promise<T>): Promise<T> {
  const timeoutMs = ctx.info.heartbeatTimeoutMs;
  if (!timeoutMs) return work();
  const timer = setInterval(() => ctx.heartbeat(), timeoutMs / BEATS_PER_TIMEOUT);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Every activity the worker runs goes through heartbeatOnTimer: a new kind's activities are covered as they are. */
export const heartbeatOnTimerInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: { execute: (input, next) => heartbeatOnTimer(ctx, () => next(input)) },
});
