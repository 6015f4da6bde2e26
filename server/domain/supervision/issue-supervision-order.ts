import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { cases, disputeLeads, organizations, supervisionOrders, supervisionProposals } from '../../../schema';
import { maySupervise, type SupervisionOrderRow } from '../access/supervision';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { adminPhones, recordOnSubject } from './supervision-rules';

export interface IssueSupervisionOrderInput {
  caseId?: string | null;
  leadId?: string | null;
  reason: string;
  /** What must be done. */
  requiredAction: string;
  dueAt: Date;
  /** The queue entry this order acts on, if any. */
  proposalId?: string | null;
}

/**
 * 督办: an organisation above the matter's level (township over village, county over township) or
 * the county 综治中心 orders the organisation holding a case or lead to act by a due date.
 */
export async function issueSupervisionOrder(deps: Deps, actor: Actor, input: IssueSupervisionOrderInput): Promise<SupervisionOrderRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(
    z.object({
      caseId: z.string().uuid().nullish(),
      leadId: z.string().uuid().nullish(),
      reason: z.string().trim().min(2, 'give the reason').max(2000),
      requiredAction: z.string().trim().min(2, 'say what must be done').max(2000),
      dueAt: z.date(),
      proposalId: z.string().uuid().nullish(),
    }),
    input,
  );
  if (!data.caseId === !data.leadId) throw ValidationError.field('caseId', 'name either a case or a lead');
  const now = deps.clock.now();
  if (data.dueAt.getTime() <= now.getTime()) throw ValidationError.field('dueAt', 'must be in the future');
  const [issuer] = viewer.organizationId ? await deps.db.select().from(organizations).where(eq(organizations.id, viewer.organizationId)) : [];
  if (viewer.role === 'ORG_ADMIN' && !issuer) throw new ForbiddenError('An order is issued by an organisation.');

  const [caseRow] = data.caseId ? await deps.db.select().from(cases).where(eq(cases.id, data.caseId)) : [];
  const [lead] = data.leadId ? await deps.db.select().from(disputeLeads).where(eq(disputeLeads.id, data.leadId)) : [];
  const region = caseRow?.regionCode ?? lead?.regionCode;
  // Outside the issuer's region the matter does not exist for it.
  if (!region || (issuer && !region.startsWith(issuer.regionCode))) throw new NotFoundError(data.caseId ? 'Case' : 'Lead');
  const receivingId = caseRow ? caseRow.organizationId : lead!.organizationId;
  if (!receivingId) throw ValidationError.field(data.caseId ? 'caseId' : 'leadId', 'no organisation holds this matter yet');
  const [receiving] = await deps.db.select().from(organizations).where(eq(organizations.id, receivingId));
  if (issuer && (issuer.id === receiving!.id || !maySupervise(issuer, region, receiving!.level))) {
    throw new ForbiddenError('Supervision is issued by a higher organisation (township over village, county over township) or the county 综治中心.');
  }
  const phones = await adminPhones(deps.db, receiving!.id);
  return deps.db.transaction(async (tx) => {
    const [order] = await tx
      .insert(supervisionOrders)
      .values({
        subjectType: caseRow ? 'CASE' : 'LEAD',
        caseId: caseRow?.id ?? null,
        leadId: lead?.id ?? null,
        regionCode: region,
        countyCode: region.slice(0, 6),
        issuingOrganizationId: issuer?.id ?? null,
        issuedBy: viewer.userId,
        receivingOrganizationId: receiving!.id,
        receivingLevel: receiving!.level,
        reason: data.reason,
        requiredAction: data.requiredAction,
        dueAt: data.dueAt,
        createdAt: now,
      })
      .returning();
    if (data.proposalId) {
      // Conditional update: a queue entry becomes one order.
      const [p] = await tx
        .update(supervisionProposals)
        .set({ status: 'ISSUED', decidedAt: now, decidedBy: viewer.userId, orderId: order!.id })
        .where(and(eq(supervisionProposals.id, data.proposalId), eq(supervisionProposals.status, 'PROPOSED'), issuer ? eq(supervisionProposals.supervisingOrganizationId, issuer.id) : undefined))
        .returning();
      if (!p) throw new ConflictError('The proposal is no longer open.');
    }
    await recordOnSubject(tx, deps.clock, actor, { caseRow, lead }, {
      type: 'supervision.ordered',
      data: { orderId: order!.id, issuer: issuer?.name ?? null, receiver: receiving!.name, reason: data.reason, requiredAction: data.requiredAction, dueAt: data.dueAt.toISOString() },
    });
    await enqueue(tx, deps.clock, phones.map((phone) => ({ kind: 'NOTIFICATION' as const, topic: 'supervision.ordered', recipient: phone, caseId: caseRow?.id ?? null, payload: { orderId: order!.id, reason: data.reason, dueAt: data.dueAt.toISOString() } })));
    return order!;
  });
}
