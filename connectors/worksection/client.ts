import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { authError, ConnectorError, notFoundError, rateLimitedError, transientError, validationError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import { refreshIfDue } from '../kit/oauth-refresh';
import { strictQuery } from '../kit/strict-query';
import type { ConnectorContext } from '../kit/types';
import { worksectionAuthType, worksectionCredentials, type WorksectionCredentials } from './auth';

export type WorksectionCtx = ConnectorContext<WorksectionCredentials>;
export type Params = Record<string, string | number | undefined | Array<string | number>>;

const API_PATH = '/api/admin/v2/';
/** The user API: the same actions and envelope, signed by a Bearer token instead of the hash. */
const OAUTH_PATH = '/api/oauth2';
/** Worksection refuses GET URLs over 8 KB with 414; we stop a little short of it. */
const MAX_URL = 8_000;
/** "Too many requests" comes with no wait: the limit is one call a second. */
const RATE_WAIT_MS = 1_000;

/**
 * hash = md5(query string + admin key), checked over the query as Worksection receives it: the
 * string is built once with strict encoding, hashed and sent as is (parameter order and encoding
 * are part of what is signed; a ' signed as is but sent as %27 is "Invalid hash").
 */
export function signedQuery(action: string, params: Params, apiKey: string): string {
  const qs = strictQuery({ action, ...params });
  const hash = createHash('md5').update(qs + apiKey).digest('hex');
  return `${qs}&hash=${hash}`;
}

function classify(ctx: WorksectionCtx, res: HttpResponse, message: string, action: string, oauth: boolean): ConnectorError {
  const msg = ctx.http.scrub(message);
  const text = `Worksection ${action}: ${msg}`;
  if (/too many requests/i.test(msg) || res.status === 429) return rateLimitedError('worksection', text, retryAfterMs(res.headers) ?? RATE_WAIT_MS, res.status);
  if (res.status >= 500) return transientError('worksection', text, res.status);
  if (res.status === 401 || res.status === 403 || /hash|api key|unauthori[sz]ed|access denied|token/i.test(msg)) {
    return authError('worksection', `Worksection refused the ${oauth ? 'OAuth access token' : 'admin API key'}: ${msg}`, res.status);
  }
  if (res.status === 404 || /not found|does ?n[o']t exist|unknown (task|project)/i.test(msg)) return notFoundError('worksection', text, res.status);
  return validationError('worksection', text, res.status);
}

/**
 * One API call, by admin key or OAuth token. Worksection answers most errors with HTTP 200 and
 * {"status":"error"}, so the envelope decides, not the status code; every call takes the account's
 * one-a-second slot first. An OAuth token is renewed when about to expire, and once more when
 * Worksection refuses it (a 401), as Google's is.
 */
export async function callWorksection(ctx: WorksectionCtx, action: string, params: Params = {}): Promise<unknown> {
  const oauth = worksectionAuthType(ctx.credentials) === 'oauth2';
  const path = oauth ? `${OAUTH_PATH}?${strictQuery({ action, ...params })}` : `${API_PATH}?${signedQuery(action, params, ctx.credentials.apiKey ?? '')}`;
  if (ctx.baseUrl.length + path.length > MAX_URL) {
    throw validationError('worksection', `Worksection ${action}: the request is longer than the 8 KB Worksection accepts (shorten the text)`);
  }
  if (oauth) await refreshIfDue(ctx, worksectionCredentials);
  for (let renewed = false; ; renewed = true) {
    const answered = await ctx.throttle('requestsPerSecond');
    const sent = ctx.credentials.accessToken;
    const headers: Record<string, string> = { Accept: 'application/json', ...(oauth && { Authorization: `Bearer ${sent ?? ''}` }) };
    const res = await ctx.http.request({ method: 'GET', path, headers }).finally(answered);
    try {
      return answer(ctx, res, action, oauth);
    } catch (e) {
      const refused = e instanceof ConnectorError && e.kind === 'auth' && res.status === 401;
      if (oauth && refused && !renewed && sent !== undefined && (await refreshIfDue(ctx, worksectionCredentials, { refused: sent }))) continue;
      throw e;
    }
  }
}

function answer(ctx: WorksectionCtx, res: HttpResponse, action: string, oauth: boolean): unknown {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status >= 300) throw classify(ctx, res, res.text.slice(0, 200) || `HTTP ${res.status}`, action, oauth);
    throw transientError('worksection', `Worksection ${action}: answer is not JSON (HTTP ${res.status})`, res.status);
  }
  const envelope = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (envelope.status === 'ok' && res.status < 300) return envelope.data;
  const message =
    typeof envelope.message === 'string' ? envelope.message : typeof envelope.errorDescription === 'string' ? envelope.errorDescription : `HTTP ${res.status}`;
  if (envelope.status !== 'error' && res.status < 300) throw transientError('worksection', `Worksection ${action}: answer without a status`, res.status);
  throw classify(ctx, res, message, action, oauth);
}

/** Reads `data` with a schema; a shape we do not understand is the provider's fault, so retryable. */
export function parseData<S extends z.ZodType>(schema: S, data: unknown, action: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw transientError('worksection', `Worksection ${action}: unexpected answer (${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'unreadable'})`);
}

/** Our dates are ISO (YYYY-MM-DD); Worksection takes DD.MM.YYYY. */
export function toWsDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}
