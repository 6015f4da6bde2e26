/**
 * Building statements with drizzle-orm as installed (class checks remembered, server/patch-drizzle.mjs)
 * against the same drizzle-orm as published, in the same run: the same three statements of the case
 * page (a case, a user, a case's parties; every column) built over and over, in alternating child
 * processes. Prints µs per statement for each and the ratio.
 *   npx tsx test/bench/query-build.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { AFTER, BEFORE, FILES } from '../../server/patch-drizzle.mjs';

const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const root = new URL('../../', import.meta.url).pathname;
const installed = join(root, 'node_modules/drizzle-orm');

const LOOP = /* ts */ `
import { drizzle } from 'drizzle-orm/postgres-js';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as schema from '@schema';
const db = drizzle.mock({ schema });
const ids = ['00000000-0000-0000-0000-000000000001'];
const once = () => {
  db.select().from(schema.cases).where(inArray(schema.cases.id, ids)).toSQL();
  db.select().from(schema.users).where(eq(schema.users.id, ids[0])).toSQL();
  db.select().from(schema.caseParties).where(and(inArray(schema.caseParties.caseId, ids), isNull(schema.caseParties.userId))).toSQL();
};
for (let i = 0; i < 3000; i++) once();
const started = performance.now();
for (let i = 0; i < 10000; i++) once();
console.log(((performance.now() - started) * 1000) / 30000);
`;

const work = mkdtempSync(join(tmpdir(), 'jiefen-query-build-'));
try {
  // One bundle of the loop and the schema, drizzle-orm left to each directory's own node_modules.
  const bundle = await build({
    stdin: { contents: LOOP, loader: 'ts', resolveDir: root },
    alias: { '@schema': join(root, 'schema/index.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    external: ['drizzle-orm', 'drizzle-orm/*'],
  });
  const dirs = { installed: join(work, 'installed'), published: join(work, 'published') };
  for (const dir of Object.values(dirs)) {
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'loop.mjs'), bundle.outputFiles[0]!.text);
  }
  symlinkSync(installed, join(dirs.installed, 'node_modules/drizzle-orm'));
  symlinkSync(join(root, 'node_modules/postgres'), join(dirs.published, 'node_modules/postgres'));
  // The published drizzle-orm: the installed copy with the install step's change taken back out.
  cpSync(installed, join(dirs.published, 'node_modules/drizzle-orm'), { recursive: true, dereference: true });
  for (const file of FILES) {
    const path = join(dirs.published, 'node_modules/drizzle-orm', file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(AFTER)) throw new Error(`the installed drizzle-orm's ${file} lacks the install step's change`);
    writeFileSync(path, text.replace(AFTER, BEFORE));
  }
  const runs: Record<keyof typeof dirs, number[]> = { installed: [], published: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const which of ['published', 'installed'] as const) {
      const r = spawnSync(process.execPath, [join(dirs[which], 'loop.mjs')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      runs[which].push(Number(r.stdout.trim()));
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const [p, s] = [median(runs.published), median(runs.installed)];
  console.log(`statement built, drizzle-orm as published:  ${p.toFixed(1)} µs (median of ${ROUNDS})`);
  console.log(`statement built, class checks remembered:   ${s.toFixed(1)} µs`);
  console.log(`ratio remembered / published:              ${(s / p).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
