import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseTerminations, confirmationApplications, litigationTransfers, organizations } from '../../../schema';
import { requireUser } from '../auth/policy';
import { applyTransition } from '../cases/apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow, type PartyRow } from '../cases/case-access';
import { computeDeadline } from '../clock/deadline';
import { recordDeadline } from '../clock/deadline-records';
import { confirmedFacts, GROUND_TEXT, type TerminationGround } from '../sessions/terminate-mediation';
import type { Actor, Deps } from '../context';
import { enqueueCourtWebhook, globalIdOf, grantCourtAccess } from '../confirmation/court-webhooks';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import type { Executor } from '../../db';
import { parseInput } from '../validate';

export type TransferRow = typeof litigationTransfers.$inferSelect;
type FailureReport = TransferRow['failureReport'];

/** CPL 126: the court decides on filing within 7 days of receiving the complaint. */
export const FILING_DECISION_DAYS = 7;

const TRANSFERABLE = ['FAILED', 'REFUSED', 'CONFIRMATION_REJECTED'];

/**
 * The report the court receives (OMR 18, 21; SIM 2): the formal parts of the failure — its ground,
 * the dates and the parties — and the facts every party confirmed as undisputed, read afresh now.
 * Nothing written during mediation goes with it: not the mediator's note or notesForCourt, not a
 * party's refusal reason, not the court's own decision note, not minutes or messages.
 */
export async function courtReportOf(db: Executor, c: CaseRow, parties: PartyRow[]): Promise<FailureReport> {
  const formal = {
    parties: parties.map((p) => ({ role: p.role, kind: p.kind, name: p.name })),
    undisputedFacts: await confirmedFacts(db, c.id),
    notesForCourt: null,
    routes: ['诉讼'],
  };
  const dates = (endedAt: Date | null) => ({ filedAt: c.createdAt.toISOString(), mediationStartedAt: c.acceptedAt?.toISOString() ?? null, endedAt: endedAt?.toISOString() ?? null });
  const [termination] = await db.select().from(caseTerminations).where(eq(caseTerminations.caseId, c.id));
  if (c.status === 'FAILED' && termination) {
    const ground = termination.ground as TerminationGround;
    return { ...formal, why: `调解不成：${GROUND_TEXT[ground] ?? '其他原因'}`, ground, dates: dates(termination.terminatedAt) };
  }
  if (c.status === 'REFUSED') {
    const refusedAt = parties.map((p) => (p.consent === 'REFUSED' ? p.consentAt : null)).find((d) => d) ?? null;
    return { ...formal, why: '被申请人不同意调解（人民调解法第三条、第十七条）', ground: 'REFUSED', dates: dates(refusedAt) };
  }
  const [rejected] = await db
    .select()
    .from(confirmationApplications)
    .where(and(eq(confirmationApplications.caseId, c.id), eq(confirmationApplications.status, 'REJECTED')))
    .orderBy(desc(confirmationApplications.decidedAt))
    .limit(1);
  return {
    ...formal,
    why: rejected ? `调解协议经司法确认被驳回（${rejected.rulingNumber}）` : '调解协议经司法确认被驳回',
    ground: 'CONFIRMATION_REJECTED',
    dates: dates(rejected?.decidedAt ?? null),
  };
}

/**
 * A party sends a failed, refused or rejected case to the court of their choice for filing (转立案,
 * OMR 21) with the failure report and the undisputed facts; the court must decide on filing within
 * 7 days (CPL 126). The case becomes LITIGATION and the court's systems receive `litigation_transfer.created`.
 */
export async function transferToLitigation(
  deps: Deps,
  actor: Actor,
  input: { caseId: string; courtId: string; note?: string | null },
): Promise<TransferRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ caseId: z.string().uuid(), courtId: z.string().uuid(), note: z.string().trim().max(5000).nullish() }), input);
  const c = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, c.id);
  const mine = partiesOfViewer(parties, viewer);
  if (mine.length === 0) throw new ForbiddenError('Only a party may take the case to court.');
  if (!TRANSFERABLE.includes(c.status)) throw new InvalidTransitionError(c.status, 'TRANSFER_TO_LITIGATION');
  const [court] = await deps.db.select().from(organizations).where(eq(organizations.id, data.courtId));
  if (!court || court.kind !== 'COURT' || !court.active) throw ValidationError.field('courtId', 'is not a court');
  const report = await courtReportOf(deps.db, c, parties);
  const now = deps.clock.now();
  const filing = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: FILING_DECISION_DAYS, startAt: now });
  const filingDueAt = filing.dueAt;
  try {
    return await deps.db.transaction(async (tx) => {
      const [transfer] = await tx
        .insert(litigationTransfers)
        .values({
          caseId: c.id,
          courtId: court.id,
          status: 'PENDING',
          partyId: mine[0]!.id,
          requestedBy: viewer.userId,
          fromStatus: c.status,
          failureReport: report,
          undisputedFacts: report.undisputedFacts,
          note: data.note ?? null,
          filingDueAt,
          createdAt: now,
        })
        .returning();
      await applyTransition(tx, deps.clock, actor, c, 'TRANSFER_TO_LITIGATION', { dueAt: filingDueAt, dueRule: 'CPL 126: 人民法院7日内决定是否立案' }, {
        type: 'litigation.transferred',
        data: { transferId: transfer!.id, courtId: court.id, courtName: court.name, by: viewer.name, undisputedFacts: report.undisputedFacts.length },
      });
      await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'LITIGATION_FILING', targetId: transfer!.id, computed: filing, source: 'CPL 126' });
      await grantCourtAccess(tx, deps.clock, c.id, court.id, 'litigation transfer');
      await enqueueCourtWebhook(tx, deps.clock, court.id, {
        topic: 'litigation_transfer.created',
        caseId: c.id,
        data: {
          transferId: globalIdOf('LitigationTransfer', transfer!.id),
          caseId: globalIdOf('Case', c.id),
          caseNumber: c.number,
          courtId: globalIdOf('Organization', court.id),
          fromStatus: c.status,
          // The same formal report the court reads through the API: nothing else from the mediation.
          failureReport: report,
          undisputedFacts: report.undisputedFacts,
          filingDueAt: filingDueAt.toISOString(),
          createdAt: now.toISOString(),
        },
      });
      return transfer!;
    });
  } catch (err) {
    if (uniqueViolation(err) === 'litigation_transfers_case_key') throw new ConflictError('This case has already been sent to a court.');
    throw err;
  }
}
