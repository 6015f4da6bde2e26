import type { Cell, SheetData } from 'write-excel-file/node';

/** One worksheet of a report: its rows, which rows are headings (bold), which columns hold yuan. */
export interface SheetSpec {
  name: string;
  rows: (string | number | null)[][];
  /** 1-based row numbers printed in bold. */
  boldRows?: number[];
  /** 1-based column numbers whose numbers show two decimal places (元). */
  moneyColumns?: number[];
}

/**
 * An XLSX workbook of plain rows, as the monthly report and the 以案定补 statement need. The writer
 * (write-excel-file, with fflate for the zip) loads on first use and weighs a few MB, where a full
 * spreadsheet library brought some 50 MB to the production install.
 */
export async function xlsxBuffer(sheets: SheetSpec[]): Promise<Buffer> {
  const { default: writeExcelFile } = await import('write-excel-file/node');
  const data = sheets.map((sheet) => {
    const bold = new Set(sheet.boldRows ?? []);
    const money = new Set(sheet.moneyColumns ?? []);
    const rows: SheetData = sheet.rows.map((row, r) =>
      row.map((value, c): Cell => {
        if (value === null || value === '') return null;
        const cell: Exclude<Cell, null | string | number | boolean | Date> = { value };
        if (bold.has(r + 1)) cell.fontWeight = 'bold';
        if (typeof value === 'number' && money.has(c + 1)) cell.format = '0.00';
        return cell;
      }),
    );
    return { data: rows, sheet: sheet.name };
  });
  return Buffer.from(await writeExcelFile(data).toBuffer());
}
