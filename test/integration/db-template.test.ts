import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { agreements, storedFiles } from '../../schema';
import { prepare } from '../../server/bootstrap';
import { loadConfig } from '../../server/config';
import { MIGRATIONS_FOLDER, openDatabase, queryRows } from '../../server/db';
import { ensureTemplate, readTemplate, templateDigest, templatePath } from '../../server/db-template';
import { ensureDemoSnapshot, readDemoSnapshot } from '../../server/demo-snapshot';

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

  it('restores today’s demo with its agreements on a first start, and seeds instead on another day or with other settings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jiefen-demo-'));
    const log = pino({ level: 'silent' });
    const day = new Date('2027-03-01T02:00:00Z'); // 10:00 in China
    const clock = { now: () => new Date(day) };
    const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: join(dir, 'pglite'), STORAGE_DIR: join(dir, 'files'), PORT: '4000' });
    try {
      const built = await ensureDemoSnapshot(config, log, clock, dir);
      expect(built.built).toBe(true);
      expect((await ensureDemoSnapshot(config, log, clock, dir)).built).toBe(false);
      const snapshot = await readDemoSnapshot(config, clock, dir);
      expect(snapshot!.accounts.map((a) => a.phone)).toEqual(expect.arrayContaining(['13800000000', '13800001001', '13800003001']));
      // Two settled cases, each with its draft and its sealed agreement.
      expect(snapshot!.objects.length).toBeGreaterThanOrEqual(2);

      // Another China date, another data key or another public address: no snapshot, the start seeds.
      const nextDay = { now: () => new Date(day.getTime() + 86_400_000) };
      expect(await readDemoSnapshot(config, nextDay, dir)).toBeNull();
      expect(await readDemoSnapshot({ ...config, dataKey: Buffer.alloc(32, 7) }, clock, dir)).toBeNull();
      expect(await readDemoSnapshot({ ...config, publicUrl: 'http://localhost:4100' }, clock, dir)).toBeNull();
      expect(await readDemoSnapshot({ ...config, admin: { phone: '13800009999', password: 'Another-pass-2026', name: '管理员' } }, clock, dir)).toBeNull();

      const started = await prepare(config, log, clock, dir);
      try {
        expect(started.timings).toHaveProperty('demoSnapshot');
        expect(started.timings).not.toHaveProperty('seedSettledCases');
        expect(started.demoAccounts).toEqual(snapshot!.accounts);
        const sealed = await started.deps.db.select().from(agreements).where(eq(agreements.status, 'EFFECTIVE'));
        expect(sealed).toHaveLength(2);
        for (const a of sealed) {
          const [file] = await started.deps.db.select().from(storedFiles).where(eq(storedFiles.id, a.finalFileId!));
          const bytes = await started.deps.storage.get(file!.storageKey);
          expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
        }
      } finally {
        await started.handle.close();
      }
      // A data directory that already holds a database is opened as it is: no snapshot, no seed.
      const again = await prepare(config, log, clock, dir);
      try {
        expect(again.timings).not.toHaveProperty('demoSnapshot');
        expect(again.demoAccounts).toBeNull();
      } finally {
        await again.handle.close();
      }
      expect((await readdir(dir)).filter((n) => n.startsWith('demo-'))).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, TIMEOUT);
});
