import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { IntegrationRow } from '../db/schema';
import { DependencyUnavailableError, unavailableDependency } from './outages';
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
 * How long the API waits on Temporal for one call. Without a deadline the client retries an
 * unreachable server for a long while and the HTTP request hangs; past it the call fails with
 * DEADLINE_EXCEEDED, which the problem handler answers with a 503.
 */
export const TEMPORAL_CALL_MS = 5_000;

/** Runs Temporal calls with a deadline. */
export const withDeadline = <T>(temporal: Client, fn: () => Promise<T>, ms = TEMPORAL_CALL_MS): Promise<T> => temporal.withDeadline(Date.now() + ms, fn);

/** Whether Temporal answers at all (its namespace, a cheap call), within `ms`; the reason when not. */
export async function temporalReachable(temporal: Client, ms = 3_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await withDeadline(temporal, () => temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace }), ms);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: unavailableDependency(e)?.message ?? (e instanceof Error ? e.message : String(e)) };
  }
}

/**
 * Starts an integration's workflow, or leaves the running one alone (USE_EXISTING): safe to call
 * on every create and at every start of the service.
 */
export async function ensureWorkflow(temporal: Client, taskQueue: string, row: Pick<IntegrationRow, 'id' | 'kind'>): Promise<void> {
  const kind = getKind(row.kind);
  if (!kind) throw new Error(`unknown integration kind ${row.kind}`);
  await withDeadline(temporal, () => temporal.workflow.start(kind.workflow, {
    taskQueue,
    workflowId: workflowIdFor(row.id),
    args: [{ integrationId: row.id }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: IntegrationIdKey, value: row.id },
      { key: IntegrationKindKey, value: row.kind },
      { key: IntegrationStateKey, value: 'idle' },
    ],
  }));
}

export type LiveStatus = IntegrationStatus | { state: 'unknown'; reason: string };

/**
 * The workflow's own status; a missing worker must not hang the API, so the query has a deadline.
 * A query that fails or times out is told apart: Temporal itself down throws (a 503), a workflow
 * without a worker to answer is an `unknown` status.
 */
export async function queryStatus(temporal: Client, integrationId: string, timeoutMs = 5_000): Promise<LiveStatus> {
  const handle = temporal.workflow.getHandle(workflowIdFor(integrationId));
  let timer: NodeJS.Timeout | undefined;
  let status: LiveStatus;
  try {
    status = await Promise.race([
      withDeadline(temporal, () => handle.query(statusQuery), timeoutMs + 1_000),
      new Promise<LiveStatus>((resolve) => {
        timer = setTimeout(() => resolve({ state: 'unknown', reason: `no worker answered within ${timeoutMs / 1000} s` }), timeoutMs);
      }),
    ]);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { state: 'unknown', reason: 'the workflow does not exist' };
    status = { state: 'unknown', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
  if (status.state !== 'unknown') return status;
  const reachable = await temporalReachable(temporal);
  if (!reachable.ok) throw new DependencyUnavailableError('Temporal', reachable.reason.replace(/^Temporal is unreachable: /, ''));
  return status;
}

export async function signal(temporal: Client, integrationId: string, name: 'pause' | 'resume' | 'runNow' | 'configChanged'): Promise<void> {
  await withDeadline(temporal, () => temporal.workflow.getHandle(workflowIdFor(integrationId)).signal(name));
}

/** Asks the workflow to finish after the page in flight; terminates it if it does not within the grace period. */
export async function stopWorkflow(temporal: Client, integrationId: string, graceMs = 30_000): Promise<void> {
  const handle = temporal.workflow.getHandle(workflowIdFor(integrationId));
  try {
    await withDeadline(temporal, () => handle.signal(stopSignal));
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
  if (!finished) await withDeadline(temporal, () => handle.terminate('integration deleted; did not stop within the grace period')).catch(() => undefined);
}
