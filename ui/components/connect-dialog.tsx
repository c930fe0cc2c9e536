import { useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { Account, SystemView } from '../api-types';
import { connectWithKey, startOAuth } from '../accounts-actions';
import { isOAuth, offersBoth } from '../systems';
import { CredentialForm } from './credential-form';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';

interface Props {
  api: Api;
  system: SystemView;
  onClose: () => void;
  onConnected: (account: Account) => void;
}

/**
 * Connect a new account: the key form for key-based systems, the provider's consent for OAuth ones,
 * and a choice between the two for a system that takes either (Worksection).
 */
export function ConnectDialog({ api, system, onClose, onConnected }: Props) {
  const both = offersBoth(system);
  const [way, setWay] = useState<'key' | 'oauth'>('key');
  return (
    <Dialog title={`Connect ${system.name}`} onClose={onClose}>
      {both && (
        <fieldset class="field">
          <legend>How to connect</legend>
          <div class="choices">
            <label class="choice">
              <input type="radio" name="connect-way" checked={way === 'key'} onChange={() => setWay('key')} /> Admin API key
            </label>
            <label class="choice">
              <input type="radio" name="connect-way" checked={way === 'oauth'} onChange={() => setWay('oauth')} /> Sign in with {system.name}
            </label>
          </div>
        </fieldset>
      )}
      {isOAuth(system) || (both && way === 'oauth') ? (
        <OAuthForm api={api} system={system} onCancel={onClose} askBaseUrl={!both} />
      ) : (
        <CredentialForm system={system} submitLabel="Connect" onCancel={onClose} onSubmit={async (values) => onConnected(await connectWithKey(api, system.id, values))} />
      )}
    </Dialog>
  );
}

/** `askBaseUrl` false: the provider names the account's address itself (Worksection's account_url). */
function OAuthForm({ api, system, onCancel, askBaseUrl }: { api: Api; system: SystemView; onCancel: () => void; askBaseUrl: boolean }) {
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await startOAuth(api, system.id, { name: name.trim(), baseUrl: baseUrl.trim() || undefined });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <form class="form" onSubmit={(e) => void submit(e)}>
      <p>You will sign in at {system.name} and allow access; then you come back here with the account connected.</p>
      <div class="field">
        <label for="oauth-name">
          Account name<span class="required"> (required)</span>
        </label>
        <input id="oauth-name" type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      {askBaseUrl && (
        <div class="field">
          <label for="oauth-base-url">Base URL (optional)</label>
          <input id="oauth-base-url" type="url" placeholder={system.defaultBaseUrl} value={baseUrl} onInput={(e) => setBaseUrl(e.currentTarget.value)} aria-describedby="oauth-base-url-hint" />
          <p class="hint" id="oauth-base-url-hint">
            The provider's API address; leave empty for {system.defaultBaseUrl}
          </p>
        </div>
      )}
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          Continue to {system.name}
        </button>
      </div>
    </form>
  );
}
