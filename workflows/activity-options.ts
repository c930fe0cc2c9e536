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
 * A page of work against providers: it can wait on a provider's limits, heartbeating meanwhile.
 * Every HTTP request heartbeats and none outlasts 30 s, so a worker that dies mid-page is noticed
 * within the 45 s heartbeat timeout and the page retried on another.
 */
export const PAGE_ACTIVITY: ActivityOptions = { startToCloseTimeout: '15 minutes', heartbeatTimeout: '45 seconds', retry: RETRY };
