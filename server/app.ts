import { calendarCoverage } from './domain/clock/calendar-store';
import { randomUUID } from 'node:crypto';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import express, { type NextFunction, type Request, type Response } from 'express';
import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql';
import { createGraphQLError, createYoga } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ping } from './db';
import { authenticate } from './domain/auth/sessions';
import type { Deps } from './domain/context';
import { AppError, ForbiddenError } from './domain/errors';
import type { GraphQLContext } from './graphql/context';
import { newRedis } from './graphql/pubsub';
import { schema } from './graphql/schema';
import { textGuardPlugin } from './graphql/text-guard';
import { bodyLimitPlugin } from './graphql/body-limit';
import { requestErrorsPlugin, requestIdOf } from './graphql/request-errors';
import { compiledQueriesPlugin } from './graphql/compiled-queries';
import { webClientDocuments } from './graphql/client-documents';
import { routeModules } from './http/routes';
import { actorOf } from './http/request';
import type { WebClient } from './http/web';

export interface App {
  app: express.Express;
  /** Stops background work owned by the app (not the database, which the caller owns). */
  close(): Promise<void>;
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * By name, not instanceof: graphql can be loaded twice (its CommonJS and ESM builds), and an error
 * from the other copy must not be mistaken for an unexpected one.
 */
function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof Error && e.name === 'GraphQLError';
}

/** Builds the HTTP application: security headers, health, GraphQL, one error handler. */
export function createApp(deps: Deps, options: { web?: WebClient | null } = {}): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);

  // Per-court-client request budget (court API hygiene), keyed by client id. With REDIS_URL the
  // counters live in Redis, so the budget holds across every instance; otherwise in process. Should
  // Redis be unreachable, each instance falls back to its own memory counter rather than refusing.
  const redis = deps.config.redisUrl ? newRedis(deps.config.redisUrl, { maxRetriesPerRequest: 1 }) : null;
  redis?.on('error', (err) => deps.log.warn({ err }, 'rate limit store unavailable'));
  const limiters = new Map<number, RateLimiterAbstract>();
  const limiterFor = (perMinute: number) => {
    let l = limiters.get(perMinute);
    if (!l) {
      const memory = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: `court-api:${perMinute}` });
      l = redis
        ? new RateLimiterRedis({ storeClient: redis, points: perMinute, duration: 60, keyPrefix: `jiefen:court-api:${perMinute}`, insuranceLimiter: memory })
        : memory;
      limiters.set(perMinute, l);
    }
    return l;
  };

  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await ping(deps.db);
      const coverage = calendarCoverage(deps.calendar, deps.clock);
      // The calendar never makes the platform unready: a year without a notice runs on provisional days.
      res.status(200).json({
        status: 'ready',
        calendar: { officialThrough: coverage.officialThrough, nextYearOfficial: coverage.nextYearOfficial, warning: coverage.warning },
      });
    } catch (err) {
      deps.log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  // Authentication for everything below: GraphQL and file downloads see the same viewer.
  app.use(async (req, res, next) => {
    try {
      const result = await authenticate(deps, bearer(req));
      req.viewer = result.viewer;
      req.viewerUser = result.viewer ? (result.user ?? null) : null;
      req.tokenRejected = result.viewer === null && result.rejected;
      if (result.viewer?.kind === 'apiClient') {
        const client = result.viewer;
        try {
          await limiterFor(client.rateLimitPerMinute).consume(client.clientId);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const ms = rejection.msBeforeNext;
          res.setHeader('Retry-After', String(Math.ceil(ms / 1000)));
          res.status(429).json({
            errors: [{ message: 'Rate limit exceeded.', extensions: { code: 'RATE_LIMITED', requestId: req.requestId } }],
          });
          return;
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  });

  const yoga = createYoga<{ req: Request; res: Response }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Only configured origins (CORS_ORIGINS) may call from a browser; never an echo of any origin.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !deps.config.corsOrigins.includes(origin)) return false;
      return { origin, credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'x-request-id'] };
    },
    graphiql: { title: 'jiefen 解纷 GraphQL', defaultQuery: '{ me { name role } }' },
    // GraphiQL's scripts and styles are served inline from this server, never from a CDN: courts
    // and government offices often sit on networks without access to the internet.
    // GraphiQL's page (served from this server, nothing from a CDN) loads on its first request.
    renderGraphiQL: async (opts) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(opts),
    logging: {
      debug: (...args) => deps.log.debug({ args }, 'yoga'),
      info: (...args) => deps.log.info({ args }, 'yoga'),
      warn: (...args) => deps.log.warn({ args }, 'yoga'),
      error: (...args) => deps.log.error({ args }, 'yoga'),
    },
    maskedErrors: {
      maskError(error, message) {
        const original = isGraphQLError(error) ? error.originalError : error;
        // Errors graphql-js raises for bad queries are the client's, not ours: pass them through.
        if (isGraphQLError(error) && !original) return error;
        // A chain of GraphQL errors only (a scalar refusing a variable is wrapped twice on its way
        // through variable coercion) is the client's too.
        let root: unknown = error;
        while (isGraphQLError(root) && root.originalError) root = root.originalError;
        if (isGraphQLError(root)) return isGraphQLError(error) ? error : root;
        const path = isGraphQLError(error) ? error.path : undefined;
        // A domain error thrown outside a result union (e.g. a field's auth scope on a query) is
        // still one of the closed set: the client gets its code, not an internal error.
        if (original instanceof AppError) {
          const retryAt = original instanceof ForbiddenError ? original.retryAt?.toISOString() : undefined;
          return createGraphQLError(original.message, {
            extensions: { code: original.code, ...(retryAt ? { retryAt } : {}) },
            path,
          });
        }
        const requestId = requestIdOf(error);
        deps.log.error({ err: original ?? error, requestId }, 'unexpected error');
        return createGraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId }, path });
      },
      errorMessage: 'Unexpected error.',
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 3000 },
        costLimit: { maxCost: 8000 },
        blockFieldSuggestion: { enabled: deps.config.production },
      }),
      textGuardPlugin(),
      bodyLimitPlugin(),
      // Before the masking, which runs after every plugin given here: it reads the request id this marks.
      requestErrorsPlugin(),
      // After the text guard: a compiled query reads the variables it has normalised.
      ...(deps.config.compiledQueries ? [compiledQueriesPlugin(webClientDocuments())] : []),
      // The operation the request runs, for what may be read ahead only in a query (`casesHolding`).
      {
        onExecute({ args }: { args: ExecutionArgs }) {
          (args.contextValue as GraphQLContext).operation = getOperationAST(args.document, args.operationName)?.operation;
        },
      },
    ],
    // The body's size is limited by bodyLimitPlugin (cheaper for a body that declares its length).
    maxRequestBodySize: false,
    context: ({ req }) => ({
      deps,
      viewer: req.viewer,
      viewerUser: req.viewerUser,
      tokenRejected: req.tokenRejected,
      actor: actorOf(req),
      requestId: req.requestId,
    }),
  });
  app.use(yoga.graphqlEndpoint, (req, res) => yoga(req, res));
  // The web client before the file routes: a browser opening /verify/:code gets the page, a script the JSON.
  if (options.web) app.use(options.web.router);
  for (const routes of routeModules) app.use(routes(deps));

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found.' });
  });
  // One error handler: nothing internal reaches the client.
  // A client's own fault raised by express or its middleware (a missing static file, a directory, a
  // malformed path) carries a 4xx status: it keeps that status, with a fixed message.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = clientErrorStatus(err);
    if (status) {
      deps.log.info({ err, requestId: req.requestId }, 'request refused');
      if (res.headersSent) res.destroy();
      else res.status(status).json({ error: status === 404 ? 'Not found.' : 'Bad request.', requestId: req.requestId });
      return;
    }
    deps.log.error({ err, requestId: req.requestId }, 'request failed');
    // Cut short mid-response (a file stream that failed): end the connection, do not leave it hanging.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).json({ error: 'Unexpected error.', requestId: req.requestId });
  });

  return {
    app,
    async close() {
      await options.web?.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The 4xx status express or its middleware gave an error (the client's fault), or null. */
function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status } = err as { status?: unknown };
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}
