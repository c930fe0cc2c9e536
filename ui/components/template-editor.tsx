import { useRef } from 'preact/hooks';
import { ApiError } from '../api-client';
import type { LatestAnswer } from '../latest-answer';
import type { SmsPreview, SmsPreviewMessage } from '../sms-send-types';

const SYSTEM_VARIABLES = ['date', 'time', 'year', 'month', 'day'];

/**
 * The SMS text and, beside it, what it makes of the first rows already in the sheet, asked again
 * as the user types (the preview is the server's rendering, the one the runs use). A placeholder
 * the sheet has no column for, or a brace left open, is named under the text.
 */
export function TemplateEditor(props: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  /** The sheet's columns, to insert as {{placeholders}}; null until a sheet is chosen. */
  columns: string[] | null;
  preview: LatestAnswer<SmsPreview>;
  /** Why there is no preview yet (a field above is missing), or null. */
  waitingFor: string | null;
  /** The reason the API gave for the template when saving. */
  error?: string | null;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const { preview } = props;
  // A template the API refuses outright (a brace left open) comes back as a 422 naming the template.
  const refused = preview.error instanceof ApiError ? (preview.error.problem.errors ?? []).filter((e) => e.field === 'template').map((e) => e.message) : [];
  // The reason a save was refused for is shown once, under the text, not again in this list.
  const problems = [...refused, ...(preview.data?.problems ?? []).map((p) => p.message)].filter((p) => p !== props.error);
  const otherError = preview.error && refused.length === 0 ? preview.message : null;
  const describedBy = [`${props.id}-hint`, problems.length > 0 && `${props.id}-problems`, props.error && `${props.id}-error`].filter(Boolean).join(' ');

  const insert = (name: string) => {
    const el = area.current;
    const placeholder = `{{${name}}}`;
    const at = el ? el.selectionStart : props.value.length;
    const end = el ? el.selectionEnd : props.value.length;
    props.onChange(props.value.slice(0, at) + placeholder + props.value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + placeholder.length, at + placeholder.length);
    });
  };

  return (
    <div class="template-editor">
      <div class="field">
        <label for={props.id}>Message text</label>
        <textarea
          id={props.id}
          ref={area}
          rows={6}
          value={props.value}
          aria-invalid={problems.length > 0 || props.error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
        <span id={`${props.id}-hint`} class="hint">
          {'{{Column name}}'} puts in the row's cell; {SYSTEM_VARIABLES.map((v) => `{{${v}}}`).join(' ')} the moment of sending, in the integration's time zone.
        </span>
        {props.columns && props.columns.length > 0 && (
          <label class="insert">
            <span>Insert a column</span>
            <select
              value=""
              onChange={(e) => {
                const name = e.currentTarget.value;
                e.currentTarget.value = '';
                if (name) insert(name);
              }}
            >
              <option value="">Choose a column…</option>
              {[...props.columns, ...SYSTEM_VARIABLES].map((c) => (
                <option key={c} value={c}>
                  {`{{${c}}}`}
                </option>
              ))}
            </select>
          </label>
        )}
        {problems.length > 0 && (
          <ul id={`${props.id}-problems`} class="field-error problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {props.error && (
          <span id={`${props.id}-error`} class="field-error">
            {props.error}
          </span>
        )}
      </div>
      <section class="sms-preview" aria-labelledby={`${props.id}-preview-title`} aria-busy={preview.loading ? true : undefined}>
        <h3 id={`${props.id}-preview-title`}>Preview on rows already in the sheet</h3>
        <div aria-live="polite">
          {props.waitingFor && <p class="muted">{props.waitingFor}</p>}
          {otherError && <p class="field-error">{otherError}</p>}
          {!props.waitingFor && preview.loading && !preview.data && <p class="muted">Rendering…</p>}
          {preview.data && preview.data.messages.length === 0 && <p class="muted">The sheet has no rows below its header yet.</p>}
          {preview.data && preview.data.messages.length > 0 && (
            <ol class="sms-messages">
              {preview.data.messages.map((m) => (
                <PreviewItem key={m.row} message={m} />
              ))}
            </ol>
          )}
        </div>
      </section>
    </div>
  );
}

function PreviewItem({ message: m }: { message: SmsPreviewMessage }) {
  const held = m.state === 'failed' || m.state === 'rejected';
  return (
    <li class="sms-message">
      <p class="muted">
        Row {m.row}
        {m.phone && ` · to ${m.phone}`}
      </p>
      {m.text && <p class="sms-text">{m.text}</p>}
      {held ? (
        <p class="field-error">Not sent: {m.reason}</p>
      ) : (
        <p class="muted">
          {m.length.segments} SMS · {m.length.characters} characters ({m.length.encoding})
          {m.state !== 'pending' && ` · already ${m.state}`}
        </p>
      )}
    </li>
  );
}
