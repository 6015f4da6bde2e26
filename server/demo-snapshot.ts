import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openDatabase } from './db';
import { ensureTemplate, filesUnder, readTemplate, TEMPLATE_DIR, templateDigest } from './db-template';
import { ensureAdmin } from './domain/bootstrap/ensure-admin';
import { seedDemo, type DemoAccount } from './domain/bootstrap/seed-demo';
import { loadCalendar } from './domain/clock/calendar';
import { refreshCalendar } from './domain/clock/calendar-store';
import { localDate } from './domain/clock/dates';
import type { Clock, Deps } from './domain/context';
import { createLoggingSender } from './domain/notify/sender';
import { closePdfPool } from './pdf/pool';
import { createMemoryStorage, type FileStorage } from './storage/storage';

/**
 * The demo data on a new embedded database, prepared ahead (by the install step) as a dump of the
 * database plus the files it refers to (the settled cases' signed agreements). Seeding it takes
 * seconds (organisations, accounts, cases mediated, agreements rendered and sealed); restoring it
 * takes a fraction of that.
 *
 * The demo is relative to its day ("settled three days ago"), so a snapshot serves only the China
 * date it was made on, and only the code, settings and database engine that made it: its key is a
 * digest of the migrated template's key, the server's sources, the data key, the public address
 * printed into the agreements, the first admin (with its password) and the signing settings.
 * Anything else seeds at start, as before.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['server', 'schema', 'templates'];

export interface DemoSnapshot {
  dump: Blob;
  accounts: DemoAccount[];
  objects: Uint8Array[];
}

/** The key of the snapshot these settings would make today. */
export async function demoSnapshotKey(config: Config, clock: Clock): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`template ${await templateDigest()}\n`);
  for (const dir of SOURCE_DIRS) {
    // Fonts change only with a font update, which changes the sources too; they are 20 MB to read.
    for (const path of (await filesUnder(join(ROOT, dir))).filter((p) => !p.endsWith('.ttf'))) {
      hash.update(`${path.slice(ROOT.length)}\n`);
      hash.update(await readFile(path));
    }
  }
  hash.update(`data key ${createHash('sha256').update(config.dataKey).digest('hex')}\n`);
  hash.update(`public url ${config.publicUrl}\n`);
  // The first admin (with its password) and the seal are in the dump: other settings, other dump.
  const settings = JSON.stringify({ admin: config.admin ?? null, signing: config.signing ?? null, selfSigned: config.signingSelfSigned });
  hash.update(`settings ${createHash('sha256').update(settings).digest('hex')}\n`);
  return `${localDate(clock.now()).replaceAll('-', '')}-${hash.digest('hex').slice(0, 20)}`;
}

function snapshotDir(key: string, dir: string): string {
  return join(dir, `demo-${key}`);
}

/**
 * Builds today's snapshot unless it exists. Written into a temporary directory and renamed, so a
 * crash or a concurrent builder never leaves half a snapshot under the final name.
 */
export async function ensureDemoSnapshot(config: Config, log: Logger, clock: Clock, dir = TEMPLATE_DIR): Promise<{ path: string; built: boolean }> {
  const key = await demoSnapshotKey(config, clock);
  const path = snapshotDir(key, dir);
  if (existsSync(path)) return { path, built: false };
  const template = await ensureTemplate();
  const handle = await openDatabase({ dataDir: 'memory://', loadDataDir: await readTemplate(template.path) });
  const storage: FileStorage = createMemoryStorage(clock);
  try {
    await handle.migrate();
    const deps: Deps = { db: handle.db, clock, config, log, notifier: createLoggingSender(log), calendar: loadCalendar(), storage };
    await refreshCalendar(handle.db, deps.calendar);
    await ensureAdmin(deps, config.admin);
    const accounts = await seedDemo(deps);
    if (!accounts) throw new Error('the template already holds organisations: no demo to snapshot');
    const dump = await handle.pglite!.dumpDataDir('gzip');
    const tmp = `${path}.${process.pid}.tmp`;
    await mkdir(join(tmp, 'objects'), { recursive: true });
    await writeFile(join(tmp, 'data.tar.gz'), Buffer.from(await dump.arrayBuffer()));
    await writeFile(join(tmp, 'accounts.json'), JSON.stringify(accounts));
    for await (const object of storage.list()) await writeFile(join(tmp, 'objects', object.key), await storage.get(object.key));
    await rename(tmp, path);
  } finally {
    await handle.close();
    await closePdfPool();
  }
  // Other days' and other versions' snapshots are of no further use.
  for (const name of await readdir(dir)) {
    if (name.startsWith('demo-') && join(dir, name) !== path && !name.endsWith('.tmp')) await rm(join(dir, name), { recursive: true, force: true });
  }
  return { path, built: true };
}

/** Today's snapshot for these settings, or null when there is none (the demo is then seeded). */
export async function readDemoSnapshot(config: Config, clock: Clock, dir = TEMPLATE_DIR): Promise<DemoSnapshot | null> {
  const path = snapshotDir(await demoSnapshotKey(config, clock), dir);
  if (!existsSync(join(path, 'accounts.json'))) return null;
  const names = await readdir(join(path, 'objects'));
  return {
    dump: new Blob([await readFile(join(path, 'data.tar.gz'))]),
    accounts: JSON.parse(await readFile(join(path, 'accounts.json'), 'utf8')) as DemoAccount[],
    objects: await Promise.all(names.map(async (name) => new Uint8Array(await readFile(join(path, 'objects', name))))),
  };
}
