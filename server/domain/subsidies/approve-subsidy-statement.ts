import { z } from 'zod';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { parseInput } from '../validate';
import type { StatementRow } from './compose-statement';
import { stepStatement } from './statement-machine';

/** The county 司法局 approves a reviewed statement (REVIEWED -> APPROVED); from then on it never changes. */
export async function approveSubsidyStatement(deps: Deps, actor: Actor, input: { statementId: string; note?: string | null }): Promise<StatementRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(z.object({ statementId: z.string().uuid(), note: z.string().trim().max(2000).nullish() }), input);
  return stepStatement(deps, viewer, data.statementId, 'APPROVE', data.note ?? null);
}
