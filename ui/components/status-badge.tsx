import type { AccountStatus, IntegrationState } from '../api-types';

const WORDS: Record<AccountStatus | IntegrationState, string> = {
  active: 'active',
  inactive: 'inactive',
  unchecked: 'not checked yet',
  running: 'running',
  idle: 'waiting',
  paused: 'paused',
  failed: 'failed',
  stopped: 'stopped',
  unknown: 'unknown',
};

/** A state in words (never colour alone): idle is "waiting" for the next run, as users say it. */
export function StatusBadge({ state }: { state: AccountStatus | IntegrationState }) {
  return <span class={`badge badge-${state}`}>{WORDS[state]}</span>;
}
