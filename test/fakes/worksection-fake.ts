import { createHash, randomBytes } from 'node:crypto';
import { FakeServer, firstValue, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';
import { SlidingWindow } from './fake-util';
import { runAction, wsError } from './worksection-fake-actions';
import { DEFAULT_WS_PROJECTS, DEFAULT_WS_USERS, WorksectionStore, type WsEvent, type WsProject, type WsTask, type WsUser } from './worksection-fake-store';

export type { WsEvent, WsProject, WsTask, WsUser } from './worksection-fake-store';

export interface WorksectionFakeOptions extends FakeServerOptions {
  apiKey?: string;
  users?: WsUser[];
  projects?: WsProject[];
  /** Calls per sliding second before "Too many requests" (documented: 1); null = unlimited. */
  requestsPerSecond?: number | null;
  /** The account's time zone as minutes east of UTC (dates are shown local). */
  offsetMinutes?: number;
  /** The OAuth app registered at Worksection (its id and secret). */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of an OAuth access token; Worksection's is 86400 s. */
  accessTokenTtlSeconds?: number;
}

interface PendingCode {
  redirectUri: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export interface WsIssuedToken {
  accessToken: string;
  refreshToken: string;
  grant: 'authorization_code' | 'refresh_token';
  expiresAt: number;
}

const API_PATH = /^\/api\/admin\/v2\/?$/;
const OAUTH_API_PATH = /^\/api\/oauth2\/?$/;
const FORM = 'application/x-www-form-urlencoded';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description }, NO_STORE);
const redirect = (to: string): FakeResponse => ({ status: 302, headers: { location: to }, body: '' });
const page = (status: number, text: string): FakeResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>Worksection</title><p>${text}</p>` });
const MAX_URL = 8 * 1024;

export class WorksectionFake extends FakeServer {
  readonly apiKey: string;
  /** Calls refused by the fake's own limit (injected faults excluded): a polite client keeps it at 0. */
  limitViolations = 0;
  private readonly store: WorksectionStore;
  private readonly window: SlidingWindow;
  private readonly requestsPerSecond: number | null;
  private readonly scripted: FakeResponse[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the user does on the consent screen. */
  consent: 'allow' | 'deny' = 'allow';
  readonly issued: WsIssuedToken[] = [];
  /** Redirect URIs registered for the app; any http(s) URI while empty. */
  readonly redirectUris = new Set<string>();
  /** The account_url token answers name; the fake's own address unless a test says otherwise. */
  accountUrl: string | undefined;
  private readonly accessTtl: number;
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, { revoked: boolean; scope: string }>();

  constructor(options: WorksectionFakeOptions = {}) {
    super(options);
    this.apiKey = options.apiKey ?? '7776461cd931e7b1c8e9632ff8e979ce';
    this.requestsPerSecond = options.requestsPerSecond === undefined ? 1 : options.requestsPerSecond;
    this.store = new WorksectionStore(structuredClone(options.users ?? DEFAULT_WS_USERS), structuredClone(options.projects ?? DEFAULT_WS_PROJECTS), options.offsetMinutes ?? 180);
    this.window = new SlidingWindow(1_000, this.now);
    this.clientId = options.clientId ?? 'ws-fake-client-0001';
    this.clientSecret = options.clientSecret ?? 'ws-fake-client-secret-0001';
    this.accessTtl = options.accessTokenTtlSeconds ?? 86_400;
  }

  /** In the real service these live on worksection.com and the API on the account's host; one fake serves both. */
  get authorizeUrl() {
    return `${this.url}/oauth2/authorize`;
  }

  get tokenUrl() {
    return `${this.url}/oauth2/token`;
  }

  /** As if the access token's 24 hours were over. */
  expireToken(token: string): void {
    if (this.accessTokens.has(token)) this.accessTokens.set(token, 0);
  }

  revokeRefreshToken(token: string): void {
    const entry = this.refreshTokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** grant_type of each token request, in order. */
  tokenGrants(): string[] {
    return this.calls.filter((c) => c.path === '/oauth2/token').map((c) => new URLSearchParams(c.body).get('grant_type') ?? '');
  }

  // ---- test helpers -------------------------------------------------------

  tasks(): WsTask[] {
    return [...this.store.tasks.values()];
  }

  task(id: string): WsTask | undefined {
    return this.store.tasks.get(id);
  }

  events(): WsEvent[] {
    return this.store.events;
  }

  localMinute(ms: number): string {
    return this.store.localMinute(ms);
  }

  /** Seeds a task as a user would create it in Worksection (no HTTP, no limits). */
  addTask(projectId: string, name: string, at = this.now()): WsTask {
    return this.store.createTask({ projectId, name, text: '', priority: 0, userFrom: this.store.users[0]!.email, userTo: 'ANY', tags: [] }, at);
  }

  /** Closes (or reopens) a task as a user would in Worksection, logging the event at `at`. */
  /** Archive, pause or reactivate a project, as a user would in Worksection. */
  setProjectStatus(id: string, status: WsProject['status']): void {
    const project = this.store.projects.find((p) => p.id === id);
    if (!project) throw new Error(`no project ${id}`);
    project.status = status;
  }

  closeTask(id: string, at = this.now()): void {
    this.store.setStatus(this.mustTask(id), 'done', at, this.store.users[1]!.email);
  }

  reopenTask(id: string, at = this.now()): void {
    this.store.setStatus(this.mustTask(id), 'active', at, this.store.users[1]!.email);
  }

  /** The next answers, in order, whatever is asked (malformed bodies, odd errors). */
  scriptNext(...responses: FakeResponse[]): void {
    this.scripted.push(...responses);
  }

  // ---- HTTP ---------------------------------------------------------------

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return json(429, { status: 'error', message: 'Too many requests' }, { 'retry-after': '2' });
    return { status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${status}</h1></body></html>` };
  }

  protected handle(req: FakeRequest): FakeResponse {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    if (req.path === '/oauth2/authorize' && req.method === 'GET') return this.authorize(req);
    if (req.path === '/oauth2/token' && req.method === 'POST') return this.token(req);
    const oauth = OAUTH_API_PATH.test(req.path);
    if (!oauth && !API_PATH.test(req.path)) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Page not found</body></html>' };
    const raw = req.rawQuery;
    if (req.path.length + raw.length + 1 > MAX_URL) return { status: 414, headers: { 'content-type': 'text/html' }, body: 'Request-URL Too Large' };
    if (oauth) {
      // The user API takes the Bearer token alone: a hash-signed call there is someone else's mistake.
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const until = bearer === undefined ? undefined : this.accessTokens.get(bearer);
      if (until === undefined || until <= this.now()) return json(401, { status: 'error', status_code: 401, message: 'Unauthorized: invalid or expired access token' });
    } else {
      // The hash is checked over the query string as received, not over a decoded or re-encoded
      // form: a client that signs other bytes than it sends (' signed as is, sent as %27) is refused.
      const signed = /^(.*)&hash=([0-9a-f]{32})$/.exec(raw);
      if (!signed || createHash('md5').update(signed[1]! + this.apiKey).digest('hex') !== signed[2]) return wsError('Invalid hash', 2);
    }
    if (!this.window.tryHit(this.requestsPerSecond)) {
      this.limitViolations += 1;
      return wsError('Too many requests', 3);
    }
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) if (k !== 'hash') q[k] = firstValue(v) ?? '';
    return runAction(this.store, q.action ?? '', q, this.now());
  }

  // ---- OAuth 2 (worksection.com/oauth2/…) ---------------------------------

  /** Stands in for the consent screen: redirects at once, with a code or with error=access_denied. */
  private authorize(req: FakeRequest): FakeResponse {
    const q = (name: string) => firstValue(req.query[name]);
    if (q('client_id') !== this.clientId) return page(400, 'Invalid client_id');
    const redirectUri = q('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri) || (this.redirectUris.size > 0 && !this.redirectUris.has(redirectUri))) return page(400, 'Invalid redirect_uri');
    const back = (params: Record<string, string | undefined>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
      return redirect(url.toString());
    };
    const state = q('state');
    if (q('response_type') !== 'code') return back({ error: 'unsupported_response_type', state });
    const scope = q('scope');
    if (!scope) return back({ error: 'invalid_scope', state });
    if (this.consent === 'deny') return back({ error: 'access_denied', state });
    const code = randomBytes(20).toString('hex');
    this.codes.set(code, { redirectUri, scope, expiresAt: this.now() + 10 * 60 * 1000, used: false });
    return back({ code, state });
  }

  private token(req: FakeRequest): FakeResponse {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM)) return oauthError(400, 'invalid_request', 'Unsupported content type');
    const form = new URLSearchParams(req.body);
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) return oauthError(401, 'invalid_client', 'Client authentication failed');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      if (!pending || pending.used || pending.expiresAt <= this.now()) return oauthError(400, 'invalid_grant', 'Authorization code is invalid or expired');
      if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(400, 'invalid_grant', 'Redirect URI mismatch');
      pending.used = true;
      return this.issue('authorization_code', pending.scope);
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const entry = this.refreshTokens.get(token);
      if (!entry || entry.revoked) return oauthError(400, 'invalid_grant', 'Refresh token is invalid or expired');
      // Our notes do not say whether Worksection rotates refresh tokens; the fake does (the old one
      // is spent), the stricter case: a client that kept the old one would fail the next refresh.
      entry.revoked = true;
      return this.issue('refresh_token', entry.scope);
    }
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant ?? ''}`);
  }

  private issue(grant: WsIssuedToken['grant'], scope: string): FakeResponse {
    const accessToken = randomBytes(32).toString('hex');
    const refreshToken = randomBytes(32).toString('hex');
    const expiresAt = this.now() + this.accessTtl * 1000;
    this.accessTokens.set(accessToken, expiresAt);
    this.refreshTokens.set(refreshToken, { revoked: false, scope });
    this.issued.push({ accessToken, refreshToken, grant, expiresAt });
    return json(200, { token_type: 'Bearer', expires_in: this.accessTtl, access_token: accessToken, refresh_token: refreshToken, account_url: this.accountUrl ?? this.url }, NO_STORE);
  }

  private mustTask(id: string): WsTask {
    const t = this.store.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  }
}

