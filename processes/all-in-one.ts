import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { ConfigError, StartupError, loadConfig } from '../lib/config';
import { isListening, registerSearchAttributes, startTemporalDevServer, type DevServer } from '../lib/dev/temporal-dev-server';
import { openRuntime } from './runtime';
import { reconcileWorkflows, startApi, startWorker } from './service';
import { connectTemporalClient } from '../lib/temporal';
import { publicUrlProblem } from '../lib/public-url';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A value from the environment, else one generated once and kept in the data folder. */
function persistent(dataDir: string, file: string, make: () => string): string {
  const full = path.join(dataDir, file);
  if (fs.existsSync(full)) return fs.readFileSync(full, 'utf8').trim();
  const value = make();
  fs.writeFileSync(full, `${value}\n`, { mode: 0o600 });
  return value;
}

const USAGE = 'npm start [-- --temporal-address host:port]';

/** The one flag: use the Temporal server at host:port instead of starting a dev server. */
function parseFlags(argv: string[]): { temporalAddress?: string } {
  try {
    const { values } = parseArgs({ args: argv, options: { 'temporal-address': { type: 'string' } }, strict: true, allowPositionals: false });
    const address = values['temporal-address'];
    if (address !== undefined && !/^\S+:\d+$/.test(address)) throw new StartupError(`--temporal-address wants host:port, got "${address}" (${USAGE}).`);
    return { temporalAddress: address };
  } catch (e) {
    if (e instanceof StartupError) throw e;
    throw new StartupError(`${e instanceof Error ? e.message : String(e)} (${USAGE}).`);
  }
}

/** A free port when `wanted` is taken, said on one line; `wanted` otherwise. */
async function portFor(what: string, wanted: number, hint: string): Promise<number> {
  if (!(await isListening(wanted))) return wanted;
  const port = await freePort();
  say(`127.0.0.1:${wanted} is already taken by another process, so the ${what} uses 127.0.0.1:${port}${hint}`);
  return port;
}

/**
 * `npm start`: the whole service in one process on embedded defaults — a Temporal dev server
 * (persistent SQLite file), an embedded PostgreSQL, the API and a worker — for a first look.
 * Production runs `npm run api` and `npm run worker` against real servers instead.
 */
async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const dataDir = path.resolve(process.env.DATA_DIR ?? 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.API_TOKEN ||= persistent(dataDir, 'api-token', () => randomBytes(24).toString('base64url'));
  if (!env.ENCRYPTION_KEYS) {
    env.ENCRYPTION_KEYS = persistent(dataDir, 'encryption-keys', () => `k1:${randomBytes(32).toString('base64')}`);
    say(`Using the encryption key in ${path.join(dataDir, 'encryption-keys')} (set ENCRYPTION_KEYS in production).`);
  }

  let postgres: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    say(`Starting embedded PostgreSQL in ${path.join(dataDir, 'postgres')}…`);
    postgres = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), { log: say });
    env.DATABASE_URL = postgres.url;
  }

  // A Temporal server we did not start is used only when named: --temporal-address, else TEMPORAL_ADDRESS.
  let temporalServer: DevServer | undefined;
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  let uiUrl = env.TEMPORAL_UI_URL;
  let temporalOrigin: string;
  const named = flags.temporalAddress ?? env.TEMPORAL_ADDRESS;
  if (named) {
    const source = flags.temporalAddress ? '--temporal-address' : 'TEMPORAL_ADDRESS';
    temporalOrigin = `the server named by ${source}`;
    env.TEMPORAL_ADDRESS = named;
    say(`Using the Temporal server at ${named} (${source}); no dev server is started.`);
    try {
      await registerSearchAttributes(named, namespace);
    } catch (e) {
      throw new StartupError(`Cannot use the Temporal server at ${named} (${source}): ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    }
  } else {
    // The dev server's usual ports; TEMPORAL_DEV_PORT / TEMPORAL_DEV_UI_PORT move them (tests do).
    // Whatever already listens there is not ours: it is never joined silently (its namespace and
    // task queue may be someone else's), our own server starts on a free port instead.
    const wantedPort = Number(env.TEMPORAL_DEV_PORT ?? 7233);
    const devPort = await portFor('Temporal dev server', wantedPort, ` (to use the server on ${wantedPort} instead: npm start -- --temporal-address 127.0.0.1:${wantedPort}, or set TEMPORAL_ADDRESS).`);
    const devUiPort = await portFor('Temporal UI', Number(env.TEMPORAL_DEV_UI_PORT ?? 8233), '.');
    say(`Starting the Temporal dev server on 127.0.0.1:${devPort} (state in ${path.join(dataDir, 'temporal.db')})…`);
    temporalServer = await startTemporalDevServer({ port: devPort, uiPort: devUiPort, dbFile: path.join(dataDir, 'temporal.db'), namespace, log: say });
    env.TEMPORAL_ADDRESS = temporalServer.address;
    uiUrl = temporalServer.uiUrl ?? undefined;
    // The console's workflow links go to the UI this dev server actually serves.
    if (uiUrl) env.TEMPORAL_UI_URL = uiUrl;
    temporalOrigin = 'the dev server npm start runs';
  }

  const config = loadConfig(env);
  const runtime = await openRuntime(config, 'service');
  const temporal = await connectTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  say('Bundling workflows and starting the worker…');
  const worker = await startWorker(config, runtime);
  // The dev mode: a loopback PUBLIC_URL is accepted (said below), so sms-send can be tried locally.
  const api = await startApi(config, runtime, temporal, { devMode: true });
  const resumed = await reconcileWorkflows(runtime, temporal, config.TEMPORAL_TASK_QUEUE);

  say('');
  say(`  Console      ${api.url}/   (open it in a browser and paste the token below)`);
  say(`  API          ${api.url}   (OpenAPI: ${api.url}/openapi.json)`);
  say(`  API token    ${config.API_TOKEN}   (the first admin; POST /clients gives each program its own)`);
  say(`  Temporal UI  ${uiUrl ?? 'see your Temporal deployment'}`);
  say(`  Temporal     ${config.TEMPORAL_ADDRESS}, ${temporalOrigin} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})`);
  say(`  Integrations ${resumed} running`);
  const callbacks = publicUrlProblem(config.PUBLIC_URL);
  if (callbacks) {
    say('');
    say(`PUBLIC_URL ${callbacks}: 8x8's delivery receipts can't reach this service (callbacks go to ${(config.PUBLIC_URL ?? api.url).replace(/\/+$/, '')}),`);
    say(`so an SMS left in doubt by a crash is resent after ${config.SMS_DOUBT_WAIT_SECONDS} s. Fine for a trial; production sets PUBLIC_URL to the API's public https address.`);
  }
  say('');
  say('Ctrl-C stops everything; the next start resumes every integration where it was.');

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    await api.close();
    await worker.stop();
    await temporal.connection.close();
    await runtime.close();
    await temporalServer?.stop();
    await postgres?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await worker.running;
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError || e instanceof StartupError ? e.message : e);
  process.exit(1);
});
