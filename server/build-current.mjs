// Whether the compiled server (dist/server, or another output folder) is newer than every source it
// is built from: the server's and the schema's sources and the installed packages' lock. Used by
// `npm start` (server/start.mjs) and `node server/build.mjs --if-changed`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under a directory (its TypeScript and JavaScript sources). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (/\.(m?[jt]s|json)$/.test(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** `root` is the checkout (ending in a slash), `outdir` the compiled server's folder. */
export function builtIsCurrent(root, outdir = `${root}dist/server`) {
  let built = 0;
  try {
    built = statSync(`${outdir}/main.js`).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(newest(`${root}server`), newest(`${root}schema`), statSync(`${root}package-lock.json`).mtimeMs);
  return built > sources;
}
