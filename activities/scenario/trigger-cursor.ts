import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { triggerCursors } from '../../db/schema';

export async function readTriggerCursor(database: Database, integrationId: string, fingerprint: string): Promise<unknown> {
  const [row] = await database.db.select().from(triggerCursors).where(eq(triggerCursors.integrationId, integrationId));
  return row && row.fingerprint === fingerprint ? (row.cursor ?? undefined) : undefined;
}

/** Written only after the page's records are handled: a crash before it re-reads the page, and the ledger answers. */
export async function writeTriggerCursor(database: Database, integrationId: string, fingerprint: string, cursor: unknown): Promise<void> {
  await database.db
    .insert(triggerCursors)
    .values({ integrationId, fingerprint, cursor: cursor ?? null })
    .onConflictDoUpdate({ target: triggerCursors.integrationId, set: { fingerprint, cursor: cursor ?? null, updatedAt: new Date() } });
}
