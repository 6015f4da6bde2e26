import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilable, compiledDocuments, RUNS_BEFORE_COMPILING } from '../../server/graphql/compiled-queries';
import { schema } from '../../server/graphql/schema';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { createTestContext, type TestContext } from '../support/harness';

const TIMEOUT = 180_000;
const CASE_PAGE = readFileSync(new URL('../../web/src/case-query.ts', import.meta.url), 'utf8').match(/graphql\(`([\s\S]*?)`\)/)![1]!;
/** graphql-jit's marker for a date in the code it writes for literal arguments. */
const MARKER = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d';

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx, { villageMediators: 1 });
}, TIMEOUT);
afterAll(async () => ctx?.close());

declare global {
  // Set only by code a crafted document would run.
  var jiefenInjected: number | undefined;
}

describe('queries run compiled after their first runs', () => {
  it('answer the web client’s case page the same compiled as on the standard executor, for the party and the mediator', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    // A query text of its own (a comment makes it one), so its runs are counted from zero here.
    const page = `# compiled-queries test\n${CASE_PAGE}`;
    for (const token of [w.applicant.token, mediator.token]) {
      const query = `${page}\n# ${token.slice(-8)}`;
      const before = compiledDocuments();
      const answers: { data?: any; errors?: unknown }[] = [];
      for (let run = 1; run <= RUNS_BEFORE_COMPILING + 2; run++) {
        const res = await ctx.gql(query, { id: c.id }, token);
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        answers.push(res.body);
        expect(compiledDocuments(), `after run ${run}`).toBe(before + (run > RUNS_BEFORE_COMPILING ? 1 : 0));
      }
      expect(answers[0]!.data.case.id).toBe(c.id);
      expect(answers[0]!.data.case.events.length).toBeGreaterThan(0);
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    }
  }, TIMEOUT);

  it('give variables that do not coerce the standard executor’s errors', async () => {
    const query = `# bad variables\nquery ($id: ID!, $first: Int) { case(id: $id) { id } cases(first: $first) { edges { node { id } } } }`;
    const bad = { id: 'x', first: 'many' };
    const standard = await ctx.gql(query, bad, w.applicant.token);
    expect(standard.body.errors?.[0]?.message).toMatch(/\$first/);
    for (let run = 2; run <= RUNS_BEFORE_COMPILING; run++) expect((await ctx.gql(query, { id: 'x', first: 1 }, w.applicant.token)).body.errors).toBeUndefined();
    const before = compiledDocuments();
    expect((await ctx.gql(query, { id: 'x', first: 1 }, w.applicant.token)).body.errors).toBeUndefined();
    expect(compiledDocuments()).toBe(before + 1);
    const compiled = await ctx.gql(query, bad, w.applicant.token);
    expect(compiled.status).toBe(standard.status);
    expect(compiled.body).toEqual(standard.body);
  }, TIMEOUT);

  it('never compile a document with a string literal, so a crafted one runs nothing', async () => {
    const crafted = `{ case(id: ${JSON.stringify(`${MARKER}0+(globalThis.jiefenInjected=1)`)}) { id } }`;
    // What the rule prevents: compiled directly, the document runs the text as code.
    globalThis.jiefenInjected = undefined;
    const direct = compileQuery(schema, parse(crafted));
    expect(isCompiledQuery(direct)).toBe(true);
    if (isCompiledQuery(direct)) await direct.query(undefined, {}, {});
    expect(globalThis.jiefenInjected).toBe(1);
    globalThis.jiefenInjected = undefined;

    expect(compilable(parse(crafted))).toBeNull();
    const before = compiledDocuments();
    for (let run = 0; run < RUNS_BEFORE_COMPILING + 3; run++) {
      const res = await ctx.gql(crafted, {}, w.applicant.token);
      expect(res.status).toBe(200);
      expect(res.data.case).toBeNull();
    }
    expect(compiledDocuments()).toBe(before);
    expect(globalThis.jiefenInjected).toBeUndefined();
  }, TIMEOUT);

  it('compile one query operation only: not a mutation, a subscription or a document of two operations', () => {
    expect(compilable(parse('query ($id: ID!) { case(id: $id) { id } }'))).not.toBeNull();
    expect(compilable(parse('query { regions { code } }'))).not.toBeNull();
    expect(compilable(parse('mutation ($input: LoginInput!) { login(input: $input) { __typename } }'))).toBeNull();
    expect(compilable(parse('subscription ($id: ID!) { sessionRoom(sessionId: $id) { seq } }'))).toBeNull();
    expect(compilable(parse('query A { regions { code } } query B { me { id } }'))).toBeNull();
    // A string anywhere: an argument, a list, an input object, a variable's default, a directive, a block string.
    for (const doc of [
      'query { regions(parentCode: "53") { code } }',
      'query ($s: String = "x") { regions { code } }',
      'query { regions { code @include(if: true) name } cases(status: [MEDIATING], regionCode: """53""") { edges { cursor } } }',
    ]) expect(compilable(parse(doc)), doc).toBeNull();
  });
});

describe('GRAPHQL_COMPILED_QUERIES=false', () => {
  it('runs every request on the standard executor', async () => {
    const off = await createTestContext({ config: { GRAPHQL_COMPILED_QUERIES: 'false' } });
    try {
      expect(off.deps.config.compiledQueries).toBe(false);
      expect(ctx.deps.config.compiledQueries).toBe(true);
      const before = compiledDocuments();
      for (let run = 0; run < RUNS_BEFORE_COMPILING + 3; run++) expect((await off.gql('# off\nquery { regions { code } }')).body.errors).toBeUndefined();
      expect(compiledDocuments()).toBe(before);
    } finally {
      await off.close();
    }
  }, TIMEOUT);
});
