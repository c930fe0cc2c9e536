import { z } from 'zod';
import { defineLookup } from '../kit/define-action';
import type { ConnectorContext, LookupItem } from '../kit/types';
import type { MiniCrmCredentials } from './auth';
import { listCategories, projectSchema } from './schema';

type Ctx = ConnectorContext<MiniCrmCredentials>;

const categoryId = z.coerce.number('a module id (digits), from the modules lookup').int().nonnegative();
const inModule = z.object({ categoryId: categoryId.describe('The module (category) id, from the modules lookup') });

const options = (o: Record<string, string>): LookupItem[] => Object.entries(o).map(([value, label]) => ({ value, label }));

/** MiniCRM has no user list of its own: a module schema's owner dropdown is the list, the same in every module. */
async function users(ctx: Ctx, input: { categoryId?: number }): Promise<LookupItem[]> {
  const id = input.categoryId ?? Number(Object.keys(await listCategories(ctx))[0]);
  if (!Number.isFinite(id)) return [];
  return options((await projectSchema(ctx, { categoryId: id })).users);
}

export const minicrmLookups = {
  modules: defineLookup('minicrm', {
    name: 'Modules',
    description: 'The modules (categories) of the account; value is the module id.',
    input: z.object({}),
    run: async (ctx: Ctx) => options(await listCategories(ctx)),
  }),
  users: defineLookup('minicrm', {
    name: 'Users',
    description: 'Users who can own a card (the owner dropdown); value is the user id, label the name.',
    input: z.object({ categoryId: categoryId.optional().describe('Read from this module (default: the first)') }),
    run: users,
  }),
  statuses: defineLookup('minicrm', {
    name: 'Statuses',
    description: "A module's card statuses; value is the status id, label its name.",
    input: inModule,
    run: async (ctx: Ctx, input) => options((await projectSchema(ctx, input)).statuses),
  }),
  fields: defineLookup('minicrm', {
    name: 'Card fields',
    description: "A module's card fields, as configs and the XML sync name them.",
    input: inModule,
    run: async (ctx: Ctx, input) => (await projectSchema(ctx, input)).fields.map((name) => ({ value: name, label: name })),
  }),
};
