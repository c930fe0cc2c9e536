import type { AccountDeps } from '../connectors/accounts/open-account';
import type { Logger } from '../lib/logger';

/** What activities need from the outside world (an account's needs, and more); tests build their own. */
export interface ActivityDeps extends AccountDeps {
  log: Logger;
  /** Seconds a sync window stays behind now (late commits in the source). */
  safetyLagSeconds: number;
  /** Where 8x8 reaches our webhooks (PUBLIC_URL, else the API's own address). */
  publicUrl?: string;
}
