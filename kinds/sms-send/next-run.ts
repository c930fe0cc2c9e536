/**
 * When an sms-send integration runs next. Pure and deterministic: the caller passes `now` (in a
 * workflow, the workflow clock), so the same inputs always give the same answer on replay.
 */
import type { SmsSchedule } from './config';
import { addLocalDays, zonedParts, zonedTimeToUtc } from './zoned-time';

export { zonedTimeToUtc, type LocalDateTime } from './zoned-time';

/** A fixed time this close to (or before) the moment the schedule is saved starts the next day. */
export const FIXED_TIME_LEAD_MS = 5 * 60_000;

export interface NextRunContext {
  now: Date;
  /** IANA zone the fixed times are read in. */
  timeZone: string;
  /** When the last scheduled run was due (or started). A manual "run now" should not move it. */
  lastRunAt?: Date;
  /** When this schedule was saved: the fixed-times 5-minute rule counts from here. Default: now. */
  createdAt?: Date;
}

/**
 * The instant of the next run, or null for `after` schedules (those are started by the other
 * integration's completed runs, not by a clock). A run already due gives `now`: missed runs are
 * collapsed into one, never replayed as a burst.
 *
 * - `every`: last run + interval; never run → now.
 * - `times`: the first listed time of day, in `timeZone`, later than both the last run and
 *   createdAt + 5 minutes. So a time at most 5 minutes ahead of the save fires from the next day
 *   (saved 12:08, 12:10 → tomorrow 12:10), one further ahead fires today (saved 12:13, 12:20 →
 *   today 12:20), and each time fires once a day after that. A time skipped by a spring-forward
 *   change fires when the clock jumps; one repeated by a fall-back change fires only the first time.
 */
export function nextRunAt(schedule: SmsSchedule, ctx: NextRunContext): Date | null {
  const now = ctx.now.getTime();
  if ('after' in schedule) return null;
  if ('every' in schedule) {
    if (!ctx.lastRunAt) return new Date(now);
    return new Date(Math.max(now, ctx.lastRunAt.getTime() + schedule.every * 60_000));
  }
  // Later than the last run, and more than 5 minutes after the schedule was saved (now, if
  // neither is known). After the first run the second bound is already behind.
  const bounds: number[] = [];
  if (ctx.lastRunAt) bounds.push(ctx.lastRunAt.getTime());
  if (ctx.createdAt || !ctx.lastRunAt) bounds.push((ctx.createdAt?.getTime() ?? now) + FIXED_TIME_LEAD_MS);
  const after = Math.max(...bounds);
  const next = firstTimeAfter(schedule.times.map(parseClockTime), after, ctx.timeZone);
  return new Date(Math.max(now, next));
}

/** "HH:MM" → hour and minute; throws RangeError on anything else (config validation prevents it). */
export function parseClockTime(text: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new RangeError(`not a time of day as HH:MM: ${JSON.stringify(text)}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The earliest instant strictly after `after` at which the clock in `timeZone` shows one of `times`. */
function firstTimeAfter(times: readonly { hour: number; minute: number }[], after: number, timeZone: string): number {
  const today = zonedParts(new Date(after), timeZone);
  let best = Infinity;
  // Today and tomorrow always hold an answer; the third day covers a zone that skipped a whole
  // calendar day (Pacific/Apia, 2011-12-30) without special cases.
  for (let d = 0; d <= 2 && best === Infinity; d++) {
    const date = addLocalDays(today, d);
    for (const t of times) {
      const at = zonedTimeToUtc({ ...date, ...t }, timeZone).getTime();
      if (at > after && at < best) best = at;
    }
  }
  if (best === Infinity) throw new RangeError('a times schedule needs at least one time of day');
  return best;
}
