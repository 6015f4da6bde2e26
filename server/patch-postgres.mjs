// Install step: two exact changes to postgres.js (3.4.x) before the server uses it.
//
// First, one ordering.
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
export const FILES = ['src/connection.js', 'cjs/src/connection.js'];
export const BEFORE = `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`;
export const AFTER = `      // jiefen: reserve the connection whenever BEGIN was written (postgres.js #1189)
      const more = write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
      return q.options.onexecute
        ? (q.options.onexecute(connection), false)
        : more`;

// Second, its queues of connections. `shift` marks a taken slot empty and reclaims the array only
// when the queue runs dry; `remove` searches the whole array, empty slots included. The pool takes a
// busy connection from its queue for each statement and puts it back, so under steady load the busy
// queue never runs dry: its array grew by one slot a statement, and each statement searched it.
// Measured on this machine, `select 1` from 16 loops on 4 connections fell from 54,620 to 15,499
// statements per 2 s within 18 s, the client's CPU spent searching; with the change it held
// 65,000-110,000. Now `remove` searches from the first live slot, and `shift` reclaims the taken
// slots once they are at least 64 and half the array. What the queue answers is unchanged
// (`test/unit/postgres-queue.test.ts` runs it against a plain array).
export const QUEUE_FILES = ['src/queue.js', 'cjs/src/queue.js'];
export const QUEUE_BEFORE = `    remove: (x) => {
      const index = xs.indexOf(x)
      return index === -1
        ? null
        : (xs.splice(index, 1), x)
    },
    push: (x) => (xs.push(x), x),
    shift: () => {
      const out = xs[index++]

      if (index === xs.length) {
        index = 0
        xs = []
      } else {
        xs[index - 1] = undefined
      }

      return out
    }`;
export const QUEUE_AFTER = `    remove: (x) => {
      // jiefen: search the live slots only (server/patch-postgres.mjs)
      const at = xs.indexOf(x, index)
      return at === -1
        ? null
        : (xs.splice(at, 1), x)
    },
    push: (x) => (xs.push(x), x),
    shift: () => {
      const out = xs[index++]

      if (index === xs.length) {
        index = 0
        xs = []
      } else {
        xs[index - 1] = undefined
        // jiefen: reclaim the taken slots while the queue stays busy (server/patch-postgres.mjs)
        if (index >= 64 && index * 2 >= xs.length) {
          xs = xs.slice(index)
          index = 0
        }
      }

      return out
    }`;

const CHANGES = [
  { files: FILES, before: BEFORE, after: AFTER, done: 'BEGIN reserves its connection however full the pipeline', left: 'its transaction reservation is left as it is' },
  { files: QUEUE_FILES, before: QUEUE_BEFORE, after: QUEUE_AFTER, done: 'its connection queues stay the size of what they hold', left: 'its connection queues are left as they are' },
];

// Run as the install step; imported (by a test), only the texts above.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(`${root}node_modules/postgres/package.json`, 'utf8'));
  } catch {
    console.log('postgres.js is not installed: nothing to mend');
    process.exit(0);
  }
  for (const change of CHANGES) {
    for (const file of change.files) {
      const path = `${root}node_modules/postgres/${file}`;
      const text = readFileSync(path, 'utf8');
      if (text.includes(change.after)) continue;
      if (!text.includes(change.before)) {
        console.warn(`postgres.js ${pkg.version}: ${file} differs from 3.4.9; ${change.left}`);
        continue;
      }
      writeFileSync(path, text.replace(change.before, change.after));
      console.log(`postgres.js ${pkg.version}: ${file}: ${change.done}`);
    }
  }
}
