import type { RequestHandler } from 'express';
import { sendProblem, type FieldError } from './problem';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this text, or null: text and jsonb refuse U+0000, jsonb refuses half a surrogate pair. */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (half of a surrogate pair)';
  return null;
}

function find(value: unknown, path: string[], out: FieldError[], depth = 0): void {
  if (out.length >= 10 || depth > 32) return;
  if (typeof value === 'string') {
    const why = unstorable(value);
    if (why) out.push({ field: path.join('.') || '(body)', message: why });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => find(item, [...path, String(i)], out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const why = unstorable(key);
      if (why) out.push({ field: [...path, key.replaceAll('\u0000', '?').replace(/[\uD800-\uDFFF]/g, '?')].join('.'), message: `key ${why}` });
      find(item, [...path, key], out, depth + 1);
    }
  }
}

/**
 * Text PostgreSQL cannot store is refused at the door, as a 422 naming the field, for every route
 * (body and query): otherwise it passes validation and fails in the INSERT, a 500 for bad input.
 */
export const refuseUnstorableText: RequestHandler = (req, res, next) => {
  const errors: FieldError[] = [];
  find(req.body, [], errors);
  find(req.query, [], errors);
  if (errors.length === 0) return next();
  return sendProblem(res, 422, 'Unprocessable Content', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
};
