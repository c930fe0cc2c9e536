/**
 * SMS templates: literal text with {{variables}}. A variable is a source column (by its header)
 * or a system variable. Workflow code renders these, so no Node imports and no clock reads.
 *
 * Syntax: `{{` opens a variable and the next `}}` closes it; whitespace just inside the braces is
 * ignored ({{ Name }} is {{Name}}). A name cannot contain braces, so there is no way to write a
 * literal "{{"; a lone "}}" outside a variable is plain text. Names compare case-sensitively,
 * after trimming and Unicode NFC normalisation (an "á" typed on a Mac and one pasted from a sheet
 * are the same letter).
 */
import { zonedParts } from './zoned-time';

export type TemplatePart = { kind: 'literal'; text: string } | { kind: 'variable'; name: string; start: number; end: number };

/**
 * Values at the moment of sending, in the integration's time zone. Month and day are zero-padded
 * so they combine into any date layout: {{day}}.{{month}}.{{year}}.
 */
export const SYSTEM_VARIABLES = {
  time: { description: 'time of the send, 24-hour HH:MM', example: '09:05' },
  date: { description: 'date of the send, YYYY-MM-DD', example: '2026-03-29' },
  year: { description: 'year of the send, four digits', example: '2026' },
  month: { description: 'month of the send, 01–12', example: '03' },
  day: { description: 'day of the month of the send, 01–31', example: '29' },
} as const;

export type SystemVariable = keyof typeof SYSTEM_VARIABLES;

const isSystemVariable = (name: string): name is SystemVariable => Object.prototype.hasOwnProperty.call(SYSTEM_VARIABLES, name);

export interface TemplateProblem {
  kind: 'syntax' | 'unknown-variable';
  /** 0-based index into the template text. */
  position: number;
  line: number;
  column: number;
  message: string;
  /** The variable, for unknown-variable problems. */
  name?: string;
}

export class TemplateSyntaxError extends Error {
  constructor(readonly problem: TemplateProblem) {
    super(problem.message);
  }
}

/** Thrown at render time when a variable is neither a column of the row nor a system variable. */
export class UnknownTemplateVariableError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`the template uses ${names.map((n) => `{{${n}}}`).join(', ')}, which the row does not have`);
  }
}

/** The form a column name or a variable name is compared in. */
export const variableKey = (name: string): string => name.trim().normalize('NFC');

function locate(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function problem(text: string, kind: TemplateProblem['kind'], position: number, what: string, extra: { name?: string; hint?: string } = {}): TemplateProblem {
  const { line, column } = locate(text, position);
  const message = `${what} at position ${position} (line ${line}, column ${column})${extra.hint ? `; ${extra.hint}` : ''}`;
  return { kind, position, line, column, message, ...(extra.name !== undefined && { name: extra.name }) };
}

/** Reads the whole text, collecting every syntax problem rather than stopping at the first. */
function scan(text: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    const reopen = text.indexOf('{{', open + 2);
    if (close < 0 || (reopen >= 0 && reopen < close)) {
      problems.push(problem(text, 'syntax', open, "'{{' is not closed by '}}'"));
      literal += text.slice(open, close < 0 ? text.length : reopen);
      i = close < 0 ? text.length : reopen;
      continue;
    }
    const inner = text.slice(open + 2, close);
    const brace = inner.search(/[{}]/);
    const name = variableKey(inner);
    if (brace >= 0) problems.push(problem(text, 'syntax', open + 2 + brace, `unexpected '${inner[brace]}' in a variable name`));
    else if (name === '') problems.push(problem(text, 'syntax', open, 'empty variable name'));
    else {
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push({ kind: 'variable', name, start: open, end: close + 2 });
    }
    i = close + 2;
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return { parts, problems };
}

/** Splits a template into literal text and variables; throws TemplateSyntaxError on the first mistake. */
export function parseTemplate(text: string): TemplatePart[] {
  const { parts, problems } = scan(text);
  if (problems[0]) throw new TemplateSyntaxError(problems[0]);
  return parts;
}

/** The distinct variable names used, in order of first use; throws TemplateSyntaxError. */
export function templateVariables(text: string): string[] {
  const names = parseTemplate(text).flatMap((p) => (p.kind === 'variable' ? [p.name] : []));
  return [...new Set(names)];
}

/**
 * Every problem with a template: syntax errors, and, when the source's columns are known, each use
 * of a name that is neither a column nor a system variable. An empty list means it will render.
 */
export function validateTemplate(text: string, columns?: readonly string[]): TemplateProblem[] {
  const { parts, problems } = scan(text);
  if (!columns) return problems;
  const known = new Set(columns.map(variableKey));
  for (const part of parts) {
    if (part.kind !== 'variable' || known.has(part.name) || isSystemVariable(part.name)) continue;
    const lower = part.name.toLowerCase();
    const near = [...known].find((c) => c.toLowerCase() === lower) ?? Object.keys(SYSTEM_VARIABLES).find((s) => s === lower);
    const hint = near && `did you mean {{${near}}}?`;
    problems.push(problem(text, 'unknown-variable', part.start, `unknown variable {{${part.name}}}`, { name: part.name, hint }));
  }
  return problems.sort((a, b) => a.position - b.position);
}

function systemValues(sendAt: Date, timeZone: string): Record<SystemVariable, string> {
  const p = zonedParts(sendAt, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}`;
  return { time: `${two(p.hour)}:${two(p.minute)}`, date, year: date.slice(0, 4), month: two(p.month), day: two(p.day) };
}

/**
 * The message for one row. A column wins over a system variable of the same name: a sheet with
 * a "date" column means that column. Throws TemplateSyntaxError, or UnknownTemplateVariableError
 * when the sheet lost a column since the template was checked (no half-filled SMS goes out).
 */
export function renderTemplate(text: string, row: Readonly<Record<string, string>>, sendAt: Date, timeZone: string): string {
  const values = new Map<string, string>();
  for (const [column, value] of Object.entries(row)) {
    const key = variableKey(column);
    if (!values.has(key)) values.set(key, value);
  }
  const parts = parseTemplate(text);
  let system: Record<SystemVariable, string> | undefined;
  const unknown = new Set<string>();
  const out = parts.map((part) => {
    if (part.kind === 'literal') return part.text;
    const value = values.get(part.name);
    if (value !== undefined) return value;
    if (isSystemVariable(part.name)) return (system ??= systemValues(sendAt, timeZone))[part.name];
    unknown.add(part.name);
    return '';
  });
  if (unknown.size > 0) throw new UnknownTemplateVariableError([...unknown]);
  return out.join('');
}
