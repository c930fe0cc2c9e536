import { z } from 'zod';
import { parseInput } from '../kit/define-action';
import { ConnectorError } from '../kit/errors';
import type { ConnectorContext, PolledRecord, PollResult } from '../kit/types';
import { a1Range, rangeStart } from './a1';
import type { GoogleSheetsCredentials } from './auth';
import { batchGetValues, getValues, type CellValue } from './client';
import { columnNames, fingerprint, isBlank, toSheetRow, type SheetRow } from './rows';

export const newRowsInput = z.object({
  spreadsheetId: z.string().min(1).describe('The id in the sheet URL: docs.google.com/spreadsheets/d/<id>/edit'),
  sheet: z.string().min(1).describe('Sheet (tab) name, exactly as shown, spaces and quotes included'),
  headerRow: z.number().int().positive().default(1).describe('Row holding the column names; data starts below it'),
  startFromRow: z.number().int().positive().optional().describe('First row to report on the first poll; rows above it count as already handled. Default: the row below the header'),
  idColumn: z.string().optional().describe('Column whose value identifies a row (e.g. an order number); the row number is used when absent or empty'),
  pageSize: z.number().int().min(1).max(5000).default(500).describe('Rows read per poll; a longer backlog comes with hasMore'),
  lookbackRows: z.number().int().min(0).max(5000).default(200).describe('How far up to look for the last reported row when rows above it were deleted'),
  requiredColumns: z.array(z.string()).default([]).describe('Columns that must be filled before the last row of the sheet is reported: a row still being typed waits for the next poll'),
});
export type NewRowsInput = z.input<typeof newRowsInput>;

/**
 * The last reported row and a digest of its content. A sheet has no creation times or stable row
 * ids, only positions, so the cursor is a position that proves itself: if the row there no longer
 * has the digest, rows above it were deleted (it moved up) or inserted (it moved down), or it was
 * edited, and the poll re-anchors instead of trusting the number.
 */
export const newRowsCursor = z.object({
  row: z.number().int().nonnegative(),
  fingerprint: z.string().optional(),
});
export type NewRowsCursor = z.infer<typeof newRowsCursor>;

interface Numbered {
  rowNumber: number;
  cells: CellValue[];
}

function numbered(values: CellValue[][], range: string): Numbered[] {
  const start = rangeStart(range).row;
  return values.map((cells, i) => ({ cells, rowNumber: start + i }));
}

/** The last row of the sheet may still be being typed: it waits until its required cells are filled. */
function isReady(row: SheetRow, required: readonly string[]): boolean {
  return required.every((name) => String(row.values[name] ?? '').trim() !== '');
}

/** The anchor's new position: nearest to where it was, searching below (insertions) and above (deletions). */
function relocate(rows: Numbered[], anchorRow: number, digest: string): number | undefined {
  let best: number | undefined;
  for (const r of rows) {
    if (r.rowNumber === anchorRow || isBlank(r.cells) || fingerprint(r.cells) !== digest) continue;
    if (best === undefined || Math.abs(r.rowNumber - anchorRow) < Math.abs(best - anchorRow)) best = r.rowNumber;
  }
  return best;
}

/**
 * Rows appended below the last reported one. Each poll reads the anchor row and `pageSize` rows
 * after it, plus the header, in one batchGet (one quota unit). Records come in row order; the cursor
 * moves to the last row reported, so a burst larger than a page is read over several polls
 * (hasMore) and blank rows in between are passed over without being lost. When the anchor's digest
 * no longer matches, one more read looks `lookbackRows` up for it; if the row is found elsewhere the
 * poll continues after it, and if it is gone (edited, or deleted and replaced by a new row), the row
 * now at that position is reported again as a new version (its dedupeKey carries the content
 * digest): a possible repeat is safer than losing a row. Not covered: rows inserted above the last
 * reported one, which a position cursor cannot tell from rows that were always there.
 */
export async function pollNewRows(
  ctx: ConnectorContext<GoogleSheetsCredentials>,
  raw: NewRowsInput,
  cursor: NewRowsCursor | undefined,
): Promise<PollResult<SheetRow, NewRowsCursor>> {
  const input = parseInput('google-sheets', newRowsInput, raw, 'input for New row');
  try {
    return await pollOnce(ctx, input, cursor, undefined);
  } catch (e) {
    // Deleting rows shrinks the grid, and a range starting below the grid is a 400, not an empty
    // answer: read again within the grid size Google told us.
    const gridRows = e instanceof ConnectorError && e.kind === 'validation' ? GRID_LIMIT.exec(e.message)?.[1] : undefined;
    if (gridRows === undefined) throw e;
    return pollOnce(ctx, input, cursor, Number(gridRows));
  }
}

const GRID_LIMIT = /exceeds grid limits\. Max rows: (\d+)/i;

async function pollOnce(
  ctx: ConnectorContext<GoogleSheetsCredentials>,
  input: z.infer<typeof newRowsInput>,
  cursor: NewRowsCursor | undefined,
  gridRows: number | undefined,
): Promise<PollResult<SheetRow, NewRowsCursor>> {
  const within = (row: number) => (gridRows === undefined ? row : Math.min(row, gridRows));
  const anchor = cursor?.row ?? Math.max(input.headerRow, (input.startFromRow ?? input.headerRow + 1) - 1);
  const pageEnd = anchor + input.pageSize;
  const ranges = [a1Range(input.sheet, `${input.headerRow}:${input.headerRow}`)];
  if (anchor <= within(pageEnd)) ranges.push(a1Range(input.sheet, `${anchor}:${within(pageEnd)}`));
  const [headerVr, pageVr] = await batchGetValues(ctx, input.spreadsheetId, ranges);
  const header = headerVr?.values[0] ?? [];
  const page = pageVr ? numbered(pageVr.values, pageVr.range) : [];
  const anchorCells = page.find((r) => r.rowNumber === anchor)?.cells;

  let candidates = page.filter((r) => r.rowNumber > anchor);
  let fallback: NewRowsCursor = { row: anchor, fingerprint: cursor?.fingerprint };
  if (cursor?.fingerprint !== undefined && anchor > input.headerRow && fingerprint(anchorCells) !== cursor.fingerprint) {
    const from = Math.max(input.headerRow + 1, anchor - input.lookbackRows);
    const to = within(anchor - 1);
    const aboveVr = from <= to ? await getValues(ctx, input.spreadsheetId, a1Range(input.sheet, `${from}:${to}`)) : undefined;
    const above = aboveVr ? numbered(aboveVr.values, aboveVr.range) : [];
    const moved = relocate([...above, ...page], anchor, cursor.fingerprint);
    if (moved !== undefined) {
      candidates = [...above, ...page].filter((r) => r.rowNumber > moved);
      fallback = { row: moved, fingerprint: cursor.fingerprint };
    } else {
      candidates = page.filter((r) => r.rowNumber >= anchor);
      // Nothing at the anchor any more: continue after the last non-blank row above it, which was
      // reported before. Never back to the header: re-sending a whole sheet is worse than the loss.
      const lastAbove = [...above].reverse().find((r) => !isBlank(r.cells));
      fallback = lastAbove ? { row: lastAbove.rowNumber, fingerprint: fingerprint(lastAbove.cells) } : { row: from - 1 };
    }
  }

  const columns = columnNames(header, Math.max(0, ...candidates.map((r) => r.cells.length)));
  // Google leaves out trailing blank rows, so a row at the page end means the sheet may go on.
  const hasMore = page.some((r) => r.rowNumber === pageEnd);
  const filled = candidates.filter((r) => !isBlank(r.cells));
  const last = filled[filled.length - 1];
  if (!hasMore && last && !isReady(toSheetRow(columns, last.cells, last.rowNumber), input.requiredColumns)) filled.pop();

  const records: PolledRecord<SheetRow>[] = [];
  let nextCursor = fallback;
  for (const r of filled) {
    const row = toSheetRow(columns, r.cells, r.rowNumber);
    const digest = fingerprint(r.cells);
    const idValue = input.idColumn === undefined ? '' : String(row.values[input.idColumn] ?? '').trim();
    records.push({ id: idValue || String(r.rowNumber), dedupeKey: `${r.rowNumber}:${digest}`, data: row });
    nextCursor = { row: r.rowNumber, fingerprint: digest };
  }
  return { records, nextCursor, hasMore };
}
