import type { Api } from '../api-client';
import type { ConsoleSettings } from '../api-types';
import { ErrorMessage } from '../components/error-message';
import { IntegrationActions } from '../components/integration-actions';
import { IntegrationSummary } from '../components/integration-summary';
import { TemporalLink } from '../components/temporal-link';
import { loadIntegrations } from '../integrations-data';
import { usePoll } from '../poll';
import { hrefOf } from '../router';

/** Every integration with its live state, refreshed while the page is visible. */
export function IntegrationsPage({ api, settings }: { api: Api; settings: ConsoleSettings | null }) {
  const list = usePoll(() => loadIntegrations(api), [api]);
  const items = list.data ?? [];
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <p>
        <a class="button" href={hrefOf({ page: 'new-integration', kind: null })}>
          New integration
        </a>
      </p>
      <ErrorMessage message={list.error} />
      {list.data && items.length === 0 && <p>No integration yet: create one above, after connecting its accounts in the hub.</p>}
      <ul class="integrations">
        {items.map((i) => (
          <li key={i.id}>
            <article class="card integration" aria-labelledby={`integration-${i.id}`}>
              <header>
                <h2 id={`integration-${i.id}`}>
                  <a href={hrefOf({ page: 'integration', id: i.id })}>{i.name}</a>
                </h2>
                <p class="muted kind">{i.kind}</p>
              </header>
              <IntegrationSummary integration={i} />
              <IntegrationActions api={api} integration={i} onChanged={list.reload} onDeleted={() => void list.reload()} />
              <TemporalLink settings={settings} integration={i} />
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
