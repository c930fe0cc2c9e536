import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { databaseErrorFacts, describeDatabaseError } from '../db/errors';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';

/**
 * Turns a connector error into the Temporal failure that carries its retry intent: non-retryable
 * for auth and validation, `nextRetryDelay` = the provider's wait for rate limits. The message
 * (the integration's lastError) is cut short: it may quote the provider at length. A database
 * error becomes a retryable `database` failure that names only its code, table and constraint.
 */
export function toActivityFailure(e: unknown): unknown {
  if (!isConnectorError(e)) return toDatabaseFailure(e);
  const details = { system: e.system, status: e.details.status };
  const message = cut(e.message);
  if (e.kind === 'rate-limited') {
    return ApplicationFailure.create({ message, type: e.kind, details: [details], nextRetryDelay: e.details.retryAfterMs ?? 5_000 });
  }
  return ApplicationFailure.create({ message, type: e.kind, details: [details], nonRetryable: !e.retryable });
}

export function integrationGone(message: string) {
  return ApplicationFailure.create({ message, type: 'integration-gone', nonRetryable: true });
}

/**
 * A database error (drizzle's "Failed query: … params: …", or pg's own) as a retryable failure
 * carrying only its kind and code, with no cause: the query's parameters can be a whole batch of
 * phone numbers and texts, and pg's `detail` quotes the conflicting values. Anything else is
 * returned as it is.
 */
export function toDatabaseFailure(e: unknown): unknown {
  const facts = databaseErrorFacts(e);
  if (!facts) return e;
  const failure = ApplicationFailure.create({ message: describeDatabaseError(facts), type: 'database', details: [facts] });
  // The stack would name this function, not the query: it says nothing the message does not.
  failure.stack = `ApplicationFailure: ${failure.message}`;
  return failure;
}

/**
 * Every activity's errors pass here before the SDK sees them, so no database error's parameters
 * reach the workflow's history, its lastError or the worker's "Activity failed" log line, whichever
 * kind's activity threw it.
 */
export const databaseFailureInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (e) {
        throw toDatabaseFailure(e);
      }
    },
  },
});
