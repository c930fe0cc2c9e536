/**
 * A1 notation helpers. A sheet name is always quoted: Google accepts 'Sheet1'!A1 as well as
 * Sheet1!A1, and quoting is the only safe form for names with spaces, punctuation, or names that
 * look like a cell ("A1", "R1C1"). Inside quotes a single quote is doubled: 'It''s mine'!A1.
 */
export function quoteSheetName(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

/** `cells` is the part after "!" (A1:D10, A:C, 2:500); without it the whole sheet. */
export function a1Range(sheet: string, cells?: string): string {
  return cells ? `${quoteSheetName(sheet)}!${cells}` : quoteSheetName(sheet);
}

/** Path segment for values/{range}: encodeURIComponent leaves ' and ! alone, which Google takes as they are. */
export function encodeRange(range: string): string {
  return encodeURIComponent(range);
}

/** 1 → A, 27 → AA. */
export function columnLetter(index1: number): string {
  let n = index1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * First row and column of a range Google returned ("'My Sheet'!B3:F20", "Sheet1!A1:Z1000",
 * "Sheet1!3:5"). The values array is aligned to that corner: leading empty rows and cells are kept,
 * only trailing ones are omitted.
 */
export function rangeStart(range: string): { row: number; column: number } {
  const bang = range.lastIndexOf('!');
  const cells = bang === -1 ? '' : range.slice(bang + 1);
  const m = /^\$?([A-Za-z]*)\$?(\d*)/.exec(cells.split(':')[0] ?? '');
  const letters = m?.[1] ?? '';
  const digits = m?.[2] ?? '';
  return { row: digits ? Number(digits) : 1, column: letters ? columnIndex(letters) : 1 };
}
