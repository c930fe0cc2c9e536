import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Database } from '../db/client';
import { apiClients, type ApiRole } from '../db/schema';
import { sendProblem } from './problem';
import { rightFor, roleAtLeast } from './rights';

/** Who is calling: attached to every request behind the token check. */
export interface ApiClient {
  id: string;
  name: string;
  role: ApiRole;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Not `client`: IncomingMessage already has one (the socket). */
    apiClient?: ApiClient;
  }
}

/** The configured API_TOKEN (or data/api-token): the first admin, with no row in api_clients. */
export const BOOTSTRAP_CLIENT: ApiClient = { id: 'bootstrap', name: 'bootstrap admin', role: 'admin' };

/**
 * How long a process trusts a token it looked up. Revoking forgets at once on the process that
 * revoked; every other API process may accept the token for up to this long, so keep it short.
 */
export const CLIENT_CACHE_MS = 2_000;

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Authenticator {
  /** 401 without a live token; otherwise attaches req.apiClient. */
  authenticate: RequestHandler;
  /** Forgets every token this process cached: a revocation takes effect here at once. */
  forget(): void;
}

export function createAuthenticator(options: { bootstrapToken: string; database: Database; cacheMs?: number }): Authenticator {
  const bootstrap = createHash('sha256').update(options.bootstrapToken).digest();
  const ttl = options.cacheMs ?? CLIENT_CACHE_MS;
  // Only live tokens are cached (at most one entry per client): an unknown token always asks the database.
  const cache = new Map<string, { client: ApiClient; until: number }>();
  // A lookup that began before a forget() must not put the revoked token back.
  let generation = 0;

  async function lookup(hash: string): Promise<ApiClient | undefined> {
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.client;
    cache.delete(hash);
    const started = generation;
    // By hash, not in constant time: what the timing could reveal is a prefix of a SHA-256, not of the token.
    const [row] = await options.database.db
      .select({ id: apiClients.id, name: apiClients.name, role: apiClients.role })
      .from(apiClients)
      .where(and(eq(apiClients.tokenHash, hash), isNull(apiClients.revokedAt)));
    if (row && started === generation) cache.set(hash, { client: row, until: Date.now() + ttl });
    return row;
  }

  return {
    async authenticate(req, res, next) {
      const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const token = match?.[1]?.trim();
      const digest = token ? createHash('sha256').update(token).digest() : undefined;
      const client = !digest ? undefined : timingSafeEqual(digest, bootstrap) ? BOOTSTRAP_CLIENT : await lookup(digest.toString('hex'));
      if (!client) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendProblem(res, 401, 'Unauthorized', match ? 'the bearer token is not valid' : 'send Authorization: Bearer <API token>');
      }
      req.apiClient = client;
      next();
    },
    forget() {
      generation += 1;
      cache.clear();
    },
  };
}

/** 403 naming the role needed when the client's role is below what api/rights.ts asks for the route. */
export const authorize: RequestHandler = (req, res, next) => {
  const client = req.apiClient;
  const right = rightFor(req.method, req.path);
  if (client && roleAtLeast(client.role, right.role)) return next();
  return sendProblem(
    res,
    403,
    'Forbidden',
    `${req.method} ${right.route ?? req.path} needs the ${right.role} role${right.role === 'admin' ? '' : ' or above'}; ${client ? `"${client.name}" is a ${client.role}` : 'no client'}`,
    [],
    { requiredRole: right.role },
  );
};
