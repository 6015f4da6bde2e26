/** `npm run bench`: every benchmark in turn; each prints its own figures and ratio. */
import { spawnSync } from 'node:child_process';

for (const file of ['test/bench/pdf-render.ts', 'test/bench/query-build.ts', 'test/bench/file-dispute.ts', 'test/bench/statistics.ts']) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync('npx', ['tsx', file], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exitCode = 1;
}
