import { ApplicationFailure } from '@temporalio/common';
import { eq, inArray } from 'drizzle-orm';
import { accounts, integrations } from '../../db/schema';
import { describeSwitchedOff, switchedOffFor, SWITCHED_OFF } from '../../kinds/functionalities';
import type { ActivityDeps } from '../deps';
import { integrationGone } from '../failures';


/**
 * Called first by every activity that talks to an integration's accounts: while a functionality the
 * integration uses (its kind's `uses`) is switched off on one of them, nothing is called. The
 * failure is non-retryable, so no retries burn; switching the functionality on signals the
 * workflow to run again.
 */
export async function ensureFunctionalitiesOn(deps: Pick<ActivityDeps, 'database'>, integrationId: string): Promise<void> {
  const { db } = deps.database;
  const [row] = await db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw integrationGone(`integration ${integrationId} no longer exists`);
  const linked = await db
    .select({ id: accounts.id, name: accounts.name, system: accounts.system, functionalities: accounts.functionalities })
    .from(accounts)
    .where(inArray(accounts.id, [row.sourceAccountId, row.targetAccountId]));
  const off = switchedOffFor(row, linked);
  if (off.length === 0) return;
  throw ApplicationFailure.create({ message: describeSwitchedOff(off), type: SWITCHED_OFF, nonRetryable: true, details: off });
}
