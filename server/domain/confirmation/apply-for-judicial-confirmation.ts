import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, cases, confirmationApplications } from '../../../schema';
import type { ConfirmationApplicant } from '../../../schema/confirmation';
import { requireUser } from '../auth/policy';
import { applyTransition, touchCase } from '../cases/apply-transition';
import { actingFor, loadParties, loadVisibleCase } from '../cases/case-access';
import { addCalendarDays, localDate } from '../clock/calendar';
import { computeDeadline } from '../clock/deadline';
import { closeDeadlines, recordDeadline } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, DeadlineError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { OPEN_CONFIRMATION_STATUSES, notifyParties, updateApplication, type ApplicationRow } from './application-access';
import { enqueueCourtWebhook, globalIdOf, grantCourtAccess } from './court-webhooks';
import { eligibleCourts } from './eligible-courts';
import { buildMaterials } from './materials';

const inputSchema = z.object({ agreementId: z.string().uuid(), courtId: z.string().uuid() });

/** JC2011 4: the court decides whether to accept within 3 days of receiving the application. */
export const ACCEPTANCE_DAYS = 3;

/**
 * A party applies for judicial confirmation of an effective agreement (CPL 205, PML 33). The
 * application is joint: it waits as AWAITING_CO_APPLICANT until every party has applied to the same
 * court, and is then SUBMITTED: the case moves to CONFIRMATION_PENDING, the court gains access to
 * the file and its systems receive `confirmation_application.submitted`.
 */
export async function applyForJudicialConfirmation(
  deps: Deps,
  actor: Actor,
  input: { agreementId: string; courtId: string },
): Promise<ApplicationRow> {
  const viewer = requireUser(actor);
  const data = parseInput(inputSchema, input);
  const [agreement] = await deps.db.select().from(agreements).where(eq(agreements.id, data.agreementId));
  if (!agreement) throw new NotFoundError('Agreement');
  const current = await loadVisibleCase(deps.db, viewer, agreement.caseId).catch(() => {
    throw new NotFoundError('Agreement');
  });
  const parties = await loadParties(deps.db, current.id);
  // A party applies for themself; an agent with special authority may apply for the party (INT 351).
  const acting = actingFor(parties, viewer, 'apply for judicial confirmation');
  if (acting.length === 0) throw new ForbiddenError('Only the parties and their agents with special authority may apply for judicial confirmation (CPL 205, INT 351).');
  if (agreement.status !== 'EFFECTIVE' || !agreement.effectiveAt) {
    throw new InvalidTransitionError(agreement.status, 'APPLY_FOR_CONFIRMATION', 'Only an effective agreement can be confirmed.');
  }
  if (current.status !== 'SETTLED') throw new InvalidTransitionError(current.status, 'SUBMIT_CONFIRMATION');
  const now = deps.clock.now();
  // PML 33, CPL 205: jointly within 30 days of the agreement taking effect.
  const deadline = agreement.confirmationDeadline ?? addCalendarDays(agreement.effectiveAt, 30, deps.calendar);
  if (now > deadline) throw new DeadlineError('The 30 days for applying for judicial confirmation have passed (CPL 205).', deadline);
  const eligible = await eligibleCourts(deps.db, current, parties, localDate(now));
  const court = eligible.find((e) => e.court.id === data.courtId);
  if (!court) {
    const names = eligible.map((e) => e.court.name).join('、') || '（无）';
    throw ValidationError.field('courtId', `is not a court this agreement may be confirmed by; eligible: ${names}`);
  }
  const applied: ConfirmationApplicant[] = acting.map(({ party: p, agent }) => ({
    partyId: p.id,
    userId: viewer.userId,
    name: p.name,
    role: p.role,
    appliedAt: now.toISOString(),
    ...(agent ? { agentName: agent.name } : {}),
  }));

  try {
    return await deps.db.transaction(async (tx) => {
      // Two parties applying at the same moment: the case row is held first, so the second waits for
      // the first to commit and then joins its application (instead of a failed unique insert or a
      // stale version). The case is read again under the lock: the conditional update below needs
      // the version the first applicant left.
      const [locked] = await tx.select().from(cases).where(eq(cases.id, current.id)).for('update');
      if (!locked || locked.status !== 'SETTLED') throw new InvalidTransitionError(locked?.status ?? current.status, 'SUBMIT_CONFIRMATION');
      const [open] = await tx
        .select()
        .from(confirmationApplications)
        .where(and(eq(confirmationApplications.agreementId, agreement.id), inArray(confirmationApplications.status, OPEN_CONFIRMATION_STATUSES)));
      if (open && open.status !== 'AWAITING_CO_APPLICANT') {
        throw new InvalidTransitionError(open.status, 'APPLY_FOR_CONFIRMATION', 'This agreement is already before a court.');
      }
      if (open && open.courtId !== court.court.id) {
        // A joint application names one court; the co-applicant must join it or withdraw it first.
        throw ValidationError.field('courtId', `the other party applied to ${(eligible.find((e) => e.court.id === open.courtId)?.court.name) ?? 'another court'}; apply to the same court or withdraw that application`);
      }
      const before = open?.applicants ?? [];
      const fresh = applied.filter((a) => !before.some((b) => b.partyId === a.partyId));
      if (open && fresh.length === 0) throw new InvalidTransitionError(open.status, 'APPLY_FOR_CONFIRMATION', 'You have already applied.');
      const applicants = [...before, ...fresh];
      // The materials show, per party, the agent with special authority who applied for it.
      const appliedByAgent = new Map(applicants.flatMap((a) => (a.agentName ? [[a.partyId, a.agentName] as const] : [])));
      const materials = await buildMaterials(tx, current, parties, agreement, { dataKey: deps.config.dataKey, appliedByAgent });
      const complete = parties.every((p) => applicants.some((a) => a.partyId === p.id));
      const acceptance = complete ? computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: ACCEPTANCE_DAYS, startAt: now }) : null;
      const submission = acceptance
        ? { status: 'SUBMITTED', submittedAt: now, acceptanceDueAt: acceptance.dueAt }
        : { status: 'AWAITING_CO_APPLICANT' };

      let application: ApplicationRow;
      if (open) {
        application = await updateApplication(tx, deps.clock, open, { applicants, materials, ...submission });
      } else {
        const [row] = await tx
          .insert(confirmationApplications)
          .values({
            caseId: current.id,
            agreementId: agreement.id,
            courtId: court.court.id,
            applicants,
            materials,
            createdAt: now,
            updatedAt: now,
            ...submission,
          })
          .returning();
        application = row!;
      }
      const eventData = {
        applicationId: application.id,
        courtId: court.court.id,
        courtName: court.court.name,
        courtReasons: court.reasons,
        partyIds: fresh.map((a) => a.partyId),
        ...(fresh.some((a) => a.agentName) ? { appliedByAgent: fresh.map((a) => a.agentName ?? null) } : {}),
        applicant: viewer.name,
      };
      if (!complete) {
        await touchCase(tx, deps.clock, actor, locked, {}, { type: 'confirmation.applied', data: { ...eventData, waitingFor: parties.length - applicants.length } });
        const others = parties.filter((p) => !applicants.some((a) => a.partyId === p.id));
        await notifyParties(tx, deps.clock, others, 'confirmation.co_applicant_needed', current.id, {
          caseNumber: current.number,
          courtName: court.court.name,
          deadline: deadline.toISOString(),
        });
        return application;
      }
      await applyTransition(
        tx,
        deps.clock,
        actor,
        locked,
        'SUBMIT_CONFIRMATION',
        { dueAt: application.acceptanceDueAt, dueRule: 'JC2011 4: 人民法院收到申请后3日内决定是否受理' },
        { type: 'confirmation.submitted', data: { ...eventData, materials: { agreementSha256: materials.agreement.sha256, evidence: materials.evidence.length, minutes: materials.minutes.length } } },
      );
      // The joint application is in: the parties' 30-day window is met.
      await closeDeadlines(tx, deps.clock, { caseId: current.id, kinds: ['CONFIRMATION_WINDOW'] });
      await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'APPLICATION_ACCEPTANCE', targetId: application.id, computed: acceptance!, source: 'JC2011 4' });
      await grantCourtAccess(tx, deps.clock, current.id, court.court.id, 'judicial confirmation application');
      await enqueueCourtWebhook(tx, deps.clock, court.court.id, {
        topic: 'confirmation_application.submitted',
        caseId: current.id,
        data: {
          applicationId: globalIdOf('ConfirmationApplication', application.id),
          caseId: globalIdOf('Case', current.id),
          caseNumber: current.number,
          agreementId: globalIdOf('Agreement', agreement.id),
          agreementSha256: agreement.finalSha256,
          courtId: globalIdOf('Organization', court.court.id),
          submittedAt: now.toISOString(),
          acceptanceDueAt: application.acceptanceDueAt?.toISOString() ?? null,
        },
      });
      await notifyParties(tx, deps.clock, parties, 'confirmation.submitted', current.id, { caseNumber: current.number, courtName: court.court.name });
      return application;
    });
  } catch (err) {
    // Not reached while the case row is held first; kept so a missed path still answers with a typed error.
    if (uniqueViolation(err) === 'confirmation_applications_open_key') throw new ConflictError('The other party started the application at the same moment; try again.');
    throw err;
  }
}
