import { pino, type Logger } from 'pino';

/**
 * The platform's pino logger. A line about a request names it itself (`requestId`): the request's
 * error handlers and the GraphQL error masking pass it.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'jiefen' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.secret', '*.token'], remove: true },
  });
}
