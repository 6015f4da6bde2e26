import { parentPort } from 'node:worker_threads';
import { parsedFont } from './fonts';
import { renderAgreementPdf } from './render-agreement';
import { signPdf } from './sign-pdf';
import type { PdfTask, PdfTaskResult } from './pool';

// One PDF worker: runs the pure render and sign functions off the main thread, one task at a time.
parentPort!.on('message', (task: PdfTask) => {
  void run(task).then((result) => {
    parentPort!.postMessage(result, result.ok ? [result.bytes.buffer as ArrayBuffer] : []);
  });
});

async function run(task: PdfTask): Promise<PdfTaskResult> {
  try {
    if (task.kind === 'warm') {
      parsedFont('regular');
      parsedFont('bold');
      return { id: task.id, ok: true, bytes: new Uint8Array(0) };
    }
    const bytes = task.kind === 'render' ? await renderAgreementPdf(task.doc, task.template) : await signPdf(task.pdf, task.opts);
    return { id: task.id, ok: true, bytes };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: task.id, ok: false, name: e.name, message: e.message };
  }
}
