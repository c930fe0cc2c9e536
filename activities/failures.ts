import { ApplicationFailure } from '@temporalio/common';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';

/**
 * Turns a connector error into the Temporal failure that carries its retry intent: non-retryable
 * for auth and validation, `nextRetryDelay` = the provider's wait for rate limits. The message
 * (the integration's lastError) is cut short: it may quote the provider at length.
 */
export function toActivityFailure(e: unknown): unknown {
  if (!isConnectorError(e)) return e;
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
