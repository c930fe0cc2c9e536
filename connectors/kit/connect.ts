import type { z } from 'zod';
import { egressFor, type EgressAllow } from './egress';
import { authError, validationError } from './errors';
import { HttpClient } from './http';
import type { OAuthClient } from './oauth2';
import type { RateLimiter } from './rate-limiter';
import type { ConnectorContext, ConnectorDefinition, CredentialStore } from './types';

export interface AccountForConnector {
  id: string;
  baseUrl: string;
  limits: Record<string, number>;
  /** Already decrypted; stays inside the activity. Null once they were dropped (the base URL changed). */
  credentials: unknown;
}

/**
 * Builds the context a connector's code runs with for one account: validated credentials, an
 * HTTP client that scrubs them from errors, and throttles bound to this account's limits.
 */
export function connect<Auth extends z.ZodObject>(
  connector: ConnectorDefinition<Auth>,
  account: AccountForConnector,
  deps: {
    limiter: RateLimiter;
    /** What EGRESS_ALLOW adds to the connector's declared hosts. */
    egress: EgressAllow;
    heartbeat?: (details?: unknown) => void;
    timeoutMs?: number;
    oauthClient?: OAuthClient;
    credentialStore?: CredentialStore;
  },
): ConnectorContext<z.infer<Auth>> {
  if (account.credentials === null) {
    throw authError(connector.id, `the account has no credentials since its base URL changed: enter them again (PATCH /accounts/${account.id} with credentials)`);
  }
  const parsed = connector.auth.schema.safeParse(account.credentials);
  if (!parsed.success) {
    throw validationError(connector.id, `stored credentials do not match the ${connector.name} schema: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const credentials = parsed.data;
  const secrets: string[] = [];
  for (const field of connector.auth.secretFields) {
    const value: unknown = credentials[field];
    if (typeof value === 'string') secrets.push(value);
  }
  const heartbeat = deps.heartbeat ?? (() => undefined);
  const http = new HttpClient({ system: connector.id, baseUrl: account.baseUrl, secrets, timeoutMs: deps.timeoutMs, egress: egressFor(connector, deps.egress), beforeRequest: () => heartbeat() });
  return {
    accountId: account.id,
    baseUrl: http.baseUrl,
    credentials,
    http,
    heartbeat,
    oauthClient: deps.oauthClient,
    credentialStore: deps.credentialStore,
    async throttle(limitName, cost) {
      const declared = connector.limits[limitName];
      if (!declared) throw new Error(`${connector.id} declares no limit "${limitName}"`);
      const override = account.limits[limitName];
      const spec = override === undefined ? declared : { ...declared, limit: override };
      return deps.limiter.acquire(connector.id, `${connector.id}:${account.id}:${limitName}`, spec, { heartbeat, cost });
    },
  };
}
