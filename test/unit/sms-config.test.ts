import { z } from 'zod';
import { smsSendConfig } from '../../kinds/sms-send/config';

const base = {
  spreadsheetId: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
  range: "'Ügyfelek'!A:F",
  phoneColumn: 'Telefon',
  sender: 'Webshop',
  template: '{{Név}}, a {{Rendelésszám}} rendelését {{date}}-án visszaigazoltuk.',
};

const issues = (config: Record<string, unknown>) => {
  const r = smsSendConfig.safeParse(config);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('sms-send config', () => {
  it('fills the defaults: UTC, auto-update on, every 5 minutes, no backfill', () => {
    expect(smsSendConfig.parse(base)).toEqual({ ...base, timeZone: 'UTC', autoUpdate: true, schedule: { every: 5 }, backfill: false });
  });

  it.each([{ every: 1 }, { every: 10_080 }, { times: ['00:00', '12:10', '23:59'] }, { after: '1c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5' }])('accepts the schedule %j', (schedule) => {
    expect(smsSendConfig.parse({ ...base, schedule }).schedule).toEqual(schedule);
  });

  it.each(['Europe/Budapest', 'America/New_York', 'Asia/Kolkata', 'UTC'])('accepts the time zone %s', (timeZone) => {
    expect(smsSendConfig.parse({ ...base, timeZone }).timeZone).toBe(timeZone);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing field', { spreadsheetId: undefined }, 'spreadsheetId', 'required: the spreadsheet id'],
    ['a spreadsheet URL instead of its id', { spreadsheetId: 'https://docs.google.com/spreadsheets/d/abc/edit' }, 'spreadsheetId', "the spreadsheet id: the part of the sheet's address between /d/ and /edit"],
    ['an empty range', { range: ' ' }, 'range', "a range in A1 notation, such as 'Customers'!A:F"],
    ['a blank phone column', { phoneColumn: '   ' }, 'phoneColumn', 'the name of the column holding the phone numbers'],
    ['a sender too long', { sender: 'Webshop Kft. Budapest' }, 'sender', 'up to 11 letters, digits or spaces, or a phone number of up to 15 digits'],
    ['an empty template', { template: '' }, 'template', 'the message text, with {{column}} and {{date}}-style variables'],
    ['an unclosed variable', { template: 'Szia {{Név' }, 'template', "'{{' is not closed by '}}' at position 5 (line 1, column 6)"],
    ['an empty variable', { template: 'Szia {{ }}!' }, 'template', 'empty variable name at position 5 (line 1, column 6)'],
    ['an unknown time zone', { timeZone: 'Europe/Bukarest' }, 'timeZone', 'an IANA time zone name, such as Europe/Budapest or UTC'],
    ['an offset for a time zone', { timeZone: '+01:00' }, 'timeZone', 'an IANA time zone name, such as Europe/Budapest or UTC'],
    ['a number for a time zone', { timeZone: 1 }, 'timeZone', 'an IANA time zone name, as text'],
    ['an interval of 0', { schedule: { every: 0 } }, 'schedule.every', 'at least 1 minute'],
    ['an interval over a week', { schedule: { every: 10_081 } }, 'schedule.every', 'at most 10080 minutes (a week); for a daily send use times'],
    ['a fractional interval', { schedule: { every: 2.5 } }, 'schedule', 'every: a whole number of minutes'],
    ['an interval as text', { schedule: { every: '5' } }, 'schedule', 'every: a whole number of minutes'],
    ['a time past 23:59', { schedule: { times: ['09:00', '24:00'] } }, 'schedule.times.1', 'a time of day as HH:MM, 00:00 to 23:59'],
    ['a time without its leading zero', { schedule: { times: ['9:00'] } }, 'schedule.times.0', 'a time of day as HH:MM, 00:00 to 23:59'],
    ['no times', { schedule: { times: [] } }, 'schedule.times', 'at least one time of day'],
    ['a repeated time', { schedule: { times: ['09:00', '09:00'] } }, 'schedule.times', 'each time of day once'],
    ['one time as a string', { schedule: { times: '09:00' } }, 'schedule', 'times: a list of times of day, such as ["09:00", "17:30"]'],
    ['a name instead of an integration id', { schedule: { after: 'order sync' } }, 'schedule.after', 'an integration id (UUID)'],
    ['two schedule shapes at once', { schedule: { every: 5, times: ['09:00'] } }, 'schedule', 'exactly one of {"every": minutes}, {"times": ["HH:MM", ...]} or {"after": integrationId}'],
    ['an unknown schedule shape', { schedule: { daily: '09:00' } }, 'schedule', 'exactly one of {"every": minutes}, {"times": ["HH:MM", ...]} or {"after": integrationId}'],
    ['auto-update as text', { autoUpdate: 'yes' }, 'autoUpdate', 'Invalid input: expected boolean, received string'],
  ])('refuses %s, naming the field', (_what, change, field, message) => {
    expect(issues({ ...base, ...change })).toEqual([[field, message]]);
  });

  it('refuses keys it does not know', () => {
    expect(issues({ ...base, phone: 'Telefon' })).toEqual([['', 'Unrecognized key: "phone"']]);
  });

  it('reports every template syntax error', () => {
    expect(issues({ ...base, template: '{{}} és {{Név' }).map(([field]) => field)).toEqual(['template', 'template']);
  });

  it('turns into JSON Schema for OpenAPI, with the three schedule shapes and the defaults', () => {
    const schema = z.toJSONSchema(smsSendConfig, { io: 'input', unrepresentable: 'any' });
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['spreadsheetId', 'range', 'phoneColumn', 'sender', 'template'],
      properties: {
        timeZone: { type: 'string', default: 'UTC' },
        autoUpdate: { type: 'boolean', default: true },
        backfill: { type: 'boolean', default: false },
        schedule: {
          default: { every: 5 },
          anyOf: [
            { required: ['every'], properties: { every: { type: 'integer', minimum: 1 } } },
            { required: ['times'], properties: { times: { type: 'array', minItems: 1 } } },
            { required: ['after'], properties: { after: { type: 'string', format: 'uuid' } } },
          ],
        },
      },
    });
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      expect([key, typeof prop === 'object' && typeof prop.description]).toEqual([key, 'string']);
    }
  });
});
