import { ConfigError, loadConfig } from './config';
import { ensureTemplate } from './db-template';
import { ensureDemoSnapshot } from './demo-snapshot';
import { systemClock } from './domain/context';
import { createLogger } from './logger';

// `node server/build.mjs --template` (the install step): prepare the embedded database template now,
// so that the first start of a new embedded database only restores it; outside production also
// today's demo data, so that a first start the same day restores that too.
const started = performance.now();
const { path, built } = await ensureTemplate();
console.log(`embedded database template ${built ? 'built' : 'up to date'} in ${Math.round(performance.now() - started)} ms: ${path}`);
let config: ReturnType<typeof loadConfig> | null = null;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.log(`demo data not prepared (the settings are incomplete; a start reports them): ${err.message}`);
}
if (config?.seedDemo) {
  const demoStarted = performance.now();
  const demo = await ensureDemoSnapshot(config, createLogger('warn'), systemClock);
  console.log(`demo data for today ${demo.built ? 'prepared' : 'up to date'} in ${Math.round(performance.now() - demoStarted)} ms: ${demo.path}`);
}
