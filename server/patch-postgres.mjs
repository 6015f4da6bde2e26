// Install step: mends one ordering in postgres.js (3.4.x) before the server uses it.
//
// `sql.begin` reserves its connection in a hook that runs at the end of a chain of `&&` terms in
// `execute()`. When BEGIN is the statement that fills a connection's pipeline, or meets a backed-up
// socket, the chain stops early: BEGIN is sent but the connection is never reserved. The
// transaction then fails with UNSAFE_TRANSACTION, or its connection serves other queries inside it
// (porsager/postgres#823, #1189; the change below is the one proposed in #1211 and #1218, keeping
// what `execute()` returns). The replacement is exact: a postgres.js whose code differs is left as
// it is and the install says so; `test/integration/db-transactions.test.ts` then fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['src/connection.js', 'cjs/src/connection.js'];
const BEFORE = `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`;
const AFTER = `      // jiefen: reserve the connection whenever BEGIN was written (postgres.js #1189)
      const more = write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
      return q.options.onexecute
        ? (q.options.onexecute(connection), false)
        : more`;

let pkg;
try {
  pkg = JSON.parse(readFileSync(`${root}node_modules/postgres/package.json`, 'utf8'));
} catch {
  console.log('postgres.js is not installed: nothing to mend');
  process.exit(0);
}
for (const file of FILES) {
  const path = `${root}node_modules/postgres/${file}`;
  const text = readFileSync(path, 'utf8');
  if (text.includes(AFTER)) continue;
  if (!text.includes(BEFORE)) {
    console.warn(`postgres.js ${pkg.version}: ${file} differs from 3.4.9; its transaction reservation is left as it is`);
    continue;
  }
  writeFileSync(path, text.replace(BEFORE, AFTER));
  console.log(`postgres.js ${pkg.version}: ${file}: BEGIN reserves its connection however full the pipeline`);
}
