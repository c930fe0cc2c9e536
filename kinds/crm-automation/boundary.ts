import { z } from 'zod';
import { nethunt } from '../../connectors/nethunt';
import { sinceCursor } from '../../connectors/nethunt/since-poll';
import { openForCheck } from '../check-kit';
import type { KindCheckContext } from '../checks';
import type { SavedBoundary } from '../define-kind';
import { crmAutomationConfig } from './config';

/** Per automation: where its polls of new and of updated records start. */
export const automationBoundaries = z.record(z.string(), z.object({ created: sinceCursor, updated: sinceCursor }));
export type AutomationBoundaries = z.infer<typeof automationBoundaries>;

/**
 * "Changes count from the first run on" means from the save on: each automation's two NetHunt
 * cursors as its first poll would set them, taken now, so a record that reaches the value the
 * instant after the 201 gets its task. An automation keeps the boundary of the save that added it;
 * one added later (PATCH, POST …/automations) gets one of its own save. Null when nothing is new.
 */
export async function crmAutomationBoundary(raw: Record<string, unknown>, { deps, source }: KindCheckContext, saved?: SavedBoundary): Promise<AutomationBoundaries | null> {
  const config = crmAutomationConfig.parse(raw);
  const before = saved ? new Set(crmAutomationConfig.safeParse(saved.config).data?.automations.map((a) => a.id)) : new Set<string>();
  const kept = automationBoundaries.safeParse(saved?.boundary).data ?? {};
  const crm = openForCheck(deps, nethunt, source);
  const boundaries: AutomationBoundaries = {};
  for (const a of config.automations) {
    if (before.has(a.id)) {
      // Its workflow cursor runs from this one (or from its own first poll, saved before boundaries were).
      const own = kept[a.id];
      if (own) boundaries[a.id] = own;
      continue;
    }
    // The triggers' own first poll: the same starting point a first run takes, without a request.
    const created = await nethunt.triggers['new-records'].poll(crm, { folderId: a.trigger.folderId }, undefined);
    const updated = await nethunt.triggers['updated-records'].poll(crm, { folderId: a.trigger.folderId, fieldNames: [a.trigger.field] }, undefined);
    boundaries[a.id] = { created: created.nextCursor, updated: updated.nextCursor };
  }
  return Object.keys(boundaries).length ? boundaries : null;
}
