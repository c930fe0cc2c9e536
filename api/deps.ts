import type { Client } from '@temporalio/client';
import type { AccountDeps } from '../connectors/accounts/open-account';
import type { Logger } from '../lib/logger';

/** What the API needs: what opening an account needs (its base URLs are checked against EGRESS_ALLOW at save), and Temporal. */
export interface ApiDeps extends AccountDeps {
  temporal: Client;
  taskQueue: string;
  /** API_TOKEN (or data/api-token): the built-in first admin; other clients have their own tokens (api_clients). */
  apiToken: string;
  log: Logger;
  /** Where browsers and providers reach this API (PUBLIC_URL, else its own address once listening). */
  publicUrl?: () => string;
  /**
   * Why providers cannot call back at PUBLIC_URL (lib/public-url.ts), or null when they can. Absent
   * in the all-in-one dev mode, where a loopback address is accepted and said at start.
   */
  publicUrlProblem?: () => string | null;
  /** TEMPORAL_UI_URL: the console links each integration's workflow there. */
  temporalUiUrl?: string;
}
