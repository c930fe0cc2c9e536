import { useId, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api-client';
import type { FieldError, JsonSchema, SystemView } from '../api-types';
import { labelOf } from '../format';
import { OAUTH_TOKEN_FIELDS, offersBoth } from '../systems';
import { ErrorMessage } from './error-message';

export interface CredentialValues {
  name?: string;
  baseUrl?: string;
  credentials: Record<string, unknown>;
}

interface Props {
  system: SystemView;
  /** Reconnecting: no name or base URL, only the credentials again. */
  reconnect?: boolean;
  submitLabel: string;
  onSubmit: (values: CredentialValues) => Promise<void>;
  onCancel?: () => void;
}

const isNumber = (s: JsonSchema) => s.type === 'number' || s.type === 'integer';
const isSecret = (system: SystemView, key: string, s: JsonSchema) => system.auth.secretFields.includes(key) || s['x-secret'] === true || s.writeOnly === true;

/** The value as the schema wants it: numbers as numbers, an empty optional field left out. */
function valueOf(schema: JsonSchema, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  if (raw === '') return undefined;
  return isNumber(schema) && raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
}

/**
 * The form for a key-based system, drawn from its credential JSON Schema (GET /systems): one input
 * per field, secrets masked, required ones marked. Whatever the API says is wrong is shown on the
 * field it names, in its words.
 */
export function CredentialForm({ system, reconnect, submitLabel, onSubmit, onCancel }: Props) {
  const formId = useId();
  const both = offersBoth(system);
  const properties = Object.entries(system.auth.schema.properties ?? {}).filter(([key]) => !both || !OAUTH_TOKEN_FIELDS.includes(key));
  // The schema needs the key only when no tokens are given; on the key form (the tokens left out) it is needed.
  const required = new Set(both ? properties.map(([key]) => key) : (system.auth.schema.required ?? []));
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const errorOf = (field: string) => fieldErrors.filter((e) => e.field === field).map((e) => e.message).join('; ') || null;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors([]);
    const credentials: Record<string, unknown> = {};
    for (const [key, schema] of properties) {
      const v = valueOf(schema, values[key] ?? (schema.type === 'boolean' ? false : ''));
      if (v !== undefined) credentials[key] = v;
    }
    try {
      await onSubmit({ ...(!reconnect && { name: name.trim() }), ...(!reconnect && baseUrl.trim() && { baseUrl: baseUrl.trim() }), credentials });
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) setFieldErrors(err.problem.errors ?? []);
    } finally {
      setBusy(false);
    }
  };

  /** One labelled input; `errorField` is how the API names it in a 422 (credentials.apiKey). */
  const field = (errorField: string, label: string, input: (props: Record<string, unknown>) => preact.JSX.Element, description?: string, isRequired = false) => {
    const id = `${formId}-${errorField.replace(/\W/g, '-')}`;
    const problem = errorOf(errorField);
    const describedBy = [description && `${id}-desc`, problem && `${id}-err`].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field" key={errorField}>
        <label for={id}>
          {label}
          {isRequired && <span class="required"> (required)</span>}
        </label>
        {input({ id, 'aria-describedby': describedBy, 'aria-invalid': problem ? true : undefined, required: isRequired })}
        {description && (
          <p class="hint" id={`${id}-desc`}>
            {description}
          </p>
        )}
        {problem && (
          <p class="field-error" id={`${id}-err`}>
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <form class="form" onSubmit={(e) => void submit(e)} aria-label={`${submitLabel}: ${system.name}`}>
      {!reconnect &&
        field('name', 'Account name', (p) => <input {...p} type="text" autoComplete="off" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />, 'How this account is called in the console and the API', true)}
      {properties.map(([key, schema]) => {
        const label = schema.title ?? labelOf(key);
        const set = (v: string | boolean) => setValues((old) => ({ ...old, [key]: v }));
        const path = `credentials.${key}`;
        if (schema.type === 'boolean') {
          return field(path, label, (p) => <input {...p} type="checkbox" checked={values[key] === true} onChange={(e) => set(e.currentTarget.checked)} />, schema.description, false);
        }
        if (schema.enum) {
          return field(
            path,
            label,
            (p) => (
              <select {...p} value={String(values[key] ?? '')} onChange={(e) => set(e.currentTarget.value)}>
                <option value="">Choose…</option>
                {schema.enum!.map((o) => (
                  <option value={String(o)}>{String(o)}</option>
                ))}
              </select>
            ),
            schema.description,
            required.has(key),
          );
        }
        const secret = isSecret(system, key, schema);
        const common = { autoComplete: secret ? 'new-password' : 'off', spellcheck: false, value: String(values[key] ?? ''), onInput: (e: { currentTarget: HTMLInputElement }) => set(e.currentTarget.value) };
        return field(
          path,
          label,
          (p) => (secret ? <input {...p} {...common} type="password" /> : isNumber(schema) ? <input {...p} {...common} type="number" /> : <input {...p} {...common} type="text" />),
          schema.description,
          required.has(key),
        );
      })}
      {!reconnect &&
        field(
          'baseUrl',
          'Base URL (optional)',
          (p) => <input {...p} type="url" autoComplete="off" placeholder={system.defaultBaseUrl} value={baseUrl} onInput={(e) => setBaseUrl(e.currentTarget.value)} />,
          `The provider's API address; leave empty for ${system.defaultBaseUrl}`,
        )}
      <ErrorMessage message={error} />
      <div class="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
