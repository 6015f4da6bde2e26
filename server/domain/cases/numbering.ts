import { sql } from 'drizzle-orm';
import { caseNumberCounters } from '../../../schema';
import type { Tx } from '../../db';

/** Short county name for numbers: 宾川县 -> 宾川, 漾濞彝族自治县 -> 漾濞. */
export function countyShortName(name: string): string {
  if (name.includes('族')) return name.slice(0, 2);
  return name.replace(/(自治县|自治旗|县|市|区|旗)$/, '') || name;
}

/**
 * The next case number of a county and year. The counter row is incremented inside the filing
 * transaction: concurrent filings queue on its row lock, and a rolled-back filing rolls back its
 * increment, so numbers are unique and gap-free.
 */
export async function nextCaseNumber(tx: Tx, countyCode: string, countyName: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(caseNumberCounters)
    .values({ countyCode, year, last: 1 })
    .onConflictDoUpdate({
      target: [caseNumberCounters.countyCode, caseNumberCounters.year],
      set: { last: sql`${caseNumberCounters.last} + 1` },
    })
    .returning();
  return `（${year}）${countyShortName(countyName)}调字第${row!.last}号`;
}
