import { eq, inArray } from 'drizzle-orm';
import { AccountUnavailableError, openAccountRow, type OpenedAccount } from '../connectors/accounts/open-account';
import { accounts, integrations, type IntegrationRow } from '../db/schema';
import type { ActivityDeps } from './deps';
import { integrationGone, toActivityFailure } from './failures';

/** An integration as an activity needs it: its row and both accounts, opened (credentials decrypted in this process only). */
export interface LoadedIntegration {
  row: IntegrationRow;
  source: OpenedAccount;
  target: OpenedAccount;
}

/**
 * Loads the integration and its accounts in two reads, once per activity: the workflow passes
 * only the id, and what the activity does next (the hub's toggles, the account status) works
 * from these rows rather than reading them again.
 */
export async function loadIntegration(deps: ActivityDeps, integrationId: string, heartbeat?: (details?: unknown) => void): Promise<LoadedIntegration> {
  const { db } = deps.database;
  const [row] = await db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw integrationGone(`integration ${integrationId} no longer exists`);
  const rows = await db.select().from(accounts).where(inArray(accounts.id, [row.sourceAccountId, row.targetAccountId]));
  const open = (accountId: string): OpenedAccount => {
    const account = rows.find((a) => a.id === accountId);
    if (!account) throw new AccountUnavailableError(`account ${accountId} no longer exists`);
    try {
      return openAccountRow(deps, account, heartbeat);
    } catch (e) {
      // Credentials dropped (the base URL moved) or not matching the schema: a human has to enter them.
      throw toActivityFailure(e);
    }
  };
  return { row, source: open(row.sourceAccountId), target: open(row.targetAccountId) };
}
