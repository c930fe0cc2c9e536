import type { StepView } from '../api-types';
import { fixedLookup, LookupSelect } from '../components/lookup-select';
import { SchemaFields, type InsertOption } from '../components/schema-fields';
import { rowErrors, rowOfField, rowsOf } from '../schema-rows';
import type { StepDraft } from './scenario-draft';

/**
 * One action of a scenario: which action of the target system, and its inputs from the action's
 * schema, each typed or mapped from the sample record and earlier actions' results. Moving it
 * changes its number, which {{actions.N.…}} of later actions refer to: the server names any
 * placeholder left pointing forward.
 */
export function ScenarioActionEditor(props: {
  index: number;
  count: number;
  draft: StepDraft;
  actions: StepView[] | null;
  onChange: (draft: StepDraft) => void;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
  /** What its inputs can be mapped from: the sample's fields and the actions before it. */
  options: InsertOption[];
  record: unknown;
  errors: Record<string, string>;
}) {
  const { draft, index } = props;
  const n = index + 1;
  const at = `config.actions.${index}`;
  const id = (name: string) => `action-${draft.key}-${name}`;
  const chosen = props.actions?.find((a) => a.key === draft.step);
  const rows = rowsOf(chosen?.input);
  const inputErrors = rowErrors(props.errors, `${at}.input.`, rows);
  // What no row shows (the input as a whole, the step's id) shows under the fieldset.
  const rest = Object.entries(props.errors)
    .filter(([f]) => (f === at || f.startsWith(`${at}.`)) && f !== `${at}.action` && !(f.startsWith(`${at}.input.`) && rowOfField(f.slice(`${at}.input.`.length), rows)))
    .map(([f, m]) => `${f.slice(at.length + 1) || 'action'}: ${m}`);
  const items = (props.actions ?? []).map((a) => ({ value: a.key, label: a.name }));
  return (
    <fieldset class="card scenario-action">
      <legend>
        Action {n}
        {chosen && `: ${chosen.name}`}
        {draft.id && <span class="muted kind"> ({draft.id})</span>}
      </legend>
      <LookupSelect
        id={id('action')}
        label="Action"
        required
        lookup={props.actions ? fixedLookup(items) : { ...fixedLookup([]), items: null }}
        value={draft.step}
        placeholder={props.actions ? 'Choose an action…' : 'Choose the target account first'}
        hint={chosen?.description}
        onChange={(v) => props.onChange({ ...draft, step: v, extra: {} })}
        error={props.errors[`${at}.action`] ?? null}
      />
      {chosen && rows.length === 0 && <p class="hint">This action takes no input.</p>}
      {chosen && <SchemaFields id={id('in')} rows={rows} values={draft.values} onChange={(values) => props.onChange({ ...draft, values })} errors={inputErrors} mapping={{ options: props.options, record: props.record }} />}
      {rest.length > 0 && <p class="field-error">{rest.join('; ')}</p>}
      <div class="actions">
        <button type="button" onClick={() => props.onMove(-1)} disabled={index === 0} aria-label={`Move action ${n} up`}>
          ↑ Up
        </button>
        <button type="button" onClick={() => props.onMove(1)} disabled={index === props.count - 1} aria-label={`Move action ${n} down`}>
          ↓ Down
        </button>
        <button type="button" class="danger" onClick={props.onRemove}>
          Remove action {n}
        </button>
      </div>
    </fieldset>
  );
}
