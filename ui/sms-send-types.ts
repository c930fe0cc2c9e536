/** The sms-send answers the console reads (api/sms-preview.ts, api/routes/sms-send*.ts), written out: ui/ imports no server code. */

export type SmsSchedule = { every: number } | { times: string[] } | { after: string };

export interface SmsPreviewMessage {
  /** The sheet row. */
  row: string;
  phone: string;
  text: string;
  state: string;
  reason: string | null;
  length: { encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number };
}

/** POST /integrations/:id/preview?rows=existing and POST /sms-send/preview. */
export interface SmsPreview {
  count: number;
  messages: SmsPreviewMessage[];
  columns?: string[];
  problems?: { kind: 'syntax' | 'unknown-variable'; message: string; line: number; column: number }[];
}

/** POST /sms-send/schedule-preview. */
export interface SchedulePreview {
  timeZone: string;
  runs: { at: string; local: string; weekday: string }[];
  after: { id: string; name: string; kind: string } | null;
}

/** POST /integrations/:id/test: the row it was built from, the text, and 8x8's answer as it came. */
export interface SmsTestAnswer {
  row: string;
  text: string;
  provider: { umid?: string; accepted?: boolean; destination?: string; status?: { code: string; description?: string } };
}

/** The sms-send config as the form edits it (kinds/sms-send/config.ts). */
export interface SmsSendConfig {
  spreadsheetId: string;
  range: string;
  phoneColumn: string;
  sender: string;
  template: string;
  timeZone: string;
  autoUpdate: boolean;
  schedule: SmsSchedule;
  backfill: boolean;
}
