import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase, queryRows } from '../../server/db';
import { ensureTemplate, readTemplate, templateDigest, templatePath } from '../../server/db-template';

const TIMEOUT = 240_000;

// The template is an embedded-database matter; on PostgreSQL there is nothing to restore.
describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded database template', () => {
  it('holds every migration and the reference data, under the digest of what shaped it', async () => {
    const digest = await templateDigest();
    expect(digest).toMatch(/^[0-9a-f]{24}$/);
    expect(await templateDigest()).toBe(digest);
    const { path } = await ensureTemplate();
    expect(path).toBe(templatePath(digest));

    const handle = await openDatabase({ dataDir: 'memory://', loadDataDir: await readTemplate(path) });
    try {
      const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      const [applied] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied!.n).toBe(journal.entries.length);
      const [ref] = await queryRows<{ regions: number; days: number }>(
        handle.db,
        sql`select (select count(*)::int from regions) as regions, (select count(*)::int from holiday_arrangements) as days`,
      );
      expect(ref!.regions).toBeGreaterThan(19_000);
      expect(ref!.days).toBeGreaterThan(0);
      // Start-up migrates after restoring: nothing is left to apply.
      await handle.migrate();
      const [again] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(again!.n).toBe(journal.entries.length);
    } finally {
      await handle.close();
    }
  }, TIMEOUT);
});
