import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api-client';
import type { Account, Integration, SystemView, TriggerSample } from '../api-types';
import { AccountPicker } from '../components/account-picker';
import { ErrorMessage } from '../components/error-message';
import { fixedLookup, LookupSelect } from '../components/lookup-select';
import { durationInWords, PollIntervalInput } from '../components/poll-interval-input';
import { fieldName, SampleRecord } from '../components/sample-record';
import type { InsertOption } from '../components/schema-fields';
import { SchemaFields } from '../components/schema-fields';
import { TextField } from '../components/text-field';
import { exampleText } from '../placeholder-preview';
import { rowErrors, rowOfField, rowsOf } from '../schema-rows';
import { loadSystems } from '../systems';
import { numberSetting } from './config-values';
import type { KindFormProps } from './kind-form-props';
import { ScenarioActionEditor } from './scenario-action-editor';
import { emptyStep, MAX_ACTIONS, moved, stepDraftOf, stepInput, type StepDraft } from './scenario-draft';
import { useSave } from './use-save';

/** How many recent records a sample asks for: the newest is shown and previewed. */
const SAMPLE_SIZE = 3;

/** Trigger → actions: the scenario's triggers and actions come from the systems' catalogue, so the form waits for it and for the accounts' systems. */
export function ScenarioForm(props: KindFormProps) {
  const [loaded, setLoaded] = useState<{ systems: SystemView[]; accounts: Account[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([loadSystems(props.api), props.api<{ items: Account[] }>('GET', '/accounts')]).then(
      ([systems, accounts]) => setLoaded({ systems, accounts: accounts.items }),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [props.api]);
  if (error) return <ErrorMessage message={error} />;
  if (!loaded) return <p class="muted">Loading the systems' triggers and actions…</p>;
  return <ScenarioEditor {...props} {...loaded} />;
}

function ScenarioEditor({ api, kind, existing, onSaved, systems, accounts }: KindFormProps & { systems: SystemView[]; accounts: Account[] }) {
  const saved = existing?.config ?? {};
  const poll = numberSetting(kind.config, 'pollIntervalSeconds', { min: 60, max: 86_400, default: 300 });
  const systemOf = (accountId: string) => systems.find((s) => s.id === accounts.find((a) => a.id === accountId)?.system) ?? null;

  const [name, setName] = useState(existing?.name ?? '');
  const [sourceId, setSourceId] = useState(existing?.source.accountId ?? '');
  const [targetId, setTargetId] = useState(existing?.target.accountId ?? '');
  const [pollSeconds, setPollSeconds] = useState<number | null>(typeof saved.pollIntervalSeconds === 'number' ? saved.pollIntervalSeconds : poll.default);
  const triggers = systemOf(sourceId)?.triggers ?? null;
  const actions = systemOf(targetId)?.actions ?? null;
  const [trigger, setTrigger] = useState<StepDraft>(() => stepDraftOf(saved.trigger, 'trigger', triggers ?? []));
  const [steps, setSteps] = useState<StepDraft[]>(() => {
    const list = Array.isArray(saved.actions) ? saved.actions.map((a) => stepDraftOf(a, 'action', actions ?? [])) : [];
    return list.length ? list : [emptyStep()];
  });
  const [sample, setSample] = useState<TriggerSample | null>(null);
  const [sampling, setSampling] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const { form, saving, errors, save, refuse, unshown } = useSave(onSaved);
  const err = (field: string) => errors.byField[field] ?? null;
  const addButton = useRef<HTMLButtonElement>(null);

  const triggerView = triggers?.find((t) => t.key === trigger.step);
  const triggerRows = rowsOf(triggerView?.input);
  const triggerErrors = rowErrors(errors.byField, 'config.trigger.input.', triggerRows);

  const chooseSource = (id: string) => {
    if (systemOf(id)?.id !== systemOf(sourceId)?.id) {
      setTrigger(emptyStep());
      setSample(null);
    }
    setSourceId(id);
  };
  const chooseTrigger = (step: string) => {
    setTrigger({ ...trigger, step, extra: {} });
    setSample(null);
    setSampleError(null);
  };

  const sampleWaitingFor = !sourceId
    ? 'Choose the source account first.'
    : !trigger.step
      ? 'Choose the trigger first.'
      : triggerRows.some((r) => r.required && !trigger.values[r.path]?.trim())
        ? 'Fill in the trigger’s required fields first.'
        : null;
  const fetchSample = async () => {
    const { input, problems } = stepInput(trigger, triggers ?? [], 'config.trigger.input');
    if (Object.keys(problems).length) return refuse(problems);
    setSampling(true);
    setSampleError(null);
    // A saved scenario whose trigger is unchanged is sampled as saved; anything else as the draft it is.
    const unchanged = existing && JSON.stringify(saved.trigger) === JSON.stringify({ trigger: trigger.step, input });
    try {
      setSample(
        unchanged
          ? await api<TriggerSample>('POST', `/integrations/${encodeURIComponent(existing.id)}/sample`, { limit: SAMPLE_SIZE })
          : await api<TriggerSample>('POST', '/scenarios/sample', { accountId: sourceId, trigger: trigger.step, input, limit: SAMPLE_SIZE }),
      );
    } catch (e) {
      setSample(null);
      setSampleError(messageOf(e));
    } finally {
      setSampling(false);
    }
  };
  const record = sample?.records[0]?.data ?? null;
  const sampleOptions: InsertOption[] = (sample?.fields ?? []).map((f) => ({ placeholder: f.placeholder, label: `${fieldName(f.placeholder)} — ${exampleText(f.example, 40)}`, group: 'record' }));
  const optionsFor = (index: number): InsertOption[] => [
    ...sampleOptions,
    ...steps.slice(0, index).map((s, j) => ({
      placeholder: `{{actions.${j}.FIELD}}`,
      label: `Action ${j + 1}${actions?.find((a) => a.key === s.step) ? ` (${actions.find((a) => a.key === s.step)!.name})` : ''}: a field of its result`,
      group: 'actions' as const,
    })),
  ];

  // Errors name actions by position, which moving or removing one shifts.
  const reorder = (next: StepDraft[]) => {
    setSteps(next);
    refuse({});
  };
  const remove = (key: number) => {
    reorder(steps.filter((s) => s.key !== key));
    addButton.current?.focus();
  };

  const missing = (): Record<string, string> => {
    const m: Record<string, string> = {};
    if (!name.trim()) m.name = 'Give the integration a name.';
    if (!sourceId) m['source.accountId'] = 'Choose the account whose records start the scenario.';
    if (!targetId) m['target.accountId'] = 'Choose the account the actions are carried out in.';
    if (pollSeconds === null) m['config.pollIntervalSeconds'] = `A whole number from ${durationInWords(poll.min)} to ${durationInWords(poll.max)}.`;
    if (!trigger.step) m['config.trigger.trigger'] = 'Choose the trigger.';
    if (steps.length === 0) m['config.actions'] = 'Add at least one action.';
    steps.forEach((s, i) => {
      if (!s.step) m[`config.actions.${i}.action`] = 'Choose the action.';
    });
    return m;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const t = stepInput(trigger, triggers ?? [], 'config.trigger.input');
    const a = steps.map((s, i) => stepInput(s, actions ?? [], `config.actions.${i}.input`));
    const problems = Object.assign(missing(), t.problems, ...a.map((x) => x.problems)) as Record<string, string>;
    if (Object.keys(problems).length) return refuse(problems);
    const config = {
      pollIntervalSeconds: pollSeconds,
      trigger: { trigger: trigger.step, input: t.input },
      actions: steps.map((s, i) => ({ ...(s.id && { id: s.id }), action: s.step, input: a[i]!.input })),
    };
    void save(() =>
      existing
        ? api<Integration>('PATCH', `/integrations/${encodeURIComponent(existing.id)}`, { name: name.trim(), config })
        : api<Integration>('POST', '/integrations', { kind: kind.kind, name: name.trim(), source: { accountId: sourceId }, target: { accountId: targetId }, config }),
    );
  };

  const shown = (field: string) =>
    ['name', 'source.accountId', 'target.accountId', 'config.pollIntervalSeconds', 'config.trigger.trigger', 'config.actions'].includes(field) ||
    (field.startsWith('config.trigger.input.') && !!rowOfField(field.slice('config.trigger.input.'.length), triggerRows)) ||
    Number(/^config\.actions\.(\d+)(\.|$)/.exec(field)?.[1] ?? Infinity) < steps.length;
  const rest = [errors.general, ...unshown(shown)].filter(Boolean).join('; ');

  return (
    <form ref={form} class="form kind-form scenario-form" onSubmit={submit} aria-label={existing ? `Edit ${existing.name}` : 'New scenario'} noValidate>
      <ErrorMessage message={rest} />
      <TextField id="sc-name" label="Name" required value={name} onChange={setName} maxLength={200} placeholder="New leads to invoices" hint="How the integration is called in the console and the API" error={err('name')} />

      <h2>Accounts</h2>
      <AccountPicker api={api} id="sc-source" label="Source account (its trigger starts the scenario)" systems={kind.source} value={sourceId} onChange={chooseSource} disabled={!!existing} error={err('source.accountId')} />
      <AccountPicker api={api} id="sc-target" label="Target account (the actions are carried out here)" systems={kind.target} value={targetId} onChange={setTargetId} disabled={!!existing} error={err('target.accountId')} />
      {existing && <p class="hint">The accounts of an integration cannot change: create a new one for other accounts.</p>}
      <PollIntervalInput id="sc-poll" label="Check the trigger" seconds={pollSeconds} onChange={setPollSeconds} min={poll.min} max={poll.max} hint={`Default: every ${durationInWords(poll.default)}.`} error={err('config.pollIntervalSeconds')} />

      <h2>Trigger</h2>
      <LookupSelect
        id="sc-trigger"
        label="Trigger"
        required
        lookup={triggers ? fixedLookup(triggers.map((t) => ({ value: t.key, label: t.name }))) : { ...fixedLookup([]), items: null }}
        value={trigger.step}
        placeholder={triggers ? 'Choose a trigger…' : 'Choose the source account first'}
        hint={triggerView?.description}
        onChange={chooseTrigger}
        error={err('config.trigger.trigger')}
      />
      {triggerView && <SchemaFields id="sc-trigger-in" rows={triggerRows} values={trigger.values} onChange={(values) => setTrigger({ ...trigger, values })} errors={triggerErrors} />}
      <SampleRecord sample={sample} busy={sampling} error={sampleError} onFetch={() => void fetchSample()} waitingFor={sampleWaitingFor} />

      <h2>Actions</h2>
      <p class="hint">Run in order for every record the trigger reports. {'{{record.…}}'} puts in a field of the record, {'{{actions.N.…}}'} a field of what action N+1 returned.</p>
      {steps.map((s, i) => (
        <ScenarioActionEditor
          key={s.key}
          index={i}
          count={steps.length}
          draft={s}
          actions={actions}
          onChange={(next) => setSteps((all) => all.map((x) => (x.key === s.key ? next : x)))}
          onRemove={() => remove(s.key)}
          onMove={(by) => reorder(moved(steps, i, by))}
          options={optionsFor(i)}
          record={record}
          errors={errors.byField}
        />
      ))}
      {err('config.actions') && <p class="field-error">{err('config.actions')}</p>}
      <div class="actions">
        <button type="button" ref={addButton} disabled={steps.length >= MAX_ACTIONS} onClick={() => setSteps((all) => [...all, emptyStep()])}>
          Add an action
        </button>
        {steps.length >= MAX_ACTIONS && <span class="hint">At most {MAX_ACTIONS} actions.</span>}
      </div>

      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? (existing ? 'Saving…' : 'Creating…') : existing ? 'Save changes' : 'Create scenario'}
        </button>
      </div>
    </form>
  );
}
