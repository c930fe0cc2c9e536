import { z } from 'zod';

/** A field value as NetHunt takes it: text, number, flag, or a list for multi-value fields (e-mails, tags). */
export const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);
export type FieldValue = z.infer<typeof fieldValue>;

export const folder = z.looseObject({ id: z.string(), name: z.string() });
export type NethuntFolder = z.infer<typeof folder>;

export const folderField = z.looseObject({ name: z.string() });

/** Records are keyed by human field names; values pass through as NetHunt sends them. */
export const record = z.looseObject({
  id: z.string(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type NethuntRecord = z.infer<typeof record>;

/**
 * One field-level change. Third-party clients disagree on `fieldActions` (an object keyed by field
 * name, or a list of {field, oldValue, newValue}), so it passes through and `changedFields` is
 * derived from either shape.
 */
export const recordChange = z.looseObject({
  id: z.string(),
  recordId: z.string(),
  time: z.string(),
  recordAction: z.string().optional(),
  user: z.unknown().optional(),
  fieldActions: z.unknown().optional(),
});
export type NethuntRecordChange = z.infer<typeof recordChange> & { changedFields: string[] };

export function changedFields(fieldActions: unknown): string[] {
  if (Array.isArray(fieldActions)) {
    return fieldActions.flatMap((a: unknown) => (a && typeof a === 'object' && 'field' in a && typeof a.field === 'string' ? [a.field] : []));
  }
  return fieldActions && typeof fieldActions === 'object' ? Object.keys(fieldActions) : [];
}
