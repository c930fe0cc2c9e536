/**
 * Wall-clock time in an IANA zone, with Intl only: this file is imported by workflow code, so it
 * reads no clock and imports nothing from Node. Offsets come from the ICU data of the runtime.
 */

/** A wall-clock reading in some zone; month is 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23, not hour12:false: the latter prints midnight as "24" in some ICU versions.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name Intl knows (Europe/Budapest, UTC); offsets such as "+01:00" are refused. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant`, to the second. */
export function zonedParts(instant: Date, timeZone: string): Required<LocalDateTime> {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

/** Zone offset (local minus UTC) in ms at an instant, at the one-second resolution Intl gives. */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = zonedParts(new Date(whole), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` reads `parts`. Out-of-range fields roll over
 * as in Date.UTC (day 32 is the 1st of the next month).
 * - A time skipped by a spring-forward change (02:30 in Budapest on the last Sunday of March)
 *   gives the first instant after the gap: the moment the clock jumps (03:00 local).
 * - A time that occurs twice on a fall-back day gives the first occurrence (the summer-time one).
 * Assumes at most one offset change within a day either side, which holds for every IANA zone
 * in use.
 */
export function zonedTimeToUtc(parts: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second ?? 0);
  const offBefore = offsetAt(wall - DAY_MS, timeZone);
  const offAfter = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - offBefore, wall - offAfter].filter((t) => offsetAt(t, timeZone) === wall - t);
  if (candidates.length > 0) return new Date(Math.min(...candidates));

  // A gap: the offset grows from offBefore to offAfter, so `wall - offAfter` falls before the
  // change and `wall - offBefore` after it. Search for the change between them, to the second.
  let lo = wall - offAfter;
  let hi = wall - offBefore;
  if (lo > hi) [lo, hi] = [hi, lo];
  const offLo = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offLo) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** The calendar date `days` after the given one (days may be negative). */
export function addLocalDays(date: Pick<LocalDateTime, 'year' | 'month' | 'day'>, days: number): Pick<LocalDateTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
