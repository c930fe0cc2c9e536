import { googleSheets } from '../connectors/google-sheets';
import { newRowsCursor, type NewRowsCursor } from '../connectors/google-sheets/new-rows';
import type { SheetRow } from '../connectors/google-sheets/rows';
import { sms8x8, type MessageResult } from '../connectors/8x8';
import { isConnectorError } from '../connectors/kit/errors';
import { cut } from '../connectors/kit/redact';
import type { PolledRecord } from '../connectors/kit/types';
import { renderRows, type RenderedMessage } from '../kinds/sms-send/render-rows';
import { and, eq, inArray } from 'drizzle-orm';
import { smsMessages, type AccountRow, type IntegrationRow, type SmsState } from '../db/schema';
import { unsentMessages } from '../kinds/ledger/sms-messages';
import type { SmsSendConfig } from '../kinds/sms-send/config';
import { parseSheetRange } from '../kinds/sms-send/sheet-range';
import { smsLength, type SmsLength } from '../kinds/sms-send/sms-segments';
import { validateTemplate } from '../kinds/sms-send/template';
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
  /** How many SMS the text takes (8x8 bills per part). */
  length: SmsLength;
}

/** A template problem the preview found, for the editor to show beside the text. */
export interface PreviewProblem {
  kind: 'syntax' | 'unknown-variable';
  message: string;
  line: number;
  column: number;
}

/** A preview reads at most this many new rows: it is for a look, not for a 10,000-row dry run. */
const PREVIEW_ROWS = 500;

const view = (m: { rowKey: string; phone: string; text: string; state: SmsState; reason: string | null }): PreviewMessage => ({
  row: m.rowKey,
  phone: m.phone,
  text: m.text,
  state: m.state,
  reason: m.reason,
  length: smsLength(m.text),
});

/**
 * What the next run would send: messages already waiting in the database (a paused backlog, or
 * ones in doubt; their text was fixed when they were read), then rows appended below the
 * workflow's cursor, rendered now with `config` (the saved one, or a draft of it). `waiting: false`
 * leaves the stored ones out, for a test of a draft. Sends nothing and moves nothing.
 */
export async function previewNextRun(deps: ApiDeps, row: IntegrationRow, config: SmsSendConfig, source: AccountRow, options: { waiting?: boolean } = {}): Promise<PreviewMessage[]> {
  const waiting = options.waiting === false ? [] : await unsentMessages(deps.database, row.id, PREVIEW_ROWS);
  const out: PreviewMessage[] = waiting.map((m) => view(m));

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
  for (const m of renderRows(row.id, config, page.value.records, new Date())) if (!known.has(m.rowKey)) out.push(view(m));
  return out;
}

/** What rendering rows already in the sheet needs: the sheet and the template, saved or not. */
export type SheetDraft = Pick<SmsSendConfig, 'spreadsheetId' | 'range' | 'phoneColumn' | 'template' | 'timeZone'>;

export interface ExistingRows {
  /** First sheet row to show (default: the row below the header). */
  from?: number;
  /** How many rows from there. */
  limit: number;
}

export interface RenderedRows {
  messages: PreviewMessage[];
  /** The sheet's columns, as its header row names them. */
  columns: string[];
  /** What is wrong with the template against those columns: empty when every row can render. */
  problems: PreviewProblem[];
}

/**
 * Rows already in the sheet rendered with `config`, which need not be saved: the one renderer the
 * runs use (renderRows), so the preview is the text a run would send. `rangeField` names the field
 * a sheet that cannot be read is blamed on. Sends nothing.
 */
export async function renderExistingRows(deps: ApiDeps, integrationId: string, config: SheetDraft, source: AccountRow, rows: ExistingRows, rangeField = 'config.range'): Promise<RenderedRows & { rendered: RenderedMessage[] }> {
  const range = parseSheetRange(config.range);
  const sheets = openForCheck(deps, googleSheets, source);
  const from = Math.max(rows.from ?? range.headerRow + 1, range.headerRow + 1);
  const page = await askProvider(rangeField, 'Google Sheets', () =>
    googleSheets.triggers['new-rows'].poll(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, headerRow: range.headerRow, startFromRow: from, pageSize: rows.limit }, undefined),
  );
  if (!page.ok) throw unprocessable([page.error]);
  const columns = await columnsOf(sheets, config, page.value.records, rangeField);
  const rendered = renderRows(integrationId, config, page.value.records, new Date());
  const problems = validateTemplate(config.template, columns).map((p) => ({ kind: p.kind, message: p.kind === 'unknown-variable' ? `${p.message}; the sheet's columns are ${columns.map((c) => `"${c}"`).join(', ') || 'none'}` : p.message, line: p.line, column: p.column }));
  return { messages: rendered.map((m) => view(m)), rendered, columns, problems };
}

type SheetsContext = Parameters<(typeof googleSheets.actions)['read-rows']['run']>[0];

/** The header's names: every record carries them all; a sheet with no rows yet is asked for its header alone. */
async function columnsOf(sheets: SheetsContext, config: SheetDraft, records: PolledRecord<SheetRow>[], rangeField: string): Promise<string[]> {
  if (records[0]) return Object.keys(records[0].data.values);
  const range = parseSheetRange(config.range);
  const header = await askProvider(rangeField, 'Google Sheets', () =>
    googleSheets.actions['read-rows'].run(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, cells: `${range.headerRow}:${range.headerRow}`, skipBlankRows: true }),
  );
  if (!header.ok) throw unprocessable([header.error]);
  return header.value.columns;
}

/**
 * Rows already in the sheet, rendered as the template stands now: to see how the SMS would look on
 * real data before any new row comes. A row the integration has a message for shows that message's
 * state (sent, delivered…) and the text that went out, unless `draft`: then every row shows what
 * the draft would make of it. Sends nothing.
 */
export async function previewExistingRows(deps: ApiDeps, row: IntegrationRow, config: SmsSendConfig, source: AccountRow, rows: ExistingRows, draft = false): Promise<RenderedRows> {
  const { rendered, messages, columns, problems } = await renderExistingRows(deps, row.id, config, source, rows);
  if (draft) return { messages, columns, problems };
  const keys = rendered.map((m) => m.rowKey);
  const known = keys.length
    ? new Map((await deps.database.db.select().from(smsMessages).where(and(eq(smsMessages.integrationId, row.id), inArray(smsMessages.rowKey, keys)))).map((m) => [m.rowKey, m]))
    : new Map<string, never>();
  return { messages: messages.map((m) => (known.has(m.row) ? view(known.get(m.row)!) : m)), columns, problems };
}

/** One real SMS, outside the run: the provider's answer comes back as it is. */
export async function sendTestSms(deps: ApiDeps, config: SmsSendConfig, target: AccountRow, phone: string, text: string): Promise<MessageResult> {
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
