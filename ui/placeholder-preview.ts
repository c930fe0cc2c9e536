/**
 * What an input mapped with {{record.…}} would hold for the sample record, for the form to show
 * beside it. Only a preview: the server fills placeholders in at run time (kinds/scenario/mapping.ts),
 * keeping a lone placeholder's type, which a text preview need not.
 */
const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

export const hasPlaceholder = (text: string) => /\{\{[^{}]*\}\}/.test(text);

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function lookup(record: unknown, path: string[]): unknown {
  let at = record;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export interface Preview {
  text: string;
  /** Placeholders the sample has no value for (a field it lacks, or an action's result, known only when it runs). */
  unknown: string[];
}

export function previewOf(text: string, record: unknown): Preview {
  const unknown: string[] = [];
  const rendered = text.replace(PLACEHOLDER, (whole, ref: string) => {
    const [root, ...path] = ref.split('.');
    const value = root === 'record' ? lookup(record, path) : undefined;
    if (value === undefined) {
      unknown.push(whole);
      return '…';
    }
    return show(value);
  });
  return { text: rendered, unknown };
}

/** A sample field's value as a short text for a list. */
export function exampleText(value: unknown, max = 80): string {
  const s = value === null ? 'null' : show(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
