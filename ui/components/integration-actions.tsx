import { useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../api-client';
import type { Integration } from '../api-types';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

interface Props {
  api: Api;
  integration: Integration;
  onChanged: () => Promise<void>;
  onDeleted: () => void;
}

/** Pause or resume, run now, delete (asking first, and again when deleting takes something else along). */
export function IntegrationActions({ api, integration, onChanged, onDeleted }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [alsoDeletes, setAlsoDeletes] = useState<string | null>(null);
  const paused = integration.status?.state === 'paused' || (!integration.status && !integration.enabled);
  const act = async (action: 'pause' | 'resume' | 'run') => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/integrations/${integration.id}/${action}`);
      await onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="integration-actions">
      <div class="actions">
        {paused ? (
          <button type="button" disabled={busy} onClick={() => void act('resume')} aria-label={`Resume ${integration.name}`}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void act('pause')} aria-label={`Pause ${integration.name}`}>
            Pause
          </button>
        )}
        <button type="button" disabled={busy || paused} onClick={() => void act('run')} aria-label={`Run now: ${integration.name}`}>
          Run now
        </button>
        <button type="button" class="danger" onClick={() => setDeleting(true)} aria-label={`Delete ${integration.name}`}>
          Delete
        </button>
      </div>
      <ErrorMessage message={error} />
      {deleting && (
        <ConfirmDialog
          title={`Delete ${integration.name}?`}
          confirmLabel={alsoDeletes ? 'Delete both' : 'Delete'}
          danger
          onClose={() => {
            setDeleting(false);
            setAlsoDeletes(null);
          }}
          onConfirm={async () => {
            try {
              await api('DELETE', `/integrations/${integration.id}`, alsoDeletes ? { confirm: true } : undefined);
            } catch (e) {
              // The API asks again when deleting takes more along (e.g. a scenario's webhook): say what, and ask.
              if (e instanceof ApiError && e.status === 409 && !alsoDeletes) {
                setAlsoDeletes(e.message);
                throw new Error('Deleting it takes more along: read the above and confirm again.');
              }
              throw e;
            }
            onDeleted();
          }}
        >
          <p>Its workflow stops and its settings are deleted. The systems keep what it already wrote.</p>
          {alsoDeletes && <p class="warn">{alsoDeletes}</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
