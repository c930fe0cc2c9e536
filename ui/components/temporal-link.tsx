import type { ConsoleSettings, Integration } from '../api-types';
import { workflowUrl } from '../integrations-data';

/** The operator's way in: this integration's workflow in the Temporal UI (TEMPORAL_UI_URL). */
export function TemporalLink({ settings, integration }: { settings: ConsoleSettings | null; integration: Integration }) {
  if (!settings) return null;
  return (
    <p class="temporal-link">
      <a href={workflowUrl(settings.temporalUiUrl, settings.namespace, integration.workflowId)} target="_blank" rel="noopener noreferrer">
        Workflow {integration.workflowId} in the Temporal UI<span class="visually-hidden"> (opens in a new tab)</span>
      </a>
    </p>
  );
}
