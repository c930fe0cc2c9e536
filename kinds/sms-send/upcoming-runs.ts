import type { SmsSchedule } from './config';
import { nextRunAt } from './next-run';
import { zonedParts } from './zoned-time';

export interface UpcomingRun {
  at: Date;
  /** The wall clock in the schedule's zone: "2026-12-02 09:00". */
  local: string;
  /** Short weekday in the zone, in English: "Wed". */
  weekday: string;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The next `count` runs of a schedule saved at `savedAt`, as the loop would schedule them (the
 * policy in workflows/sms-send.ts): an interval's first run comes one interval after the save
 * (at once with backfill), a time of day within 5 minutes of the save waits for the next day, and
 * each later run follows the one before it. An `after` schedule has no times: another integration
 * starts it.
 */
export function upcomingRuns(schedule: SmsSchedule, timeZone: string, savedAt: Date, count: number, backfill = false): UpcomingRun[] {
  if ('after' in schedule) return [];
  const runs: Date[] = [];
  let at = nextRunAt(schedule, { now: savedAt, timeZone, lastRunAt: 'every' in schedule && !backfill ? savedAt : undefined, createdAt: savedAt });
  while (at && runs.length < count) {
    runs.push(at);
    at = nextRunAt(schedule, { now: at, timeZone, lastRunAt: at });
  }
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
  return runs.map((r) => {
    const p = zonedParts(r, timeZone);
    return { at: r, local: `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`, weekday: weekday.format(r) };
  });
}
