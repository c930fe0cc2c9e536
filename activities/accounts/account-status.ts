import { Context } from '@temporalio/activity';
import { and, inArray, sql } from 'drizzle-orm';
import { accounts } from '../../db/schema';
import { isConnectorError } from '../../connectors/kit/errors';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
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

/** The integration whose workflow runs the current activity (workflow id `integration-<id>`); none outside one. */
function currentIntegrationId(): string | undefined {
  let workflowId: string | undefined;
  try {
    workflowId = Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
  return workflowId === undefined ? undefined : /^integration-([0-9a-f-]{36})$/.exec(workflowId)?.[1];
}

/**
 * Runs an activity's work for its accounts (system id → account id). While a functionality the
 * integration uses is switched off on one of them, the work does not start (a non-retryable
 * `switched-off` failure): every kind's activities pass here, so a new kind is covered as it is.
 * Bad credentials mark that account inactive with the provider's reason; a success marks them all
 * active again, so an integration waiting on a fixed account shows it at once. Connector errors
 * leave as Temporal failures that carry their retry intent.
 */
export async function withAccountStatus<T>(deps: ActivityDeps, accountIds: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const integrationId = currentIntegrationId();
  if (integrationId) await ensureFunctionalitiesOn(deps, integrationId);
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
