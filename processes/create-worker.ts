import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityOptions } from '../activities/index';
import type { ActivityDeps } from '../activities/deps';
import { databaseFailureInterceptor } from '../activities/failures';
import { heartbeatOnTimerInterceptor, MAX_HEARTBEAT_THROTTLE } from '../activities/heartbeat-on-timer';

export interface WorkerSetup {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  activityOptions?: ActivityOptions;
  /** A pre-built bundle (tests reuse one); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra worker options (e.g. maxConcurrentActivityTaskExecutions). */
  tuning?: Partial<Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows' | 'shutdownGraceTime'>>;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createWorker(setup: WorkerSetup): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: setup.address });
  const worker = await Worker.create({
    connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: createActivities(setup.deps, setup.activityOptions),
    // Heartbeats on a timer while an activity runs, however long a provider takes to answer; a
    // database error leaves as its kind and code, never with the query's parameters.
    interceptors: { activity: [heartbeatOnTimerInterceptor, databaseFailureInterceptor] },
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: '10s',
    ...setup.tuning,
  });
  return { worker, connection };
}
