import { inArray } from 'drizzle-orm';
import { storedFiles } from '../../schema';
import type { Deps } from '../domain/context';
import type { StoredObject } from '../storage/storage';

/** How often the sweep looks at storage; the scheduler ticks far more often than that. */
export const ORPHAN_SWEEP_INTERVAL_MS = 3600_000;

const BATCH = 500;

export interface SweepResult {
  scanned: number;
  removed: number;
  /** Orphans younger than the retention: a request may still be about to record them. */
  young: number;
}

/**
 * Removes stored bytes that no file row references: the draft and signed PDFs (with full ID numbers
 * inside) of requests that were interrupted or lost a race after storing them, and temporary files
 * of writes cut short. Bytes are stored before the transaction that records them, so an orphan is
 * only taken once it is older than the retention; `remove` checks the age again right before.
 */
export async function sweepOrphanFiles(deps: Deps): Promise<SweepResult> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.orphanFileRetentionMs);
  const result: SweepResult = { scanned: 0, removed: 0, young: 0 };
  let batch: StoredObject[] = [];
  const flush = async () => {
    const complete = batch.filter((o) => !o.partial).map((o) => o.key);
    const referenced = new Set(
      complete.length === 0
        ? []
        : (await deps.db.selectDistinct({ key: storedFiles.storageKey }).from(storedFiles).where(inArray(storedFiles.storageKey, complete))).map((r) => r.key),
    );
    for (const o of batch) {
      if (!o.partial && referenced.has(o.key)) continue;
      if (await deps.storage.remove(o, cutoff)) {
        result.removed++;
        deps.log.info({ key: o.key, partial: o.partial, storedAt: o.storedAt.toISOString() }, 'orphan stored file removed');
      }
    }
    batch = [];
  };
  for await (const o of deps.storage.list()) {
    result.scanned++;
    if (o.storedAt >= cutoff) {
      result.young++;
      continue;
    }
    batch.push(o);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return result;
}

/** The job: sweeps at most once an interval on the instance holding its lease. */
export function createOrphanFilesJob(intervalMs = ORPHAN_SWEEP_INTERVAL_MS) {
  let lastRun: number | null = null;
  return async (deps: Deps): Promise<SweepResult | null> => {
    const now = deps.clock.now().getTime();
    if (lastRun !== null && now - lastRun < intervalMs) return null;
    lastRun = now;
    return sweepOrphanFiles(deps);
  };
}
