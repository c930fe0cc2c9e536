import { z } from 'zod';
import { defineLookup } from '../kit/define-action';
import type { ConnectorContext } from '../kit/types';
import { columnLetter } from './a1';
import { getSheets } from './client';
import type { GoogleSheetsCredentials } from './auth';
import { readRows } from './read-rows';

type Ctx = ConnectorContext<GoogleSheetsCredentials>;

const spreadsheetId = z.string().min(1).describe('The id in the sheet URL: docs.google.com/spreadsheets/d/<id>/edit');

export const googleSheetsLookups = {
  sheets: defineLookup('google-sheets', {
    name: 'Sheets (tabs)',
    description: 'The sheets (tabs) of a spreadsheet, in order; value is the name a range uses.',
    input: z.object({ spreadsheetId }),
    run: async (ctx: Ctx, input) =>
      (await getSheets(ctx, input.spreadsheetId)).map((p) => ({ value: p.title, label: p.title, sheetId: p.sheetId, rows: p.gridProperties?.rowCount, columns: p.gridProperties?.columnCount })),
  }),
  columns: defineLookup('google-sheets', {
    name: 'Columns',
    description: "The sheet's columns as its header row names them (a blank header cell is named by its column letter); `column` is the letter.",
    input: z.object({
      spreadsheetId,
      sheet: z.string().min(1).describe('Sheet (tab) name, exactly as shown'),
      headerRow: z.coerce.number('a row number').int().min(1).default(1).describe('The row that names the columns (default 1)'),
    }),
    run: async (ctx: Ctx, input) => {
      const read = await readRows(ctx, { spreadsheetId: input.spreadsheetId, sheet: input.sheet, cells: `${input.headerRow}:${input.headerRow}`, skipBlankRows: false });
      return read.columns.map((name, i) => ({ value: name, label: name, column: columnLetter(i + 1) }));
    },
  }),
};
