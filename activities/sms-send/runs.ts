import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { smsRuns, SMS_RUN_TRIGGERS } from '../../db/schema';

export const runTrigger = z.enum(SMS_RUN_TRIGGERS);
export type RunTrigger = z.infer<typeof runTrigger>;

export interface RunCountsInput {
  rowsRead: number;
  sent: number;
  rejected: number;
  failed: number;
}

/** The run id comes from the workflow: a retried insert finds its row and does nothing. */
export async function startRun(database: Database, input: { runId: string; integrationId: string; trigger: RunTrigger; triggeredBy?: string }): Promise<void> {
  await database.db
    .insert(smsRuns)
    .values({ id: input.runId, integrationId: input.integrationId, trigger: input.trigger, triggeredBy: input.triggeredBy ?? null })
    .onConflictDoNothing();
}

export async function finishRun(database: Database, input: { runId: string; counts: RunCountsInput; error?: string }): Promise<void> {
  await database.db
    .update(smsRuns)
    .set({ ...input.counts, error: input.error ?? null, finishedAt: new Date() })
    .where(eq(smsRuns.id, input.runId));
}
