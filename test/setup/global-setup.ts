import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { startTemporalDevServer, type DevServer } from '../../lib/dev/temporal-dev-server';

declare global {
  // Shared between global setup and teardown (same process).
  var __testServices: { temporal?: DevServer; postgres?: EmbeddedDatabase; tmp: string } | undefined;
}

/**
 * Real parts for every test: a Temporal dev server from the CLI cache (installed on first use)
 * and PostgreSQL from DATABASE_URL, else the embedded server. Each test file then makes its own
 * database and task queue (test/support/harness.ts), so files run in parallel without meeting.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'integrations-test-'));
  const services: NonNullable<typeof globalThis.__testServices> = { tmp };
  globalThis.__testServices = services;

  if (!process.env.TEST_TEMPORAL_ADDRESS) {
    const started = Date.now();
    services.temporal = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: path.join(tmp, 'temporal.db'), log });
    process.env.TEST_TEMPORAL_ADDRESS = services.temporal.address;
    log(`Temporal dev server on ${services.temporal.address} (${Date.now() - started} ms)`);
  }
  if (!process.env.TEST_DATABASE_URL) {
    if (process.env.DATABASE_URL) {
      process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    } else {
      // Kept between runs (git-ignored) so only the first run pays for initdb.
      const dir = path.resolve(__dirname, '..', '..', '.cache', 'test-postgres');
      services.postgres = await startEmbeddedPostgres(dir, { log });
      process.env.TEST_DATABASE_URL = services.postgres.url;
      log(`embedded PostgreSQL at ${dir}`);
    }
  }
}
