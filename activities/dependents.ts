import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { integrations } from '../db/schema';
import type { ActivityDeps } from './deps';

/** Integrations set to run "after" another one (sms-send's schedule.after), enabled, not itself. */
export function createDependentsActivities(deps: ActivityDeps) {
  return {
    async findDependentIntegrations(input: { integrationId: string }): Promise<string[]> {
      const integrationId = z.uuid().parse(input.integrationId);
      const rows = await deps.database.db
        .select({ id: integrations.id })
        .from(integrations)
        .where(and(eq(integrations.enabled, true), sql`${integrations.config} -> 'schedule' ->> 'after' = ${integrationId}`));
      return rows.map((r) => r.id).filter((id) => id !== integrationId);
    },
  };
}

export type DependentsActivities = ReturnType<typeof createDependentsActivities>;
