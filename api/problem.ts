import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';
import { loggableError } from '../db/errors';
import type { Logger } from '../lib/logger';
import { ProviderUnreachableError, type FieldError } from '../kinds/check-kit';
import { RETRY_AFTER_SECONDS, unavailableDependency } from './outages';

export type { FieldError };

/** An error that is the client's to fix, answered as application/problem+json (RFC 9457). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
    /** Extension members of the problem body (RFC 9457 §3.2), e.g. what a confirmation would affect. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** A value echoed in a message, cut: an 8 kB id in the URL is not worth 8 kB of answer. */
const shown = (value: string) => (value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** Nothing by that id: names the path (or query) parameter that held it, as errors[].field. */
export const notFound = (what: string, id: string, field = 'id') =>
  new HttpProblem(404, 'Not Found', `no ${what} with id ${shown(id)}`, [{ field, message: `no ${what} with this id` }]);

/** The body as a whole is wrong (not JSON, not an object, too large): its field is `(body)`, as fieldErrors names the root. */
export const bodyErrors = (message: string): FieldError[] => [{ field: '(body)', message }];
export const conflict = (detail: string, errors: FieldError[] = []) => new HttpProblem(409, 'Conflict', detail, errors);
export const unprocessable = (errors: FieldError[], detail?: string) =>
  new HttpProblem(422, 'Unprocessable Content', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { field: path || '(body)', message: issue.message };
  });
}

export function sendProblem(res: Response, status: number, title: string, detail: string, errors: FieldError[] = [], extensions: Record<string, unknown> = {}) {
  res.status(status).type('application/problem+json').json({ ...extensions, type: 'about:blank', title, status, detail, ...(errors.length ? { errors } : {}) });
}

/**
 * Where a malformed body stopped being JSON, never what it said: V8's message quotes the body
 * ("Unexpected token … "{"apiKey": "sk_live_…", " is not valid JSON"), and that can hold a key.
 */
function jsonParseDetail(message: unknown): string {
  const position = /position (\d+)/.exec(String(message))?.[1];
  return position === undefined ? 'the body is not valid JSON' : `the body is not valid JSON (stopped at position ${position})`;
}

/**
 * Body-parser failures are the client's (malformed JSON, oversized body); PostgreSQL or Temporal
 * down is a 503 naming which, to be retried; anything else is ours. A database error is logged as
 * its kind and code only (its message carries the query's parameters).
 */
export const createProblemHandler = (log: Logger, databaseUrl?: string): ErrorRequestHandler => (err: unknown, req, res, next) => {
  void next;
  if (err instanceof HttpProblem) return sendProblem(res, err.status, err.title, err.message, err.errors, err.extensions);
  const down = unavailableDependency(err, databaseUrl);
  if (down) {
    log.warn({ err: loggableError(err), reqId: res.getHeader('x-request-id'), path: req.path, dependency: down.dependency }, 'dependency unavailable');
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    return sendProblem(res, 503, 'Service Unavailable', `${down.message}; retry in ${RETRY_AFTER_SECONDS} s`, [], { unavailable: down.dependency });
  }
  if (err instanceof ProviderUnreachableError) return sendProblem(res, 502, 'Bad Gateway', err.message);
  // A connector error no route answered itself (an account without credentials opened for a check): a 422 to fix, or a 502.
  if (isConnectorError(err)) return err.retryable ? sendProblem(res, 502, 'Bad Gateway', cut(err.message)) : sendProblem(res, 422, 'Unprocessable Content', cut(err.message));
  const e = err && typeof err === 'object' ? (err as { type?: unknown; status?: unknown; message?: unknown }) : {};
  if (e.type === 'entity.too.large') return sendProblem(res, 413, 'Content Too Large', 'the request body is larger than the 256 kB this API accepts', bodyErrors('larger than 256 kB'));
  if (e.type === 'entity.parse.failed') return sendProblem(res, 400, 'Bad Request', jsonParseDetail(e.message), bodyErrors('not valid JSON'));
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendProblem(res, 415, 'Unsupported Media Type', String(e.message), bodyErrors('unsupported encoding'));
  // Express could not percent-decode a path segment ("%E0%A4%A"): which parameter it was is not known here.
  if (err instanceof URIError && e.status === 400) return sendProblem(res, 400, 'Bad Request', 'a path segment is not valid percent-encoding', [{ field: '(path)', message: 'not valid percent-encoding' }]);
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendProblem(res, e.status, 'Bad Request', String(e.message));
  log.error({ err: loggableError(err), reqId: res.getHeader('x-request-id'), path: req.path }, 'unhandled error');
  return sendProblem(res, 500, 'Internal Server Error', 'an unexpected error occurred; it has been logged with this request id');
};
