import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** What the status shows of a failed activity, and whether it needs a human before the next run. */
export function describeFailure(err: unknown): { message: string; type: string | null; nonRetryable: boolean } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { message: cause.message, type: cause.type ?? null, nonRetryable: cause.nonRetryable === true };
  return { message: cause instanceof Error ? cause.message : String(cause), type: null, nonRetryable: false };
}
