import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** Per-request data visible to every log line written while the request is handled. */
export const requestStore = new AsyncLocalStorage<{ requestId: string }>();

/** A pino logger whose every line carries the current request id, when there is one. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'jiefen' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.secret', '*.token'], remove: true },
    mixin: () => {
      const store = requestStore.getStore();
      return store ? { requestId: store.requestId } : {};
    },
  });
}
