import { z } from 'zod';
import type { PollResult } from '../kit/types';
import { callWorksection, parseData, type WorksectionCtx } from './client';
import { event, type WorksectionEvent } from './schema';

export const TASK_EVENT_ACTIONS = ['post', 'update', 'close', 'reopen', 'delete'] as const;
export type TaskEventAction = (typeof TASK_EVENT_ACTIONS)[number];

const minute = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

/**
 * Where a task-event poll stands. Worksection's event log has no ids and minute-precision times in
 * the account's own time zone, so the cursor keeps `floor` (the earliest minute still read) and the
 * keys of the events already handed out at or after it: an event is new when it is at or after the
 * floor and its key is not there. `checkedAt` (our clock) sizes the period while no floor is known.
 */
export const taskEventCursor = z.object({
  floor: minute.nullable(),
  keys: z.array(z.string()),
  checkedAt: z.number().int().nonnegative(),
});
export type TaskEventCursor = z.infer<typeof taskEventCursor>;

export const taskEventsInput = z.object({
  actions: z.array(z.enum(TASK_EVENT_ACTIONS)).min(1).optional().describe('Which task events to hand out (default: all)'),
  projectId: z.string().regex(/^\d+$/).optional().describe('Only events of this project'),
  startAt: minute.optional().describe('First poll only: hand out events from this minute on, in the account time zone (YYYY-MM-DD HH:MM); default: from the first poll on'),
  pageSize: z.number().int().positive().max(1000).optional().describe('Most events one poll hands out (default 100)'),
  lookbackMinutes: z.number().int().min(1).max(60).optional().describe('Minutes re-read behind the last event, for events logged late (default 5)'),
});
export type TaskEventsInput = z.infer<typeof taskEventsInput>;

export const closedTasksInput = taskEventsInput.omit({ actions: true });

export interface TaskEvent {
  taskId: string;
  action: string;
  /** YYYY-MM-DD HH:MM in the account's time zone. */
  date: string;
  page?: string;
  event: WorksectionEvent;
}

/** Event times are local to the account, whose offset we do not know: periods are widened by the largest one. */
const TZ_MARGIN_MINUTES = 14 * 60 + 5;

const asUtc = (m: string) => Date.parse(`${m.slice(0, 10)}T${m.slice(11, 16)}:00Z`);
const minutesBefore = (m: string, n: number) => new Date(asUtc(m) - n * 60_000).toISOString().slice(0, 16).replace('T', ' ');

/** get_events takes 1m..360m, 1h..72h or 1d..30d: the smallest unit that covers the span. */
export function periodFor(minutes: number): string {
  const m = Math.max(1, Math.ceil(minutes));
  if (m <= 360) return `${m}m`;
  if (m <= 72 * 60) return `${Math.ceil(m / 60)}h`;
  return `${Math.min(30, Math.ceil(m / 1440))}d`;
}

const keyOf = (e: WorksectionEvent) => `${e.date_added.slice(0, 16)}|${e.action}|${e.object.id}`;

async function fetchTaskEvents(ctx: WorksectionCtx, input: TaskEventsInput, period: string): Promise<WorksectionEvent[]> {
  const data = await callWorksection(ctx, 'get_events', { period, id_project: input.projectId });
  const wanted = new Set<string>(input.actions ?? TASK_EVENT_ACTIONS);
  return parseData(z.array(event), data ?? [], 'get_events').filter((e) => e.object.type === 'task' && wanted.has(e.action));
}

/**
 * Task events since the cursor, oldest first, at most a page at a time. Events are matched by key
 * (minute, action, task), so any number of them may share a minute and a burst bigger than a page
 * is handed out over several polls; events logged up to `lookbackMinutes` late are still caught.
 * Two identical events of one task in one minute count as one (the same outcome for a workflow).
 * Worksection keeps 30 days of events: a cursor older than that cannot be caught up.
 */
export async function pollTaskEvents(
  ctx: WorksectionCtx,
  input: TaskEventsInput,
  cursor: TaskEventCursor | undefined,
  now = Date.now(),
): Promise<PollResult<TaskEvent, TaskEventCursor>> {
  const lookback = input.lookbackMinutes ?? 5;
  if (!cursor) {
    if (input.startAt !== undefined) {
      cursor = { floor: input.startAt.slice(0, 16), keys: [], checkedAt: now };
    } else {
      // The first poll marks what is already in the log as seen, so enabling does not replay history.
      const existing = await fetchTaskEvents(ctx, input, '1d');
      const latest = existing.map((e) => e.date_added.slice(0, 16)).sort().at(-1);
      const floor = latest === undefined ? null : minutesBefore(latest, lookback);
      const keys = existing.map(keyOf).filter((k) => floor === null || k >= floor);
      return { records: [], nextCursor: { floor, keys, checkedAt: now }, hasMore: false };
    }
  }
  const from = cursor.floor === null ? cursor.checkedAt : asUtc(cursor.floor);
  const events = await fetchTaskEvents(ctx, input, periodFor((now - from) / 60_000 + TZ_MARGIN_MINUTES));
  const seen = new Set(cursor.keys);
  const byKey = new Map<string, WorksectionEvent>();
  for (const e of events) {
    const key = keyOf(e);
    if ((cursor.floor === null || key >= cursor.floor) && !seen.has(key)) byKey.set(key, e);
  }
  const candidates = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = candidates.slice(0, input.pageSize ?? 100);
  const records = page.map(([key, e]) => ({
    id: e.object.id,
    dedupeKey: key,
    data: { taskId: e.object.id, action: e.action, date: e.date_added.slice(0, 16), page: e.object.page, event: e },
  }));
  const last = page.at(-1)?.[0].slice(0, 16);
  if (last === undefined) return { records, nextCursor: { ...cursor, checkedAt: now }, hasMore: false };
  const lowest = minutesBefore(last, lookback);
  const floor = cursor.floor !== null && cursor.floor > lowest ? cursor.floor : lowest;
  const keys = [...cursor.keys, ...page.map(([key]) => key)].filter((k) => k >= floor);
  return { records, nextCursor: { floor, keys, checkedAt: now }, hasMore: candidates.length > page.length };
}
