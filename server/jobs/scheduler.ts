import type { Deps } from '../domain/context';
import { releaseLease, tryAcquireLease } from './lease';

/** A background job; its name is also the name of its lease, so it must be unique across jobs. */
export interface Job {
  name: string;
  run: (deps: Deps) => Promise<unknown>;
}

export interface SchedulerOptions {
  /** Identifies this instance in job_leases (e.g. host and process id). */
  holder: string;
  /** Pause between the end of one tick and the start of the next. */
  intervalMs: number;
  jobs: Job[];
  /** How long a lease outlives its last renewal; defaults to three intervals. */
  leaseTtlMs?: number;
}

export interface Scheduler {
  start(): void;
  /** Stops ticking, waits for a running tick and gives up this instance's leases. */
  stop(): Promise<void>;
  /** Runs one tick now (tests call it after moving the clock). */
  runOnce(): Promise<void>;
}

/**
 * Runs each job every `intervalMs` on the one instance that holds its lease. The holder renews
 * its lease every tick and so keeps the job; when it dies, another instance takes over once the
 * lease expires. Failures are logged and never end the process.
 */
export function createScheduler(deps: Deps, opts: SchedulerOptions): Scheduler {
  if (!(opts.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
  const names = new Set(opts.jobs.map((j) => j.name));
  if (names.size !== opts.jobs.length) throw new Error('job names must be unique: each one names a lease');
  const leaseTtlMs = opts.leaseTtlMs ?? opts.intervalMs * 3;
  const log = deps.log.child({ component: 'scheduler', holder: opts.holder });

  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  // Each job runs at most once at a time in this instance, and independently of the others: a
  // slow lane (a notification backlog, a webhook batch waiting on timeouts) never holds up another.
  const running = new Map<string, Promise<void>>();

  async function runJob(job: Job): Promise<void> {
    let acquired: boolean;
    try {
      acquired = await tryAcquireLease(deps.db, job.name, opts.holder, deps.clock.now(), leaseTtlMs);
    } catch (err) {
      log.error({ err, job: job.name }, 'job lease failed');
      return;
    }
    if (!acquired) return;
    try {
      const result = await job.run(deps);
      log.debug({ job: job.name, result }, 'job ran');
    } catch (err) {
      log.error({ err, job: job.name }, 'job failed');
    }
  }

  function tick(): Promise<void> {
    const runs = opts.jobs.map((job) => {
      let run = running.get(job.name);
      if (!run) {
        run = runJob(job).finally(() => running.delete(job.name));
        running.set(job.name, run);
      }
      return run;
    });
    return Promise.all(runs).then(() => {});
  }

  function schedule(): void {
    // The next tick comes after the interval whether or not every job finished: a job still
    // running is skipped, the others start again.
    timer = setTimeout(() => {
      timer = null;
      void tick();
      if (!stopped) schedule();
    }, opts.intervalMs);
    // The HTTP server keeps the process alive; a pending tick alone should not.
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.all(running.values());
      await Promise.all(
        opts.jobs.map((job) =>
          releaseLease(deps.db, job.name, opts.holder).catch((err) => {
            log.warn({ err, job: job.name }, 'lease release failed');
          }),
        ),
      );
    },
    runOnce: tick,
  };
}
