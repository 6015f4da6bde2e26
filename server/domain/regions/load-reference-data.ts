import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { holidayArrangements, referenceData, regions } from '../../../schema';
import { arrangementsOf } from '../clock/calendar';
import type { Database } from '../../db';
import type { Clock } from '../context';
import { readRegionData } from './region-data';

const REGIONS_FILE = new URL('../../../schema/data/regions.tsv.gz', import.meta.url);
const HOLIDAYS_FILE = new URL('../../../schema/data/holidays-cn.json', import.meta.url);
const BATCH = 2000;

/**
 * Read synchronously: the files are small (156 KB at most) and this runs at every start, where an
 * asynchronous read came back only after 240-450 ms of other start-up work on the main thread
 * (a larger libuv thread pool did not change it). Synchronously it takes a millisecond.
 */
function digestOf(file: URL): string {
  return createHash('sha256')
    .update(readFileSync(file))
    .digest('hex');
}

/**
 * Loads regions and the shipped holiday notices on every start (new years only add rows; a year
 * published through the API is kept). Each set is upserted in one transaction and
 * skipped when its file digest matches what was loaded last, so restarts stay fast and idempotent.
 */
export async function loadReferenceData(db: Database, clock: Clock): Promise<{ regions: number; calendarDays: number; newHolidayYears: number[]; skipped: string[] }> {
  const loaded = new Map((await db.select().from(referenceData)).map((r) => [r.name, r.digest]));
  const skipped: string[] = [];
  let regionCount = 0;
  let dayCount = 0;
  const newYears: number[] = [];

  const regionDigest = digestOf(REGIONS_FILE);
  if (loaded.get('regions') === regionDigest) {
    skipped.push('regions');
  } else {
    const rows = await readRegionData();
    regionCount = rows.length;
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx
          .insert(regions)
          .values(rows.slice(i, i + BATCH))
          .onConflictDoUpdate({
            target: regions.code,
            set: { name: sql`excluded.name`, parentCode: sql`excluded.parent_code`, level: sql`excluded.level` },
          });
      }
      await upsertDigest(tx, 'regions', regionDigest, rows.length, clock.now());
    });
  }

  const holidayDigest = digestOf(HOLIDAYS_FILE);
  // An unchanged file is skipped only while its notices are in the table (a database migrated from
  // an older layout has the digest but not yet the rows).
  const [{ n: arrangementCount } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(holidayArrangements);
  if (loaded.get('holidays') === holidayDigest && arrangementCount > 0) {
    skipped.push('holidays');
  } else {
    const seed = arrangementsOf(JSON.parse(await readFile(HOLIDAYS_FILE, 'utf8')));
    await db.transaction(async (tx) => {
      const existing = new Map((await tx.select({ year: holidayArrangements.year, origin: holidayArrangements.origin }).from(holidayArrangements)).map((r) => [r.year, r.origin]));
      for (const a of seed) {
        // A notice published through the API is newer than the shipped file: never overwrite it.
        if (existing.get(a.year) === 'API') continue;
        if (!existing.has(a.year)) newYears.push(a.year);
        const row = { year: a.year, holidays: a.holidays, workdays: a.workdays, source: a.source, origin: 'SEED', publishedAt: clock.now(), publishedBy: null };
        await tx
          .insert(holidayArrangements)
          .values(row)
          .onConflictDoUpdate({ target: holidayArrangements.year, set: { holidays: row.holidays, workdays: row.workdays, source: row.source } });
        dayCount += a.holidays.length + a.workdays.length;
      }
      await upsertDigest(tx, 'holidays', holidayDigest, dayCount, clock.now());
    });
  }
  return { regions: regionCount, calendarDays: dayCount, newHolidayYears: newYears, skipped };
}

async function upsertDigest(tx: Parameters<Parameters<Database['transaction']>[0]>[0], name: string, digest: string, rows: number, at: Date) {
  await tx
    .insert(referenceData)
    .values({ name, digest, rows, loadedAt: at })
    .onConflictDoUpdate({ target: referenceData.name, set: { digest, rows, loadedAt: at } });
}
