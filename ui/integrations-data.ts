import type { Api } from './api-client';
import type { Integration, RunCounts } from './api-types';

/** The list has no live status: each integration's own GET asks its workflow. */
export async function loadIntegrations(api: Api): Promise<Integration[]> {
  const { items } = await api<{ items: Integration[] }>('GET', '/integrations');
  return Promise.all(items.map((i) => api<Integration>('GET', `/integrations/${i.id}`).catch(() => i)));
}

export const COUNT_KEYS: (keyof RunCounts)[] = ['fetched', 'created', 'updated', 'unchanged', 'held', 'failed'];

/** The counts in the kind's own words (countLabels), the ones that happened first. */
export function countsInWords(integration: Integration, counts: RunCounts | null | undefined): { key: keyof RunCounts; label: string; value: number }[] {
  if (!counts) return [];
  // A kind says "not used" for a count it never moves (sms-send updates nothing): not worth a line.
  return COUNT_KEYS.map((key) => ({ key, label: integration.countLabels?.[key] ?? key, value: counts[key] ?? 0 })).filter((c) => c.label !== 'not used' || c.value !== 0);
}

export function workflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
