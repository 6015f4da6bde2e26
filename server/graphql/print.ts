import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from './schema';

/** `npm run schema:print`: writes the committed SDL that clients and CI compare against. */
export const SDL_FILE = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
writeFileSync(SDL_FILE, printedSchema());
console.log('Wrote schema/schema.graphql');
