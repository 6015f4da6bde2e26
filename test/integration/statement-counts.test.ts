import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/db';
import { textPerKey } from '../../server/db-prepared';
import { messageRows, messagesInsert } from '../../server/domain/outbox/enqueue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInMediation, createCaseWorld, fileAndConsent, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { ACCEPT_APP, courtClient, jointlyApply, REQUEST_SUPPLEMENT, settledCase } from '../support/confirmation-world';
import { adminOf, courtOf, createMediatorAccount, createOrg } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { webDocument } from '../support/web-documents';

// Every list field reads a whole page in a fixed number of statements: four more rows must not
// add one (no query per row, per field or per viewer check).

const TIMEOUT = 180_000;

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx, { villageMediators: 1 });
}, TIMEOUT);
afterAll(async () => ctx?.close());

async function statements<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<{ data: T; count: number }> {
  ctx.queries.length = 0;
  const res = await ctx.gql<T>(query, variables, token);
  expect(res.body.errors).toBeUndefined();
  return { data: res.data, count: ctx.queries.length };
}

/** The table a statement reads from: its first FROM outside parentheses (a column's subquery comes before it). */
function tableOf(statement: string): string | null {
  let outer = statement;
  while (/\([^()]*\)/.test(outer)) outer = outer.replace(/\([^()]*\)/g, '');
  return /^select .*? from "([a-z_]+)"/.exec(outer)?.[1] ?? null;
}

const gqlMutation = (name: string, inputType: string) => /* GraphQL */ `
  mutation ($input: ${inputType}!) { ${name}(input: $input) { __typename ... on Error { code message } } }
`;
const SCHEDULE = gqlMutation('scheduleSession', 'ScheduleSessionInput');
const ADD_FACT = gqlMutation('addUndisputedFact', 'AddUndisputedFactInput');

/** Every field of Case that reads per case, with the list fields of what it holds, in two halves. */
const CASE_FIELDS = {
  people: /* GraphQL */ `
    fragment F on Case {
      number status overdue
      parties { name role phone idNumber address agents { name } }
      assignments { id kind organization { name } mediator { name } }
      events { seq type ip userAgent data }
      sessions { id separate meetingUrl minutes { version confirmations { partyId } } messages { seq } }
      undisputedFacts { id confirmedPartyIds }
      extensions { id days answers { partyId } }
      deadlines { kind open }
      routing { reasons alternatives { organizationName } }
      organization { name region { name } }
      mediator { name organization { name } }
      delegatingCourt { name }
    }
  `,
  records: /* GraphQL */ `
    fragment F on Case {
      agreement { number signatures { name } }
      agreements { number signatures { name } }
      confirmation { id status }
      enforcementApplications { id applicantName }
      evidence { title uploaderName }
      followUps { id status }
      lead { id }
      litigationTransfer { id }
      ratings { id score }
      supervisionOrders { id status }
      termination { ground }
      recordVerification { valid count }
    }
  `,
};

describe('statements per page', () => {
  it('the cases connection with every field of Case, for an admin and for the mediator', async () => {
    // The query cost limit keeps one query from asking for every field of a page at once: two halves.
    const queue = (fragment: string) => /* GraphQL */ `
      query ($r: String) { cases(first: 5, regionCode: $r) { edges { node { ...F } } } }
      ${fragment}
    `;
    // The village of this file's world, whose one mediator takes every case: one case first, so
    // that every field is resolved (and every loader runs) before the count is taken.
    await fileAndConsent(ctx, w);
    const mediator = w.villageMediators[0]!;
    const measure = async () => {
      const out: Record<string, { n: number; count: number; byIds: string[] }> = {};
      for (const [half, fragment] of Object.entries(CASE_FIELDS)) {
        for (const [who, token] of [['admin', w.admin.token], ['mediator', mediator.token]] as const) {
          const r = await statements(queue(fragment), { r: w.village.code }, token);
          expect(r.data.cases.edges.every((e: { node: { recordVerification?: { valid: boolean } } }) => e.node.recordVerification?.valid !== false)).toBe(true);
          // The prepared reads take their ids as one array (the first placeholder of most); a page of
          // one case runs each one's text for exactly one id, written here as the other to compare.
          const byIds = ctx.queries.map((q) => q.replaceAll('= ($1::uuid[])[1]', '= any($1::uuid[])')).filter((q) => q.includes('= any($1::uuid[])'));
          out[`${half} as ${who}`] = { n: r.data.cases.edges.length, count: r.count, byIds };
        }
      }
      return out;
    };
    await measure(); // warm: a token's first use records it (one more statement, once)
    const before = await measure();
    for (let i = 0; i < 4; i++) await fileAndConsent(ctx, w);
    const after = await measure();
    for (const key of Object.keys(before)) {
      console.log(`cases page, ${key} (${ctx.kind}): ${before[key]!.count} statements for ${before[key]!.n} cases, ${after[key]!.count} for ${after[key]!.n}`);
      expect(before[key]!.n, key).toBe(1);
      expect(after[key]!.n, key).toBe(5);
    }
    for (const key of Object.keys(before)) expect(after[key]!.count, key).toBe(before[key]!.count);
    // Their text is the same for one case and for five (so each is built and prepared once): the
    // page's parties, assignments, deadlines, extensions, organisations, mediators, and (prepared
    // per shape of viewer) its sessions. These cases hold no undisputed facts yet: the statement
    // that asks which records each case holds answers for them, and they are not read (the test of
    // those records below reads one).
    const people = after['people as mediator']!.byIds.map(tableOf);
    expect(new Set(people)).toEqual(new Set(['case_parties', 'case_assignments', 'deadlines', 'mediation_extensions', 'organizations', 'mediators', 'mediation_sessions']));
    for (const key of Object.keys(before)) expect(after[key]!.byIds, key).toEqual(before[key]!.byIds);
  }, TIMEOUT);

  it('a case page with every list field of Session, for the mediator who sees them in full', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const inHours = (h: number) => new Date(ctx.clock.now().getTime() + h * 3_600_000).toISOString();
    const PAGE = /* GraphQL */ `
      query ($id: ID!) {
        case(id: $id) {
          sessions { id kind mode status startsAt place meetingUrl participantPartyIds separate cancelReason minutes { text version lockedAt sha256 confirmations { partyId version } } messages { seq body } case { number } }
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
    console.log(`case page with every Session field (${ctx.kind}): ${before.count} statements for 1 session, ${after.count} for 5`);
    expect(after.count).toBe(before.count);
    // The same page for a party reads the same number of statements as for the mediator.
    const party = await statements(PAGE, { id: c.id }, w.applicant.token);
    expect(party.data.case.sessions).toHaveLength(5);
    expect(party.count).toBeLessThanOrEqual(after.count + 1);
  }, TIMEOUT);

  it('the web client’s case page reads its case, the login and the account once each', async () => {
    const PAGE = webDocument('case-query.ts');
    const { case: c, mediator } = await caseInMediation(ctx, w);
    // The mediator's own mediator row (their standing) and their organisation's region (their
    // scope) come with the login: their page costs what the party's does.
    for (const [token, most] of [[w.applicant.token, 15], [mediator.token, 15]] as const) {
      const page = await statements(PAGE, { id: c.id }, token);
      expect(page.data.case.id).toBe(c.id);
      expect(page.data.me).not.toBeNull();
      // What the carried facts decide: the case's mediator reads every party's phone in full; the
      // applicant reads their own in full and the other side's masked.
      const phones = page.data.case.parties.map((p: { role: string; phone: string }) => [p.role, p.phone]);
      expect(phones).toHaveLength(2);
      for (const [role, phone] of phones) expect(phone, role).toMatch(token === mediator.token || role === 'APPLICANT' ? /^\d{11}$/ : /\*/);
      // The table each statement reads from (its first FROM outside parentheses, see tableOf).
      const from = ctx.queries.map(tableOf);
      expect(from.filter((t) => t === 'cases')).toHaveLength(1);
      expect(from.filter((t) => t === 'users')).toHaveLength(0);
      expect(from.filter((t) => t === 'sessions')).toHaveLength(1);
      // No lookup of the viewer's own mediator row (\b: a rule's subquery may compare with a later placeholder, $14).
      expect(ctx.queries.filter((q) => /from "mediators" where "mediators"\."user_id" = \$1\b/.test(q))).toEqual([]);
      expect(ctx.queries.filter((q) => /^select "region_code" from "organizations"/.test(q))).toEqual([]);
      console.log(`the web client's case page (${ctx.kind}): ${page.count} statements`);
      expect(page.count).toBeLessThanOrEqual(most);
    }
  }, TIMEOUT);

  it('a case’s sessions bring their minutes’ confirmations: asking for them costs no statement', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const inHours = (h: number) => new Date(ctx.clock.now().getTime() + h * 3_600_000).toISOString();
    const MINUTES = gqlMutation('updateMinutes', 'UpdateMinutesInput');
    const CONFIRM = gqlMutation('confirmMinutes', 'ConfirmMinutesInput');
    for (let i = 0; i < 2; i++) expect((await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt: inHours(48 + i), mode: 'PHONE' } }, mediator.token)).data.scheduleSession.__typename).toBe('ScheduleSessionSuccess');
    const sessionIds = (await ctx.gql(`query ($id: ID!) { case(id: $id) { sessions { id } } }`, { id: c.id }, mediator.token)).data.case.sessions.map((s: { id: string }) => s.id);
    expect(sessionIds).toHaveLength(2);
    for (const sessionId of sessionIds) {
      expect((await ctx.gql(MINUTES, { input: { sessionId, text: '双方到场，陈述各自意见。' } }, mediator.token)).data.updateMinutes.__typename).toBe('UpdateMinutesSuccess');
      expect((await ctx.gql(CONFIRM, { input: { sessionId, version: 1 } }, w.applicant.token)).data.confirmMinutes.__typename).toBe('ConfirmMinutesSuccess');
    }
    const page = (minutes: string) => `query ($id: ID!) { case(id: $id) { sessions { id minutes { ${minutes} } } } }`;
    for (const token of [mediator.token, w.applicant.token]) {
      const without = await statements(page('version'), { id: c.id }, token);
      const withConfirmations = await statements(page('version confirmations { partyId version confirmedAt }'), { id: c.id }, token);
      expect(withConfirmations.data.case.sessions.map((s: { minutes: { confirmations: unknown[] } }) => s.minutes.confirmations.length)).toEqual([1, 1]);
      expect(withConfirmations.count).toBe(without.count);
    }
  }, TIMEOUT);

  it('the logged-in user’s own account (`me`) comes with the login: one statement, and it is theirs', async () => {
    const ME = /* GraphQL */ `query { me { id name phone role } }`;
    const party = await statements(ME, {}, w.applicant.token);
    expect(party.data.me).toMatchObject({ name: '李秀英', phone: w.applicant.phone, role: 'PARTY' });
    expect(party.count).toBe(1);
    const mediator = await statements(ME, {}, w.villageMediators[0]!.token);
    expect(mediator.data.me.role).toBe('MEDIATOR');
    expect(mediator.data.me.id).not.toBe(party.data.me.id);
    expect(mediator.count).toBe(1);
    // Anonymous: no login to look up, no account.
    const anonymous = await statements(ME, {}, '');
    expect(anonymous.data.me).toBeNull();
    expect(anonymous.count).toBe(0);
  }, TIMEOUT);

  it('the organizations connection with every list field of Organization (region, roster)', async () => {
    const ORGS = /* GraphQL */ `
      query ($r: String) {
        organizations(first: 10, regionCode: $r) {
          edges { node { name region { code name } invitingCourt { name } mediators(first: 3) { edges { node { name organization { name } languages { code } } } pageInfo { hasNextPage } } } }
        }
      }
    `;
    const before = await statements(ORGS, { r: w.county.code }, w.admin.token);
    for (let i = 0; i < 4; i++) {
      const org = await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.county.code, categories: ['NEIGHBOR'] });
      await createMediatorAccount(ctx, w.admin.token, org, { categories: ['NEIGHBOR'] });
    }
    const after = await statements(ORGS, { r: w.county.code }, w.admin.token);
    const edges = after.data.organizations.edges as { node: { region: { code: string }; mediators: { edges: unknown[] } } }[];
    expect(edges.length).toBeGreaterThanOrEqual(before.data.organizations.edges.length + 4);
    expect(edges.every((e) => e.node.region.code.length > 0)).toBe(true);
    // Each new committee lists its one mediator: the roster window is per organisation.
    expect(edges.filter((e) => e.node.mediators.edges.length === 1).length).toBeGreaterThanOrEqual(5);
    console.log(`organizations page with region and roster (${ctx.kind}): ${before.count} statements for ${before.data.organizations.edges.length} organisations, ${after.count} for ${edges.length}`);
    expect(after.count).toBe(before.count);
  }, TIMEOUT);
});

describe('statements per page of a court', () => {
  it('the court’s applications connection with materials, supplements and what each refers to', async () => {
    const admin = await adminOf(ctx);
    const court = await courtClient(ctx, admin.token, await courtOf(ctx, admin.token, w.county.code));
    const APPS = /* GraphQL */ `
      query { confirmationApplications(first: 20) { edges { node {
        id status applicants { name } court { name } agreement { number } case { number }
        materials { agreement { sha256 } parties { name idNumber } organization { name } }
        supplements { items answer }
      } } } }
    `;
    const oneMore = async () => {
      const { agreementId } = await settledCase(ctx, w);
      const app = await jointlyApply(ctx, w, agreementId, court.court);
      const accepted = await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
      expect(accepted.data.acceptConfirmationApplication.__typename).toBe('AcceptConfirmationApplicationSuccess');
      const dueAt = new Date(ctx.clock.now().getTime() + 5 * 86_400_000).toISOString();
      const asked = await ctx.gql(REQUEST_SUPPLEMENT, { input: { applicationId: app.id, dueAt, items: ['双方身份证明复印件'] } }, court.secret);
      expect(asked.data.requestSupplement.__typename).toBe('RequestSupplementSuccess');
    };
    await oneMore();
    const before = await statements(APPS, {}, court.secret);
    for (let i = 0; i < 4; i++) await oneMore();
    const after = await statements(APPS, {}, court.secret);
    const nodes = after.data.confirmationApplications.edges.map((e: { node: unknown }) => e.node) as { supplements: unknown[]; materials: unknown }[];
    expect(nodes.length).toBe(before.data.confirmationApplications.edges.length + 4);
    // The court reads the materials and each application's request for more.
    expect(nodes.every((n) => n.supplements.length === 1 && n.materials !== null)).toBe(true);
    console.log(`court applications page (${ctx.kind}): ${before.count} statements for ${before.data.confirmationApplications.edges.length} applications, ${after.count} for ${nodes.length}`);
    expect(after.count).toBe(before.count);
  }, TIMEOUT);
});

describe('statements per filing', () => {
  it('a filing writes its whole case in one statement, after the reads of the request', async () => {
    await fileNeighborDispute(ctx, w); // warm: prepared statements and caches are not what is measured
    ctx.queries.length = 0;
    const filed = await fileNeighborDispute(ctx, w);
    const all = [...ctx.queries];
    console.log(`statements per filing (${ctx.kind}): ${all.length} in all, ${all.filter((q) => /insert into/.test(q)).length} writing`);
    // The reads of the request (the login, which carries the filer's address; the divisions; prior
    // cases), then one statement that writes the case: its number, row, parties, events, first
    // clock and messages, whole or not at all.
    const writes = all.filter((q) => /insert into|update |delete from/.test(q));
    expect(writes).toHaveLength(1);
    expect(all.at(-1)).toBe(writes[0]);
    for (const table of ['case_number_counters', 'cases', 'case_parties', 'events', 'deadlines', 'outbox']) {
      expect(writes[0]!.match(new RegExp(`insert into "${table}"`, 'g'))).toHaveLength(1);
    }
    expect(all.length).toBeLessThanOrEqual(4);
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
    // The respondent's invitation carries the number the case was given, not what stood for it.
    const invited = await queryRows<{ payload: { caseNumber: string } }>(ctx.deps.db, sql`select o.payload from outbox o join cases k on k.id = o.case_id where k.number = ${c.number} and o.topic = 'case.respondent_invited'`);
    expect(invited.map((m) => m.payload.caseNumber)).toEqual([c.number]);
  }, TIMEOUT);
});

describe('messages written with the case', () => {
  it('the number a message carries is written as JSON writes it, wherever its stand-in stands', async () => {
    const value = '（2026）"宾\\川调登字第1号';
    const rows = await textPerKey()(
      ctx.deps.db,
      'escape',
      () => sql`with o as (${messagesInsert(sql`${sql.placeholder('value')}::text`)} returning payload) select payload from o`,
      {
        ...messageRows([{ kind: 'NOTIFICATION', topic: 'test.escape', recipient: '13700000000', payload: { caseNumber: 'STAND-IN', line: '案号 STAND-IN 已登记' } }], new Date(), 'STAND-IN'),
        value,
      },
    );
    expect(rows.map((r) => r.payload)).toEqual([{ caseNumber: value, line: `案号 ${value} 已登记` }]);
  }, TIMEOUT);
});

describe('reads a viewer could never see', () => {
  it('a case page reads each kind of record only for the cases holding one the viewer may see, and never in a mutation', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const page = /* GraphQL */ `query ($id: ID!) { case(id: $id) { id supervisionOrders { id } ratings { id } followUps { id } agreement { id } confirmation { id } evidence { id } undisputedFacts { id text } } }`;
    // The statement that says which kinds each case holds, and the table each other statement reads its rows from.
    const isRecords = (q: string) => q.startsWith('select k.id::text as id, exists');
    const read = () => ctx.queries.filter((q) => !isRecords(q)).map(tableOf);
    const RECORDS = ['supervision_orders', 'mediation_ratings', 'follow_ups', 'agreements', 'confirmation_applications', 'undisputed_facts'];
    // None yet: one statement answers for every kind, and no kind's own read runs (evidence is read as before).
    for (const token of [w.applicant.token, w.admin.token]) {
      const none = await statements(page, { id: c.id }, token);
      expect(none.data.case).toEqual({ id: c.id, supervisionOrders: [], ratings: [], followUps: [], agreement: null, confirmation: null, evidence: [], undisputedFacts: [] });
      expect(ctx.queries.filter(isRecords)).toHaveLength(1);
      expect(read().filter((t) => RECORDS.includes(t ?? ''))).toEqual([]);
    }
    // An order on the case, issued by a mutation that reads the case's records in its answer: a
    // mutation asks nothing ahead, and reads what it has just written.
    const dueAt = new Date(ctx.clock.now().getTime() + 5 * 86_400_000).toISOString();
    ctx.queries.length = 0;
    const issued = await ctx.gql(
      `mutation($input: IssueSupervisionOrderInput!) { issueSupervisionOrder(input: $input) { __typename ... on IssueSupervisionOrderSuccess { order { id case { supervisionOrders { id } ratings { id } } } } ... on Error { code message } } }`,
      { input: { caseId: c.id, reason: '群众反映调解进展缓慢', requiredAction: '三日内组织双方当面调解并报告结果', dueAt } },
      w.admin.token,
    );
    expect(issued.data.issueSupervisionOrder.__typename).toBe('IssueSupervisionOrderSuccess');
    const order = issued.data.issueSupervisionOrder.order;
    expect(order.case.supervisionOrders).toEqual([{ id: order.id }]);
    expect(ctx.queries.filter(isRecords)).toEqual([]);
    // The admin's page reads the order; a party may not see orders, so for them the answer is no and nothing is read.
    const asAdmin = await statements(page, { id: c.id }, w.admin.token);
    expect(asAdmin.data.case.supervisionOrders).toEqual([{ id: order.id }]);
    expect(read().filter((t) => RECORDS.includes(t ?? ''))).toEqual(['supervision_orders']);
    const asParty = await statements(page, { id: c.id }, w.applicant.token);
    expect(asParty.data.case.supervisionOrders).toEqual([]);
    expect(read().filter((t) => RECORDS.includes(t ?? ''))).toEqual([]);
    // A fact the mediator records: every viewer of the case reads it, in one statement of its own.
    const added = await ctx.gql(
      `mutation($input: AddUndisputedFactInput!) { addUndisputedFact(input: $input) { __typename ... on AddUndisputedFactSuccess { fact { id } } ... on Error { code message } } }`,
      { input: { caseId: c.id, text: '被申请人于2025年翻建房屋' } },
      mediator.token,
    );
    expect(added.data.addUndisputedFact.__typename).toBe('AddUndisputedFactSuccess');
    for (const token of [w.applicant.token, w.respondent.token, mediator.token, w.admin.token]) {
      const withFact = await statements(page, { id: c.id }, token);
      expect(withFact.data.case.undisputedFacts).toEqual([{ id: added.data.addUndisputedFact.fact.id, text: '被申请人于2025年翻建房屋' }]);
      expect(read().filter((t) => t === 'undisputed_facts')).toEqual(['undisputed_facts']);
    }
  }, TIMEOUT);
});
