import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { Integration, KindView } from '../api-types';
import { ErrorMessage } from '../components/error-message';
import { ApiOnlyForm } from '../forms/api-only-form';
import { CrmAutomationForm } from '../forms/crm-automation-form';
import type { KindFormProps } from '../forms/kind-form-props';
import { OrderSyncForm } from '../forms/order-sync-form';
import { ScenarioForm } from '../forms/scenario-form';
import { SmsSendForm } from '../forms/sms-send-form';
import { loadKinds } from '../kind-views';
import { hrefOf } from '../router';

/** One form per kind; a kind the console does not know yet falls back to saying how to use the API. */
const FORMS: Record<string, ComponentType<KindFormProps>> = {
  'order-sync': OrderSyncForm,
  'crm-automation': CrmAutomationForm,
  'sms-send': SmsSendForm,
  scenario: ScenarioForm,
};

interface Loaded {
  kinds: KindView[];
  existing: Integration | null;
}

/** #/integrations/new[/<kind>] and #/integrations/<id>/edit: picks the kind, then shows its form. */
export function IntegrationFormPage({ api, kind, id }: { api: Api; kind: string | null; id: string | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setLoaded(null);
    setError(null);
    const existing = id ? api<Integration>('GET', `/integrations/${encodeURIComponent(id)}`) : Promise.resolve(null);
    Promise.all([loadKinds(api), existing]).then(([kinds, integration]) => setLoaded({ kinds, existing: integration }), (e: unknown) => setError(messageOf(e)));
  }, [api, kind, id]);

  const kindName = loaded?.existing?.kind ?? kind;
  const view = loaded?.kinds.find((k) => k.kind === kindName);
  const Form = view ? (FORMS[view.kind] ?? ApiOnlyForm) : undefined;
  const title = loaded?.existing ? `Edit ${loaded.existing.name}` : view ? `New ${view.kind} integration` : 'New integration';
  return (
    <section aria-labelledby="form-title">
      <p>
        <a href={loaded?.existing ? hrefOf({ page: 'integration', id: loaded.existing.id }) : '#/integrations'}>← Back</a>
      </p>
      <h1 id="form-title">{title}</h1>
      <ErrorMessage message={error} />
      {loaded && !kindName && <KindChooser kinds={loaded.kinds} />}
      {loaded && kindName && !view && <ErrorMessage message={`No kind of integration is called "${kindName}".`} />}
      {loaded && view && Form && <Form api={api} kind={view} existing={loaded.existing} onSaved={(saved) => (location.hash = hrefOf({ page: 'integration', id: saved }))} />}
    </section>
  );
}

function KindChooser({ kinds }: { kinds: KindView[] }) {
  return (
    <ul class="kinds">
      {kinds.map((k) => (
        <li key={k.kind}>
          <article class="card" aria-labelledby={`kind-${k.kind}`}>
            <h2 id={`kind-${k.kind}`}>
              <a href={hrefOf({ page: 'new-integration', kind: k.kind })}>{k.kind}</a>
            </h2>
            <p>{k.description}</p>
            <p class="muted">
              {k.source.join(', ')} → {k.target.join(', ')}
            </p>
          </article>
        </li>
      ))}
    </ul>
  );
}
