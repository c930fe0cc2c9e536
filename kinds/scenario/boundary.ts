import { z } from 'zod';
import { getConnector } from '../../connectors/registry';
import { askProvider, openForCheck, ProviderUnreachableError } from '../check-kit';
import type { KindCheckContext } from '../checks';
import type { SavedBoundary } from '../define-kind';
import { scenarioConfig } from './config';
import { triggerFingerprint } from './trigger-fingerprint';

/** The trigger's cursor at save, for the trigger (and input) it was taken with. */
export const scenarioBoundary = z.object({ fingerprint: z.string(), cursor: z.unknown() });
export type ScenarioBoundary = z.infer<typeof scenarioBoundary>;

/**
 * A trigger whose first poll only fixes where "new" starts (SUMIT's entity-created without
 * startFrom, NetHunt's and Worksection's without startAt, …) takes that first poll now, at save:
 * an entity created the instant after the 201 is reported like any later one. A trigger that reads
 * from a point its input names (a sheet's rows, UNAS orders from a date) has nothing to fix: null.
 * A config change keeps the boundary while the trigger stays the same; a new trigger gets its own.
 */
export async function scenarioTriggerBoundary(raw: Record<string, unknown>, { deps, source }: KindCheckContext, saved?: SavedBoundary): Promise<ScenarioBoundary | null> {
  const config = scenarioConfig.parse(raw);
  const fingerprint = triggerFingerprint(config.trigger);
  const before = saved && scenarioConfig.safeParse(saved.config).data;
  if (before && triggerFingerprint(before.trigger) === fingerprint) return scenarioBoundary.safeParse(saved.boundary).data ?? null;

  const connector = getConnector(source.system);
  const trigger = connector?.triggers[config.trigger.trigger];
  if (!connector || !trigger?.startsNow?.(config.trigger.input)) return null;
  const ctx = openForCheck(deps, connector, source);
  const first = await askProvider('config.trigger', connector.name, () => trigger.poll(ctx, config.trigger.input, undefined));
  // The check asked this account a moment ago: a refusal now is an outage, not the user's mistake.
  if (!first.ok) throw new ProviderUnreachableError(`could not read where ${connector.name}'s trigger stands: ${first.error.message}`);
  return { fingerprint, cursor: first.value.nextCursor };
}
