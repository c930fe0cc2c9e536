import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import path from 'node:path';
import { Client, Pool } from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: Pool;
  url: string;
  close(): Promise<void>;
}

export interface PoolLimits {
  /** How long to wait for a connection, new or from the pool: a server that is down answers within it. */
  connectionTimeoutMs?: number;
  /** statement_timeout, enforced by the server; 0 = none. */
  statementTimeoutMs?: number;
  /** How long the driver waits for an answer (a server that stopped answering, not just slow SQL); 0 = none. */
  queryTimeoutMs?: number;
}

/**
 * The API answers people: no request of it should wait on the database for long. Workers keep
 * no statement limit: an activity's query may legitimately run long, and the activity heartbeats
 * and retries by itself.
 */
export const API_POOL_LIMITS: PoolLimits = { connectionTimeoutMs: 3_000, statementTimeoutMs: 15_000, queryTimeoutMs: 20_000 };
export const WORKER_POOL_LIMITS: PoolLimits = { connectionTimeoutMs: 10_000 };

export function connectDatabase(url: string, options: { max?: number } & PoolLimits = {}): Database {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? WORKER_POOL_LIMITS.connectionTimeoutMs,
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
    ...(options.queryTimeoutMs && { query_timeout: options.queryTimeoutMs }),
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, url, close: () => pool.end() };
}

export const MIGRATIONS_FOLDER = path.join(__dirname, 'migrations');

/**
 * Applies the checked-in drizzle-kit migrations; safe to run from several processes at once.
 * On a connection of its own without the pool's statement limits: waiting for another process's
 * migration, or a data migration, may take longer than an API request is allowed to.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const client = new Client({ connectionString: database.url, connectionTimeoutMillis: WORKER_POOL_LIMITS.connectionTimeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // drizzle's migrator is not concurrency-safe: an advisory lock serialises API and workers starting together.
    await client.query('select pg_advisory_lock(727274)');
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('select pg_advisory_unlock(727274)').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
