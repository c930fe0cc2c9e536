import { inArray } from 'drizzle-orm';
import { integrations } from '../db/schema';
import { kinds } from '../kinds';
import { publicUrlProblem } from '../lib/public-url';
import type { Runtime } from './runtime';

/**
 * One line for the log when integrations wait for provider callbacks (8x8's receipts) that cannot
 * reach PUBLIC_URL; null when none do or when they can. A process still starts: stopping the
 * workers would stop every integration, not only the ones that miss their callbacks.
 */
export async function unreachableCallbacksWarning(runtime: Pick<Runtime, 'database'>, publicUrl: string | undefined): Promise<string | null> {
  const problem = publicUrlProblem(publicUrl);
  if (!problem) return null;
  const waiting = Object.values(kinds).filter((k) => k.callbacks);
  if (waiting.length === 0) return null;
  const rows = await runtime.database.db
    .select({ kind: integrations.kind })
    .from(integrations)
    .where(inArray(integrations.kind, waiting.map((k) => k.kind)));
  if (rows.length === 0) return null;
  const reasons = waiting.filter((k) => rows.some((r) => r.kind === k.kind)).map((k) => `${k.kind}: ${k.callbacks}`);
  return `PUBLIC_URL ${problem}, and ${rows.length} integration(s) need providers to call back: ${reasons.join('; ')}. Set PUBLIC_URL to the public https address of the API.`;
}
