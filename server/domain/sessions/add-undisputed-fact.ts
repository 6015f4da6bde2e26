import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions, undisputedFacts } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';
import { caseStanding, requireMediating, requireMediator } from './session-access';

export type UndisputedFactRow = typeof undisputedFacts.$inferSelect;

const schema = z.object({
  caseId: z.string().uuid(),
  text: z.string().trim().min(1).max(2000),
  sessionId: z.string().uuid().nullish(),
});

/** The mediator records a fact the parties appear not to dispute; it counts once every party confirms it (OMR 22). */
export async function addUndisputedFact(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<UndisputedFactRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  requireMediator(s);
  requireMediating(s.current, 'ADD_UNDISPUTED_FACT');
  if (data.sessionId) {
    const [session] = await deps.db.select({ id: mediationSessions.id }).from(mediationSessions).where(and(eq(mediationSessions.id, data.sessionId), eq(mediationSessions.caseId, s.current.id)));
    if (!session) throw ValidationError.field('sessionId', 'is not a session of this case');
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [fact] = await tx
      .insert(undisputedFacts)
      .values({ caseId: s.current.id, sessionId: data.sessionId ?? null, text: data.text, createdAt: now, createdBy: s.viewer.userId })
      .returning();
    await touchCase(tx, deps.clock, actor, s.current, {}, { type: 'case.undisputed_fact_added', data: { factId: fact!.id, text: data.text } });
    return fact!;
  });
}
