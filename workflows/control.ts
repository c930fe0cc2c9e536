import { defineQuery, defineSignal } from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';

/** Signals and queries every integration workflow answers; the API uses the same definitions. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const runNowSignal = defineSignal('runNow');
export const configChangedSignal = defineSignal('configChanged');
/** Ends the workflow cleanly after the page in flight (integration deleted). */
export const stopSignal = defineSignal('stop');
/** Sent to the integrations set to run "after" another when a run of that one completes. */
export const upstreamRunCompletedSignal = defineSignal<[{ integrationId: string }]>('upstreamRunCompleted');

export type IntegrationState = 'running' | 'idle' | 'paused' | 'failed' | 'stopped';

export interface RunCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  held: number;
  failed: number;
}

/** One finished (or given up) run, as the integration's page charts it. */
export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  /** What started it: its schedule, a request (run now, resume), or the integration it runs after. */
  reason: string;
  counts: RunCounts;
  /** completed; failed (its error); interrupted (paused or stopped part-way, to go on at the next run). */
  outcome: 'completed' | 'failed' | 'interrupted';
  error: string | null;
}

/** Runs a status keeps (newest last): enough for a chart, small enough for every query and continue-as-new. */
export const RECENT_RUNS = 30;

export interface IntegrationStatus<Cursor = unknown> {
  state: IntegrationState;
  /** Where the source stands; each kind has its own shape. */
  cursor: Cursor;
  /** Totals since the integration was created (carried across continue-as-new). */
  counts: RunCounts;
  /** Orders held back by UNAS status because the status map lacks it. */
  heldByStatus: Record<string, number>;
  runs: number;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  lastRunCounts: RunCounts | null;
  nextRunAt: string | null;
  lastError: { message: string; type: string | null; at: string } | null;
  /** Parts of the integration that wait for something outside it (e.g. an archived project), with the reason. */
  blocked?: Record<string, string>;
  /** The last RECENT_RUNS runs, oldest first (absent in workflows started before it was kept). */
  recentRuns?: RunRecord[];
}

export const statusQuery = defineQuery<IntegrationStatus>('status');

export const IntegrationIdKey = defineSearchAttributeKey('IntegrationId', 'KEYWORD');
export const IntegrationKindKey = defineSearchAttributeKey('IntegrationKind', 'KEYWORD');
export const IntegrationStateKey = defineSearchAttributeKey('IntegrationState', 'KEYWORD');

export const workflowIdFor = (integrationId: string) => `integration-${integrationId}`;

export const emptyCounts = (): RunCounts => ({ fetched: 0, created: 0, updated: 0, unchanged: 0, held: 0, failed: 0 });
