import { z } from 'zod';
import type { ConnectorContext } from '../kit/types';
import { toXml } from '../kit/xml';
import type { MiniCrmCredentials } from './auth';
import { uploadSyncXml } from './client';

/**
 * One card of an XML sync upload, in fast-xml-parser's shape (`@_` marks an attribute): its
 * `@_Id` is the external id MiniCRM matches the card by, so it is required.
 */
export const syncProject = z
  .looseObject({ '@_Id': z.string().min(1).describe('External id: the card with this id is updated, or created if there is none') })
  .describe('A card: CategoryId, Name, StatusId, UserId, custom fields, Contacts.Contact[] and Orders.Order[], each contact, order and product with its own @_Id');
export type SyncProject = z.infer<typeof syncProject>;

export const syncProjectsInput = z.object({
  projects: z.array(syncProject).min(1).describe('The cards of one upload'),
});

/** Upserts cards in one XML sync upload; the answer reports each card by its external id. */
export async function syncProjects(ctx: ConnectorContext<MiniCrmCredentials>, input: z.infer<typeof syncProjectsInput>): Promise<unknown> {
  return uploadSyncXml(ctx, toXml({ Projects: { Project: input.projects } }));
}
