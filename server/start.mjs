// `npm start`: compiles the server first when a source is newer than dist/server (server/build.mjs,
// in a process of its own), then runs the compiled server in this process, started with the heap
// flags the start script gives: a restart starts one Node process, not two.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtIsCurrent } from './build-current.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (builtIsCurrent(root)) console.log('dist/server is up to date');
else {
  const built = spawnSync(process.execPath, [`${root}server/build.mjs`], { stdio: 'inherit' });
  if (built.error) console.error(`the server could not be compiled: ${built.error.message}`);
  // A build ended by a signal ends this process the same way.
  if (built.signal) process.kill(process.pid, built.signal);
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import('../dist/server/main.js');
