import type { Database } from '../db/client';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secret-box';
import type { EgressAllow } from '../connectors/kit/egress';
import type { OAuthClients } from '../connectors/kit/oauth2';
import type { RateLimiter } from '../connectors/kit/rate-limiter';

/** What activities need from the outside world; tests build their own. */
export interface ActivityDeps {
  database: Database;
  secretBox: SecretBox;
  limiter: RateLimiter;
  log: Logger;
  /** What EGRESS_ALLOW adds to each connector's declared hosts. */
  egress: EgressAllow;
  /** OAuth clients by system id (from the environment): how OAuth accounts renew their tokens. */
  oauthClients?: OAuthClients;
  /** Seconds a sync window stays behind now (late commits in the source). */
  safetyLagSeconds: number;
  /** Where 8x8 reaches our webhooks (PUBLIC_URL, else the API's own address). */
  publicUrl?: string;
}
