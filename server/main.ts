import type { Server } from 'node:http';
import { createApp } from './app';
import { createWebClient } from './http/web';
import { prepare } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD } from './domain/bootstrap/seed-demo';
import { createLogger } from './logger';
import { createJobRunner } from './jobs';
import { refreshCalendar } from './domain/clock/calendar-store';

const started = performance.now();
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
const { deps, handle, demoAccounts, timings } = await prepare(config, log);
const web = await createWebClient(config);
const { app, close } = createApp(deps, { web });
const jobs = config.jobs ? createJobRunner(deps) : null;
jobs?.start();
// Every instance reloads the holiday notices another instance published.
setInterval(() => {
  refreshCalendar(deps.db, deps.calendar).catch((err) => log.warn({ err }, 'calendar refresh failed'));
}, 60_000).unref();

const server: Server = app.listen(config.port, config.host, () => {
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
    await handle.close();
    log.info('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
