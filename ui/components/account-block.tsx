import { useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../api-client';
import type { Account, SystemView } from '../api-types';
import { reconnectWithKey, startOAuth } from '../accounts-actions';
import { isOAuth } from '../systems';
import { ConfirmDialog } from './confirm-dialog';
import { CredentialForm } from './credential-form';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';
import { RenameForm } from './rename-form';
import { StatusBadge } from './status-badge';
import { ToggleSwitch } from './toggle-switch';

interface Props {
  api: Api;
  account: Account;
  system: SystemView | undefined;
  labels: Record<string, string>;
  highlighted: boolean;
  onChanged: () => Promise<void>;
}

/** What switching a functionality off would stop, as the API's 409 lists it. */
interface PendingOff {
  functionality: string;
  detail: string;
  integrations: { id: string; name: string; kind: string }[];
}

/** One account: its status, a switch per functionality, rename, reconnect, delete. */
export function AccountBlock({ api, account, system, labels, highlighted, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [pendingOff, setPendingOff] = useState<PendingOff | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const titleId = `account-${account.id}`;
  const label = (f: string) => labels[f] ?? f;

  const toggle = async (functionality: string, enabled: boolean) => {
    setError(null);
    setBusy(functionality);
    const path = `/accounts/${account.id}/functionalities/${encodeURIComponent(functionality)}`;
    try {
      await api('PATCH', path, { enabled });
      await onChanged();
    } catch (e) {
      // Switching off first answers which integrations would stop: the user decides in the dialog.
      if (!enabled && e instanceof ApiError && e.status === 409) setPendingOff({ functionality, detail: e.message, integrations: e.problem.integrations ?? [] });
      else setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <article class={highlighted ? 'card account highlighted' : 'card account'} aria-labelledby={titleId}>
      <header class="account-head">
        {renaming ? (
          <RenameForm
            label={`New name for ${account.name}`}
            value={account.name}
            onCancel={() => setRenaming(false)}
            onSave={async (name) => {
              await api('PATCH', `/accounts/${account.id}`, { name });
              setRenaming(false);
              await onChanged();
            }}
          />
        ) : (
          <h2 id={titleId}>{account.name}</h2>
        )}
        <p class="muted">{system?.name ?? account.system}</p>
      </header>
      <p>
        <StatusBadge state={account.status} />
        {account.statusReason && <span class="reason"> {account.statusReason}</span>}
      </p>
      <fieldset class="switches">
        <legend>Functionalities</legend>
        {Object.entries(account.functionalities).map(([f, on]) => (
          <div class="switch-row">
            <span id={`${titleId}-${f}`}>{label(f)}</span>
            <ToggleSwitch label={`${label(f)} for ${account.name}`} on={on} disabled={busy === f} onToggle={(next) => void toggle(f, next)} />
          </div>
        ))}
      </fieldset>
      <ErrorMessage message={error} />
      <div class="actions">
        {!renaming && (
          <button type="button" onClick={() => setRenaming(true)} aria-label={`Rename ${account.name}`}>
            Rename
          </button>
        )}
        <button type="button" onClick={() => setReconnecting(true)} aria-label={`Reconnect ${account.name}`} disabled={!system}>
          Reconnect
        </button>
        <button type="button" class="danger" onClick={() => setDeleting(true)} aria-label={`Delete ${account.name}`}>
          Delete
        </button>
      </div>

      {pendingOff && (
        <ConfirmDialog
          title={`Switch off ${label(pendingOff.functionality)} for ${account.name}?`}
          confirmLabel="Switch off"
          danger
          onClose={() => setPendingOff(null)}
          onConfirm={async () => {
            await api('PATCH', `/accounts/${account.id}/functionalities/${encodeURIComponent(pendingOff.functionality)}`, { enabled: false, confirm: true });
            await onChanged();
          }}
        >
          {pendingOff.integrations.length === 0 ? (
            <p>No integration uses it: nothing stops.</p>
          ) : (
            <>
              <p>These integrations stop until it is switched on again:</p>
              <ul class="stops">
                {pendingOff.integrations.map((i) => (
                  <li>
                    {i.name} <span class="muted">({i.kind})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${account.name}?`}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api('DELETE', `/accounts/${account.id}`);
            await onChanged();
          }}
        >
          <p>Its credentials are deleted. An account still used by an integration cannot be deleted.</p>
        </ConfirmDialog>
      )}
      {reconnecting && system && (
        <Dialog title={`Reconnect ${account.name}`} onClose={() => setReconnecting(false)}>
          {isOAuth(system) ? (
            <ReconnectOAuth api={api} account={account} onCancel={() => setReconnecting(false)} />
          ) : (
            <CredentialForm
              system={system}
              reconnect
              submitLabel="Reconnect"
              onCancel={() => setReconnecting(false)}
              onSubmit={async ({ credentials }) => {
                try {
                  await reconnectWithKey(api, account, credentials);
                  setReconnecting(false);
                } finally {
                  await onChanged();
                }
              }}
            />
          )}
        </Dialog>
      )}
    </article>
  );
}

function ReconnectOAuth({ api, account, onCancel }: { api: Api; account: Account; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <p>You sign in at the provider again; the account keeps its name, switches and integrations.</p>
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="primary" onClick={() => void startOAuth(api, account.system, { accountId: account.id }).catch((e: unknown) => setError(messageOf(e)))}>
          Continue to the provider
        </button>
      </div>
    </div>
  );
}
