import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWorld, fileAndConsent, type CaseWorld } from '../support/case-world';
import { createTestContext, type TestContext } from '../support/harness';

// A queue that asks only for the fields a queue shows reads only the columns they resolve from
// (server/graphql/case.ts, QUEUE_COLUMNS); any other field brings back the whole row. Either way
// the answer is the same.

const TIMEOUT = 180_000;

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx, { villageMediators: 1 });
  for (let i = 0; i < 3; i++) await fileAndConsent(ctx, w);
}, TIMEOUT);
afterAll(async () => ctx?.close());

const QUEUE_FIELDS = 'id number title status category level riskLevel regionCode dueAt createdAt updatedAt acceptedAt channel overdue organization { name } mediator { name } __typename';

/** The queue with these fields on each case, the statement that read its cases, and the answer. */
async function queue(nodeFields: string, fragments = '') {
  ctx.queries.length = 0;
  const res = await ctx.gql<any>(`query ($r: String) { cases(first: 10, regionCode: $r) { edges { cursor node { ${nodeFields} } } pageInfo { endCursor } } } ${fragments}`, { r: w.village.code }, w.villageMediators[0]!.token);
  expect(res.body.errors).toBeUndefined();
  const statement = ctx.queries.find((q) => /^select .* from "cases"/.test(q) && q.includes('limit'));
  expect(statement).toBeDefined();
  return { data: res.data.cases, statement: statement! };
}

describe('the cases connection reads the columns its fields need', () => {
  it('a queue of the queue’s fields reads their columns only, and answers as the whole row does', async () => {
    const light = await queue(QUEUE_FIELDS);
    expect(light.data.edges.length).toBeGreaterThanOrEqual(3);
    expect(light.statement).not.toContain('"description"');
    expect(light.statement).toContain('"risk_rank"');
    // One field more (the description) and the statement reads every column.
    const whole = await queue(`${QUEUE_FIELDS} description`);
    expect(whole.statement).toContain('"description"');
    expect(whole.statement).toContain('"routing"');
    for (const [i, e] of whole.data.edges.entries()) {
      expect(e.node.description.length).toBeGreaterThan(0);
      const { description: _d, ...rest } = e.node;
      expect(light.data.edges[i].node).toEqual(rest);
      expect(light.data.edges[i].cursor).toBe(e.cursor);
    }
    expect(light.data.edges.some((e: { node: { mediator: unknown } }) => e.node.mediator !== null)).toBe(true);
    expect(light.data.pageInfo.endCursor).toBe(whole.data.pageInfo.endCursor);
  }, TIMEOUT);

  it('fields asked for in fragments count: one outside the queue’s reads the whole row', async () => {
    const named = await queue('...F', 'fragment F on Case { number ... on Case { description } }');
    expect(named.statement).toContain('"description"');
    expect(named.data.edges[0].node.description.length).toBeGreaterThan(0);
    const inline = await queue('number ... on Case { riskSignals { code } claims }');
    expect(inline.statement).toContain('"risk_signals"');
    expect(Array.isArray(inline.data.edges[0].node.riskSignals)).toBe(true);
    const onlyQueue = await queue('...F', 'fragment F on Case { number title ... on Case { status overdue } }');
    expect(onlyQueue.statement).not.toContain('"description"');
    expect(onlyQueue.data.edges[0].node.status).toMatch(/^[A-Z_]+$/);
  }, TIMEOUT);

  it('a field outside the queue’s (a list field) reads the whole row', async () => {
    const withParties = await queue('number parties { name role }');
    expect(withParties.statement).toContain('"description"');
    expect(withParties.data.edges[0].node.parties.length).toBeGreaterThanOrEqual(2);
  }, TIMEOUT);
});
