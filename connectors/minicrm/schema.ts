import { z } from 'zod';
import { validationError } from '../kit/errors';
import type { ConnectorContext } from '../kit/types';
import type { MiniCrmCredentials } from './auth';
import { r3 } from './client';

type Ctx = ConnectorContext<MiniCrmCredentials>;

const categories = z.record(z.string(), z.string());
/** A field's type ("Text(512)", "Int") or, for dropdowns, its options id → label. */
const schemaBody = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string()), z.unknown()]));

export interface ProjectSchema {
  categoryId: number;
  fields: Set<string>;
  statuses: Map<string, string>;
  users: Map<string, string>;
}

export async function listCategories(ctx: Ctx): Promise<Record<string, string>> {
  return categories.parse(await r3(ctx, 'GET', '/Category'));
}

export async function projectSchema(ctx: Ctx, categoryId: number): Promise<ProjectSchema> {
  const body = schemaBody.parse(await r3(ctx, 'GET', `/Schema/Project/${categoryId}`));
  const options = (v: unknown) => new Map(v && typeof v === 'object' ? Object.entries(v).map(([id, label]) => [id, String(label)]) : []);
  return { categoryId, fields: new Set(Object.keys(body)), statuses: options(body.StatusId), users: options(body.UserId) };
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
export function resolveOption(options: Map<string, string>, value: string | number): string | undefined {
  const v = String(value).trim();
  if (options.has(v)) return v;
  const lower = v.toLowerCase();
  for (const [id, label] of options) if (label.trim().toLowerCase() === lower) return id;
  return undefined;
}
