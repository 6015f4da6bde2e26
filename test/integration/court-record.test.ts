import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreements, organizations } from '../../schema';
import { regionShortName } from '../../server/domain/cases/numbering';
import { recordEvent } from '../../server/domain/audit/record-event';
import { DRAFT, SIGN, draftInput } from '../support/agreements';
import { ACCEPT, FILE, RESPOND, caseInMediation, fileAndConsent, fileNeighborDispute } from '../support/case-world';
import { APPLY, DECLINE_APP, courtClient, createConfirmationWorld, failedCase, jointlyApply, settledCase, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { PASSWORD, phoneCodeFor, registerParty } from '../support/factories';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import { poppler, run, squeeze } from '../support/poppler';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
  ctx.clock.set('2026-11-23T02:00:00Z');
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court, null);
  dir = mkdtempSync(join(tmpdir(), 'court-record-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

const TIMEOUT = 60_000;
const CASE = `query($id: ID!) { case(id: $id) { number status parties { id role name agents { name authority specialAuthority } } } }`;
const APPOINT = `mutation($input: AppointAgentInput!) { appointAgent(input: $input) { __typename ... on AppointAgentSuccess { case { id } } ... on Error { code message } ... on ValidationError { fields { field message } } } }`;
const EXT_B = '𠮷';

async function pdfText(pdfUrl: string, token: string): Promise<string> {
  const res = await request(ctx.app).get(new URL(pdfUrl).pathname).set('authorization', `Bearer ${token}`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, res.body as Buffer);
  return squeeze(run('pdftotext', ['-layout', file, '-']));
}

async function shortNameOf(orgId: string): Promise<string> {
  const [o] = await ctx.deps.db.select({ shortName: organizations.shortName }).from(organizations).where(eq(organizations.id, orgId));
  return o!.shortName!;
}

describe('case numbers per mediation organisation', () => {
  it('derives the short name from the name (regions and the kind of body dropped), takes a given one, refuses a taken one', async () => {
    const ORG = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { __typename ... on CreateOrganizationSuccess { organization { id shortName } } ... on ValidationError { fields { field } } } }`;
    // A township committee named after its county and township: 宾川县金牛镇人民调解委员会 -> 金牛.
    const name = `${w.county.name}${w.township.name}人民调解委员会`;
    const derived = await ctx.gql(ORG, { input: { name, kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.township.code } }, w.admin.token);
    expect(derived.data.createOrganization.organization.shortName).toBe(regionShortName(w.township.name));
    const given = `测${uniquePhone().slice(-5)}`;
    const explicit = await ctx.gql(ORG, { input: { name: `${w.county.name}专业调解委员会${given}`, kind: 'INDUSTRY_MEDIATION_COMMITTEE', regionCode: w.county.code, shortName: given } }, w.admin.token);
    expect(explicit.data.createOrganization.organization.shortName).toBe(given);
    // A number must identify one committee: the same short name twice is refused, naming the field.
    const taken = await ctx.gql(ORG, { input: { name: `${w.county.name}另一调解委员会${given}`, kind: 'INDUSTRY_MEDIATION_COMMITTEE', regionCode: w.county.code, shortName: given } }, w.admin.token);
    expect(taken.data.createOrganization.fields[0].field).toBe('shortName');
    expect((await ctx.deps.db.select().from(organizations).where(eq(organizations.name, `${w.county.name}另一调解委员会${given}`))).length).toBe(0);
    // Deriving never collides: a second committee whose name derives to 金牛 gets another short name.
    const twin = await ctx.gql(ORG, { input: { name: `${w.township.name}人民调解委员会`, kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.township.code } }, w.admin.token);
    expect(twin.data.createOrganization.organization.shortName).not.toBe(regionShortName(w.township.name));
  }, TIMEOUT);

  it('a case is registered under the county at filing and numbered by the organisation that accepts it, gap-free; the agreement number follows', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const short = await shortNameOf(w.villageOrg.id);
    const filed = await fileNeighborDispute(ctx, w);
    expect(filed.number).toMatch(/^（2026）.+调登字第\d+号$/);
    const first = (await caseInMediation(ctx, w)).case;
    const second = (await caseInMediation(ctx, w)).case;
    const n1 = (await ctx.gql(CASE, { id: first.id }, w.applicant.token)).data.case.number as string;
    const n2 = (await ctx.gql(CASE, { id: second.id }, w.applicant.token)).data.case.number as string;
    const m1 = new RegExp(`^（2026）${short}调字第(\\d+)号$`).exec(n1);
    const m2 = new RegExp(`^（2026）${short}调字第(\\d+)号$`).exec(n2);
    expect(m1, n1).not.toBeNull();
    expect(Number(m2![1])).toBe(Number(m1![1]) + 1);
    const { agreementId } = await settledCase(ctx, w);
    const a = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on Agreement { number case { number } } } }`, { id: agreementId }, w.applicant.token);
    expect(a.data.node.number).toBe(a.data.node.case.number.replace('调字', '调协字'));
    expect(a.data.node.number).toMatch(new RegExp(`^（2026）${short}调协字第\\d+号$`));
  }, TIMEOUT);

});

describe('agents on both sides (INT 351)', () => {
  it('a respondent appoints agents; general authority may not sign; special authority signs and applies for the party, and the court sees it', async () => {
    ctx.clock.set('2026-11-24T02:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const general = await registerParty(ctx, { name: '赵一般' });
    const special = await registerParty(ctx, { name: '钱特授' });
    const stranger = await registerParty(ctx, { name: '孙路人' });
    const appoint = (token: string, who: { name: string; phone: string }, specialAuthority: boolean) =>
      ctx.gql(APPOINT, { input: { caseId: c.id, name: who.name, phone: who.phone, authority: specialAuthority ? '代为签署调解协议、申请司法确认' : '代为参加调解', specialAuthority } }, token);
    // A stranger cannot appoint anyone in a case they cannot see.
    expect((await appoint(stranger.token, special, true)).data.appointAgent.code).toBe('NOT_FOUND');
    expect((await appoint(w.respondent.token, general, false)).data.appointAgent.__typename).toBe('AppointAgentSuccess');
    expect((await appoint(w.respondent.token, special, true)).data.appointAgent.__typename).toBe('AppointAgentSuccess');
    // CPL 61: at most two.
    expect((await appoint(w.respondent.token, stranger, false)).data.appointAgent.__typename).toBe('ValidationError');
    const parties = (await ctx.gql(CASE, { id: c.id }, w.applicant.token)).data.case.parties;
    const respondent = parties.find((p: { role: string }) => p.role === 'RESPONDENT');
    expect(respondent.agents).toEqual([
      { name: '赵一般', authority: '代为参加调解', specialAuthority: false },
      { name: '钱特授', authority: '代为签署调解协议、申请司法确认', specialAuthority: true },
    ]);
    // The agents see the case they act in.
    expect((await ctx.gql(CASE, { id: c.id }, general.token)).data.case.number).toBeTruthy();

    const drafted = await ctx.gql(DRAFT, { input: draftInput(c.id, respondent.id) }, mediator.token);
    const a = drafted.data.draftAgreement.agreement;
    expect(a.status, JSON.stringify(drafted.body)).toBe('SIGNING');
    const refused = await ctx.gql(SIGN, { input: { agreementId: a.id, password: PASSWORD } }, general.token);
    expect(refused.data.signAgreement).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(refused.data.signAgreement.message).toContain('special authority');
    const bySpecial = await ctx.gql(SIGN, { input: { agreementId: a.id, password: PASSWORD } }, special.token);
    expect(bySpecial.data.signAgreement.__typename, JSON.stringify(bySpecial.body)).toBe('SignAgreementSuccess');
    // The respondent has now signed through the agent: not again.
    expect((await ctx.gql(SIGN, { input: { agreementId: a.id, password: PASSWORD } }, w.respondent.token)).data.signAgreement.code).toBe('CONFLICT');
    await ctx.gql(SIGN, { input: { agreementId: a.id, password: PASSWORD } }, w.applicant.token);
    const done = await ctx.gql(SIGN, { input: { agreementId: a.id, password: PASSWORD } }, mediator.token);
    expect(done.data.signAgreement.agreement.status).toBe('EFFECTIVE');
    const sigs = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on Agreement { pdfUrl signatures { role name agentName partyId } } } }`, { id: a.id }, w.applicant.token);
    expect(sigs.data.node.signatures.find((s: { partyId: string }) => s.partyId === respondent.id)).toMatchObject({ name: w.respondent.name, agentName: '钱特授' });
    if (poppler) {
      const text = await pdfText(sigs.data.node.pdfUrl, w.applicant.token);
      expect(text).toContain('钱特授（代）');
      expect(text).toContain(squeeze('钱特授（代理权限：特别授权：代为签署调解协议、申请司法确认'));
    }

    // Applying: general authority is refused, special authority applies for the respondent.
    const gen = await ctx.gql(APPLY, { input: { agreementId: a.id, courtId: w.court.globalId } }, general.token);
    expect(gen.data.applyForJudicialConfirmation.code).toBe('FORBIDDEN');
    await ctx.gql(APPLY, { input: { agreementId: a.id, courtId: w.court.globalId } }, w.applicant.token);
    const joint = await ctx.gql(APPLY, { input: { agreementId: a.id, courtId: w.court.globalId } }, special.token);
    const app = joint.data.applyForJudicialConfirmation.application;
    expect(app.status, JSON.stringify(joint.body)).toBe('SUBMITTED');
    const m = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on ConfirmationApplication { materials { parties { name appliedByAgent agentDetails { name authority specialAuthority } } } } } }`, { id: app.id }, court.secret);
    const mr = m.data.node.materials.parties.find((p: { name: string }) => p.name === w.respondent.name);
    expect(mr.appliedByAgent).toBe('钱特授');
    expect(mr.agentDetails).toEqual(expect.arrayContaining([expect.objectContaining({ name: '钱特授', specialAuthority: true }), expect.objectContaining({ name: '赵一般', specialAuthority: false })]));
  }, TIMEOUT);
});

describe('a court sees nothing new once the matter has left it', () => {
  const EVENTS = `query($id: ID!) { case(id: $id) { events { type } evidence { id } } }`;

  it('after NOT_ACCEPTED: the events it had stay; later ones never reach it', async () => {
    ctx.clock.set('2026-11-25T02:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const { caseId, agreementId } = await settledCase(ctx, w);
    const app = await jointlyApply(ctx, w, agreementId, w.court);
    const declined = await ctx.gql(DECLINE_APP, { input: { applicationId: app.id, ground: 'NOT_THIS_COURT' } }, court.secret);
    expect(declined.data.declineConfirmationApplication.application.status).toBe('NOT_ACCEPTED');
    const before = (await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case;
    expect(before.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['confirmation.submitted', 'confirmation.not_accepted']));
    ctx.clock.advance(60_000);
    // New content after the court's refusal: the applicant appoints an agent.
    const agent = await registerParty(ctx, { name: '周后来' });
    expect((await ctx.gql(APPOINT, { input: { caseId, name: agent.name, phone: agent.phone, authority: '代为参加调解', specialAuthority: false } }, w.applicant.token)).data.appointAgent.__typename).toBe('AppointAgentSuccess');
    const after = (await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case;
    expect(after.events).toEqual(before.events);
    expect(after.evidence).toEqual(before.evidence);
    const party = (await ctx.gql(EVENTS, { id: caseId }, w.applicant.token)).data.case;
    expect(party.events.map((e: { type: string }) => e.type)).toContain('case.agent_appointed');

    // An agreement drafted and made effective after the window closed (as a correction would be) is
    // not the court's either, through the case or by its id; the parties still read it. Its times are
    // moved past the window here, standing in for a later correction.
    const AGREEMENTS = `query($id: ID!, $a: ID!) { case(id: $id) { agreements { id } } node(id: $a) { id } }`;
    const seen = (await ctx.gql(AGREEMENTS, { id: caseId, a: agreementId }, court.secret)).data;
    expect(seen.case.agreements.map((a: { id: string }) => a.id)).toContain(agreementId);
    expect(seen.node?.id).toBe(agreementId);
    await ctx.deps.db.update(agreements).set({ createdAt: ctx.clock.now(), effectiveAt: ctx.clock.now() }).where(eq(agreements.id, decodeGlobalID(agreementId).id));
    const later = (await ctx.gql(AGREEMENTS, { id: caseId, a: agreementId }, court.secret)).data;
    expect(later.case.agreements).toEqual([]);
    expect(later.node).toBeNull();
    const partySees = (await ctx.gql(AGREEMENTS, { id: caseId, a: agreementId }, w.applicant.token)).data;
    expect(partySees.case.agreements.map((a: { id: string }) => a.id)).toContain(agreementId);
  }, TIMEOUT);

  it('after the transfer is acknowledged: the court keeps the transfer, not what comes later', async () => {
    ctx.clock.set('2026-11-25T06:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const { caseId } = await failedCase(ctx, w);
    const t = await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { ... on TransferToLitigationSuccess { transfer { id } } ... on Error { code message } } }`, { input: { caseId, courtId: w.court.globalId } }, w.applicant.token);
    const transferId = t.data.transferToLitigation.transfer.id;
    const docket = `（2026）${court.court.courtCode}民初${(Date.now() % 90000) + 1}号`;
    const ack = await ctx.gql(`mutation($input: AcknowledgeLitigationTransferInput!) { acknowledgeLitigationTransfer(input: $input) { __typename ... on Error { code message } } }`, { input: { transferId, docketNumber: docket } }, court.secret);
    expect(ack.data.acknowledgeLitigationTransfer.__typename, JSON.stringify(ack.body)).toBe('AcknowledgeLitigationTransferSuccess');
    const before = (await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case;
    expect(before.events.map((e: { type: string }) => e.type)).toContain('litigation.acknowledged');
    ctx.clock.advance(60_000);
    // The case is closed to uploads in LITIGATION; anything the platform records later (here an
    // audit entry written as a job would write it) stays on the platform.
    await recordEvent(ctx.deps.db, ctx.clock, { viewer: null, ip: null, userAgent: null, requestId: null }, { subjectType: 'case', subjectId: decodeGlobalID(caseId).id, type: 'case.note_after_docketing', data: { note: '立案后记录' } });
    const after = (await ctx.gql(EVENTS, { id: caseId }, court.secret)).data.case;
    expect(after.events).toEqual(before.events);
    const party = (await ctx.gql(EVENTS, { id: caseId }, w.respondent.token)).data.case;
    expect(party.events.map((e: { type: string }) => e.type)).toContain('case.note_after_docketing');
  }, TIMEOUT);
});

describe('CJK Extension B text is refused where it enters, naming the field (never a box on the agreement)', () => {
  it('register, updateProfile, fileDispute (parties and agents) and appointAgent', async () => {
    ctx.clock.set('2026-11-26T02:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const phone = uniquePhone();
    const reg = await ctx.gql(`mutation($input: RegisterInput!) { register(input: $input) { __typename ... on ValidationError { fields { field message } } } }`, { input: { phone, phoneCode: await phoneCodeFor(ctx, phone), password: PASSWORD, name: `${EXT_B}大明` } });
    expect(reg.data.register.fields[0]).toMatchObject({ field: 'name' });
    expect(reg.data.register.fields[0].message).toContain(EXT_B);
    const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename ... on ValidationError { fields { field } } } }`;
    expect((await ctx.gql(UPDATE, { input: { address: `云南省宾川县${EXT_B}村` } }, w.applicant.token)).data.updateProfile.fields[0].field).toBe('address');
    expect((await ctx.gql(UPDATE, { input: { occupation: `${EXT_B}匠` } }, w.applicant.token)).data.updateProfile.fields[0].field).toBe('occupation');
    const base = { category: 'NEIGHBOR', title: '宅基地滴水纠纷', description: '被申请人新建房屋屋檐滴水落入申请人院内，多次协商未果，请求调解。', regionCode: w.village.code };
    const badParty = await ctx.gql(FILE, { input: { ...base, respondents: [{ name: `${EXT_B}建国`, phone: uniquePhone() }] } }, w.applicant.token);
    expect(badParty.data.fileDispute.fields[0].field).toBe('respondents.0.name');
    const badAgent = await ctx.gql(FILE, { input: { ...base, respondents: [{ name: '杨建国', phone: uniquePhone(), agents: [{ name: `${EXT_B}律师`, phone: uniquePhone(), authority: '一般授权' }] }] } }, w.applicant.token);
    expect(badAgent.data.fileDispute.fields[0].field).toBe('respondents.0.agents.0.name');
    const c = await fileNeighborDispute(ctx, w);
    const badAppoint = await ctx.gql(APPOINT, { input: { caseId: c.id, name: `${EXT_B}代理`, phone: uniquePhone(), authority: '代为参加调解', specialAuthority: false } }, w.applicant.token);
    expect(badAppoint.data.appointAgent.fields[0].field).toBe('name');
  }, TIMEOUT);
});

describe('the profile of a party without an account, collected at filing', () => {
  it('民族 and 职业 given at filing are printed; a missing ethnicity is refused at drafting; the e-service address only for who designated it with consent', async () => {
    ctx.clock.set('2026-11-26T06:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const file = async (respondent: Record<string, unknown>) => {
      const phone = uniquePhone();
      const filed = await fileNeighborDispute(ctx, w, { respondents: [{ name: '王小芳', phone, address: '云南省大理白族自治州宾川县金牛镇圭山村', idNumber: null, ...respondent }] });
      // The respondent registers later (no profile of their own) to consent.
      const r = await registerParty(ctx, { name: '王小芳', phone });
      await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: true } }, r.token);
      const proposed = (await ctx.gql(`query($id: ID!) { case(id: $id) { mediator { id } parties { id role } } }`, { id: filed.id }, w.applicant.token)).data.case;
      const mediator = w.villageMediators.find((m) => m.mediatorGlobalId === proposed.mediator.id)!;
      await ctx.gql(ACCEPT, { input: { caseId: filed.id } }, mediator.token);
      return { caseId: filed.id, mediator, respondentPartyId: proposed.parties.find((p: { role: string }) => p.role === 'RESPONDENT').id, respondent: r };
    };
    // Registered parties have their own profile; clear it so only what filing collected counts.
    const withProfile = await file({ ethnicity: '白族', occupation: '个体工商户', serviceAddress: 'wang@example.cn', consentsToElectronicService: true });
    await ctx.deps.db.execute(`update users set ethnicity = null, occupation = null where id = '${withProfile.respondent.userId}'`);
    const drafted = await ctx.gql(DRAFT, { input: draftInput(withProfile.caseId, withProfile.respondentPartyId) }, withProfile.mediator.token);
    expect(drafted.data.draftAgreement.__typename, JSON.stringify(drafted.body)).toBe('DraftAgreementSuccess');
    if (poppler) {
      const text = await pdfText(drafted.data.draftAgreement.agreement.pdfUrl, withProfile.mediator.token);
      expect(text).toContain('白族');
      expect(text).toContain('个体工商户');
      expect(text).toContain('wang@example.cn');
      // The applicant never designated an e-service address: none is printed for them (their phone is not one).
      expect(text.match(/电子送达地址/g)?.length ?? 0).toBe(1);
    }

    const without = await file({ occupation: '农民' });
    await ctx.deps.db.execute(`update users set ethnicity = null where id = '${without.respondent.userId}'`);
    const refused = await ctx.gql(DRAFT, { input: draftInput(without.caseId, without.respondentPartyId) }, without.mediator.token);
    expect(refused.data.draftAgreement.__typename).toBe('ValidationError');
    expect(refused.data.draftAgreement.fields.map((f: { field: string }) => f.field)).toContain('parties.1.ethnicity');
    const status = (await ctx.gql(CASE, { id: without.caseId }, w.applicant.token)).data.case.status;
    expect(status).toBe('MEDIATING');
  }, TIMEOUT);
});

describe('numbers across the year (run last: the clock moves to 2027)', () => {
  it('the year is the year of acceptance, and each organisation counts from 1', async () => {
    ctx.clock.set('2026-12-31T16:30:00Z'); // 00:30 on 2027-01-01 in China
    for (const who of [w.applicant, w.respondent, w.countyMediator, w.townshipMediator, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const { case: c } = await caseInMediation(ctx, w);
    const short = await shortNameOf(w.villageOrg.id);
    expect(c.id).toBeTruthy();
    const n = (await ctx.gql(CASE, { id: c.id }, w.applicant.token)).data.case.number;
    expect(n).toBe(`（2027）${short}调字第1号`);
  }, TIMEOUT);

  it('concurrent acceptances in one organisation take consecutive numbers (row lock on the counter)', async () => {
    ctx.clock.set('2027-01-05T02:00:00Z');
    for (const who of [w.applicant, w.respondent, ...w.villageMediators]) who.token = (await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { ... on LoginSuccess { token } } }`, { input: { phone: who.phone, password: PASSWORD } })).data.login.token;
    const cases = [await fileAndConsent(ctx, w), await fileAndConsent(ctx, w), await fileAndConsent(ctx, w)];
    const results = await Promise.all(
      cases.map((c) => ctx.gql(ACCEPT, { input: { caseId: c.id } }, w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!.token)),
    );
    for (const r of results) expect(r.data.acceptAssignment.__typename, JSON.stringify(r.body)).toBe('AcceptAssignmentSuccess');
    const short = await shortNameOf(w.villageOrg.id);
    const numbers = await Promise.all(cases.map(async (c) => (await ctx.gql(CASE, { id: c.id }, w.applicant.token)).data.case.number as string));
    const serials = numbers.map((n) => Number(new RegExp(`^（2027）${short}调字第(\\d+)号$`).exec(n)![1])).sort((a, b) => a - b);
    // 第1号 went to the case accepted on 1 January.
    expect(serials).toEqual([2, 3, 4]);
  }, TIMEOUT);
});
