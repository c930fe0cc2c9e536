import { z } from 'zod';
import { validationError } from '../kit/errors';
import type { ConnectorContext } from '../kit/types';
import type { MiniCrmCredentials } from './auth';
import { r3 } from './client';

type Ctx = ConnectorContext<MiniCrmCredentials>;

const categories = z.record(z.string(), z.string());
/** A field's type ("Text(512)", "Int") or, for dropdowns, its options id → label. */
const schemaBody = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string()), z.unknown()]));

export const projectSchemaInput = z.object({
  categoryId: z.number().int().nonnegative().describe('The module (category) id, from list-modules'),
});

/** Plain data, so it can be an action's output: options are id → label. */
export interface ProjectSchema {
  categoryId: number;
  fields: string[];
  statuses: Record<string, string>;
  users: Record<string, string>;
}

export async function listCategories(ctx: Ctx): Promise<Record<string, string>> {
  return categories.parse(await r3(ctx, 'GET', '/Category'));
}

export async function projectSchema(ctx: Ctx, { categoryId }: z.infer<typeof projectSchemaInput>): Promise<ProjectSchema> {
  const body = schemaBody.parse(await r3(ctx, 'GET', `/Schema/Project/${categoryId}`));
  const options = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([id, label]) => [id, String(label)])) : {});
  return { categoryId, fields: Object.keys(body), statuses: options(body.StatusId), users: options(body.UserId) };
}

const singular = (name: string) => name.trim().toLowerCase().replace(/s$/, '');

/**
 * Finds a module by name, tolerant of case and of singular or plural (Order, Orders, ORDERS);
 * when none matches, the error lists the modules the account has.
 */
export function findCategory(all: Record<string, string>, wanted: readonly string[], label: string): number {
  const targets = new Set(wanted.map(singular));
  const hit = Object.entries(all).find(([, name]) => targets.has(singular(name)));
  if (hit) return Number(hit[0]);
  const have = Object.entries(all).map(([id, name]) => `${name} (${id})`).join(', ') || 'none';
  throw validationError('minicrm', `MiniCRM has no ${label} module (looked for ${wanted.join(' or ')}); the account's modules are: ${have}. Enable the module or set its id in the config.`);
}

/** Resolves a dropdown value given by id or by label (case-insensitive) to its id. */
export function resolveOption(options: Record<string, string>, value: string | number): string | undefined {
  const v = String(value).trim();
  if (Object.prototype.hasOwnProperty.call(options, v)) return v;
  const lower = v.toLowerCase();
  for (const [id, label] of Object.entries(options)) if (label.trim().toLowerCase() === lower) return id;
  return undefined;
}
