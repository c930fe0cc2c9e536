/**
 * A spreadsheet as users have it: the address from the browser bar, or the id alone. Google's
 * address is docs.google.com/spreadsheets/d/<id>/edit#gid=0; the id is what the API takes.
 */
export function spreadsheetIdOf(text: string): string {
  const trimmed = text.trim();
  return /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(trimmed)?.[1] ?? trimmed;
}

/** A sheet name as A1 notation quotes it: 'Orders ''24' for Orders '24. */
export const quoteSheet = (sheet: string): string => `'${sheet.replace(/'/g, "''")}'`;

/**
 * The sheet (tab) and the cells of a config's range, as kinds/sms-send/sheet-range.ts reads it:
 * "'Customers'!A:F" → Customers and A:F; "Customers" → Customers, the whole sheet.
 */
export function splitRange(range: string): { sheet: string; cells: string | null; headerRow: number } {
  const text = range.trim();
  let sheet: string;
  let cells: string | null = null;
  if (text.startsWith("'")) {
    let i = 1;
    sheet = '';
    while (i < text.length) {
      if (text[i] === "'" && text[i + 1] === "'") {
        sheet += "'";
        i += 2;
      } else if (text[i] === "'") break;
      else sheet += text[i++];
    }
    const rest = text.slice(i + 1);
    if (rest.startsWith('!') && rest.length > 1) cells = rest.slice(1);
  } else {
    const bang = text.lastIndexOf('!');
    sheet = bang >= 0 ? text.slice(0, bang) : text;
    if (bang >= 0 && bang < text.length - 1) cells = text.slice(bang + 1);
  }
  const row = cells ? /^\$?[A-Za-z]*\$?(\d+)/.exec(cells)?.[1] : undefined;
  return { sheet, cells, headerRow: row ? Number(row) : 1 };
}

/** The range for a sheet picked from the list, keeping the cells the config had. */
export const rangeOf = (sheet: string, cells: string | null): string => (sheet ? `${quoteSheet(sheet)}${cells ? `!${cells}` : ''}` : '');
