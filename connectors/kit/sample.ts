import type { z } from 'zod';
import type { PolledRecord, PollResult, TriggerDefinition } from './types';

/** How far back a sample looks: recent enough to be cheap, long enough to find something in a quiet account. */
export const SAMPLE_LOOKBACK_MS = 30 * 86_400_000;
const MAX_PAGES = 5;

/** The order a trigger reports its records in: most report oldest first, a few (SUMIT) newest first. */
export type ReportOrder = 'oldest-first' | 'newest-first';

/**
 * The newest `limit` records a series of polls reports (a record reported twice counts once),
 * newest first. Stops after a few pages, or as soon as a newest-first trigger has given enough:
 * a sample is a look, not a backfill.
 */
export async function latestRecords<T, C>(poll: (cursor: C | undefined) => Promise<PollResult<T, C>>, limit: number, order: ReportOrder = 'oldest-first'): Promise<PolledRecord<T>[]> {
  if (order === 'newest-first') {
    const newest = new Map<string, PolledRecord<T>>();
    let cursor: C | undefined;
    for (let page = 0; page < MAX_PAGES && newest.size < limit; page++) {
      const result = await poll(cursor);
      for (const r of result.records) if (!newest.has(r.id) && newest.size < limit) newest.set(r.id, r);
      if (!result.hasMore) break;
      cursor = result.nextCursor;
    }
    return [...newest.values()];
  }
  const latest = new Map<string, PolledRecord<T>>();
  let cursor: C | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await poll(cursor);
    for (const r of result.records) {
      latest.delete(r.id);
      latest.set(r.id, r);
    }
    // Only the newest `limit` are kept between pages.
    while (latest.size > limit) latest.delete(latest.keys().next().value!);
    if (!result.hasMore) break;
    cursor = result.nextCursor;
  }
  return [...latest.values()].reverse();
}

/**
 * A sample for a trigger whose input can say where to start (SUMIT's startFrom, NetHunt's
 * startAt): the polls start `SAMPLE_LOOKBACK_MS` ago instead of now.
 */
export function withLookback<Credentials, S extends z.ZodType, T, C, R extends PollResult<T, C>>(
  trigger: TriggerDefinition<Credentials, S, T, C, R>,
  from: (input: z.input<S>, sinceIso: string) => z.input<S>,
  order: ReportOrder = 'oldest-first',
): TriggerDefinition<Credentials, S, T, C, R> {
  return {
    ...trigger,
    sample: (ctx, input, limit) => latestRecords<T, C>((cursor) => trigger.poll(ctx, from(input, new Date(Date.now() - SAMPLE_LOOKBACK_MS).toISOString()), cursor), limit, order),
  };
}
