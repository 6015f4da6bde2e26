import { and, count, eq, lte, sql } from 'drizzle-orm';
import { caseFacts, caseParties, caseSubsidyGrades, cases, caseTerminations, mediationSessions, subsidyStatementLines, subsidyStatements } from '../../../schema';
import type { Executor } from '../../db';
import { loadSubsidyAuthority, maySubsidy, type SubsidyAct } from '../access/subsidy';
import type { CaseRow } from '../cases/case-access';
import type { UserViewer } from '../context';
import { NotFoundError } from '../errors';

/** When a case ended by settlement (an effective agreement, or the parties' own settlement), else null. */
export async function settlementOf(db: Executor, caseId: string): Promise<{ at: Date; privateSettlement: boolean } | null> {
  const [row] = await db
    .select({ settledAt: caseFacts.settledAt, ground: caseTerminations.ground, terminatedAt: caseTerminations.terminatedAt })
    .from(cases)
    .leftJoin(caseFacts, eq(caseFacts.caseId, cases.id))
    .leftJoin(caseTerminations, eq(caseTerminations.caseId, cases.id))
    .where(eq(cases.id, caseId));
  if (row?.settledAt) return { at: row.settledAt, privateSettlement: false };
  if (row?.ground === 'PRIVATE_SETTLEMENT' && row.terminatedAt) return { at: row.terminatedAt, privateSettlement: true };
  return null;
}

/** The facts a grade is proposed on: amount in dispute, people involved, risk, sessions held so far. */
export async function gradeFacts(db: Executor, c: CaseRow, now: Date) {
  const [people] = await db.select({ n: count() }).from(caseParties).where(eq(caseParties.caseId, c.id));
  const [sessions] = await db
    .select({ n: count() })
    .from(mediationSessions)
    .where(and(eq(mediationSessions.caseId, c.id), eq(mediationSessions.status, 'SCHEDULED'), lte(mediationSessions.startsAt, now)));
  return { amount: c.amount, people: people?.n ?? 0, riskLevel: c.riskLevel, sessions: sessions?.n ?? 0 };
}

/** The statement (other than a draft) a case is paid on, if any: its grade no longer changes. */
export async function lockedPayment(db: Executor, caseId: string): Promise<{ statementId: string; status: string } | null> {
  const [row] = await db
    .select({ statementId: subsidyStatements.id, status: subsidyStatements.status })
    .from(subsidyStatementLines)
    .innerJoin(subsidyStatements, eq(subsidyStatements.id, subsidyStatementLines.statementId))
    .where(and(eq(subsidyStatementLines.caseId, caseId), eq(subsidyStatementLines.kind, 'PAYMENT'), eq(subsidyStatementLines.live, true), sql`${subsidyStatements.status} <> 'DRAFT'`));
  return row ?? null;
}

/** Loads a case for a 司法所/司法局 act; a case outside the office's division is not found. */
export async function loadCaseForOffice(db: Executor, viewer: UserViewer, caseId: string, act: SubsidyAct): Promise<CaseRow> {
  const authority = await loadSubsidyAuthority(db, viewer);
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!c || !maySubsidy(authority, act, c.regionCode)) throw new NotFoundError('Case');
  return c;
}

export type CaseSubsidyGradeRow = typeof caseSubsidyGrades.$inferSelect;
