/** A1 range handling as the Sheets API does it, for the fake: parse, bound to the grid, format back. */

export type FakeCell = string | number | boolean;

export interface FakeSheet {
  title: string;
  /** Row 1 first; a missing or short row is blank cells. */
  rows: FakeCell[][];
  gridRows: number;
  gridColumns: number;
}

export interface GridRange {
  sheet: FakeSheet;
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

export function letters(index1: number): string {
  let n = index1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function columnNumber(text: string): number {
  let n = 0;
  for (const ch of text.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELLS = /^\$?([A-Za-z]{0,3})\$?(\d*)(?::\$?([A-Za-z]{0,3})\$?(\d*))?$/;
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Google quotes a name in the ranges it returns only when it has to. */
export function formatSheetName(title: string): string {
  const looksLikeCell = /^[A-Za-z]{1,3}\d+$/.test(title) || /^R\d*C\d*$/i.test(title);
  return SIMPLE_NAME.test(title) && !looksLikeCell ? title : `'${title.replaceAll("'", "''")}'`;
}

/** Splits "'It''s'!A1:B2" into the sheet name and the cells; undefined when it cannot be read. */
function split(text: string): { name?: string; cells?: string } | undefined {
  if (text.startsWith("'")) {
    let name = '';
    let i = 1;
    for (; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        break;
      }
      name += text[i];
    }
    if (i >= text.length) return undefined;
    const rest = text.slice(i + 1);
    if (rest === '') return { name };
    return rest.startsWith('!') ? { name, cells: rest.slice(1) } : undefined;
  }
  const bang = text.lastIndexOf('!');
  if (bang !== -1) {
    const name = text.slice(0, bang);
    // Unquoted names with spaces or punctuation are not read as sheet names.
    return SIMPLE_NAME.test(name) ? { name, cells: text.slice(bang + 1) } : undefined;
  }
  return CELLS.test(text) && text !== '' ? { cells: text } : { name: text };
}

export type RangeResult = { ok: true; range: GridRange } | { ok: false; message: string };

export function resolveRange(text: string, sheets: readonly FakeSheet[]): RangeResult {
  const unparsable: RangeResult = { ok: false, message: `Unable to parse range: ${text}` };
  const parts = split(text);
  if (!parts) return unparsable;
  const sheet = parts.name === undefined ? sheets[0] : sheets.find((s) => s.title === parts.name);
  if (!sheet) return unparsable;
  if (parts.cells === undefined || parts.cells === '') return { ok: true, range: { sheet, r1: 1, c1: 1, r2: sheet.gridRows, c2: sheet.gridColumns } };
  const m = CELLS.exec(parts.cells);
  if (!m) return unparsable;
  const [, col1 = '', row1 = '', col2, row2] = m;
  if (col1 === '' && row1 === '') return unparsable;
  const r1 = row1 ? Number(row1) : 1;
  const c1 = col1 ? columnNumber(col1) : 1;
  let r2: number;
  let c2: number;
  if (col2 === undefined) {
    // A lone "A" is a column, a lone "3" a row, "A3" one cell.
    r2 = row1 ? r1 : sheet.gridRows;
    c2 = col1 ? c1 : sheet.gridColumns;
  } else {
    r2 = row2 ? Number(row2) : sheet.gridRows;
    c2 = col2 ? columnNumber(col2) : sheet.gridColumns;
  }
  if (r1 < 1 || r2 < r1 || c2 < c1) return unparsable;
  if (r1 > sheet.gridRows || c1 > sheet.gridColumns) {
    return { ok: false, message: `Range (${formatSheetName(sheet.title)}!${parts.cells}) exceeds grid limits. Max rows: ${sheet.gridRows}, max columns: ${sheet.gridColumns}` };
  }
  return { ok: true, range: { sheet, r1, c1, r2: Math.min(r2, sheet.gridRows), c2: Math.min(c2, sheet.gridColumns) } };
}

export function formatRange(g: GridRange): string {
  const start = `${letters(g.c1)}${g.r1}`;
  const end = `${letters(g.c2)}${g.r2}`;
  return `${formatSheetName(g.sheet.title)}!${start === end ? start : `${start}:${end}`}`;
}

const blank = (v: FakeCell | undefined) => v === undefined || v === '';

/** The cells of a range, rows major, with trailing blank cells and rows left out as Google does. */
export function cellsOf(g: GridRange, render: (v: FakeCell) => FakeCell): FakeCell[][] {
  const out: FakeCell[][] = [];
  for (let r = g.r1; r <= g.r2; r++) {
    const source = g.sheet.rows[r - 1] ?? [];
    const row: FakeCell[] = [];
    for (let c = g.c1; c <= g.c2; c++) row.push(source[c - 1] ?? '');
    while (row.length > 0 && blank(row[row.length - 1])) row.pop();
    out.push(row.map(render));
  }
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}
