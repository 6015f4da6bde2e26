import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from './domain/context';
import { loadReferenceData } from './domain/regions/load-reference-data';
import { MIGRATIONS_FOLDER, openDatabase } from './db';

/**
 * A new embedded database starts from a dumped data directory that already holds every migration
 * and the reference data, instead of creating a cluster and running each step (seconds on a small
 * machine). The dump is keyed by a digest of everything that shapes it, so a change to a migration,
 * to the reference data or to the database engine selects a new dump; start-up still applies
 * migrations and checks reference data afterwards, so a dump can only save time, never stand in
 * for a newer schema.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE_FILES = ['schema/data/regions.tsv.gz', 'schema/data/holidays-cn.json'];
/** Build cache: wiped with node_modules, rebuilt by the install step or on first use. */
export const TEMPLATE_DIR = join(ROOT, 'node_modules', '.cache', 'jiefen');

/** Every file under a directory, sorted by path. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out.sort();
}

/** Digest of the migrations, the reference data files and the PGlite version. */
export async function templateDigest(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  const files = [...(await filesUnder(MIGRATIONS_FOLDER)), ...REFERENCE_FILES.map((f) => join(ROOT, f))];
  for (const file of files) {
    hash.update(`${file.slice(ROOT.length)}\n`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 24);
}

export function templatePath(digest: string): string {
  return join(TEMPLATE_DIR, `pglite-${digest}.tar.gz`);
}

/** True when `dataDir` holds no database yet (a new embedded database). */
export function isNewDataDir(dataDir: string): boolean {
  return !dataDir.startsWith('memory://') && !existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Returns the migrated template for the current digest, building and caching it when missing.
 * Written to a temporary name and renamed, so a crash or a concurrent builder never leaves half a
 * file under the final name.
 */
export async function ensureTemplate(): Promise<{ path: string; built: boolean }> {
  const path = templatePath(await templateDigest());
  if (existsSync(path)) return { path, built: false };
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await handle.migrate();
    await loadReferenceData(handle.db, systemClock);
    const dump = await handle.pglite!.dumpDataDir('gzip');
    await mkdir(TEMPLATE_DIR, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, path);
  } finally {
    await handle.close();
  }
  // Older dumps are of no further use.
  for (const name of await readdir(TEMPLATE_DIR)) {
    const other = join(TEMPLATE_DIR, name);
    if (name.startsWith('pglite-') && other !== path && !name.endsWith('.tmp')) await rm(other, { force: true });
  }
  return { path, built: true };
}

/** The template's bytes, ready for PGlite's `loadDataDir`. */
export async function readTemplate(path: string): Promise<Blob> {
  return new Blob([await readFile(path)]);
}
