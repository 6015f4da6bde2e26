import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Integrators diff the committed SDL to see what changed; a stale file hides a contract change.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SDL_FILE = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));

// printedSchema() runs in a plain Node process, exactly as `npm run schema:print` runs it: inside the
// test runner graphql would be loaded twice (its CommonJS and ESM builds) and refuse to print.
function printedSchema(): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e',
      "const { printedSchema } = await import('./server/graphql/schema.ts'); process.stdout.write(printedSchema());"],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
  );
}

let current: string;
beforeAll(() => {
  current = printedSchema();
});

describe('committed schema', () => {
  it('matches the schema the server builds', () => {
    let committed = '';
    try {
      committed = readFileSync(SDL_FILE, 'utf8');
    } catch {
      // a missing file fails the comparison below, with the same hint
    }
    expect(current).toMatch(/type Query \{/);
    expect(committed === current, 'schema/schema.graphql is stale: run npm run schema:print and commit the result').toBe(true);
  });

  it('keeps the operation names of the API contract', () => {
    for (const name of [
      'register(input: RegisterInput!): RegisterResult!',
      'login(input: LoginInput!): LoginResult!',
      'createOrganization(input: CreateOrganizationInput!): CreateOrganizationResult!',
      'createMediator(input: CreateMediatorInput!): CreateMediatorResult!',
      'createApiClient(input: CreateApiClientInput!): CreateApiClientResult!',
      'regions(parentCode: String): [Region!]!',
      'node(id: ID!): Node',
      'me: User',
    ]) {
      expect(current).toContain(name);
    }
    expect(current).toMatch(/interface Error \{\s+code: ErrorCode!\s+message: String!\s+\}/);
  });
});
