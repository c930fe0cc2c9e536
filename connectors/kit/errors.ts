/**
 * Typed connector errors. They carry retry intent, so the activity layer can turn them into
 * Temporal failures without knowing the provider: auth and validation never retry, rate limits
 * retry after the provider's wait, transient failures retry with backoff.
 */
export type ConnectorErrorKind = 'auth' | 'validation' | 'not-found' | 'rate-limited' | 'transient';

export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly system: string,
    readonly kind: ConnectorErrorKind,
    readonly details: { status?: number; retryAfterMs?: number; providerCode?: string | number } = {},
  ) {
    super(message);
    this.name = `ConnectorError(${kind})`;
  }

  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'transient';
  }
}

export const authError = (system: string, message: string, status?: number) =>
  new ConnectorError(message, system, 'auth', { status });
export const validationError = (system: string, message: string, status?: number) =>
  new ConnectorError(message, system, 'validation', { status });
export const notFoundError = (system: string, message: string, status?: number) =>
  new ConnectorError(message, system, 'not-found', { status });
export const rateLimitedError = (system: string, message: string, retryAfterMs: number, status?: number) =>
  new ConnectorError(message, system, 'rate-limited', { status, retryAfterMs });
export const transientError = (system: string, message: string, status?: number) =>
  new ConnectorError(message, system, 'transient', { status });

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}

/** Waits the provider asked for that are short enough to sit out inside the call. */
export const MAX_INLINE_WAIT_MS = 5_000;

/**
 * After a first rate-limited answer with a short wait, sleeps it out (heartbeating) and says to
 * try again once; anything longer, or a second refusal, is left to Temporal's retry.
 */
export async function waitOutShortRateLimit(error: ConnectorError, attempt: number, heartbeat: (details?: unknown) => void): Promise<boolean> {
  const wait = error.details.retryAfterMs;
  if (error.kind !== 'rate-limited' || attempt > 0 || wait === undefined || wait > MAX_INLINE_WAIT_MS) return false;
  heartbeat({ waitingMs: wait });
  await new Promise((resolve) => setTimeout(resolve, wait));
  return true;
}
