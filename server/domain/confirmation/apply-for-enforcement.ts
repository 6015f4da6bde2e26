import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, cases, confirmationApplications, enforcementApplications } from '../../../schema';
import { requireUser } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer } from '../cases/case-access';
import { localDate, startOfLocalDay, type HolidayCalendar } from '../clock/calendar';
import { computeDeadline, type ComputedDeadline } from '../clock/deadline';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { enqueueCourtWebhook, globalIdOf } from './court-webhooks';

export type EnforcementRow = typeof enforcementApplications.$inferSelect;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The performance dates an agreement names: its performance deadline and its terms' due dates. */
function performanceDates(content: Record<string, unknown>): string[] {
  const dates: string[] = [];
  // The agreement stores { performance: { deadline } } and terms with their own due dates.
  const deadline = (content.performance as { deadline?: unknown } | null | undefined)?.deadline ?? content.performanceDeadline;
  if (typeof deadline === 'string' && DATE_RE.test(deadline)) dates.push(deadline);
  const terms = Array.isArray(content.terms) ? (content.terms as unknown[]) : [];
  for (const term of terms) {
    const due = (term as { dueDate?: unknown } | null)?.dueDate;
    if (typeof due === 'string' && DATE_RE.test(due)) dates.push(due);
  }
  return dates.sort();
}

/**
 * The first day on which some term must have been performed: the earliest of the agreement's
 * performance dates; the effective date when it names none (everything due at once).
 */
export function firstPerformanceDate(content: Record<string, unknown>, effectiveAt: Date): string {
  return performanceDates(content)[0] ?? localDate(effectiveAt);
}

/**
 * The last day of performance an agreement sets: the latest of its performance deadline and its
 * terms' due dates, as the agreement content stores them; the effective date when it names none.
 */
export function lastPerformanceDate(content: Record<string, unknown>, effectiveAt: Date): string {
  return performanceDates(content).at(-1) ?? localDate(effectiveAt);
}

/**
 * CPL 250: two years from the last day of performance, counted on the civil date (a 29 February
 * start ends on 28 February); a last day that is a rest day rolls to the next working day (CPL 85).
 */
export function enforcementLimitation(lastDate: string, calendar: HolidayCalendar): ComputedDeadline {
  return computeDeadline(calendar, { rule: 'YEARS', amount: ENFORCEMENT_YEARS, startAt: startOfLocalDay(lastDate) });
}

/** CPL 250: the period for applying to enforce. */
export const ENFORCEMENT_YEARS = 2;

/**
 * A party of a confirmed case applies to the confirming court to enforce the agreement the other
 * side did not perform (CPL 206, 250); the court's systems receive `enforcement_application.created`.
 * There is nothing to enforce until a term has fallen due and its day has passed unperformed; each
 * party applies once per case (the court's enforcement case then runs on its own).
 */
export async function applyForEnforcement(deps: Deps, actor: Actor, input: { caseId: string; note?: string | null }): Promise<EnforcementRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ caseId: z.string().uuid(), note: z.string().trim().max(5000).nullish() }), input);
  const c = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, c.id);
  const mine = partiesOfViewer(parties, viewer);
  if (mine.length === 0) throw new ForbiddenError('Only a party may apply for enforcement.');
  if (c.status !== 'CONFIRMED') throw new InvalidTransitionError(c.status, 'APPLY_FOR_ENFORCEMENT', 'Only an agreement confirmed by a court can be enforced.');
  const [confirmation] = await deps.db
    .select()
    .from(confirmationApplications)
    .where(and(eq(confirmationApplications.caseId, c.id), eq(confirmationApplications.status, 'CONFIRMED')))
    .orderBy(desc(confirmationApplications.decidedAt))
    .limit(1);
  if (!confirmation) throw new NotFoundError('ConfirmationApplication');
  const [agreement] = await deps.db.select().from(agreements).where(eq(agreements.id, confirmation.agreementId));
  if (!agreement) throw new NotFoundError('Agreement');
  const effectiveAt = agreement.effectiveAt ?? confirmation.decidedAt ?? deps.clock.now();
  const lastDate = lastPerformanceDate(agreement.content, effectiveAt);
  const limitation = enforcementLimitation(lastDate, deps.calendar);
  const limitationEndsAt = limitation.dueAt;
  const now = deps.clock.now();
  // CPL 206: enforcement lies against a party that did not perform. A term is performed in time on
  // its due day, so no breach can exist before the day after the first one.
  const firstDue = firstPerformanceDate(agreement.content, effectiveAt);
  if (localDate(now) <= firstDue) {
    throw ValidationError.field('caseId', `no term of the agreement is overdue yet: the first falls due on ${firstDue}, enforcement may be applied for from the day after`);
  }
  // INT 481: the time bar is the respondent's defence, for the court to hear: a late application is
  // accepted and flagged, never refused here.
  const late = now > limitationEndsAt;
  return deps.db.transaction(async (tx) => {
    // The case row is held first (as touchCase below would), so two identical requests queue here and
    // the second sees the first's application instead of both passing the check.
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, c.id)).for('update');
    const [already] = await tx
      .select({ id: enforcementApplications.id, createdAt: enforcementApplications.createdAt })
      .from(enforcementApplications)
      .where(and(eq(enforcementApplications.caseId, c.id), eq(enforcementApplications.partyId, mine[0]!.id)))
      .limit(1);
    if (already) throw new ConflictError(`You applied for enforcement of this agreement on ${localDate(already.createdAt)}; the court handles that application.`);
    const [row] = await tx
      .insert(enforcementApplications)
      .values({
        caseId: c.id,
        confirmationId: confirmation.id,
        courtId: confirmation.courtId,
        partyId: mine[0]!.id,
        userId: viewer.userId,
        note: data.note ?? null,
        lastPerformanceDate: lastDate,
        limitationEndsAt,
        late,
        createdAt: now,
      })
      .returning();
    await touchCase(tx, deps.clock, actor, c, {}, {
      type: 'enforcement.applied',
      data: { enforcementId: row!.id, courtId: confirmation.courtId, rulingNumber: confirmation.rulingNumber, lastPerformanceDate: lastDate, limitationEndsAt: limitationEndsAt.toISOString(), limitationBasis: limitation.basis, late },
    });
    await enqueueCourtWebhook(tx, deps.clock, confirmation.courtId, {
      topic: 'enforcement_application.created',
      caseId: c.id,
      data: {
        enforcementApplicationId: globalIdOf('EnforcementApplication', row!.id),
        caseId: globalIdOf('Case', c.id),
        confirmationApplicationId: globalIdOf('ConfirmationApplication', confirmation.id),
        rulingNumber: confirmation.rulingNumber,
        applicant: mine[0]!.name,
        lastPerformanceDate: lastDate,
        limitationEndsAt: limitationEndsAt.toISOString(),
        late,
        createdAt: now.toISOString(),
      },
    });
    return row!;
  });
}
