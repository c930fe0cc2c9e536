import { FakeServer, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { SareStore, type SareMail, type SareOutcome, type SareSubscriber } from './sare-fake-store';

export type { SareMail, SareSubscriber } from './sare-fake-store';

export interface SareFakeOptions extends FakeServerOptions {
  uid?: string;
  apiKey?: string;
  /** [I] Calls per sliding minute (SARE publishes none); null = unlimited. */
  requestsPerMinute?: number | null;
  groups?: number[];
}

/** The next calls get these answers: an error body with HTTP 200, or a broken body. */
export type SareScripted = { kind: 'error'; code: number; message: string } | { kind: 'malformed' };

export class SareFake extends FakeServer {
  readonly uid: string;
  readonly apiKey: string;
  readonly store: SareStore;
  limitViolations = 0;
  private readonly window: SlidingWindow;
  private readonly requestsPerMinute: number | null;
  private readonly scripted: SareScripted[] = [];

  constructor(options: SareFakeOptions = {}) {
    super(options);
    this.uid = options.uid ?? '40123';
    this.apiKey = options.apiKey ?? '12345678-4321-4321-4321-123456789012';
    this.requestsPerMinute = options.requestsPerMinute === undefined ? 60 : options.requestsPerMinute;
    this.window = new SlidingWindow(60_000, this.now);
    this.store = new SareStore(new Set(options.groups ?? [1, 21, 341]), { prop1: 'Imię', prop2: 'Miasto' });
  }

  // ---- test helpers -------------------------------------------------------

  script(...answers: SareScripted[]): void {
    this.scripted.push(...answers);
  }

  subscriber(email: string): SareSubscriber | undefined {
    return this.store.subscribers.get(email.toLowerCase());
  }

  subscribers(): SareSubscriber[] {
    return [...this.store.subscribers.values()];
  }

  sentMails(): SareMail[] {
    return [...this.store.mails];
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return json(429, { code: 429, message: 'Too many requests' }, { 'retry-after': '12' });
    return { status, headers: { 'content-type': 'text/html' }, body: `<html><body>${status} Server Error</body></html>` };
  }

  protected handle(req: FakeRequest): FakeResponse {
    const m = /^\/api\/v1\/([^/]+)(\/.*)$/.exec(req.path);
    if (!m) return json(404, { code: 404, message: 'Not found' });
    // [I] A wrong UID and a wrong key look the same: the key belongs to one account.
    if (m[1] !== this.uid || req.headers.apikey !== this.apiKey) return json(401, { code: 401, message: 'Unauthorized: invalid ApiKey' });
    if (!this.window.tryHit(this.requestsPerMinute)) {
      this.limitViolations += 1;
      return json(429, { code: 429, message: 'Too many requests' }, { 'retry-after': '30' });
    }
    const next = this.scripted.shift();
    if (next?.kind === 'error') return json(200, { code: next.code, message: next.message });
    if (next?.kind === 'malformed') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"code":200,"da' };
    const route = `${req.method} ${m[2]}`;
    if (route === 'GET /email/props') return this.answer({ code: 200, data: this.store.props });
    let body: unknown;
    try {
      body = req.body === '' ? undefined : JSON.parse(req.body);
    } catch {
      return json(400, { code: 400, message: 'Malformed JSON' });
    }
    switch (route) {
      case 'POST /email/add':
        return this.answer(this.store.addEmails(body, false));
      case 'POST /email/edit':
        return this.answer(this.store.addEmails(body, true));
      case 'POST /group/add_emails':
        return this.answer(this.store.addToGroup(body));
      case 'POST /send/mail/transactional':
        return this.answer(this.store.sendTransactional(body, this.now()));
      default:
        return json(404, { code: 404, message: `No route ${route}` });
    }
  }

  /** [I] SARE mirrors its body code in the HTTP status for request errors. */
  private answer(outcome: SareOutcome): FakeResponse {
    return json(outcome.code, outcome.code === 200 ? { code: 200, data: outcome.data ?? null } : { code: outcome.code, message: outcome.message });
  }
}
