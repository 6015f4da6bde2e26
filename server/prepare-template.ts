import { ensureTemplate } from './db-template';

// `npm run build -- --template` (and the install step): prepare the embedded database template now,
// so that the first start of a new embedded database only restores it.
const started = performance.now();
const { path, built } = await ensureTemplate();
console.log(`embedded database template ${built ? 'built' : 'up to date'} in ${Math.round(performance.now() - started)} ms: ${path}`);
