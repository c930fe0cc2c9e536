import { z } from 'zod';
import { authError, ConnectorError, notFoundError, rateLimitedError, transientError, validationError, waitOutShortRateLimit } from '../kit/errors';
import { retryAfterMs, type HttpRequest, type HttpResponse } from '../kit/http';
import type { ConnectorContext } from '../kit/types';
import type { Sms8x8Credentials } from './auth';

type Ctx = ConnectorContext<Sms8x8Credentials>;

/** 8x8's error body for every status ≥ 400. */
const errorBody = z.object({ code: z.number().int(), message: z.string().optional(), errorId: z.string().optional() });

const AUTH_CODES = new Set([1001, 1200, 1201]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** "Quota exceeded. Please try again in 1 second(s)." when the Retry-After header is missing. */
function waitFromMessage(message: string): number | undefined {
  const m = /try again in (\d+(?:\.\d+)?) second/i.exec(message);
  return m ? Number(m[1]) * 1000 : undefined;
}

export function errorFor(ctx: Ctx, res: HttpResponse, what: string): ConnectorError {
  const parsed = errorBody.safeParse(parseJson(res.text));
  const body = parsed.success ? parsed.data : undefined;
  const code = body?.code;
  const text = body ? (body.message ?? `error ${body.code}`) : res.text.slice(0, 200) || `HTTP ${res.status}`;
  const ref = body ? ` (code ${body.code}${body.errorId ? `, errorId ${body.errorId}` : ''})` : '';
  const msg = ctx.http.scrub(`8x8 ${what}: ${text}${ref}`);
  const withCode = (e: ConnectorError) => {
    if (code !== undefined) e.details.providerCode = code;
    return e;
  };
  if (res.status === 429) return withCode(rateLimitedError('8x8', msg, retryAfterMs(res.headers) ?? waitFromMessage(text) ?? 1_000, 429));
  // A sub-account that is not the key's (1001) is a credentials problem whatever status carries it.
  if (res.status === 401 || res.status === 403 || (code !== undefined && AUTH_CODES.has(code))) return withCode(authError('8x8', msg, res.status));
  if (res.status === 404 || code === 1300) return withCode(notFoundError('8x8', msg, res.status));
  if (res.status >= 500 || code === 2000) return withCode(transientError('8x8', msg, res.status));
  return withCode(validationError('8x8', msg, res.status));
}

/** A send that got no answer may still have been queued: say so, for whoever reconciles. */
async function request(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await ctx.http.request(req);
  } catch (e) {
    if (req.method === 'POST' && e instanceof ConnectorError && e.kind === 'transient') {
      throw transientError('8x8', `${e.message}; the messages may have been accepted`, e.details.status);
    }
    throw e;
  }
}

/**
 * One JSON call under /api/v1/subaccounts/{subAccountId}. 429 means 8x8 did not take the request,
 * so a short Retry-After is waited out and the call repeated once; a longer one goes back to
 * Temporal as a rate-limited error. Nothing else is repeated here: a send that failed on the way
 * may have been accepted.
 */
export async function call8x8(ctx: Ctx, method: 'GET' | 'POST', path: string, what: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const answered = await ctx.throttle('requestsPerSecond');
    const res = await request(ctx, {
      method,
      path: `/api/v1/subaccounts/${encodeURIComponent(ctx.credentials.subAccountId)}${path}`,
      headers: {
        Authorization: `Bearer ${ctx.credentials.apiKey}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
    }).finally(answered);
    if (res.status >= 300) {
      const e = errorFor(ctx, res, what);
      if (await waitOutShortRateLimit(e, attempt, (d) => ctx.heartbeat(d))) continue;
      throw e;
    }
    const parsed = parseJson(res.text);
    if (parsed === undefined) {
      // The request got through; whether 8x8 queued anything is unknown.
      throw transientError('8x8', `8x8 ${what}: answer is not JSON (HTTP ${res.status}); the messages may have been accepted`, res.status);
    }
    return parsed;
  }
}

/**
 * Proves the key and the sub-account with a lookup of a message id that cannot exist: 8x8 checks
 * both before looking, so "not found" means they were accepted.
 */
export async function probeCredentials(ctx: Ctx): Promise<void> {
  try {
    await call8x8(ctx, 'GET', '/messages/00000000-0000-0000-0000-000000000000', 'credentials check');
  } catch (e) {
    if (e instanceof ConnectorError && e.kind === 'not-found') return;
    throw e;
  }
}
