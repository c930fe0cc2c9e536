import { z } from 'zod';

export class StatusMapSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly line: number,
    readonly column: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`at position ${position} (line ${line}, column ${column}): expected ${expected}, found ${found}`);
  }
}

/** People paste MiniCRM's own example, which uses typographic quotes (”like this”). */
const TYPOGRAPHIC_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u301D\u301E\u301F\uFF02]/g;

/**
 * Parses the documented text form {"Unas-Status1": "MiniCRM-Status1", ...}. A hand-written reader
 * (not JSON.parse) so a malformed map is answered with the exact position and what was expected.
 */
export function parseStatusMapText(raw: string): Record<string, string> {
  const src = raw.replace(TYPOGRAPHIC_QUOTES, '"');
  let i = 0;
  const fail = (expected: string): never => {
    const before = src.slice(0, i).split('\n');
    const found = i >= src.length ? 'end of text' : JSON.stringify(src[i]);
    throw new StatusMapSyntaxError(i, before.length, (before[before.length - 1]?.length ?? 0) + 1, expected, found);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const str = (what: string): string => {
    if (src[i] !== '"') fail(`a quoted ${what}`);
    const start = i++;
    while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    if (i >= src.length) fail(`a closing quote for the ${what} that starts at position ${start}`);
    i++;
    return JSON.parse(src.slice(start, i)) as string;
  };
  const out: Record<string, string> = {};
  ws();
  if (src[i] !== '{') fail("'{'");
  i++;
  ws();
  if (src[i] === '}') i++;
  else {
    for (;;) {
      ws();
      const keyAt = i;
      const key = str('UNAS status');
      ws();
      if (src[i] !== ':') fail(`':' after "${key}"`);
      i++;
      ws();
      const value = str('MiniCRM status');
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        i = keyAt;
        fail(`each UNAS status once, but "${key}" is repeated`);
      }
      out[key] = value;
      ws();
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === '}') {
        i++;
        break;
      }
      fail("',' or '}'");
    }
  }
  ws();
  if (i < src.length) fail('end of text after the closing }');
  return out;
}

const mapObject = z
  .record(z.string().trim().min(1, 'a UNAS status name'), z.string().trim().min(1, 'a MiniCRM status name or id'))
  .refine((m) => Object.keys(m).length > 0, 'map at least one UNAS status');

/** Accepts an object or the text form; reports syntax errors with their position. */
export const statusMapSchema = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  try {
    return parseStatusMapText(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? `malformed status map ${e.message}` : 'malformed status map', input: value });
    return z.NEVER;
  }
}, mapObject);
