import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidence } from '../../schema';
import { CASE_EVIDENCE, WITHDRAW, download, sample, sha256, upload } from '../support/evidence';
import { registerParty, type Login } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';

let ctx: TestContext;
let w: CaseWorld;
let caseId: string;
let mediator: Login;
let stranger: Login;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
  const m = await caseInMediation(ctx, w);
  caseId = m.case.id;
  mediator = m.mediator;
  stranger = await registerParty(ctx, { name: '无关人员' });
});
afterAll(async () => ctx?.close());

async function listFor(token: string): Promise<{ id: string; title: string; withdrawnAt: string | null }[]> {
  const q = await ctx.gql(CASE_EVIDENCE, { id: caseId }, token);
  return q.data.case.evidence;
}

describe('evidence visibility', () => {
  it('MEDIATOR_ONLY evidence of one party is hidden from the other party, shown to the mediator and the uploader', async () => {
    const bytes = sample.jpeg(4000);
    const up = await upload(ctx, w.applicant.token, caseId, {
      bytes,
      fileName: '背对背-底线金额.jpg',
      contentType: 'image/jpeg',
      title: '可接受的最低赔偿额',
      visibility: 'MEDIATOR_ONLY',
    });
    expect(up.status).toBe(201);
    const e = up.body.evidence;
    expect(e.visibility).toBe('MEDIATOR_ONLY');

    expect((await download(ctx, w.respondent.token, e.evidenceId)).status).toBe(404);
    expect((await listFor(w.respondent.token)).map((x) => x.id)).not.toContain(e.id);
    const node = await ctx.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: e.id }, w.respondent.token);
    expect(node.data.node).toBeNull();

    const byMediator = await download(ctx, mediator.token, e.evidenceId);
    expect(byMediator.status).toBe(200);
    expect(sha256(byMediator.body as Buffer)).toBe(sha256(bytes));
    expect((await listFor(mediator.token)).map((x) => x.id)).toContain(e.id);
    expect((await download(ctx, w.applicant.token, e.evidenceId)).status).toBe(200);
    expect((await listFor(w.applicant.token)).map((x) => x.id)).toContain(e.id);

    // A platform admin reads no mediation content by default, and a stranger never does.
    const admin = await ctx.gql(CASE_EVIDENCE, { id: caseId }, w.admin.token);
    expect(admin.data.case.evidence).toEqual([]);
    expect((await download(ctx, w.admin.token, e.evidenceId)).status).toBe(404);
    // With a stated reason the admin opens the case's content for a while; the timeline shows it.
    const OPEN = `mutation ($input: OpenCaseContentInput!) { openCaseContent(input: $input) { __typename ... on OpenCaseContentSuccess { expiresAt } ... on Error { code message } } }`;
    const short = await ctx.gql(OPEN, { input: { caseId, reason: '查看' } }, w.admin.token);
    expect(short.data.openCaseContent.__typename).toBe('ValidationError');
    const opened = await ctx.gql(OPEN, { input: { caseId, reason: '当事人投诉调解员，需核查调解材料' } }, w.admin.token);
    expect(opened.data.openCaseContent.__typename).toBe('OpenCaseContentSuccess');
    const mediatorTry = await ctx.gql(OPEN, { input: { caseId, reason: '当事人投诉调解员，需核查调解材料' } }, mediator.token);
    expect(mediatorTry.data.openCaseContent.code).toBe('FORBIDDEN');
    const granted = await ctx.gql(CASE_EVIDENCE, { id: caseId }, w.admin.token);
    expect(granted.data.case.evidence.map((x: { id: string }) => x.id)).toContain(e.id);
    expect((await download(ctx, w.admin.token, e.evidenceId)).status).toBe(200);
    const shown = granted.data.case.events.filter((x: { type: string }) => x.type === 'case.content_opened').map((x: { data: string }) => JSON.parse(x.data));
    expect(shown).toEqual([expect.objectContaining({ reason: '当事人投诉调解员，需核查调解材料' })]);
    ctx.clock.advance(60 * 60_000 + 1);
    expect((await ctx.gql(CASE_EVIDENCE, { id: caseId }, w.admin.token)).data.case.evidence).toEqual([]);
    expect((await download(ctx, stranger.token, e.evidenceId)).status).toBe(404);

    // The timeline every party reads records the upload and its hash, not what it is about.
    const timeline = await ctx.gql(CASE_EVIDENCE, { id: caseId }, w.respondent.token);
    const ev = timeline.data.case.events
      .filter((x: { type: string }) => x.type === 'evidence.uploaded')
      .map((x: { data: string }) => JSON.parse(x.data))
      .find((d: { evidenceId: string }) => d.evidenceId === e.evidenceId);
    expect(ev).toMatchObject({ sha256: sha256(bytes), visibility: 'MEDIATOR_ONLY', role: 'APPLICANT' });
    expect(ev.title).toBeUndefined();
    expect(ev.fileName).toBeUndefined();
  });

  it('the mediator’s MEDIATOR_ONLY notes are hidden from both parties', async () => {
    const up = await upload(ctx, mediator.token, caseId, { bytes: sample.pdf(), title: '调解员工作记录', visibility: 'MEDIATOR_ONLY' });
    expect(up.status).toBe(201);
    for (const party of [w.applicant, w.respondent]) {
      expect((await download(ctx, party.token, up.body.evidence.evidenceId)).status).toBe(404);
      expect((await listFor(party.token)).map((x) => x.id)).not.toContain(up.body.evidence.id);
    }
  });
});

describe('withdrawEvidence', () => {
  it('the uploader withdraws: the row and bytes stay, the other party no longer sees it, the event is recorded', async () => {
    const bytes = sample.png(3000);
    const up = await upload(ctx, w.respondent.token, caseId, { bytes, fileName: 'receipt.png', contentType: 'image/png', title: '收据' });
    expect(up.status).toBe(201);
    const e = up.body.evidence;
    expect((await listFor(w.applicant.token)).map((x) => x.id)).toContain(e.id);

    // Only the uploader may withdraw; a stranger does not learn it exists.
    const byStranger = await ctx.gql(WITHDRAW, { input: { evidenceId: e.id } }, stranger.token);
    expect(byStranger.data.withdrawEvidence).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const byOther = await ctx.gql(WITHDRAW, { input: { evidenceId: e.id } }, w.applicant.token);
    expect(byOther.data.withdrawEvidence).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const anonymous = await ctx.gql(WITHDRAW, { input: { evidenceId: e.id } }, null);
    expect(anonymous.data.withdrawEvidence).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });

    ctx.clock.advance(60_000);
    const res = await ctx.gql(WITHDRAW, { input: { evidenceId: e.id, reason: '上传错了文件' } }, w.respondent.token);
    expect(res.data.withdrawEvidence.__typename).toBe('WithdrawEvidenceSuccess');
    expect(res.data.withdrawEvidence.evidence).toMatchObject({ id: e.id, withdrawnReason: '上传错了文件', withdrawnAt: ctx.clock.now().toISOString() });

    const [row] = await ctx.deps.db.select().from(evidence).where(eq(evidence.id, e.evidenceId));
    expect(row!.withdrawnAt).not.toBeNull();
    expect(Buffer.from(await ctx.deps.storage.get(e.sha256)).equals(bytes)).toBe(true);

    expect((await listFor(w.applicant.token)).map((x) => x.id)).not.toContain(e.id);
    expect((await download(ctx, w.applicant.token, e.evidenceId)).status).toBe(404);
    const forMediator = (await listFor(mediator.token)).find((x) => x.id === e.id);
    expect(forMediator?.withdrawnAt).toBe(ctx.clock.now().toISOString());
    expect((await download(ctx, mediator.token, e.evidenceId)).status).toBe(200);
    expect((await listFor(w.respondent.token)).find((x) => x.id === e.id)?.withdrawnAt).not.toBeNull();

    const again = await ctx.gql(WITHDRAW, { input: { evidenceId: e.id } }, w.respondent.token);
    expect(again.data.withdrawEvidence.code).toBe('CONFLICT');

    const timeline = await ctx.gql(CASE_EVIDENCE, { id: caseId }, mediator.token);
    const types = timeline.data.case.events.map((x: { type: string }) => x.type);
    expect(types).toContain('evidence.withdrawn');
    const withdrawn = timeline.data.case.events.find((x: { type: string }) => x.type === 'evidence.withdrawn');
    expect(JSON.parse(withdrawn.data)).toMatchObject({ evidenceId: e.evidenceId, sha256: sha256(bytes), reason: '上传错了文件' });
    expect(timeline.data.case.recordVerification.valid).toBe(true);
  });

  it('two uploads at once by both parties both succeed and keep the audit chain intact', async () => {
    const [a, b] = await Promise.all([
      upload(ctx, w.applicant.token, caseId, { bytes: sample.pdf(), title: '并发一' }),
      upload(ctx, w.respondent.token, caseId, { bytes: sample.pdf(), title: '并发二' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const timeline = await ctx.gql(CASE_EVIDENCE, { id: caseId }, mediator.token);
    expect(timeline.data.case.recordVerification.valid).toBe(true);
  });

  it('a page of cases read from both sides: each case shows what its own side may see', async () => {
    // A second case; the platform admin opens its content, not the first one's. A page holding both
    // is read in one statement with two lists of cases, each with its own rule.
    const second = (await caseInMediation(ctx, w)).case.id;
    const kept = await upload(ctx, w.applicant.token, second, { bytes: sample.pdf(), title: '仅调解员可见', visibility: 'MEDIATOR_ONLY' });
    const shared = await upload(ctx, w.respondent.token, second, { bytes: sample.pdf(), title: '双方可见' });
    expect([kept.status, shared.status]).toEqual([201, 201]);
    const OPEN = `mutation ($input: OpenCaseContentInput!) { openCaseContent(input: $input) { __typename } }`;
    const opened = await ctx.gql(OPEN, { input: { caseId: second, reason: '当事人投诉调解员，需核查调解材料' } }, w.admin.token);
    expect(opened.data.openCaseContent.__typename).toBe('OpenCaseContentSuccess');
    const PAGE = `query ($r: String) { cases(first: 20, regionCode: $r) { edges { node { id evidence { id title } } } } }`;
    const evidenceOn = async (token: string) => {
      const res = await ctx.gql(PAGE, { r: w.village.code }, token);
      expect(res.body.errors).toBeUndefined();
      return new Map<string, string[]>(res.data.cases.edges.map((e: { node: { id: string; evidence: { title: string }[] } }) => [e.node.id, e.node.evidence.map((x) => x.title).sort()]));
    };
    const byAdmin = await evidenceOn(w.admin.token);
    expect(byAdmin.get(second)).toEqual(['仅调解员可见', '双方可见']);
    expect(byAdmin.get(caseId)).toEqual([]);
    // The respondent, on the same page, reads the shared item of the second case and not the kept one.
    const byRespondent = await evidenceOn(w.respondent.token);
    expect(byRespondent.get(second)).toEqual(['双方可见']);
    expect(byRespondent.get(caseId)!.length).toBeGreaterThan(0);
    expect(byRespondent.get(caseId)).not.toContain('可接受的最低赔偿额');
  });
});
