import type { Api } from '../api-client';
import { LookupSelect, useLookup } from '../components/lookup-select';
import { TextField } from '../components/text-field';
import type { AutomationDraft } from './automation-draft';

type Lookup = ReturnType<typeof useLookup>;

/** The path an automation's own fields have in the API's errors (config.automations.<i>.…) that this editor shows. */
export const AUTOMATION_FIELDS = ['id', 'trigger.folderId', 'trigger.field', 'trigger.value', 'task.projectId', 'task.title', 'task.assignee', 'task.maxTime', 'task.priority', 'task.dueInDays', 'onClose.field', 'onClose.value'];

/**
 * One automation: the NetHunt folder, field and value that start it, the Worksection task it
 * creates, the record fields copied into the task, and what is written back when the task closes.
 * Folders, fields, projects and assignees are picked from the accounts; the folder's fields are read
 * once a folder is chosen.
 */
export function AutomationEditor(props: {
  api: Api;
  index: number;
  nethuntId: string | null;
  draft: AutomationDraft;
  onChange: (draft: AutomationDraft) => void;
  onRemove: () => void;
  folders: Lookup;
  projects: Lookup;
  users: Lookup;
  errors: Record<string, string>;
}) {
  const { draft, index } = props;
  const at = `config.automations.${index}`;
  const err = (field: string) => props.errors[`${at}.${field}`] ?? null;
  const id = (name: string) => `auto-${draft.key}-${name}`;
  const set = (patch: Partial<AutomationDraft>) => props.onChange({ ...draft, ...patch });
  const fields = useLookup(props.api, props.nethuntId, 'fields', draft.folderId ? { folderId: draft.folderId } : null);
  const fieldNames = (fields.items ?? []).map((f) => f.label);
  // A folder the user can only read is offered, but says why closing a task could not write back there.
  const folders = { ...props.folders, items: props.folders.items?.map((f) => (f.writable === false ? { ...f, label: `${f.label} (read only: no write-back)` } : f)) ?? null };
  const importErrors = Object.entries(props.errors)
    .filter(([field]) => field.startsWith(`${at}.importFields`))
    .map(([, message]) => message);
  const importChoices = [...new Set([...fieldNames, ...draft.importFields])];
  const title = `Automation ${index + 1}`;

  return (
    <fieldset class="card automation">
      <legend>
        {title}
        {draft.id && <span class="muted kind"> ({draft.id})</span>}
      </legend>
      <h3>When a NetHunt record…</h3>
      <LookupSelect id={id('folder')} label="Folder" lookup={folders} value={draft.folderId} onChange={(v) => set({ folderId: v, field: '', importFields: [], closeField: '' })} hint="The NetHunt folder whose records are watched" error={err('trigger.folderId')} />
      <LookupSelect id={id('field')} label="Field that starts it" lookup={fields} byLabel value={draft.field} onChange={(v) => set({ field: v })} placeholder={draft.folderId ? 'Choose a field…' : 'Choose the folder first'} error={err('trigger.field')} />
      <TextField id={id('value')} label="Value that starts it" value={draft.value} onChange={(v) => set({ value: v })} hint="For example Won; a multi-value field starts it when any of its values is this one" error={err('trigger.value')} />

      <h3>…a Worksection task is created</h3>
      <LookupSelect id={id('project')} label="Project" lookup={props.projects} value={draft.projectId} onChange={(v) => set({ projectId: v })} error={err('task.projectId')} />
      <TextField id={id('title')} label="Task title" value={draft.title} onChange={(v) => set({ title: v })} maxLength={500} hint="{{Field name}} inserts the record's value of that field, e.g. Deliver to {{Name}}" error={err('task.title')} />
      {fieldNames.length > 0 && (
        <p class="actions insert-fields" role="group" aria-labelledby={id('insert')}>
          <span class="hint" id={id('insert')}>
            Insert a field:
          </span>
          {fieldNames.map((f) => (
            <button type="button" key={f} aria-label={`Insert {{${f}}} into the title`} onClick={() => set({ title: `${draft.title}{{${f}}}` })}>
              {f}
            </button>
          ))}
        </p>
      )}
      <LookupSelect id={id('assignee')} label="Assignee" lookup={props.users} optional placeholder="(nobody)" value={draft.assignee} onChange={(v) => set({ assignee: v })} error={err('task.assignee')} />
      <TextField id={id('max-time')} label="Planned hours (optional)" inputMode="decimal" value={draft.maxTime} onChange={(v) => set({ maxTime: v })} error={err('task.maxTime')} />
      <TextField id={id('priority')} label="Priority (optional)" inputMode="numeric" value={draft.priority} onChange={(v) => set({ priority: v })} hint="0 (lowest) to 10" error={err('task.priority')} />
      <TextField id={id('due')} label="Due, days after creation (optional)" inputMode="numeric" value={draft.dueInDays} onChange={(v) => set({ dueInDays: v })} error={err('task.dueInDays')} />
      <fieldset class="field" aria-describedby={importErrors.length ? id('import-error') : undefined}>
        <legend>Fields copied into the task's description</legend>
        {!draft.folderId && <p class="hint">Choose the folder first.</p>}
        <div class="checks">
          {importChoices.map((f) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={draft.importFields.includes(f)}
                onChange={(e) => set({ importFields: e.currentTarget.checked ? [...draft.importFields, f] : draft.importFields.filter((x) => x !== f) })}
              />
              {f}
              {fields.items && !fieldNames.includes(f) ? ' (not found)' : ''}
            </label>
          ))}
        </div>
        {importErrors.length > 0 && (
          <span id={id('import-error')} class="field-error">
            {importErrors.join('; ')}
          </span>
        )}
      </fieldset>

      <h3>When the task is closed, write back</h3>
      <LookupSelect id={id('close-field')} label="Field written back" lookup={fields} byLabel value={draft.closeField} onChange={(v) => set({ closeField: v })} placeholder={draft.folderId ? 'Choose a field…' : 'Choose the folder first'} error={err('onClose.field')} />
      <TextField id={id('close-value')} label="Value written back" value={draft.closeValue} onChange={(v) => set({ closeValue: v })} hint="For example Delivered: not the value that starts the automation, or it would start again" error={err('onClose.value')} />
      {err('id') && <p class="field-error">{err('id')}</p>}
      <div class="actions">
        <button type="button" class="danger" onClick={props.onRemove}>
          Remove {title.toLowerCase()}
        </button>
      </div>
    </fieldset>
  );
}
