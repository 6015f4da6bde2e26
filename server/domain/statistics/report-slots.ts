import type { Deps } from '../context';
import { ForbiddenError } from '../errors';

/**
 * A line for statistics reports, one per instance (per database handle): at most `concurrency`
 * run at once, so that reports, each one long statement in a transaction, never hold every
 * connection of the pool and stall the instance's other statements and its readiness check.
 * A report that finds every place taken waits its turn, in order, up to the report time limit; then
 * it is refused as RATE_LIMITED with a time to try again. One holder (a user) has at most
 * `concurrency` reports in the line, running or waiting: more (a request asking for twenty reports
 * under aliases, say) are refused at once, so one person cannot fill the line for everyone else.
 */
interface Line {
  running: number;
  waiting: { admit: () => void; timer: NodeJS.Timeout }[];
  /** Reports in the line, running or waiting, per holder. */
  held: Map<string, number>;
}
const lines = new WeakMap<object, Line>();

export async function withReportSlot<T>(deps: Deps, holder: string, run: () => Promise<T>): Promise<T> {
  const { concurrency, timeoutMs } = deps.config.statistics;
  let line = lines.get(deps.db);
  if (!line) lines.set(deps.db, (line = { running: 0, waiting: [], held: new Map() }));
  const mine = line.held.get(holder) ?? 0;
  if (mine >= concurrency) throw refusal(deps, `At most ${concurrency} statistics reports of one person are computed or wait at once.`);
  line.held.set(holder, mine + 1);
  try {
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
  } finally {
    const left = (line.held.get(holder) ?? 1) - 1;
    if (left > 0) line.held.set(holder, left);
    else line.held.delete(holder);
  }
}

function refusal(deps: Deps, message: string): ForbiddenError {
  return new ForbiddenError(`${message} Try again shortly.`, 'RATE_LIMITED', new Date(deps.clock.now().getTime() + 5_000));
}

function waitTurn(line: Line, deps: Deps, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = {
      admit: resolve,
      timer: setTimeout(() => {
        line.waiting.splice(line.waiting.indexOf(entry), 1);
        reject(refusal(deps, `Other statistics reports are being computed; this one waited ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs),
    };
    line.waiting.push(entry);
  });
}
