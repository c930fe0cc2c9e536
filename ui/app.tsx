import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api-client';
import type { ConsoleSettings } from './api-types';
import { Notice } from './components/notice';
import { AccountsPage } from './pages/accounts';
import { HubPage } from './pages/hub';
import { IntegrationDetailsPage } from './pages/integration-details';
import { IntegrationFormPage } from './pages/integration-form';
import { IntegrationsPage } from './pages/integrations';
import { SignInPage } from './pages/sign-in';
import { hrefOf, useRoute, type Route } from './router';
import { session } from './session';

const TITLES: Record<Route['page'], string> = {
  hub: 'Hub',
  accounts: 'Used systems',
  integrations: 'Integrations',
  integration: 'Integration',
  'new-integration': 'New integration',
  'edit-integration': 'Edit integration',
};
const NAV: Route[] = [{ page: 'hub' }, { page: 'accounts' }, { page: 'integrations' }];

/** What the OAuth callback appended on the way back (?connected=<account id>), read once and removed from the address. */
function takeConnected(): string | null {
  const params = new URLSearchParams(location.search);
  const id = params.get('connected');
  if (id) history.replaceState(null, '', `${location.pathname}${location.hash}`);
  return id;
}

async function loadSettings(): Promise<ConsoleSettings> {
  const res = await fetch('/ui/settings.json');
  return (await res.json()) as ConsoleSettings;
}

export function App() {
  const [token, setToken] = useState(session.token);
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);
  const [connected] = useState(takeConnected);
  const [settings, setSettings] = useState<ConsoleSettings | null>(null);
  const route = useRoute();
  const api = useMemo(
    () =>
      token
        ? createApi(token, (reason) => {
            session.signOut();
            setSignedOutReason(`Signed out: ${reason}`);
            setToken(null);
          })
        : null,
    [token],
  );
  useEffect(() => {
    void loadSettings().then(setSettings, () => setSettings({ temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default' }));
  }, []);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Integrations console`;
  }, [route.page]);

  if (!token || !api) {
    return (
      <SignInPage
        reason={signedOutReason}
        onSignedIn={(t) => {
          session.signIn(t);
          setSignedOutReason(null);
          setToken(t);
        }}
      />
    );
  }
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Integrations</span>
        <nav aria-label="Console">
          <ul>
            {NAV.map((r) => (
              <li>
                <a href={hrefOf(r)} aria-current={route.page === r.page || (r.page === 'integrations' && route.page.includes('integration')) ? 'page' : undefined}>
                  {TITLES[r.page]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="sign-out"
          onClick={() => {
            session.signOut();
            setToken(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {connected && route.page === 'accounts' && <Notice api={api} accountId={connected} />}
        {route.page === 'hub' && <HubPage api={api} />}
        {route.page === 'accounts' && <AccountsPage api={api} highlight={connected} />}
        {route.page === 'integrations' && <IntegrationsPage api={api} settings={settings} />}
        {route.page === 'integration' && <IntegrationDetailsPage api={api} id={route.id} settings={settings} />}
        {route.page === 'new-integration' && <IntegrationFormPage api={api} kind={route.kind} id={null} />}
        {route.page === 'edit-integration' && <IntegrationFormPage api={api} kind={null} id={route.id} />}
      </main>
    </div>
  );
}
