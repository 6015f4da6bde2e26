import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db';
import { systemClock } from '../../server/domain/context';
import { loadReferenceData } from '../../server/domain/regions/load-reference-data';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    pgliteDump: string | null;
  }
}

/**
 * Prepares one migrated database with reference data for the whole run: on PostgreSQL a fresh
 * database that every file shares (tests make their own unique data), on the embedded database
 * a dumped data directory that each file restores in well under a second.
 */
export default async function setup(project: TestProject) {
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const name = `jiefen_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
    await handle.migrate();
    await handle.migrate(); // a second run must be a no-op
    await loadReferenceData(handle.db, systemClock);
    await handle.close();
    project.provide('databaseUrl', url.toString());
    project.provide('pgliteDump', null);
    return async () => {
      if (!process.env.KEEP_TEST_DB) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const handle = await openDatabase({ dataDir: 'memory://' });
  await handle.migrate();
  await handle.migrate();
  await loadReferenceData(handle.db, systemClock);
  const dump = await handle.pglite!.dumpDataDir('none');
  const path = join(tmpdir(), `jiefen-test-${process.pid}-${Date.now()}.tar`);
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('databaseUrl', null);
  project.provide('pgliteDump', path);
  return async () => {
    await rm(path, { force: true });
  };
}
