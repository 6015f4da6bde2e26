import { and, count, eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreements, cases, events, storedFiles } from '../../schema';
import { localId } from '../../server/graphql/ids';
import { DRAFT, PARTIES, draftInput } from '../support/agreements';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { createTestContext, type TestContext } from '../support/harness';
import { Scratch, poppler, run, squeeze } from '../support/poppler';

// The mediator reads the PDF of a draft while writing it (the web client's live preview): the same
// checks as drafting, and nothing stored, numbered or recorded.
const PREVIEW = /* GraphQL */ `
  query ($input: DraftAgreementInput!) {
    agreementPreview(input: $input) {
      __typename
      ... on AgreementPreviewSuccess { pdfBase64 byteLength }
      ... on ValidationError { fields { field message } }
      ... on Error { code message }
    }
  }
`;

let ctx: TestContext;
let w: CaseWorld;
let scratch: Scratch;
beforeAll(async () => {
  scratch = new Scratch('jiefen-preview-');
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
}, 120_000);
afterAll(async () => {
  scratch?.cleanup();
  await ctx?.close();
});

describe('agreementPreview', () => {
  it('renders the draft as a PDF marked 草稿 for the case’s mediator and writes nothing', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const id = localId(c.id, 'Case', 'id');
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string }[];
    const respondent = parties.find((p) => p.role === 'RESPONDENT')!;
    const snapshot = async () => {
      const [a] = await ctx.deps.db.select({ n: count() }).from(agreements).where(eq(agreements.caseId, id));
      // Scoped to this case: on PostgreSQL other files write to the same tables meanwhile.
      const [f] = await ctx.deps.db.select({ n: count() }).from(storedFiles).where(eq(storedFiles.caseId, id));
      const [e] = await ctx.deps.db.select({ n: count() }).from(events).where(and(eq(events.subjectType, 'case'), eq(events.subjectId, id)));
      const [k] = await ctx.deps.db.select({ status: cases.status, version: cases.version, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, id));
      return { agreements: Number(a!.n), files: Number(f!.n), events: Number(e!.n), case: k };
    };
    const before = await snapshot();

    const input = draftInput(c.id, respondent.id);
    const res = (await ctx.gql(PREVIEW, { input }, mediator.token)).data.agreementPreview;
    expect(res.__typename).toBe('AgreementPreviewSuccess');
    const pdf = Buffer.from(res.pdfBase64, 'base64');
    expect(pdf.byteLength).toBe(res.byteLength);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(1);
    if (poppler) {
      const file = scratch.save(pdf);
      if (process.env.PREVIEW_PNG) run('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', file, process.env.PREVIEW_PNG]);
      // The diagonal mark comes out of pdftotext one character per line.
      const text = squeeze(run('pdftotext', ['-raw', file, '-']));
      expect(text).toContain('草稿/待签署');
      expect(text).toContain(squeeze('被申请人一次性补偿申请人院墙修复费用人民币3000元'));
    }
    expect(await snapshot()).toEqual(before);

    // The same input drafts for real afterwards: the preview took no number and no version.
    const drafted = (await ctx.gql(DRAFT, { input }, mediator.token)).data.draftAgreement;
    expect(drafted.__typename).toBe('DraftAgreementSuccess');
    expect(drafted.agreement.version).toBe(1);
  });

  it('refuses a party and a stranger mediator, and names the fields drafting would refuse', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string }[];
    const respondent = parties.find((p) => p.role === 'RESPONDENT')!;
    const input = draftInput(c.id, respondent.id);

    const asParty = (await ctx.gql(PREVIEW, { input }, w.applicant.token)).data.agreementPreview;
    expect(asParty.code).toBe('FORBIDDEN');
    const other = w.villageMediators.find((m) => m.token !== mediator.token);
    if (other) {
      const asOther = (await ctx.gql(PREVIEW, { input }, other.token)).data.agreementPreview;
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(asOther.code);
    }
    const anonymous = await ctx.gql(PREVIEW, { input });
    expect(anonymous.body.errors?.[0]?.extensions?.code ?? anonymous.data?.agreementPreview?.code).toBe('UNAUTHENTICATED');

    for (const [change, field] of [
      [{ performanceDeadline: '2020-01-01' }, 'performanceDeadline'],
      [{ facts: '院墙𠮷' }, 'facts'],
    ] as const) {
      const bad = (await ctx.gql(PREVIEW, { input: { ...input, ...change } }, mediator.token)).data.agreementPreview;
      expect(bad.__typename).toBe('ValidationError');
      expect((bad.fields as { field: string }[]).map((f) => f.field.replace(/^input\./, ''))).toContain(field);
    }
  });
});

describe('agreementPreview under a burst', () => {
  it('renders one preview per user at a time: of 5 aliases in one query, one is rendered and 4 refused', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string }[];
    const input = draftInput(c.id, parties.find((p) => p.role === 'RESPONDENT')!.id);
    const aliases = [0, 1, 2, 3, 4].map((i) => `p${i}: agreementPreview(input: $input) { __typename ... on AgreementPreviewSuccess { byteLength } ... on Error { code } }`).join('\n');
    const res = await ctx.gql(`query($input: DraftAgreementInput!) { ${aliases} }`, { input }, mediator.token);
    const outcomes = Object.values(res.data as Record<string, { __typename: string; code?: string }>);
    expect(outcomes.filter((o) => o.__typename === 'AgreementPreviewSuccess')).toHaveLength(1);
    expect(outcomes.filter((o) => o.code === 'CONFLICT')).toHaveLength(4);
    // Once it is shown, the next one renders.
    const next = (await ctx.gql(PREVIEW, { input }, mediator.token)).data.agreementPreview;
    expect(next.__typename).toBe('AgreementPreviewSuccess');
  });
});
