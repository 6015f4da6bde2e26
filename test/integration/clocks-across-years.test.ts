import { decodeGlobalID } from '@pothos/plugin-relay';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlines, outbox } from '../../schema';
import { processCaseDeadlines } from '../../server/domain/cases/process-deadlines';
import { localDate } from '../../server/domain/clock/calendar';
import type { HolidayCalendar } from '../../server/domain/clock/calendar';
import { ACCEPT, everyoneIn, fileAndConsent, relogin } from '../support/case-world';
import { ACCEPT_APP, caseNumberFor, courtClient, createConfirmationWorld, jointlyApply, RULE, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { PASSWORD } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set('2026-12-01T02:00:00Z');
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court);
});
afterAll(async () => ctx?.close());

const ok = (res: { body: unknown; data: any }, field: string) => {
  const r = res.data?.[field];
  expect(r?.__typename, `${field}: ${JSON.stringify(res.body)}`).toMatch(/Success$/);
  return r;
};

const DRAFT = /* GraphQL */ `
  mutation ($input: DraftAgreementInput!) {
    draftAgreement(input: $input) { __typename ... on DraftAgreementSuccess { agreement { id } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`;
const SIGN = /* GraphQL */ `
  mutation ($input: SignAgreementInput!) {
    signAgreement(input: $input) { __typename ... on SignAgreementSuccess { agreement { id status effectiveAt confirmationDeadline } } ... on Error { code message } }
  }
`;
const TERMINATE = /* GraphQL */ `
  mutation ($input: TerminateMediationInput!) {
    terminateMediation(input: $input) { __typename ... on TerminateMediationSuccess { case { id status } } ... on Error { code message } }
  }
`;
const TRANSFER = /* GraphQL */ `
  mutation ($input: TransferToLitigationInput!) {
    transferToLitigation(input: $input) { __typename ... on TransferToLitigationSuccess { transfer { id status filingDueAt } } ... on Error { code message } }
  }
`;
const ACK = /* GraphQL */ `
  mutation ($input: AcknowledgeLitigationTransferInput!) {
    acknowledgeLitigationTransfer(input: $input) { __typename ... on AcknowledgeLitigationTransferSuccess { transfer { id status docketNumber } } ... on Error { code message } }
  }
`;
const CASE = /* GraphQL */ `
  query ($id: ID!) {
    case(id: $id) {
      status
      deadlines { kind rule amount startAt dueAt basis protects open }
      recordVerification { valid }
      confirmation { objectionDueAt thirdPartyObjectionDueAt }
    }
  }
`;

/** File, consent, accept: the proposed village mediator takes the case. */
async function inMediation() {
  const c = await fileAndConsent(ctx, w);
  const mediator = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator?.id)!;
  ok(await ctx.gql(ACCEPT, { input: { caseId: c.id } }, mediator.token), 'acceptAssignment');
  return { caseId: c.id as string, mediator };
}

const days = (n: number) => localDate(new Date(ctx.clock.now().getTime() + n * 86_400_000));

// The clock at each date runs every command of both paths: none may fail because a year's holiday
// notice is missing (the data holds 2025 and 2026 only).
describe.each(['2026-12-05T02:00:00Z', '2026-12-28T02:00:00Z', '2027-03-01T02:00:00Z', '2028-02-01T02:00:00Z'])('with the clock at %s', (at) => {
  it('settles a case and the court confirms it, every deadline with its basis', async () => {
    ctx.clock.set(at);
    await relogin(ctx, ...everyoneIn(w));
    const { caseId, mediator } = await inMediation();
    const drafted = ok(
      await ctx.gql(
        DRAFT,
        {
          input: {
            caseId,
            facts: '被申请人新建房屋屋檐滴水落入申请人院内。',
            issues: '排水设施改建及损失赔偿。',
            responsibilities: '被申请人对院墙受损负主要责任。',
            terms: [{ text: '被申请人改建排水设施并赔偿申请人损失人民币三千元。', amount: '3000.00', dueDate: days(20) }],
            performanceMethod: '一次性转账支付',
            performanceDeadline: days(20),
          },
        },
        mediator.token,
      ),
      'draftAgreement',
    );
    let agreement: any;
    for (const signer of [w.applicant, w.respondent, mediator]) {
      agreement = ok(await ctx.gql(SIGN, { input: { agreementId: drafted.agreement.id, password: PASSWORD } }, signer.token), 'signAgreement').agreement;
    }
    expect(agreement.status).toBe('EFFECTIVE');
    const app = await jointlyApply(ctx, w, drafted.agreement.id, w.court);
    ok(await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret), 'acceptConfirmationApplication');
    const ruled = ok(
      await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特') } }, court.secret),
      'ruleOnConfirmation',
    );
    expect(ruled.application.status).toBe('CONFIRMED');

    const c = (await ctx.gql(CASE, { id: caseId }, w.applicant.token)).data.case;
    expect(c.status).toBe('CONFIRMED');
    expect(c.recordVerification.valid).toBe(true);
    const kinds = c.deadlines.map((d: { kind: string }) => d.kind);
    for (const k of ['RESPONDENT_CONTACT', 'ASSIGNMENT_RESPONSE', 'LEVEL_LIMIT', 'MEDIATION_LIMIT', 'CONFIRMATION_WINDOW', 'APPLICATION_ACCEPTANCE', 'APPLICATION_DECISION', 'APPLICATION_STATUTORY_CAP', 'OBJECTION_PARTIES', 'OBJECTION_OTHERS']) {
      expect(kinds, k).toContain(k);
    }
    for (const d of c.deadlines) {
      // Each deadline's basis is what its span says: official only inside 2025-2026.
      const lastYear = Number(localDate(new Date(d.dueAt)).slice(0, 4));
      if (lastYear >= 2027) expect(d.basis, d.kind).toBe('PROVISIONAL');
      if (lastYear <= 2026 && Number(localDate(new Date(d.startAt)).slice(0, 4)) <= 2026) expect(d.basis, d.kind).toBe('OFFICIAL');
      expect(new Date(d.dueAt).getTime()).toBeGreaterThan(new Date(d.startAt).getTime());
    }
    // The window still running is the objection window; those of finished steps are closed.
    expect(c.deadlines.filter((d: { open: boolean }) => d.open).map((d: { kind: string }) => d.kind).sort()).toEqual(['OBJECTION_OTHERS', 'OBJECTION_PARTIES']);
    expect(c.confirmation.objectionDueAt).not.toBeNull();
    // The deadline job runs on every case of the world without a failure.
    const run = await processCaseDeadlines(ctx.deps, { onlyCaseIds: [decodeGlobalID(caseId).id] });
    expect(run.failed).toBe(0);
  });

  it('a failed case is transferred to litigation and docketed', async () => {
    ctx.clock.set(new Date(new Date(at).getTime() + 3600_000));
    await relogin(ctx, ...everyoneIn(w));
    const { caseId, mediator } = await inMediation();
    ok(await ctx.gql(TERMINATE, { input: { caseId, ground: 'POSITIONS_TOO_FAR_APART', note: '分歧过大' } }, mediator.token), 'terminateMediation');
    const t = ok(await ctx.gql(TRANSFER, { input: { caseId, courtId: w.court.globalId } }, w.applicant.token), 'transferToLitigation').transfer;
    expect(new Date(t.filingDueAt).getTime()).toBeGreaterThan(ctx.clock.now().getTime() + 6 * 86_400_000);
    const acked = ok(await ctx.gql(ACK, { input: { transferId: t.id, docketNumber: caseNumberFor(ctx, court.court.courtCode, '民初') } }, court.secret), 'acknowledgeLitigationTransfer');
    expect(acked.transfer.status).toBe('ACKNOWLEDGED');
    const c = (await ctx.gql(CASE, { id: caseId }, w.applicant.token)).data.case;
    expect(c.status).toBe('LITIGATION');
    expect(c.recordVerification.valid).toBe(true);
    expect(c.deadlines.map((d: { kind: string }) => d.kind)).toContain('LITIGATION_FILING');
  });
});

describe('the deadline job handles each case on its own', () => {
  it('a case whose computation fails is logged and retried; the others are processed', async () => {
    ctx.clock.set('2027-05-10T02:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const a = await fileAndConsent(ctx, w);
    const b = await fileAndConsent(ctx, w);
    // Three working days pass without the mediator confirming either assignment.
    ctx.clock.set('2027-05-20T02:00:00Z');
    let calls = 0;
    const failingOnce: HolidayCalendar = {
      ...ctx.deps.calendar,
      isWorkingDay(date) {
        if (calls++ === 0) throw new Error('calendar unavailable');
        return ctx.deps.calendar.isWorkingDay(date);
      },
    };
    const first = await processCaseDeadlines({ ...ctx.deps, calendar: failingOnce }, { onlyCaseIds: [decodeGlobalID(a.id).id, decodeGlobalID(b.id).id] });
    expect(first).toMatchObject({ reassigned: 1, failed: 1 });
    const second = await processCaseDeadlines(ctx.deps, { onlyCaseIds: [decodeGlobalID(a.id).id, decodeGlobalID(b.id).id] });
    expect(second).toMatchObject({ reassigned: 1, failed: 0 });
  });
});

describe('publishing a notice that differs from the provisional days', () => {
  // 2033 is a year no other test reaches. Thursday 2033-07-07 10:00 China time; the provisional
  // days have no holiday between 07-07 and 08-10.
  const T0 = '2033-07-07T02:00:00Z';
  const PUBLISH = /* GraphQL */ `
    mutation ($input: PublishHolidayArrangementInput!) {
      publishHolidayArrangement(input: $input) {
        __typename
        ... on PublishHolidayArrangementSuccess { arrangement { year basis holidays workdays source publishedAt } movedDeadlines { kind from to protects } }
        ... on Error { code message }
        ... on ValidationError { fields { field message } }
      }
    }
  `;
  const ARRANGEMENT = /* GraphQL */ `query ($year: Int) { holidayArrangements(year: $year) { year basis holidays workdays source publishedAt } }`;

  it('moves duties to the official result and parties’ windows only later, with events and notices', async () => {
    ctx.clock.set(T0);
    await relogin(ctx, ...everyoneIn(w));
    const before = (await ctx.gql(ARRANGEMENT, { year: 2033 })).data.holidayArrangements[0];
    expect(before.basis).toBe('PROVISIONAL');
    expect(before.publishedAt).toBeNull();

    // Case A waits for its mediator: ASSIGNMENT_RESPONSE (duty), LEVEL_LIMIT (duty), MEDIATOR_CHOICE (party).
    const a = await fileAndConsent(ctx, w);
    // Case B takes effect at T0: CONFIRMATION_WINDOW (party).
    const { caseId: bId, mediator } = await inMediation();
    const drafted = ok(
      await ctx.gql(
        DRAFT,
        {
          input: {
            caseId: bId,
            facts: '被申请人屋檐滴水落入申请人院内。',
            issues: '排水设施改建。',
            responsibilities: '被申请人负全部责任。',
            terms: [{ text: '被申请人改建排水设施。', dueDate: '2033-07-20' }],
            performanceMethod: '自行改建',
            performanceDeadline: '2033-07-20',
          },
        },
        mediator.token,
      ),
      'draftAgreement',
    );
    for (const signer of [w.applicant, w.respondent, mediator]) ok(await ctx.gql(SIGN, { input: { agreementId: drafted.agreement.id, password: PASSWORD } }, signer.token), 'signAgreement');

    const open = async (globalId: string) =>
      Object.fromEntries(
        (await ctx.deps.db.select().from(deadlines).where(and(eq(deadlines.caseId, decodeGlobalID(globalId).id), eq(deadlines.open, true)))).map((d) => [d.kind, { due: localDate(d.dueAt), basis: d.basis }]),
      );
    expect(await open(a.id)).toMatchObject({
      ASSIGNMENT_RESPONSE: { due: '2033-07-12', basis: 'PROVISIONAL' }, // Fri, Mon, Tue
      LEVEL_LIMIT: { due: '2033-07-18', basis: 'PROVISIONAL' }, // 10 days = Sun 07-17 -> Mon
      MEDIATOR_CHOICE: { due: '2033-07-11', basis: 'PROVISIONAL' }, // Fri, Mon
    });
    expect(await open(bId)).toMatchObject({ CONFIRMATION_WINDOW: { due: '2033-08-08', basis: 'PROVISIONAL' } }); // 30 days = Sat 08-06 -> Mon

    // The notice makes Saturday 07-09 a working day (调休) and adds days off on 07-18 and 08-08.
    const notice = {
      year: 2033,
      holidays: [...before.holidays, '2033-07-18', '2033-08-08'],
      workdays: ['2033-07-09'],
      source: '国办发明电〔2032〕测试号',
    };
    const stranger = await ctx.gql(PUBLISH, { input: notice }, w.applicant.token);
    expect(stranger.data.publishHolidayArrangement.code).toBe('FORBIDDEN');
    const bad = await ctx.gql(PUBLISH, { input: { ...notice, workdays: ['2033-07-06'] } }, w.admin.token);
    expect(bad.data.publishHolidayArrangement.__typename).toBe('ValidationError');
    expect((await ctx.gql(ARRANGEMENT, { year: 2033 })).data.holidayArrangements[0].basis).toBe('PROVISIONAL');

    ctx.clock.set('2033-07-07T08:00:00Z');
    const published = ok(await ctx.gql(PUBLISH, { input: notice }, w.admin.token), 'publishHolidayArrangement');
    expect(published.arrangement).toMatchObject({ year: 2033, basis: 'OFFICIAL', workdays: ['2033-07-09'], source: notice.source });

    expect(await open(a.id)).toMatchObject({
      ASSIGNMENT_RESPONSE: { due: '2033-07-11', basis: 'OFFICIAL' }, // duty: earlier, with the worked Saturday
      LEVEL_LIMIT: { due: '2033-07-19', basis: 'OFFICIAL' }, // duty: later, past the extra day off
      MEDIATOR_CHOICE: { due: '2033-07-11', basis: 'OFFICIAL' }, // party: the official 07-09 would be earlier: kept
    });
    expect(await open(bId)).toMatchObject({ CONFIRMATION_WINDOW: { due: '2033-08-09', basis: 'OFFICIAL' } }); // party: later

    // The rows that hold the deadlines moved with them.
    const caseA = (await ctx.gql(`query($id: ID!) { case(id: $id) { dueAt levelDueAt mediatorChoiceDueAt events { type data } recordVerification { valid } } }`, { id: a.id }, w.applicant.token)).data.case;
    expect(localDate(new Date(caseA.dueAt))).toBe('2033-07-11');
    expect(localDate(new Date(caseA.levelDueAt))).toBe('2033-07-19');
    expect(localDate(new Date(caseA.mediatorChoiceDueAt))).toBe('2033-07-11');
    expect(caseA.recordVerification.valid).toBe(true);
    const recomputed = caseA.events.filter((e: { type: string }) => e.type === 'deadline.recomputed').map((e: { data: string }) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data));
    expect(recomputed.map((d: { kind: string }) => d.kind).sort()).toEqual(['ASSIGNMENT_RESPONSE', 'LEVEL_LIMIT']);
    const agreement = (await ctx.gql(`query($id: ID!) { case(id: $id) { agreement { confirmationDeadline } } }`, { id: bId }, w.applicant.token)).data.case.agreement;
    expect(localDate(new Date(agreement.confirmationDeadline))).toBe('2033-08-09');

    // Parties are told when their own window moved, not when a duty did.
    const notices = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'deadline.moved'), inArray(outbox.caseId, [decodeGlobalID(a.id).id, decodeGlobalID(bId).id])));
    expect(notices.map((n) => n.caseId)).toEqual([decodeGlobalID(bId).id, decodeGlobalID(bId).id]);
    expect(new Set(notices.map((n) => n.recipient))).toEqual(new Set([w.applicant.phone, w.respondent.phone]));

    const moved = published.movedDeadlines.filter((m: { kind: string }) => ['ASSIGNMENT_RESPONSE', 'LEVEL_LIMIT', 'CONFIRMATION_WINDOW'].includes(m.kind));
    expect(moved.length).toBeGreaterThanOrEqual(3);
    const after = (await ctx.gql(ARRANGEMENT, { year: 2033 })).data.holidayArrangements[0];
    expect(after).toMatchObject({ basis: 'OFFICIAL', source: notice.source });
    expect(after.publishedAt).not.toBeNull();
  });
});
