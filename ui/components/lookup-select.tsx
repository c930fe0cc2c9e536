import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { LookupItem } from '../api-types';

/** Loads one lookup of an account (GET /accounts/:id/lookups/:name); null account or params: nothing to ask yet. */
export function useLookup(api: Api, accountId: string | null, name: string, params: Record<string, string> | null = {}) {
  const [items, setItems] = useState<LookupItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState(0);
  const query = params ? new URLSearchParams({ ...params, ...(fresh ? { fresh: '1' } : {}) }).toString() : null;
  useEffect(() => {
    setItems(null);
    setError(null);
    if (!accountId || query === null) return;
    let live = true;
    api<{ items: LookupItem[] }>('GET', `/accounts/${encodeURIComponent(accountId)}/lookups/${encodeURIComponent(name)}${query ? `?${query}` : ''}`).then(
      (r) => live && setItems(r.items),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [api, accountId, name, query, fresh]);
  return { items, error, loading: !!accountId && query !== null && !items && !error, reload: () => setFresh((n) => n + 1) };
}

/** A fixed list (an enum of a schema) in the shape a LookupSelect shows. */
export function fixedLookup(items: LookupItem[]): ReturnType<typeof useLookup> {
  return { items, error: null, loading: false, reload: () => undefined };
}

/**
 * A select filled from an account's lookup (MiniCRM users, NetHunt folders, a sheet's columns…):
 * what the user picks is a value the provider has, so a wrong name can't be saved. The provider's
 * reason shows when the list can't be read, with a way to ask again.
 */
export function LookupSelect(props: {
  id: string;
  label: string;
  lookup: ReturnType<typeof useLookup>;
  value: string;
  onChange: (value: string, item: LookupItem | undefined) => void;
  /** Stores the label (a name) instead of the value (an id), for configs that name things. */
  byLabel?: boolean;
  optional?: boolean;
  /** Marks the label, as TextField does. */
  required?: boolean;
  placeholder?: string;
  hint?: string;
  error?: string | null;
  disabled?: boolean;
}) {
  const { lookup } = props;
  const key = (i: LookupItem) => (props.byLabel ? i.label : i.value);
  const items = lookup.items ?? [];
  // A saved value the provider no longer lists stays visible (and selected) instead of vanishing.
  const missing = props.value && lookup.items && !items.some((i) => key(i) === props.value);
  const describedBy = [props.hint && `${props.id}-hint`, (props.error || lookup.error) && `${props.id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <p class="field">
      <label for={props.id}>
        {props.label}
        {props.required && <span class="required"> (required)</span>}
      </label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled || !lookup.items}
        aria-invalid={props.error || missing ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          const v = (e.currentTarget).value;
          props.onChange(v, items.find((i) => key(i) === v));
        }}
      >
        <option value="">{lookup.loading ? 'Loading…' : (props.placeholder ?? (props.optional ? '(none)' : 'Choose…'))}</option>
        {missing && <option value={props.value}>{props.value} (not found)</option>}
        {items.map((i) => (
          <option key={i.value} value={key(i)}>
            {i.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {(props.error || lookup.error) && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error ?? lookup.error}{' '}
          {lookup.error && (
            <button type="button" class="link" onClick={lookup.reload}>
              Try again
            </button>
          )}
        </span>
      )}
    </p>
  );
}

/**
 * A saved value as a by-label select shows it: an id or a name in other case becomes the item's
 * label, the way the server resolves it (MiniCRM takes an owner or status by id or by name).
 */
export function labelFor(items: LookupItem[] | null, value: string): string {
  if (!items || !value) return value;
  const lower = value.trim().toLowerCase();
  return (items.find((i) => i.value === value) ?? items.find((i) => i.label.trim().toLowerCase() === lower))?.label ?? value;
}
