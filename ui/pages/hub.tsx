import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { HubItem, SystemView } from '../api-types';
import { ErrorMessage } from '../components/error-message';
import { ConnectDialog } from '../components/connect-dialog';
import { usePoll } from '../poll';
import { loadSystems } from '../systems';

/** The catalogue by functionality: pick one, see the systems that offer it and what is connected, connect another. */
export function HubPage({ api }: { api: Api }) {
  const hub = usePoll(() => api<{ items: HubItem[] }>('GET', '/hub'), [api], null);
  const [systems, setSystems] = useState<SystemView[]>([]);
  const [systemsError, setSystemsError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<SystemView | null>(null);
  useEffect(() => {
    loadSystems(api).then(setSystems, (e: unknown) => setSystemsError(messageOf(e)));
  }, [api]);

  const items = hub.data?.items ?? [];
  const current = items.find((i) => i.functionality === chosen) ?? items[0];
  return (
    <section aria-labelledby="hub-title">
      <h1 id="hub-title">Hub</h1>
      <p class="lead">Pick what you want to connect, then the system that does it.</p>
      <ErrorMessage message={hub.error ?? systemsError} />
      <div class="hub">
        <nav aria-label="Functionalities" class="functionalities">
          <ul>
            {items.map((item) => (
              <li>
                <button type="button" aria-pressed={item === current} onClick={() => setChosen(item.functionality)}>
                  {item.label}
                  <span class="count">
                    {item.systems.length} {item.systems.length === 1 ? 'system' : 'systems'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {current && (
          <div class="systems" aria-live="polite">
            <h2>{current.label}</h2>
            <ul class="cards">
              {current.systems.map((s) => {
                const mine = current.accounts.filter((a) => a.system === s.id);
                const system = systems.find((x) => x.id === s.id);
                return (
                  <li class="card">
                    <h3>{s.name}</h3>
                    <p class="muted">{s.authType === 'oauth2' ? 'Sign in with the provider' : s.oauth ? 'Connect with an API key or sign in with the provider' : 'Connect with an API key'}</p>
                    {mine.length > 0 && (
                      <p>
                        Connected: {mine.map((a) => `${a.name}${a.enabled ? '' : ' (switched off)'}`).join(', ')} · <a href="#/accounts">manage</a>
                      </p>
                    )}
                    <button type="button" class="primary" disabled={!system} onClick={() => system && setConnecting(system)} aria-label={`Connect ${s.name}`}>
                      Connect
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </div>
      {connecting && (
        <ConnectDialog
          api={api}
          system={connecting}
          onClose={() => setConnecting(null)}
          onConnected={() => {
            setConnecting(null);
            location.hash = '#/accounts';
          }}
        />
      )}
    </section>
  );
}
