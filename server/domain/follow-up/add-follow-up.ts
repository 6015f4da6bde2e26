import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, followUps, users } from '../../../schema';
import { loadCaseForFollowUp, type FollowUpRow } from '../access/follow-up';
import { loadRegionScope } from '../access/region-scope';
import { requireRole } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';

export interface AddFollowUpInput {
  caseId: string;
  dueAt: Date;
  /** Default: the case's mediator. */
  assigneeUserId?: string | null;
  note?: string | null;
}

/** The organisation adds a follow-up beyond the scheduled ones (e.g. a 上门复诊 before a festival). */
export async function addFollowUp(deps: Deps, actor: Actor, input: AddFollowUpInput): Promise<FollowUpRow> {
  const viewer = requireRole(actor, 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(z.object({ caseId: z.string().uuid(), dueAt: z.date(), assigneeUserId: z.string().uuid().nullish(), note: z.string().trim().max(2000).nullish() }), input);
  const scope = await loadRegionScope(deps.db, viewer);
  const { theCase, mediatorUserId } = await loadCaseForFollowUp(deps.db, viewer, scope, data.caseId);
  if (viewer.role === 'MEDIATOR' && mediatorUserId !== viewer.userId) throw new ForbiddenError('Only the case’s mediator or its organisation adds follow-ups.');
  const now = deps.clock.now();
  if (data.dueAt.getTime() <= now.getTime()) throw ValidationError.field('dueAt', 'must be in the future');
  const [agreement] = await deps.db.select().from(agreements).where(and(eq(agreements.caseId, theCase.id), eq(agreements.status, 'EFFECTIVE')));
  if (!agreement) throw new InvalidTransitionError(theCase.status, 'ADD_FOLLOW_UP', 'The case has no effective agreement to follow up.');
  const assignee = data.assigneeUserId ?? mediatorUserId ?? viewer.userId;
  if (data.assigneeUserId) {
    const [u] = await deps.db.select({ role: users.role }).from(users).where(eq(users.id, data.assigneeUserId));
    if (!u || !['MEDIATOR', 'GRID_WORKER', 'ORG_ADMIN'].includes(u.role)) throw ValidationError.field('assigneeUserId', 'must be a mediator, grid worker or organisation admin');
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(followUps)
      .values({ caseId: theCase.id, agreementId: agreement.id, kind: 'ADDED', dueAt: data.dueAt, dueRule: 'added by the organisation', assigneeUserId: assignee, note: data.note ?? null, createdAt: now, createdBy: viewer.userId })
      .returning();
    await touchCase(tx, deps.clock, actor, theCase, {}, { type: 'case.follow_up_added', data: { followUpId: row!.id, dueAt: data.dueAt.toISOString(), assigneeUserId: assignee } });
    return row!;
  });
}
