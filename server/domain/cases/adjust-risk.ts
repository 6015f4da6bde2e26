import { z } from 'zod';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { touchCase } from './apply-transition';
import { loadVisibleCase, type CaseRow } from './case-access';

const RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;

/** An admin or the case's mediator sets the risk level with a reason; raising to HIGH alerts the police liaison. */
export async function adjustRisk(
  deps: Deps,
  actor: Actor,
  input: { caseId: string; riskLevel: 'LOW' | 'MEDIUM' | 'HIGH'; reason: string },
): Promise<CaseRow> {
  const viewer = requireRole(actor, 'PLATFORM_ADMIN', 'ORG_ADMIN', 'MEDIATOR');
  const data = parseInput(
    z.object({ caseId: z.string().uuid(), riskLevel: z.enum(['LOW', 'MEDIUM', 'HIGH']), reason: z.string().trim().min(2, 'is required').max(1000) }),
    input,
  );
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  return deps.db.transaction(async (tx) => {
    const updated = await touchCase(tx, deps.clock, actor, current, { riskLevel: data.riskLevel, riskRank: RANK[data.riskLevel] }, {
      type: 'case.risk_adjusted',
      data: { from: current.riskLevel, to: data.riskLevel, reason: data.reason },
    });
    if (data.riskLevel === 'HIGH' && current.riskLevel !== 'HIGH') {
      await enqueue(tx, deps.clock, [
        { kind: 'ALERT', topic: 'risk.high', recipient: `police-liaison:${current.countyCode}`, caseId: current.id, payload: { caseNumber: current.number, regionCode: current.regionCode, signals: data.reason } },
      ]);
    }
    return updated;
  });
}
