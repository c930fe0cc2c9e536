import { Context } from '@temporalio/activity';
import { and, inArray, sql } from 'drizzle-orm';
import { accounts } from '../../db/schema';
import { isConnectorError } from '../../connectors/kit/errors';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
import type { LoadedIntegration } from '../load-integration';
import { ensureFunctionalitiesOn } from './functionality-gate';
import { setAccountStatus } from '../../connectors/accounts/open-account';

/** The running activity's heartbeat; a no-op outside one (a test calling the code directly). */
export function activityHeartbeat(): (details?: unknown) => void {
  try {
    const ctx = Context.current();
    return (details?: unknown) => ctx.heartbeat(details);
  } catch {
    return () => undefined;
  }
}

/**
 * Runs an activity's work for its integration's accounts (`accountIds`: system id → account id). While a functionality the
 * integration uses is switched off on one of them, the work does not start (a non-retryable
 * `switched-off` failure): every kind's activities pass here, so a new kind is covered as it is.
 * Bad credentials mark that account inactive with the provider's reason; a success marks them all
 * active again, so an integration waiting on a fixed account shows it at once. Connector errors
 * leave as Temporal failures that carry their retry intent.
 */
export async function withAccountStatus<T>(
  deps: ActivityDeps,
  { integration, accountIds }: { integration?: LoadedIntegration; accountIds: Record<string, string> },
  work: () => Promise<T>,
): Promise<T> {
  if (integration) ensureFunctionalitiesOn(integration);
  try {
    const result = await work();
    await markAccountsActive(deps, Object.values(accountIds));
    return result;
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'auth' && accountIds[e.system]) await setAccountStatus(deps.database, accountIds[e.system]!, 'inactive', e.message);
    throw toActivityFailure(e);
  }
}

/** Accounts that just worked are active again (a no-op for those that already are). */
export async function markAccountsActive(deps: Pick<ActivityDeps, 'database'>, ids: string[]): Promise<void> {
  await deps.database.db
    .update(accounts)
    .set({ status: 'active', statusReason: null, checkedAt: new Date(), updatedAt: new Date() })
    .where(and(inArray(accounts.id, ids), sql`${accounts.status} <> 'active'`));
}
