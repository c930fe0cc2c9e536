import type { JsonSchema } from '../api-types';

/** A saved config value as the text an input holds (ids may be saved as numbers). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

export function record(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x)]));
}

/** A number setting's bounds and default as the kind's JSON Schema gives them, for an input to offer. */
export function numberSetting(schema: JsonSchema, key: string, fallback: { min: number; max: number; default: number }) {
  const p = schema.properties?.[key];
  return {
    min: p?.minimum ?? fallback.min,
    max: p?.maximum ?? fallback.max,
    default: typeof p?.default === 'number' ? p.default : fallback.default,
    description: p?.description,
  };
}

export const describe = (schema: JsonSchema, key: string): string | undefined => schema.properties?.[key]?.description;

/** Today as YYYY-MM-DD in the user's own time zone (what a date input shows). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
