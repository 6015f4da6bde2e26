import { z } from 'zod';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { parseInput } from '../validate';
import type { StatementRow } from './compose-statement';
import { stepStatement } from './statement-machine';

/** The township 司法所 checks the statement against the files and passes it to the county (DRAFT -> REVIEWED). */
export async function reviewSubsidyStatement(deps: Deps, actor: Actor, input: { statementId: string; note?: string | null }): Promise<StatementRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(z.object({ statementId: z.string().uuid(), note: z.string().trim().max(2000).nullish() }), input);
  return stepStatement(deps, viewer, data.statementId, 'REVIEW', data.note ?? null);
}
