/**
 * The config's A1 range split into the sheet (tab) name and its cells, as the Google Sheets
 * connector takes them. "'Customers'!A:F" → sheet Customers, cells A:F; "Customers" → the whole
 * sheet. The row the cells start at holds the column names (1 when the range gives no row).
 */
export interface SheetRange {
  sheet: string;
  cells?: string;
  headerRow: number;
}

export function parseSheetRange(range: string): SheetRange {
  const text = range.trim();
  let sheet: string;
  let cells: string | undefined;
  if (text.startsWith("'")) {
    // A quoted name ends at a single quote not doubled; '' inside stands for one quote.
    let i = 1;
    let name = '';
    while (i < text.length) {
      if (text[i] === "'" && text[i + 1] === "'") {
        name += "'";
        i += 2;
      } else if (text[i] === "'") break;
      else name += text[i++];
    }
    sheet = name;
    const rest = text.slice(i + 1);
    cells = rest.startsWith('!') ? rest.slice(1) || undefined : undefined;
  } else {
    const bang = text.lastIndexOf('!');
    sheet = bang >= 0 ? text.slice(0, bang) : text;
    cells = bang >= 0 ? text.slice(bang + 1) || undefined : undefined;
  }
  const row = cells ? /^\$?[A-Za-z]*\$?(\d+)/.exec(cells)?.[1] : undefined;
  return { sheet, ...(cells !== undefined && { cells }), headerRow: row ? Number(row) : 1 };
}
