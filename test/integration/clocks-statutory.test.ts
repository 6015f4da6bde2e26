import { decodeGlobalID } from '@pothos/plugin-relay';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, outbox } from '../../schema';
import { processCaseDeadlines } from '../../server/domain/cases/process-deadlines';
import { localDate } from '../../server/domain/clock/calendar';
import { ACCEPT, everyoneIn, fileAndConsent, fileNeighborDispute, relogin } from '../support/case-world';
import { ACCEPT_APP, caseNumberFor, courtClient, createConfirmationWorld, EXTEND, failedCase, jointlyApply, settledCase, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { createMediatorAccount, createOrg, userWithRole } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;

beforeAll(async () => {
  // Long level limits: a village case here is not escalated while its mediation limit runs.
  ctx = await createTestContext({ config: { LEVEL_LIMIT_DAYS: 'VILLAGE=60,TOWNSHIP=60,COUNTY=60,PREFECTURE=60' } });
  ctx.clock.set('2026-09-01T02:00:00Z');
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court);
});
afterAll(async () => ctx?.close());

const local = (iso: string | null) => (iso ? localDate(new Date(iso)) : null);
const id = (globalId: string) => decodeGlobalID(globalId).id;
const CASE = /* GraphQL */ `query ($id: ID!) { case(id: $id) { status dueAt overdue contactDueAt firstContactAt firstContactMethod mediatorChoiceDueAt mediator { id } events { type } } }`;

async function accepted() {
  const c = await fileAndConsent(ctx, w);
  const mediator = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator?.id)!;
  const res = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, mediator.token);
  expect(res.data.acceptAssignment.__typename).toBe('AcceptAssignmentSuccess');
  return { caseId: c.id as string, mediator, dueAt: res.data.acceptAssignment.case.dueAt as string };
}

describe('counting from the original last day (not from a day rolled past a holiday)', () => {
  it('a mediation extension runs on from the original 30th day', async () => {
    ctx.clock.set('2026-09-01T02:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const { caseId, mediator, dueAt } = await accepted();
    // 30 days from 09-01 is 10-01, inside National Day: the limit rolls to Thursday 10-08.
    expect(local(dueAt)).toBe('2026-10-08');
    const req = await ctx.gql(
      `mutation($input: RequestExtensionInput!) { requestExtension(input: $input) { __typename ... on RequestExtensionSuccess { extension { id } } ... on Error { code message } } }`,
      { input: { caseId, days: 10, reason: '需补充调查' } },
      mediator.token,
    );
    const extensionId = req.data.requestExtension.extension.id;
    let last: any;
    for (const party of [w.applicant, w.respondent]) {
      last = await ctx.gql(
        `mutation($input: ConsentToExtensionInput!) { consentToExtension(input: $input) { __typename ... on ConsentToExtensionSuccess { extension { status newDueAt } } ... on Error { code message } } }`,
        { input: { extensionId, consent: true } },
        party.token,
      );
    }
    expect(last.data.consentToExtension.extension.status).toBe('GRANTED');
    // 40 days from 09-01 is Sunday 10-11: Monday 10-12 (not 10-08 + 10 = 10-18 -> 10-19).
    expect(local(last.data.consentToExtension.extension.newDueAt)).toBe('2026-10-12');
  });

  it('a confirmation review extended by 10 days (JC2011 5): accepted 2026-09-16 gives 10-12, not 10-19', async () => {
    ctx.clock.set('2026-09-14T02:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const { agreementId } = await settledCase(ctx, w);
    const app = await jointlyApply(ctx, w, agreementId, w.court);
    ctx.clock.set('2026-09-16T02:00:00Z');
    const acc = await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
    // 15 days from 09-16 is 10-01: rolled past National Day to 10-08.
    expect(local(acc.data.acceptConfirmationApplication.application.decisionDueAt)).toBe('2026-10-08');
    const ext = await ctx.gql(EXTEND, { input: { applicationId: app.id, approvedBy: '张院长', reason: '需现场查看' } }, court.secret);
    expect(local(ext.data.extendConfirmationReview.application.decisionDueAt)).toBe('2026-10-12');
  });
});

describe('OMR 15: contact with the other side within 3 working days', () => {
  it('a staff member records the first contact; an uncontacted case is flagged and the county told', async () => {
    ctx.clock.set('2026-11-02T02:00:00Z'); // Monday
    await relogin(ctx, ...everyoneIn(w));
    const grid = await userWithRole(ctx, 'GRID_WORKER');
    const contacted = await fileNeighborDispute(ctx, w);
    const silent = await fileNeighborDispute(ctx, w);
    const c0 = (await ctx.gql(CASE, { id: contacted.id }, w.applicant.token)).data.case;
    expect(local(c0.contactDueAt)).toBe('2026-11-05'); // Tue, Wed, Thu
    const RECORD = `mutation($input: RecordRespondentContactInput!) { recordRespondentContact(input: $input) { __typename ... on RecordRespondentContactSuccess { case { firstContactAt firstContactMethod } } ... on Error { code message } } }`;
    // A party cannot record it; a staff member who cannot see the case gets not found.
    expect((await ctx.gql(RECORD, { input: { caseId: contacted.id, method: 'PHONE' } }, w.applicant.token)).data.recordRespondentContact.code).toBe('FORBIDDEN');
    expect((await ctx.gql(RECORD, { input: { caseId: contacted.id, method: 'PHONE' } }, grid.token)).data.recordRespondentContact.code).toBe('NOT_FOUND');
    const rec = await ctx.gql(RECORD, { input: { caseId: contacted.id, method: 'PHONE', note: '电话告知被申请人' } }, w.admin.token);
    expect(rec.data.recordRespondentContact.case.firstContactMethod).toBe('PHONE');
    expect((await ctx.gql(RECORD, { input: { caseId: contacted.id, method: 'VISIT' } }, w.admin.token)).data.recordRespondentContact.code).toBe('INVALID_TRANSITION');

    ctx.clock.set('2026-11-06T02:00:00Z');
    const run = await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id(contacted.id), id(silent.id)] });
    expect(run).toMatchObject({ contactOverdue: 1, failed: 0 });
    await relogin(ctx, ...everyoneIn(w));
    const flagged = (await ctx.gql(CASE, { id: silent.id }, w.applicant.token)).data.case;
    expect(flagged.events.map((e: { type: string }) => e.type)).toContain('case.contact_overdue');
    const alerts = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'case.contact_overdue'), eq(outbox.caseId, id(silent.id))));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.recipient).toBe(`intake:${w.county.code}`);
    // The respondent's own answer is a contact too.
    await ctx.gql(`mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename } }`, { input: { caseId: silent.id, accept: true } }, w.respondent.token);
    const answered = (await ctx.gql(CASE, { id: silent.id }, w.applicant.token)).data.case;
    expect(answered.firstContactMethod).toBe('RESPONSE');
  });
});

describe('OMR 10: the parties choose a mediator together within 2 working days', () => {
  const CHOOSE = `mutation($input: ChooseMediatorInput!) { chooseMediator(input: $input) { __typename ... on ChooseMediatorSuccess { case { status mediator { id } mediatorChoiceDueAt } } ... on Error { code message } } }`;
  it('a joint choice within the window goes to that mediator; after it, the organisation’s proposal stands', async () => {
    ctx.clock.set('2026-11-09T02:00:00Z'); // Monday
    await relogin(ctx, ...everyoneIn(w));
    const c = await fileAndConsent(ctx, w);
    const state = (await ctx.gql(CASE, { id: c.id }, w.applicant.token)).data.case;
    expect(local(state.mediatorChoiceDueAt)).toBe('2026-11-11');
    const other = w.villageMediators.find((m) => m.mediatorGlobalId !== c.mediator?.id)!;
    const first = await ctx.gql(CHOOSE, { input: { caseId: c.id, mediatorId: other.mediatorGlobalId } }, w.applicant.token);
    expect(first.data.chooseMediator.case.mediator.id).toBe(c.mediator.id); // one party only: nothing changes yet
    const second = await ctx.gql(CHOOSE, { input: { caseId: c.id, mediatorId: other.mediatorGlobalId } }, w.respondent.token);
    expect(second.data.chooseMediator.case).toMatchObject({ status: 'ASSIGNING', mediator: { id: other.mediatorGlobalId }, mediatorChoiceDueAt: null });

    const late = await fileAndConsent(ctx, w);
    ctx.clock.set('2026-11-12T02:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const refused = await ctx.gql(CHOOSE, { input: { caseId: late.id, mediatorId: other.mediatorGlobalId } }, w.applicant.token);
    expect(refused.data.chooseMediator.code).toBe('DEADLINE_PASSED');
    const run = await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id(late.id)] });
    expect(run.choiceClosed).toBe(1);
    const closed = (await ctx.gql(CASE, { id: late.id }, w.applicant.token)).data.case;
    expect(closed.events.map((e: { type: string }) => e.type)).toContain('case.mediator_choice_closed');
    expect(closed.mediatorChoiceDueAt).toBeNull();
  });
});

describe('OMR 24, 26: the 30-day mediation limit', () => {
  it('reminds 5 days and 1 day before; at expiry the case is overdue until extended or terminated', async () => {
    ctx.clock.set('2026-11-16T02:00:00Z'); // Monday; + 30 = Wednesday 12-16
    await relogin(ctx, ...everyoneIn(w));
    const { caseId, mediator, dueAt } = await accepted();
    expect(local(dueAt)).toBe('2026-12-16');
    const cid = id(caseId);
    const reminders = async () =>
      (await ctx.deps.db.select().from(outbox).where(and(eq(outbox.caseId, cid), inArray(outbox.topic, ['mediation.limit_approaching', 'mediation.limit_expired'])))).map((o) => `${o.topic}:${(o.payload as { remaining?: string }).remaining ?? ''}:${o.recipient}`);
    ctx.clock.set('2026-12-10T02:00:00Z');
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).reminded).toBe(0);
    ctx.clock.set('2026-12-12T02:00:00Z');
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).reminded).toBe(1);
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).reminded).toBe(0); // once only
    ctx.clock.set('2026-12-16T02:00:00Z');
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).reminded).toBe(1);
    const sent = await reminders();
    expect(sent.filter((s) => s.includes(':5日:'))).toHaveLength(3); // two parties and the mediator
    expect(sent.filter((s) => s.includes(':1日:'))).toHaveLength(3);
    expect(sent.some((s) => s.endsWith(`:${mediator.phone}`))).toBe(true);

    ctx.clock.set('2026-12-17T02:00:00Z');
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).expired).toBe(1);
    expect((await processCaseDeadlines(ctx.deps, { onlyCaseIds: [cid] })).expired).toBe(0);
    await relogin(ctx, ...everyoneIn(w));
    const c = (await ctx.gql(CASE, { id: caseId }, w.applicant.token)).data.case;
    expect(c.overdue).toBe(true);
    expect(c.events.map((e: { type: string }) => e.type)).toContain('case.mediation_limit_expired');
    expect((await reminders()).filter((s) => s.startsWith('mediation.limit_expired'))).toHaveLength(3);
    // Terminating with TIME_EXPIRED ends it.
    const term = await ctx.gql(
      `mutation($input: TerminateMediationInput!) { terminateMediation(input: $input) { __typename ... on TerminateMediationSuccess { case { status overdue } } ... on Error { code message } } }`,
      { input: { caseId, ground: 'TIME_EXPIRED', note: '期限届满，当事人未同意延长' } },
      mediator.token,
    );
    expect(term.data.terminateMediation.case.status).toBe('FAILED');
  });
});

describe('OMR 24: mediation entrusted after filing (委托)', () => {
  it('a docketed case entrusted in the simplified procedure has 7 days, in the ordinary 15', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z'); // Monday
    await relogin(ctx, ...everyoneIn(w));
    const invited = await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.county.code, categories: ['NEIGHBOR'], name: `特邀调解委员会${Date.now() % 100000}` });
    await ctx.deps.db.update(organizations).set({ invitingCourtId: w.court.id }).where(eq(organizations.id, invited.id));
    const mediator = await createMediatorAccount(ctx, w.admin.token, invited, { categories: ['NEIGHBOR'] });
    const DELEGATE = `mutation($input: DelegateMediationInput!) { delegateMediation(input: $input) { __typename ... on DelegateMediationSuccess { case { status courtStage courtProcedure } } ... on Error { code message } ... on ValidationError { fields { field } } } }`;
    const limits: Record<string, string> = {};
    for (const procedure of ['SIMPLIFIED', 'ORDINARY'] as const) {
      const { caseId } = await failedCase(ctx, w);
      const t = await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { __typename ... on TransferToLitigationSuccess { transfer { id } } } }`, { input: { caseId, courtId: w.court.globalId } }, w.applicant.token);
      const transferId = t.data.transferToLitigation.transfer.id;
      const ack = await ctx.gql(`mutation($input: AcknowledgeLitigationTransferInput!) { acknowledgeLitigationTransfer(input: $input) { __typename ... on Error { message } } }`, { input: { transferId, docketNumber: caseNumberFor(ctx, court.court.courtCode, '民初') } }, court.secret);
      expect(ack.data.acknowledgeLitigationTransfer.__typename).toBe('AcknowledgeLitigationTransferSuccess');
      // After filing the procedure must be named: it fixes the limit.
      const missing = await ctx.gql(DELEGATE, { input: { caseId, organizationId: invited.globalId } }, court.secret);
      expect(missing.data.delegateMediation.fields[0].field).toBe('procedure');
      const res = await ctx.gql(DELEGATE, { input: { caseId, organizationId: invited.globalId, mediatorId: mediator.mediatorGlobalId, procedure } }, court.secret);
      expect(res.data.delegateMediation.case).toMatchObject({ status: 'ASSIGNING', courtStage: 'POST_FILING', courtProcedure: procedure });
      const acc = await ctx.gql(ACCEPT, { input: { caseId } }, mediator.token);
      limits[procedure] = local(acc.data.acceptAssignment.case.dueAt)!;
    }
    expect(limits).toEqual({ SIMPLIFIED: '2026-11-30', ORDINARY: '2026-12-08' }); // +7 days; +15 days (Tuesday)
  });
});
