import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { DependentsActivities } from '../activities/dependents';
import { RETRY } from './activity-options';
import { upstreamRunCompletedSignal, workflowIdFor } from './control';

const { findDependentIntegrations } = proxyActivities<DependentsActivities>({
  startToCloseTimeout: '1 minute',
  retry: RETRY,
});

/** Tells the integrations set to run "after" this one that a run of it has completed. */
export async function signalDependents(integrationId: string): Promise<void> {
  for (const id of await findDependentIntegrations({ integrationId })) {
    try {
      await getExternalWorkflowHandle(workflowIdFor(id)).signal(upstreamRunCompletedSignal, { integrationId });
    } catch {
      // A dependent whose workflow is gone (deleted meanwhile) simply misses this run.
    }
  }
}
