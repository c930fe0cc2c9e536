import { formatValue } from '../crm-automation/config';

/**
 * Maps a trigger's record into an action's input, the way users of Zapier or Make fill a field:
 * `{{record.properties.Name}}` or `{{actions.0.customerId}}` anywhere in a string. A string that is
 * one placeholder and nothing else takes the value itself (a number stays a number, a missing value
 * leaves the field out), so typed fields such as ids can be mapped.
 */
export interface MappingScope {
  record: unknown;
  /** What each earlier action returned, by its index. */
  actions: unknown[];
}

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;
const HAS_PLACEHOLDER = /\{\{\s*[^{}]+?\s*\}\}/;

export type Path = (string | number)[];

/** Every placeholder in an input, with where it sits. */
export function placeholders(value: unknown, path: Path = []): { path: Path; ref: string }[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path, ref: m[1]! }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => placeholders(v, [...path, k]));
  return [];
}

/** Why a reference can't be resolved for action `index` (null when it can). */
export function refProblem(ref: string, index: number): string | null {
  const [root, step] = ref.split('.');
  if (root === 'record') return null;
  if (root === 'actions') {
    if (step === undefined || !/^\d+$/.test(step)) return `{{${ref}}}: write actions.N.field, N being an earlier action's index`;
    if (Number(step) >= index) return `{{${ref}}}: action ${step} does not run before action ${index}`;
    return null;
  }
  return `{{${ref}}}: a placeholder starts with record. (the trigger's record) or actions.N. (an earlier action's result)`;
}

export function resolve(ref: string, scope: MappingScope): unknown {
  let at: unknown = scope;
  for (const key of ref.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function render(value: unknown, scope: MappingScope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return resolve(whole[1]!, scope) ?? undefined;
    return value.replace(PLACEHOLDER, (_m, ref: string) => formatValue(resolve(ref, scope)));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, scope) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = render(v, scope);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return value;
}

/** Whether `path` is, or is inside, a string holding a placeholder: its value is known only at run time. */
export function isMapped(input: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = input;
  for (const key of path) {
    if (typeof at === 'string') break;
    if (at === null || typeof at !== 'object') return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return typeof at === 'string' && HAS_PLACEHOLDER.test(at);
}
