import { useState } from 'preact/hooks';
import { labelFor, type useLookup } from './lookup-select';

type Lookup = ReturnType<typeof useLookup>;

/**
 * Each UNAS status beside the MiniCRM status its orders get. UNAS has no list of its statuses, so
 * the rows are the statuses recent orders carry, those the map already names, and any the user
 * adds by hand; the MiniCRM side is always picked from the module's own statuses, so a status
 * MiniCRM does not have can't be saved. A row left at "Don't sync" is not in the map.
 */
export function StatusMapEditor(props: {
  id: string;
  unasStatuses: Lookup;
  crmStatuses: Lookup;
  value: Record<string, string>;
  onChange: (map: Record<string, string>) => void;
  /** The API's errors by field (config.statusMap.<UNAS status>). */
  errors: Record<string, string>;
  /** What is wrong with the map as a whole. */
  error?: string | null;
}) {
  const [added, setAdded] = useState<string[]>([]);
  const [another, setAnother] = useState('');
  const rows = [...new Set([...(props.unasStatuses.items ?? []).map((i) => i.value), ...Object.keys(props.value), ...added])];
  const crmItems = props.crmStatuses.items ?? [];
  const set = (unas: string, crm: string) => {
    const next = { ...props.value };
    if (crm) next[unas] = crm;
    else delete next[unas];
    props.onChange(next);
  };
  const add = () => {
    const name = another.trim();
    if (name && !rows.includes(name)) setAdded((a) => [...a, name]);
    setAnother('');
  };
  const rowId = (i: number) => `${props.id}-row-${i}`;
  const mapped = Object.keys(props.value).length;

  return (
    <fieldset class="field status-map" aria-describedby={`${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`}>
      <legend>Status map</legend>
      <p id={`${props.id}-hint`} class="hint">
        Each UNAS status, beside the MiniCRM status its orders get. An order in a status left at “Don’t sync” is held, not synced: the integration counts it
        as held and syncs it as soon as its status is mapped. UNAS keeps no list of its statuses, so these are the ones orders reached in the last 90 days.
      </p>
      {props.unasStatuses.error && (
        <p class="field-error">
          UNAS statuses could not be read: {props.unasStatuses.error}{' '}
          <button type="button" class="link" onClick={props.unasStatuses.reload}>
            Try again
          </button>
        </p>
      )}
      {props.crmStatuses.error && (
        <p class="field-error">
          MiniCRM statuses could not be read: {props.crmStatuses.error}{' '}
          <button type="button" class="link" onClick={props.crmStatuses.reload}>
            Try again
          </button>
        </p>
      )}
      {props.unasStatuses.loading && <p class="muted">Reading UNAS statuses…</p>}
      {rows.length > 0 && (
        <div class="table-scroll">
          <table class="table map-table">
            <thead>
              <tr>
                <th scope="col">UNAS status</th>
                <th scope="col">MiniCRM status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((unas, i) => {
                const raw = props.value[unas] ?? '';
                const shown = labelFor(props.crmStatuses.items, raw);
                const missing = shown && props.crmStatuses.items && !crmItems.some((s) => s.label === shown);
                const error = props.errors[`config.statusMap.${unas}`];
                return (
                  <tr key={unas}>
                    <th scope="row">{unas}</th>
                    <td>
                      <label for={rowId(i)} class="visually-hidden">
                        MiniCRM status for {unas}
                      </label>
                      <select
                        id={rowId(i)}
                        value={shown}
                        disabled={!props.crmStatuses.items}
                        aria-invalid={error || missing ? true : undefined}
                        aria-describedby={error ? `${rowId(i)}-error` : undefined}
                        onChange={(e) => set(unas, e.currentTarget.value)}
                      >
                        <option value="">{props.crmStatuses.loading ? 'Loading…' : 'Don’t sync (hold these orders)'}</option>
                        {missing && <option value={shown}>{shown} (not found)</option>}
                        {crmItems.map((s) => (
                          <option key={s.value} value={s.label}>
                            {s.label}
                          </option>
                        ))}
                      </select>
                      {error && (
                        <span id={`${rowId(i)}-error`} class="field-error">
                          {error}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted" aria-live="polite">
        {mapped === 0 ? 'No status mapped yet: map at least one.' : `${mapped} of ${rows.length} statuses mapped.`}
      </p>
      <div class="add-row">
        <label for={`${props.id}-another`}>Another UNAS status</label>
        <input id={`${props.id}-another`} type="text" value={another} onInput={(e) => setAnother(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} />
        <button type="button" onClick={add} disabled={!another.trim()}>
          Add status
        </button>
      </div>
      {props.error && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </fieldset>
  );
}
