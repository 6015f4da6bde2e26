import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { cases, litigationTransfers, mediators, organizations, users } from '../../../schema';
import { requireApiClient } from '../auth/policy';
import { loadParties, type CaseRow } from '../cases/case-access';
import { dispatch } from '../cases/dispatch';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { grantCourtAccess } from '../confirmation/court-webhooks';

const inputSchema = z.object({
  caseId: z.string().uuid(),
  organizationId: z.string().uuid(),
  mediatorId: z.string().uuid().nullish(),
  /** For a case already filed (委托, OMR 24): the procedure it is tried under, which fixes the limit. */
  procedure: z.enum(['ORDINARY', 'SIMPLIFIED']).nullish(),
});

/**
 * 委派调解 (SIM 19, OMR 24): before filing, a court's API client delegates a case sent to it for
 * filing (a pending litigation transfer) to a court-invited (特邀) organisation on its roster, or
 * one of its mediators; after filing (a docketed transfer) it entrusts mediation (委托), which runs
 * 15 days, or 7 in the simplified procedure. The case remembers the delegating court, which is then the only court that
 * may confirm its agreement (CPL 205); the transfer is closed as DELEGATED.
 */
export async function delegateMediation(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<CaseRow> {
  const client = requireApiClient(actor);
  const data = parseInput(inputSchema, input);
  const [transfer] = await deps.db
    .select()
    .from(litigationTransfers)
    .where(and(eq(litigationTransfers.caseId, data.caseId), eq(litigationTransfers.courtId, client.organizationId)));
  // A court sees only cases sent to it: anything else is not found.
  if (!transfer) throw new NotFoundError('Case');
  // Pending: delegated before filing (委派). Docketed: entrusted after filing (委托), 15 or 7 days (OMR 24).
  const stage = transfer.status === 'PENDING' ? 'PRE_FILING' : transfer.status === 'ACKNOWLEDGED' ? 'POST_FILING' : null;
  if (!stage) throw new InvalidTransitionError(transfer.status, 'DELEGATE', 'The case has already been delegated.');
  if (stage === 'POST_FILING' && !data.procedure) throw ValidationError.field('procedure', 'is required for a case already filed: ORDINARY (15 days) or SIMPLIFIED (7 days), OMR 24');
  if (stage === 'PRE_FILING' && data.procedure) throw ValidationError.field('procedure', 'applies only to a case already filed (委托)');
  const [current] = await deps.db.select().from(cases).where(eq(cases.id, data.caseId));
  if (!current) throw new NotFoundError('Case');
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, data.organizationId));
  if (!org || !org.active || org.invitingCourtId !== client.organizationId) {
    throw ValidationError.field('organizationId', 'is not a court-invited (特邀) organisation on this court’s roster');
  }
  let mediator: { id: string; name: string; reasons: string[] } | null = null;
  if (data.mediatorId) {
    const [m] = await deps.db
      .select({ id: mediators.id, name: users.name, organizationId: mediators.organizationId, active: mediators.active })
      .from(mediators)
      .innerJoin(users, eq(users.id, mediators.userId))
      .where(eq(mediators.id, data.mediatorId));
    if (!m || !m.active || m.organizationId !== org.id) throw ValidationError.field('mediatorId', 'is not an active mediator of that organisation');
    mediator = { id: m.id, name: m.name, reasons: ['人民法院委派指定的特邀调解员'] };
  }
  const [court] = await deps.db.select().from(organizations).where(eq(organizations.id, client.organizationId));
  const parties = await loadParties(deps.db, current.id);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Conditional: a docket number entered meanwhile wins and the delegation fails. A filed case keeps
    // its docket: the court entrusts mediation within the proceedings.
    const [closed] = await tx
      .update(litigationTransfers)
      .set({ status: stage === 'PRE_FILING' ? 'DELEGATED' : transfer.status, lockVersion: transfer.lockVersion + 1 })
      .where(and(eq(litigationTransfers.id, transfer.id), eq(litigationTransfers.status, transfer.status), eq(litigationTransfers.lockVersion, transfer.lockVersion)))
      .returning();
    if (!closed) throw new ConflictError('The transfer changed meanwhile.');
    const reason =
      stage === 'PRE_FILING'
        ? `${court?.name ?? '人民法院'}立案前委派调解（特邀调解规定第十九条）`
        : `${court?.name ?? '人民法院'}立案后委托调解（${data.procedure === 'SIMPLIFIED' ? '简易程序，7日' : '普通程序，15日'}，OMR 24）`;
    const dispatched = await dispatch(
      tx,
      deps,
      actor,
      current,
      'DELEGATE',
      { organization: org, channel: 'JUDICIAL', level: org.level, reasons: [reason], alternatives: [], mediator },
      'DELEGATION',
      reason,
    );
    const [updated] = await tx
      .update(cases)
      .set({ delegatingCourtId: client.organizationId, filedVia: current.filedVia, courtStage: stage, courtProcedure: stage === 'POST_FILING' ? data.procedure! : null })
      .where(eq(cases.id, current.id))
      .returning();
    await grantCourtAccess(tx, deps.clock, current.id, client.organizationId, 'delegated mediation');
    await enqueue(
      tx,
      deps.clock,
      parties.map((p) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'case.delegated',
        recipient: p.phone,
        caseId: current.id,
        payload: { caseNumber: current.number, courtName: court?.name ?? '', organizationName: org.name, at: now.toISOString() },
      })),
    );
    return { ...dispatched, delegatingCourtId: updated!.delegatingCourtId, courtStage: updated!.courtStage, courtProcedure: updated!.courtProcedure };
  });
}
