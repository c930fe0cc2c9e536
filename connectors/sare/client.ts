import { z } from 'zod';
import { authError, notFoundError, rateLimitedError, transientError, validationError, type ConnectorError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import type { ConnectorContext } from '../kit/types';
import type { SareCredentials } from './auth';

export type SareContext = ConnectorContext<SareCredentials>;

/** [I] No documented wait: a refused burst waits out a minute. */
const DEFAULT_WAIT_MS = 60_000;

/**
 * [3P] SARE answers `{"code": 200, …}`; [I] errors carry the same `code` (4xx/5xx) and a `message`,
 * and may come with HTTP 200, so the body's code decides as much as the HTTP status.
 */
const body = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.unknown().optional(),
  error: z.unknown().optional(),
  errors: z.unknown().optional(),
  data: z.unknown().optional(),
});

function providerMessage(parsed: z.infer<typeof body> | undefined, res: HttpResponse): string {
  for (const v of [parsed?.message, parsed?.error, parsed?.errors]) {
    if (typeof v === 'string' && v) return v;
    if (v && typeof v === 'object') return JSON.stringify(v).slice(0, 300);
  }
  return res.text.replace(/\s+/g, ' ').trim().slice(0, 200) || `HTTP ${res.status}`;
}

function errorFor(ctx: SareContext, res: HttpResponse, code: number, message: string, what: string): ConnectorError {
  const msg = ctx.http.scrub(message);
  if (code === 401 || code === 403) return authError('sare', `SARE refused the UID or API key: ${msg}`, res.status);
  if (code === 404) return notFoundError('sare', `SARE ${what}: ${msg}`, res.status);
  if (code === 429 || /too many requests|rate limit/i.test(msg)) return rateLimitedError('sare', `SARE ${what}: ${msg}`, retryAfterMs(res.headers) ?? DEFAULT_WAIT_MS, res.status);
  if (code >= 500 || code === 408) return transientError('sare', `SARE ${what}: ${msg}`, res.status);
  return validationError('sare', `SARE ${what}: ${msg}`, res.status);
}

/** One call under /api/v1/{uid}: ApiKey header, JSON both ways, counted against the per-minute limit. */
export async function callSare(ctx: SareContext, method: 'GET' | 'POST', path: string, payload?: unknown): Promise<unknown> {
  const answered = await ctx.throttle('requestsPerMinute');
  const res = await ctx.http.request({
    method,
    path: `/${encodeURIComponent(ctx.credentials.uid)}${path}`,
    headers: { ApiKey: ctx.credentials.apiKey, Accept: 'application/json', ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  }).finally(answered);
  let parsed: z.infer<typeof body> | undefined;
  try {
    const json: unknown = JSON.parse(res.text);
    const r = body.safeParse(json);
    parsed = r.success ? r.data : undefined;
  } catch {
    parsed = undefined;
  }
  const what = `${method} ${path.split('/').slice(0, 3).join('/')}`;
  if (res.status < 200 || res.status >= 300) throw errorFor(ctx, res, res.status, providerMessage(parsed, res), what);
  if (parsed === undefined) throw transientError('sare', `SARE ${what}: answer is not JSON: ${ctx.http.scrub(res.text.slice(0, 120))}`, res.status);
  const code = parsed.code === undefined ? 200 : Number(parsed.code);
  if (!Number.isFinite(code) || code < 200 || code >= 300) throw errorFor(ctx, res, Number.isFinite(code) ? code : 400, providerMessage(parsed, res), what);
  return parsed;
}
