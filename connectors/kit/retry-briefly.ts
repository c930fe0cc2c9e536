import { isConnectorError, MAX_INLINE_WAIT_MS, type ConnectorError } from './errors';

const PAUSES_MS = [500, 1_500];

/**
 * Tries a call up to three times inside the activity when a failure is passing (a 5xx, a dropped
 * connection, a rate limit with a short wait) and `mayRepeat` says a repeat is harmless. A page of
 * many calls then rides out a flaky provider without failing the whole activity into Temporal's
 * growing backoff; anything longer is still left to Temporal's retry.
 */
export async function retryBriefly<T>(call: () => Promise<T>, mayRepeat: (e: ConnectorError) => boolean, heartbeat: (details?: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isConnectorError(e) || !e.retryable || attempt >= PAUSES_MS.length || !mayRepeat(e)) throw e;
      const wait = e.kind === 'rate-limited' ? (e.details.retryAfterMs ?? PAUSES_MS[attempt]!) : PAUSES_MS[attempt]!;
      if (wait > MAX_INLINE_WAIT_MS) throw e;
      heartbeat({ retryingInMs: wait });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
