import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { callSumit, type SumitContext } from './client';

const folderList = z.object({ Folders: z.array(z.object({ ID: z.number().int(), Name: z.string().nullish() })).nullish() }).nullish();

export interface SumitFolder {
  id: number;
  name: string;
}

export async function listFolders(ctx: SumitContext): Promise<SumitFolder[]> {
  const data = await callSumit(ctx, '/crm/schema/listfolders/', { IncludeInherited: true, SortByName: true }, folderList);
  return (data?.Folders ?? []).map((f) => ({ id: f.ID, name: f.Name ?? '' }));
}

export const listFoldersAction = defineAction('sumit', {
  name: 'List CRM folders',
  description: 'The CRM folders of the account (customers, documents, custom folders), for choosing what a trigger watches.',
  input: z.object({}),
  run: (ctx: SumitContext) => listFolders(ctx),
});

/** A property value as SUMIT sends it: a scalar, or an array for multi-value and reference fields. */
const propertyValue = z.unknown();
export const sumitEntity = z.object({
  ID: z.number().int(),
  Folder: z.union([z.string(), z.number()]).nullish(),
  Properties: z.record(z.string(), propertyValue).nullish(),
});
export type SumitEntity = z.infer<typeof sumitEntity>;

const entityPage = z.object({ Entities: z.array(sumitEntity).nullish(), HasNextPage: z.boolean().nullish() });

/** SUMIT's paging bounds: PageSize below 10 is raised to 10, above 1000 refused. */
export const MIN_PAGE = 10;
export const MAX_PAGE = 1000;

export interface EntityPageRequest {
  folder: string;
  startIndex: number;
  pageSize: number;
  order?: { property: string; descending: boolean };
  loadProperties: boolean;
}

export async function listEntitiesPage(ctx: SumitContext, req: EntityPageRequest): Promise<{ entities: SumitEntity[]; hasNextPage: boolean }> {
  const data = await callSumit(
    ctx,
    '/crm/data/listentities/',
    {
      Folder: req.folder,
      IncludeInheritedFolders: false,
      Order: req.order ? { Property: req.order.property, Descending: req.order.descending } : undefined,
      Paging: { StartIndex: req.startIndex, PageSize: req.pageSize },
      LoadProperties: req.loadProperties,
    },
    entityPage,
  );
  return { entities: data.Entities ?? [], hasNextPage: data.HasNextPage ?? false };
}

const entityData = z.object({ Entity: sumitEntity });

export async function getEntity(ctx: SumitContext, folder: string, id: number): Promise<SumitEntity> {
  return (await callSumit(ctx, '/crm/data/getentity/', { EntityID: id, Folder: folder }, entityData)).Entity;
}

/** A property as a time in ms: ISO strings (with or without zone) and epoch numbers; arrays take their first value. */
export function propertyTime(entity: SumitEntity, property: string): number | undefined {
  let v = entity.Properties?.[property];
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
