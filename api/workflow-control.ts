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
  forget(row.id);
  await withDeadline(temporal, () => temporal.workflow.start(workflowOf(row), startOptions(taskQueue, row)));
}

function workflowOf(row: Pick<IntegrationRow, 'kind'>) {
  const kind = getKind(row.kind);
  if (!kind) throw new Error(`unknown integration kind ${row.kind}`);
  return kind.workflow;
}

const startOptions = (taskQueue: string, row: Pick<IntegrationRow, 'id' | 'kind'>) => ({
  taskQueue,
  workflowId: workflowIdFor(row.id),
  args: [{ integrationId: row.id }] as [{ integrationId: string }],
  workflowIdConflictPolicy: 'USE_EXISTING' as const,
  typedSearchAttributes: [
    { key: IntegrationIdKey, value: row.id },
    { key: IntegrationKindKey, value: row.kind },
    { key: IntegrationStateKey, value: 'idle' },
  ],
});

/**
 * Signals an integration's workflow, starting it first if it is not running (a service restored
 * from a backup, a workflow terminated by hand): one call to Temporal where ensureWorkflow and
 * signal would take two.
 */
export async function signalWithStart(temporal: Client, taskQueue: string, row: Pick<IntegrationRow, 'id' | 'kind'>, name: ControlSignal): Promise<void> {
  forget(row.id);
  // A running workflow is signalled whatever the conflict policy: the server's default is kept.
  const { workflowIdConflictPolicy: _running, ...options } = startOptions(taskQueue, row);
  await withDeadline(temporal, () => temporal.workflow.signalWithStart(workflowOf(row), { ...options, signal: name, signalArgs: [] }));
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

type ControlSignal = 'pause' | 'resume' | 'runNow' | 'configChanged';

export async function signal(temporal: Client, integrationId: string, name: ControlSignal): Promise<void> {
  forget(integrationId);
  await withDeadline(temporal, () => temporal.workflow.getHandle(workflowIdFor(integrationId)).signal(name));
}

/** Asks the workflow to finish after the page in flight; terminates it if it does not within the grace period. */
export async function stopWorkflow(temporal: Client, integrationId: string, graceMs = 30_000): Promise<void> {
  forget(integrationId);
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

/**
 * How old a status the API may answer with. A query is a round trip through Temporal to the
 * worker, which answers queries between its workflow tasks: fifty clients polling a few
 * integrations would queue hundreds of them. Within this age, and while one is in flight, callers
 * share one answer. A signal sent through this process forgets the integration's answer, so a
 * pause is seen at once by the client that paused; another API process may lag by this much.
 */
export const STATUS_MAX_AGE_MS = 1_000;

const recent = new Map<string, { at: number; status: Promise<LiveStatus> }>();

function forget(integrationId: string): void {
  recent.delete(integrationId);
}

/** The workflow's status (queryStatus), shared between callers within STATUS_MAX_AGE_MS; an unknown status is never shared. */
export function sharedStatus(temporal: Client, integrationId: string): Promise<LiveStatus> {
  const hit = recent.get(integrationId);
  if (hit && Date.now() - hit.at < STATUS_MAX_AGE_MS) return hit.status;
  const entry = { at: Date.now(), status: queryStatus(temporal, integrationId) };
  recent.set(integrationId, entry);
  const drop = () => {
    if (recent.get(integrationId) === entry) recent.delete(integrationId);
  };
  entry.status.then((s) => {
    if (s.state === 'unknown') drop();
    else setTimeout(drop, STATUS_MAX_AGE_MS).unref();
  }, drop);
  return entry.status;
}
