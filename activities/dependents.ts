import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { integrations } from '../db/schema';
import type { ActivityDeps } from './deps';

/** Integrations set to run "after" another one (integrations.runs_after, from the kind's runsAfter), enabled. */
export function createDependentsActivities(deps: ActivityDeps) {
  return {
    async findDependentIntegrations(input: { integrationId: string }): Promise<string[]> {
      const integrationId = z.uuid().parse(input.integrationId);
      const rows = await deps.database.db
        .select({ id: integrations.id })
        .from(integrations)
        // An integration saved to run after itself would start itself again after every run, forever.
        .where(and(eq(integrations.runsAfter, integrationId), eq(integrations.enabled, true), ne(integrations.id, integrationId)));
      return rows.map((r) => r.id);
    },
  };
}

export type DependentsActivities = ReturnType<typeof createDependentsActivities>;
