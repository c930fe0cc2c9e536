import { z } from 'zod';
import { validationError } from '../kit/errors';
import type { PolledRecord, PollResult } from '../kit/types';

/**
 * Where a NetHunt poll stands: the time of the last record handed out and the ids handed out at
 * exactly that time. NetHunt timestamps have millisecond precision but a burst (an import, a bulk
 * edit) can share one, so the time alone cannot say which of them were already handed out.
 */
export const sinceCursor = z.object({
  time: z.number().int().nonnegative(),
  ids: z.array(z.string()),
});
export type SinceCursor = z.infer<typeof sinceCursor>;

export interface SincePollOptions<T> {
  /** Fetches items changed after `sinceIso`, at most `limit` of them. */
  fetch: (sinceIso: string, limit: number) => Promise<T[]>;
  timeOf: (item: T) => number;
  idOf: (item: T) => string;
  /** Most records handed out by one poll. */
  pageSize: number;
  /** Largest `limit` asked of NetHunt when a burst does not fit a page. */
  maxFetch: number;
  /** Where a first poll starts; none means "now": nothing old is handed out. */
  startAt?: number;
  now?: number;
  system: string;
}

/**
 * NetHunt's triggers take only `since` and `limit`: no offset, no "until", and third-party clients
 * read the answer as newest first, so a full answer may be the newest `limit` items with older ones
 * cut off. A full answer is therefore only trusted when it is visibly oldest-first (it is then the
 * oldest `limit` items: a true prefix); otherwise the same query is repeated with a larger limit
 * until the answer is not full. Of the complete prefix, at most `pageSize` items are handed out in
 * (time, id) order and the cursor moves to the last one handed out, remembering every id handed out
 * at that time; `since` is sent 1 ms early so items sharing that time come again whether NetHunt's
 * `since` is inclusive or not, and the remembered ids drop the ones already handed out. So nothing
 * is lost on equal timestamps, on bursts bigger than a page, or between pages.
 */
export async function pollSince<T>(options: SincePollOptions<T>, cursor: SinceCursor | undefined): Promise<PollResult<T, SinceCursor>> {
  if (!cursor) {
    // The first poll only fixes the starting point, so enabling an automation does not replay history.
    const time = options.startAt ?? options.now ?? Date.now();
    if (options.startAt === undefined) return { records: [], nextCursor: { time, ids: [] }, hasMore: false };
    cursor = { time: Math.max(0, time - 1), ids: [] };
  }
  const seen = new Set(cursor.ids);
  const sinceIso = new Date(Math.max(0, cursor.time - 1)).toISOString();
  const fresh = (items: T[]) =>
    items
      .filter((item) => {
        const t = options.timeOf(item);
        return t > cursor.time || (t === cursor.time && !seen.has(options.idOf(item)));
      })
      .sort((a, b) => options.timeOf(a) - options.timeOf(b) || options.idOf(a).localeCompare(options.idOf(b)));

  let limit = Math.min(options.pageSize + cursor.ids.length, options.maxFetch);
  for (;;) {
    const items = await options.fetch(sinceIso, limit);
    const full = items.length >= limit;
    const candidates = fresh(items);
    const prefixOk = !full || (oldestFirst(items, options.timeOf) && candidates.length > 0);
    if (prefixOk) {
      const page = candidates.slice(0, options.pageSize);
      const hasMore = candidates.length > page.length || full;
      return { records: page.map((item) => toRecord(item, options)), nextCursor: advance(cursor, page, options), hasMore };
    }
    if (limit >= options.maxFetch) {
      throw validationError(
        options.system,
        `more than ${options.maxFetch} items changed since ${sinceIso} and NetHunt cannot page through them; raise maxFetch so none are skipped`,
      );
    }
    limit = Math.min(limit * 4, options.maxFetch);
  }
}

function oldestFirst<T>(items: T[], timeOf: (item: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (timeOf(items[i - 1]!) > timeOf(items[i]!)) return false;
  // All on one timestamp says nothing about the order.
  return items.length > 1 && timeOf(items[0]!) < timeOf(items[items.length - 1]!);
}

function advance<T>(cursor: SinceCursor, page: T[], options: SincePollOptions<T>): SinceCursor {
  const last = page[page.length - 1];
  if (last === undefined) return cursor;
  const time = options.timeOf(last);
  const atTime = page.filter((item) => options.timeOf(item) === time).map(options.idOf);
  return { time, ids: time === cursor.time ? [...cursor.ids, ...atTime] : atTime };
}

function toRecord<T>(item: T, options: SincePollOptions<T>): PolledRecord<T> {
  return { id: options.idOf(item), dedupeKey: `${options.idOf(item)}@${options.timeOf(item)}`, data: item };
}
