import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { integrations, type IntegrationRow } from '../db/schema';
import type { Kind } from '../kinds';
import { notFound } from './problem';

/** The integration for a route only one kind has: any other kind is a 404 there, as a missing one is. */
export async function loadIntegrationOfKind(database: Database, id: string, kind: Kind): Promise<IntegrationRow> {
  const [row] = await database.db.select().from(integrations).where(eq(integrations.id, id));
  if (!row || row.kind !== kind) throw notFound(`${kind} integration`, id);
  return row;
}
