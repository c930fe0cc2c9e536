import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { createApp } from '../api/app';
import { ensureWorkflow } from '../api/workflow-control';
import type { ActivityOptions } from '../activities';
import { workflowBundleFile } from './workflow-bundle';
import { createWorker } from './create-worker';
import { integrations } from '../db/schema';
import type { AppConfig, WorkerConfig } from '../lib/config';
import { publicUrlProblem as publicUrlProblemOf } from '../lib/public-url';
import type { Runtime } from './runtime';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP API on config.PORT (0 = any free port). Outside the all-in-one dev mode (`devMode`),
 * integrations that need provider callbacks are refused while PUBLIC_URL cannot receive them.
 */
export async function startApi(
  config: Pick<AppConfig, 'PORT' | 'API_TOKEN' | 'TEMPORAL_TASK_QUEUE' | 'PUBLIC_URL'> & Partial<Pick<AppConfig, 'TEMPORAL_UI_URL'>>,
  runtime: Runtime,
  temporal: Client,
  options: { devMode?: boolean } = {},
): Promise<RunningApi> {
  // The own address is known only once listening (PORT may be 0).
  let ownUrl = `http://127.0.0.1:${config.PORT}`;
  const publicUrl = () => (config.PUBLIC_URL ?? ownUrl).replace(/\/+$/, '');
  const publicUrlProblem = options.devMode ? undefined : () => publicUrlProblemOf(config.PUBLIC_URL);
  const app = createApp({ ...runtime, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, apiToken: config.API_TOKEN, publicUrl, publicUrlProblem, temporalUiUrl: config.TEMPORAL_UI_URL });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, '0.0.0.0', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  ownUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Every enabled integration in the database has its workflow: after a restore, a lost Temporal
 * database or a manual terminate, the service starts what is missing (a running one is left alone).
 */
export async function reconcileWorkflows(runtime: Runtime, temporal: Client, taskQueue: string): Promise<number> {
  const rows = await runtime.database.db.select({ id: integrations.id, kind: integrations.kind }).from(integrations).where(eq(integrations.enabled, true));
  for (const row of rows) await ensureWorkflow(temporal, taskQueue, row);
  return rows.length;
}

export async function startWorker(
  config: Pick<WorkerConfig, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'SYNC_SAFETY_LAG_SECONDS' | 'PUBLIC_URL' | 'SMS_DOUBT_WAIT_SECONDS'> & Partial<Pick<WorkerConfig, 'WORKER_MAX_CACHED_WORKFLOWS'>> & { PORT?: number },
  runtime: Runtime,
  activityOptions?: ActivityOptions,
): Promise<{ worker: Worker; running: Promise<void>; stop(): Promise<void> }> {
  const workflowBundle = await workflowBundleFile((line) => runtime.log.info(line));
  const { worker, connection } = await createWorker({
    workflowBundle,
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // Without PUBLIC_URL, receipts are sent to the API on this host (the all-in-one npm start).
    deps: { ...runtime, safetyLagSeconds: config.SYNC_SAFETY_LAG_SECONDS, publicUrl: config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT ?? 3000}` },
    activityOptions: { ...activityOptions, smsSend: { doubtWaitSeconds: config.SMS_DOUBT_WAIT_SECONDS, ...activityOptions?.smsSend } },
    tuning: config.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS } : {},
  });
  const running = worker.run();
  return {
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
