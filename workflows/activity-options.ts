import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES } from './failure-types';

/**
 * How every integration retries its activities: provider outages and rate limits are retried
 * with backoff (a rate limit's own wait comes as nextRetryDelay); what needs a human (bad
 * credentials, bad config, a deleted integration) is not.
 */
export const RETRY: ActivityOptions['retry'] = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 25,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};

/**
 * How long a running activity may go without a heartbeat before Temporal gives it to another
 * worker. Activities heartbeat on a timer at a fifth of this for as long as they run
 * (activities/heartbeat-on-timer.ts reads it from the activity's info), whatever a provider takes
 * to answer: a MiniCRM upload may take 180 s, a UNAS query or an 8x8 batch 120 s, and none of that
 * needs a longer timeout. So it only has to outlast a busy worker's pause: a SIGKILLed worker's page
 * is retried about 10 s after the kill (plus the 2 s retry interval), not after 45 s.
 */
export const HEARTBEAT_TIMEOUT = '10 seconds';

/** A page of work against providers: it can wait on a provider's limits and answers, heartbeating meanwhile. */
export const PAGE_ACTIVITY: ActivityOptions = { startToCloseTimeout: '15 minutes', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: RETRY };
