import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import type { ActivityOptions } from '../../activities';
import type { OAuthClients } from '../../connectors/kit/oauth2';
import { RateLimiter } from '../../connectors/kit/rate-limiter';
import { createWorker, WORKFLOWS_PATH } from '../../processes/create-worker';
import { REDACT_PATHS } from '../../lib/logger';
import type { Runtime as AppRuntime } from '../../processes/runtime';
import { SecretBox } from '../../lib/secret-box';
import { startApi, type RunningApi } from '../../processes/service';
import { createTestDatabase } from './database';
import { egressAllow, TEST_EGRESS_ALLOW } from './egress';

let runtimeInstalled = false;
/** The SDK's own logs only at WARN: test output stays readable. */
export function quietTemporalRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundled once per test process; every worker of the file reuses it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return bundle;
}

export function temporalAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup provides it)');
  return address;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface HarnessOptions {
  activityOptions?: ActivityOptions;
  safetyLagSeconds?: number;
  temporalAddress?: string;
  /** A PostgreSQL server of the test's own to make the database on (default: the shared one). */
  postgresUrl?: string;
  /** Start no in-process worker (a test runs its own, e.g. in a child process). */
  noWorker?: boolean;
  /** OAuth clients by system id, as GOOGLE_OAUTH_* would configure them (tests point them at a fake). */
  oauthClients?: OAuthClients;
  /** EGRESS_ALLOW of the service; default 127.0.0.1,localhost, where every fake listens. */
  egressAllow?: string;
  /**
   * The API as `npm run api` runs it (PUBLIC_URL must reach it from outside) with this PUBLIC_URL;
   * by default it runs as in the all-in-one dev mode, where the fakes call back on loopback.
   */
  production?: { publicUrl?: string };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * The real service for one test file: its own database and task queue, the real API on a free
 * port, a real worker against the shared Temporal dev server. Log lines are captured in `logs`.
 */
export async function startHarness(options: HarnessOptions = {}) {
  quietTemporalRuntime();
  const db = await createTestDatabase({ serverUrl: options.postgresUrl });
  const logs: string[] = [];
  const log = pino(
    { level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  const keyRing = [{ id: 'test', key: randomBytes(32) }];
  const runtime: AppRuntime = {
    database: db.database,
    secretBox: new SecretBox(keyRing),
    limiter: new RateLimiter(db.database.pool),
    log,
    egress: egressAllow(options.egressAllow ?? TEST_EGRESS_ALLOW),
    oauthClients: options.oauthClients,
    close: async () => undefined,
  };
  const address = options.temporalAddress ?? temporalAddress();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection });
  const apiToken = randomBytes(18).toString('base64url');
  const api: RunningApi = options.production
    ? await startApi({ PORT: 0, API_TOKEN: apiToken, TEMPORAL_TASK_QUEUE: taskQueue, PUBLIC_URL: options.production.publicUrl }, runtime, temporal)
    : await startApi({ PORT: 0, API_TOKEN: apiToken, TEMPORAL_TASK_QUEUE: taskQueue }, runtime, temporal, { devMode: true });

  const workers: { stop(): Promise<void> }[] = [];
  /** A worker of this release, or of another one when given its workflow bundle (a version-upgrade test). */
  async function addWorker(extra: ActivityOptions | undefined = options.activityOptions, bundle?: WorkflowBundleWithSourceMap) {
    const { worker, connection: nc } = await createWorker({
      address,
      namespace: 'default',
      taskQueue,
      deps: { ...runtime, safetyLagSeconds: options.safetyLagSeconds ?? 0, publicUrl: api.url },
      activityOptions: extra,
      workflowBundle: bundle ?? (await workflowBundle()),
      tuning: { shutdownGraceTime: '2s' },
    });
    const running = worker.run();
    let stopped: Promise<void> | undefined;
    const handle = {
      worker,
      /** Idempotent: a test may stop a worker that close() stops again. */
      stop() {
        stopped ??= (async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
          await nc.close();
        })();
        return stopped;
      },
    };
    workers.push(handle);
    return handle;
  }
  if (!options.noWorker) await addWorker();

  async function request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  return {
    api,
    apiToken,
    request,
    runtime,
    database: db.database,
    databaseUrl: db.url,
    keyRing,
    temporal,
    taskQueue,
    temporalAddress: address,
    logs,
    addWorker,
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
    async close() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await api.close();
      await connection.close();
      await db.drop();
    },
  };
}
