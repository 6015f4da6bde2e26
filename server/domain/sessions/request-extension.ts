import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediationExtensions } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { caseStanding, requireMediating, requireMediator } from './session-access';

export type ExtensionRow = typeof mediationExtensions.$inferSelect;

const schema = z.object({ caseId: z.string().uuid(), days: z.number().int().min(1).max(90), reason: z.string().trim().min(1).max(2000) });

/** The mediator asks to extend the mediation time limit; it moves only when every party consents (OMR 26, SIM 27). */
export async function requestExtension(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<ExtensionRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  requireMediator(s);
  requireMediating(s.current, 'REQUEST_EXTENSION');
  if (!s.current.dueAt) throw ValidationError.field('caseId', 'has no mediation time limit to extend');
  const [pending] = await deps.db
    .select({ id: mediationExtensions.id })
    .from(mediationExtensions)
    .where(and(eq(mediationExtensions.caseId, s.current.id), eq(mediationExtensions.status, 'PENDING')));
  if (pending) throw new ConflictError('An extension request is already waiting for the parties.');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [ext] = await tx
      .insert(mediationExtensions)
      .values({ caseId: s.current.id, days: data.days, reason: data.reason, status: 'PENDING', requestedAt: now, requestedBy: s.viewer.userId })
      .returning();
    // The case row's conditional update makes a second concurrent request a conflict.
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'case.extension_requested',
      data: { extensionId: ext!.id, days: data.days, reason: data.reason, dueAt: s.current.dueAt!.toISOString() },
    });
    await enqueue(
      tx,
      deps.clock,
      s.parties.map((p) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'mediation.extension_requested',
        recipient: p.phone,
        caseId: s.current.id,
        payload: { caseNumber: s.current.number, extensionId: ext!.id, days: data.days, reason: data.reason },
      })),
    );
    return ext!;
  });
}
