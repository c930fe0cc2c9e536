import { smsLength } from '../../kinds/sms-send/sms-segments';
import { upcomingRuns } from '../../kinds/sms-send/upcoming-runs';

describe('the next runs of a schedule, as the schedule editor shows them', () => {
  const savedAt = new Date('2026-03-27T08:08:00Z'); // 09:08 in Budapest (CET), a Friday

  it('times of day: one within 5 minutes of the save waits for the next day; the clock crosses the spring change', () => {
    const runs = upcomingRuns({ times: ['09:10', '17:30'] }, 'Europe/Budapest', savedAt, 5);
    expect(runs.map((r) => `${r.weekday} ${r.local}`)).toEqual(['Fri 2026-03-27 17:30', 'Sat 2026-03-28 09:10', 'Sat 2026-03-28 17:30', 'Sun 2026-03-29 09:10', 'Sun 2026-03-29 17:30']);
    // Summer time from Sunday 29 March: 09:10 is 07:10 UTC there, 08:10 UTC the day before.
    expect(runs.map((r) => r.at.toISOString())).toEqual(['2026-03-27T16:30:00.000Z', '2026-03-28T08:10:00.000Z', '2026-03-28T16:30:00.000Z', '2026-03-29T07:10:00.000Z', '2026-03-29T15:30:00.000Z']);
  });

  it('every N minutes: the first run one interval after the save, at once with backfill', () => {
    expect(upcomingRuns({ every: 90 }, 'UTC', savedAt, 3).map((r) => r.local)).toEqual(['2026-03-27 09:38', '2026-03-27 11:08', '2026-03-27 12:38']);
    expect(upcomingRuns({ every: 90 }, 'UTC', savedAt, 2, true).map((r) => r.local)).toEqual(['2026-03-27 08:08', '2026-03-27 09:38']);
  });

  it('after another integration: no times of its own', () => {
    expect(upcomingRuns({ after: '1c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5' }, 'UTC', savedAt, 5)).toEqual([]);
  });
});

describe('how many SMS a text takes', () => {
  it('GSM-7: 160 in one, 153 a part after; extension characters count two', () => {
    expect(smsLength('x'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsLength('x'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
    expect(smsLength('€5')).toEqual({ encoding: 'GSM-7', characters: 3, segments: 1 });
  });
  it('any other letter sends the whole text as UCS-2: 70 in one, 67 a part after', () => {
    expect(smsLength('Kovács Ős')).toEqual({ encoding: 'UCS-2', characters: 9, segments: 1 });
    expect(smsLength('ő'.repeat(71))).toEqual({ encoding: 'UCS-2', characters: 71, segments: 2 });
  });
});
