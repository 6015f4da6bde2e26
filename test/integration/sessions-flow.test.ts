import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import { ACCEPT, caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { PASSWORD, registerParty, type Login } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

const LIVEKIT = { LIVEKIT_URL: 'wss://livekit.example.test', LIVEKIT_API_KEY: 'APItestkey', LIVEKIT_API_SECRET: 'test-secret-of-sufficient-length-0123456789' };

let ctx: TestContext;
let w: CaseWorld;
let stranger: Login;
beforeAll(async () => {
  ctx = await createTestContext({ config: LIVEKIT });
  w = await createCaseWorld(ctx);
  stranger = await registerParty(ctx, { name: '路人甲' });
});
afterAll(async () => ctx?.close());

const mutation = (name: string, inputType: string, selection: string) => /* GraphQL */ `
  mutation ($input: ${inputType}!) {
    ${name}(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
      ${selection}
    }
  }
`;
const SESSION_FIELDS = 'id status mode kind startsAt place participantPartyIds separate cancelReason minutes { text version lockedAt sha256 confirmations { partyId version } }';
const SCHEDULE = mutation('scheduleSession', 'ScheduleSessionInput', `... on ScheduleSessionSuccess { session { ${SESSION_FIELDS} } }`);
const RESCHEDULE = mutation('rescheduleSession', 'RescheduleSessionInput', `... on RescheduleSessionSuccess { session { ${SESSION_FIELDS} } }`);
const CANCEL = mutation('cancelSession', 'CancelSessionInput', `... on CancelSessionSuccess { session { ${SESSION_FIELDS} } }`);
const CONSENT_SEPARATE = mutation('consentToSeparateSessions', 'ConsentToSeparateSessionsInput', '... on ConsentToSeparateSessionsSuccess { case { id } }');
const JOIN = mutation('joinSession', 'JoinSessionInput', '... on JoinSessionSuccess { join { provider url token roomName expiresAt identityCheck { method passed } } }');
const POST = mutation('postSessionMessage', 'PostSessionMessageInput', '... on PostSessionMessageSuccess { roomMessage { seq kind body } }');
const PRESENCE = mutation('updatePresence', 'UpdatePresenceInput', '... on UpdatePresenceSuccess { roomMessage { seq kind body } }');
const MINUTES = mutation('updateMinutes', 'UpdateMinutesInput', `... on UpdateMinutesSuccess { session { ${SESSION_FIELDS} } }`);
const CONFIRM_MINUTES = mutation('confirmMinutes', 'ConfirmMinutesInput', `... on ConfirmMinutesSuccess { session { ${SESSION_FIELDS} } }`);
const ADD_FACT = mutation('addUndisputedFact', 'AddUndisputedFactInput', '... on AddUndisputedFactSuccess { fact { id text confirmedPartyIds } }');
const CONFIRM_FACT = mutation('confirmUndisputedFact', 'ConfirmUndisputedFactInput', '... on ConfirmUndisputedFactSuccess { fact { id text confirmedPartyIds } }');
const DISCLOSE = mutation('discloseConflict', 'DiscloseConflictInput', '... on DiscloseConflictSuccess { case { id status } }');
const ANOTHER = mutation('requestAnotherMediator', 'RequestAnotherMediatorInput', '... on RequestAnotherMediatorSuccess { case { id status mediator { id } termination { ground } } }');
const EXTEND = mutation('requestExtension', 'RequestExtensionInput', '... on RequestExtensionSuccess { extension { id status days } }');
const CONSENT_EXT = mutation('consentToExtension', 'ConsentToExtensionInput', '... on ConsentToExtensionSuccess { extension { id status answers { partyId consent } newDueAt } }');
const TERMINATE = mutation(
  'terminateMediation',
  'TerminateMediationInput',
  '... on TerminateMediationSuccess { case { id status level termination { ground note terminatedAt failureReport { why undisputedFacts notesForCourt routes } } } }',
);
const CASE = /* GraphQL */ `
  query ($id: ID!) {
    case(id: $id) {
      id status dueAt level
      parties { id role }
      sessions { ${SESSION_FIELDS} }
      undisputedFacts { id text confirmedPartyIds }
      extensions { id status answers { partyId consent } previousDueAt newDueAt }
      termination { ground note failureReport { why undisputedFacts notesForCourt routes } }
      events { type data }
    }
  }
`;

async function load(caseId: string, token: string) {
  const res = await ctx.gql(CASE, { id: caseId }, token);
  return res.data.case;
}

async function mediatingCase() {
  const { case: c, mediator } = await caseInMediation(ctx, w);
  const full = await load(c.id, mediator.token);
  const applicantParty = full.parties.find((p: { role: string }) => p.role === 'APPLICANT').id as string;
  const respondentParty = full.parties.find((p: { role: string }) => p.role === 'RESPONDENT').id as string;
  return { caseId: c.id as string, mediator, applicantParty, respondentParty, dueAt: full.dueAt as string };
}

const inHours = (h: number) => new Date(ctx.clock.now().getTime() + h * 3600_000).toISOString();

describe('scheduling', () => {
  it('schedules an on-site village visit with reminders, reschedules and cancels with reasons', async () => {
    const { caseId, mediator } = await mediatingCase();
    const noPlace = await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(48), mode: 'ON_SITE', kind: 'VILLAGE_VISIT' } }, mediator.token);
    expect(noPlace.data.scheduleSession.fields[0].field).toBe('place');
    const past = await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(-1), mode: 'PHONE' } }, mediator.token);
    expect(past.data.scheduleSession.code).toBe('VALIDATION_FAILED');
    const byParty = await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(48), mode: 'PHONE' } }, w.applicant.token);
    expect(byParty.data.scheduleSession.code).toBe('FORBIDDEN');

    const startsAt = inHours(48);
    const res = await ctx.gql(SCHEDULE, { input: { caseId, startsAt, mode: 'ON_SITE', kind: 'VILLAGE_VISIT', place: '村委会调解室' } }, mediator.token);
    const s = res.data.scheduleSession.session;
    expect(s).toMatchObject({ status: 'SCHEDULED', mode: 'ON_SITE', kind: 'VILLAGE_VISIT', place: '村委会调解室', separate: false, startsAt });
    expect(s.participantPartyIds).toHaveLength(2);
    const reminders = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'session.reminder'), sql`${outbox.payload}->>'sessionId' = ${localUuid(s.id)}`));
    // Two participants plus the mediator, a day and an hour before.
    expect(reminders).toHaveLength(6);
    expect(new Set(reminders.map((r) => r.availableAt.toISOString()))).toEqual(
      new Set([new Date(Date.parse(startsAt) - 24 * 3600_000).toISOString(), new Date(Date.parse(startsAt) - 3600_000).toISOString()]),
    );
    expect(new Set(reminders.map((r) => r.recipient))).toEqual(new Set([w.applicant.phone, w.respondent.phone, mediator.phone]));

    const later = inHours(72);
    const moved = await ctx.gql(RESCHEDULE, { input: { sessionId: s.id, startsAt: later, reason: '申请人外出务工，改期' } }, mediator.token);
    expect(moved.data.rescheduleSession.session.startsAt).toBe(later);
    const after = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'session.reminder'), sql`${outbox.payload}->>'sessionId' = ${localUuid(s.id)}`));
    expect(after.filter((r) => r.status === 'CANCELLED')).toHaveLength(6);
    expect(after.filter((r) => r.status === 'PENDING').map((r) => r.availableAt.getTime())).toContain(Date.parse(later) - 3600_000);

    const cancelled = await ctx.gql(CANCEL, { input: { sessionId: s.id, reason: '双方已自行协商' } }, mediator.token);
    expect(cancelled.data.cancelSession.session).toMatchObject({ status: 'CANCELLED', cancelReason: '双方已自行协商' });
    const again = await ctx.gql(CANCEL, { input: { sessionId: s.id, reason: 'x' } }, mediator.token);
    expect(again.data.cancelSession.code).toBe('INVALID_TRANSITION');
    const left = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'session.reminder'), eq(outbox.status, 'PENDING'), sql`${outbox.payload}->>'sessionId' = ${localUuid(s.id)}`));
    expect(left).toHaveLength(0);
    const events = (await load(caseId, mediator.token)).events.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['session.scheduled', 'session.rescheduled', 'session.cancelled']));
  });

  it('holds a separate session (背对背) only with the participating side’s recorded consent', async () => {
    const { caseId, mediator, applicantParty } = await mediatingCase();
    const input = { caseId, startsAt: inHours(24), mode: 'VIDEO', kind: 'OFFICE_HOURS', participants: [applicantParty] };
    const refused = await ctx.gql(SCHEDULE, { input }, mediator.token);
    expect(refused.data.scheduleSession.fields[0].field).toBe('participants');
    const consent = await ctx.gql(CONSENT_SEPARATE, { input: { caseId } }, w.applicant.token);
    expect(consent.data.consentToSeparateSessions.__typename).toBe('ConsentToSeparateSessionsSuccess');
    const ok = await ctx.gql(SCHEDULE, { input }, mediator.token);
    expect(ok.data.scheduleSession.session).toMatchObject({ separate: true, participantPartyIds: [applicantParty] });
    ctx.clock.advance(24 * 3600_000);
    try {
      // The side left out cannot join the other side's session.
      const other = await ctx.gql(JOIN, { input: { sessionId: ok.data.scheduleSession.session.id, password: PASSWORD } }, w.respondent.token);
      expect(other.data.joinSession.code).toBe('NOT_FOUND');
    } finally {
      ctx.clock.advance(-24 * 3600_000);
    }
  });
});

function localUuid(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}

describe('joining a video session', () => {
  it('gives LiveKit tokens to participants only, near the time, after an identity re-check that is recorded', async () => {
    const { caseId, mediator } = await mediatingCase();
    const startsAt = inHours(30);
    const s = (await ctx.gql(SCHEDULE, { input: { caseId, startsAt, mode: 'VIDEO' } }, mediator.token)).data.scheduleSession.session;
    const early = await ctx.gql(JOIN, { input: { sessionId: s.id } }, mediator.token);
    expect(early.data.joinSession.code).toBe('DEADLINE_PASSED');

    ctx.clock.set(new Date(Date.parse(startsAt) - 10 * 60_000));
    try {
      const byStranger = await ctx.gql(JOIN, { input: { sessionId: s.id, password: PASSWORD } }, stranger.token);
      expect(byStranger.data.joinSession.code).toBe('NOT_FOUND');
      const noCheck = await ctx.gql(JOIN, { input: { sessionId: s.id } }, w.applicant.token);
      expect(noCheck.data.joinSession.code).toBe('VALIDATION_FAILED');
      const wrong = await ctx.gql(JOIN, { input: { sessionId: s.id, password: 'Wrong-passw0rd' } }, w.applicant.token);
      expect(wrong.data.joinSession.code).toBe('FORBIDDEN');

      const verifier = new TokenVerifier(LIVEKIT.LIVEKIT_API_KEY, LIVEKIT.LIVEKIT_API_SECRET);
      const byId = await ctx.gql(JOIN, { input: { sessionId: s.id, idNumberLast4: w.applicant.idNumber!.slice(-4) } }, w.applicant.token);
      const join = byId.data.joinSession.join;
      expect(join).toMatchObject({ provider: 'livekit', url: LIVEKIT.LIVEKIT_URL, identityCheck: { method: 'ID_NUMBER_LAST4', passed: true } });
      const claims = await verifier.verify(join.token);
      expect(claims.sub).toBe(w.applicant.userId);
      expect(claims.video?.room).toBe(join.roomName);
      expect(claims.video?.roomJoin).toBe(true);
      expect(claims.video?.roomAdmin).toBe(false);
      expect(JSON.parse(claims.metadata!)).toMatchObject({ role: 'PARTY' });
      await expect(new TokenVerifier(LIVEKIT.LIVEKIT_API_KEY, 'another-secret-of-sufficient-length-xxxx').verify(join.token)).rejects.toThrow();

      const byPassword = await ctx.gql(JOIN, { input: { sessionId: s.id, password: PASSWORD } }, w.respondent.token);
      expect(byPassword.data.joinSession.join.identityCheck).toEqual({ method: 'PASSWORD', passed: true });
      const asMediator = await ctx.gql(JOIN, { input: { sessionId: s.id } }, mediator.token);
      const mediatorClaims = await verifier.verify(asMediator.data.joinSession.join.token);
      expect(mediatorClaims.video?.roomAdmin).toBe(true);
      expect(mediatorClaims.video?.room).toBe(join.roomName);

      const checks = (await load(caseId, mediator.token)).events
        .filter((e: { type: string }) => e.type === 'session.identity_check')
        .map((e: { data: string }) => JSON.parse(e.data));
      expect(checks.map((c: { method: string; passed: boolean }) => [c.method, c.passed])).toEqual([
        ['PASSWORD', false],
        ['ID_NUMBER_LAST4', true],
        ['PASSWORD', true],
      ]);

      ctx.clock.set(new Date(Date.parse(startsAt) + 4 * 3600_000 + 60_000));
      const late = await ctx.gql(JOIN, { input: { sessionId: s.id } }, mediator.token);
      expect(late.data.joinSession.code).toBe('DEADLINE_PASSED');
    } finally {
      ctx.clock.set('2026-11-23T02:00:00Z');
    }
  });
});

describe('minutes and undisputed facts', () => {
  it('gives a session’s confirmations alike whether read with the case’s sessions or by the session’s id: in the order given, to the millisecond', async () => {
    const { caseId, mediator, applicantParty, respondentParty } = await mediatingCase();
    const s = (await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(2), mode: 'ON_SITE', place: '调解室' } }, mediator.token)).data.scheduleSession.session;
    expect((await ctx.gql(MINUTES, { input: { sessionId: s.id, text: '双方到场。' } }, mediator.token)).data.updateMinutes.session.minutes.version).toBe(1);
    // The party whose id sorts last confirms first, so that the order given is not the order of ids.
    const parties = [
      { id: applicantParty, token: w.applicant.token },
      { id: respondentParty, token: w.respondent.token },
    ].sort((a, b) => (a.id < b.id ? 1 : -1));
    const start = ctx.clock.now();
    const given: string[] = [];
    try {
      for (const p of parties) {
        ctx.clock.advance(1_234);
        given.push(ctx.clock.now().toISOString());
        expect((await ctx.gql(CONFIRM_MINUTES, { input: { sessionId: s.id, version: 1 } }, p.token)).data.confirmMinutes.__typename).toBe('ConfirmMinutesSuccess');
      }
    } finally {
      ctx.clock.set(start);
    }
    // The case's sessions carry their confirmations (read in the same statement); a session asked
    // for by its id reads them on their own.
    const CONFIRMATIONS = 'minutes { confirmations { partyId version confirmedAt } }';
    const viaCase = await ctx.gql(`query ($id: ID!) { case(id: $id) { sessions { id ${CONFIRMATIONS} } } }`, { id: caseId }, mediator.token);
    const viaNode = await ctx.gql(`query ($id: ID!) { node(id: $id) { ... on Session { id ${CONFIRMATIONS} } } }`, { id: s.id }, mediator.token);
    expect(viaCase.body.errors).toBeUndefined();
    expect(viaNode.body.errors).toBeUndefined();
    const expected = parties.map((p, i) => ({ partyId: p.id, version: 1, confirmedAt: given[i] }));
    expect(viaCase.data.case.sessions.find((x: { id: string }) => x.id === s.id).minutes.confirmations).toEqual(expected);
    expect(viaNode.data.node.minutes.confirmations).toEqual(expected);
  });

  it('locks the minutes once every party confirmed the current version and records their hash', async () => {
    const { caseId, mediator } = await mediatingCase();
    const s = (await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(2), mode: 'ON_SITE', place: '调解室' } }, mediator.token)).data.scheduleSession.session;
    const byParty = await ctx.gql(MINUTES, { input: { sessionId: s.id, text: '我说了算' } }, w.applicant.token);
    expect(byParty.data.updateMinutes.code).toBe('FORBIDDEN');
    const v1 = await ctx.gql(MINUTES, { input: { sessionId: s.id, text: '双方到场。' } }, mediator.token);
    expect(v1.data.updateMinutes.session.minutes.version).toBe(1);
    const text = '双方到场。申请人陈述屋檐滴水情况；被申请人承认2025年翻建房屋。';
    const v2 = await ctx.gql(MINUTES, { input: { sessionId: s.id, text, expectedVersion: 1 } }, mediator.token);
    expect(v2.data.updateMinutes.session.minutes).toMatchObject({ text, version: 2, lockedAt: null });
    const stale = await ctx.gql(MINUTES, { input: { sessionId: s.id, text: 'x', expectedVersion: 1 } }, mediator.token);
    expect(stale.data.updateMinutes.code).toBe('CONFLICT');

    const old = await ctx.gql(CONFIRM_MINUTES, { input: { sessionId: s.id, version: 1 } }, w.applicant.token);
    expect(old.data.confirmMinutes.code).toBe('CONFLICT');
    const first = await ctx.gql(CONFIRM_MINUTES, { input: { sessionId: s.id, version: 2 } }, w.applicant.token);
    expect(first.data.confirmMinutes.session.minutes.lockedAt).toBeNull();
    const byMediator = await ctx.gql(CONFIRM_MINUTES, { input: { sessionId: s.id, version: 2 } }, mediator.token);
    expect(byMediator.data.confirmMinutes.code).toBe('FORBIDDEN');
    const second = await ctx.gql(CONFIRM_MINUTES, { input: { sessionId: s.id, version: 2 } }, w.respondent.token);
    const sha = createHash('sha256').update(text).digest('hex');
    expect(second.data.confirmMinutes.session.minutes).toMatchObject({ version: 2, sha256: sha });
    expect(second.data.confirmMinutes.session.minutes.lockedAt).not.toBeNull();
    expect(second.data.confirmMinutes.session.minutes.confirmations).toHaveLength(2);

    const edit = await ctx.gql(MINUTES, { input: { sessionId: s.id, text: '改写' } }, mediator.token);
    expect(edit.data.updateMinutes.code).toBe('INVALID_TRANSITION');
    const locked = (await load(caseId, w.applicant.token)).events.find((e: { type: string }) => e.type === 'session.minutes_locked');
    expect(JSON.parse(locked.data)).toMatchObject({ sha256: sha, version: 2, text });
  });
});

describe('fairness and time', () => {
  it('moves the deadline only when every party consents to an extension; one refusal ends the request', async () => {
    const { caseId, mediator, applicantParty, respondentParty, dueAt } = await mediatingCase();
    const byParty = await ctx.gql(EXTEND, { input: { caseId, days: 15, reason: '等待鉴定' } }, w.applicant.token);
    expect(byParty.data.requestExtension.code).toBe('FORBIDDEN');
    const ext = (await ctx.gql(EXTEND, { input: { caseId, days: 5, reason: '需等待房屋损失鉴定' } }, mediator.token)).data.requestExtension.extension;
    expect(ext.status).toBe('PENDING');
    const second = await ctx.gql(EXTEND, { input: { caseId, days: 5, reason: 'x' } }, mediator.token);
    expect(second.data.requestExtension.code).toBe('CONFLICT');

    const one = await ctx.gql(CONSENT_EXT, { input: { extensionId: ext.id, consent: true } }, w.applicant.token);
    expect(one.data.consentToExtension.extension.status).toBe('PENDING');
    expect((await load(caseId, mediator.token)).dueAt).toBe(dueAt);
    const all = await ctx.gql(CONSENT_EXT, { input: { extensionId: ext.id, consent: true } }, w.respondent.token);
    const granted = all.data.consentToExtension.extension;
    expect(granted.status).toBe('GRANTED');
    expect(granted.answers).toEqual(expect.arrayContaining([{ partyId: applicantParty, consent: true }, { partyId: respondentParty, consent: true }]));
    const c = await load(caseId, mediator.token);
    expect(Date.parse(c.dueAt) - Date.parse(dueAt)).toBe(5 * 24 * 3600_000);
    const event = c.events.find((e: { type: string }) => e.type === 'case.extension_granted');
    expect(JSON.parse(event.data).answers).toHaveLength(2);

    const ext2 = (await ctx.gql(EXTEND, { input: { caseId, days: 10, reason: '再等一次' } }, mediator.token)).data.requestExtension.extension;
    const refused = await ctx.gql(CONSENT_EXT, { input: { extensionId: ext2.id, consent: false } }, w.respondent.token);
    expect(refused.data.consentToExtension.extension.status).toBe('REFUSED');
    const late = await ctx.gql(CONSENT_EXT, { input: { extensionId: ext2.id, consent: true } }, w.applicant.token);
    expect(late.data.consentToExtension.code).toBe('INVALID_TRANSITION');
    expect((await load(caseId, mediator.token)).dueAt).toBe(c.dueAt);
  });

  it('records a conflict disclosure and tells the parties', async () => {
    const { caseId, mediator } = await mediatingCase();
    const res = await ctx.gql(DISCLOSE, { input: { caseId, description: '调解员与被申请人系远房表亲' } }, mediator.token);
    expect(res.data.discloseConflict.__typename).toBe('DiscloseConflictSuccess');
    const notes = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'mediator.conflict_disclosed'), eq(outbox.caseId, localUuid(caseId))));
    expect(new Set(notes.map((n) => n.recipient))).toEqual(new Set([w.applicant.phone, w.respondent.phone]));
    const byParty = await ctx.gql(DISCLOSE, { input: { caseId, description: 'x' } }, w.applicant.token);
    expect(byParty.data.discloseConflict.code).toBe('FORBIDDEN');
  });

  it('re-assigns on a party’s first request for another mediator and ends mediation on the second (OMR 13–14)', async () => {
    const { caseId, mediator } = await mediatingCase();
    const first = await ctx.gql(ANOTHER, { input: { caseId, reason: '调解员偏向对方' } }, w.applicant.token);
    const moved = first.data.requestAnotherMediator.case;
    expect(moved.status).toBe('ASSIGNING');
    expect(moved.mediator.id).not.toBe(mediator.mediatorGlobalId);
    const next = w.villageMediators.find((m) => m.mediatorGlobalId === moved.mediator.id)!;
    expect(next).toBeDefined();
    const accepted = await ctx.gql(ACCEPT, { input: { caseId } }, next.token);
    expect(accepted.data.acceptAssignment.case.status).toBe('MEDIATING');
    const second = await ctx.gql(ANOTHER, { input: { caseId, reason: '仍不满意' } }, w.applicant.token);
    expect(second.data.requestAnotherMediator.case).toMatchObject({ status: 'FAILED', termination: { ground: 'PARTY_REFUSES_TO_CONTINUE' } });
  });
});

describe('ending mediation', () => {
  it('fails the case with the ground, a failure report carrying only fully confirmed facts, and tells the parties their routes', async () => {
    const { caseId, mediator } = await mediatingCase();
    const f1 = (await ctx.gql(ADD_FACT, { input: { caseId, text: '被申请人于2025年翻建房屋' } }, mediator.token)).data.addUndisputedFact.fact;
    const f2 = (await ctx.gql(ADD_FACT, { input: { caseId, text: '屋檐滴水造成损失3000元' } }, mediator.token)).data.addUndisputedFact.fact;
    const byParty = await ctx.gql(ADD_FACT, { input: { caseId, text: 'x' } }, w.applicant.token);
    expect(byParty.data.addUndisputedFact.code).toBe('FORBIDDEN');
    for (const token of [w.applicant.token, w.respondent.token]) {
      expect((await ctx.gql(CONFIRM_FACT, { input: { factId: f1.id } }, token)).data.confirmUndisputedFact.fact.id).toBe(f1.id);
    }
    const partly = await ctx.gql(CONFIRM_FACT, { input: { factId: f2.id } }, w.applicant.token);
    expect(partly.data.confirmUndisputedFact.fact.confirmedPartyIds).toHaveLength(1);

    const byParty2 = await ctx.gql(TERMINATE, { input: { caseId, ground: 'OTHER' } }, w.applicant.token);
    expect(byParty2.data.terminateMediation.code).toBe('FORBIDDEN');
    const res = await ctx.gql(
      TERMINATE,
      { input: { caseId, ground: 'POSITIONS_TOO_FAR_APART', note: '赔偿数额分歧大', notesForCourt: '建议委托房屋损失鉴定' } },
      mediator.token,
    );
    const c = res.data.terminateMediation.case;
    expect(c.status).toBe('FAILED');
    expect(c.termination).toMatchObject({
      ground: 'POSITIONS_TOO_FAR_APART',
      note: '赔偿数额分歧大',
      failureReport: { undisputedFacts: ['被申请人于2025年翻建房屋'], notesForCourt: '建议委托房屋损失鉴定' },
    });
    expect(c.termination.failureReport.why).toContain('赔偿数额分歧大');
    expect(c.termination.failureReport.routes.join()).toContain('人民法院');
    const told = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'mediation.terminated'), eq(outbox.caseId, localUuid(caseId))));
    expect(new Set(told.map((t) => t.recipient))).toEqual(new Set([w.applicant.phone, w.respondent.phone]));
    expect((told[0]!.payload as { routes: string[] }).routes.length).toBeGreaterThan(0);
    const again = await ctx.gql(TERMINATE, { input: { caseId, ground: 'OTHER' } }, mediator.token);
    expect(again.data.terminateMediation.code).toBe('INVALID_TRANSITION');
  });

  it('escalates a village people’s mediation one level up instead of failing when asked', async () => {
    const { caseId, mediator } = await mediatingCase();
    const res = await ctx.gql(TERMINATE, { input: { caseId, ground: 'POSITIONS_TOO_FAR_APART', escalate: true, note: '村级难以化解' } }, mediator.token);
    const c = res.data.terminateMediation.case;
    expect(c).toMatchObject({ status: 'ASSIGNING', level: 'TOWNSHIP', termination: null });
    const escalation = (await load(caseId, w.applicant.token)).events.find((e: { type: string }) => e.type === 'case.escalation');
    expect(JSON.parse(escalation.data).reason).toContain('村级难以化解');
  });
});

describe('strangers', () => {
  it('get NOT_FOUND from every session mutation', async () => {
    const { caseId, mediator } = await mediatingCase();
    const s = (await ctx.gql(SCHEDULE, { input: { caseId, startsAt: inHours(1), mode: 'VIDEO' } }, mediator.token)).data.scheduleSession.session;
    const fact = (await ctx.gql(ADD_FACT, { input: { caseId, text: '事实' } }, mediator.token)).data.addUndisputedFact.fact;
    const ext = (await ctx.gql(EXTEND, { input: { caseId, days: 5, reason: '理由' } }, mediator.token)).data.requestExtension.extension;
    const attempts: [string, string, Record<string, unknown>][] = [
      [SCHEDULE, 'scheduleSession', { caseId, startsAt: inHours(5), mode: 'PHONE' }],
      [RESCHEDULE, 'rescheduleSession', { sessionId: s.id, startsAt: inHours(5), reason: 'x' }],
      [CANCEL, 'cancelSession', { sessionId: s.id, reason: 'x' }],
      [CONSENT_SEPARATE, 'consentToSeparateSessions', { caseId }],
      [JOIN, 'joinSession', { sessionId: s.id, password: PASSWORD }],
      [POST, 'postSessionMessage', { sessionId: s.id, body: '你好' }],
      [PRESENCE, 'updatePresence', { sessionId: s.id, present: true }],
      [MINUTES, 'updateMinutes', { sessionId: s.id, text: 'x' }],
      [CONFIRM_MINUTES, 'confirmMinutes', { sessionId: s.id, version: 1 }],
      [ADD_FACT, 'addUndisputedFact', { caseId, text: 'x' }],
      [CONFIRM_FACT, 'confirmUndisputedFact', { factId: fact.id }],
      [DISCLOSE, 'discloseConflict', { caseId, description: 'x' }],
      [ANOTHER, 'requestAnotherMediator', { caseId, reason: 'x' }],
      [EXTEND, 'requestExtension', { caseId, days: 5, reason: 'x' }],
      [CONSENT_EXT, 'consentToExtension', { extensionId: ext.id, consent: true }],
      [TERMINATE, 'terminateMediation', { caseId, ground: 'OTHER' }],
    ];
    for (const [doc, name, input] of attempts) {
      const res = await ctx.gql(doc, { input }, stranger.token);
      expect({ name, code: res.data?.[name]?.code }).toEqual({ name, code: 'NOT_FOUND' });
    }
    // Nothing changed for the case.
    expect((await load(caseId, mediator.token)).status).toBe('MEDIATING');
  });
});
