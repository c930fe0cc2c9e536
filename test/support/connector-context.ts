import { isConnectorError, type ConnectorError } from '../../connectors/kit/errors';
import { RateLimiter } from '../../connectors/kit/rate-limiter';
import { connect } from '../../connectors/kit/connect';
import type { ConnectorContext, ConnectorDefinition, PolledRecord, PollResult } from '../../connectors/kit/types';
import type { z } from 'zod';
import { createTestDatabase } from './database';
import { egressAllow } from './egress';

/**
 * Contract tests run a connector's real code against its fake, with the real PostgreSQL-backed
 * rate limiter (limits are shared per account, so the limiter is part of the contract).
 */
export async function connectorTestbed() {
  const db = await createTestDatabase();
  const limiter = new RateLimiter(db.database.pool);
  const egress = egressAllow();
  let n = 0;
  return {
    database: db.database,
    limiter,
    /** A context for one account of the connector; each call is a new account unless accountId is given. */
    context<Auth extends z.ZodObject>(
      connector: ConnectorDefinition<Auth>,
      baseUrl: string,
      credentials: z.input<Auth>,
      options: { limits?: Record<string, number>; accountId?: string; timeoutMs?: number } = {},
    ): ConnectorContext<z.infer<Auth>> {
      const accountId = options.accountId ?? `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      return connect(connector, { id: accountId, baseUrl, limits: options.limits ?? {}, credentials }, { limiter, egress, timeoutMs: options.timeoutMs ?? 5_000 });
    },
    close: () => db.drop(),
  };
}

/** The connector error a call fails with (anything else is rethrown); its message must not carry any of `secrets`. */
export async function connectorFailure(p: Promise<unknown>, secrets: readonly string[] = []): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    for (const secret of secrets) expect(e.message).not.toContain(secret);
    return e;
  }
  throw new Error('expected a connector error');
}

/** Polls a trigger until it has nothing more (a burst spans several polls), collecting what it handed out. */
export async function drainTrigger<T, Cursor>(
  trigger: { poll(ctx: never, input: never, cursor: never): Promise<unknown> },
  ctx: unknown,
  input: Record<string, unknown>,
  cursor: Cursor | undefined,
): Promise<{ records: PolledRecord<T>[]; cursor: Cursor; polls: number }> {
  const records: PolledRecord<T>[] = [];
  for (let polls = 1; ; polls++) {
    const page = (await trigger.poll(ctx as never, input as never, cursor as never)) as PollResult<T, Cursor>;
    records.push(...page.records);
    cursor = page.nextCursor;
    if (!page.hasMore) return { records, cursor: page.nextCursor, polls };
    if (polls >= 100) throw new Error('trigger never settled');
  }
}
