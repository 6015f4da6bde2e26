import { setFlagsFromString } from 'node:v8';

/**
 * How the server's V8 heap is sized.
 *
 * Under load a request lives for tens to hundreds of milliseconds, long enough for its objects to
 * outlive the young generation's collections and be promoted; V8 then lets the old generation grow
 * to several times what is live before collecting it in full. In the load test (`npm run load`) that
 * left 65–110 MB live in a 250–300 MB old space, and the server's RSS at about 400 MB.
 *
 * - A larger young generation (`--max-semi-space-size=32`, MB per semi-space; Node 20's default
 *   depends on the memory limit: 16 on these machines, less in small containers)
 *   lets short-lived request objects die young: fewer promotions, less full collection work.
 * - A fixed growing step (`--heap-growing-percent=75`) starts a full collection once the old
 *   generation has grown by three quarters of what was live after the last one.
 *
 * Measured with the load test here (one run unless a range is given; the machine's speed
 * drifts by a quarter through a day, so reads a second only compare within a few minutes):
 *
 * | settings                      | RSS after the mixed run | fan-out p95 (2,000 subscriptions) |
 * | ----------------------------- | ----------------------- | --------------------------------- |
 * | Node's defaults               | 396–420 MB              | 35–200 ms                         |
 * | young 32 MB, step 50 %        | 265–311 MB              | 93–233 ms                         |
 * | young 32 MB, step 75 %        | 294–316 MB              | 54–128 ms                         |
 * | young 32 MB, step 100 %       | 317 MB                  | 154 ms                            |
 *
 * A step of 50 % kept RSS under 300 MB but collected the 2,000 subscriptions' 170 MB heap in full
 * so often that the live rooms' p95 went past 200 ms in half the runs; 75 % keeps the rooms and
 * gives back most of the memory, at the goal's edge. The step without the larger young generation cost about a fifth
 * of the reads.
 */
export const HEAP_GROWING_PERCENT = 75;

/**
 * Node flags the server is started with (`npm start`, the deployment's command, the load test):
 * the young generation's size is fixed when the heap is created, so it cannot be set from inside.
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'] as const;

/**
 * Environment the server is started with (`npm start`, the deployment's command, the load test and
 * the filing benchmark). glibc reads it when the process starts, so it cannot be set from inside.
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own malloc arena, up to eight
 * per core, and keeps what is freed in each. V8's background threads (compilation, marking) and
 * libuv's pool allocate in bursts; after the load test's mixed run five thread arenas held 37 MB
 * besides the main heap's 18 MB. With two arenas the server's RSS after the mixed run was 260–294 MB
 * (twelve runs of 40 s, ten of them under 283 MB), against 284–308 MB (six runs) without, at the
 * same reads a second. Ignored outside glibc.
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** The node flags this process was started with: its command line and NODE_OPTIONS. */
const commandLine = () => [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
const flagName = (arg: string) => arg.split('=')[0]!.replace(/_/g, '-');

/**
 * Sets the growing step at start when the server was started with the young generation's flag (the
 * step alone costs reads), unless the command line gives a step of its own. Says what it did.
 */
export function tuneHeap(execArgv: readonly string[] = commandLine(), setFlags: (flags: string) => void = setFlagsFromString): 'tuned' | 'own-step' | 'no-young-generation-flag' {
  const given = new Set(execArgv.map(flagName));
  if (given.has('--heap-growing-percent')) return 'own-step';
  if (!NODE_FLAGS.every((f) => given.has(flagName(f)))) return 'no-young-generation-flag';
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return 'tuned';
}
