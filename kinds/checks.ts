import type { AccountRow } from '../db/schema';
import type { Database } from '../db/client';
import type { AccountDeps } from '../connectors/accounts/open-account';
import type { FieldError } from './check-kit';

export interface KindCheckContext {
  deps: AccountDeps & { database: Database };
  source: AccountRow;
  target: AccountRow;
}

/**
 * Checks of a kind's config that need the accounts (does the folder, the column, the project
 * exist?), run by the API after the schema and before saving: a mistake is a 422 naming the
 * config field now, not a failed run later. A provider that can't be reached is a 502.
 */
export type KindCheck = (config: Record<string, unknown>, ctx: KindCheckContext) => Promise<FieldError[]>;
