import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SignOptions } from './sign-pdf';
import type { AgreementTemplate } from './templates';
import type { AgreementDocument } from './types';

/**
 * Rendering and signing an agreement takes from tens of milliseconds to over a second (a long
 * draft): run on the main thread it would stall every other request, health checks included.
 * These wrappers hand the same inputs to the same pure functions in a small pool of worker
 * threads and return the same bytes.
 */

export type PdfTask =
  | { id: number; kind: 'render'; doc: AgreementDocument; template: AgreementTemplate | undefined }
  | { id: number; kind: 'sign'; pdf: Uint8Array; opts: SignOptions }
  /** Loads the libraries and parses the fonts ahead of the first document. */
  | { id: number; kind: 'warm' };
export type PdfTaskResult = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; name: string; message: string };

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(err: Error): void;
}
interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Ends the worker once it has been idle for the pool's idle time. */
  idleTimer: NodeJS.Timeout | null;
}

/**
 * A worker holds its own heap with the parsed CJK fonts (about 200 MB): after this long without work
 * it ends, and the next agreement starts a new one (a few hundred milliseconds).
 */
const IDLE_MS = 20_000;

/** Bundled server (dist/): the compiled worker beside it; otherwise the TypeScript source through tsx. */
function workerEntry(): string | URL {
  const here = import.meta.filename;
  if (here.endsWith('.js')) return join(dirname(here), 'pdf', 'pdf-worker.js');
  return new URL('./pdf-worker-tsx.mjs', import.meta.url);
}

export class PdfPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;

  constructor(
    private readonly size: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  render(doc: AgreementDocument, template?: AgreementTemplate): Promise<Uint8Array> {
    return this.submit({ kind: 'render', doc, template });
  }

  sign(pdf: Uint8Array, opts: SignOptions): Promise<Uint8Array> {
    return this.submit({ kind: 'sign', pdf, opts });
  }

  /**
   * Starts a worker and has it parse the fonts now, so that an agreement expected soon (the demo's
   * on a first start) does not wait for it. Failures surface on the first real task instead.
   */
  warm(): void {
    if (this.workers.length > 0) return;
    this.submit({ kind: 'warm' }).catch(() => undefined);
  }

  /** Stops every worker; tasks still running fail. */
  async close(): Promise<void> {
    const all = this.workers.splice(0);
    for (const w of all) if (w.idleTimer) clearTimeout(w.idleTimer);
    await Promise.all(all.map((w) => w.worker.terminate()));
  }

  private submit(task: DistributiveOmit<PdfTask, 'id'>): Promise<Uint8Array> {
    const id = this.nextId++;
    const target = this.pick();
    return new Promise<Uint8Array>((resolve, reject) => {
      if (target.idleTimer) clearTimeout(target.idleTimer);
      target.idleTimer = null;
      target.pending.set(id, { resolve, reject });
      // A worker with work keeps the process alive until it answers; an idle one does not.
      target.worker.ref();
      target.worker.postMessage({ ...task, id });
    });
  }

  /** The least busy worker, starting another while the pool is below its size. */
  private pick(): PoolWorker {
    const idle = this.workers.find((w) => w.pending.size === 0);
    if (idle) return idle;
    if (this.workers.length < this.size) return this.spawn();
    return this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): PoolWorker {
    const worker = new Worker(workerEntry());
    // An idle pool must not keep the process alive.
    worker.unref();
    const self: PoolWorker = { worker, pending: new Map(), idleTimer: null };
    worker.on('message', (result: PdfTaskResult) => {
      const p = self.pending.get(result.id);
      if (!p) return;
      self.pending.delete(result.id);
      if (self.pending.size === 0) {
        worker.unref();
        self.idleTimer = setTimeout(() => this.retire(self), this.idleMs);
        self.idleTimer.unref();
      }
      if (result.ok) p.resolve(result.bytes);
      else p.reject(Object.assign(new Error(result.message), { name: result.name }));
    });
    const fail = (err: Error) => {
      const i = this.workers.indexOf(self);
      if (i >= 0) this.workers.splice(i, 1);
      if (self.idleTimer) clearTimeout(self.idleTimer);
      for (const p of self.pending.values()) p.reject(err);
      self.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`PDF worker stopped (exit code ${code})`)));
    this.workers.push(self);
    return self;
  }

  /** Ends an idle worker; one that took work meanwhile stays. */
  private retire(w: PoolWorker): void {
    w.idleTimer = null;
    if (w.pending.size > 0) return;
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    void w.worker.terminate();
  }

  /** How many workers are running now. */
  get running(): number {
    return this.workers.length;
  }
}

let shared: PdfPool | null = null;

/** The process's pool: one worker per core but one for the main thread, between one and four. */
export function pdfPool(): PdfPool {
  shared ??= new PdfPool(Math.max(1, Math.min(4, availableParallelism() - 1)));
  return shared;
}

/** Same as `renderAgreementPdf`, in a worker thread. */
export function renderAgreementPdfOffThread(doc: AgreementDocument, template?: AgreementTemplate): Promise<Uint8Array> {
  return pdfPool().render(doc, template);
}

/** Same as `signPdf`, in a worker thread. */
export function signPdfOffThread(pdf: Uint8Array, opts: SignOptions): Promise<Uint8Array> {
  return pdfPool().sign(pdf, opts);
}

/** Stops the shared pool (at shutdown). */
export async function closePdfPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
