import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '../db/embedded';
import { startTemporalDevServer, type DevServer } from '../lib/dev/temporal-dev-server';
import { reportFigures, type Figure } from './figures';

/**
 * The real services a benchmark measures against, as the tests get them: a Temporal dev server on
 * a SQLite file of its own, and PostgreSQL from DATABASE_URL or the embedded one. Runs `body`,
 * hands its figures to `npm run bench` (when it runs this one), then stops them; prints the error
 * and exits 1 if anything fails.
 */
export function runBench(name: string, body: (services: { temporal: DevServer; databaseUrl: string }) => Promise<Figure[]>): void {
  const main = async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
    const temporal = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: path.join(dir, 'temporal.db') });
    const pg = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(path.resolve('.cache', 'bench-postgres'));
    process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL ?? pg!.url;
    try {
      reportFigures(name, await body({ temporal, databaseUrl: process.env.TEST_DATABASE_URL }));
    } finally {
      await temporal.stop();
      await pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
