import type { StepView } from '../api-types';
import { extraOf, inputOf, rowsOf, valuesOf, type RowValues } from '../schema-rows';

/** A trigger or action being edited: which one, its inputs' texts, and saved keys its schema does not know. */
export interface StepDraft {
  /** Tells actions apart while they move (their position does not). */
  key: number;
  /** The saved action's id, kept so a saved step stays the same step. */
  id?: string;
  step: string;
  values: RowValues;
  extra: Record<string, unknown>;
}

export const MAX_ACTIONS = 10;

let nextKey = 0;
export const emptyStep = (): StepDraft => ({ key: nextKey++, step: '', values: {}, extra: {} });

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A saved trigger or action as a draft, its input spread over the rows of its schema. */
export function stepDraftOf(saved: unknown, key: 'trigger' | 'action', steps: StepView[]): StepDraft {
  const s = obj(saved);
  const name = typeof s[key] === 'string' ? s[key] : '';
  const schema = steps.find((x) => x.key === name)?.input;
  const input = obj(s.input);
  const rows = rowsOf(schema);
  return { ...emptyStep(), ...(typeof s.id === 'string' && { id: s.id }), step: name, values: valuesOf(input, rows), extra: schema ? extraOf(input, schema) : input };
}

/** A draft's input as the API takes it; `problems` are rows the form can tell are wrong (JSON that does not parse), by the API's field name. */
export function stepInput(draft: StepDraft, steps: StepView[], prefix: string) {
  const rows = rowsOf(steps.find((x) => x.key === draft.step)?.input);
  const { input, problems } = inputOf(draft.values, rows, draft.extra);
  return { input, problems: Object.fromEntries(Object.entries(problems).map(([path, message]) => [`${prefix}.${path}`, message])) };
}

/** Moves the item at `from` by `by` places (−1 up, +1 down). */
export function moved<T>(list: T[], from: number, by: number): T[] {
  const to = from + by;
  if (to < 0 || to >= list.length) return list;
  const out = [...list];
  [out[from], out[to]] = [out[to]!, out[from]!];
  return out;
}
