import type { Logger } from 'pino';
import { requestStore } from './logger';

/**
 * Last line of defence: an error no handler caught (an emitter without an 'error' listener, a
 * rejected promise nobody awaited) is logged with the request id it happened under, when there is
 * one, and the process keeps serving. One client's bad bytes must never stop the platform; every
 * request path still handles its own errors, this only keeps an oversight from becoming an outage.
 */
export function installProcessGuard(log: Logger, proc: NodeJS.Process = process): () => void {
  const onException = (err: unknown, origin: string) => {
    log.error({ err, origin, requestId: requestStore.getStore()?.requestId ?? null }, 'unhandled error; still serving');
  };
  const onRejection = (reason: unknown) => {
    log.error({ err: reason, origin: 'unhandledRejection', requestId: requestStore.getStore()?.requestId ?? null }, 'unhandled rejection; still serving');
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
