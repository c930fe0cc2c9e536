import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';
import type { ConnectorContext } from '../connectors/kit/types';
import { HttpProblem, unprocessable } from './problem';

/**
 * A provider's refusal, answered as the account check and the save-time checks answer it: bad
 * credentials or a name the provider does not know are the user's to fix (422 naming `field`), an
 * outage or a rate limit is a 502. The provider's words are cut short and scrubbed of what the
 * request carried.
 */
export async function answerOrProblem<T>(ctx: ConnectorContext<unknown>, provider: string, field: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    const words = cut(ctx.http.scrub(e.message));
    if (e.kind === 'auth') throw unprocessable([{ field: 'accountId', message: words }]);
    if (e.kind === 'validation' || e.kind === 'not-found') throw unprocessable([{ field, message: words }]);
    throw new HttpProblem(502, 'Bad Gateway', `could not reach ${provider}: ${words}`);
  }
}
