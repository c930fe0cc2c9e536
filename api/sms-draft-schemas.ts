import { z } from 'zod';
import { smsSchedule, smsSendConfig } from '../kinds/sms-send/config';

const { shape } = smsSendConfig;

/**
 * The parts of an sms-send config a preview renders with, as the config validates them, with a
 * length cap: a draft is sent as the user types, and a 100 kB "spreadsheet id" would only become a
 * 100 kB request to Google.
 */
const sheetFields = {
  spreadsheetId: shape.spreadsheetId.max(200, 'at most 200 characters: the id between /d/ and /edit'),
  range: shape.range.max(300, 'at most 300 characters'),
  phoneColumn: shape.phoneColumn.max(300, 'at most 300 characters'),
  template: shape.template.max(5000, 'at most 5,000 characters'),
  timeZone: shape.timeZone,
};

/** POST /integrations/:id/preview's optional body: what is being edited, in place of the saved values. */
export const previewDraftBody = z
  .object({
    spreadsheetId: sheetFields.spreadsheetId.optional(),
    range: sheetFields.range.optional(),
    phoneColumn: sheetFields.phoneColumn.optional(),
    template: sheetFields.template.optional(),
    timeZone: shape.timeZone.unwrap().optional(),
  })
  .strict();

/** POST /sms-send/preview: rows already in a sheet, rendered with a template not saved anywhere yet. */
export const sheetPreviewBody = z
  .object({
    accountId: z.uuid('an account id (UUID)').describe('The Google Sheets account (the integration-to-be source)'),
    ...sheetFields,
    from: z.number('a row number').int('a row number').min(1).optional().describe('First sheet row to show (default: the row below the header)'),
    limit: z.number('a number of rows').int('a number of rows').min(1).max(50).default(5).describe('How many rows (default 5, at most 50)'),
  })
  .strict();

/** POST /sms-send/schedule-preview. */
export const schedulePreviewBody = z
  .object({
    schedule: smsSchedule,
    timeZone: shape.timeZone,
    backfill: shape.backfill.describe('With backfill, an interval schedule runs at once when saved'),
  })
  .strict();

export const schedulePreviewView = z.object({
  timeZone: z.string(),
  runs: z.array(z.object({ at: z.string().describe('ISO 8601, UTC'), local: z.string().describe('The clock in timeZone, YYYY-MM-DD HH:MM'), weekday: z.string() })).describe('The next five runs if saved now; empty for an after schedule'),
  after: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }).nullable().describe('For an after schedule: the integration whose completed runs start this one'),
});

/** POST /integrations/:id/test's body: the number, and the template being edited if it is not saved yet. */
export const smsTestBody = z
  .object({
    phone: z.string('a phone number in international format, such as +36701234567').trim().min(3, 'a phone number in international format').max(30),
    template: sheetFields.template.optional().describe('A template being edited: the test renders it instead of the saved one'),
  })
  .strict();
