import type { Api } from '../api-client';
import type { ConsoleSettings, Integration, SmsRun } from '../api-types';
import { AutomationsPanel } from '../components/automations-panel';
import { ErrorMessage } from '../components/error-message';
import { HeldRecordsPanel } from '../components/held-records-panel';
import { IntegrationActions } from '../components/integration-actions';
import { IntegrationSummary } from '../components/integration-summary';
import { RecentRuns } from '../components/recent-runs';
import { RunsChart } from '../components/runs-chart';
import { RunProgress } from '../components/run-progress';
import { RunsTable } from '../components/runs-table';
import { SmsMessagesPanel } from '../components/sms-messages-panel';
import { TemporalLink } from '../components/temporal-link';
import { countsInWords } from '../integrations-data';
import { usePoll } from '../poll';
import { hrefOf } from '../router';

/** Kinds whose runs a table keeps (GET /integrations/:id/runs); the others show the runs their workflow keeps in its status. */
const KEEPS_RUNS = new Set(['sms-send']);

interface Details {
  integration: Integration;
  runs: SmsRun[] | null;
}

async function loadDetails(api: Api, id: string): Promise<Details> {
  const integration = await api<Integration>('GET', `/integrations/${encodeURIComponent(id)}`);
  const runs = KEEPS_RUNS.has(integration.kind) ? (await api<{ items: SmsRun[] }>('GET', `/integrations/${encodeURIComponent(id)}/runs?limit=50`)).items : null;
  return { integration, runs };
}

export function IntegrationDetailsPage({ api, id, settings }: { api: Api; id: string; settings: ConsoleSettings | null }) {
  const details = usePoll(() => loadDetails(api, id), [api, id]);
  const i = details.data?.integration;
  return (
    <section aria-labelledby="details-title">
      <p>
        <a href="#/integrations">← All integrations</a>
      </p>
      <h1 id="details-title">{i ? i.name : 'Integration'}</h1>
      <ErrorMessage message={details.error} />
      {i && (
        <>
          <p class="muted kind">{i.kind}</p>
          <div class="card">
            <IntegrationSummary integration={i} />
            <RunProgress integration={i} />
            <IntegrationActions api={api} integration={i} onChanged={details.reload} onDeleted={() => (location.hash = '#/integrations')} />
            <TemporalLink settings={settings} integration={i} />
            <p>
              <a href={hrefOf({ page: 'edit-integration', id: i.id })}>Edit {i.name}</a>
            </p>
          </div>
          {details.data?.runs ? (
            <section aria-labelledby="runs-title">
              <h2 id="runs-title">Runs</h2>
              <RunsChart runs={details.data.runs} />
              <RunsTable runs={details.data.runs} />
            </section>
          ) : (
            <section aria-labelledby="runs-title">
              <h2 id="runs-title">Runs</h2>
              <RecentRuns integration={i} />
              {i.status?.counts && (
                <p class="muted">
                  Since created:{' '}
                  {countsInWords(i, i.status.counts)
                    .map((c) => `${c.value} ${c.label}`)
                    .join(' · ')}
                </p>
              )}
            </section>
          )}
          {i.kind === 'sms-send' && <SmsMessagesPanel api={api} integrationId={i.id} />}
          {i.kind === 'scenario' && <HeldRecordsPanel api={api} integrationId={i.id} onRetried={details.reload} />}
          {i.kind === 'crm-automation' && <AutomationsPanel api={api} integration={i} onChanged={details.reload} />}
        </>
      )}
    </section>
  );
}
