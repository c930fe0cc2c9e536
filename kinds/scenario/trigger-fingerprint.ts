import { createHash } from 'node:crypto';
import type { ScenarioConfig } from './config';

/** The trigger and its input: a cursor (or a boundary) is only read back by the trigger that wrote it. */
export function triggerFingerprint(trigger: ScenarioConfig['trigger']): string {
  return createHash('sha256').update(JSON.stringify([trigger.trigger, sortKeys(trigger.input)])).digest('base64url');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
