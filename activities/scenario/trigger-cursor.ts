import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { triggerCursors } from '../../db/schema';
import type { ScenarioConfig } from '../../kinds/scenario/config';

/** The trigger and its input: a cursor is only read back by the trigger that wrote it. */
export function triggerFingerprint(trigger: ScenarioConfig['trigger']): string {
  return createHash('sha256').update(JSON.stringify([trigger.trigger, sortKeys(trigger.input)])).digest('base64url');
}

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

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
