/**
 * Failure types that need a human (credentials, a bad input or config, a deleted integration, a
 * functionality switched off in the hub): Temporal never retries them. Each is also raised as
 * non-retryable where it is made (activities/failures.ts, activities/accounts/functionality-gate.ts);
 * the retry policy names them too, so one raised without the flag still stops. The list lives here,
 * as plain data, because workflow code may not import the activities that raise them.
 */
export const NON_RETRYABLE_TYPES = ['auth', 'validation', 'not-found', 'integration-gone', 'switched-off'] as const;
