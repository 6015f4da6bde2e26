import type { Deps } from '../context';
import { ForbiddenError } from '../errors';

/**
 * A line for statistics reports, one per instance (per database handle): at most `concurrency`
 * run at once, so that reports, each one long statement in a transaction, never hold every
 * connection of the pool and stall the instance's other statements and its readiness check.
 * A report that finds every place taken waits its turn, in order, up to the report time limit; then
 * it is refused as RATE_LIMITED with a time to try again.
 */
interface Line {
  running: number;
  waiting: { admit: () => void; timer: NodeJS.Timeout }[];
}
const lines = new WeakMap<object, Line>();

export async function withReportSlot<T>(deps: Deps, run: () => Promise<T>): Promise<T> {
  const { concurrency, timeoutMs } = deps.config.statistics;
  let line = lines.get(deps.db);
  if (!line) lines.set(deps.db, (line = { running: 0, waiting: [] }));
  if (line.running >= concurrency) await waitTurn(line, deps, timeoutMs);
  else line.running++;
  try {
    return await run();
  } finally {
    // The place passes to the first in line, or is given back.
    const next = line.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit();
    } else line.running--;
  }
}

function waitTurn(line: Line, deps: Deps, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = {
      admit: resolve,
      timer: setTimeout(() => {
        line.waiting.splice(line.waiting.indexOf(entry), 1);
        reject(
          new ForbiddenError(
            `Other statistics reports are being computed; this one waited ${Math.round(timeoutMs / 1000)} s. Try again shortly.`,
            'RATE_LIMITED',
            new Date(deps.clock.now().getTime() + 5_000),
          ),
        );
      }, timeoutMs),
    };
    line.waiting.push(entry);
  });
}
