import { z } from 'zod';
import { validateTemplate } from './template';
import { isValidTimeZone } from './zoned-time';

export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

/** A text field whose missing and wrong-type messages both say what belongs there. */
const text = (what: string) => z.string({ error: (iss) => (iss.input === undefined ? `required: ${what}` : `${what}, as text`) });

const SCHEDULE_SHAPES = ['every', 'times', 'after'] as const;
const SCHEDULE_HELP = 'exactly one of {"every": minutes}, {"times": ["HH:MM", ...]} or {"after": integrationId}';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 00:00 to 23:59');

export const smsSchedule = z.union(
  [
    z
      .object({
        every: z
          .number('a whole number of minutes')
          .int('a whole number of minutes')
          .min(1, 'at least 1 minute')
          .max(MAX_INTERVAL_MINUTES, `at most ${MAX_INTERVAL_MINUTES} minutes (a week); for a daily send use times`)
          .describe('Run every this many minutes'),
      })
      .strict(),
    z
      .object({
        times: z
          .array(clockTime, 'a list of times of day, such as ["09:00", "17:30"]')
          .min(1, 'at least one time of day')
          .refine((times) => new Set(times).size === times.length, 'each time of day once')
          .describe("Times of day (HH:MM, the integration's time zone) to run at, daily; one 5 minutes or less after saving starts the next day"),
      })
      .strict(),
    z
      .object({
        after: z.uuid('an integration id (UUID)').describe('Run after every completed run of this integration'),
      })
      .strict(),
  ],
  {
    // A union that fails on a type error in its one plausible branch ({"every": "5"}) only says
    // "invalid input"; when the object has exactly one known key, repeat that branch's reason.
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const keys = iss.input && typeof iss.input === 'object' ? Object.keys(iss.input) : [];
      const branch = keys.length === 1 ? SCHEDULE_SHAPES.findIndex((k) => k === keys[0]) : -1;
      const reason = branch >= 0 ? iss.errors[branch]?.[0] : undefined;
      return reason ? `${reason.path.map(String).join('.')}: ${reason.message}` : SCHEDULE_HELP;
    },
  },
);

export type SmsSchedule = z.infer<typeof smsSchedule>;

export const smsSendConfig = z
  .object({
    spreadsheetId: text('the spreadsheet id')
      .regex(/^[A-Za-z0-9_-]+$/, "the spreadsheet id: the part of the sheet's address between /d/ and /edit")
      .describe("Google Sheets spreadsheet id, from the sheet's address: docs.google.com/spreadsheets/d/<id>/edit"),
    range: text('a range in A1 notation').trim().min(1, "a range in A1 notation, such as 'Customers'!A:F").describe("Cells to read, in A1 notation ('Customers'!A:F); the first row holds the column names"),
    phoneColumn: text('a column name').trim().min(1, 'the name of the column holding the phone numbers').describe('Column holding each recipient’s phone number, by its header'),
    sender: text('a sender id')
      .regex(/^(?:[A-Za-z0-9 ]{1,11}|\+?\d{1,15})$/, 'up to 11 letters, digits or spaces, or a phone number of up to 15 digits')
      .describe('Sender id shown on the phone: up to 11 letters/digits/spaces, or a number; 8x8 may replace it where a country requires'),
    template: text('the message text')
      .min(1, 'the message text, with {{column}} and {{date}}-style variables')
      .superRefine((text, ctx) => {
        for (const p of validateTemplate(text)) ctx.addIssue({ code: 'custom', message: p.message, input: text });
      })
      .describe('Message text; {{Column name}} inserts a cell of the row, {{time}} {{date}} {{year}} {{month}} {{day}} the moment of sending'),
    timeZone: text('an IANA time zone name')
      .refine(isValidTimeZone, 'an IANA time zone name, such as Europe/Budapest or UTC')
      .default('UTC')
      .describe('IANA time zone for the schedule times and the date/time variables'),
    autoUpdate: z.boolean().default(true).describe('Run on the schedule; when off, only "run now" sends'),
    schedule: smsSchedule.default({ every: 5 }).describe('When to run: every N minutes, at fixed times of day, or after another integration'),
    backfill: z.boolean().default(false).describe('Also send to rows already in the sheet when the integration is created'),
  })
  .strict();

export type SmsSendConfig = z.infer<typeof smsSendConfig>;
