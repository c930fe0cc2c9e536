import { ConfigError, loadConfig } from '../lib/config';
import { reconcileWorkflows, startApi } from './service';
import { openRuntime } from './runtime';
import { unreachableCallbacksWarning } from './callbacks-warning';
import { connectTemporalClient } from '../lib/temporal';

/** The production API process: configured only by the environment. */
async function main() {
  const config = loadConfig();
  const runtime = await openRuntime(config, 'api');
  const temporal = await connectTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const api = await startApi(config, runtime, temporal);
  const started = await reconcileWorkflows(runtime, temporal, config.TEMPORAL_TASK_QUEUE);
  runtime.log.info({ url: api.url, integrations: started }, 'API listening');
  const unreachable = await unreachableCallbacksWarning(runtime, config.PUBLIC_URL);
  if (unreachable) runtime.log.warn(unreachable);
  const shutdown = async () => {
    await api.close();
    await temporal.connection.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
