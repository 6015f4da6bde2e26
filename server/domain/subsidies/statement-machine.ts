import { and, eq } from 'drizzle-orm';
import { subsidyStatements } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { loadSubsidyAuthority, maySubsidy, type SubsidyAct, type SubsidyAuthority } from '../access/subsidy';
import type { Deps, UserViewer } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import type { StatementRow } from './compose-statement';
import { composeStatement, insertLines, recordStep } from './compose-statement';
import { STATEMENT_TRANSITIONS, type StatementAction, type StatementStatus } from './types';

/** Pure: the status a move leads to, or InvalidTransitionError when the table does not allow it. */
export function statementTransition(from: StatementStatus, action: StatementAction): StatementStatus {
  const to = STATEMENT_TRANSITIONS[from][action];
  if (!to) throw new InvalidTransitionError(from, action, `A ${from} statement cannot be moved by ${action}.`);
  return to;
}

/** Loads a statement the viewer may read; anything else is not found. */
export async function loadStatementFor(db: Executor, viewer: UserViewer, statementId: string): Promise<{ statement: StatementRow; authority: SubsidyAuthority }> {
  const authority = await loadSubsidyAuthority(db, viewer);
  const [statement] = await db.select().from(subsidyStatements).where(eq(subsidyStatements.id, statementId));
  if (!statement || !maySubsidy(authority, 'READ', statement.regionCode)) throw new NotFoundError('SubsidyStatement');
  return { statement, authority };
}

export function organizationOf(a: SubsidyAuthority): string | null {
  return a.kind === 'county' || a.kind === 'township' ? a.organizationName : null;
}

/**
 * One move of a statement inside the caller's transaction: the table decides, a conditional update
 * on (id, status, version) lets one of two concurrent moves win, and the step is recorded.
 */
export async function moveStatement(
  tx: Tx,
  s: StatementRow,
  action: StatementAction,
  by: { viewer: UserViewer; authority: SubsidyAuthority; note: string | null; at: Date },
  patch: Partial<typeof subsidyStatements.$inferInsert> = {},
): Promise<StatementRow> {
  const to = statementTransition(s.status, action);
  const [row] = await tx
    .update(subsidyStatements)
    .set({ ...patch, status: to, version: s.version + 1, updatedAt: by.at })
    .where(and(eq(subsidyStatements.id, s.id), eq(subsidyStatements.status, s.status), eq(subsidyStatements.version, s.version)))
    .returning();
  if (!row) throw new ConflictError();
  await recordStep(tx, s.id, { action, from: s.status, to, viewer: by.viewer, organization: organizationOf(by.authority), note: by.note, at: by.at });
  return row;
}

/** The act a move needs from the authority. */
export const ACT_OF: Record<Exclude<StatementAction, 'SUPERSEDE'>, SubsidyAct> = { DRAFT: 'DRAFT', REDRAFT: 'DRAFT', REVIEW: 'REVIEW', APPROVE: 'APPROVE', PAY: 'PAY' };

/** Review, approval or payment: the authority's act on the statement's township, then the move. */
export async function stepStatement(
  deps: Pick<Deps, 'db' | 'clock'>,
  viewer: UserViewer,
  statementId: string,
  action: 'REVIEW' | 'APPROVE' | 'PAY',
  note: string | null,
): Promise<StatementRow> {
  const { statement, authority } = await loadStatementFor(deps.db, viewer, statementId);
  if (!maySubsidy(authority, ACT_OF[action], statement.regionCode)) {
    throw new ForbiddenError(action === 'REVIEW' ? 'The township 司法所 reviews its statement.' : 'The county 司法局 approves and pays statements.');
  }
  const at = deps.clock.now();
  return deps.db.transaction((tx) => moveStatement(tx, statement, action, { viewer, authority, note, at }));
}

/**
 * A new draft statement for a township and month: composed from the eligible cases, written with
 * its lines, and its DRAFT step recorded. A correction names the statement it supersedes.
 */
export async function insertDraftStatement(
  tx: Tx,
  target: { regionCode: string; month: string; supersedes?: { id: string; reason: string } },
  by: { viewer: UserViewer; authority: SubsidyAuthority; at: Date },
): Promise<StatementRow> {
  const composed = await composeStatement(tx, target.regionCode, target.month, by.at);
  const [row] = await tx
    .insert(subsidyStatements)
    .values({
      regionCode: target.regionCode,
      countyCode: target.regionCode.slice(0, 6),
      month: target.month,
      status: 'DRAFT',
      supersedesId: target.supersedes?.id ?? null,
      correctionReason: target.supersedes?.reason ?? null,
      totalFen: composed.totalFen,
      exclusions: composed.exclusions,
      createdAt: by.at,
      createdBy: by.viewer.userId,
      updatedAt: by.at,
    })
    .returning();
  await insertLines(tx, row!.id, composed.lines);
  const note = target.supersedes ? `更正：${target.supersedes.reason}` : null;
  await recordStep(tx, row!.id, { action: 'DRAFT', from: null, to: 'DRAFT', viewer: by.viewer, organization: organizationOf(by.authority), note, at: by.at });
  return row!;
}
