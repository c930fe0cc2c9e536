import { FIXED_TIME_LEAD_MS, nextRunAt, parseClockTime, zonedTimeToUtc } from '../../kinds/sms-send/next-run';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString();

/** First scheduling: saved at `now`, never run. */
const first = (times: string[], now: string, timeZone = 'UTC') => iso(nextRunAt({ times }, { now: at(now), createdAt: at(now), timeZone }));

/** The next run after one that was due at `lastRunAt`, with the clock just past it. */
const after = (times: string[], lastRunAt: string, timeZone: string) =>
  iso(nextRunAt({ times }, { now: at(lastRunAt), lastRunAt: at(lastRunAt), createdAt: at('2026-01-01T00:00:00Z'), timeZone }));

describe('fixed times: the 5-minute rule on the first scheduling', () => {
  it('12:08 now and 12:10 chosen fires tomorrow at 12:10, and daily after', () => {
    expect(first(['12:10'], '2026-06-10T12:08:00Z')).toBe('2026-06-11T12:10:00.000Z');
    expect(after(['12:10'], '2026-06-11T12:10:00Z', 'UTC')).toBe('2026-06-12T12:10:00.000Z');
  });

  it('12:13 now and 12:20 chosen fires today at 12:20, and daily after', () => {
    expect(first(['12:20'], '2026-06-10T12:13:00Z')).toBe('2026-06-10T12:20:00.000Z');
    expect(after(['12:20'], '2026-06-10T12:20:00Z', 'UTC')).toBe('2026-06-11T12:20:00.000Z');
  });

  it('applies the rule in the integration’s zone, not in UTC', () => {
    // 12:08 and 12:13 in Budapest summer time are 10:08 and 10:13 UTC.
    expect(first(['12:10'], '2026-06-10T10:08:00Z', 'Europe/Budapest')).toBe('2026-06-11T10:10:00.000Z');
    expect(first(['12:20'], '2026-06-10T10:13:00Z', 'Europe/Budapest')).toBe('2026-06-10T10:20:00.000Z');
  });

  it('takes exactly 5 minutes ahead for the next day, and a second more for today', () => {
    expect(FIXED_TIME_LEAD_MS).toBe(300_000);
    expect(first(['12:10'], '2026-06-10T12:05:00Z')).toBe('2026-06-11T12:10:00.000Z');
    expect(first(['12:10'], '2026-06-10T12:04:59Z')).toBe('2026-06-10T12:10:00.000Z');
  });

  it('moves a time already past today to tomorrow', () => {
    expect(first(['09:00'], '2026-06-10T12:08:00Z')).toBe('2026-06-11T09:00:00.000Z');
  });

  it('counts the 5 minutes across midnight in the local zone', () => {
    // Saved at 23:58 in New York (03:58 UTC the next day): 00:02 is 4 minutes ahead, 00:04 is 6.
    expect(first(['00:02'], '2026-06-11T03:58:00Z', 'America/New_York')).toBe('2026-06-12T04:02:00.000Z');
    expect(first(['00:04'], '2026-06-11T03:58:00Z', 'America/New_York')).toBe('2026-06-11T04:04:00.000Z');
  });

  it('defers only the time within 5 minutes; another time later today still fires today', () => {
    expect(first(['12:10', '18:00'], '2026-06-10T12:08:00Z')).toBe('2026-06-10T18:00:00.000Z');
  });

  it('does not apply after the first scheduling: a run at 12:10 is followed by 12:12 the same day', () => {
    expect(after(['12:10', '12:12'], '2026-06-10T12:10:00Z', 'UTC')).toBe('2026-06-10T12:12:00.000Z');
  });

  it('counts from when the schedule was saved, even when it is computed later', () => {
    const sched = { times: ['12:10'] };
    const ctx = { createdAt: at('2026-06-10T12:08:00Z'), timeZone: 'UTC' };
    expect(iso(nextRunAt(sched, { ...ctx, now: at('2026-06-10T12:09:00Z') }))).toBe('2026-06-11T12:10:00.000Z');
    expect(iso(nextRunAt(sched, { ...ctx, now: at('2026-06-11T11:00:00Z') }))).toBe('2026-06-11T12:10:00.000Z');
  });

  it('applies the rule again when the schedule is saved anew after earlier runs', () => {
    const ctx = { now: at('2026-06-10T12:08:00Z'), createdAt: at('2026-06-10T12:08:00Z'), lastRunAt: at('2026-06-09T12:10:00Z'), timeZone: 'UTC' };
    expect(iso(nextRunAt({ times: ['12:10'] }, ctx))).toBe('2026-06-11T12:10:00.000Z');
  });

  it('without createdAt or a last run, treats now as the moment of saving', () => {
    expect(iso(nextRunAt({ times: ['12:10'] }, { now: at('2026-06-10T12:08:00Z'), timeZone: 'UTC' }))).toBe('2026-06-11T12:10:00.000Z');
  });
});

describe('fixed times: several a day, several zones', () => {
  it('walks through several times in order, whatever order they were listed in', () => {
    const times = ['18:00', '09:00', '12:30'];
    expect(first(times, '2026-06-10T12:08:00Z')).toBe('2026-06-10T12:30:00.000Z');
    expect(after(times, '2026-06-10T12:30:00Z', 'UTC')).toBe('2026-06-10T18:00:00.000Z');
    expect(after(times, '2026-06-10T18:00:00Z', 'UTC')).toBe('2026-06-11T09:00:00.000Z');
    expect(after(times, '2026-06-11T09:00:00Z', 'UTC')).toBe('2026-06-11T12:30:00.000Z');
  });

  it.each([
    ['UTC', '2026-01-15T09:00:00.000Z', '2026-07-15T09:00:00.000Z'],
    ['Europe/Budapest', '2026-01-15T08:00:00.000Z', '2026-07-15T07:00:00.000Z'],
    ['America/New_York', '2026-01-15T14:00:00.000Z', '2026-07-15T13:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-15T03:30:00.000Z', '2026-07-15T03:30:00.000Z'],
  ])('reads 09:00 in %s, winter and summer', (timeZone, winter, summer) => {
    expect(after(['09:00'], '2026-01-14T15:00:00Z', timeZone)).toBe(winter);
    expect(after(['09:00'], '2026-07-14T15:00:00Z', timeZone)).toBe(summer);
  });

  it('uses the local date, not the UTC date', () => {
    // 02:00 UTC on 1 June is 22:00 on 31 May in New York: 23:00 local is still that evening.
    expect(first(['23:00'], '2026-06-01T02:00:00Z', 'America/New_York')).toBe('2026-06-01T03:00:00.000Z');
    // 20:00 UTC on 1 June is already 01:30 on 2 June in Kolkata.
    expect(first(['07:00'], '2026-06-01T20:00:00Z', 'Asia/Kolkata')).toBe('2026-06-02T01:30:00.000Z');
  });

  it('collapses missed runs into one run now', () => {
    const ctx = { now: at('2026-06-13T15:00:00Z'), lastRunAt: at('2026-06-10T12:10:00Z'), timeZone: 'UTC' };
    expect(iso(nextRunAt({ times: ['12:10', '14:00'] }, ctx))).toBe('2026-06-13T15:00:00.000Z');
  });
});

describe('fixed times across the 2026 daylight-saving changes', () => {
  it('Budapest spring forward (29 March): 02:30 does not exist and fires when the clock jumps to 03:00', () => {
    expect(after(['02:30'], '2026-03-28T01:30:00Z', 'Europe/Budapest')).toBe('2026-03-29T01:00:00.000Z');
    expect(after(['02:30'], '2026-03-29T01:00:00Z', 'Europe/Budapest')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('Budapest spring forward: 02:30 and 03:00 land on the same instant and run once', () => {
    expect(after(['02:30', '03:00', '09:00'], '2026-03-28T08:00:00Z', 'Europe/Budapest')).toBe('2026-03-29T01:00:00.000Z');
    expect(after(['02:30', '03:00', '09:00'], '2026-03-29T01:00:00Z', 'Europe/Budapest')).toBe('2026-03-29T07:00:00.000Z');
  });

  it('Budapest: a time untouched by the change keeps its wall-clock time as the offset moves', () => {
    expect(after(['09:00'], '2026-03-28T08:00:00Z', 'Europe/Budapest')).toBe('2026-03-29T07:00:00.000Z');
    expect(after(['09:00'], '2026-10-24T07:00:00Z', 'Europe/Budapest')).toBe('2026-10-25T08:00:00.000Z');
  });

  it('Budapest fall back (25 October): 02:30 happens twice and fires once, the first time', () => {
    expect(after(['02:30'], '2026-10-24T00:30:00Z', 'Europe/Budapest')).toBe('2026-10-25T00:30:00.000Z');
    expect(after(['02:30'], '2026-10-25T00:30:00Z', 'Europe/Budapest')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('New York spring forward (8 March): 02:30 fires at 03:00 EDT', () => {
    expect(after(['02:30'], '2026-03-07T07:30:00Z', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(after(['02:30'], '2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
  });

  it('New York fall back (1 November): 01:30 fires once, in EDT', () => {
    expect(after(['01:30'], '2026-10-31T05:30:00Z', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(after(['01:30'], '2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-02T06:30:00.000Z');
  });

  it('the 5-minute rule on the spring-forward day counts real minutes: saved 01:58, 03:02 is 4 minutes ahead', () => {
    // 01:58 CET is 00:58 UTC; 03:02 CEST is 01:02 UTC.
    expect(first(['03:02'], '2026-03-29T00:58:00Z', 'Europe/Budapest')).toBe('2026-03-30T01:02:00.000Z');
    expect(first(['03:04'], '2026-03-29T00:58:00Z', 'Europe/Budapest')).toBe('2026-03-29T01:04:00.000Z');
  });
});

describe('interval schedule', () => {
  const ctx = (now: string, lastRunAt?: string) => ({ now: at(now), timeZone: 'Europe/Budapest', ...(lastRunAt && { lastRunAt: at(lastRunAt) }) });

  it('runs now when it has never run', () => {
    expect(iso(nextRunAt({ every: 5 }, ctx('2026-06-10T12:08:00Z')))).toBe('2026-06-10T12:08:00.000Z');
  });

  it('runs the interval after the last run', () => {
    expect(iso(nextRunAt({ every: 5 }, ctx('2026-06-10T12:08:00Z', '2026-06-10T12:05:00Z')))).toBe('2026-06-10T12:10:00.000Z');
    expect(iso(nextRunAt({ every: 1 }, ctx('2026-06-10T12:05:10Z', '2026-06-10T12:05:00Z')))).toBe('2026-06-10T12:06:00.000Z');
  });

  it('runs now, once, when overdue', () => {
    expect(iso(nextRunAt({ every: 5 }, ctx('2026-06-10T15:00:00Z', '2026-06-10T12:05:00Z')))).toBe('2026-06-10T15:00:00.000Z');
    expect(iso(nextRunAt({ every: 5 }, ctx('2026-06-10T12:10:00Z', '2026-06-10T12:05:00Z')))).toBe('2026-06-10T12:10:00.000Z');
  });

  it('is plain elapsed time across a daylight-saving change', () => {
    expect(iso(nextRunAt({ every: 60 }, ctx('2026-03-29T00:30:00Z', '2026-03-29T00:30:00Z')))).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('other schedules and inputs', () => {
  it('has no clock time for "after another integration"', () => {
    expect(nextRunAt({ after: '1c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5' }, { now: at('2026-06-10T12:00:00Z'), timeZone: 'UTC' })).toBeNull();
  });

  it('reads no clock of its own: a `now` in 2001 gives a 2001 answer', () => {
    expect(first(['12:10'], '2001-02-03T12:08:00Z')).toBe('2001-02-04T12:10:00.000Z');
  });

  it('parses HH:MM and refuses anything else', () => {
    expect(parseClockTime('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseClockTime('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['24:00', '9:00', '12:60', '12:00:00', '']) expect(() => parseClockTime(bad)).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  const utc = (p: { year: number; month: number; day: number; hour: number; minute: number }, timeZone: string) => zonedTimeToUtc(p, timeZone).toISOString();
  const on = (year: number, month: number, day: number, hour: number, minute: number) => ({ year, month, day, hour, minute });

  it('converts ordinary times', () => {
    expect(utc(on(2026, 6, 10, 12, 0), 'UTC')).toBe('2026-06-10T12:00:00.000Z');
    expect(utc(on(2026, 6, 10, 12, 0), 'Asia/Kolkata')).toBe('2026-06-10T06:30:00.000Z');
    expect(utc(on(2026, 1, 10, 0, 0), 'America/New_York')).toBe('2026-01-10T05:00:00.000Z');
    expect(zonedTimeToUtc({ ...on(2026, 6, 10, 12, 0), second: 30 }, 'Europe/Budapest').toISOString()).toBe('2026-06-10T10:00:30.000Z');
  });

  it.each([
    ['Europe/Budapest', on(2026, 3, 29, 1, 59), '2026-03-29T00:59:00.000Z'],
    ['Europe/Budapest', on(2026, 3, 29, 2, 0), '2026-03-29T01:00:00.000Z'],
    ['Europe/Budapest', on(2026, 3, 29, 2, 30), '2026-03-29T01:00:00.000Z'],
    ['Europe/Budapest', on(2026, 3, 29, 2, 59), '2026-03-29T01:00:00.000Z'],
    ['Europe/Budapest', on(2026, 3, 29, 3, 0), '2026-03-29T01:00:00.000Z'],
    ['America/New_York', on(2026, 3, 8, 2, 30), '2026-03-08T07:00:00.000Z'],
    // Lord Howe Island moves its clock by 30 minutes: 02:00 → 02:30.
    ['Australia/Lord_Howe', on(2026, 10, 4, 2, 15), '2026-10-03T15:30:00.000Z'],
    // Samoa skipped 30 December 2011 altogether.
    ['Pacific/Apia', on(2011, 12, 30, 12, 0), '2011-12-30T10:00:00.000Z'],
  ])('a time skipped in %s (%j) gives the instant the clock jumps', (timeZone, parts, expected) => {
    expect(utc(parts, timeZone)).toBe(expected);
  });

  it.each([
    ['Europe/Budapest', on(2026, 10, 25, 2, 0), '2026-10-25T00:00:00.000Z'],
    ['Europe/Budapest', on(2026, 10, 25, 2, 30), '2026-10-25T00:30:00.000Z'],
    ['America/New_York', on(2026, 11, 1, 1, 0), '2026-11-01T05:00:00.000Z'],
    ['America/New_York', on(2026, 11, 1, 1, 30), '2026-11-01T05:30:00.000Z'],
  ])('a time repeated in %s (%j) gives its first occurrence', (timeZone, parts, expected) => {
    expect(utc(parts, timeZone)).toBe(expected);
  });

  it('reads the times just outside the repeated hour in the one offset they have', () => {
    expect(utc(on(2026, 10, 25, 1, 59), 'Europe/Budapest')).toBe('2026-10-24T23:59:00.000Z');
    expect(utc(on(2026, 10, 25, 3, 0), 'Europe/Budapest')).toBe('2026-10-25T02:00:00.000Z');
    expect(utc(on(2026, 11, 1, 2, 0), 'America/New_York')).toBe('2026-11-01T07:00:00.000Z');
  });
});
