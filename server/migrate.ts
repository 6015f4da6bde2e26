import { loadConfig } from './config';
import { openDatabase } from './db';

// `npm run db:migrate`: apply pending migrations to the configured database and exit.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await handle.migrate();
await handle.close();
console.log(`Migrations applied (${handle.kind}).`);
