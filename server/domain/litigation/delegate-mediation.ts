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
});

/**
 * 委派调解 (SIM 19, OMR 24): before filing, a court's API client delegates a case sent to it for
 * filing (a pending litigation transfer) to a court-invited (特邀) organisation on its roster, or
 * one of its mediators. The case remembers the delegating court, which is then the only court that
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
  if (transfer.status !== 'PENDING') throw new InvalidTransitionError(transfer.status, 'DELEGATE', 'The case has already been filed or delegated.');
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
    // Conditional: a docket number entered meanwhile wins and the delegation fails.
    const [closed] = await tx
      .update(litigationTransfers)
      .set({ status: 'DELEGATED', lockVersion: transfer.lockVersion + 1 })
      .where(and(eq(litigationTransfers.id, transfer.id), eq(litigationTransfers.status, 'PENDING'), eq(litigationTransfers.lockVersion, transfer.lockVersion)))
      .returning();
    if (!closed) throw new ConflictError('The transfer changed meanwhile.');
    const reason = `${court?.name ?? '人民法院'}立案前委派调解（特邀调解规定第十九条）`;
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
    const [updated] = await tx.update(cases).set({ delegatingCourtId: client.organizationId, filedVia: current.filedVia }).where(eq(cases.id, current.id)).returning();
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
    return { ...dispatched, delegatingCourtId: updated!.delegatingCourtId };
  });
}
