import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInMediation, createCaseWorld, fileAndConsent, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { createOrg } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

// Every list field reads a whole page in a fixed number of statements: four more rows must not
// add one (no query per row, per field or per viewer check).

const TIMEOUT = 180_000;

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
}, TIMEOUT);
afterAll(async () => ctx?.close());

async function statements<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<{ data: T; count: number }> {
  ctx.queries.length = 0;
  const res = await ctx.gql<T>(query, variables, token);
  expect(res.body.errors).toBeUndefined();
  return { data: res.data, count: ctx.queries.length };
}

const gqlMutation = (name: string, inputType: string) => /* GraphQL */ `
  mutation ($input: ${inputType}!) { ${name}(input: $input) { __typename ... on Error { code message } } }
`;
const SCHEDULE = gqlMutation('scheduleSession', 'ScheduleSessionInput');
const ADD_FACT = gqlMutation('addUndisputedFact', 'AddUndisputedFactInput');

describe('statements per page', () => {
  it('the cases connection with every list field of Case', async () => {
    const QUEUE = /* GraphQL */ `
      query ($r: String) {
        cases(first: 30, regionCode: $r) {
          edges {
            node {
              number
              parties { name role }
              assignments { id kind organization { name } mediator { name } }
              events { seq type }
              sessions { id separate meetingUrl }
              undisputedFacts { id confirmedPartyIds }
              extensions { id days }
              organization { name region { name } }
            }
          }
        }
      }
    `;
    // The village of this file's world: only its own cases, well within one page. One case first,
    // so that every field is resolved (and every loader runs) before the count is taken.
    await fileAndConsent(ctx, w);
    const before = await statements(QUEUE, { r: w.village.code }, w.admin.token);
    expect(before.data.cases.edges.length).toBeLessThanOrEqual(26);
    for (let i = 0; i < 4; i++) await fileAndConsent(ctx, w);
    const after = await statements(QUEUE, { r: w.village.code }, w.admin.token);
    expect(after.data.cases.edges.length).toBeGreaterThanOrEqual(before.data.cases.edges.length + 4);
    expect(after.count).toBe(before.count);
  }, TIMEOUT);

  it('a case page with every list field of Session, for the mediator who sees them in full', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const inHours = (h: number) => new Date(ctx.clock.now().getTime() + h * 3_600_000).toISOString();
    const PAGE = /* GraphQL */ `
      query ($id: ID!) {
        case(id: $id) {
          sessions { id separate meetingUrl place minutes { text version confirmations { partyId version } } messages { seq body } case { number } }
          undisputedFacts { id text confirmedPartyIds }
          extensions { id }
        }
      }
    `;
    const add = async (i: number) => {
      const s = await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt: inHours(48 + i), mode: 'PHONE' } }, mediator.token);
      expect(s.data.scheduleSession.__typename).toBe('ScheduleSessionSuccess');
      const f = await ctx.gql(ADD_FACT, { input: { caseId: c.id, text: `双方确认的事实第${i + 1}项` } }, mediator.token);
      expect(f.data.addUndisputedFact.__typename).toBe('AddUndisputedFactSuccess');
    };
    await add(0);
    const before = await statements(PAGE, { id: c.id }, mediator.token);
    expect(before.data.case.sessions).toHaveLength(1);
    for (let i = 1; i <= 4; i++) await add(i);
    const after = await statements(PAGE, { id: c.id }, mediator.token);
    expect(after.data.case.sessions).toHaveLength(5);
    expect(after.data.case.undisputedFacts).toHaveLength(5);
    // The mediator is a participant of every session: the standing check ran and let them in.
    expect(after.data.case.sessions.every((s: { minutes: unknown }) => s.minutes !== null)).toBe(true);
    expect(after.count).toBe(before.count);
    // The same page for a party reads the same number of statements as for the mediator.
    const party = await statements(PAGE, { id: c.id }, w.applicant.token);
    expect(party.data.case.sessions).toHaveLength(5);
    expect(party.count).toBeLessThanOrEqual(after.count + 1);
  }, TIMEOUT);

  it('the organizations connection with Organization.region', async () => {
    const ORGS = /* GraphQL */ `
      query ($r: String) { organizations(first: 100, regionCode: $r) { edges { node { name region { code name } invitingCourt { name } } } } }
    `;
    const before = await statements(ORGS, { r: w.county.code }, w.admin.token);
    for (let i = 0; i < 4; i++) await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.county.code, categories: ['NEIGHBOR'] });
    const after = await statements(ORGS, { r: w.county.code }, w.admin.token);
    expect(after.data.organizations.edges.length).toBeGreaterThanOrEqual(before.data.organizations.edges.length + 4);
    expect(after.data.organizations.edges.every((e: { node: { region: { code: string } } }) => e.node.region.code.length > 0)).toBe(true);
    expect(after.count).toBe(before.count);
  }, TIMEOUT);
});

describe('statements per filing', () => {
  it('a filing writes its case in at most eight statements inside the transaction', async () => {
    await fileNeighborDispute(ctx, w); // warm: prepared statements and caches are not what is measured
    ctx.queries.length = 0;
    const filed = await fileNeighborDispute(ctx, w);
    const all = [...ctx.queries];
    // The transaction opens with the case row (BEGIN and COMMIT are not in the log): what runs from
    // there is the transaction; what runs before are the reads of the request (session, filer, regions, prior cases).
    const opens = all.findIndex((q) => /^insert into "cases"/.test(q));
    expect(opens).toBeGreaterThan(0);
    const inTransaction = all.slice(opens);
    console.log(`statements per filing (${ctx.kind}): ${all.length} in all, ${inTransaction.length} in the transaction`);
    expect(inTransaction.length).toBeLessThanOrEqual(8);
    expect(inTransaction.filter((q) => /^insert into "events"/.test(q))).toHaveLength(1);
    expect(inTransaction.filter((q) => /^insert into "outbox"/.test(q))).toHaveLength(1);
    expect(inTransaction.filter((q) => /^insert into "case_parties"/.test(q))).toHaveLength(1);
    expect(all.length).toBeLessThanOrEqual(11);
    // What was written is the whole case: parties linked, its chain verifies, the clock is stored.
    const CHECK = /* GraphQL */ `
      query ($id: ID!) { case(id: $id) { number status contactDueAt parties { role consent } events { seq type afterStatus } recordVerification { valid count } deadlines { kind open } } }
    `;
    const res = await ctx.gql(CHECK, { id: filed.id }, w.applicant.token);
    const c = res.data.case;
    expect(c.status).toBe('AWAITING_RESPONDENT');
    expect(c.number).toMatch(/^（\d{4}）.+调登字第\d+号$/);
    expect(c.contactDueAt).not.toBeNull();
    expect(c.parties.map((p: { role: string; consent: string }) => `${p.role}:${p.consent}`)).toEqual(['APPLICANT:ACCEPTED', 'RESPONDENT:PENDING']);
    expect(c.events.map((e: { seq: number; type: string }) => `${e.seq}:${e.type}`)).toEqual(['1:case.filed', '2:case.intake_passed']);
    expect(c.recordVerification).toEqual({ valid: true, count: 2 });
    expect(c.deadlines).toEqual([{ kind: 'RESPONDENT_CONTACT', open: true }]);
  }, TIMEOUT);
});
