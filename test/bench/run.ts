/** `npm run bench`: every benchmark in turn; each prints its own figures and ratio. */
import { spawnSync } from 'node:child_process';
import { NODE_FLAGS, SERVER_ENV } from '../../server/heap';

// Each benchmark runs with the heap settings and environment the server runs with (`npm start`).
const env = { ...SERVER_ENV, ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, ...NODE_FLAGS].filter(Boolean).join(' ') };

for (const file of ['test/bench/pdf-render.ts', 'test/bench/query-build.ts', 'test/bench/file-dispute.ts', 'test/bench/case-page.ts', 'test/bench/statistics.ts']) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync('npx', ['tsx', file], { stdio: 'inherit', env });
  if (r.status !== 0) process.exitCode = 1;
}
