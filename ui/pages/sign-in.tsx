import { useState } from 'preact/hooks';
import { messageOf, tryToken } from '../api-client';
import { ErrorMessage } from '../components/error-message';

/** Paste an API token; it is tried against the API before it is kept, and the API's refusal is shown as it says it. */
export function SignInPage({ reason, onSignedIn }: { reason: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(reason);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await tryToken(token.trim());
      onSignedIn(token.trim());
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in" id="main">
      <h1>Integrations console</h1>
      <form class="form" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="token">API token</label>
          <input id="token" name="token" type="password" autoComplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} aria-describedby="token-hint" />
          <p class="hint" id="token-hint">
            The token <code>npm start</code> printed, or one from POST /clients. It is kept in this browser tab only, until you sign out or close the tab.
          </p>
        </div>
        <ErrorMessage message={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !token.trim()}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}
