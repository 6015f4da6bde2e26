import type { Logger } from 'pino';

/**
 * Last line of defence: an error no handler caught (an emitter without an 'error' listener, a
 * rejected promise nobody awaited) is logged and the process keeps serving. One client's bad bytes
 * must never stop the platform; every request path still handles its own errors (and logs them
 * with its request id), this only keeps an oversight from becoming an outage. Such an error names
 * no request: nothing ties it to one without a hook on every promise of every request.
 */
export function installProcessGuard(log: Logger, proc: NodeJS.Process = process): () => void {
  const onException = (err: unknown, origin: string) => {
    log.error({ err, origin }, 'unhandled error; still serving');
  };
  const onRejection = (reason: unknown) => {
    log.error({ err: reason, origin: 'unhandledRejection' }, 'unhandled rejection; still serving');
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
