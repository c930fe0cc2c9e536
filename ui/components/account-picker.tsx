import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { Account } from '../api-types';
import { hrefOf } from '../router';
import { ErrorMessage } from './error-message';

/**
 * A select of the connected accounts of the given systems: the user picks an account by its name,
 * never types an id. With none connected it points at the hub instead of showing an empty list.
 */
export function AccountPicker(props: {
  api: Api;
  id: string;
  label: string;
  systems: readonly string[];
  value: string;
  onChange: (accountId: string) => void;
  disabled?: boolean;
  error?: string | null;
}) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    props.api<{ items: Account[] }>('GET', '/accounts').then((r) => setAccounts(r.items.filter((a) => props.systems.includes(a.system))), (e: unknown) => setLoadError(messageOf(e)));
  }, [props.api, props.systems.join(',')]);

  // One account of the right system: chosen for the user.
  useEffect(() => {
    if (accounts?.length === 1 && !props.value) props.onChange(accounts[0]!.id);
  }, [accounts]);

  if (loadError) return <ErrorMessage message={loadError} />;
  if (accounts && accounts.length === 0) {
    return (
      <p class="field">
        <span class="label">{props.label}</span> No {props.systems.join(' or ')} account is connected yet. <a href={hrefOf({ page: 'hub' })}>Connect one in the hub</a>.
      </p>
    );
  }
  const errorId = `${props.id}-error`;
  return (
    <p class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled || !accounts}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(e) => props.onChange((e.currentTarget).value)}
      >
        <option value="">{accounts ? 'Choose an account…' : 'Loading accounts…'}</option>
        {(accounts ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.system}){a.status === 'inactive' ? ' — inactive' : ''}
          </option>
        ))}
      </select>
      {props.error && (
        <span id={errorId} class="field-error">
          {props.error}
        </span>
      )}
    </p>
  );
}
