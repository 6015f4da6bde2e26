import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { agreementSignatures, agreements, cases, users } from '../../../schema';
import { renderAgreementPdfOffThread, signPdfOffThread } from '../../pdf/pool';
import { loadTemplate } from '../../pdf/templates';
import type { AgreementSignature } from '../../pdf/types';
import { uniqueViolation } from '../db-errors';
import { verifyPassword } from '../auth/passwords';
import { accountKeys, throttledCheck } from '../auth/password-throttle';
import { requireUser } from '../auth/policy';
import { applyTransition, touchCase } from '../cases/apply-transition';
import { actingFor, loadParties, loadVisibleCase, mediatorOfUser, partiesOfViewer, type CaseRow, type PartyRow } from '../cases/case-access';
import { computeDeadline, type ComputedDeadline } from '../clock/deadline';
import { closeDeadlines, recordDeadline } from '../clock/deadline-records';
import type { Actor, Deps, UserViewer } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { recordStoredFile } from '../files/record-stored-file';
import { loadVisibleAgreement, signaturesOf, type SignatureRow } from './agreement-access';
import { chinaTime, contentOf, toDocument, type AgreementRow } from './agreement-content';
import { localDate } from '../clock/calendar';
import { signingKeyFor } from './signing-certificate';
import { scheduleFollowUps } from '../follow-up/schedule-follow-ups';

export interface SignAgreementInput {
  agreementId: string;
  password: string;
}

/** PML 33, CPL 205: the joint application for judicial confirmation is due within 30 days of effect. */
const CONFIRMATION_WINDOW_DAYS = 30;

/** Concurrent signatures on one agreement are serialised by its lock_version; the loser retries. */
const ATTEMPTS = 4;

interface Signer {
  role: 'PARTY' | 'MEDIATOR';
  partyId: string | null;
  /** The agent with special authority signing for the party (INT 351); null when the party signs. */
  agentName: string | null;
}

/**
 * A party or the case's mediator signs by re-entering their password (电子签名法 13: a signature
 * under the signer's sole control). The evidence keeps who, role, when, IP, user agent and the
 * SHA-256 of the draft they were shown. The mediator's signature applies the organisation's seal;
 * the last required signature makes the agreement effective (PML 29, OMR 19): the final PDF is
 * rendered with every signature, digitally signed, stored, and the case becomes SETTLED.
 */
export async function signAgreement(deps: Deps, actor: Actor, input: SignAgreementInput): Promise<AgreementRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ agreementId: z.string().uuid(), password: z.string().min(1, 'is required').max(200) }), input);
  const first = await loadVisibleAgreement(deps.db, viewer, data.agreementId);
  const theCase = await loadVisibleCase(deps.db, viewer, first.caseId);
  const parties = await loadParties(deps.db, theCase.id);
  const signer = await signerOf(deps, viewer, theCase, parties);

  const [account] = await deps.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, viewer.userId));
  const passwordOk = await throttledCheck(deps.db, deps.clock.now(), accountKeys({ userId: viewer.userId }, actor.ip), async () =>
    !!account && (await verifyPassword(data.password, account.passwordHash)),
  );
  if (!passwordOk) {
    throw new ForbiddenError('The password is wrong; the agreement was not signed.');
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptSignature(deps, actor, viewer, first.id, signer, parties);
    } catch (err) {
      if (!(err instanceof ConflictError) || err.message === ALREADY_SIGNED || attempt >= ATTEMPTS) throw err;
    }
  }
}

const ALREADY_SIGNED = 'You have already signed this agreement.';

async function signerOf(deps: Deps, viewer: UserViewer, theCase: CaseRow, parties: PartyRow[]): Promise<Signer> {
  const me = viewer.role === 'MEDIATOR' ? await mediatorOfUser(deps.db, viewer.userId) : null;
  if (me && theCase.mediatorId === me.id && partiesOfViewer(parties, viewer).length === 0) return { role: 'MEDIATOR', partyId: null, agentName: null };
  // A party signs for themself; an agent with special authority may sign for the party (INT 351).
  const acting = actingFor(parties, viewer, 'sign the agreement');
  if (acting.length > 0) return { role: 'PARTY', partyId: acting[0]!.party.id, agentName: acting[0]!.agent?.name ?? null };
  throw new ForbiddenError('Only the parties, their agents with special authority and the case’s mediator sign its agreement.');
}

async function attemptSignature(
  deps: Deps,
  actor: Actor,
  viewer: UserViewer,
  agreementId: string,
  signer: Signer,
  parties: PartyRow[],
): Promise<AgreementRow> {
  const [agreement] = await deps.db.select().from(agreements).where(eq(agreements.id, agreementId));
  if (!agreement) throw new ConflictError();
  if (agreement.status !== 'SIGNING') {
    throw new InvalidTransitionError(agreement.status, 'SIGN_AGREEMENT', `This agreement is ${agreement.status} and can no longer be signed.`);
  }
  const [theCase] = await deps.db.select().from(cases).where(eq(cases.id, agreement.caseId));
  if (theCase!.status !== 'AGREEMENT_SIGNING') throw new InvalidTransitionError(theCase!.status, 'SIGN_AGREEMENT');
  const existing = await signaturesOf(deps.db, agreement.id);
  if (existing.some((s) => s.userId === viewer.userId && s.role === signer.role)) throw new ConflictError(ALREADY_SIGNED);
  // One signature per party, whether the party or their agent gave it.
  if (signer.partyId && existing.some((s) => s.role === 'PARTY' && s.partyId === signer.partyId)) throw new ConflictError(ALREADY_SIGNED);

  const now = deps.clock.now();
  const content = contentOf(agreement);
  const mine: SignatureRow = {
    id: '',
    agreementId: agreement.id,
    partyId: signer.partyId,
    userId: viewer.userId,
    role: signer.role,
    name: signer.role === 'PARTY' ? (content.parties.find((p) => p.partyId === signer.partyId)?.name ?? viewer.name) : (content.mediators[0] ?? viewer.name),
    agentName: signer.agentName,
    signedAt: now,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
    shownSha256: agreement.draftSha256!,
  };
  const all = [...existing, mine];
  const isLast =
    parties.every((p) => all.some((s) => s.role === 'PARTY' && s.partyId === p.id)) && all.some((s) => s.role === 'MEDIATOR');

  // The final PDF is rendered and digitally signed before the transaction (pure, slow); if the
  // transaction then loses a race, only an unreferenced content-addressed file remains.
  let final: { key: string; sha256: string; size: number } | null = null;
  let deadline: Date | null = null;
  let window: ComputedDeadline | null = null;
  if (isLast) {
    const signatures: AgreementSignature[] = [
      ...content.parties.flatMap((p) => {
        const s = all.find((x) => x.role === 'PARTY' && x.partyId === p.partyId);
        return s ? [{ role: 'PARTY' as const, name: p.name, signedAt: chinaTime(s.signedAt), ...(s.agentName ? { agent: s.agentName } : {}) }] : [];
      }),
      ...all.filter((s) => s.role === 'MEDIATOR').map((s) => ({ role: 'MEDIATOR' as const, name: s.name, signedAt: chinaTime(s.signedAt) })),
    ];
    // Every fallible computation comes before any byte is stored.
    window = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: CONFIRMATION_WINDOW_DAYS, startAt: now });
    deadline = window.dueAt;
    const pdf = await renderAgreementPdfOffThread(
      toDocument(agreement, content, { dataKey: deps.config.dataKey, publicUrl: deps.config.publicUrl, signatures, draft: false, createdAt: now, effectiveDate: localDate(now) }),
      loadTemplate(agreement.templateId as Parameters<typeof loadTemplate>[0], agreement.templateVersion),
    );
    const key = await signingKeyFor(deps.config, content.organizationName, now, deps.db);
    const signed = await signPdfOffThread(pdf, {
      p12: key.p12,
      passphrase: key.passphrase,
      reason: '调解协议经各方当事人签署、调解员签名并加盖调解组织印章，依法生效',
      location: content.organizationName,
      signerName: content.organizationName,
      signingTime: now,
    });
    final = await deps.storage.put(signed);
  }

  return deps.db.transaction(async (tx) => {
    // Conditional update: concurrent signatures, a redraft, or two "last" signatures cannot both
    // proceed on the same lock_version; the loser rolls back and retries with fresh data.
    const [locked] = await tx
      .update(agreements)
      .set({ lockVersion: agreement.lockVersion + 1 })
      .where(and(eq(agreements.id, agreement.id), eq(agreements.status, 'SIGNING'), eq(agreements.lockVersion, agreement.lockVersion)))
      .returning();
    if (!locked) throw new ConflictError();
    try {
      await tx.insert(agreementSignatures).values({ ...mine, id: undefined });
    } catch (err) {
      if (uniqueViolation(err)) throw new ConflictError(ALREADY_SIGNED);
      throw err;
    }
    const signedData = {
      agreementId: agreement.id,
      version: agreement.version,
      role: signer.role,
      partyId: signer.partyId,
      name: mine.name,
      shownSha256: mine.shownSha256,
      // The organisation's seal goes on with the mediator's signature.
      sealApplied: signer.role === 'MEDIATOR',
    };
    if (!final) {
      await touchCase(tx, deps.clock, actor, theCase!, {}, { type: 'case.agreement_signed', data: signedData });
      return locked;
    }
    const file = await recordStoredFile(tx, final, {
      contentType: 'application/pdf',
      fileName: `agreement-v${agreement.version}.pdf`,
      caseId: agreement.caseId,
      createdAt: now,
      createdBy: viewer.userId,
    });
    const [effective] = await tx
      .update(agreements)
      .set({ status: 'EFFECTIVE', finalFileId: file.id, finalSha256: final.sha256, effectiveAt: now, confirmationDeadline: deadline })
      .where(and(eq(agreements.id, agreement.id), eq(agreements.status, 'SIGNING')))
      .returning();
    // A correction replaces the version that was effective until now (it stays on file, unchanged).
    const superseded = await tx
      .update(agreements)
      .set({ status: 'SUPERSEDED' })
      .where(and(eq(agreements.caseId, agreement.caseId), eq(agreements.status, 'EFFECTIVE'), ne(agreements.id, agreement.id)))
      .returning({ id: agreements.id });
    await applyTransition(tx, deps.clock, actor, theCase!, 'LAST_SIGNATURE', {}, {
      type: 'case.agreement_effective',
      data: {
        ...signedData,
        finalSha256: final.sha256,
        effectiveAt: now.toISOString(),
        confirmationDeadline: deadline!.toISOString(),
        confirmationDeadlineRule: 'PML 33, CPL 205: 自调解协议生效之日起三十日内共同申请司法确认',
        confirmationDeadlineBasis: window!.basis,
        supersedes: superseded.map((s) => s.id),
      },
    });
    await closeDeadlines(tx, deps.clock, { caseId: agreement.caseId, kinds: ['MEDIATION_LIMIT', 'LEVEL_LIMIT'] });
    await recordDeadline(tx, deps.clock, { caseId: agreement.caseId, kind: 'CONFIRMATION_WINDOW', targetId: agreement.id, computed: window!, source: 'PML 33, CPL 205' });
    // 回访: follow-ups of performance are scheduled in the same transaction as the effect.
    await scheduleFollowUps(tx, deps, theCase!, effective!, now);
    await enqueue(
      tx,
      deps.clock,
      parties.map((p) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'agreement.effective',
        recipient: p.phone,
        caseId: agreement.caseId,
        payload: { caseNumber: theCase!.number, agreementNumber: agreement.number, confirmationDeadline: deadline!.toISOString() },
      })),
    );
    return effective!;
  });
}
