import { z } from 'zod';
import { authError, ConnectorError, notFoundError, rateLimitedError, transientError, validationError, waitOutShortRateLimit } from '../kit/errors';
import { retryAfterMs, type HttpResponse } from '../kit/http';
import { refreshIfDue } from '../kit/oauth-refresh';
import type { ConnectorContext } from '../kit/types';
import { encodeRange } from './a1';
import { googleAuthType, googleSheetsCredentials, type GoogleSheetsCredentials } from './auth';

type Ctx = ConnectorContext<GoogleSheetsCredentials>;

export type CellValue = string | number | boolean;

const valueRange = z.object({
  range: z.string(),
  majorDimension: z.string().optional(),
  // Absent when the range holds no data at all.
  values: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).optional(),
});
export type ValueRange = { range: string; values: CellValue[][] };

const batchResponse = z.object({ spreadsheetId: z.string().optional(), valueRanges: z.array(valueRange).optional() });

/** Google's JSON error envelope (google.rpc.Status), plus the older `errors[].reason` list. */
const googleError = z.object({
  error: z.object({
    code: z.number().int().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ reason: z.string().optional() })).optional(),
    errors: z.array(z.looseObject({ reason: z.string().optional() })).optional(),
  }),
});
type GoogleError = z.infer<typeof googleError>['error'];

export interface ReadOptions {
  valueRenderOption?: 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
  dateTimeRenderOption?: 'SERIAL_NUMBER' | 'FORMATTED_STRING';
}

/** Google asks for exponential backoff and sends no Retry-After on quota errors; quotas refill per minute. */
const DEFAULT_QUOTA_WAIT_MS = 60_000;
const RATE_LIMIT_REASONS = /rate_?limit_?exceeded|userRateLimitExceeded|quota|RESOURCE_EXHAUSTED/i;

function authHeaders(ctx: Ctx): Record<string, string> {
  // The API key goes in a header, not ?key=, so it never lands in a URL (proxy logs, error texts).
  if (googleAuthType(ctx.credentials) === 'api-key') return { 'x-goog-api-key': ctx.credentials.apiKey ?? '' };
  return { Authorization: `Bearer ${ctx.credentials.accessToken ?? ''}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function reasons(e: GoogleError): string[] {
  return [...(e.details ?? []), ...(e.errors ?? [])].flatMap((d) => (d.reason ? [d.reason] : []));
}

/** Maps a Google error (whatever the HTTP status it came with) to a connector error with Google's own words. */
export function errorFor(ctx: Ctx, res: HttpResponse, body: GoogleError | undefined, what: string): ConnectorError {
  const code = body?.code ?? res.status;
  const status = body?.status ?? '';
  const why = reasons(body ?? {});
  const msg = ctx.http.scrub(`Google Sheets ${what}: ${body?.message ?? `HTTP ${res.status}`}${status ? ` (${status})` : ''}`);
  if (code === 429 || status === 'RESOURCE_EXHAUSTED' || why.some((r) => RATE_LIMIT_REASONS.test(r))) {
    return rateLimitedError('google-sheets', msg, retryAfterMs(res.headers) ?? DEFAULT_QUOTA_WAIT_MS, code);
  }
  // A bad API key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID: still a credentials problem.
  if (code === 401 || code === 403 || status === 'UNAUTHENTICATED' || status === 'PERMISSION_DENIED' || why.includes('API_KEY_INVALID') || /API key not valid/i.test(body?.message ?? '')) {
    return authError('google-sheets', msg, code);
  }
  if (code === 404 || status === 'NOT_FOUND') return notFoundError('google-sheets', msg, code);
  if (code >= 500 || code === 408 || status === 'UNAVAILABLE' || status === 'INTERNAL' || status === 'DEADLINE_EXCEEDED') return transientError('google-sheets', msg, code);
  return validationError('google-sheets', msg, code);
}

/**
 * One GET against the Sheets API. Errors are recognised from the body as well as the status, since
 * a proxy or Google's front end can wrap an error envelope in a 200. A short 429 wait is taken in
 * place once; a longer one becomes a rate-limited error for Temporal to wait out.
 */
async function get(ctx: Ctx, path: string, query: Record<string, string | string[] | undefined>, what: string): Promise<unknown> {
  const oauth = googleAuthType(ctx.credentials) === 'oauth2';
  if (oauth) await refreshIfDue(ctx, googleSheetsCredentials);
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    const answered = await ctx.throttle('readRequestsPerMinute');
    const sent = ctx.credentials.accessToken;
    const res = await ctx.http.request({ method: 'GET', path, query, headers: { ...authHeaders(ctx), Accept: 'application/json' } }).finally(answered);
    const body = parseJson(res.text);
    const err = googleError.safeParse(body);
    if (err.success || res.status >= 300) {
      const e = errorFor(ctx, res, err.success ? err.data.error : undefined, what);
      // A token can be revoked or expire early: renew it once and ask again.
      if (oauth && !renewed && e.details.status === 401 && sent !== undefined) {
        renewed = true;
        if (await refreshIfDue(ctx, googleSheetsCredentials, { refused: sent })) continue;
      }
      if (await waitOutShortRateLimit(e, attempt, (d) => ctx.heartbeat(d))) continue;
      throw e;
    }
    if (body === undefined) throw transientError('google-sheets', `Google Sheets ${what}: answer is not JSON (HTTP ${res.status})`, res.status);
    return body;
  }
}

function toValueRange(v: z.infer<typeof valueRange>): ValueRange {
  return { range: v.range, values: (v.values ?? []).map((row) => row.map((cell) => cell ?? '')) };
}

function malformed(what: string, issue: z.ZodError): ConnectorError {
  return transientError('google-sheets', `Google Sheets ${what}: unexpected answer (${issue.issues[0]?.path.join('.') ?? ''} ${issue.issues[0]?.message ?? ''})`);
}

/** spreadsheets.values.get: one range, rows major. */
export async function getValues(ctx: Ctx, spreadsheetId: string, range: string, options: ReadOptions = {}): Promise<ValueRange> {
  const what = `values.get ${range}`;
  const body = await get(ctx, `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/${encodeRange(range)}`, { majorDimension: 'ROWS', ...options }, what);
  const parsed = valueRange.safeParse(body);
  if (!parsed.success) throw malformed(what, parsed.error);
  return toValueRange(parsed.data);
}

/** spreadsheets.values.batchGet: several ranges for one quota unit, answered in the order asked. */
export async function batchGetValues(ctx: Ctx, spreadsheetId: string, ranges: string[], options: ReadOptions = {}): Promise<ValueRange[]> {
  const what = `values.batchGet ${ranges.join(', ')}`;
  const body = await get(ctx, `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values:batchGet`, { ranges, majorDimension: 'ROWS', ...options }, what);
  const parsed = batchResponse.safeParse(body);
  if (!parsed.success) throw malformed(what, parsed.error);
  const out = (parsed.data.valueRanges ?? []).map(toValueRange);
  if (out.length !== ranges.length) throw transientError('google-sheets', `Google Sheets ${what}: ${out.length} ranges answered for ${ranges.length} asked`);
  return out;
}

const sheetsBody = z.object({
  sheets: z
    .array(z.object({ properties: z.object({ sheetId: z.number(), title: z.string(), index: z.number().optional(), gridProperties: z.object({ rowCount: z.number(), columnCount: z.number() }).partial().optional() }) }))
    .default([]),
});
export type SheetProperties = z.infer<typeof sheetsBody>['sheets'][number]['properties'];

/** spreadsheets.get, only the sheets' (tabs') properties: their names, ids and sizes. */
export async function getSheets(ctx: Ctx, spreadsheetId: string): Promise<SheetProperties[]> {
  const what = 'spreadsheets.get';
  const body = await get(ctx, `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}`, { fields: 'sheets.properties(sheetId,title,index,gridProperties)' }, what);
  const parsed = sheetsBody.safeParse(body);
  if (!parsed.success) throw malformed(what, parsed.error);
  return parsed.data.sheets.map((s) => s.properties);
}

/**
 * Proves the credentials with a read of a spreadsheet that cannot exist: Google checks the token
 * or key first, so "not found" means they were accepted, and no user sheet id is needed.
 */
export async function probeCredentials(ctx: Ctx): Promise<void> {
  try {
    await getValues(ctx, 'credential-check-0000000000000000000000000', 'A1');
  } catch (e) {
    if (e instanceof ConnectorError && e.kind === 'not-found') return;
    throw e;
  }
}
