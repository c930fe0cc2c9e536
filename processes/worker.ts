import { ConfigError, loadConfig, workerEnvSchema } from '../lib/config';
import { openRuntime } from './runtime';
import { startWorker } from './service';
import { unreachableCallbacksWarning } from './callbacks-warning';

/** A production worker process; run as many as the load needs, all on the one task queue. */
async function main() {
  const config = loadConfig(process.env, workerEnvSchema);
  const runtime = await openRuntime(config, 'worker');
  const pageSize = process.env.ORDER_SYNC_PAGE_SIZE ? Number(process.env.ORDER_SYNC_PAGE_SIZE) : undefined;
  const chunkSize = process.env.SMS_CHUNK_SIZE ? Number(process.env.SMS_CHUNK_SIZE) : undefined;
  const unreachable = await unreachableCallbacksWarning(runtime, config.PUBLIC_URL);
  if (unreachable) runtime.log.warn(unreachable);
  const worker = await startWorker(config, runtime, { orderSync: { pageSize }, smsSend: { chunkSize } });
  runtime.log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker running');
  const shutdown = async () => {
    await worker.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await worker.running;
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
