import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// postgres.js's queue of connections, as the install step leaves it (server/patch-postgres.mjs).
// @ts-expect-error: a module of postgres.js without type declarations
import Queue from '../../node_modules/postgres/src/queue.js';
import { QUEUE_AFTER, QUEUE_FILES } from '../../server/patch-postgres.mjs';

type Q<T> = { readonly length: number; push(x: T): T; shift(): T | undefined; remove(x: T): T | null };
const queue = Queue as <T>(initial?: T[]) => Q<T>;

describe('postgres.js connection queues', () => {
  it('the install step changed both builds of postgres.js', () => {
    const dir = new URL('../../node_modules/postgres/', import.meta.url);
    for (const file of QUEUE_FILES) expect(readFileSync(new URL(file, dir), 'utf8'), file).toContain(QUEUE_AFTER);
  });

  it('answers as a plain array would, through any mix of push, shift and remove', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const q = queue<number>([1, 2]);
    const plain = [1, 2];
    let next = 3;
    for (let step = 0; step < 20_000; step++) {
      const r = random();
      if (r < 0.4) expect(q.push(next)).toBe(plain[plain.push(next) - 1]), next++;
      else if (r < 0.75) expect(q.shift()).toBe(plain.shift());
      else {
        // Remove one that is there, or one that was taken already.
        const x = random() < 0.5 && plain.length ? plain[Math.floor(random() * plain.length)]! : next - 1 - Math.floor(random() * 50);
        const at = plain.indexOf(x);
        if (at >= 0) plain.splice(at, 1);
        expect(q.remove(x)).toBe(at >= 0 ? x : null);
      }
      expect(q.length).toBe(plain.length);
    }
  });

  it('a queue that never runs dry stays the size of what it holds', () => {
    // The pool's busy queue under steady load: take a connection, look for it (it was taken), put it
    // back. Before the change each round left an empty slot behind and searched all of them: these
    // rounds were quadratic (about 10^11 steps), now they are linear.
    const connections = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }];
    const busy = queue(connections);
    let found = 0;
    for (let round = 0; round < 500_000; round++) {
      const c = busy.shift()!;
      if (busy.remove(c) !== null) found++;
      busy.push(c);
    }
    expect(found).toBe(0);
    expect(busy.length).toBe(4);
  }, 20_000);
});
