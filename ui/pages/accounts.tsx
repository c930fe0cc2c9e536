import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { Account, HubItem, SystemView } from '../api-types';
import { AccountBlock } from '../components/account-block';
import { ErrorMessage } from '../components/error-message';
import { usePoll } from '../poll';
import { loadSystems } from '../systems';

/** Used systems: one block per connected account. */
export function AccountsPage({ api, highlight }: { api: Api; highlight: string | null }) {
  const accounts = usePoll(() => api<{ items: Account[] }>('GET', '/accounts'), [api]);
  const [systems, setSystems] = useState<SystemView[]>([]);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadSystems(api).then(setSystems, (e: unknown) => setError(messageOf(e)));
    // The hub names each functionality as users say it.
    api<{ items: HubItem[] }>('GET', '/hub').then((h) => setLabels(Object.fromEntries(h.items.map((i) => [i.functionality, i.label]))), (e: unknown) => setError(messageOf(e)));
  }, [api]);

  const items = accounts.data?.items ?? [];
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Used systems</h1>
      <ErrorMessage message={accounts.error ?? error} />
      {accounts.data && items.length === 0 && (
        <p>
          No account is connected yet: <a href="#/hub">connect one in the hub</a>.
        </p>
      )}
      <ul class="accounts">
        {items.map((a) => (
          <li key={a.id}>
            <AccountBlock api={api} account={a} system={systems.find((s) => s.id === a.system)} labels={labels} highlighted={a.id === highlight} onChanged={accounts.reload} />
          </li>
        ))}
      </ul>
    </section>
  );
}
