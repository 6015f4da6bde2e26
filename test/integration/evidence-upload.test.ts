import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidence, outbox, storedFiles } from '../../schema';
import { localId } from '../../server/graphql/ids';
import { CASE_EVIDENCE, download, sample, sha256, upload } from '../support/evidence';
import { registerParty, type Login } from '../support/factories';
import { createTestContext, testConfig, type TestContext } from '../support/harness';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';

const LIMIT = 64 * 1024;

let ctx: TestContext;
let w: CaseWorld;
let caseId: string;
let caseUuid: string;
let mediator: Login;
let stranger: Login;
beforeAll(async () => {
  ctx = await createTestContext({ config: { EVIDENCE_MAX_BYTES: String(LIMIT) } });
  w = await createCaseWorld(ctx);
  const m = await caseInMediation(ctx, w);
  caseId = m.case.id;
  caseUuid = localId(caseId, 'Case', 'caseId');
  mediator = m.mediator;
  stranger = await registerParty(ctx, { name: '路人甲' });
});
afterAll(async () => ctx?.close());

async function filesOfCase() {
  return ctx.deps.db.select().from(storedFiles).where(eq(storedFiles.caseId, caseUuid));
}

describe('evidence upload', () => {
  it('defaults to a 20 MiB limit', () => {
    expect(testConfig().evidenceMaxBytes).toBe(20 * 1024 * 1024);
  });

  it('a party uploads a PDF: stored with its SHA-256, listed, downloadable byte for byte, and audited', async () => {
    const bytes = sample.pdf(10_000);
    const res = await upload(ctx, w.applicant.token, caseId, {
      bytes,
      fileName: '借条（2026年3月）.pdf',
      title: '借条原件扫描件',
      description: '被申请人亲笔书写',
    });
    expect(res.status).toBe(201);
    const e = res.body.evidence;
    expect(e).toMatchObject({
      title: '借条原件扫描件',
      description: '被申请人亲笔书写',
      fileName: '借条（2026年3月）.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      visibility: 'SHARED',
      uploaderName: w.applicant.name,
    });
    expect(e.downloadUrl).toBe(`${ctx.deps.config.publicUrl}/files/evidence/${e.evidenceId}`);

    // The stored row and the stored bytes.
    const [file] = await ctx.deps.db.select().from(storedFiles).where(eq(storedFiles.sha256, sha256(bytes)));
    expect(file).toMatchObject({ caseId: caseUuid, size: bytes.length, contentType: 'application/pdf', createdBy: w.applicant.userId });
    expect(Buffer.from(await ctx.deps.storage.get(file!.storageKey)).equals(bytes)).toBe(true);
    const [row] = await ctx.deps.db.select().from(evidence).where(eq(evidence.id, e.evidenceId));
    expect(row).toMatchObject({ fileId: file!.id, role: 'APPLICANT', uploadedBy: w.applicant.userId, withdrawnAt: null });

    // The other party downloads the same bytes, with a safe, correctly named attachment.
    const got = await download(ctx, w.respondent.token, e.evidenceId);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    expect(sha256(got.body as Buffer)).toBe(e.sha256);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('private, no-store');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="___2026_3__.pdf"; filename*=UTF-8''${encodeURIComponent('借条（2026年3月）.pdf')}`,
    );

    // GraphQL lists it for both parties and the mediator; the timeline records the upload with the hash.
    for (const token of [w.applicant.token, w.respondent.token, mediator.token]) {
      const q = await ctx.gql(CASE_EVIDENCE, { id: caseId }, token);
      const listed = q.data.case.evidence.find((x: { id: string }) => x.id === e.id);
      expect(listed).toMatchObject({ sha256: sha256(bytes), fileName: '借条（2026年3月）.pdf', uploaderRole: 'APPLICANT', withdrawnAt: null, downloadUrl: e.downloadUrl });
      expect(listed.uploadedByMe).toBe(token === w.applicant.token);
    }
    const q = await ctx.gql(CASE_EVIDENCE, { id: caseId }, w.applicant.token);
    const event = q.data.case.events.find((ev: { type: string; data: string }) => ev.type === 'evidence.uploaded' && JSON.parse(ev.data).evidenceId === e.evidenceId);
    expect(event).toBeDefined();
    expect(event.actorRole).toBe('PARTY');
    expect(JSON.parse(event.data)).toMatchObject({ sha256: sha256(bytes), size: bytes.length, visibility: 'SHARED', role: 'APPLICANT', title: '借条原件扫描件' });
    expect(q.data.case.recordVerification.valid).toBe(true);

    // The mediator and the other party are told, after commit, through the outbox.
    const notes = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.caseId, caseUuid), eq(outbox.topic, 'evidence.added')));
    const recipients = notes.filter((n) => n.payload.evidenceId === e.evidenceId).map((n) => n.recipient);
    expect(recipients.sort()).toEqual([w.respondent.phone, mediator.phone].sort());
  });

  it('the case’s mediator uploads a recording; identical bytes are stored once', async () => {
    const bytes = sample.m4a(5000);
    const first = await upload(ctx, mediator.token, caseId, { bytes, fileName: 'session-1.m4a', contentType: 'audio/x-m4a', title: '第一次调解录音' });
    expect(first.status).toBe(201);
    expect(first.body.evidence).toMatchObject({ contentType: 'audio/mp4', uploaderName: mediator.name, sha256: sha256(bytes) });
    const [row] = await ctx.deps.db.select().from(evidence).where(eq(evidence.id, first.body.evidence.evidenceId));
    expect(row!.role).toBe('MEDIATOR');
    const again = await upload(ctx, mediator.token, caseId, { bytes, fileName: 'copy.m4a', title: '录音副本' });
    expect(again.status).toBe(201);
    expect(again.body.evidence.sha256).toBe(first.body.evidence.sha256);
    const got = await download(ctx, w.applicant.token, again.body.evidence.evidenceId);
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
  });

  it('decides the type from the bytes: JPEG, PNG and MP3 pass whatever the client claims', async () => {
    for (const [bytes, type] of [
      [sample.jpeg(), 'image/jpeg'],
      [sample.png(), 'image/png'],
      [sample.mp3(), 'audio/mpeg'],
    ] as const) {
      const res = await upload(ctx, w.respondent.token, caseId, { bytes, fileName: 'photo.bin', contentType: 'application/octet-stream' });
      expect(res.status).toBe(201);
      expect(res.body.evidence.contentType).toBe(type);
    }
  });

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const before = (await filesOfCase()).length;
    const justOver = sample.pdf(LIMIT + 1);
    const res = await upload(ctx, w.applicant.token, caseId, { bytes: justOver, title: '太大的文件' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', maxBytes: LIMIT, fields: [{ field: 'file' }] });
    expect(res.body.error).toContain(String(LIMIT));
    // Far over the limit: refused from the declared length, before the body is parsed.
    const huge = sample.pdf(LIMIT * 4);
    const res2 = await upload(ctx, w.applicant.token, caseId, { bytes: huge, title: '更大的文件' });
    expect(res2.status).toBe(413);
    expect(res2.body.maxBytes).toBe(LIMIT);
    expect((await filesOfCase()).length).toBe(before);
    await expect(ctx.deps.storage.get(sha256(justOver))).rejects.toThrow();
    await expect(ctx.deps.storage.get(sha256(huge))).rejects.toThrow();
    // Exactly at the limit is fine.
    const atLimit = await upload(ctx, w.applicant.token, caseId, { bytes: sample.pdf(LIMIT), title: '刚好' });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.evidence.size).toBe(LIMIT);
  });

  it('refuses an executable or HTML disguised as a PDF with 415 and stores nothing', async () => {
    const before = (await filesOfCase()).length;
    const exe = sample.exe();
    const r1 = await upload(ctx, w.applicant.token, caseId, { bytes: exe, fileName: 'setup.exe', contentType: 'application/pdf' });
    expect(r1.status).toBe(415);
    expect(r1.body.code).toBe('VALIDATION_FAILED');
    expect(r1.body.accepted).toContain('application/pdf');
    const html = sample.html();
    const r2 = await upload(ctx, w.applicant.token, caseId, { bytes: html, fileName: '判决书.pdf', contentType: 'application/pdf' });
    expect(r2.status).toBe(415);
    expect((await filesOfCase()).length).toBe(before);
    await expect(ctx.deps.storage.get(sha256(html))).rejects.toThrow();
  });

  it('a stranger can neither upload to nor download from the case (404); anonymous gets 401', async () => {
    const bytes = sample.pdf();
    const up = await upload(ctx, stranger.token, caseId, { bytes });
    expect(up.status).toBe(404);
    expect(up.body.code).toBe('NOT_FOUND');
    await expect(ctx.deps.storage.get(sha256(bytes))).rejects.toThrow();
    // The same answer for a case id that does not exist.
    const missing = await upload(ctx, w.applicant.token, '00000000-0000-4000-8000-000000000000', { bytes });
    expect(missing.status).toBe(404);

    const mine = await upload(ctx, w.applicant.token, caseId, { bytes });
    expect(mine.status).toBe(201);
    const id = mine.body.evidence.evidenceId;
    const down = await download(ctx, stranger.token, id);
    expect(down.status).toBe(404);
    expect(JSON.parse((down.body as Buffer).toString()).code).toBe('NOT_FOUND');
    expect((await download(ctx, stranger.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const q = await ctx.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: mine.body.evidence.id }, stranger.token);
    expect(q.data.node).toBeNull();
    expect((await download(ctx, null, id)).status).toBe(401);
    expect((await upload(ctx, null, caseId, { bytes })).status).toBe(401);
  });

  it('another mediator of the same committee, not on the case, is a stranger too', async () => {
    const other = w.villageMediators.find((m) => m.userId !== mediator.userId)!;
    const up = await upload(ctx, other.token, caseId, { bytes: sample.pdf() });
    expect(up.status).toBe(404);
  });

  it('validates the form: a title and a file are required', async () => {
    const noTitle = await upload(ctx, w.applicant.token, caseId, { bytes: sample.pdf(), title: ' ' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.fields).toEqual([{ field: 'title', message: 'is required' }]);
    const badVisibility = await upload(ctx, w.applicant.token, caseId, { bytes: sample.pdf(), visibility: 'PUBLIC' as 'SHARED' });
    expect(badVisibility.status).toBe(400);
    expect(badVisibility.body.fields[0].field).toBe('visibility');
    const notMultipart = await (await import('supertest'))
      .default(ctx.app)
      .post(`/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${w.applicant.token}`)
      .send({ title: 'json' });
    expect(notMultipart.status).toBe(400);
  });
});
