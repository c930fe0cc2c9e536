import type { Client } from '@temporalio/client';
import type { EgressAllow } from '../connectors/kit/egress';
import type { OAuthClients } from '../connectors/kit/oauth2';
import type { RateLimiter } from '../connectors/kit/rate-limiter';
import type { Database } from '../db/client';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secret-box';

export interface ApiDeps {
  database: Database;
  secretBox: SecretBox;
  limiter: RateLimiter;
  temporal: Client;
  taskQueue: string;
  /** API_TOKEN (or data/api-token): the built-in first admin; other clients have their own tokens (api_clients). */
  apiToken: string;
  log: Logger;
  /** What EGRESS_ALLOW adds to each connector's declared hosts: base URLs are checked against both at save. */
  egress: EgressAllow;
  /** OAuth clients by system id (from the environment); a system without one cannot connect by OAuth. */
  oauthClients?: OAuthClients;
  /** Where browsers and providers reach this API (PUBLIC_URL, else its own address once listening). */
  publicUrl?: () => string;
}
