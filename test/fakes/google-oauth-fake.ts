import { createHash, randomBytes } from 'node:crypto';
import { FakeServer, firstValue, json, type FakeRequest, type FakeResponse, type FakeServerOptions } from './fake-server';

export interface GoogleOAuthFakeOptions extends FakeServerOptions {
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of an access token; Google's is 3599 s. */
  accessTokenTtlSeconds?: number;
  /** How long an authorization code can be exchanged; Google's last a few minutes. */
  codeTtlMs?: number;
  /** Called for every access token issued, e.g. to make the Sheets fake accept it until it expires. */
  onTokenIssued?: (accessToken: string, expiresAt: number) => void;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken?: string;
  grant: 'authorization_code' | 'refresh_token';
  expiresAt: number;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  method?: 'S256' | 'plain';
  offline: boolean;
  expiresAt: number;
  used: boolean;
}

const FORM = 'application/x-www-form-urlencoded';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Google's token endpoint error shape: {error, error_description}, never cached. */
const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description }, NO_STORE);

/** The page Google shows instead of redirecting when the client or redirect URI is wrong. */
const errorPage = (status: number, error: string, detail: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><title>Error ${status}: ${error}</title><p>Access blocked: Error ${status}: ${error}</p><p>${detail}</p>`,
});

const redirect = (to: string): FakeResponse => ({ status: 302, headers: { location: to }, body: '' });

/**
 * Google's OAuth 2 endpoints as a web server app sees them: GET /o/oauth2/v2/auth (standing in for
 * the consent screen: it redirects at once, with a code, or with error=access_denied when `consent`
 * is 'deny') and POST /token (authorization_code and refresh_token grants, form-encoded in, JSON
 * out). Codes are single-use, short-lived and bound to the client, redirect URI and PKCE challenge
 * (S256 checked); refresh tokens are issued only with access_type=offline and can be revoked.
 */
export class GoogleOAuthFake extends FakeServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the user does on the consent screen. */
  consent: 'allow' | 'deny' = 'allow';
  readonly issued: IssuedToken[] = [];
  /** Redirect URIs registered for the client; any http(s) URI while empty. */
  readonly redirectUris = new Set<string>();
  private readonly accessTtl: number;
  private readonly codeTtl: number;
  private readonly onTokenIssued: GoogleOAuthFakeOptions['onTokenIssued'];
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { clientId: string; scope: string; revoked: boolean }>();
  private readonly ttlOverrides: number[] = [];

  constructor(options: GoogleOAuthFakeOptions = {}) {
    super(options);
    this.clientId = options.clientId ?? '123456789012-fakeclient.apps.googleusercontent.com';
    this.clientSecret = options.clientSecret ?? 'GOCSPX-fake-client-secret-0001';
    this.accessTtl = options.accessTokenTtlSeconds ?? 3599;
    this.codeTtl = options.codeTtlMs ?? 5 * 60 * 1000;
    this.onTokenIssued = options.onTokenIssued;
  }

  get authorizeUrl() {
    return `${this.url}/o/oauth2/v2/auth`;
  }

  get tokenUrl() {
    return `${this.url}/token`;
  }

  /** The next tokens issued live this many seconds (one value per token), then the default again. */
  nextTokenTtls(...seconds: number[]): void {
    this.ttlOverrides.push(...seconds);
  }

  /** As when the user removes the app's access in their Google account. */
  revokeRefreshToken(token: string): void {
    const entry = this.refreshTokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** grant_type of each token request, in order. */
  tokenGrants(): string[] {
    return this.calls.filter((c) => c.path === '/token').map((c) => new URLSearchParams(c.body).get('grant_type') ?? '');
  }

  protected faultResponse(status: number): FakeResponse {
    if (status === 429) return oauthError(429, 'rate_limit_exceeded', 'Rate Limit Exceeded');
    return oauthError(status, 'internal_failure', 'Backend Error');
  }

  protected handle(req: FakeRequest): FakeResponse {
    if (req.path === '/o/oauth2/v2/auth' && req.method === 'GET') return this.authorize(req);
    if (req.path === '/token' && req.method === 'POST') return this.token(req);
    return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Error 404 (Not Found)!!1</title>' };
  }

  private authorize(req: FakeRequest): FakeResponse {
    const q = (name: string) => firstValue(req.query[name]);
    const clientId = q('client_id');
    if (!clientId) return errorPage(400, 'invalid_request', 'Missing required parameter: client_id');
    if (clientId !== this.clientId) return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = q('redirect_uri');
    if (!redirectUri) return errorPage(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (!/^https?:\/\//.test(redirectUri) || (this.redirectUris.size > 0 && !this.redirectUris.has(redirectUri))) {
      return errorPage(400, 'redirect_uri_mismatch', `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`);
    }
    const back = (params: Record<string, string | undefined>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
      return redirect(url.toString());
    };
    const state = q('state');
    if (q('response_type') !== 'code') return back({ error: 'unsupported_response_type', state });
    const scope = q('scope');
    if (!scope) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
    const challenge = q('code_challenge');
    const method = q('code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') return errorPage(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
    if (method !== undefined && !challenge) return errorPage(400, 'invalid_request', 'Missing code_challenge');
    if (this.consent === 'deny') return back({ error: 'access_denied', state });
    const code = `4/0A${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { clientId, redirectUri, scope, challenge, method, offline: q('access_type') === 'offline', expiresAt: this.now() + this.codeTtl, used: false });
    return back({ state, code, scope, authuser: '0', prompt: 'consent' });
  }

  private token(req: FakeRequest): FakeResponse {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM)) return oauthError(400, 'invalid_request', 'Bad Request');
    const form = new URLSearchParams(req.body);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return this.exchangeCode(form);
    if (grant === 'refresh_token') return this.refresh(form);
    if (!grant) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`);
  }

  private exchangeCode(form: URLSearchParams): FakeResponse {
    const code = form.get('code');
    if (!code) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
    const pending = this.codes.get(code);
    if (!pending || pending.used || pending.expiresAt <= this.now()) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (pending.challenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (!verifier) return oauthError(400, 'invalid_grant', 'Missing code verifier.');
      const derived = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (derived !== pending.challenge) return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    pending.used = true;
    let refreshToken: string | undefined;
    if (pending.offline) {
      refreshToken = `1//0${randomBytes(30).toString('base64url')}`;
      this.refreshTokens.set(refreshToken, { clientId: pending.clientId, scope: pending.scope, revoked: false });
    }
    return this.issue('authorization_code', pending.scope, refreshToken);
  }

  private refresh(form: URLSearchParams): FakeResponse {
    const token = form.get('refresh_token');
    if (!token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const entry = this.refreshTokens.get(token);
    if (!entry || entry.revoked || entry.clientId !== this.clientId) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    // Google keeps the refresh token: a refresh answer carries none.
    return this.issue('refresh_token', entry.scope, undefined, token);
  }

  private issue(grant: IssuedToken['grant'], scope: string, newRefreshToken: string | undefined, usedRefreshToken?: string): FakeResponse {
    const ttl = this.ttlOverrides.shift() ?? this.accessTtl;
    const accessToken = `ya29.a0${randomBytes(40).toString('base64url')}`;
    const expiresAt = this.now() + ttl * 1000;
    this.issued.push({ accessToken, refreshToken: newRefreshToken ?? usedRefreshToken, grant, expiresAt });
    this.onTokenIssued?.(accessToken, expiresAt);
    return json(200, { access_token: accessToken, expires_in: ttl, ...(newRefreshToken && { refresh_token: newRefreshToken }), scope, token_type: 'Bearer' }, NO_STORE);
  }
}
