import { eq } from 'drizzle-orm';
import { accounts, type AccountRow } from '../../db/schema';
import type { SecretBox } from '../../lib/secret-box';
import type { Database } from '../../db/client';
import { connect } from '../kit/connect';
import type { EgressAllow } from '../kit/egress';
import { resolveOAuthClient, type OAuthClients } from '../kit/oauth2';
import type { RateLimiter } from '../kit/rate-limiter';
import { cut } from '../kit/redact';
import type { AnyConnector, ConnectorContext, CredentialStore } from '../kit/types';
import { getConnector } from '../registry';

export class AccountUnavailableError extends Error {}

export interface AccountDeps {
  database: Database;
  secretBox: SecretBox;
  limiter: RateLimiter;
  /** What EGRESS_ALLOW adds to each connector's declared hosts. */
  egress: EgressAllow;
  /** OAuth clients by system id (from the environment): how OAuth accounts renew their tokens. */
  oauthClients?: OAuthClients;
}

export function openCredentials(secretBox: SecretBox, row: Pick<AccountRow, 'id' | 'credentialsKeyId' | 'credentialsData'>): unknown {
  return secretBox.open({ keyId: row.credentialsKeyId, data: row.credentialsData }, row.id);
}

/** Seals credentials under the account's id and stores them; the account's status is left as it is. */
export async function saveCredentials(deps: Pick<AccountDeps, 'database' | 'secretBox'>, accountId: string, credentials: unknown): Promise<void> {
  const sealed = deps.secretBox.seal(credentials, accountId);
  await deps.database.db.update(accounts).set({ credentialsKeyId: sealed.keyId, credentialsData: sealed.data, updatedAt: new Date() }).where(eq(accounts.id, accountId));
}

/** The account's row as the one source of truth for credentials a connector renews (read fresh each time). */
function credentialStore(deps: Pick<AccountDeps, 'database' | 'secretBox'>, accountId: string): CredentialStore {
  return {
    async load() {
      const [row] = await deps.database.db.select().from(accounts).where(eq(accounts.id, accountId));
      if (!row) throw new AccountUnavailableError(`account ${accountId} no longer exists`);
      return openCredentials(deps.secretBox, row);
    },
    save: (next) => saveCredentials(deps, accountId, next),
  };
}

/** A connector context for a loaded account: decrypted credentials, its limits, and where renewed credentials go. */
export function connectAccount(
  deps: AccountDeps,
  connector: AnyConnector,
  row: AccountRow,
  options: { heartbeat?: (details?: unknown) => void; timeoutMs?: number } = {},
): ConnectorContext<Record<string, unknown>> {
  return connect(
    connector,
    { id: row.id, baseUrl: row.baseUrl, limits: row.limits, credentials: openCredentials(deps.secretBox, row) },
    { limiter: deps.limiter, egress: deps.egress, ...options, oauthClient: resolveOAuthClient(connector, deps.oauthClients, deps.egress), credentialStore: credentialStore(deps, row.id) },
  );
}

export interface OpenedAccount {
  row: AccountRow;
  connector: AnyConnector;
  ctx: ConnectorContext<Record<string, unknown>>;
}

/** An account row already read, connected: its system's connector and its credentials decrypted inside this process. */
export function openAccountRow(deps: AccountDeps, row: AccountRow, heartbeat?: (details?: unknown) => void): OpenedAccount {
  const connector = getConnector(row.system);
  if (!connector) throw new AccountUnavailableError(`account ${row.id} is of an unknown system "${row.system}"`);
  return { row, connector, ctx: connectAccount(deps, connector, row, { heartbeat }) };
}

/** Loads an account, decrypts its credentials inside this process, and connects its connector. */
export async function openAccount(deps: AccountDeps, accountId: string, heartbeat?: (details?: unknown) => void): Promise<OpenedAccount> {
  const [row] = await deps.database.db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!row) throw new AccountUnavailableError(`account ${accountId} no longer exists`);
  return openAccountRow(deps, row, heartbeat);
}

export async function setAccountStatus(database: Database, accountId: string, status: 'active' | 'inactive', reason: string | null) {
  await database.db
    .update(accounts)
    .set({ status, statusReason: reason === null ? null : cut(reason), checkedAt: new Date(), updatedAt: new Date() })
    .where(eq(accounts.id, accountId));
}
