import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { authError, ConnectorError, notFoundError, rateLimitedError, transientError, validationError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import { strictQuery } from '../kit/strict-query';
import type { ConnectorContext } from '../kit/types';
import type { WorksectionCredentials } from './auth';

export type WorksectionCtx = ConnectorContext<WorksectionCredentials>;
export type Params = Record<string, string | number | undefined | Array<string | number>>;

const API_PATH = '/api/admin/v2/';
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

function classify(ctx: WorksectionCtx, res: HttpResponse, message: string, action: string): ConnectorError {
  const msg = ctx.http.scrub(message);
  const text = `Worksection ${action}: ${msg}`;
  if (/too many requests/i.test(msg) || res.status === 429) return rateLimitedError('worksection', text, retryAfterMs(res.headers) ?? RATE_WAIT_MS, res.status);
  if (res.status >= 500) return transientError('worksection', text, res.status);
  if (res.status === 401 || res.status === 403 || /hash|api key|unauthori[sz]ed|access denied|token/i.test(msg)) {
    return authError('worksection', `Worksection refused the admin API key: ${msg}`, res.status);
  }
  if (res.status === 404 || /not found|does ?n[o']t exist|unknown (task|project)/i.test(msg)) return notFoundError('worksection', text, res.status);
  return validationError('worksection', text, res.status);
}

/**
 * One admin API call. Worksection answers most errors with HTTP 200 and {"status":"error"}, so the
 * envelope decides, not the status code; every call takes the account's one-a-second slot first.
 */
export async function callWorksection(ctx: WorksectionCtx, action: string, params: Params = {}): Promise<unknown> {
  const path = `${API_PATH}?${signedQuery(action, params, ctx.credentials.apiKey)}`;
  if (ctx.baseUrl.length + path.length > MAX_URL) {
    throw validationError('worksection', `Worksection ${action}: the request is longer than the 8 KB Worksection accepts (shorten the text)`);
  }
  const answered = await ctx.throttle('requestsPerSecond');
  const res = await ctx.http.request({ method: 'GET', path, headers: { Accept: 'application/json' } }).finally(answered);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status >= 300) throw classify(ctx, res, res.text.slice(0, 200) || `HTTP ${res.status}`, action);
    throw transientError('worksection', `Worksection ${action}: answer is not JSON (HTTP ${res.status})`, res.status);
  }
  const envelope = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (envelope.status === 'ok' && res.status < 300) return envelope.data;
  const message =
    typeof envelope.message === 'string' ? envelope.message : typeof envelope.errorDescription === 'string' ? envelope.errorDescription : `HTTP ${res.status}`;
  if (envelope.status !== 'error' && res.status < 300) throw transientError('worksection', `Worksection ${action}: answer without a status`, res.status);
  throw classify(ctx, res, message, action);
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
