import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_SETTINGS, holdsEveryMigration, openDatabase, queryRows } from '../../server/db';

describe('the embedded database', () => {
  it('opens with its own settings beside PGlite’s, and keeps PGlite’s', async () => {
    expect(EMBEDDED_SETTINGS).toContain('shared_buffers=16MB');
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      const [row] = await queryRows<{ buffers: string; search_path: string; workers: string }>(
        handle.db,
        sql`select current_setting('shared_buffers') as buffers, current_setting('search_path') as search_path, current_setting('max_worker_processes') as workers`,
      );
      // 16 MB instead of the 128 MB in PGlite's postgresql.conf, which were allocated and cleared at every open.
      expect(row).toEqual({ buffers: '16MB', search_path: 'public', workers: '0' });
    } finally {
      await handle.close();
    }
  });

  it('skips the migrator only when the newest migration is recorded', async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      const pglite = handle.pglite!;
      // A new database has no record of migrations.
      expect(await holdsEveryMigration(pglite)).toBe(false);
      await handle.migrate();
      expect(await holdsEveryMigration(pglite)).toBe(true);
      const tables = async () => (await pglite.query('select count(*)::int as n from information_schema.tables where table_schema = $1', ['public'])).rows;
      const before = await tables();
      // A second run changes nothing.
      await handle.migrate();
      expect(await tables()).toEqual(before);
      // Without the newest record, the migrator would run again: the check says so.
      await pglite.query('delete from "drizzle"."__drizzle_migrations" where created_at = (select max(created_at) from "drizzle"."__drizzle_migrations")');
      expect(await holdsEveryMigration(pglite)).toBe(false);
    } finally {
      await handle.close();
    }
  }, 60_000);
});
