import { googleSheets } from '../../connectors/google-sheets';
import { newRowsCursor, type NewRowsCursor } from '../../connectors/google-sheets/new-rows';
import { askProvider, openForCheck, ProviderUnreachableError } from '../check-kit';
import type { KindCheckContext } from '../checks';
import type { SavedBoundary } from '../define-kind';
import { smsSendConfig } from './config';
import { parseSheetRange } from './sheet-range';

/**
 * Where the sheet ends at the moment the user saves: the rows above are "already there" and never
 * texted (unless backfill), every row below is new. Read by the API before the integration is
 * inserted, and stored with it, so a row appended the instant after the 201 is texted like any
 * other instead of being swept into the first pass.
 */
export async function smsSendBoundary(raw: Record<string, unknown>, { deps, source }: KindCheckContext, saved?: SavedBoundary): Promise<NewRowsCursor | null> {
  // The rows already there are those of the moment the integration was saved, whatever changes later.
  if (saved) return newRowsCursor.safeParse(saved.boundary).data ?? null;
  const config = smsSendConfig.parse(raw);
  if (config.backfill) return null;
  const range = parseSheetRange(config.range);
  const sheets = openForCheck(deps, googleSheets, source);
  let cursor: NewRowsCursor | undefined;
  for (;;) {
    const page = await askProvider('config.range', 'Google Sheets', () =>
      googleSheets.triggers['new-rows'].poll(sheets, { spreadsheetId: config.spreadsheetId, sheet: range.sheet, headerRow: range.headerRow, pageSize: 5_000 }, cursor),
    );
    // The check read this sheet a moment ago: a refusal now is an outage, not the user's mistake.
    if (!page.ok) throw new ProviderUnreachableError(`could not read where the sheet ends: ${page.error.message}`);
    cursor = page.value.nextCursor;
    if (!page.value.hasMore) return cursor;
  }
}
