import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { IntegrationRow } from '../db/schema';
import { getKind } from '../kinds';
import {
  IntegrationIdKey,
  IntegrationKindKey,
  IntegrationStateKey,
  statusQuery,
  stopSignal,
  workflowIdFor,
  type IntegrationStatus,
} from '../workflows/control';

/**
 * Starts an integration's workflow, or leaves the running one alone (USE_EXISTING): safe to call
 * on every create and at every start of the service.
 */
export async function ensureWorkflow(temporal: Client, taskQueue: string, row: Pick<IntegrationRow, 'id' | 'kind'>): Promise<void> {
  const kind = getKind(row.kind);
  if (!kind) throw new Error(`unknown integration kind ${row.kind}`);
  await temporal.workflow.start(kind.workflow, {
    taskQueue,
    workflowId: workflowIdFor(row.id),
    args: [{ integrationId: row.id }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: IntegrationIdKey, value: row.id },
      { key: IntegrationKindKey, value: row.kind },
      { key: IntegrationStateKey, value: 'idle' },
    ],
  });
}

export type LiveStatus = IntegrationStatus | { state: 'unknown'; reason: string };

/** The workflow's own status; a missing worker must not hang the API, so the query has a deadline. */
export async function queryStatus(temporal: Client, integrationId: string, timeoutMs = 5_000): Promise<LiveStatus> {
  const handle = temporal.workflow.getHandle(workflowIdFor(integrationId));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handle.query(statusQuery),
      new Promise<LiveStatus>((resolve) => {
        timer = setTimeout(() => resolve({ state: 'unknown', reason: `no worker answered within ${timeoutMs / 1000} s` }), timeoutMs);
      }),
    ]);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { state: 'unknown', reason: 'the workflow does not exist' };
    return { state: 'unknown', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

export async function signal(temporal: Client, integrationId: string, name: 'pause' | 'resume' | 'runNow' | 'configChanged'): Promise<void> {
  await temporal.workflow.getHandle(workflowIdFor(integrationId)).signal(name);
}

/** Asks the workflow to finish after the page in flight; terminates it if it does not within the grace period. */
export async function stopWorkflow(temporal: Client, integrationId: string, graceMs = 30_000): Promise<void> {
  const handle = temporal.workflow.getHandle(workflowIdFor(integrationId));
  try {
    await handle.signal(stopSignal);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return;
    throw e;
  }
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    handle.result().then(() => true, () => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) await handle.terminate('integration deleted; did not stop within the grace period').catch(() => undefined);
}
