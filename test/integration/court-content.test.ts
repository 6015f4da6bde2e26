import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT_APP, APPLY, DRAFT, RULE, SIGN, WITHDRAW_APP, caseNumberFor, courtClient, createConfirmationWorld, failedCase, holdSession, jointlyApply, settledCase, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { caseInMediation, everyoneIn, fileAndConsent, relogin } from '../support/case-world';
import { createTestContext, type TestContext } from '../support/harness';
import { PASSWORD, createMediatorAccount, createOrg, loginAs, registerParty } from '../support/factories';
import { outbox } from '../../schema';
import { eq } from 'drizzle-orm';
import { decodeGlobalID } from '@pothos/plugin-relay';
import request from 'supertest';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court, 'http://127.0.0.1:9/unused');
});
afterAll(async () => ctx?.close());

const COURTS = /* GraphQL */ `
  query ($id: ID!) { eligibleCourts(agreementId: $id) { court { id name } reasons }
    node(id: $id) { ... on Agreement { ineligibleCourts { court { id } reasons } jurisdictionRule } } }
`;

async function setAmount(caseId: string, amount: string) {
  await ctx.deps.db.execute(`update cases set amount = '${amount}' where id = '${decodeGlobalID(caseId).id}'`);
}

describe('jurisdiction (CPL 205, INT 352, 法发〔2021〕27号)', () => {
  it('a small dispute goes to the basic court of the organisation’s place, not to the intermediate court', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { agreementId } = await settledCase(ctx, w);
    const res = await ctx.gql(COURTS, { id: agreementId }, w.applicant.token);
    const eligible = res.data.eligibleCourts;
    expect(eligible.map((e: { court: { id: string } }) => e.court.id)).toContain(w.court.globalId);
    expect(eligible.find((e: { court: { id: string } }) => e.court.id === w.court.globalId).reasons.join()).toContain('调解组织');
    const inter = res.data.node.ineligibleCourts.find((e: { court: { id: string } }) => e.court.id === w.otherCourt.globalId);
    expect(inter.reasons.join()).toContain('未达到');
    expect(res.data.node.jurisdictionRule).toContain('法发〔2021〕27号');
  });

  it('6亿 with every party in the province: only the supervising intermediate court; the basic court cannot accept', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { caseId, agreementId } = await settledCase(ctx, w);
    await setAmount(caseId, '600000000.00');
    const res = await ctx.gql(COURTS, { id: agreementId }, w.applicant.token);
    // On PostgreSQL other files' worlds may add intermediate courts of the same prefecture at the
    // same time; they are as eligible. What matters: the supervising intermediate court is, for
    // the amount, and the basic court is not.
    const eligible = res.data.eligibleCourts as { court: { id: string }; reasons: string[] }[];
    expect(eligible.map((e) => e.court.id)).toContain(w.otherCourt.globalId);
    expect(eligible.map((e) => e.court.id)).not.toContain(w.court.globalId);
    for (const e of eligible) expect(e.reasons.join()).toContain('5亿元');
    const basic = res.data.node.ineligibleCourts.find((e: { court: { id: string } }) => e.court.id === w.court.globalId);
    expect(basic.reasons.join()).toContain('基层人民法院不得受理');
  });

  it('1.5亿 with a party domiciled outside the province: the intermediate court; 1.5亿 inside the province stays basic', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { caseId, agreementId } = await settledCase(ctx, w);
    await setAmount(caseId, '150000000.00');
    const inside = await ctx.gql(COURTS, { id: agreementId }, w.applicant.token);
    expect(inside.data.eligibleCourts.map((e: { court: { id: string } }) => e.court.id)).toContain(w.court.globalId);
    // The respondent is domiciled in Sichuan.
    await ctx.deps.db.execute(`update case_parties set address = '四川省成都市武侯区浆洗街1号', domicile_region_code = '510107' where case_id = '${decodeGlobalID(caseId).id}' and role = 'RESPONDENT'`);
    const outside = await ctx.gql(COURTS, { id: agreementId }, w.applicant.token);
    const ids = outside.data.eligibleCourts.map((e: { court: { id: string } }) => e.court.id);
    expect(ids).toContain(w.otherCourt.globalId);
    expect(ids).not.toContain(w.court.globalId);
    expect(outside.data.eligibleCourts.find((e: { court: { id: string } }) => e.court.id === w.otherCourt.globalId).reasons.join()).toContain('1亿元');
  });
});

describe('what the court receives', () => {
  it('materials carry each party’s full identity; the ruling number uses full-width parentheses and the year of acceptance; 驳回 may rest on an INT 355 ground', async () => {
    ctx.clock.set('2026-11-24T02:00:00Z');
    // Sessions made at the world's creation have expired by now: log everyone in again.
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await loginAs(ctx, who.phone)).token;
    const { agreementId } = await settledCase(ctx, w, { withSession: true });
    const app = await jointlyApply(ctx, w, agreementId, w.court);
    const accepted = await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
    expect(accepted.data.acceptConfirmationApplication.application.status).toBe('ACCEPTED');
    const m = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on ConfirmationApplication { materials { parties { name idNumber domicile phone agents } } } } }`, { id: app.id }, court.secret);
    const parties = m.data.node.materials.parties;
    expect(parties).toHaveLength(2);
    expect(parties[0]).toMatchObject({ idNumber: w.applicant.idNumber, domicile: '云南省大理白族自治州宾川县金牛镇圭山村' });
    expect(parties[1]).toMatchObject({ idNumber: w.respondent.idNumber });
    expect(parties[1].domicile).toBeTruthy();
    // The number carries the year the court accepted (2026); the previous year is no longer taken.
    const wrongYear = await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'REJECTED', notAcceptedGround: 'OWNERSHIP_OF_REAL_RIGHT_OR_IP', rulingNumber: `（2025）${court.court.courtCode}民特9号` } }, court.secret);
    expect(wrongYear.data.ruleOnConfirmation.fields[0].field).toBe('rulingNumber');
    const ruling = `(2026)${court.court.courtCode}民特${Date.now() % 100000 + 1}号`;
    const ruled = await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'REJECTED', notAcceptedGround: 'OWNERSHIP_OF_REAL_RIGHT_OR_IP', rulingNumber: ruling } }, court.secret);
    const a = ruled.data.ruleOnConfirmation.application;
    expect(a.status).toBe('REJECTED');
    expect(a.rulingNumber).toBe(ruling.replace('(2026)', '（2026）'));
    expect(a.notAcceptedGround).toBe('OWNERSHIP_OF_REAL_RIGHT_OR_IP');
  });

  it('a litigation transfer carries no concession, no note and no one-sided fact', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { case: c, mediator } = await caseInMediation(ctx, w);
    await holdSession(ctx, w, c.id, mediator.token);
    const one = await ctx.gql(`mutation($input: AddUndisputedFactInput!) { addUndisputedFact(input: $input) { ... on AddUndisputedFactSuccess { fact { id } } } }`, { input: { caseId: c.id, text: '被申请人曾同意赔偿5000元。' } }, mediator.token);
    await ctx.gql(`mutation($input: ConfirmUndisputedFactInput!) { confirmUndisputedFact(input: $input) { __typename } }`, { input: { factId: one.data.addUndisputedFact.fact.id } }, w.applicant.token);
    await ctx.gql(`mutation($input: TerminateMediationInput!) { terminateMediation(input: $input) { __typename } }`, { input: { caseId: c.id, ground: 'POSITIONS_TOO_FAR_APART', note: '被申请人曾表示同意赔偿5000元', notesForCourt: '被申请人曾…同意赔偿5000元' } }, mediator.token);
    const res = await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { ... on TransferToLitigationSuccess { transfer { id undisputedFacts failureReport { why undisputedFacts notesForCourt } } } ... on Error { code message } } }`, { input: { caseId: c.id, courtId: w.court.globalId } }, w.applicant.token);
    const t = res.data.transferToLitigation.transfer;
    expect(t.undisputedFacts).toEqual(['被申请人房屋屋檐滴水落入申请人院内。']);
    expect(t.failureReport.notesForCourt).toBeNull();
    expect(JSON.stringify(t)).not.toContain('5000');
    const [hook] = await ctx.deps.db.select().from(outbox).where(eq(outbox.caseId, decodeGlobalID(c.id).id)).then((rows) => rows.filter((r) => r.topic === 'litigation_transfer.created'));
    expect(JSON.stringify(hook!.payload)).not.toContain('5000');
    const events = await ctx.gql(`query($id: ID!) { case(id: $id) { events { type data } } }`, { id: c.id }, court.secret);
    expect(JSON.stringify(events.data.case.events)).not.toContain('5000');
    // The mediation's end as the court reads it: the ground and the confirmed facts, no note.
    const END = `query($id: ID!) { case(id: $id) { termination { ground note failureReport { why undisputedFacts notesForCourt } } } }`;
    const endAsCourt = await ctx.gql(END, { id: c.id }, court.secret);
    expect(endAsCourt.body.errors).toBeUndefined();
    expect(endAsCourt.data.case.termination).toMatchObject({ ground: 'POSITIONS_TOO_FAR_APART', note: null, failureReport: { why: '各方意见分歧较大，难以达成一致', undisputedFacts: ['被申请人房屋屋檐滴水落入申请人院内。'], notesForCourt: null } });
    expect(JSON.stringify(endAsCourt.data)).not.toContain('5000');
    const endAsMediator = await ctx.gql(END, { id: c.id }, mediator.token);
    expect(endAsMediator.data.case.termination).toMatchObject({ note: '被申请人曾表示同意赔偿5000元', failureReport: { why: '各方意见分歧较大，难以达成一致：被申请人曾表示同意赔偿5000元', notesForCourt: '被申请人曾…同意赔偿5000元' } });
    // The case's facts as the court reads them: only what every party confirmed (OMR 18, 22); the
    // parties and the mediator read both, with who confirmed each.
    const FACTS = `query($id: ID!) { case(id: $id) { undisputedFacts { text confirmedPartyIds } } }`;
    const asCourt = await ctx.gql(FACTS, { id: c.id }, court.secret);
    expect(asCourt.body.errors).toBeUndefined();
    expect(asCourt.data.case.undisputedFacts.map((f: { text: string }) => f.text)).toEqual(['被申请人房屋屋檐滴水落入申请人院内。']);
    for (const token of [w.applicant.token, w.respondent.token, mediator.token]) {
      const asParty = await ctx.gql(FACTS, { id: c.id }, token);
      // Recorded at the same instant of the test's clock: compared in any order.
      const facts = asParty.data.case.undisputedFacts as { text: string; confirmedPartyIds: string[] }[];
      expect(facts.map((f) => f.text).sort()).toEqual(['被申请人房屋屋檐滴水落入申请人院内。', '被申请人曾同意赔偿5000元。'].sort());
      expect(facts.find((f) => f.text.includes('5000'))!.confirmedPartyIds).toHaveLength(1);
      expect(facts.find((f) => !f.text.includes('5000'))!.confirmedPartyIds).toHaveLength(2);
    }
    // The court's window (set here as when the matter left it) ends what it reads: a fact one party
    // confirmed only after it is not confirmed for the court, and a termination after it is not there.
    const caseUuid = decodeGlobalID(c.id).id;
    const window = (until: string) => ctx.deps.db.execute(`update case_court_access set content_until = '${until}' where case_id = '${caseUuid}' and court_id = '${w.court.id}'`);
    await ctx.deps.db.execute(`update undisputed_fact_confirmations set confirmed_at = '2026-11-23T03:00:00Z' where fact_id in (select id from undisputed_facts where case_id = '${caseUuid}') and party_id = (select id from case_parties where case_id = '${caseUuid}' and role = 'RESPONDENT')`);
    await window('2026-11-23T02:30:00Z');
    expect((await ctx.gql(FACTS, { id: c.id }, court.secret)).data.case.undisputedFacts).toEqual([]);
    expect((await ctx.gql(END, { id: c.id }, court.secret)).data.case.termination).toMatchObject({ ground: 'POSITIONS_TOO_FAR_APART' });
    expect((await ctx.gql(`query($id: ID!) { case(id: $id) { deadlines { kind } } }`, { id: c.id }, court.secret)).data.case.deadlines.length).toBeGreaterThan(0);
    await window('2026-11-23T01:00:00Z');
    expect((await ctx.gql(END, { id: c.id }, court.secret)).data.case.termination).toBeNull();
    // Deadlines too: with the window before the case was filed, the court reads none of them.
    const DEADLINES = `query($id: ID!) { case(id: $id) { deadlines { kind } } }`;
    expect((await ctx.gql(DEADLINES, { id: c.id }, court.secret)).data.case.deadlines).toEqual([]);
    expect((await ctx.gql(DEADLINES, { id: c.id }, mediator.token)).data.case.deadlines.length).toBeGreaterThan(0);
    // The mediator reads as before.
    expect((await ctx.gql(END, { id: c.id }, mediator.token)).data.case.termination).toMatchObject({ note: '被申请人曾表示同意赔偿5000元' });
    expect((await ctx.gql(FACTS, { id: c.id }, mediator.token)).data.case.undisputedFacts).toHaveLength(2);
  });

  it('a court reads no reason given in mediation: hand-offs, routing, extensions and cancelled sessions carry the platform’s words', async () => {
    const at = (hhmm: string) => ctx.clock.set(`2026-11-23T${hhmm}:00Z`);
    at('02:00');
    await relogin(ctx, ...everyoneIn(w));
    const mediators = [...w.villageMediators, w.townshipMediator, w.countyMediator];
    const ok = async (name: string, input: Record<string, unknown>, token: string, select = '__typename') => {
      const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
      const res = await ctx.gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { __typename ... on Error { code message } ${select} } }`, { input }, token);
      expect(res.body.errors, name).toBeUndefined();
      expect(res.data[name].__typename, JSON.stringify(res.data[name])).toMatch(/Success$/);
      return res.data[name];
    };
    const proposedMediator = async (caseId: string) => {
      const res = await ctx.gql(`query($id: ID!) { case(id: $id) { mediator { id } } }`, { id: caseId }, w.admin.token);
      const m = mediators.find((x) => x.mediatorGlobalId === res.data.case.mediator?.id);
      if (!m) throw new Error(`no proposed mediator: ${JSON.stringify(res.body)}`);
      return m;
    };
    // Each reason given along the way quotes the mediation (a mark the court must never read).
    const c = await fileAndConsent(ctx, w);
    await ok('declineAssignment', { caseId: c.id, reason: '秘密甲：调解员与申请人系表亲' }, (await proposedMediator(c.id)).token);
    at('02:05');
    const village = await proposedMediator(c.id);
    await ok('acceptAssignment', { caseId: c.id }, village.token);
    at('02:10');
    await ok('requestExtension', { caseId: c.id, days: 10, reason: '秘密乙：被申请人外出务工，愿意回来后再谈' }, village.token);
    at('02:15');
    const scheduled = await ok('scheduleSession', { caseId: c.id, mode: 'ON_SITE', kind: 'VILLAGE_VISIT', place: '村委会调解室', startsAt: '2026-11-24T02:00:00Z' }, village.token, '... on ScheduleSessionSuccess { session { id } }');
    await ok('cancelSession', { sessionId: scheduled.session.id, reason: '秘密丙：申请人住院' }, village.token);
    at('02:20');
    await ok('terminateMediation', { caseId: c.id, ground: 'POSITIONS_TOO_FAR_APART', note: '秘密丁：被申请人愿赔3000元', escalate: true }, village.token);
    at('02:25');
    const township = await proposedMediator(c.id);
    expect(township).toBe(w.townshipMediator);
    await ok('acceptAssignment', { caseId: c.id }, township.token);
    at('02:30');
    await ok('terminateMediation', { caseId: c.id, ground: 'POSITIONS_TOO_FAR_APART', note: '秘密戊' }, township.token);
    at('02:35');
    await ok('transferToLitigation', { caseId: c.id, courtId: w.court.globalId }, w.applicant.token);

    const READ = `query($id: ID!) { case(id: $id) {
      assignments { kind status reason decisionReason createdAt }
      routing { reasons alternatives { why } mediatorReasons }
      extensions { days reason }
      sessions { status cancelReason }
      events { data }
      termination { note failureReport { why notesForCourt } } } }`;
    const asCourt = await ctx.gql(READ, { id: c.id }, court.secret);
    expect(asCourt.body.errors).toBeUndefined();
    const seen = asCourt.data.case;
    expect(JSON.stringify(seen)).not.toContain('秘密');
    // The court still reads every hand-off, the extension and the session, in the platform's words.
    expect(seen.assignments.map((a: { kind: string; reason: string }) => [a.kind, a.reason])).toEqual([
      ['DIVERSION', '按分流规则派单'],
      [expect.any(String), expect.any(String)],
      ['ESCALATION', '升级至上一级调解'],
    ]);
    expect(seen.assignments[0]).toMatchObject({ status: 'DECLINED', decisionReason: '调解员拒绝接受' });
    expect(seen.assignments[2]).toMatchObject({ status: 'ACCEPTED', decisionReason: null });
    expect(seen.routing).toBeNull();
    expect(seen.extensions).toEqual([{ days: 10, reason: '申请延长调解期限10日' }]);
    expect(seen.sessions).toEqual([{ status: 'CANCELLED', cancelReason: null }]);
    // Those who mediate read every reason as it was given.
    const asMediator = await ctx.gql(READ, { id: c.id }, township.token);
    const full = JSON.stringify(asMediator.data.case);
    for (const mark of ['秘密甲', '秘密乙', '秘密丙', '秘密丁', '秘密戊']) expect(full, mark).toContain(mark);
    expect(asMediator.data.case.routing.reasons.join()).toContain('秘密丁');
    // The court's window ends what it reads of hand-offs and extensions, as of the rest.
    const caseUuid = decodeGlobalID(c.id).id;
    await ctx.deps.db.execute(`update case_court_access set content_until = '2026-11-23T02:07:00Z' where case_id = '${caseUuid}' and court_id = '${w.court.id}'`);
    const early = (await ctx.gql(READ, { id: c.id }, court.secret)).data.case;
    expect(early.assignments.map((a: { kind: string }) => a.kind)).toEqual(['DIVERSION', expect.any(String)]);
    expect(early.extensions).toEqual([]);
  });

  it('a court reads only agreements that became effective: not a draft a party refused to sign, nor one replaced', async () => {
    ctx.clock.set('2026-11-23T03:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const draft = (terms: string) => ({ input: { caseId: c.id, facts: '被申请人屋檐滴水落入申请人院内。', issues: '排水改建及赔偿。', terms: [{ text: terms }], performanceMethod: '一次性转账支付', performanceDeadline: '2026-12-20' } });
    const first = await ctx.gql(DRAFT, draft('被申请人赔偿申请人人民币5000元。'), mediator.token);
    const firstId = first.data.draftAgreement.agreement.id;
    ctx.clock.set('2026-11-23T03:10:00Z');
    const second = await ctx.gql(DRAFT, draft('被申请人赔偿申请人人民币4000元。'), mediator.token);
    const secondId = second.data.draftAgreement.agreement.id;
    // One party signs the second offer, the other refuses: mediation ends and the matter goes to court.
    const signed = await ctx.gql(SIGN, { input: { agreementId: secondId, password: PASSWORD } }, w.applicant.token);
    expect(signed.data.signAgreement.__typename).toBe('SignAgreementSuccess');
    const ended = await ctx.gql(`mutation($input: TerminateMediationInput!) { terminateMediation(input: $input) { __typename ... on Error { message } } }`, { input: { caseId: c.id, ground: 'PARTY_REFUSES_TO_SIGN' } }, mediator.token);
    expect(ended.data.terminateMediation.__typename).toBe('TerminateMediationSuccess');
    const sent = await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { __typename ... on Error { message } } }`, { input: { caseId: c.id, courtId: w.court.globalId } }, w.applicant.token);
    expect(sent.data.transferToLitigation.__typename).toBe('TransferToLitigationSuccess');
    const READ = `query($id: ID!, $a: ID!, $b: ID!) { case(id: $id) { agreement { id } agreements { id } } a: node(id: $a) { id } b: node(id: $b) { id } }`;
    const asCourt = await ctx.gql(READ, { id: c.id, a: firstId, b: secondId }, court.secret);
    expect(asCourt.body.errors).toBeUndefined();
    expect(asCourt.data).toEqual({ case: { agreement: null, agreements: [] }, a: null, b: null });
    const pdf = await request(ctx.app).get(`/files/agreements/${secondId}.pdf`).set('authorization', `Bearer ${court.secret}`);
    expect(pdf.status).toBe(404);
    // The mediator and the parties read both versions as before.
    const asMediator = await ctx.gql(READ, { id: c.id, a: firstId, b: secondId }, mediator.token);
    expect(asMediator.data.case.agreements.map((a: { id: string }) => a.id)).toEqual([firstId, secondId]);
    expect(asMediator.data.b).toEqual({ id: secondId });
  });

  it('after a rejection the court reads nothing new of the case, but its ruling and objection deadlines; an application withdrawn before every party applied never reaches it', async () => {
    ctx.clock.set('2026-11-24T02:00:00Z');
    await relogin(ctx, ...everyoneIn(w));
    const { caseId, agreementId } = await settledCase(ctx, w);
    const app = await jointlyApply(ctx, w, agreementId, w.court);
    await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
    const EVENTS = `query($id: ID!) { case(id: $id) { events { seq type } } }`;
    ctx.clock.set('2026-11-24T03:00:00Z');
    // The ruling read with a clock that moves between reads, as a real one does.
    ctx.clock.ticking(true);
    const ruled = await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'REJECTED', rejectionGround: 'NOT_VOLUNTARY', rulingNumber: `（2026）${court.court.courtCode}民特${Date.now() % 100000 + 7}号` } }, court.secret);
    expect(ruled.data.ruleOnConfirmation.__typename, JSON.stringify(ruled.body)).toBe('RuleOnConfirmationSuccess');
    ctx.clock.ticking(false);
    const atRuling = (await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case.events;
    expect(atRuling.map((e: { type: string }) => e.type)).toContain('confirmation.rejected');
    // The objection deadlines the ruling set are the court's to read (INT 372).
    const kinds = (await ctx.gql(`query($id: ID!) { case(id: $id) { deadlines { kind } } }`, { id: caseId }, court.secret)).data.case.deadlines.map((d: { kind: string }) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['OBJECTION_PARTIES', 'OBJECTION_OTHERS']));
    // After the rejection the parties go on: an agent is appointed, an event of the case.
    ctx.clock.set('2026-11-24T04:00:00Z');
    const agent = await registerParty(ctx, { name: '周裁后' });
    const appointed = await ctx.gql(`mutation($input: AppointAgentInput!) { appointAgent(input: $input) { __typename } }`, { input: { caseId, name: agent.name, phone: agent.phone, authority: '代为参加调解', specialAuthority: false } }, w.applicant.token);
    expect(appointed.data.appointAgent.__typename).toBe('AppointAgentSuccess');
    expect((await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case.events).toEqual(atRuling);
    expect((await ctx.gql(EVENTS, { id: caseId }, w.applicant.token)).data.case.events.map((e: { type: string }) => e.type)).toContain('case.agent_appointed');

    // Another settled case: the applicant applies, then withdraws before the respondent joins.
    const other = await settledCase(ctx, w);
    const applied = await ctx.gql(APPLY, { input: { agreementId: other.agreementId, courtId: w.court.globalId } }, w.applicant.token);
    const pendingId = applied.data.applyForJudicialConfirmation.application.id;
    const withdrawn = await ctx.gql(WITHDRAW_APP, { input: { applicationId: pendingId, reason: '双方已另行协商' } }, w.applicant.token);
    expect(withdrawn.data.withdrawConfirmationApplication.application.status).toBe('WITHDRAWN');
    const seen = await ctx.gql(`query($id: ID!) { node(id: $id) { id } confirmationApplications(first: 100, status: [WITHDRAWN]) { edges { node { id } } } }`, { id: pendingId }, court.secret);
    expect(seen.body.errors).toBeUndefined();
    expect(seen.data.node).toBeNull();
    expect(seen.data.confirmationApplications.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(pendingId);
  });

  it('numbers: agreement numbers with full-width parentheses', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { agreementId } = await settledCase(ctx, w);
    const a = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on Agreement { number } } }`, { id: agreementId }, w.applicant.token);
    expect(a.data.node.number).toMatch(/^（2026）.+调协字第\d+号$/);
    expect(caseNumberFor(ctx, court.court.courtCode, '民初')).toBeTruthy();
    void failedCase;
  });
});

describe('委派: court-delegated mediation', () => {
  it('a court delegates a case sent to it to a court-invited organisation; the delegating court alone may confirm', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await loginAs(ctx, who.phone)).token;
    const invited = await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.county.code, categories: ['NEIGHBOR'], name: `特邀调解组织${Date.now() % 100000}` });
    await ctx.deps.db.execute(`update organizations set inviting_court_id = '${w.court.id}' where id = '${invited.id}'`);
    const invitedMediator = await createMediatorAccount(ctx, w.admin.token, invited, { categories: ['NEIGHBOR'] });
    const { caseId } = await failedCase(ctx, w);
    await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { __typename } }`, { input: { caseId, courtId: w.court.globalId } }, w.applicant.token);
    const DELEGATE = `mutation($input: DelegateMediationInput!) { delegateMediation(input: $input) { __typename ... on DelegateMediationSuccess { case { id status channel delegatingCourt { id } organization { id } } } ... on Error { code message } ... on ValidationError { fields { field } } } }`;
    // Not on this court's roster: refused, naming the field.
    const wrongOrg = await ctx.gql(DELEGATE, { input: { caseId, organizationId: w.villageOrg.globalId } }, court.secret);
    expect(wrongOrg.data.delegateMediation.fields[0].field).toBe('organizationId');
    // A party cannot delegate.
    expect((await ctx.gql(DELEGATE, { input: { caseId, organizationId: invited.globalId } }, w.applicant.token)).data.delegateMediation.code).toBe('FORBIDDEN');
    const res = await ctx.gql(DELEGATE, { input: { caseId, organizationId: invited.globalId, mediatorId: invitedMediator.mediatorGlobalId } }, court.secret);
    const c = res.data.delegateMediation.case;
    expect(c).toMatchObject({ status: 'ASSIGNING', channel: 'JUDICIAL', delegatingCourt: { id: w.court.globalId }, organization: { id: invited.globalId } });
    const again = await ctx.gql(DELEGATE, { input: { caseId, organizationId: invited.globalId } }, court.secret);
    expect(again.data.delegateMediation.code).toBe('INVALID_TRANSITION');
    // The invited mediator accepts, the parties settle; only the delegating court is eligible.
    const accepted = await ctx.gql(`mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on Error { message } } }`, { input: { caseId } }, invitedMediator.token);
    expect(accepted.data.acceptAssignment.__typename).toBe('AcceptAssignmentSuccess');
    const drafted = await ctx.gql(`mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { __typename ... on DraftAgreementSuccess { agreement { id } } ... on Error { message } } }`,
      { input: { caseId, facts: '被申请人屋檐滴水落入申请人院内。', issues: '排水改建。', terms: [{ text: '被申请人于2026年12月20日前改建排水设施。' }], performanceMethod: '自行改建', performanceDeadline: '2026-12-20' } }, invitedMediator.token);
    const agreementId = drafted.data.draftAgreement.agreement.id;
    const courts = await ctx.gql(COURTS, { id: agreementId }, w.applicant.token);
    expect(courts.data.eligibleCourts.map((e: { court: { id: string } }) => e.court.id)).toEqual([w.court.globalId]);
    expect(courts.data.eligibleCourts[0].reasons.join()).toContain('委派');
    expect(courts.data.node.ineligibleCourts.find((e: { court: { id: string } }) => e.court.id === w.otherCourt.globalId).reasons.join()).toContain('委派');
  });
});

describe('profile and drafting', () => {
  it('updateProfile writes ethnicity and occupation; consent to electronic service is recorded with its time; bad input names the field', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const who = await registerParty(ctx, { name: '普米' });
    const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename ... on UpdateProfileSuccess { user { ethnicity occupation serviceAddress electronicServiceConsentAt } } ... on ValidationError { fields { field } } } }`;
    const bad = await ctx.gql(UPDATE, { input: { ethnicity: '火星族' } }, who.token);
    expect(bad.data.updateProfile.fields[0].field).toBe('ethnicity');
    const noConsent = await ctx.gql(UPDATE, { input: { serviceAddress: 'a@example.cn' } }, who.token);
    expect(noConsent.data.updateProfile.fields[0].field).toBe('consentsToElectronicService');
    const ok = await ctx.gql(UPDATE, { input: { ethnicity: '彝', occupation: '教师', serviceAddress: 'a@example.cn', consentsToElectronicService: true } }, who.token);
    expect(ok.data.updateProfile.user).toEqual({ ethnicity: '彝族', occupation: '教师', serviceAddress: 'a@example.cn', electronicServiceConsentAt: '2026-11-23T02:00:00.000Z' });
    expect((await ctx.gql(UPDATE, { input: { occupation: '教师' } })).data.updateProfile.__typename).toBe('ForbiddenError');
  });
});
