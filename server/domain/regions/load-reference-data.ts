import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { calendarDays, referenceData, regions } from '../../../schema';
import type { Database } from '../../db';
import type { Clock } from '../context';
import { readRegionData } from './region-data';

const REGIONS_FILE = new URL('../../../schema/data/regions.tsv.gz', import.meta.url);
const HOLIDAYS_FILE = new URL('../../../schema/data/holidays-cn.json', import.meta.url);
const BATCH = 2000;

async function digestOf(file: URL): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/**
 * Loads regions and the holiday calendar on every start. Each set is upserted in one transaction and
 * skipped when its file digest matches what was loaded last, so restarts stay fast and idempotent.
 */
export async function loadReferenceData(db: Database, clock: Clock): Promise<{ regions: number; calendarDays: number; skipped: string[] }> {
  const loaded = new Map((await db.select().from(referenceData)).map((r) => [r.name, r.digest]));
  const skipped: string[] = [];
  let regionCount = 0;
  let dayCount = 0;

  const regionDigest = await digestOf(REGIONS_FILE);
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

  const holidayDigest = await digestOf(HOLIDAYS_FILE);
  if (loaded.get('holidays') === holidayDigest) {
    skipped.push('holidays');
  } else {
    const data = JSON.parse(await readFile(HOLIDAYS_FILE, 'utf8')) as {
      years: Record<string, { holidays: string[]; workdays: string[] }>;
    };
    const rows = Object.values(data.years).flatMap((y) => [
      ...y.holidays.map((day) => ({ day, kind: 'HOLIDAY' })),
      ...y.workdays.map((day) => ({ day, kind: 'WORKDAY' })),
    ]);
    dayCount = rows.length;
    await db.transaction(async (tx) => {
      await tx.delete(calendarDays);
      if (rows.length) await tx.insert(calendarDays).values(rows);
      await upsertDigest(tx, 'holidays', holidayDigest, rows.length, clock.now());
    });
  }
  return { regions: regionCount, calendarDays: dayCount, skipped };
}

async function upsertDigest(tx: Parameters<Parameters<Database['transaction']>[0]>[0], name: string, digest: string, rows: number, at: Date) {
  await tx
    .insert(referenceData)
    .values({ name, digest, rows, loadedAt: at })
    .onConflictDoUpdate({ target: referenceData.name, set: { digest, rows, loadedAt: at } });
}
