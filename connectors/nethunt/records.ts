import { z } from 'zod';
import { validationError } from '../kit/errors';
import { nethunt, parseAnswer, type NethuntCtx } from './client';
import { fieldValue, record, type NethuntRecord } from './schema';

export const findRecordsInput = z.object({
  folderId: z.string().min(1).describe('The folder to search in'),
  recordId: z.string().min(1).optional().describe('Find exactly this record'),
  query: z.string().min(1).optional().describe('NetHunt search syntax, e.g. `Stage:(New OR Negotiating)` or free text'),
  limit: z.number().int().positive().max(1000).optional().describe('At most this many records (NetHunt answers 1 when not given)'),
});

export async function findRecords(ctx: NethuntCtx, input: z.infer<typeof findRecordsInput>): Promise<NethuntRecord[]> {
  if (input.recordId === undefined && input.query === undefined) {
    throw validationError('nethunt', 'find records needs a recordId or a query');
  }
  const body = await nethunt(ctx, 'GET', `/searches/find-record/${encodeURIComponent(input.folderId)}`, {
    query: { recordId: input.recordId, query: input.query, limit: input.limit },
  });
  return parseAnswer(z.array(record), body, 'find record');
}

export const createRecordInput = z.object({
  folderId: z.string().min(1).describe('A writable folder to create the record in'),
  fields: z.record(z.string(), fieldValue).describe('Values keyed by the field name as NetHunt shows it (e.g. "Name", "Primary Email Address")'),
  timeZone: z.string().min(1).optional().describe('IANA time zone NetHunt reads date fields in (default UTC)'),
});

/**
 * NetHunt has no idempotency key for record creation: a retried create after a lost answer makes a
 * second record. Callers that must not duplicate record the created id in the delivery ledger, or
 * look the record up first with find-records on a unique field.
 */
export async function createRecord(ctx: NethuntCtx, input: z.infer<typeof createRecordInput>): Promise<NethuntRecord> {
  const body = await nethunt(ctx, 'POST', `/actions/create-record/${encodeURIComponent(input.folderId)}`, {
    body: { timeZone: input.timeZone ?? 'UTC', fields: input.fields },
  });
  return parseAnswer(record, body, 'create record');
}

const fieldAction = z
  .object({
    overwrite: z.boolean().optional().describe('Replace the current value instead of adding to it (defaults to the call-wide `overwrite`)'),
    add: fieldValue.optional().describe('Value to set (or add, for multi-value fields)'),
    remove: fieldValue.optional().describe('Value to take away (multi-value fields) or clear'),
  })
  .refine((a) => a.add !== undefined || a.remove !== undefined, 'each field action needs add or remove');

export const updateRecordInput = z.object({
  recordId: z.string().min(1).describe('The record to change'),
  fieldActions: z.record(z.string(), fieldAction).describe('Per field name: {overwrite?, add?, remove?}'),
  overwrite: z.boolean().optional().describe('Default `overwrite` for every field action (default false: add to multi-value fields)'),
});

/**
 * Updates are idempotent when they overwrite (setting a value twice leaves it set); `add` to a
 * multi-value field is not, so retry-sensitive callers should prefer overwrite.
 */
export async function updateRecord(ctx: NethuntCtx, input: z.infer<typeof updateRecordInput>): Promise<NethuntRecord> {
  if (Object.keys(input.fieldActions).length === 0) throw validationError('nethunt', 'update record needs at least one field action');
  // fieldActions must be an object keyed by field name: a client that sent an array got HTTP 500.
  const body = await nethunt(ctx, 'POST', `/actions/update-record/${encodeURIComponent(input.recordId)}`, {
    query: { overwrite: input.overwrite ?? false },
    body: { fieldActions: input.fieldActions },
  });
  return parseAnswer(record, body, 'update record');
}
