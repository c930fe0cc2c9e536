import type { JsonSchema } from './api-types';

/**
 * A trigger's or an action's input as rows of a form, generated from its JSON Schema (GET /systems):
 * one row per scalar field, nested objects flattened to dotted rows (customer.name), and whatever is
 * too complex for one input (arrays, free-form objects, unions) one JSON text.
 */
export type RowKind = 'text' | 'number' | 'boolean' | 'enum' | 'json';

export interface SchemaRow {
  /** Dotted path inside the input: customer.name. */
  path: string;
  kind: RowKind;
  schema: JsonSchema;
  required: boolean;
}

/** A row's text as typed, by path. */
export type RowValues = Record<string, string>;

/** Deeper than this, a nested object is one JSON text rather than more dotted rows. */
const MAX_DEPTH = 3;

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

function kindOf(s: JsonSchema): RowKind {
  if (s.enum && s.enum.every((v) => typeof v === 'string' || typeof v === 'number')) return 'enum';
  const type = typeOf(s);
  if (type === 'string') return 'text';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'json';
}

export function rowsOf(schema: JsonSchema | undefined, prefix = '', depth = 0): SchemaRow[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).flatMap(([key, s]) => {
    const path = prefix + key;
    if (typeOf(s) === 'object' && s.properties && Object.keys(s.properties).length > 0 && depth < MAX_DEPTH) return rowsOf(s, `${path}.`, depth + 1);
    return [{ path, kind: kindOf(s), schema: s, required: required.has(key) }];
  });
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function put(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = target;
  for (const key of keys.slice(0, -1)) {
    const next = o[key];
    o = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (o[key] = {});
  }
  o[keys[keys.length - 1]!] = value;
}

/** A saved input as the texts of its rows (a JSON row shows its value as JSON). */
export function valuesOf(input: unknown, rows: SchemaRow[]): RowValues {
  const values: RowValues = {};
  for (const row of rows) {
    const v = at(input, row.path);
    if (v === undefined || v === null) continue;
    values[row.path] = row.kind !== 'json' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? String(v) : JSON.stringify(v, null, 2);
  }
  return values;
}

/** Top-level keys of a saved input that no row of the schema holds: kept as they are when saving. */
export function extraOf(input: unknown, schema: JsonSchema | undefined): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return {};
  const known = new Set(Object.keys(schema?.properties ?? {}));
  return Object.fromEntries(Object.entries(input).filter(([k]) => !known.has(k)));
}

const HAS_PLACEHOLDER = /\{\{[^{}]*\}\}/;

/** Why a JSON row's text is not JSON, or null (empty is fine: the field is left out). */
export function jsonProblem(text: string): string | null {
  if (!text.trim()) return null;
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * The input the API takes from the rows' texts: empty rows are left out; a number stays text when it
 * holds a placeholder (filled in at run time), as does one that is no number (the server names it).
 * `problems` are JSON rows that do not parse, by path.
 */
export function inputOf(values: RowValues, rows: SchemaRow[], extra: Record<string, unknown> = {}): { input: Record<string, unknown>; problems: Record<string, string> } {
  const input: Record<string, unknown> = structuredClone(extra);
  const problems: Record<string, string> = {};
  for (const row of rows) {
    const text = values[row.path] ?? '';
    if (!text.trim()) continue;
    if (row.kind === 'json') {
      const problem = jsonProblem(text);
      if (problem) problems[row.path] = problem;
      else put(input, row.path, JSON.parse(text));
    } else if (row.kind === 'number') {
      const n = Number(text.trim());
      put(input, row.path, HAS_PLACEHOLDER.test(text) || !Number.isFinite(n) ? text.trim() : n);
    } else if (row.kind === 'boolean') {
      put(input, row.path, HAS_PLACEHOLDER.test(text) ? text : text === 'true');
    } else if (row.kind === 'enum') {
      put(input, row.path, row.schema.enum?.find((v) => String(v) === text) ?? text);
    } else {
      put(input, row.path, text);
    }
  }
  return { input, problems };
}

/** The row an error of the API is about (`items.0.quantity` → the row `items`), by the part of its field after the input's prefix. */
export function rowOfField(field: string, rows: SchemaRow[]): SchemaRow | undefined {
  return rows.filter((r) => field === r.path || field.startsWith(`${r.path}.`)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** Errors by row path, from errors by the API's field names under `prefix` (config.actions.0.input.). */
export function rowErrors(errors: Record<string, string>, prefix: string, rows: SchemaRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (!field.startsWith(prefix)) continue;
    const row = rowOfField(field.slice(prefix.length), rows);
    if (!row) continue;
    const where = field.slice(prefix.length + row.path.length + 1);
    out[row.path] = [out[row.path], where ? `${where}: ${message}` : message].filter(Boolean).join('; ');
  }
  return out;
}
