import type { Client } from '@temporalio/client';
import type { RateLimiter } from '../activities/connectors/kit/rate-limiter';
import type { Database } from '../db/client';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secret-box';

export interface ApiDeps {
  database: Database;
  secretBox: SecretBox;
  limiter: RateLimiter;
  temporal: Client;
  taskQueue: string;
  apiToken: string;
  log: Logger;
}
