import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { regions, subsidyStatements } from '../../../schema';
import { loadSubsidyAuthority, maySubsidy } from '../access/subsidy';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { clearDraftLines, composeStatement, insertLines, monthBounds, type StatementRow } from './compose-statement';
import { insertDraftStatement, moveStatement } from './statement-machine';

export interface DraftSubsidyStatementInput {
  regionCode: string;
  month: string;
}

const schema = z.object({ regionCode: z.string().regex(/^\d{9}$/, 'must be a township code (9 digits)'), month: z.string() });

/**
 * The township 司法所 drafts its statement for a month, or drafts it again while it is a draft
 * (cases completed since are added, cases found wanting drop out). Reviewed, approved or paid
 * statements are not redrafted: an approved one is corrected by a new statement.
 */
export async function draftSubsidyStatement(deps: Deps, actor: Actor, input: DraftSubsidyStatementInput): Promise<StatementRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(schema, input);
  const now = deps.clock.now();
  monthBounds(data.month, now);
  const [region] = await deps.db.select({ level: regions.level }).from(regions).where(eq(regions.code, data.regionCode));
  if (!region) throw new NotFoundError('Region');
  if (region.level !== 'TOWNSHIP') throw ValidationError.field('regionCode', 'must be a township');
  const authority = await loadSubsidyAuthority(deps.db, viewer);
  if (!maySubsidy(authority, 'DRAFT', data.regionCode)) throw new ForbiddenError('Only the township 司法所 drafts its statement.');
  try {
    return await deps.db.transaction(async (tx) => {
      const [live] = await tx
        .select()
        .from(subsidyStatements)
        .where(and(eq(subsidyStatements.regionCode, data.regionCode), eq(subsidyStatements.month, data.month), ne(subsidyStatements.status, 'SUPERSEDED')));
      if (live && live.status !== 'DRAFT') {
        throw new InvalidTransitionError(live.status, 'REDRAFT', `The statement is ${live.status}; ${live.status === 'APPROVED' ? 'the 司法局 corrects it with a new statement' : 'it can no longer be drafted again'}.`);
      }
      if (live) {
        // Hold the draft first (conditional update), then compose: its own lines no longer count as paid.
        const held = await moveStatement(tx, live, 'REDRAFT', { viewer, authority, note: null, at: now });
        await clearDraftLines(tx, held.id);
        const composed = await composeStatement(tx, data.regionCode, data.month, now);
        await insertLines(tx, held.id, composed.lines);
        const [row] = await tx.update(subsidyStatements).set({ totalFen: composed.totalFen, exclusions: composed.exclusions }).where(eq(subsidyStatements.id, held.id)).returning();
        return row!;
      }
      // Two first drafts at once: the live (township, month) index lets one win.
      return insertDraftStatement(tx, { regionCode: data.regionCode, month: data.month }, { viewer, authority, at: now });
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new ConflictError('The statement or one of its cases was drafted at the same time elsewhere; reload and try again.');
    throw err;
  }
}
