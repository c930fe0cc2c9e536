import { eq } from 'drizzle-orm';
import { accounts, type AccountRow } from '../../db/schema';
import type { SecretBox } from '../../lib/secret-box';
import type { Database } from '../../db/client';
import { connect } from '../connectors/kit/connect';
import type { RateLimiter } from '../connectors/kit/rate-limiter';
import type { AnyConnector, ConnectorContext } from '../connectors/kit/types';
import { getConnector } from '../connectors/registry';

export class AccountUnavailableError extends Error {}

export function openCredentials(secretBox: SecretBox, row: Pick<AccountRow, 'id' | 'credentialsKeyId' | 'credentialsData'>): unknown {
  return secretBox.open({ keyId: row.credentialsKeyId, data: row.credentialsData }, row.id);
}

/** Loads an account, decrypts its credentials inside this process, and connects its connector. */
export async function openAccount(
  deps: { database: Database; secretBox: SecretBox; limiter: RateLimiter },
  accountId: string,
  heartbeat?: (details?: unknown) => void,
): Promise<{ row: AccountRow; connector: AnyConnector; ctx: ConnectorContext<Record<string, unknown>> }> {
  const [row] = await deps.database.db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!row) throw new AccountUnavailableError(`account ${accountId} no longer exists`);
  const connector = getConnector(row.system);
  if (!connector) throw new AccountUnavailableError(`account ${accountId} is of an unknown system "${row.system}"`);
  const ctx = connect(connector, { id: row.id, baseUrl: row.baseUrl, limits: row.limits, credentials: openCredentials(deps.secretBox, row) }, { limiter: deps.limiter, heartbeat });
  return { row, connector, ctx };
}

export async function setAccountStatus(database: Database, accountId: string, status: 'active' | 'inactive', reason: string | null) {
  await database.db
    .update(accounts)
    .set({ status, statusReason: reason, checkedAt: new Date(), updatedAt: new Date() })
    .where(eq(accounts.id, accountId));
}
