import { authError, ConnectorError, rateLimitedError, transientError } from '../kit/errors';
import type { HttpResponse } from '../kit/http';
import type { ConnectorContext } from '../kit/types';
import type { MiniCrmCredentials } from './auth';

type Ctx = ConnectorContext<MiniCrmCredentials>;

function basicAuth(ctx: Ctx) {
  return `Basic ${Buffer.from(`${ctx.credentials.systemId}:${ctx.credentials.apiKey}`).toString('base64')}`;
}

function providerMessage(res: HttpResponse): string {
  try {
    const body: unknown = JSON.parse(res.text);
    if (body && typeof body === 'object' && 'Message' in body && typeof body.Message === 'string') return body.Message;
  } catch {
    // plain text body
  }
  return res.text.slice(0, 300) || `HTTP ${res.status}`;
}

/**
 * MiniCRM answers bad credentials (and plans without API access) with 404 "Unauthorized", and
 * 429 without Retry-After: we wait out a good part of its one-minute window.
 */
function errorFor(ctx: Ctx, res: HttpResponse, what: string): ConnectorError {
  const msg = ctx.http.scrub(providerMessage(res));
  if ((res.status === 404 && /unauthori[sz]ed|access denied/i.test(msg)) || res.status === 401 || res.status === 403) {
    return authError('minicrm', `MiniCRM refused the system id or API key: ${msg}`, res.status);
  }
  if (res.status === 429) return rateLimitedError('minicrm', `MiniCRM ${what}: ${msg}`, 20_000, 429);
  return ctx.http.errorForStatus(res, `MiniCRM ${what}: ${msg}`);
}

/** One R3 JSON call, counted against the account's per-minute limit. */
export async function r3(ctx: Ctx, method: 'GET' | 'PUT', path: string, options: { query?: Record<string, string | number>; body?: unknown } = {}): Promise<unknown> {
  const answered = await ctx.throttle('requestsPerMinute');
  const res = await ctx.http.request({
    method,
    path: `/Api/R3${path}`,
    query: options.query,
    headers: { Authorization: basicAuth(ctx), Accept: 'application/json', ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  }).finally(answered);
  if (res.status >= 300) throw errorFor(ctx, res, `${method} ${path}`);
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    throw transientError('minicrm', `MiniCRM ${method} ${path}: answer is not JSON`, res.status);
  }
}

/** Uploads one XML sync document; counted against the XML-sync hourly limit, not the R3 one. */
export async function uploadSyncXml(ctx: Ctx, xml: string): Promise<unknown> {
  const answered = await ctx.throttle('syncUploadsPerHour');
  const res = await ctx.http.request({
    method: 'POST',
    path: `/Api/SyncFeed/${encodeURIComponent(ctx.credentials.systemId)}/Upload`,
    headers: { Authorization: basicAuth(ctx), 'Content-Type': 'application/xml' },
    body: xml,
    timeoutMs: 180_000,
  }).finally(answered);
  if (res.status >= 300) throw errorFor(ctx, res, 'XML sync upload');
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return {};
  }
}
