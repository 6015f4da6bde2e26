import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_SETTINGS, openDatabase, queryRows } from '../../server/db';

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
});
