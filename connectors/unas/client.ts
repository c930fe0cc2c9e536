import { createHash } from 'node:crypto';
import { authError, ConnectorError, rateLimitedError, transientError } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import type { Answered } from '../kit/rate-limiter';
import type { ConnectorContext } from '../kit/types';
import { createXmlParser, toXml } from '../kit/xml';
import type { UnasCredentials } from './auth';

const parser = createXmlParser(['Order', 'Item', 'Permission', 'Param', 'Comment', 'Variant']);

/** Tokens live 2 hours; we renew 10 minutes early so a long page never straddles the expiry. */
const TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
const RENEW_MARGIN_MS = 10 * 60 * 1000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** One token per account and key, shared by every activity of this worker process. */
const tokens = new Map<string, CachedToken>();

export type XmlNode = Record<string, unknown>;

function cacheKey(ctx: ConnectorContext<UnasCredentials>) {
  return `${ctx.accountId}:${createHash('sha256').update(ctx.credentials.apiKey).digest('hex').slice(0, 16)}`;
}

function parseXml(ctx: ConnectorContext<UnasCredentials>, res: HttpResponse): XmlNode {
  try {
    const doc: unknown = parser.parse(res.text);
    if (doc && typeof doc === 'object') return doc as XmlNode;
  } catch {
    // fall through: not XML at all
  }
  if (res.status >= 500 || res.status === 429) throw ctx.http.errorForStatus(res, `HTTP ${res.status}`);
  throw transientError('unas', `unreadable answer (HTTP ${res.status}): ${ctx.http.scrub(res.text.slice(0, 200))}`, res.status);
}

/** UNAS answers errors as a bare <Error> root, with HTTP 400 or even 200: the root tag decides. */
function errorText(doc: XmlNode): string | undefined {
  const e = doc.Error;
  if (e === undefined) return undefined;
  return typeof e === 'string' ? e : JSON.stringify(e);
}

function classify(ctx: ConnectorContext<UnasCredentials>, res: HttpResponse, message: string): ConnectorError {
  const msg = ctx.http.scrub(message);
  // A quota breached ("Too much getOrder query, IP is banned till …") bans the IP for the shop
  // until then, an hour without a date: calling sooner only prolongs it. A plain "too many
  // requests" (a 429 from a proxy in front) is not a ban: its Retry-After, or a minute.
  if (/banned|too much/i.test(msg)) return rateLimitedError('unas', `UNAS: ${msg}`, banWaitMs(msg), res.status);
  if (res.status === 429 || /too many requests/i.test(msg)) return rateLimitedError('unas', `UNAS: ${msg}`, retryAfterMs(res.headers) ?? 60_000, res.status);
  if (res.status >= 500) return ctx.http.errorForStatus(res, `UNAS: ${msg}`);
  if (/api ?key|permission|not allowed|unauthori[sz]ed|login/i.test(msg)) return authError('unas', `UNAS: ${msg}`, res.status);
  return ctx.http.errorForStatus(res.status >= 400 ? res : { ...res, status: 400 }, `UNAS: ${msg}`);
}

/** "IP is banned till 2022.02.28 10:00:00" (either date order): wait until then, else an hour. */
export function banWaitMs(message: string, now = Date.now()): number {
  const m = /till\s+(\d{2,4})\.(\d{2})\.(\d{2,4})\.?\s+(\d{2}):(\d{2}):(\d{2})/.exec(message);
  if (m) {
    const [a, b, c] = [m[1]!, m[2]!, m[3]!];
    const [y, mo, d] = a.length === 4 ? [a, b, c] : [c, a, b];
    const at = Date.parse(`${y}-${mo}-${d}T${m[4]}:${m[5]}:${m[6]}+01:00`);
    if (!Number.isNaN(at) && at > now) return at - now + 60_000;
  }
  return 60 * 60 * 1000;
}

export async function login(ctx: ConnectorContext<UnasCredentials>): Promise<{ token: string; shopId?: string; permissions: string[] }> {
  const answered = await ctx.throttle('callsPerHour');
  const res = await ctx.http.request({
    method: 'POST',
    path: '/login',
    headers: { 'Content-Type': 'application/xml' },
    body: toXml({ Params: { ApiKey: ctx.credentials.apiKey, WebshopInfo: 'false' } }),
  }).finally(answered);
  const doc = parseXml(ctx, res);
  const err = errorText(doc);
  // A refused login is never retried: UNAS bans an IP after a handful of failed logins.
  if (err !== undefined) {
    const e = classify(ctx, res, err);
    throw e.retryable ? e : authError('unas', `UNAS refused the API key: ${ctx.http.scrub(err)}`, res.status);
  }
  const loginNode = doc.Login as XmlNode | undefined;
  const token = typeof loginNode?.Token === 'string' ? loginNode.Token : undefined;
  if (!token) throw transientError('unas', 'UNAS login answered without a token', res.status);
  // The session token is as good as the key for two hours: no provider answer may echo it, even one
  // to a call that did not carry it (a cached token is sent by other contexts' clients too).
  ctx.http.addSecret(token);
  const perms = (loginNode?.Permissions as XmlNode | undefined)?.Permission;
  tokens.set(cacheKey(ctx), { token, expiresAt: Date.now() + TOKEN_TTL_MS });
  return {
    token,
    shopId: typeof loginNode?.ShopId === 'string' ? loginNode.ShopId : undefined,
    permissions: Array.isArray(perms) ? perms.filter((p): p is string => typeof p === 'string') : [],
  };
}

async function currentToken(ctx: ConnectorContext<UnasCredentials>): Promise<string> {
  const cached = tokens.get(cacheKey(ctx));
  if (cached && cached.expiresAt - RENEW_MARGIN_MS > Date.now()) {
    ctx.http.addSecret(cached.token);
    return cached.token;
  }
  return (await login(ctx)).token;
}

/**
 * Calls one UNAS function with a <Params> body. An expired or unknown token is renewed once and
 * the call repeated; every other <Error> is classified (ban → wait, auth → stop, else request error).
 */
export async function callUnas(
  ctx: ConnectorContext<UnasCredentials>,
  fn: string,
  params: Record<string, unknown>,
  limits: readonly string[],
): Promise<XmlNode> {
  for (let attempt = 0; ; attempt++) {
    const token = await currentToken(ctx);
    const answered: Answered[] = [];
    for (const limit of ['callsPerHour', ...limits]) answered.push(await ctx.throttle(limit));
    const res = await ctx.http.request({
      method: 'POST',
      path: `/${fn}`,
      headers: { 'Content-Type': 'application/xml', Authorization: `Bearer ${token}` },
      body: toXml({ Params: params }),
      timeoutMs: 120_000,
    }).finally(() => Promise.all(answered.map((a) => a())));
    const doc = parseXml(ctx, res);
    const err = errorText(doc);
    if (err === undefined) {
      if (res.status >= 400) throw ctx.http.errorForStatus(res, `UNAS ${fn}: HTTP ${res.status}`);
      return doc;
    }
    if (/token/i.test(err) && attempt === 0) {
      tokens.delete(cacheKey(ctx));
      continue;
    }
    throw classify(ctx, res, err);
  }
}
