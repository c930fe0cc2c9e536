import { FakeServer, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { isRecord, SlidingWindow } from './fake-util';
import * as api from './sumit-fake-api';
import { CUSTOMERS_FOLDER, SumitStore, type SumitDocumentState, type SumitEmailState, type SumitEntityState, type SumitFolderState, type SumitSmsState } from './sumit-fake-store';

export { CREATED_PROPERTY, CUSTOMERS_FOLDER, UPDATED_PROPERTY } from './sumit-fake-store';
export type { SumitDocumentState, SumitEmailState, SumitEntityState, SumitSmsState } from './sumit-fake-store';

export interface SumitFakeOptions extends FakeServerOptions {
  companyId?: number;
  apiKey?: string;
  /** Calls per sliding minute before the "temporary block" (documented: about 100); null = unlimited. */
  requestsPerMinute?: number | null;
  /** How the block is answered [I: SUMIT's real form is unknown]. */
  blockStyle?: 'status-200' | 'http-429';
  /** Enums (Status included) as numbers (0) or as "Success (0)" strings; SUMIT's serializers do both. */
  enumStyle?: 'number' | 'name';
  folders?: SumitFolderState[];
}

/** A response the next call (to `path`, when given) gets instead of the real one (business errors, malformed bodies). */
export type Scripted = ({ kind: 'error'; message: string; technical?: string } | { kind: 'malformed' } | { kind: 'http'; response: FakeResponse }) & { path?: string };

type Route = (store: SumitStore, body: Record<string, unknown>, now: number) => api.ApiOutcome;

const ROUTES: Record<string, Route> = {
  '/accounting/customers/create/': (s, b) => api.createCustomer(s, b),
  '/accounting/customers/update/': (s, b) => api.updateCustomer(s, b),
  '/accounting/documents/create/': (s, b, now) => api.createDocument(s, b, now),
  '/accounting/documents/send/': (s, b, now) => api.sendDocument(s, b, now),
  '/sms/sms/send/': (s, b, now) => api.sendSms(s, b, now),
  '/emailsubscriptions/mailinglists/list/': (s) => api.listMailingLists(s, 'email'),
  '/emailsubscriptions/mailinglists/add/': (s, b) => api.addToMailingList(s, b, 'email'),
  '/sms/mailinglists/list/': (s) => api.listMailingLists(s, 'sms'),
  '/sms/mailinglists/add/': (s, b) => api.addToMailingList(s, b, 'sms'),
  '/crm/schema/listfolders/': (s) => api.listFolders(s),
  '/crm/data/listentities/': (s, b) => api.listEntities(s, b),
  '/crm/data/getentity/': (s, b) => api.getEntity(s, b),
};

export class SumitFake extends FakeServer {
  readonly companyId: number;
  readonly apiKey: string;
  readonly store: SumitStore;
  /** Calls refused by the fake's own limit (injected faults excluded): a well-behaved client keeps this at 0. */
  limitViolations = 0;
  enumStyle: 'number' | 'name';
  private readonly scripted: Scripted[] = [];
  private readonly window: SlidingWindow;
  private readonly requestsPerMinute: number | null;
  private readonly blockStyle: 'status-200' | 'http-429';

  constructor(options: SumitFakeOptions = {}) {
    super(options);
    this.companyId = options.companyId ?? 12345678;
    this.apiKey = options.apiKey ?? 'sumit-test-key-0123456789';
    this.requestsPerMinute = options.requestsPerMinute === undefined ? 100 : options.requestsPerMinute;
    this.blockStyle = options.blockStyle ?? 'status-200';
    this.enumStyle = options.enumStyle ?? 'number';
    this.window = new SlidingWindow(60_000, this.now);
    this.store = new SumitStore(this.now, options.folders);
  }

  // ---- test helpers -------------------------------------------------------

  /** The next calls (after auth and limits) get these answers, in order. */
  script(...responses: Scripted[]): void {
    this.scripted.push(...responses);
  }

  folderId(name: string): number {
    const f = this.store.folder(name);
    if (!f) throw new Error(`SumitFake: no folder ${name}`);
    return f.id;
  }

  addEntity(folder: string, properties: Record<string, unknown> = {}, at?: number): SumitEntityState {
    return this.store.addEntity(this.folderId(folder), properties, at);
  }

  updateEntity(id: number, properties: Record<string, unknown>, at?: number): void {
    this.store.updateEntity(this.entity(id), properties, at);
  }

  archiveEntity(id: number): void {
    this.entity(id).archived = true;
  }

  deleteEntity(id: number): void {
    this.entity(id).deleted = true;
  }

  entity(id: number): SumitEntityState {
    const e = this.store.entities.get(id);
    if (!e) throw new Error(`SumitFake: no entity ${id}`);
    return e;
  }

  entities(folder: string): SumitEntityState[] {
    const id = this.folderId(folder);
    return [...this.store.entities.values()].filter((e) => e.folderId === id && !e.deleted);
  }

  customers(): SumitEntityState[] {
    return this.entities(CUSTOMERS_FOLDER.name);
  }

  documents(): SumitDocumentState[] {
    return [...this.store.documents.values()];
  }

  sentEmails(): SumitEmailState[] {
    return [...this.store.emails];
  }

  sentSms(): SumitSmsState[] {
    return [...this.store.sms];
  }

  addMailingList(kind: 'email' | 'sms', name: string): number {
    return this.store.addMailingList(kind, name).id;
  }

  members(listId: number): string[] {
    return [...(this.store.mailingLists.get(listId)?.members.keys() ?? [])];
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return { status, headers: { 'retry-after': '7', 'content-type': 'text/plain' }, body: 'Too Many Requests' };
    return { status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${status} Service Unavailable</h1></body></html>` };
  }

  protected handle(req: FakeRequest): FakeResponse {
    const route = ROUTES[req.path];
    if (!route) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>404 - Not Found</body></html>' };
    if (req.method !== 'POST') return { status: 405, headers: { 'content-type': 'text/plain' }, body: 'Method Not Allowed' };
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return this.envelope({ error: 'Invalid request body' });
    }
    if (!isRecord(body)) return this.envelope({ error: 'Invalid request body' });
    const creds = isRecord(body.Credentials) ? body.Credentials : {};
    // CompanyID must be a JSON number: a quoted id is refused like a wrong one.
    if (creds.CompanyID !== this.companyId || creds.APIKey !== this.apiKey) {
      return this.envelope({ error: 'Invalid credentials: the CompanyID or APIKey is incorrect' });
    }
    if (!this.window.tryHit(this.requestsPerMinute)) {
      this.limitViolations += 1;
      if (this.blockStyle === 'http-429') return { status: 429, headers: { 'retry-after': '60', 'content-type': 'text/plain' }, body: 'Too Many Requests' };
      return this.envelope({ error: 'Too many requests - the account is temporarily blocked' });
    }
    const at = this.scripted.findIndex((r) => r.path === undefined || r.path === req.path);
    const next = at === -1 ? undefined : this.scripted.splice(at, 1)[0];
    if (next?.kind === 'error') return this.envelope({ error: next.message, technical: next.technical });
    if (next?.kind === 'malformed') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Status":0,"Data":{"Docum' };
    if (next?.kind === 'http') return next.response;
    return this.envelope(route(this.store, body, this.now()));
  }

  private envelope(outcome: api.ApiOutcome): FakeResponse {
    const named = this.enumStyle === 'name';
    if ('error' in outcome) {
      return json(200, { Status: named ? 'GeneralError (1)' : 1, UserErrorMessage: outcome.error, TechnicalErrorDetails: outcome.technical ?? null, Data: null });
    }
    return json(200, { Status: named ? 'Success (0)' : 0, UserErrorMessage: null, TechnicalErrorDetails: null, Data: outcome.data });
  }
}
