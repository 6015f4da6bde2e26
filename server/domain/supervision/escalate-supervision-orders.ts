import { and, eq, lt } from 'drizzle-orm';
import { cases, disputeLeads, organizations, supervisionOrders } from '../../../schema';
import { addWorkingDays } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { enqueue } from '../outbox/enqueue';
import { adminPhones, recordOnSubject, supervisingOrganizations, supervisorFor } from './supervision-rules';

/** Working days the higher level gives when it takes up an unanswered order (提级督办). */
export const ESCALATED_ORDER_WORKING_DAYS = 3;

const SYSTEM: Actor = { viewer: null, ip: null, userAgent: null, requestId: null };

/**
 * An order unanswered past its due date escalates to the next level up (提级督办): the organisation
 * above the issuer issues a new order to the same receiver, and the old one is marked ESCALATED.
 * Each order is handled in its own transaction; one failure is logged and the rest go on.
 */
export async function escalateSupervisionOrders(deps: Deps): Promise<{ escalated: number; failed: number; noHigherLevel: number }> {
  const now = deps.clock.now();
  const due = await deps.db
    .select()
    .from(supervisionOrders)
    .where(and(eq(supervisionOrders.status, 'OPEN'), lt(supervisionOrders.dueAt, now)))
    .orderBy(supervisionOrders.dueAt)
    .limit(200);
  if (due.length === 0) return { escalated: 0, failed: 0, noHigherLevel: 0 };
  const orgs = await supervisingOrganizations(deps.db);
  let escalated = 0;
  let failed = 0;
  let noHigherLevel = 0;
  for (const order of due) {
    try {
      const issuer = order.issuingOrganizationId ? orgs.find((o) => o.id === order.issuingOrganizationId) ?? (await deps.db.select().from(organizations).where(eq(organizations.id, order.issuingOrganizationId)))[0] : null;
      const higher = issuer ? supervisorFor(orgs, issuer.regionCode, issuer.level) : null;
      if (!higher) {
        noHigherLevel++;
        continue;
      }
      const [caseRow] = order.caseId ? await deps.db.select().from(cases).where(eq(cases.id, order.caseId)) : [];
      const [lead] = order.leadId ? await deps.db.select().from(disputeLeads).where(eq(disputeLeads.id, order.leadId)) : [];
      const phones = [...(await adminPhones(deps.db, order.receivingOrganizationId)), ...(await adminPhones(deps.db, higher.id))];
      await deps.db.transaction(async (tx) => {
        // Conditional update: an answer arriving meanwhile wins and nothing escalates.
        const [old] = await tx
          .update(supervisionOrders)
          .set({ status: 'ESCALATED', escalatedAt: now, version: order.version + 1 })
          .where(and(eq(supervisionOrders.id, order.id), eq(supervisionOrders.status, 'OPEN'), eq(supervisionOrders.version, order.version)))
          .returning();
        if (!old) return;
        const [next] = await tx
          .insert(supervisionOrders)
          .values({
            subjectType: order.subjectType,
            caseId: order.caseId,
            leadId: order.leadId,
            regionCode: order.regionCode,
            countyCode: order.countyCode,
            issuingOrganizationId: higher.id,
            issuedBy: null,
            receivingOrganizationId: order.receivingOrganizationId,
            receivingLevel: order.receivingLevel,
            reason: `提级督办（原督办逾期未回复）：${order.reason}`,
            requiredAction: order.requiredAction,
            dueAt: addWorkingDays(now, ESCALATED_ORDER_WORKING_DAYS, deps.calendar),
            escalatedFromId: order.id,
            createdAt: now,
          })
          .returning();
        await tx.update(supervisionOrders).set({ escalatedToId: next!.id }).where(eq(supervisionOrders.id, order.id));
        await recordOnSubject(tx, deps.clock, SYSTEM, { caseRow, lead }, {
          type: 'supervision.escalated',
          data: { orderId: order.id, newOrderId: next!.id, issuer: higher.name, dueAt: next!.dueAt.toISOString() },
        });
        await enqueue(tx, deps.clock, phones.map((phone) => ({ kind: 'NOTIFICATION' as const, topic: 'supervision.escalated', recipient: phone, caseId: order.caseId, payload: { orderId: next!.id, reason: next!.reason, dueAt: next!.dueAt.toISOString() } })));
        escalated++;
      });
    } catch (err) {
      failed++;
      deps.log.error({ err, orderId: order.id }, 'escalating a supervision order failed');
    }
  }
  return { escalated, failed, noHigherLevel };
}
