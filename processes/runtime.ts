import type { AccountDeps } from '../connectors/accounts/open-account';
import { egressAllowFromConfig } from '../connectors/kit/egress';
import { RateLimiter } from '../connectors/kit/rate-limiter';
import { API_POOL_LIMITS, connectDatabase, migrateDatabase, WORKER_POOL_LIMITS, type Database } from '../db/client';
import { accounts } from '../db/schema';
import type { AppConfig } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';
import { oauthClientsFromConfig } from '../connectors/oauth-clients';
import { SecretBox, UnknownKeyError } from '../lib/secret-box';

/** What the API and the worker share: what opening an account needs, and the log. */
export interface Runtime extends AccountDeps {
  log: Logger;
  close(): Promise<void>;
}

export class KeyMismatchError extends Error {}

/**
 * Opens the database (migrating it), and proves at start that ENCRYPTION_KEYS opens every stored
 * credential: a lost or wrong key is reported now, by name, not on the first sync hours later.
 */
export async function openRuntime(
  config: Pick<AppConfig, 'DATABASE_URL' | 'ENCRYPTION_KEYS' | 'LOG_LEVEL' | 'GOOGLE_OAUTH_CLIENT_ID' | 'GOOGLE_OAUTH_CLIENT_SECRET' | 'GOOGLE_OAUTH_AUTHORIZE_URL' | 'GOOGLE_OAUTH_TOKEN_URL' | 'WORKSECTION_OAUTH_CLIENT_ID' | 'WORKSECTION_OAUTH_CLIENT_SECRET' | 'WORKSECTION_OAUTH_AUTHORIZE_URL' | 'WORKSECTION_OAUTH_TOKEN_URL' | 'EGRESS_ALLOW'>,
  name: string,
): Promise<Runtime> {
  const oauthClients = oauthClientsFromConfig(config);
  const egress = egressAllowFromConfig(config);
  const log = createLogger(config.LOG_LEVEL, name);
  // The all-in-one process shares one pool between API and worker: it keeps the worker's limits.
  const database = connectDatabase(config.DATABASE_URL, name === 'api' ? API_POOL_LIMITS : WORKER_POOL_LIMITS);
  await migrateDatabase(database);
  const secretBox = new SecretBox(config.ENCRYPTION_KEYS);
  await verifyKeys(database, secretBox);
  const limiter = new RateLimiter(database.pool);
  const close = async () => {
    // Slots this process reserved and did not use go to the other workers now rather than a window later.
    await limiter.release().catch(() => undefined);
    await database.close();
  };
  return { database, secretBox, limiter, log, egress, oauthClients, close };
}

async function verifyKeys(database: Database, secretBox: SecretBox): Promise<void> {
  const rows = await database.db.select({ id: accounts.id, keyId: accounts.credentialsKeyId, data: accounts.credentialsData }).from(accounts);
  const broken: string[] = [];
  for (const row of rows) {
    try {
      secretBox.open({ keyId: row.keyId, data: row.data }, row.id);
    } catch (e) {
      broken.push(`${row.id} (${e instanceof UnknownKeyError ? `key "${row.keyId}" missing` : `key "${row.keyId}" does not open it`})`);
    }
  }
  if (broken.length > 0) {
    throw new KeyMismatchError(
      `ENCRYPTION_KEYS cannot decrypt the credentials of ${broken.length} account(s): ${broken.slice(0, 10).join(', ')}. ` +
        'Add the key they were sealed with back to ENCRYPTION_KEYS (after the current one) or re-enter their credentials.',
    );
  }
}
