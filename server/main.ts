import type { Server } from 'node:http';
import { createApp } from './app';
import { createWebClient } from './http/web';
import { prepare } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD } from './domain/bootstrap/seed-demo';
import { createLogger } from './logger';
import { createJobRunner } from './jobs';
import { refreshCalendar } from './domain/clock/calendar-store';
import { closePdfPool } from './pdf/pool';
import { installProcessGuard } from './process-guard';
import { SERVER_ENV, tuneHeap } from './heap';

const started = performance.now();
const heap = tuneHeap();
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const log = createLogger(config.logLevel);
installProcessGuard(log);
// A start that cannot complete (database, migrations, reference or demo data) stops the process
// with a non-zero code: the process guard keeps serving requests, but there is nothing to serve yet.
function startFailed(err: unknown): never {
  log.fatal({ err }, 'start-up failed');
  console.error(`jiefen: start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
// The client's bundle is checked beside the database (Vite, in development, starts on the first page request).
const webStarting = createWebClient(config);
webStarting.catch(() => undefined);
const { deps, handle, demoAccounts, timings } = await prepare(config, log).catch(startFailed);
// Which key seals agreements and which gateway sends codes: printed once, so operators can check.
log.info(
  {
    signing: config.signing ? 'certificate (SIGNING_P12_BASE64)' : config.signingSelfSigned ? 'self-signed key kept in the database (SIGNING_SELF_SIGNED)' : 'development self-signed key per process',
    sms: config.sms.provider,
    identityService: config.identity.provider,
    courtRateLimits: config.redisUrl ? 'redis (shared by every instance)' : 'memory (per instance)',
    corsOrigins: config.corsOrigins,
    // server/heap.ts: `tuned` when started as `npm start` starts it.
    heap,
    // The setting given (glibc reads it at the process's start; other C libraries ignore it).
    mallocArenas: process.env.MALLOC_ARENA_MAX ?? `glibc default (set MALLOC_ARENA_MAX=${SERVER_ENV.MALLOC_ARENA_MAX}, see server/heap.ts)`,
  },
  'signing and SMS configuration',
);
// A missing client bundle (WEB=dist before `npm run build`) stops the start the same way.
const web = await webStarting.catch(startFailed);
const { app, close } = createApp(deps, { web });
const jobs = config.jobs ? createJobRunner(deps) : null;
// Every instance reloads the holiday notices another instance published.
setInterval(() => {
  refreshCalendar(deps.db, deps.calendar).catch((err) => log.warn({ err }, 'calendar refresh failed'));
}, 60_000).unref();

const server: Server = app.listen(config.port, config.host);
// A port already taken (another instance) or not allowed: stop with a clear message and a non-zero
// code, before any background job starts, instead of running jobs behind no socket.
server.once('error', (err: NodeJS.ErrnoException) => {
  const where = `${config.host}:${config.port}`;
  const why =
    err.code === 'EADDRINUSE'
      ? `port ${config.port} is already in use (another instance?)`
      : err.code === 'EACCES'
        ? `no permission to listen on ${where}`
        : `cannot listen on ${where}: ${err.message}`;
  log.fatal({ err, port: config.port, host: config.host }, 'cannot listen');
  console.error(`jiefen: ${why}. Set PORT to a free port.`);
  void handle.close().finally(() => process.exit(1));
  setTimeout(() => process.exit(1), 3000).unref();
});
server.once('listening', () => {
  jobs?.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}/graphql`;
  log.info({ database: handle.kind, timings, startMs: Math.round(performance.now() - started) }, 'jiefen listening');
  const lines = [
    '',
    `  jiefen 解纷 is running on the ${handle.kind === 'pglite' ? `embedded database (${config.dataDir})` : 'PostgreSQL database'}.`,
    `  GraphiQL: ${url}`,
  ];
  if (web) lines.splice(2, 0, `  Web client: http://localhost:${port}/  (${config.web === 'vite' ? 'development build, compiled on request' : 'bundle from npm run build'})`);
  if (demoAccounts?.length) {
    lines.push('', `  Demo accounts (password ${DEMO_PASSWORD}); log in from GraphiQL with:`);
    lines.push(`    mutation { login(input: { phone: "13800000000", password: "${DEMO_PASSWORD}" }) { ... on LoginSuccess { token } ... on Error { code message } } }`);
    lines.push('  then add the header  {"Authorization": "Bearer <token>"}');
    for (const a of demoAccounts) lines.push(`    ${a.phone}  ${a.role.padEnd(14)} ${a.name}  (${a.note})`);
  }
  console.log(lines.join('\n'));
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => {
    log.warn('forced exit after 15 s');
    process.exit(1);
  }, 15_000);
  force.unref();
  // Stop accepting connections; close idle keep-alive sockets so in-flight requests can finish.
  server.close(async () => {
    await jobs?.stop();
    await close();
    await closePdfPool();
    await handle.close();
    log.info('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
