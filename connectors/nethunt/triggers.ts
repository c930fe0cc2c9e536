import { z } from 'zod';
import { transientError } from '../kit/errors';
import type { PollResult } from '../kit/types';
import { nethunt, parseAnswer, type NethuntCtx } from './client';
import { changedFields, record, recordChange, type NethuntRecord, type NethuntRecordChange } from './schema';
import { pollSince, type SinceCursor } from './since-poll';

const pagingInput = {
  startAt: z.iso.datetime().optional().describe('First poll only: hand out changes from this instant on (default: from the first poll on, nothing older)'),
  pageSize: z.number().int().positive().max(1000).optional().describe('Most records one poll hands out (default 100)'),
  maxFetch: z.number().int().positive().max(10_000).optional().describe('Largest limit asked of NetHunt to get past a burst (default 1000)'),
};

export const newRecordsInput = z.object({
  folderId: z.string().min(1).describe('The folder to watch'),
  ...pagingInput,
});

export const updatedRecordsInput = z.object({
  folderId: z.string().min(1).describe('The folder to watch'),
  fieldNames: z.array(z.string().min(1)).optional().describe('Only updates that touched one of these fields (default: any field)'),
  ...pagingInput,
});

export const recordChangesInput = z.object({
  folderId: z.string().min(1).describe('The folder to watch'),
  recordId: z.string().min(1).optional().describe('Only changes of this record'),
  fieldNames: z.array(z.string().min(1)).optional().describe('Only changes of these fields, e.g. the field whose new value starts the automation'),
  ...pagingInput,
});

type Paging = { startAt?: string; pageSize?: number; maxFetch?: number };

function timeOf(value: string | undefined, what: string): number {
  const t = value === undefined ? NaN : Date.parse(value);
  // Without a time the record cannot be placed in order, and a guess could skip it for good.
  if (Number.isNaN(t)) throw transientError('nethunt', `NetHunt ${what} came without a readable time (${String(value)})`);
  return t;
}

function paging(input: Paging) {
  return {
    pageSize: input.pageSize ?? 100,
    maxFetch: Math.max(input.maxFetch ?? 1000, input.pageSize ?? 100),
    startAt: input.startAt === undefined ? undefined : Date.parse(input.startAt),
    system: 'nethunt',
  };
}

async function fetchRecords(ctx: NethuntCtx, trigger: string, folderId: string, query: Record<string, string | number | string[] | undefined>) {
  const body = await nethunt(ctx, 'GET', `/triggers/${trigger}/${encodeURIComponent(folderId)}`, { query });
  return parseAnswer(z.array(record), body, trigger);
}

export function pollNewRecords(ctx: NethuntCtx, input: z.infer<typeof newRecordsInput>, cursor: SinceCursor | undefined): Promise<PollResult<NethuntRecord, SinceCursor>> {
  return pollSince(
    {
      ...paging(input),
      fetch: (since, limit) => fetchRecords(ctx, 'new-record', input.folderId, { since, limit }),
      timeOf: (r) => timeOf(r.createdAt, `record ${r.id}`),
      idOf: (r) => r.id,
    },
    cursor,
  );
}

/** A record comes again each time it is updated (its dedupe key carries `updatedAt`). */
export function pollUpdatedRecords(ctx: NethuntCtx, input: z.infer<typeof updatedRecordsInput>, cursor: SinceCursor | undefined): Promise<PollResult<NethuntRecord, SinceCursor>> {
  return pollSince(
    {
      ...paging(input),
      fetch: (since, limit) => fetchRecords(ctx, 'updated-record', input.folderId, { since, limit, fieldName: input.fieldNames }),
      timeOf: (r) => timeOf(r.updatedAt ?? r.createdAt, `record ${r.id}`),
      idOf: (r) => r.id,
    },
    cursor,
  );
}

export function pollRecordChanges(ctx: NethuntCtx, input: z.infer<typeof recordChangesInput>, cursor: SinceCursor | undefined): Promise<PollResult<NethuntRecordChange, SinceCursor>> {
  return pollSince<NethuntRecordChange>(
    {
      ...paging(input),
      fetch: async (since, limit) => {
        const body = await nethunt(ctx, 'GET', `/triggers/record-change/${encodeURIComponent(input.folderId)}`, {
          query: { recordId: input.recordId, fieldName: input.fieldNames, since, limit },
        });
        return parseAnswer(z.array(recordChange), body, 'record-change').map((c) => ({ ...c, changedFields: changedFields(c.fieldActions) }));
      },
      timeOf: (c) => timeOf(c.time, `change ${c.id}`),
      idOf: (c) => c.id,
    },
    cursor,
  );
}
