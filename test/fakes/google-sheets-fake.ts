import { FakeServer, firstValue, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { cellsOf, formatRange, resolveRange, type FakeCell, type FakeSheet } from './google-sheets-fake-a1';

export type { FakeCell, FakeSheet } from './google-sheets-fake-a1';

export interface GoogleSheetsFakeOptions extends FakeServerOptions {
  /** Valid OAuth access tokens. */
  accessTokens?: string[];
  /** Valid API keys (they read only link-shared spreadsheets). */
  apiKeys?: string[];
  /** Read requests per minute per user (token or key); Google's default 60; null = unlimited. */
  readsPerMinutePerUser?: number | null;
  /** Read requests per minute for the whole project; Google's default 300; null = unlimited. */
  readsPerMinutePerProject?: number | null;
  /** Google sends no Retry-After on quota errors; set this to have the fake send one. */
  quotaRetryAfterSeconds?: number;
}

export interface SpreadsheetSeed {
  id?: string;
  /** Sheet title → rows (row 1 first). */
  sheets: Record<string, FakeCell[][]>;
  /** Shared as "anyone with the link can view": readable with an API key. */
  linkShared?: boolean;
  /** Tokens with access; every valid token when absent. */
  readers?: string[];
}

interface Spreadsheet {
  id: string;
  sheets: FakeSheet[];
  linkShared: boolean;
  readers: Set<string> | undefined;
}

type Caller = { kind: 'token'; token: string } | { kind: 'key'; key: string };

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** google.rpc.Status as the Sheets API sends it. */
export function googleError(code: number, message: string, extra: { reason?: string; headers?: Record<string, string>; httpStatus?: number } = {}): FakeResponse {
  const details = extra.reason ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: extra.reason, domain: 'googleapis.com' }] : undefined;
  return json(extra.httpStatus ?? code, { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } }, extra.headers);
}

const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

const RENDER = new Set(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']);
const DATE_RENDER = new Set(['SERIAL_NUMBER', 'FORMATTED_STRING']);
const DIMENSIONS = new Set(['ROWS', 'COLUMNS']);

export class GoogleSheetsFake extends FakeServer {
  /** Requests answered 429 by the quota (injected faults excluded): a well-behaved client keeps this at 0. */
  quotaViolations = 0;
  private readonly tokens: Set<string>;
  private readonly tokenExpiry = new Map<string, number>();
  private readonly keys: Set<string>;
  private readonly perUser: number | null;
  private readonly perProject: number | null;
  private readonly quotaRetryAfter: number | undefined;
  private readonly spreadsheets = new Map<string, Spreadsheet>();
  private readonly userWindows = new Map<string, SlidingWindow>();
  private readonly projectWindow: SlidingWindow;
  private readonly scripted: FakeResponse[] = [];
  private seq = 0;

  constructor(options: GoogleSheetsFakeOptions = {}) {
    super(options);
    this.tokens = new Set(options.accessTokens ?? ['ya29.fake-access-token']);
    this.keys = new Set(options.apiKeys ?? ['AIzaSyFakeKey0000000000000000000000000']);
    this.perUser = options.readsPerMinutePerUser === undefined ? 60 : options.readsPerMinutePerUser;
    this.perProject = options.readsPerMinutePerProject === undefined ? 300 : options.readsPerMinutePerProject;
    this.quotaRetryAfter = options.quotaRetryAfterSeconds;
    this.projectWindow = new SlidingWindow(60_000, this.now);
  }

  // ---- test helpers -------------------------------------------------------

  addSpreadsheet(seed: SpreadsheetSeed): string {
    const id = seed.id ?? `1Fake${String(++this.seq).padStart(6, '0')}SpreadsheetIdAbCdEfGhIjKlMnOp`;
    const sheets = Object.entries(seed.sheets).map(([title, rows]) => ({
      title,
      rows: rows.map((r) => [...r]),
      gridRows: Math.max(1000, rows.length),
      // reduce, not a spread: a sheet of 150,000 rows is more arguments than the stack holds.
      gridColumns: rows.reduce((most, r) => Math.max(most, r.length), 26),
    }));
    this.spreadsheets.set(id, { id, sheets, linkShared: seed.linkShared ?? false, readers: seed.readers ? new Set(seed.readers) : undefined });
    return id;
  }

  /** Rows of a sheet as stored (row 1 first). */
  rows(spreadsheetId: string, sheet: string): FakeCell[][] {
    return this.sheet(spreadsheetId, sheet).rows;
  }

  /** Appends below the last non-blank row, growing the grid like a form or an import does. */
  appendRows(spreadsheetId: string, sheet: string, rows: FakeCell[][]): number {
    const s = this.sheet(spreadsheetId, sheet);
    while (s.rows.length > 0 && s.rows[s.rows.length - 1]!.every((c) => c === '')) s.rows.pop();
    const first = s.rows.length + 1;
    s.rows.push(...rows.map((r) => [...r]));
    s.gridRows = Math.max(s.gridRows, s.rows.length);
    return first;
  }

  setRow(spreadsheetId: string, sheet: string, rowNumber: number, cells: FakeCell[]): void {
    const s = this.sheet(spreadsheetId, sheet);
    while (s.rows.length < rowNumber) s.rows.push([]);
    s.rows[rowNumber - 1] = [...cells];
    s.gridRows = Math.max(s.gridRows, s.rows.length);
  }

  /** Deletes rows as "Delete row" does: rows below move up and the grid shrinks. */
  deleteRows(spreadsheetId: string, sheet: string, rowNumber: number, count = 1): void {
    const s = this.sheet(spreadsheetId, sheet);
    s.rows.splice(rowNumber - 1, count);
    s.gridRows -= count;
  }

  insertRows(spreadsheetId: string, sheet: string, rowNumber: number, rows: FakeCell[][]): void {
    const s = this.sheet(spreadsheetId, sheet);
    while (s.rows.length < rowNumber - 1) s.rows.push([]);
    s.rows.splice(rowNumber - 1, 0, ...rows.map((r) => [...r]));
    s.gridRows += rows.length;
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** Accepts an access token until `expiresAt` (ms, on this fake's clock): how the OAuth fake's tokens become valid here. */
  grantToken(token: string, expiresAt?: number): void {
    this.tokens.add(token);
    if (expiresAt === undefined) this.tokenExpiry.delete(token);
    else this.tokenExpiry.set(token, expiresAt);
  }

  /** The token has passed its expiry (as if its hour were over). */
  expireToken(token: string): void {
    this.tokenExpiry.set(token, this.now() - 1);
  }

  /** The next requests get these answers instead of the real one (e.g. an error inside a 200, a body that is not JSON). */
  scriptNext(...responses: FakeResponse[]): void {
    this.scripted.push(...responses);
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return this.quotaError('Read requests per minute per user');
    // Google's front end answers a bad gateway with an HTML page, not JSON.
    if (status === 502) return { status, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '<!DOCTYPE html><title>Error 502 (Server Error)!!1</title>' };
    if (status === 503) return googleError(503, 'The service is currently unavailable.');
    return googleError(status, status >= 500 ? 'Internal error encountered.' : 'Request failed');
  }

  protected handle(req: FakeRequest): FakeResponse {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    const single = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+)$/.exec(req.path);
    const batch = /^\/v4\/spreadsheets\/([^/]+)\/values:batchGet$/.exec(req.path);
    const meta = /^\/v4\/spreadsheets\/([^/:]+)$/.exec(req.path);
    if (!single && !batch && !meta) return googleError(404, 'Requested entity was not found.');
    if (req.method !== 'GET') return googleError(400, `Invalid method ${req.method}`);

    const caller = this.caller(req);
    if ('status' in caller) return caller;
    const quota = this.takeQuota(caller);
    if (quota) return quota;

    const id = decodeURIComponent((single ?? batch ?? meta)![1]!);
    const spreadsheet = this.spreadsheets.get(id);
    if (!spreadsheet) return googleError(404, 'Requested entity was not found.');
    const allowed = caller.kind === 'key' ? spreadsheet.linkShared : !spreadsheet.readers || spreadsheet.readers.has(caller.token);
    if (!allowed) return googleError(403, 'The caller does not have permission');

    // spreadsheets.get: the sheets' properties (a `fields` mask is not applied: the answer is a superset).
    if (meta) {
      return json(200, {
        spreadsheetId: spreadsheet.id,
        sheets: spreadsheet.sheets.map((sheet, index) => ({
          properties: { sheetId: index === 0 ? 0 : 1_000_000 + index, title: sheet.title, index, sheetType: 'GRID', gridProperties: { rowCount: sheet.gridRows, columnCount: sheet.gridColumns } },
        })),
      });
    }
    const options = this.renderOptions(req);
    if ('status' in options) return options;
    if (single) {
      const vr = this.valueRange(spreadsheet, decodeURIComponent(single[2]!), options);
      return 'status' in vr ? vr : json(200, vr);
    }
    const raw = req.query.ranges;
    const ranges = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const valueRanges = [];
    for (const r of ranges) {
      const vr = this.valueRange(spreadsheet, r, options);
      if ('status' in vr) return vr;
      valueRanges.push(vr);
    }
    return json(200, { spreadsheetId: id, valueRanges });
  }

  private caller(req: FakeRequest): Caller | FakeResponse {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined) {
      if (!this.tokens.has(bearer)) {
        return googleError(401, INVALID_CREDENTIALS, { reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' });
      }
      const expiry = this.tokenExpiry.get(bearer);
      if (expiry !== undefined && expiry <= this.now()) {
        return googleError(401, INVALID_CREDENTIALS, { reason: 'ACCESS_TOKEN_EXPIRED', headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } });
      }
      return { kind: 'token', token: bearer };
    }
    const key = req.headers['x-goog-api-key'] ?? firstValue(req.query.key);
    if (key !== undefined) {
      if (!this.keys.has(key)) return googleError(400, 'API key not valid. Please pass a valid API key.', { reason: 'API_KEY_INVALID' });
      return { kind: 'key', key };
    }
    return googleError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
  }

  private takeQuota(caller: Caller): FakeResponse | undefined {
    const id = caller.kind === 'token' ? `t:${caller.token}` : `k:${caller.key}`;
    let window = this.userWindows.get(id);
    if (!window) {
      window = new SlidingWindow(60_000, this.now);
      this.userWindows.set(id, window);
    }
    if (!window.tryHit(this.perUser)) {
      this.quotaViolations++;
      return this.quotaError('Read requests per minute per user');
    }
    if (!this.projectWindow.tryHit(this.perProject)) {
      this.quotaViolations++;
      return this.quotaError('Read requests per minute');
    }
    return undefined;
  }

  private quotaError(limit: string): FakeResponse {
    const headers = this.quotaRetryAfter === undefined ? undefined : { 'retry-after': String(this.quotaRetryAfter) };
    return googleError(429, `Quota exceeded for quota metric 'Read requests' and limit '${limit}' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'.`, {
      reason: 'RATE_LIMIT_EXCEEDED',
      headers,
    });
  }

  private renderOptions(req: FakeRequest): { render: string; dimension: string } | FakeResponse {
    const render = firstValue(req.query.valueRenderOption) ?? 'FORMATTED_VALUE';
    const dateRender = firstValue(req.query.dateTimeRenderOption) ?? 'SERIAL_NUMBER';
    const dimension = firstValue(req.query.majorDimension) ?? 'ROWS';
    if (!RENDER.has(render)) return googleError(400, `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "${render}"`);
    if (!DATE_RENDER.has(dateRender)) return googleError(400, `Invalid value at 'date_time_render_option' (type.googleapis.com/google.apps.sheets.v4.DateTimeRenderOption), "${dateRender}"`);
    if (!DIMENSIONS.has(dimension)) return googleError(400, `Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${dimension}"`);
    return { render, dimension };
  }

  private valueRange(spreadsheet: Spreadsheet, text: string, options: { render: string; dimension: string }) {
    const resolved = resolveRange(text, spreadsheet.sheets);
    if (!resolved.ok) return googleError(400, resolved.message);
    // Formatted values are text as displayed; booleans show as TRUE/FALSE.
    const render = options.render === 'FORMATTED_VALUE' ? (v: FakeCell) => (typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)) : (v: FakeCell) => v;
    let values = cellsOf(resolved.range, render);
    if (options.dimension === 'COLUMNS') values = transpose(values);
    return { range: formatRange(resolved.range), majorDimension: options.dimension, ...(values.length > 0 ? { values } : {}) };
  }

  private sheet(spreadsheetId: string, title: string): FakeSheet {
    const sheet = this.spreadsheets.get(spreadsheetId)?.sheets.find((s) => s.title === title);
    if (!sheet) throw new Error(`GoogleSheetsFake: no sheet ${title} in ${spreadsheetId}`);
    return sheet;
  }
}

function transpose(rows: FakeCell[][]): FakeCell[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const out: FakeCell[][] = [];
  for (let c = 0; c < width; c++) {
    const col = rows.map((r) => r[c] ?? '');
    while (col.length > 0 && col[col.length - 1] === '') col.pop();
    out.push(col);
  }
  return out;
}
