import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementSignatures, agreements } from '../../schema';
import { contentOf, toDocument } from '../../server/domain/agreements/agreement-content';
import { addCalendarDays } from '../../server/domain/clock/calendar';
import { renderAgreementPdf } from '../../server/pdf/render-agreement';
import { createTestContext, type TestContext } from '../support/harness';
import { DRAFT, PARTIES, VERIFY, draftInput, signAs } from '../support/agreements';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { registerParty } from '../support/factories';
import { Scratch, poppler, run, squeeze, uninkedWords, wordsOnPage1 } from '../support/poppler';

const TIMEOUT = 120_000;

if (!poppler) console.warn('poppler-utils not installed: skipping the rendering checks of the downloaded PDF');

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let scratch: Scratch;

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  scratch = new Scratch('jiefen-agreement-');
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
}, TIMEOUT);
afterAll(async () => {
  scratch?.cleanup();
  await ctx?.close();
});

async function download(url: string, token: string | null) {
  const path = new URL(url).pathname;
  const req = request(ctx.app).get(path).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  if (token) req.set('authorization', `Bearer ${token}`);
  const res = await req;
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), bytes: new Uint8Array(res.body as Buffer) };
}

describe('a mediation agreement from draft to effect', () => {
  it('drafts, is signed by all, becomes effective with a signed PDF a court can check, and verifies publicly', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string; name: string }[];
    const respondentParty = parties.find((p) => p.role === 'RESPONDENT')!;

    const drafted = (await ctx.gql(DRAFT, { input: draftInput(c.id, respondentParty.id, { recorder: '段丽华' }) }, mediator.token)).data.draftAgreement;
    expect(drafted.__typename).toBe('DraftAgreementSuccess');
    const a = drafted.agreement;
    expect(a).toMatchObject({ version: 1, status: 'SIGNING', sha256: null, templateId: 'peoples', templateVersion: 1, recorder: '段丽华', originals: 3 });
    expect(a.case.status).toBe('AGREEMENT_SIGNING');
    expect(a.number).toBe(c.number.replace('调字', '调协字'));
    expect(a.verificationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(a.verificationUrl).toBe(`${ctx.deps.config.publicUrl}/verify/${a.verificationCode}`);
    const [row] = await ctx.deps.db.select().from(agreements).where(eq(agreements.verificationCode, a.verificationCode));
    expect(a.pdfUrl).toBe(`${ctx.deps.config.publicUrl}/files/agreements/${row!.id}.pdf`);

    // The draft the signers are shown is exactly the bytes whose hash they sign over.
    const draftPdf = await download(a.pdfUrl, w.applicant.token);
    expect(draftPdf.status).toBe(200);
    expect(draftPdf.type).toContain('application/pdf');
    expect(sha256(draftPdf.bytes)).toBe(a.draftSha256);

    // Same input, same bytes: re-rendering the stored content reproduces the stored draft exactly.
    const again = async () =>
      renderAgreementPdf(
        toDocument(row!, contentOf(row!), { dataKey: ctx.deps.config.dataKey, publicUrl: ctx.deps.config.publicUrl, signatures: [], draft: true, createdAt: row!.createdAt }),
      );
    const first = await again();
    expect(Buffer.from(first).equals(Buffer.from(await again()))).toBe(true);
    expect(sha256(first)).toBe(a.draftSha256);

    ctx.clock.advance(5 * 60_000);
    const s1 = await signAs(ctx, w.applicant.token, a.id, 'Mozilla/5.0 (applicant phone)');
    expect(s1.__typename).toBe('SignAgreementSuccess');
    expect(s1.agreement.status).toBe('SIGNING');
    ctx.clock.advance(60_000);
    const s2 = await signAs(ctx, w.respondent.token, a.id, 'Mozilla/5.0 (respondent phone)');
    expect(s2.agreement.status).toBe('SIGNING');
    ctx.clock.advance(60_000);
    const effectiveAt = ctx.clock.now();
    const s3 = await signAs(ctx, mediator.token, a.id, 'Mozilla/5.0 (mediator desk)');
    expect(s3.__typename).toBe('SignAgreementSuccess');
    const done = s3.agreement;
    expect(done.status).toBe('EFFECTIVE');
    expect(done.case.status).toBe('SETTLED');
    expect(done.effectiveAt).toBe(effectiveAt.toISOString());
    // CPL 205: 30 days from 2026-11-23 (China time) is Wednesday 2026-12-23, a working day.
    expect(done.confirmationDeadline).toBe('2026-12-23T15:59:59.999Z');
    expect(done.confirmationDeadline).toBe(addCalendarDays(effectiveAt, 30, ctx.deps.calendar).toISOString());
    expect(done.signatures.map((s: { role: string; name: string }) => [s.role, s.name])).toEqual([
      ['PARTY', w.applicant.name],
      ['PARTY', w.respondent.name],
      ['MEDIATOR', mediator.name],
    ]);
    for (const s of done.signatures) expect(s.shownSha256).toBe(a.draftSha256);
    const evidence = await ctx.deps.db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, row!.id));
    expect(evidence.map((e) => e.userAgent).sort()).toEqual(['Mozilla/5.0 (applicant phone)', 'Mozilla/5.0 (mediator desk)', 'Mozilla/5.0 (respondent phone)']);
    for (const e of evidence) expect(e.ip).toBeTruthy();

    const viewed = await ctx.gql(`query ($id: ID!) { case(id: $id) { status agreement { id status sha256 } agreements { version status } events { type } } }`, { id: c.id }, w.respondent.token);
    expect(viewed.data.case.agreement).toEqual({ id: a.id, status: 'EFFECTIVE', sha256: done.sha256 });
    expect(viewed.data.case.agreements).toEqual([{ version: 1, status: 'EFFECTIVE' }]);
    expect(viewed.data.case.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['case.agreement_drafted', 'case.agreement_signed', 'case.agreement_effective']),
    );

    // The signed PDF: hash, metadata, text, fonts, ink and the digital signature.
    const final = await download(a.pdfUrl, w.respondent.token);
    expect(final.status).toBe(200);
    expect(sha256(final.bytes)).toBe(done.sha256);
    expect(done.sha256).not.toBe(a.draftSha256);
    const pdf = await PDFDocument.load(final.bytes, { updateMetadata: false });
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toContain('人民调解协议书');
    expect(pdf.getKeywords()).toContain(c.number);
    expect(pdf.getCreationDate()?.toISOString()).toBe(effectiveAt.toISOString());

    if (!poppler) return;
    const file = scratch.save(final.bytes);
    const text = squeeze(run('pdftotext', ['-layout', file, '-']));
    expect(text).toContain('人民调解协议书');
    expect(text).toContain(w.applicant.name);
    expect(text).toContain(w.respondent.name);
    expect(text).toContain(w.villageOrg.name);
    expect(text).toContain(squeeze('被申请人一次性补偿申请人院墙修复费用人民币3000元。'));
    expect(text).toContain('人民币3,000.00元');
    expect(text).toContain('本协议一式三份');
    expect(text).toContain(a.verificationCode);
    // China time beside each signature: 02:08 UTC is 10:08 in Beijing.
    expect(text).toContain(squeeze(`签署于 2026-11-23 10:${String(effectiveAt.getUTCMinutes()).padStart(2, '0')}`));
    expect(text).not.toContain('草稿');

    const fonts = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThanOrEqual(1);
    for (const line of fonts) {
      const [name, ...rest] = line.trim().split(/\s+/);
      expect(name).toMatch(/^[A-Z]{6}\+/);
      const [emb, sub] = rest.slice(-5, -3);
      expect({ name, emb, sub }).toEqual({ name, emb: 'yes', sub: 'yes' });
      expect(line).not.toMatch(/Helvetica|Times|Courier|Symbol|ZapfDingbats/);
    }

    const words = wordsOnPage1(file).filter((x) => /[\u4e00-\u9fff]{2,}/.test(x.text));
    expect(words.length).toBeGreaterThan(30);
    expect(uninkedWords(scratch, file, words)).toEqual([]);

    const sig = run('pdfsig', [file]);
    expect(sig).toContain('Signature is Valid');
    expect(sig).toContain(`Common Name: ${w.villageOrg.name}`);
    expect(sig).toContain('Total document signed');
  }, TIMEOUT);
});

describe('verification and correction', () => {
  it('answers anyone without personal data, and a correction supersedes the effective version only when it takes effect', async () => {
    const fresh = { ...w, applicant: await registerParty(ctx, { name: '周丽华' }), respondent: await registerParty(ctx, { name: '何正国' }) };
    const { case: c, mediator } = await caseInMediation(ctx, fresh);
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string }[];
    const rid = parties.find((p) => p.role === 'RESPONDENT')!.id;
    const v1 = (await ctx.gql(DRAFT, { input: draftInput(c.id, rid) }, mediator.token)).data.draftAgreement.agreement;

    const pending = await ctx.gql(VERIFY, { code: v1.verificationCode }, null);
    expect(pending.data.verifyAgreement).toMatchObject({ status: 'SIGNING', sha256: null, effectiveAt: null, organizationName: w.villageOrg.name, number: v1.number, version: 1 });

    for (const token of [fresh.applicant.token, fresh.respondent.token, mediator.token]) {
      expect((await signAs(ctx, token, v1.id, 'test')).__typename).toBe('SignAgreementSuccess');
    }
    const verified = await ctx.gql(VERIFY, { code: v1.verificationCode }, null);
    const v = verified.data.verifyAgreement;
    expect(v.status).toBe('EFFECTIVE');
    expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.effectiveAt).toBeTruthy();
    const json = JSON.stringify(verified.body);
    for (const secret of [fresh.applicant.name, fresh.respondent.name, fresh.applicant.phone, fresh.respondent.phone, fresh.applicant.idNumber!, mediator.name]) {
      expect(json).not.toContain(secret);
    }
    const http = await request(ctx.app).get(`/verify/${v1.verificationCode}`);
    expect(http.status).toBe(200);
    expect(http.body).toEqual(v);
    expect((await ctx.gql(VERIFY, { code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' }, null)).data.verifyAgreement).toBeNull();
    expect((await ctx.gql(VERIFY, { code: 'not a code' }, null)).data.verifyAgreement).toBeNull();
    expect((await request(ctx.app).get('/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status).toBe(404);

    // An effective agreement is never signed again or edited; a correction is a new version.
    expect((await signAs(ctx, fresh.applicant.token, v1.id, 'test')).code).toBe('INVALID_TRANSITION');
    const [before] = await ctx.deps.db.select().from(agreements).where(eq(agreements.verificationCode, v1.verificationCode));
    const v2res = (await ctx.gql(DRAFT, { input: draftInput(c.id, rid, { performanceDeadline: '2026-12-31' }) }, mediator.token)).data.draftAgreement;
    expect(v2res.__typename).toBe('DraftAgreementSuccess');
    const v2 = v2res.agreement;
    // A correction gets its own number, citing the one it replaces (之一).
    expect(v2).toMatchObject({ version: 2, status: 'SIGNING', number: `${v1.number}之一` });
    expect(v2.case.status).toBe('AGREEMENT_SIGNING');
    expect(v2.verificationCode).not.toBe(v1.verificationCode);
    const during = await ctx.gql(`query ($id: ID!) { case(id: $id) { agreement { version } agreements { version status } } }`, { id: c.id }, mediator.token);
    expect(during.data.case.agreement.version).toBe(2);
    expect(during.data.case.agreements).toEqual([{ version: 1, status: 'EFFECTIVE' }, { version: 2, status: 'SIGNING' }]);

    for (const token of [fresh.applicant.token, fresh.respondent.token, mediator.token]) {
      expect((await signAs(ctx, token, v2.id, 'test')).__typename).toBe('SignAgreementSuccess');
    }
    const after = await ctx.gql(`query ($id: ID!) { case(id: $id) { status agreement { version status } agreements { version status sha256 } } }`, { id: c.id }, mediator.token);
    expect(after.data.case.status).toBe('SETTLED');
    expect(after.data.case.agreements.map((x: { version: number; status: string }) => [x.version, x.status])).toEqual([
      [1, 'SUPERSEDED'],
      [2, 'EFFECTIVE'],
    ]);
    // The superseded version keeps its signed bytes and hash.
    expect(after.data.case.agreements[0].sha256).toBe(before!.finalSha256);
    expect((await ctx.gql(VERIFY, { code: v1.verificationCode }, null)).data.verifyAgreement.status).toBe('SUPERSEDED');
    const old = await download(v1.pdfUrl, fresh.applicant.token);
    expect(sha256(old.bytes)).toBe(before!.finalSha256);
  }, TIMEOUT);
});
