import type { z } from 'zod';
import { authError, ConnectorError, rateLimitedError, transientError, validationError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import type { ConnectorContext } from '../kit/types';
import type { NethuntCredentials } from './auth';

export type NethuntCtx = ConnectorContext<NethuntCredentials>;

/** NetHunt sends no Retry-After we could find documented; a short wait keeps a burst from hammering it. */
const DEFAULT_RATE_WAIT_MS = 10_000;

function basicAuth(ctx: NethuntCtx): string {
  return `Basic ${Buffer.from(`${ctx.credentials.email}:${ctx.credentials.apiKey}`).toString('base64')}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The provider's words from an error body: `message`, `error` (text or `{message}`), or the raw text. */
function providerMessage(body: unknown, raw: string): string {
  if (isObject(body)) {
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
    if (isObject(body.error) && typeof body.error.message === 'string') return body.error.message;
  }
  return raw.slice(0, 300);
}

/**
 * A 200 answer can still be an error (Zapier-style APIs often wrap failures): an object with an
 * `error` member or `success: false` where data was expected. Its code, if any, decides the kind.
 */
function embeddedError(body: unknown): { message: string; code?: number } | undefined {
  if (!isObject(body)) return undefined;
  if (body.error === undefined && body.success !== false && body.status !== 'error') return undefined;
  const code = isObject(body.error) && typeof body.error.code === 'number' ? body.error.code : typeof body.code === 'number' ? body.code : undefined;
  return { message: providerMessage(body, JSON.stringify(body)), code };
}

function classify(ctx: NethuntCtx, res: HttpResponse, status: number, message: string, what: string): ConnectorError {
  const msg = ctx.http.scrub(message || `HTTP ${status}`);
  if (status === 401 || status === 403 || /unauthori[sz]ed|invalid (api )?key|authenticat|credentials/i.test(msg)) {
    return authError('nethunt', `NetHunt refused the e-mail or API key: ${msg}`, status);
  }
  if (status === 429 || /too many requests|rate limit/i.test(msg)) {
    return rateLimitedError('nethunt', `NetHunt ${what}: ${msg}`, retryAfterMs(res.headers) ?? DEFAULT_RATE_WAIT_MS, status);
  }
  if (status >= 200 && status < 300) return validationError('nethunt', `NetHunt ${what}: ${msg}`, status);
  return ctx.http.errorForStatus({ ...res, status }, `NetHunt ${what}: ${msg}`);
}

/**
 * One call to the NetHunt Integration API, counted against the account's limit. Returns the parsed
 * JSON; every failure (HTTP status, error wrapped in a 200, unreadable body) becomes a typed error.
 */
export async function nethunt(
  ctx: NethuntCtx,
  method: 'GET' | 'POST',
  path: string,
  options: { query?: Record<string, string | number | boolean | undefined | string[]>; body?: unknown } = {},
): Promise<unknown> {
  const answered = await ctx.throttle('requestsPerMinute');
  // The header's base64 of "e-mail:key" contains neither secret's own base64: scrubbed as a whole.
  const authorization = basicAuth(ctx);
  ctx.http.addSecret(authorization);
  ctx.http.addSecret(authorization.replace(/^Basic /, ''));
  const res = await ctx.http.request({
    method,
    path,
    query: options.query,
    headers: {
      Authorization: authorization,
      Accept: 'application/json',
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  }).finally(answered);
  const what = `${method} ${path}`;
  let body: unknown;
  let parsed = true;
  try {
    body = res.text.trim() === '' ? undefined : JSON.parse(res.text);
  } catch {
    parsed = false;
  }
  if (res.status >= 300) throw classify(ctx, res, res.status, providerMessage(body, res.text), what);
  if (!parsed) throw transientError('nethunt', `NetHunt ${what}: answer is not JSON (HTTP ${res.status})`, res.status);
  const embedded = embeddedError(body);
  if (embedded) throw classify(ctx, res, embedded.code ?? res.status, embedded.message, what);
  return body;
}

/** Reads an answer with a zod schema; a shape we do not understand is the provider's fault, so retryable. */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw transientError('nethunt', `NetHunt ${what}: unexpected answer (${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'unreadable'})`);
}
