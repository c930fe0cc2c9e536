import type { Integration } from '../api-types';
import { countsInWords } from '../integrations-data';

/**
 * A run under way, with its counts so far: the workflow adds each page's counts to the last run's
 * as it goes, so a long run shows it moves.
 */
export function RunProgress({ integration }: { integration: Integration }) {
  const s = integration.status;
  if (s?.state !== 'running') return null;
  const sofar = countsInWords(integration, s.lastRunCounts).filter((c) => c.value > 0);
  return (
    <p class="notice progress" role="status">
      Running: {sofar.length === 0 ? 'nothing counted yet' : `${sofar.map((c) => `${c.value} ${c.label}`).join(', ')} so far`}
    </p>
  );
}
