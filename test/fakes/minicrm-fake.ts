import { FakeServer, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { handleR3, message } from './minicrm-fake-r3';
import { DEFAULT_MINICRM_CONFIG, MiniCrmStore, type MiniCrmCard, type MiniCrmContact } from './minicrm-fake-store';
import { handleSyncUpload } from './minicrm-fake-sync';

export type { MiniCrmCard, MiniCrmContact, MiniCrmSyncOrder, MiniCrmSyncProduct } from './minicrm-fake-store';

export interface MiniCrmFakeOptions extends FakeServerOptions {
  systemId?: number;
  apiKey?: string;
  /** `/Api/R3/*` requests per sliding minute (documented: 60); null = unlimited. */
  requestsPerMinute?: number | null;
  /** XML sync uploads per sliding hour (documented: 180); null = unlimited. */
  syncUploadsPerHour?: number | null;
  /** categoryId → name */
  categories?: Record<string, string>;
  /** categoryId → statusId → status name */
  statuses?: Record<string, Record<string, string>>;
  /** userId → display name */
  users?: Record<string, string>;
  /** categoryId → custom field names (typed `Text(512)`) or name → schema type (`Int`, `Text(1024)`, …) */
  customFields?: Record<string, string[] | Record<string, string>>;
}

const FAULT_MESSAGES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function tooManyRequests(): FakeResponse {
  // Plain text and no Retry-After: the manual documents none.
  return { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Too Many Requests' };
}

function normalizeCustomFields(fields: Record<string, string[] | Record<string, string>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [categoryId, list] of Object.entries(fields)) {
    out[categoryId] = Array.isArray(list) ? Object.fromEntries(list.map((name) => [name, 'Text(512)'])) : { ...list };
  }
  return out;
}

export class MiniCrmFake extends FakeServer {
  readonly systemId: number;
  readonly apiKey: string;
  /** Requests the limiter answered 429 (injected faults excluded): a well-behaved client keeps this at 0. */
  limitViolations = 0;
  /** Sync uploads answered 200 (even when some projects in them were rejected). */
  uploads = 0;
  private readonly store: MiniCrmStore;
  private readonly requestsPerMinute: number | null;
  private readonly syncUploadsPerHour: number | null;
  private readonly r3Window: SlidingWindow;
  private readonly syncWindow: SlidingWindow;

  constructor(options: MiniCrmFakeOptions = {}) {
    super(options);
    this.systemId = options.systemId ?? 12345;
    this.apiKey = options.apiKey ?? 'minicrm-test-key';
    this.requestsPerMinute = options.requestsPerMinute === undefined ? 60 : options.requestsPerMinute;
    this.syncUploadsPerHour = options.syncUploadsPerHour === undefined ? 180 : options.syncUploadsPerHour;
    this.r3Window = new SlidingWindow(60_000, this.now);
    this.syncWindow = new SlidingWindow(3_600_000, this.now);
    const customFields = options.customFields ? normalizeCustomFields(options.customFields) : DEFAULT_MINICRM_CONFIG.customFields;
    this.store = new MiniCrmStore(
      {
        systemId: this.systemId,
        categories: options.categories ?? DEFAULT_MINICRM_CONFIG.categories,
        statuses: options.statuses ?? DEFAULT_MINICRM_CONFIG.statuses,
        users: options.users ?? DEFAULT_MINICRM_CONFIG.users,
        customFields,
      },
      this.now,
      this.dataRandom,
    );
  }

  // ---- test helpers -------------------------------------------------------

  projects(categoryId?: number): MiniCrmCard[] {
    return [...this.store.cards.values()].filter((c) => categoryId === undefined || c.CategoryId === categoryId);
  }

  project(id: number): MiniCrmCard | undefined {
    return this.store.cards.get(id);
  }

  projectByExternalId(categoryId: number, externalId: string): MiniCrmCard | undefined {
    return this.store.cardByExternalId(categoryId, externalId);
  }

  contacts(): MiniCrmContact[] {
    return [...this.store.contacts.values()];
  }

  /** Seeds a card directly (no HTTP, no limits), e.g. one a user created by hand in MiniCRM. */
  addProject(card: Pick<MiniCrmCard, 'CategoryId'> & Partial<Omit<MiniCrmCard, 'Id' | 'createdAt' | 'updatedAt' | 'updateCount'>>): MiniCrmCard {
    return this.store.createCard(card);
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return tooManyRequests();
    return message(status, FAULT_MESSAGES[status] ?? 'Error');
  }

  protected handle(req: FakeRequest): FakeResponse {
    const sync = /^\/Api\/SyncFeed\/([^/]+)\/Upload\/?$/.exec(req.path);
    if (sync) {
      // A wrong SystemId in the path looks exactly like bad credentials.
      if (!this.authorized(req) || sync[1] !== String(this.systemId)) return this.unauthorized();
      if (req.method !== 'POST') return message(405, 'Method not allowed');
      if (!this.syncWindow.tryHit(this.syncUploadsPerHour)) return this.limited();
      const response = handleSyncUpload(this.store, req.body);
      if (response.status === 200) this.uploads += 1;
      return response;
    }
    if (!req.path.startsWith('/Api/R3/')) return message(404, 'Not found');
    if (!this.authorized(req)) return this.unauthorized();
    if (!this.r3Window.tryHit(this.requestsPerMinute)) return this.limited();
    return handleR3(this.store, req, this.url);
  }

  private authorized(req: FakeRequest): boolean {
    const encoded = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (encoded === undefined) return false;
    return Buffer.from(encoded, 'base64').toString('utf8') === `${this.systemId}:${this.apiKey}`;
  }

  /** MiniCRM answers bad credentials with 404, not 401. */
  private unauthorized(): FakeResponse {
    return json(404, { Message: 'Unauthorized: Access denied' });
  }

  private limited(): FakeResponse {
    this.limitViolations += 1;
    return tooManyRequests();
  }
}
