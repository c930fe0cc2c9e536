import { FakeServer, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { message, route } from './nethunt-fake-routes';
import { DEFAULT_NETHUNT_FOLDERS, NethuntStore, type NethuntFakeChange, type NethuntFakeFolder, type NethuntFakeRecord, type NethuntValue } from './nethunt-fake-store';

export type { NethuntFakeChange, NethuntFakeFolder, NethuntFakeRecord, NethuntValue } from './nethunt-fake-store';

export interface NethuntFakeOptions extends FakeServerOptions {
  email?: string;
  apiKey?: string;
  folders?: NethuntFakeFolder[];
  /** Calls per sliding minute before a 429 (NetHunt documents none); null = unlimited. */
  requestsPerMinute?: number | null;
  /** Seconds sent in Retry-After with a 429. */
  retryAfterSeconds?: number;
  /** Largest `limit` honoured (larger ones are silently cut). */
  maxLimit?: number;
  order?: 'newest-first' | 'oldest-first';
  /** Answer errors with HTTP 200 and `{"error": {"code", "message"}}`, as Zapier-style APIs sometimes do. */
  errorsWith200?: boolean;
}

const PREFIX = '/api/v1/zapier';

export class NethuntFake extends FakeServer {
  readonly email: string;
  readonly apiKey: string;
  /** Calls refused by the fake's own limit (injected faults excluded): a polite client keeps it at 0. */
  limitViolations = 0;
  errorsWith200: boolean;
  order: 'newest-first' | 'oldest-first';
  private readonly store: NethuntStore;
  private readonly window: SlidingWindow;
  private readonly requestsPerMinute: number | null;
  private readonly retryAfterSeconds: number;
  private readonly maxLimit: number;
  private readonly scripted: FakeResponse[] = [];

  constructor(options: NethuntFakeOptions = {}) {
    super(options);
    this.email = options.email ?? 'owner@example.com';
    this.apiKey = options.apiKey ?? 'nethunt-test-key-0001';
    this.store = new NethuntStore(structuredClone(options.folders ?? DEFAULT_NETHUNT_FOLDERS), this.email);
    this.requestsPerMinute = options.requestsPerMinute === undefined ? null : options.requestsPerMinute;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 30;
    this.maxLimit = options.maxLimit ?? 1000;
    this.order = options.order ?? 'newest-first';
    this.errorsWith200 = options.errorsWith200 ?? false;
    this.window = new SlidingWindow(60_000, this.now);
  }

  /** The API root to give the connector as base URL. */
  get baseUrl(): string {
    return `${this.url}${PREFIX}`;
  }

  // ---- test helpers -------------------------------------------------------

  folders(): NethuntFakeFolder[] {
    return this.store.folders;
  }

  records(folderId?: string): NethuntFakeRecord[] {
    return [...this.store.records.values()].filter((r) => folderId === undefined || r.folderId === folderId);
  }

  recordById(id: string): NethuntFakeRecord | undefined {
    return this.store.records.get(id);
  }

  changes(): NethuntFakeChange[] {
    return this.store.changes;
  }

  /** Seeds a record as a user would create it in NetHunt (no HTTP, no limits); `at` fixes its time. */
  addRecord(folderId: string, fields: Record<string, NethuntValue>, at = this.now()): NethuntFakeRecord {
    return this.store.create(folderId, fields, at);
  }

  /** Seeds `count` records all created at the same instant, e.g. an import. */
  addRecords(folderId: string, count: number, at = this.now()): NethuntFakeRecord[] {
    return Array.from({ length: count }, (_, i) => this.store.create(folderId, { Name: `Imported ${i + 1}` }, at));
  }

  /** Changes a record as a user would in NetHunt: values overwrite, and the change log gets an entry. */
  editRecord(id: string, fields: Record<string, NethuntValue | null>, at = this.now()): NethuntFakeRecord {
    const record = this.store.records.get(id);
    if (!record) throw new Error(`no record ${id}`);
    const actions = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? { overwrite: true } : { overwrite: true, add: v }]));
    this.store.update(record, actions, true, at);
    return record;
  }

  /** The next answers, in order, whatever is asked (malformed bodies, odd errors). */
  scriptNext(...responses: FakeResponse[]): void {
    this.scripted.push(...responses);
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return this.error(429, 'Too many requests', { 'retry-after': String(this.retryAfterSeconds) });
    return this.error(status, status >= 500 ? 'Internal server error' : 'Error');
  }

  protected handle(req: FakeRequest): FakeResponse {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    if (!req.path.startsWith(`${PREFIX}/`)) return this.error(404, 'Not found');
    if (!this.authorized(req)) return this.error(401, 'Unauthorized: wrong e-mail or API key');
    if (!this.window.tryHit(this.requestsPerMinute)) {
      this.limitViolations += 1;
      return this.error(429, 'Too many requests', { 'retry-after': String(this.retryAfterSeconds) });
    }
    const res = route({ store: this.store, now: this.now, maxLimit: this.maxLimit, order: this.order }, { ...req, path: req.path.slice(PREFIX.length) });
    if (res.status >= 400 && this.errorsWith200) return this.error(res.status, (JSON.parse(res.body) as { message: string }).message, res.headers);
    return res;
  }

  private error(status: number, text: string, headers: Record<string, string> = {}): FakeResponse {
    if (this.errorsWith200) return json(200, { error: { code: status, message: text } }, headers);
    return { ...message(status, text), headers: { ...message(status, text).headers, ...headers } };
  }

  private authorized(req: FakeRequest): boolean {
    const encoded = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return encoded !== undefined && Buffer.from(encoded, 'base64').toString('utf8') === `${this.email}:${this.apiKey}`;
  }
}
