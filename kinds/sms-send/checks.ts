import { eq } from 'drizzle-orm';
import { integrations } from '../../db/schema';
import { googleSheets } from '../../connectors/google-sheets';
import { smsSendConfig } from './config';
import { parseSheetRange } from './sheet-range';
import { validateTemplate, variableKey } from './template';
import type { FieldError } from '../check-kit';
import type { KindCheck, KindCheckContext } from '../checks';
import { askProvider, openForCheck } from '../check-kit';

const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ') || 'none';

/** The sheet can be read, its header row has the phone column and every column the template names. */
export const checkSmsSend: KindCheck = async (raw, { deps, source }) => {
  const config = smsSendConfig.parse(raw);
  const range = parseSheetRange(config.range);
  const sheets = openForCheck(deps, googleSheets, source);
  // Only the header row: a sheet of thousands of rows is not read to check a template.
  const header = await askProvider('config.range', 'Google Sheets', () =>
    googleSheets.actions['read-rows'].run(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, cells: `${range.headerRow}:${range.headerRow}`, skipBlankRows: true }),
  );
  if (!header.ok) return [header.error];
  const columns = header.value.columns;
  const errors: FieldError[] = [];
  const known = new Set(columns.map(variableKey));
  if (!known.has(variableKey(config.phoneColumn))) {
    errors.push({ field: 'config.phoneColumn', message: `the sheet has no column "${config.phoneColumn}" in row ${range.headerRow}; its columns are ${list(columns)}` });
  }
  for (const p of validateTemplate(config.template, columns)) {
    errors.push({ field: 'config.template', message: p.kind === 'unknown-variable' ? `${p.message}; the sheet's columns are ${list(columns)}` : p.message });
  }
  if ('after' in config.schedule) errors.push(...(await checkUpstream(deps, config.schedule.after)));
  return errors;
};

/** Every kind signals the integrations set to run after it when one of its runs completes. */
async function checkUpstream(deps: KindCheckContext['deps'], upstreamId: string): Promise<FieldError[]> {
  const [row] = await deps.database.db.select({ id: integrations.id }).from(integrations).where(eq(integrations.id, upstreamId));
  return row ? [] : [{ field: 'config.schedule.after', message: `no integration with id ${upstreamId}` }];
}
