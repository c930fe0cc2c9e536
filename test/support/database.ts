import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectDatabase, migrateDatabase, type Database } from '../../db/client';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup provides it)');
  return url;
}

/**
 * A fresh, migrated database of its own for one test file, dropped at the end. `migrate: false`
 * leaves it empty, for a test that applies the migrations itself (one checking a data migration);
 * `serverUrl` makes it on another server than the shared one (a test that stops its server).
 */
export async function createTestDatabase(options: { migrate?: boolean; serverUrl?: string } = {}): Promise<{ url: string; database: Database; drop(): Promise<void> }> {
  const admin = options.serverUrl ?? testDatabaseUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = connectDatabase(url);
  if (options.migrate ?? true) await migrateDatabase(database);
  return {
    url,
    database,
    async drop() {
      await database.close().catch(() => undefined);
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
