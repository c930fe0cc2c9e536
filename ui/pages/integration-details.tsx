import type { Api } from '../api-client';
import type { ConsoleSettings, Integration, SmsRun } from '../api-types';
import { AutomationsPanel } from '../components/automations-panel';
import { ErrorMessage } from '../components/error-message';
import { HeldRecordsPanel } from '../components/held-records-panel';
import { IntegrationActions } from '../components/integration-actions';
import { IntegrationSummary } from '../components/integration-summary';
import { RunsChart } from '../components/runs-chart';
import { RunProgress } from '../components/run-progress';
import { RunsTable } from '../components/runs-table';
import { SmsMessagesPanel } from '../components/sms-messages-panel';
import { TemporalLink } from '../components/temporal-link';
import { countsInWords } from '../integrations-data';
import { usePoll } from '../poll';
import { hrefOf } from '../router';

/** Kinds whose runs the API keeps one by one (GET /integrations/:id/runs); the others report totals only. */
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
            <section aria-labelledby="last-run-title">
              <h2 id="last-run-title">Last run</h2>
              {i.status?.lastRunCounts ? (
                <table class="table">
                  <caption class="visually-hidden">Counts of the last run</caption>
                  <thead>
                    <tr>
                      <th scope="col">What</th>
                      <th scope="col">Last run</th>
                      <th scope="col">Since created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {countsInWords(i, i.status.lastRunCounts).map((c) => (
                      <tr>
                        <th scope="row">{c.label}</th>
                        <td>{c.value}</td>
                        <td>{i.status?.counts?.[c.key] ?? 0}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p>No run has finished yet.</p>
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
