import { z } from 'zod';
import { touchCase } from '../cases/apply-transition';
import type { CaseRow } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { caseStanding, requireMediator } from './session-access';

const schema = z.object({ caseId: z.string().uuid(), description: z.string().trim().min(1).max(2000) });

/** The mediator discloses a conflict of interest (OMR 13); the parties are told and may ask for another mediator. */
export async function discloseConflict(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  requireMediator(s);
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(s.current.status)) throw new InvalidTransitionError(s.current.status, 'DISCLOSE_CONFLICT');
  return deps.db.transaction(async (tx) => {
    const updated = await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'case.conflict_disclosed',
      data: { mediatorId: s.current.mediatorId, description: data.description },
    });
    await enqueue(
      tx,
      deps.clock,
      s.parties.map((p) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'mediator.conflict_disclosed',
        recipient: p.phone,
        caseId: s.current.id,
        payload: { caseNumber: s.current.number, mediatorName: s.viewer.name, description: data.description },
      })),
    );
    return updated;
  });
}
