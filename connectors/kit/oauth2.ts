import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hostOf, type Egress, type EgressAllow } from './egress';
import { ConnectorError, transientError } from './errors';
import { HttpClient, retryAfterMs } from './http';

/** How a connector signs in by OAuth 2 (authorization code flow), declared on its definition. */
export interface OAuthDeclaration {
  authorizeUrl: string;
  tokenUrl: string;
  scopes: readonly string[];
  /** Proof Key for Code Exchange (RFC 7636), S256 only: the plain method protects nothing. */
  pkce: boolean;
  /** Provider-specific authorize parameters (Google needs access_type=offline to hand out a refresh token). */
  authorizeParams?: Readonly<Record<string, string>>;
  /**
   * The account's base URL, for providers whose token answer names the account (Worksection's
   * account_url); the callback checks it against the connector's hosts before it is stored.
   */
  baseUrlOf?(tokens: OAuthTokens): string | undefined;
  /** The connector's credentials for a token answer; `previous` is the account's, when reconnecting. */
  toCredentials(tokens: OAuthTokens, previous: unknown): Record<string, unknown>;
}

/** An OAuth client registered at the provider, from the environment; URL overrides point tests at a fake. */
export interface OAuthClientSettings {
  clientId: string;
  clientSecret: string;
  authorizeUrl?: string;
  tokenUrl?: string;
}
export type OAuthClients = Partial<Record<string, OAuthClientSettings>>;

/** A connector's OAuth declaration with the client that uses it: everything a token request needs. */
export interface OAuthClient {
  system: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Where token requests may go: the declared token endpoint's host, or what EGRESS_ALLOW allows (an override). */
  egress: Egress;
}

export function resolveOAuthClient(connector: { id: string; name: string; oauth?: OAuthDeclaration }, clients: OAuthClients | undefined, allow: EgressAllow): OAuthClient | undefined {
  const settings = clients?.[connector.id];
  if (!connector.oauth || !settings) return undefined;
  return {
    system: connector.id,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorizeUrl: settings.authorizeUrl ?? connector.oauth.authorizeUrl,
    tokenUrl: settings.tokenUrl ?? connector.oauth.tokenUrl,
    egress: { name: `${connector.name} OAuth`, hosts: [hostOf(new URL(connector.oauth.tokenUrl))], allow },
  };
}

export interface OAuthTokens {
  accessToken: string;
  /** Absent when the provider keeps the one it gave before (refresh answers, reconnects without consent). */
  refreshToken?: string;
  /** ISO time; absent when the provider does not say. */
  expiresAt?: string;
  /** The answer's other string fields (Worksection's account_url): never secrets, which are only the two tokens. */
  extra?: Record<string, string>;
}

/** The token fields an OAuth connector keeps in its credentials. */
export interface OAuthTokenFields {
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  // 32 random bytes give the 43-character verifier RFC 7636 recommends.
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function authorizeUrl(client: OAuthClient, oauth: OAuthDeclaration, p: { redirectUri: string; state: string; codeChallenge?: string }): string {
  const url = new URL(client.authorizeUrl);
  const params: Record<string, string> = {
    client_id: client.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: oauth.scopes.join(' '),
    state: p.state,
    ...(p.codeChallenge && { code_challenge: p.codeChallenge, code_challenge_method: 'S256' }),
    ...oauth.authorizeParams,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'expires_in']);
const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * One request to the token endpoint (RFC 6749 §4.1.3 and §6): form-encoded in, JSON out. The client
 * authenticates in the body (client_secret_post), which every provider we speak to accepts. Errors
 * carry the provider's own words: invalid_grant (a code used twice, a revoked refresh token) and
 * invalid_client are credentials problems; a 429 or 5xx is worth retrying.
 */
export async function requestToken(client: OAuthClient, grant: Record<string, string>, timeoutMs = 15_000): Promise<OAuthTokens> {
  const secrets = [client.clientSecret, ...Object.values(grant).filter((v) => v.length >= 8)];
  const http = new HttpClient({ system: client.system, baseUrl: client.tokenUrl, secrets, timeoutMs, egress: client.egress });
  const body = new URLSearchParams({ ...grant, client_id: client.clientId, client_secret: client.clientSecret }).toString();
  const res = await http.request({ method: 'POST', path: '', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    parsed = undefined;
  }
  if (res.status >= 200 && res.status < 300) {
    const ok = tokenAnswer.safeParse(parsed);
    if (!ok.success) throw transientError(client.system, `OAuth token endpoint: unexpected answer (HTTP ${res.status})`, res.status);
    http.addSecret(ok.data.access_token);
    const extra = Object.fromEntries(Object.entries(ok.data).filter((e): e is [string, string] => typeof e[1] === 'string' && !TOKEN_FIELDS.has(e[0])));
    return {
      ...(Object.keys(extra).length > 0 && { extra }),
      accessToken: ok.data.access_token,
      ...(ok.data.refresh_token && { refreshToken: ok.data.refresh_token }),
      ...(ok.data.expires_in !== undefined && { expiresAt: new Date(Date.now() + ok.data.expires_in * 1000).toISOString() }),
    };
  }
  const err = tokenError.safeParse(parsed);
  const code = err.success ? err.data.error : '';
  const words = http.scrub(`token endpoint answered ${err.success ? `${code}${err.data.error_description ? ` (${err.data.error_description})` : ''}` : `HTTP ${res.status}`}`);
  // providerCode keeps the OAuth error code for callers that tell invalid_grant apart.
  const details = { status: res.status, providerCode: code || undefined };
  if (res.status === 429) throw new ConnectorError(words, client.system, 'rate-limited', { ...details, retryAfterMs: retryAfterMs(res.headers) ?? 5_000 });
  if (res.status >= 500 || !err.success) throw new ConnectorError(words, client.system, 'transient', details);
  if (['invalid_grant', 'invalid_client', 'unauthorized_client'].includes(code)) throw new ConnectorError(words, client.system, 'auth', details);
  throw new ConnectorError(words, client.system, 'validation', details);
}
