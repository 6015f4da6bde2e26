import { and, eq, sql } from 'drizzle-orm';
import { subsidySpotChecks, subsidyStatementLines, subsidyStatements, subsidyStatementSteps } from '../../../schema';
import { queryRows, type Tx } from '../../db';
import { localDate } from '../clock/dates';
import type { UserViewer } from '../context';
import { ValidationError } from '../errors';
import { caseFileFacts, evaluateEligibility } from './eligibility';
import type { LineKind, StatementAction, StatementStatus, SubsidyGrade, SubsidyMissing } from './types';

export type StatementRow = typeof subsidyStatements.$inferSelect;
export type StatementLineRow = typeof subsidyStatementLines.$inferSelect;

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The instants (ISO) a China-time month starts and ends; the month must have begun. */
export function monthBounds(month: string, now: Date): { start: string; end: string } {
  if (!MONTH_RE.test(month)) throw ValidationError.field('month', 'must be YYYY-MM');
  if (`${month}-01` > localDate(now)) throw ValidationError.field('month', 'has not begun');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: new Date(`${month}-01T00:00:00+08:00`).toISOString(), end: new Date(`${next}-01T00:00:00+08:00`).toISOString() };
}

export interface ComposedLine {
  caseId: string;
  caseNumber: string;
  personUserId: string;
  personName: string;
  personRole: string;
  kind: LineKind;
  grade: SubsidyGrade;
  ruleSetId: string;
  amountFen: number;
  reversesLineId: string | null;
}

/**
 * The lines of a township's statement for a month, computed inside the drafting transaction:
 * a payment for every case settled before the month's end that is eligible now and was never paid,
 * a clawback for every case paid on an approved or paid statement and since found unsound, and the
 * cases left out with what they miss.
 */
export async function composeStatement(tx: Tx, townshipCode: string, month: string, now: Date) {
  const { end } = monthBounds(month, now);
  const facts = await caseFileFacts(tx, sql`c.county_code = ${townshipCode.slice(0, 6)} and c.region_code like ${`${townshipCode}%`}`, end);
  const lines: ComposedLine[] = [];
  const exclusions: { caseId: string; caseNumber: string; missing: SubsidyMissing[] }[] = [];
  for (const f of facts) {
    const e = evaluateEligibility(f);
    if (e.eligible) {
      lines.push({
        caseId: f.caseId,
        caseNumber: f.caseNumber,
        personUserId: f.personUserId!,
        personName: f.personName!,
        personRole: f.personRole!,
        kind: 'PAYMENT',
        grade: f.grade!,
        ruleSetId: f.ruleSetId!,
        amountFen: e.amountFen!,
        reversesLineId: null,
      });
    } else if (!f.paid) {
      exclusions.push({ caseId: f.caseId, caseNumber: f.caseNumber, missing: e.missing });
    }
  }
  const clawbacks = await queryRows<{ id: string; case_id: string; case_number: string; person_user_id: string; person_name: string; person_role: string; grade: SubsidyGrade; rule_set_id: string; amount_fen: number }>(
    tx,
    sql`select l.id::text, l.case_id::text, l.case_number, l.person_user_id::text, l.person_name, l.person_role, l.grade, l.rule_set_id::text, l.amount_fen
        from subsidy_statement_lines l join subsidy_statements s on s.id = l.statement_id
        where s.region_code = ${townshipCode} and s.status in ('APPROVED', 'PAID') and l.kind = 'PAYMENT' and l.live
          and (exists (select 1 from ${subsidySpotChecks} sc where sc.case_id = l.case_id and sc.outcome = 'UNSOUND')
            or exists (select 1 from confirmation_applications ca where ca.case_id = l.case_id and ca.status = 'REJECTED' and ca.rejection_ground = 'SHAM_MEDIATION'))
          and not exists (select 1 from subsidy_statement_lines x where x.case_id = l.case_id and x.kind = 'CLAWBACK' and x.live)
        order by l.case_number`,
  );
  for (const c of clawbacks) {
    lines.push({
      caseId: c.case_id,
      caseNumber: c.case_number,
      personUserId: c.person_user_id,
      personName: c.person_name,
      personRole: c.person_role,
      kind: 'CLAWBACK',
      grade: c.grade,
      ruleSetId: c.rule_set_id,
      amountFen: -Number(c.amount_fen),
      reversesLineId: c.id,
    });
  }
  return { lines, exclusions: exclusions.slice(0, 2000), totalFen: lines.reduce((s, l) => s + l.amountFen, 0) };
}

/** Writes the composed lines of a statement (inside its transaction). */
export async function insertLines(tx: Tx, statementId: string, lines: ComposedLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 500) {
    await tx.insert(subsidyStatementLines).values(lines.slice(i, i + 500).map((l) => ({ statementId, ...l })));
  }
}

/** Records one move of a statement with who and when; the caller holds the statement row. */
export async function recordStep(
  tx: Tx,
  statementId: string,
  step: { action: StatementAction; from: StatementStatus | null; to: StatementStatus; viewer: UserViewer; organization: string | null; note: string | null; at: Date },
): Promise<void> {
  const [last] = await queryRows<{ seq: number | null }>(tx, sql`select max(seq) as seq from subsidy_statement_steps where statement_id = ${statementId}`);
  await tx.insert(subsidyStatementSteps).values({
    statementId,
    seq: Number(last?.seq ?? 0) + 1,
    action: step.action,
    fromStatus: step.from,
    toStatus: step.to,
    actorUserId: step.viewer.userId,
    actorName: step.viewer.name,
    actorOrganization: step.organization,
    note: step.note,
    at: step.at,
  });
}

/** Removes a draft's lines before it is composed again. */
export async function clearDraftLines(tx: Tx, statementId: string): Promise<void> {
  await tx.delete(subsidyStatementLines).where(and(eq(subsidyStatementLines.statementId, statementId)));
}
