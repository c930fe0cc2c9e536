import { googleSheets } from '../connectors/google-sheets';
import { newRowsCursor, type NewRowsCursor } from '../connectors/google-sheets/new-rows';
import { sms8x8, type MessageResult } from '../connectors/8x8';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';
import { renderRows } from '../kinds/sms-send/render-rows';
import { and, eq, inArray } from 'drizzle-orm';
import { smsMessages, type AccountRow, type IntegrationRow, type SmsState } from '../db/schema';
import { unsentMessages } from '../kinds/ledger/sms-messages';
import { smsSendConfig } from '../kinds/sms-send/config';
import { parseSheetRange } from '../kinds/sms-send/sheet-range';
import type { ApiDeps } from './deps';
import { askProvider, openForCheck } from '../kinds/check-kit';
import { HttpProblem, unprocessable } from './problem';
import { queryStatus } from './workflow-control';

export interface PreviewMessage {
  row: string;
  phone: string;
  text: string;
  state: SmsState;
  reason: string | null;
}

/** A preview reads at most this many new rows: it is for a look, not for a 10,000-row dry run. */
const PREVIEW_ROWS = 500;

/**
 * What the next run would send: messages already waiting in the database (a paused backlog, or
 * ones in doubt), then rows appended below the workflow's cursor, rendered now. Sends nothing and
 * moves nothing.
 */
export async function previewNextRun(deps: ApiDeps, row: IntegrationRow, source: AccountRow): Promise<PreviewMessage[]> {
  const config = smsSendConfig.parse(row.config);
  const waiting = await unsentMessages(deps.database, row.id, PREVIEW_ROWS);
  const out: PreviewMessage[] = waiting.map((m) => ({ row: m.rowKey, phone: m.phone, text: m.text, state: m.state, reason: m.reason }));

  const status = await queryStatus(deps.temporal, row.id);
  if (status.state === 'unknown') throw new HttpProblem(503, 'Service Unavailable', `the integration's workflow did not answer (${status.reason}); try again`);
  const parsed = newRowsCursor.safeParse(status.cursor);
  const cursor: NewRowsCursor | undefined = parsed.success ? parsed.data : undefined;
  const range = parseSheetRange(config.range);
  const sheets = openForCheck(deps, googleSheets, source);
  const page = await askProvider('config.range', 'Google Sheets', () =>
    googleSheets.triggers['new-rows'].poll(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, headerRow: range.headerRow, pageSize: PREVIEW_ROWS }, cursor),
  );
  if (!page.ok) throw unprocessable([page.error]);
  const known = new Set(out.map((m) => m.row));
  for (const m of renderRows(row.id, config, page.value.records, new Date())) {
    if (!known.has(m.rowKey)) out.push({ row: m.rowKey, phone: m.phone, text: m.text, state: m.state, reason: m.reason });
  }
  return out;
}

export interface ExistingRows {
  /** First sheet row to show (default: the row below the header). */
  from?: number;
  /** How many rows from there. */
  limit: number;
}

/**
 * Rows already in the sheet, rendered as the template stands now: to see how the SMS would look on
 * real data before any new row comes. A row the integration has a message for shows that message's
 * state (sent, delivered…) and the text that went out; the others are rendered now. Sends nothing.
 */
export async function previewExistingRows(deps: ApiDeps, row: IntegrationRow, source: AccountRow, rows: ExistingRows): Promise<PreviewMessage[]> {
  const config = smsSendConfig.parse(row.config);
  const range = parseSheetRange(config.range);
  const sheets = openForCheck(deps, googleSheets, source);
  const from = Math.max(rows.from ?? range.headerRow + 1, range.headerRow + 1);
  const page = await askProvider('config.range', 'Google Sheets', () =>
    googleSheets.triggers['new-rows'].poll(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, headerRow: range.headerRow, startFromRow: from, pageSize: rows.limit }, undefined),
  );
  if (!page.ok) throw unprocessable([page.error]);
  const rendered = renderRows(row.id, config, page.value.records, new Date());
  const keys = rendered.map((m) => m.rowKey);
  const known = keys.length
    ? new Map((await deps.database.db.select().from(smsMessages).where(and(eq(smsMessages.integrationId, row.id), inArray(smsMessages.rowKey, keys)))).map((m) => [m.rowKey, m]))
    : new Map<string, never>();
  return rendered.map((m) => {
    const had = known.get(m.rowKey);
    return had ? { row: m.rowKey, phone: had.phone, text: had.text, state: had.state, reason: had.reason } : { row: m.rowKey, phone: m.phone, text: m.text, state: m.state, reason: m.reason };
  });
}

/** One real SMS, outside the run: the provider's answer comes back as it is. */
export async function sendTestSms(deps: ApiDeps, row: IntegrationRow, target: AccountRow, phone: string, text: string): Promise<MessageResult> {
  const config = smsSendConfig.parse(row.config);
  const sms = openForCheck(deps, sms8x8, target);
  try {
    return await sms8x8.actions['send-sms'].run(sms, { destination: phone, text, source: config.sender });
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    // Bad credentials are the target account's to fix; a refusal of the message is the number's.
    const words = cut(sms.http.scrub(e.message));
    if (e.kind === 'auth') throw unprocessable([{ field: 'target.accountId', message: words }]);
    if (e.kind === 'validation') throw unprocessable([{ field: 'phone', message: words }]);
    throw new HttpProblem(502, 'Bad Gateway', `8x8 did not take the test SMS: ${words}`);
  }
}
