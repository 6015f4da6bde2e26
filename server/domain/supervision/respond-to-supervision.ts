import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { cases, disputeLeads, supervisionOrders } from '../../../schema';
import type { SupervisionOrderRow } from '../access/supervision';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { recordOnSubject } from './supervision-rules';

/** The receiving organisation answers an order with the measures taken and their result. */
export async function respondToSupervision(deps: Deps, actor: Actor, input: { orderId: string; measures: string; result?: string | null }): Promise<SupervisionOrderRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN', 'MEDIATOR', 'PLATFORM_ADMIN');
  const data = parseInput(
    z.object({ orderId: z.string().uuid(), measures: z.string().trim().min(2, 'describe the measures taken').max(5000), result: z.string().trim().max(5000).nullish() }),
    input,
  );
  const [order] = await deps.db.select().from(supervisionOrders).where(eq(supervisionOrders.id, data.orderId));
  // Only the receiving organisation answers; to anyone else the order is not there.
  if (!order || (viewer.role !== 'PLATFORM_ADMIN' && order.receivingOrganizationId !== viewer.organizationId)) throw new NotFoundError('SupervisionOrder');
  if (order.status !== 'OPEN') throw new InvalidTransitionError(order.status, 'RESPOND', `The order is ${order.status}; answer the order it was escalated to.`);
  const [caseRow] = order.caseId ? await deps.db.select().from(cases).where(eq(cases.id, order.caseId)) : [];
  const [lead] = order.leadId ? await deps.db.select().from(disputeLeads).where(eq(disputeLeads.id, order.leadId)) : [];
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Conditional update: an answer and an escalation cannot both win.
    const [answered] = await tx
      .update(supervisionOrders)
      .set({ status: 'ANSWERED', measures: data.measures, result: data.result ?? null, answeredAt: now, answeredBy: viewer.userId, version: order.version + 1 })
      .where(and(eq(supervisionOrders.id, order.id), eq(supervisionOrders.status, 'OPEN'), eq(supervisionOrders.version, order.version)))
      .returning();
    if (!answered) throw new ConflictError();
    await recordOnSubject(tx, deps.clock, actor, { caseRow, lead }, {
      type: 'supervision.answered',
      data: { orderId: order.id, measures: data.measures, result: data.result ?? null, late: now.getTime() > order.dueAt.getTime() },
    });
    return answered;
  });
}
