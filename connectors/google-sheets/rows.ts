import { createHash } from 'node:crypto';
import { columnLetter } from './a1';
import type { CellValue } from './client';

export interface SheetRow {
  /** 1-based row number in the sheet, as a user sees it. */
  rowNumber: number;
  /** Header name → cell; cells Google left out (trailing empties) are "". */
  values: Record<string, CellValue>;
}

/**
 * Column names from the header row. A blank header cell is named after its column letter and a
 * repeated name gets a suffix, so every cell of a row has exactly one key and none overwrite another.
 */
export function columnNames(header: readonly CellValue[], width: number, firstColumn = 1): string[] {
  const names: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < Math.max(header.length, width); i++) {
    const raw = String(header[i] ?? '').trim();
    let name = raw || columnLetter(firstColumn + i);
    for (let n = 2; used.has(name); n++) name = `${raw || columnLetter(firstColumn + i)}_${n}`;
    used.add(name);
    names.push(name);
  }
  return names;
}

export function isBlank(row: readonly CellValue[] | undefined): boolean {
  return !row || row.every((cell) => String(cell).trim() === '');
}

export function toSheetRow(columns: readonly string[], cells: readonly CellValue[], rowNumber: number): SheetRow {
  const values: Record<string, CellValue> = {};
  columns.forEach((name, i) => {
    values[name] = cells[i] ?? '';
  });
  return { rowNumber, values };
}

/** A short digest of a row's content, blind to trailing empty cells (Google omits those anyway). */
export function fingerprint(cells: readonly CellValue[] | undefined): string {
  const trimmed = [...(cells ?? [])];
  while (trimmed.length > 0 && String(trimmed[trimmed.length - 1]).trim() === '') trimmed.pop();
  return createHash('sha256').update(JSON.stringify(trimmed)).digest('base64url').slice(0, 16);
}
