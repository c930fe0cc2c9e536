import { useEffect, useRef, useState } from 'preact/hooks';
import { exampleText, hasPlaceholder, previewOf } from '../placeholder-preview';
import { jsonProblem, type RowValues, type SchemaRow } from '../schema-rows';
import { fixedLookup, LookupSelect } from './lookup-select';
import { TextField } from './text-field';

/** Something an input can be mapped from: a sample record's field or an earlier action's result. */
export interface InsertOption {
  placeholder: string;
  label: string;
  group: 'record' | 'actions';
}

/** How the inputs of an action are mapped; a trigger's inputs have none (they take no placeholders). */
export interface Mapping {
  options: InsertOption[];
  /** The newest sample record, for the preview beside each mapped input; null before a sample is fetched. */
  record: unknown;
}

/**
 * The inputs of a trigger or action, one per row of its schema: the required ones first, the
 * optional ones behind "Optional fields" (open when one holds a value or a reason). With a mapping,
 * each text can take {{placeholders}} from a list and shows what it would hold for the sample.
 */
export function SchemaFields(props: {
  id: string;
  rows: SchemaRow[];
  values: RowValues;
  onChange: (values: RowValues) => void;
  errors: Record<string, string>;
  mapping?: Mapping;
}) {
  const required = props.rows.filter((r) => r.required);
  const optional = props.rows.filter((r) => !r.required);
  const wanted = optional.some((r) => props.values[r.path]?.trim() || props.errors[r.path]);
  const [open, setOpen] = useState(wanted);
  useEffect(() => {
    if (wanted) setOpen(true);
  }, [wanted]);
  const row = (r: SchemaRow) => (
    <InputRow key={r.path} id={`${props.id}-${r.path.replace(/\W/g, '-')}`} row={r} value={props.values[r.path] ?? ''} onChange={(v) => props.onChange({ ...props.values, [r.path]: v })} error={props.errors[r.path] ?? null} mapping={props.mapping} />
  );
  return (
    <div class="schema-fields">
      {required.map(row)}
      {optional.length > 0 && (
        <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>Optional fields ({optional.length})</summary>
          <div class="schema-fields">{optional.map(row)}</div>
        </details>
      )}
    </div>
  );
}

function hintOf(row: SchemaRow): string | undefined {
  const parts = [row.schema.description, row.schema.default !== undefined && `Default: ${exampleText(row.schema.default)}.`, row.kind === 'json' && 'JSON, e.g. [{"name": "Setup", "quantity": 1}]; strings may hold {{placeholders}}.'];
  return parts.filter(Boolean).join(' ') || undefined;
}

function InputRow(props: { id: string; row: SchemaRow; value: string; onChange: (v: string) => void; error: string | null; mapping: Mapping | undefined }) {
  const { row, id } = props;
  const label = row.schema.title ?? row.path;
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  if (row.kind === 'boolean' || row.kind === 'enum') {
    const items = row.kind === 'boolean' ? ['true', 'false'] : (row.schema.enum ?? []).map((v) => String(v as string | number));
    return (
      <LookupSelect id={id} label={label} required={row.required} optional={!row.required} lookup={fixedLookup(items.map((v) => ({ value: v, label: v })))} value={props.value} onChange={props.onChange} hint={hintOf(row)} error={props.error} />
    );
  }

  const insert = (placeholder: string) => {
    const el = input.current;
    const start = el?.selectionStart ?? props.value.length;
    const end = el?.selectionEnd ?? props.value.length;
    props.onChange(props.value.slice(0, start) + placeholder + props.value.slice(end));
    // An action's result is inserted with FIELD selected, for the user to type its name over it.
    const field = placeholder.indexOf('FIELD');
    requestAnimationFrame(() => {
      el?.focus();
      if (field >= 0) el?.setSelectionRange(start + field, start + field + 'FIELD'.length);
      else el?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  };
  const mapping = props.mapping;
  const mapped = !!mapping && hasPlaceholder(props.value);
  const extras = mapping && (
    <>
      {mapping.options.length > 0 && <InsertSelect id={`${id}-insert`} label={label} options={mapping.options} onInsert={insert} />}
      {mapped && <PreviewLine id={`${id}-preview`} text={props.value} record={mapping.record} />}
    </>
  );
  const previewId = mapped ? `${id}-preview` : undefined;

  if (row.kind === 'json') {
    const problem = props.error ?? jsonProblem(props.value);
    const hint = hintOf(row);
    const describedBy = [previewId, hint && `${id}-hint`, problem && `${id}-error`].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field">
        <label for={id}>
          {label}
          {row.required && <span class="required"> (required)</span>}
        </label>
        <textarea id={id} ref={input} rows={4} class="json" spellcheck={false} value={props.value} aria-invalid={problem ? true : undefined} aria-describedby={describedBy} onInput={(e) => props.onChange(e.currentTarget.value)} />
        {extras}
        {hint && (
          <span id={`${id}-hint`} class="hint">
            {hint}
          </span>
        )}
        {problem && (
          <span id={`${id}-error`} class="field-error">
            {problem}
          </span>
        )}
      </div>
    );
  }
  return (
    <TextField id={id} label={label} required={row.required} value={props.value} onChange={props.onChange} inputMode={row.kind === 'number' && !mapping ? 'decimal' : undefined} hint={hintOf(row)} error={props.error} inputRef={input} describedBy={previewId}>
      {extras}
    </TextField>
  );
}

/** A list of what can be inserted where the cursor is; it goes back to its prompt once one is picked. */
function InsertSelect(props: { id: string; label: string; options: InsertOption[]; onInsert: (placeholder: string) => void }) {
  const record = props.options.filter((o) => o.group === 'record');
  const actions = props.options.filter((o) => o.group === 'actions');
  return (
    <span class="insert-field">
      <label for={props.id} class="visually-hidden">
        Insert a field into {props.label}
      </label>
      <select
        id={props.id}
        value=""
        onChange={(e) => {
          const v = e.currentTarget.value;
          e.currentTarget.value = '';
          if (v) props.onInsert(v);
        }}
      >
        <option value="">Insert field…</option>
        {record.length > 0 && (
          <optgroup label="Sample record">
            {record.map((o) => (
              <option key={o.placeholder} value={o.placeholder}>
                {o.label}
              </option>
            ))}
          </optgroup>
        )}
        {actions.length > 0 && (
          <optgroup label="Earlier actions (type the result's field over FIELD)">
            {actions.map((o) => (
              <option key={o.placeholder} value={o.placeholder}>
                {o.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </span>
  );
}

function PreviewLine(props: { id: string; text: string; record: unknown }) {
  if (props.record === null || props.record === undefined) {
    return (
      <span id={props.id} class="hint preview">
        Fetch a sample to see the value it takes.
      </span>
    );
  }
  const p = previewOf(props.text, props.record);
  return (
    <span id={props.id} class="hint preview">
      With the sample: <output class="preview-value">{p.text || '(empty)'}</output>
      {p.unknown.length > 0 && ` (${p.unknown.join(', ')}: known when the scenario runs)`}
    </span>
  );
}
