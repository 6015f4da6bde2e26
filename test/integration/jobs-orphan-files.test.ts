import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStoredFile } from '../../server/domain/files/record-stored-file';
import { createScheduler } from '../../server/jobs/scheduler';
import { createOrphanFilesJob, sweepOrphanFiles } from '../../server/jobs/sweep-orphan-files';
import { createLocalStorage, type FileStorage } from '../../server/storage/storage';
import { createTestContext, type TestContext } from '../support/harness';

// Issue 10, point 9: bytes stored by a request that then failed or lost a race (draft and signed
// PDFs with full ID numbers inside) are removed once older than the retention (a day by default).
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const DAY = 24 * 3600_000;
const exists = (storage: FileStorage, key: string) => storage.get(key).then(() => true, () => false);

async function referenced(bytes: Uint8Array, storage: FileStorage) {
  const stored = await storage.put(bytes);
  await recordStoredFile(ctx.deps.db, stored, { contentType: 'application/pdf', fileName: 'agreement-v1.pdf', caseId: null, createdAt: ctx.clock.now(), createdBy: null });
  return stored.key;
}

describe('the orphan file sweep', () => {
  it('removes an orphan older than a day, keeps a referenced file and a fresh orphan, through the leased job', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const storage = ctx.deps.storage;
    const orphan = (await storage.put(randomBytes(2048))).key;
    const kept = await referenced(randomBytes(2048), storage);
    ctx.clock.advance(DAY + 3600_000);
    const fresh = (await storage.put(randomBytes(2048))).key;

    const scheduler = createScheduler(ctx.deps, { holder: 'orphan-test', intervalMs: 60_000, jobs: [{ name: `orphan-files-${orphan.slice(0, 8)}`, run: createOrphanFilesJob() }] });
    await scheduler.runOnce();
    await scheduler.stop();
    expect(await exists(storage, orphan)).toBe(false);
    expect(await exists(storage, kept)).toBe(true);
    expect(await exists(storage, fresh)).toBe(true);

    // A day later the fresh orphan has aged too; the referenced file never goes.
    ctx.clock.advance(DAY + 1000);
    const swept = await sweepOrphanFiles(ctx.deps);
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(await exists(storage, fresh)).toBe(false);
    expect(await exists(storage, kept)).toBe(true);
  });

  it('follows the retention setting, and bytes put again are young again', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const storage = ctx.deps.storage;
    const bytes = randomBytes(1024);
    const orphan = (await storage.put(bytes)).key;
    ctx.clock.advance(DAY + 3600_000);
    const twoDays = { ...ctx.deps, config: { ...ctx.deps.config, orphanFileRetentionMs: 2 * DAY } };
    await sweepOrphanFiles(twoDays);
    expect(await exists(storage, orphan)).toBe(true);
    // A request stores the same bytes again (about to record them): their age starts over.
    await storage.put(bytes);
    ctx.clock.advance(DAY);
    await sweepOrphanFiles(ctx.deps);
    expect(await exists(storage, orphan)).toBe(true);
  });

  it('on local disk: by file age, including a temporary file of a write cut short', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jiefen-orphans-'));
    try {
      ctx.clock.set(new Date());
      const storage = createLocalStorage(root);
      const deps = { ...ctx.deps, storage };
      const orphan = (await storage.put(randomBytes(4096))).key;
      const kept = await referenced(randomBytes(4096), storage);
      const fresh = (await storage.put(randomBytes(4096))).key;
      const partial = `${fresh}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(join(root, fresh.slice(0, 2), partial), randomBytes(100));
      const old = new Date(ctx.clock.now().getTime() - DAY - 3600_000);
      for (const name of [orphan, kept, partial]) await utimes(join(root, name.slice(0, 2), name), old, old);

      const swept = await sweepOrphanFiles(deps);
      expect(swept).toEqual({ scanned: 4, removed: 2, young: 1 });
      expect(await exists(storage, orphan)).toBe(false);
      expect(await exists(storage, kept)).toBe(true);
      expect(await exists(storage, fresh)).toBe(true);
      expect(await readdir(join(root, fresh.slice(0, 2)))).not.toContain(partial);
    } finally {
      await rm(root, { recursive: true, force: true });
      ctx.clock.set('2026-11-23T02:00:00Z');
    }
  });
});
