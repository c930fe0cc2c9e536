import { z } from 'zod';
import { parseInput } from '../kit/define-action';
import type { ConnectorContext } from '../kit/types';
import { a1Range, rangeStart } from './a1';
import type { GoogleSheetsCredentials } from './auth';
import { getValues } from './client';
import { columnNames, isBlank, toSheetRow, type SheetRow } from './rows';

export const readRowsInput = z.object({
  spreadsheetId: z.string().min(1).describe('The id in the sheet URL: docs.google.com/spreadsheets/d/<id>/edit'),
  sheet: z.string().min(1).describe('Sheet (tab) name, exactly as shown, spaces and quotes included'),
  cells: z
    .string()
    .regex(/^\$?[A-Za-z]*\$?\d*(:\$?[A-Za-z]*\$?\d*)?$/, 'cells in A1 notation, e.g. A1:F or A:F')
    .optional()
    .describe('Cells to read in A1 notation without the sheet name (A1:F500, A:F); the first row of it is the header. Whole sheet when absent'),
  valueRenderOption: z.enum(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']).default('FORMATTED_VALUE').describe('FORMATTED_VALUE gives text as displayed; UNFORMATTED_VALUE numbers and booleans; FORMULA the formulas'),
  skipBlankRows: z.boolean().default(true).describe('Leave out rows with no value in any cell'),
});
export type ReadRowsInput = z.input<typeof readRowsInput>;

export interface ReadRowsOutput {
  /** The range Google actually read, e.g. 'My Sheet'!A1:F120. */
  range: string;
  columns: string[];
  rows: SheetRow[];
}

/** Reads a range and turns its first row into column names and the rest into records. */
export async function readRows(ctx: ConnectorContext<GoogleSheetsCredentials>, raw: ReadRowsInput): Promise<ReadRowsOutput> {
  const input = parseInput('google-sheets', readRowsInput, raw, 'input for Read rows');
  const vr = await getValues(ctx, input.spreadsheetId, a1Range(input.sheet, input.cells), { valueRenderOption: input.valueRenderOption });
  const start = rangeStart(vr.range);
  const [header = [], ...data] = vr.values;
  const width = Math.max(header.length, ...data.map((r) => r.length));
  const columns = columnNames(header, width, start.column);
  const rows = data
    .map((cells, i) => ({ cells, rowNumber: start.row + 1 + i }))
    .filter(({ cells }) => !(input.skipBlankRows && isBlank(cells)))
    .map(({ cells, rowNumber }) => toSheetRow(columns, cells, rowNumber));
  return { range: vr.range, columns, rows };
}
