import { GraphQLError, parse } from 'graphql';
import { parse as clientParse, print as clientPrint } from '@0no-co/graphql.web';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServerErrors, compilable, compiledDocuments, RUNS_BEFORE_COMPILING } from '../../server/graphql/compiled-queries';
import { webClientDocuments } from '../../server/graphql/client-documents';
import { schema } from '../../server/graphql/schema';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { createTestContext, type TestContext } from '../support/harness';
import { PASSWORD } from '../support/factories';
import { webDocument } from '../support/web-documents';

const TIMEOUT = 180_000;
const CASE_PAGE = webDocument('case-query.ts');
const QUEUE = webDocument('pages/mediator-queue.tsx');
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
  it('answer the web client’s case page the same compiled as on the standard executor, for the mediator and the party, compiling it once', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    expect(RUNS_BEFORE_COMPILING).toBe(2);
    // Two query texts of one document: as the web client sends it (gql.tada parses, graphql.web
    // prints) and the source text with a comment. Their runs count together, and it is compiled once.
    const viewers = [
      { token: mediator.token, query: `# compiled-queries test\n${CASE_PAGE}`, answers: [] as { data?: any; errors?: unknown }[] },
      { token: w.applicant.token, query: clientPrint(clientParse(CASE_PAGE)), answers: [] as { data?: any; errors?: unknown }[] },
    ];
    const before = compiledDocuments();
    // Round 1: both on the standard executor (runs 1 and 2); rounds 2 and 3: compiled (from run 3).
    for (let round = 1; round <= 3; round++) {
      for (const v of viewers) {
        const res = await ctx.gql(v.query, { id: c.id }, v.token);
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        v.answers.push(res.body);
      }
      expect(compiledDocuments(), `after round ${round}`).toBe(before + (round > 1 ? 1 : 0));
    }
    for (const v of viewers) {
      expect(v.answers[0]!.data.case.id).toBe(c.id);
      expect(v.answers[0]!.data.case.events.length).toBeGreaterThan(0);
      for (const answer of v.answers.slice(1)) expect(answer).toEqual(v.answers[0]);
    }
    // What each viewer reads differs (the other side's phone, masked for the party): two answers, not one.
    expect(viewers[0]!.answers[0]).not.toEqual(viewers[1]!.answers[0]);
  }, TIMEOUT);

  it('give variables that do not coerce the standard executor’s errors', async () => {
    const { mediator } = await caseInMediation(ctx, w);
    const query = `# bad variables\n${QUEUE}`;
    const bad = { status: ['NOT_A_STATUS'] };
    const standard = await ctx.gql(query, bad, mediator.token);
    expect(standard.body.errors?.[0]?.message).toMatch(/\$status/);
    for (let run = 2; run <= RUNS_BEFORE_COMPILING; run++) expect((await ctx.gql(query, {}, mediator.token)).body.errors).toBeUndefined();
    const before = compiledDocuments();
    const good = await ctx.gql(query, { status: ['MEDIATING'] }, mediator.token);
    expect(good.body.errors).toBeUndefined();
    expect(good.data.cases.edges.length).toBeGreaterThan(0);
    expect(compiledDocuments()).toBe(before + 1);
    const compiled = await ctx.gql(query, bad, mediator.token);
    expect(compiled.status).toBe(standard.status);
    expect(compiled.body).toEqual(standard.body);
  }, TIMEOUT);

  it('compile only the platform’s own documents: another query, however plain, runs on the standard executor', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    expect(webClientDocuments().size).toBeGreaterThan(10);
    const before = compiledDocuments();
    // A plain query of its own, and one whose aliases would give graphql-jit's code two fields of one name.
    for (const query of [
      'query ($id: ID!) { case(id: $id) { id number } }',
      'query ($id: ID!) { mediators_organization_c: cases { edges { node { id description } } } c: case(id: $id) { organization { mediators { edges { node { id } } } } } }',
    ]) {
      const answers = [];
      for (let run = 0; run < RUNS_BEFORE_COMPILING + 3; run++) answers.push((await ctx.gql(query, { id: c.id }, mediator.token)).body);
      expect(answers[0]!.errors).toBeUndefined();
      for (const a of answers) expect(a).toEqual(answers[0]);
    }
    expect(compiledDocuments()).toBe(before);
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
    // Aliases and directives: fields of one name in the code, and conditions graphql-jit combines otherwise.
    expect(compilable(parse('query { r: regions { code } }'))).toBeNull();
    expect(compilable(parse('query { regions { __proto__: code } }'))).toBeNull();
    expect(compilable(parse('query ($x: Boolean!) { regions { code @include(if: $x) } }'))).toBeNull();
    // A string anywhere: an argument, a list, an input object, a variable's default, a directive, a block string.
    for (const doc of [
      'query { regions(parentCode: "53") { code } }',
      'query ($s: String = "x") { regions { code } }',
      'query { cases(status: [MEDIATING], regionCode: """53""") { edges { cursor } } }',
    ]) expect(compilable(parse(doc)), doc).toBeNull();
  });
});

describe('what compiled code raises itself', () => {
  it('is a server error: given an original error, so the masking logs it and answers "Unexpected error."', () => {
    const raised = { data: { a: null }, errors: [new GraphQLError('Invalid time value', { path: ['a'] })] };
    const out = asServerErrors(raised);
    expect(out.errors![0]!.originalError).toBeInstanceOf(Error);
    expect(out.errors![0]!.path).toEqual(['a']);
    const thrown = new GraphQLError('from a resolver', { originalError: new Error('x') });
    expect(asServerErrors({ errors: [thrown] }).errors![0]).toBe(thrown);
  });
});

describe('variables with a key `__proto__`', () => {
  it('keep it as a key: an input object cannot pass its fields through a prototype', async () => {
    const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { __typename ... on Error { code } } }';
    const res = await ctx.gql(LOGIN, { input: JSON.parse(`{"__proto__": {"phone": "${w.applicant.phone}", "password": "${PASSWORD}"}}`) });
    expect(res.body.errors?.[0]?.message).toMatch(/__proto__|phone/);
    expect(res.data?.login ?? null).toBeNull();
  }, TIMEOUT);
});

describe('GRAPHQL_COMPILED_QUERIES=false', () => {
  it('runs every request on the standard executor', async () => {
    const off = await createTestContext({ config: { GRAPHQL_COMPILED_QUERIES: 'false' } });
    try {
      expect(off.deps.config.compiledQueries).toBe(false);
      expect(ctx.deps.config.compiledQueries).toBe(true);
      // The web client's regions query, which the default configuration compiles from its third run.
      const regions = 'query Regions($parentCode: String) { regions(parentCode: $parentCode) { code name level } }';
      const runs = async (c: TestContext, query: string) => {
        const before = compiledDocuments();
        for (let run = 0; run < RUNS_BEFORE_COMPILING + 3; run++) expect((await c.gql(query, { parentCode: '532924' })).data.regions.length).toBeGreaterThan(0);
        return compiledDocuments() - before;
      };
      expect(await runs(ctx, `# on\n${regions}`)).toBe(1);
      expect(await runs(off, `# off\n${regions}`)).toBe(0);
    } finally {
      await off.close();
    }
  }, TIMEOUT);
});
