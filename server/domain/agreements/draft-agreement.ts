import { and, count, eq, inArray, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { agreementSignatures, agreements, mediators, organizations, users } from '../../../schema';
import { renderAgreementPdfOffThread } from '../../pdf/pool';
import { NO_RESPONSIBILITY } from '../../pdf/agreement-text';
import { unprintableCharacters } from '../../pdf/coverage';
import { loadTemplate } from '../../pdf/templates';
import { requireUser } from '../auth/policy';
import { applyTransition } from '../cases/apply-transition';
import { loadParties, loadVisibleCase, mediatorOfUser } from '../cases/case-access';
import { canTransition } from '../cases/state-machine';
import { localDate } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { CATEGORY_LABELS } from '../enums';
import { ConflictError, ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { recordStoredFile } from '../files/record-stored-file';
import { agreementsOfCase } from './agreement-access';
import {
  DEFAULT_BREACH_CLAUSE,
  agreementNumber,
  buildParties,
  newVerificationCode,
  templateForCase,
  toDocument,
  type AgreementContent,
  type AgreementRow,
} from './agreement-content';

export interface AgreementTermInput {
  text: string;
  obligorPartyId?: string | null;
  amount?: string | null;
  dueDate?: string | null;
}

export interface DraftAgreementInput {
  caseId: string;
  facts: string;
  issues: string;
  terms: AgreementTermInput[];
  performanceMethod: string;
  performanceDeadline: string;
  performancePlace?: string | null;
  responsibilities?: string | null;
  breachClause?: string | null;
  recorder?: string | null;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const prose = (min: number, max: number) => z.string().trim().min(min, `needs at least ${min} characters`).max(max, 'is too long');

const inputSchema = z.object({
  caseId: z.string().uuid(),
  facts: prose(10, 5000),
  issues: prose(2, 2000),
  terms: z
    .array(
      z.object({
        text: prose(2, 2000),
        obligorPartyId: z.string().uuid('is not a party of this case').nullish(),
        amount: z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be yuan with two decimals').nullish(),
        dueDate: date.nullish(),
      }),
    )
    .min(1, 'an agreement needs at least one term')
    .max(100),
  performanceMethod: prose(2, 1000),
  performanceDeadline: date,
  performancePlace: prose(2, 300).nullish(),
  responsibilities: prose(2, 2000).nullish(),
  breachClause: prose(5, 2000).nullish(),
  recorder: prose(2, 50).nullish(),
});

/**
 * The case's mediator drafts the agreement (PML 28–29): a new version ready for signatures. A
 * first draft moves the case MEDIATING -> AGREEMENT_SIGNING; a redraft replaces a version nobody
 * has signed yet; a correction of an effective agreement (SETTLED, or MEDIATING again after a
 * rejected confirmation) is a new version that needs every signature again and supersedes the
 * effective one only when it becomes effective itself.
 */
/**
 * Everything a draft is made of, checked as drafting checks it, without writing anything: the
 * agreement's content and head, the template, and the versions it replaces. Drafting stores it;
 * the preview only renders it.
 */
export async function composeDraft(deps: Deps, actor: Actor, input: DraftAgreementInput) {
  const viewer = requireUser(actor);
  const data = parseInput(inputSchema, input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const me = viewer.role === 'MEDIATOR' ? await mediatorOfUser(deps.db, viewer.userId) : null;
  if (!me || current.mediatorId !== me.id) throw new ForbiddenError('Only the case’s mediator may draft its agreement.');
  if (!canTransition(current.status, 'DRAFT_AGREEMENT')) throw new InvalidTransitionError(current.status, 'DRAFT_AGREEMENT');

  const versions = await agreementsOfCase(deps.db, current.id);
  const open = versions.filter((a) => a.status === 'SIGNING');
  const effective = versions.find((a) => a.status === 'EFFECTIVE') ?? null;
  if (current.status === 'AGREEMENT_SIGNING' || open.length > 0) {
    const [{ n } = { n: 0 }] = open.length
      ? await deps.db.select({ n: count() }).from(agreementSignatures).where(inArray(agreementSignatures.agreementId, open.map((a) => a.id)))
      : [];
    // Electronic signatures are bound to the exact bytes shown (电子签名法 13): once anyone has
    // signed, the text is fixed; the way out is terminating, or a correction after it takes effect.
    if (Number(n) > 0) {
      throw new InvalidTransitionError(current.status, 'DRAFT_AGREEMENT', 'This agreement has already been signed and cannot be redrafted.');
    }
  }

  const parties = await loadParties(deps.db, current.id);
  const byUser = parties.filter((p) => p.userId).map((p) => p.userId!);
  const byPhone = parties.filter((p) => !p.userId).map((p) => p.phone);
  const accountsRows = [
    ...(byUser.length ? await deps.db.select().from(users).where(inArray(users.id, byUser)) : []),
    ...(byPhone.length ? await deps.db.select().from(users).where(and(inArray(users.phone, byPhone), isNotNull(users.phoneVerifiedAt))) : []),
  ];
  const accounts = new Map(
    parties.flatMap((p) => {
      const u = accountsRows.find((a) => (p.userId ? a.id === p.userId : a.phone === p.phone));
      return u ? [[p.id, u] as const] : [];
    }),
  );
  const now = deps.clock.now();
  const today = localDate(now);
  const built = buildParties(parties, accounts, today);

  const errors = [...built.missing];
  data.terms.forEach((t, i) => {
    if (t.obligorPartyId && !parties.some((p) => p.id === t.obligorPartyId)) {
      errors.push({ field: `terms.${i}.obligorPartyId`, message: 'is not a party of this case' });
    }
    if (t.dueDate && t.dueDate < today) errors.push({ field: `terms.${i}.dueDate`, message: 'lies in the past' });
  });
  if (data.performanceDeadline < today) errors.push({ field: 'performanceDeadline', message: 'lies in the past' });
  // Never print a box: text the agreement fonts cannot draw (e.g. CJK Extension B such as 𠮷) is refused, naming the field.
  const printed: [string, string | null | undefined][] = [
    ['facts', data.facts],
    ['issues', data.issues],
    ['responsibilities', data.responsibilities],
    ['performanceMethod', data.performanceMethod],
    ['performancePlace', data.performancePlace],
    ['breachClause', data.breachClause],
    ['recorder', data.recorder],
    ...data.terms.map((t, i): [string, string] => [`terms.${i}.text`, t.text]),
    ...built.parties.flatMap((p, i): [string, string | undefined][] => [
      [`parties.${i}.name`, p.name],
      [`parties.${i}.address`, p.domicile],
      [`parties.${i}.occupation`, p.occupation],
      ...(p.agents ?? []).map((a, j): [string, string] => [`parties.${i}.agents.${j}`, `${a.name}${a.authority}`]),
    ]),
  ];
  for (const [field, text] of printed) {
    const bad = text ? unprintableCharacters(text) : [];
    if (bad.length) errors.push({ field, message: `contains characters the agreement font cannot print (${bad.join(' ')}); write them another way (e.g. a common variant) or register the name with the character described` });
  }
  if (errors.length) throw new ValidationError(errors);

  const [mediatorRow] = await deps.db
    .select({ name: users.name })
    .from(mediators)
    .innerJoin(users, eq(users.id, mediators.userId))
    .where(eq(mediators.id, me.id));
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, current.organizationId!));
  const templateId = templateForCase(current.channel, current.delegatingCourtId);
  const template = loadTemplate(templateId);
  const content: AgreementContent = {
    caseNumber: current.number,
    categoryLabel: CATEGORY_LABELS[current.category],
    organizationName: org!.name,
    mediators: [mediatorRow!.name],
    // Village committees often have the mediator keep the record themself.
    recorder: data.recorder ?? mediatorRow!.name,
    parties: built.parties,
    facts: data.facts,
    issues: data.issues,
    // 各方责任 never disappears: without a text the agreement says that no one bears responsibility.
    responsibilities: data.responsibilities?.trim() || NO_RESPONSIBILITY,
    terms: data.terms.map((t) => ({
      text: t.text,
      obligorPartyId: t.obligorPartyId ?? null,
      obligorName: t.obligorPartyId ? (built.parties.find((p) => p.partyId === t.obligorPartyId)?.name ?? null) : null,
      amount: t.amount ?? null,
      dueDate: t.dueDate ?? null,
    })),
    performance: { method: data.performanceMethod, place: data.performancePlace ?? null, deadline: data.performanceDeadline },
    breach: data.breachClause ?? DEFAULT_BREACH_CLAUSE,
    originals: parties.length + 1,
    date: today,
    replacesNumber: effective?.number ?? null,
  };
  const version = Math.max(0, ...versions.map((a) => a.version)) + 1;
  const head = {
    number: agreementNumber(current.number, version),
    version,
    templateId,
    templateVersion: template.version,
    verificationCode: newVerificationCode(),
  };
  return { viewer, current, parties, open, effective, content, head, template, templateId, version, now };
}

export async function draftAgreement(deps: Deps, actor: Actor, input: DraftAgreementInput): Promise<AgreementRow> {
  const { viewer, current, parties, open, effective, content, head, template, templateId, version, now } = await composeDraft(deps, actor, input);

  // Rendering is pure and slow: done before the transaction; stored bytes are content-addressed,
  // so a failed transaction leaves at most an unreferenced file, never a half-written agreement.
  const pdf = await renderAgreementPdfOffThread(
    toDocument(head, content, { dataKey: deps.config.dataKey, publicUrl: deps.config.publicUrl, signatures: [], draft: true, createdAt: now }),
    template,
  );
  const stored = await deps.storage.put(pdf);

  return deps.db.transaction(async (tx) => {
    // The case row first: its conditional update orders concurrent drafts and signatures.
    await applyTransition(tx, deps.clock, actor, current, 'DRAFT_AGREEMENT', {}, {
      type: 'case.agreement_drafted',
      data: {
        number: head.number,
        version,
        templateId,
        templateVersion: template.version,
        draftSha256: stored.sha256,
        correctionOf: effective?.id ?? null,
        replaces: open.map((a) => a.id),
      },
    });
    for (const old of open) {
      // Conditional: a signature that lands meanwhile bumps lock_version, and the redraft loses.
      const [gone] = await tx
        .update(agreements)
        .set({ status: 'SUPERSEDED', lockVersion: old.lockVersion + 1 })
        .where(and(eq(agreements.id, old.id), eq(agreements.status, 'SIGNING'), eq(agreements.lockVersion, old.lockVersion)))
        .returning();
      if (!gone) throw new ConflictError('Someone signed the agreement meanwhile; it can no longer be redrafted.');
    }
    const file = await recordStoredFile(tx, stored, {
      contentType: 'application/pdf',
      fileName: `agreement-v${version}-draft.pdf`,
      caseId: current.id,
      createdAt: now,
      createdBy: viewer.userId,
    });
    const [row] = await tx
      .insert(agreements)
      .values({
        caseId: current.id,
        ...head,
        status: 'SIGNING',
        content: content as unknown as Record<string, unknown>,
        draftFileId: file.id,
        draftSha256: stored.sha256,
        supersedesId: open[0]?.id ?? effective?.id ?? null,
        createdAt: now,
        createdBy: viewer.userId,
      })
      .returning();
    await enqueue(
      tx,
      deps.clock,
      parties.map((p) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'agreement.ready_to_sign',
        recipient: p.phone,
        caseId: current.id,
        payload: { caseNumber: current.number, agreementNumber: head.number, version },
      })),
    );
    return row!;
  });
}
