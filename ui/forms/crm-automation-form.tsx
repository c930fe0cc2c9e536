import { useRef, useState } from 'preact/hooks';
import type { Integration } from '../api-types';
import { AccountPicker } from '../components/account-picker';
import { ErrorMessage } from '../components/error-message';
import { useLookup } from '../components/lookup-select';
import { durationInWords, PollIntervalInput } from '../components/poll-interval-input';
import { TextField } from '../components/text-field';
import { automationOf, draftProblems, draftsOf, emptyDraft, type AutomationDraft } from './automation-draft';
import { AUTOMATION_FIELDS, AutomationEditor } from './automation-editor';
import { numberSetting } from './config-values';
import type { KindFormProps } from './kind-form-props';
import { useSave } from './use-save';

const SHOWN = new Set(['name', 'source.accountId', 'target.accountId', 'config.pollIntervalSeconds', 'config.automations']);
const shown = (field: string) => {
  if (SHOWN.has(field)) return true;
  const m = /^config\.automations\.\d+\.(.+)$/.exec(field);
  return !!m && (AUTOMATION_FIELDS.includes(m[1]!) || m[1]!.startsWith('importFields'));
};

/** NetHunt → Worksection: the accounts, how often to look, and the automations, each picked from what the accounts have. */
export function CrmAutomationForm({ api, kind, existing, onSaved }: KindFormProps) {
  const saved = existing?.config ?? {};
  const poll = numberSetting(kind.config, 'pollIntervalSeconds', { min: 60, max: 86_400, default: 300 });
  const [name, setName] = useState(existing?.name ?? '');
  const [sourceId, setSourceId] = useState(existing?.source.accountId ?? '');
  const [targetId, setTargetId] = useState(existing?.target.accountId ?? '');
  const [pollSeconds, setPollSeconds] = useState<number | null>(typeof saved.pollIntervalSeconds === 'number' ? saved.pollIntervalSeconds : poll.default);
  const [drafts, setDrafts] = useState<AutomationDraft[]>(() => {
    const loaded = draftsOf(saved.automations);
    return loaded.length ? loaded : [emptyDraft()];
  });
  const { form, saving, errors, save, refuse, unshown } = useSave(onSaved);
  const err = (field: string) => errors.byField[field] ?? null;

  const nethunt = sourceId || null;
  const folders = useLookup(api, nethunt, 'folders');
  const projects = useLookup(api, targetId || null, 'projects');
  const users = useLookup(api, targetId || null, 'users');

  const update = (key: number, next: AutomationDraft) => setDrafts((all) => all.map((d) => (d.key === key ? next : d)));
  const addButton = useRef<HTMLButtonElement>(null);
  // The errors name automations by position, which a removal shifts; the focus would be lost with the removed fieldset.
  const remove = (key: number) => {
    setDrafts((all) => all.filter((d) => d.key !== key));
    refuse({});
    addButton.current?.focus();
  };

  const missing = (): Record<string, string> => {
    const m: Record<string, string> = {};
    if (!name.trim()) m.name = 'Give the integration a name.';
    if (!sourceId) m['source.accountId'] = 'Choose the NetHunt account whose records are watched.';
    if (!targetId) m['target.accountId'] = 'Choose the Worksection account that gets the tasks.';
    if (pollSeconds === null) m['config.pollIntervalSeconds'] = `A whole number from ${durationInWords(poll.min)} to ${durationInWords(poll.max)}.`;
    if (drafts.length === 0) m['config.automations'] = 'Add at least one automation.';
    drafts.forEach((d, i) => Object.assign(m, draftProblems(d, `config.automations.${i}`)));
    return m;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const problems = missing();
    if (Object.keys(problems).length) return refuse(problems);
    const config = { pollIntervalSeconds: pollSeconds, automations: drafts.map(automationOf) };
    void save(() =>
      existing
        ? api<Integration>('PATCH', `/integrations/${encodeURIComponent(existing.id)}`, { name: name.trim(), config })
        : api<Integration>('POST', '/integrations', { kind: kind.kind, name: name.trim(), source: { accountId: sourceId }, target: { accountId: targetId }, config }),
    );
  };

  const rest = [errors.general, ...unshown(shown)].filter(Boolean).join('; ');
  return (
    <form ref={form} class="form kind-form" onSubmit={submit} aria-label={existing ? `Edit ${existing.name}` : 'New CRM automation'} noValidate>
      <ErrorMessage message={rest} />
      <TextField id="ca-name" label="Name" required value={name} onChange={setName} maxLength={200} placeholder="Won deals to delivery" hint="How the integration is called in the console and the API" error={err('name')} />

      <h2>Accounts</h2>
      <AccountPicker api={api} id="ca-source" label="NetHunt account (records are watched here)" systems={kind.source} value={sourceId} onChange={setSourceId} disabled={!!existing} error={err('source.accountId')} />
      <AccountPicker api={api} id="ca-target" label="Worksection account (tasks are created here)" systems={kind.target} value={targetId} onChange={setTargetId} disabled={!!existing} error={err('target.accountId')} />
      {existing && <p class="hint">The accounts of an integration cannot change: create a new one for other accounts.</p>}
      <PollIntervalInput id="ca-poll" label="Check NetHunt and Worksection" seconds={pollSeconds} onChange={setPollSeconds} min={poll.min} max={poll.max} hint={`Default: every ${durationInWords(poll.default)}.`} error={err('config.pollIntervalSeconds')} />

      <h2>Automations</h2>
      {drafts.map((d, i) => (
        <AutomationEditor
          key={d.key}
          api={api}
          index={i}
          nethuntId={nethunt}
          draft={d}
          onChange={(next) => update(d.key, next)}
          onRemove={() => remove(d.key)}
          folders={folders}
          projects={projects}
          users={users}
          errors={errors.byField}
        />
      ))}
      {err('config.automations') && <p class="field-error">{err('config.automations')}</p>}
      <div class="actions">
        <button type="button" ref={addButton} onClick={() => setDrafts((all) => [...all, emptyDraft()])}>
          Add an automation
        </button>
      </div>

      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? (existing ? 'Saving…' : 'Creating…') : existing ? 'Save changes' : 'Create CRM automation'}
        </button>
      </div>
    </form>
  );
}
