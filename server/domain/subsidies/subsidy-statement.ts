import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { regions, subsidyStatementLines, subsidyStatements, subsidyStatementSteps } from '../../../schema';
import type { Executor } from '../../db';
import { loadSubsidyAuthority, maySubsidy } from '../access/subsidy';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { StatementLineRow, StatementRow } from './compose-statement';

export type StepRow = typeof subsidyStatementSteps.$inferSelect;

export interface PersonTotal {
  personUserId: string;
  name: string;
  role: string;
  lines: StatementLineRow[];
  paymentsFen: number;
  clawbacksFen: number;
  totalFen: number;
}

export interface StatementView {
  statement: StatementRow;
  steps: StepRow[];
  persons: PersonTotal[];
}

export interface StatementReport {
  regionCode: string;
  month: string;
  statements: StatementView[];
  /** Per person across the statements of the division. */
  persons: PersonTotal[];
  totalFen: number;
}

/** Groups lines per person (by name, then account), cases in number order. */
export function personTotals(lines: StatementLineRow[]): PersonTotal[] {
  const by = new Map<string, PersonTotal>();
  for (const l of lines) {
    const p = by.get(l.personUserId) ?? { personUserId: l.personUserId, name: l.personName, role: l.personRole, lines: [], paymentsFen: 0, clawbacksFen: 0, totalFen: 0 };
    p.lines.push(l);
    if (l.kind === 'PAYMENT') p.paymentsFen += l.amountFen;
    else p.clawbacksFen += l.amountFen;
    p.totalFen += l.amountFen;
    by.set(l.personUserId, p);
  }
  const out = [...by.values()];
  for (const p of out) p.lines.sort((a, b) => a.caseNumber.localeCompare(b.caseNumber) || a.kind.localeCompare(b.kind));
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.personUserId.localeCompare(b.personUserId));
}

/** Statements with their steps and per-person lines: three statements however many lines. */
export async function statementViews(db: Executor, where: SQL): Promise<StatementView[]> {
  const rows = await db.select().from(subsidyStatements).where(where).orderBy(asc(subsidyStatements.regionCode), asc(subsidyStatements.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lines, steps] = await Promise.all([
    db.select().from(subsidyStatementLines).where(inArray(subsidyStatementLines.statementId, ids)),
    db.select().from(subsidyStatementSteps).where(inArray(subsidyStatementSteps.statementId, ids)).orderBy(asc(subsidyStatementSteps.seq)),
  ]);
  return rows.map((statement) => ({
    statement,
    steps: steps.filter((s) => s.statementId === statement.id),
    persons: personTotals(lines.filter((l) => l.statementId === statement.id)),
  }));
}

/**
 * subsidyStatement: the live statements of a township (one) or a county (one per township) for a
 * month, per person with their cases, grades and amounts, and the total. Read by the 司法所 of the
 * township, the 司法局 of the county and platform admins.
 */
export async function subsidyStatementReport(deps: Deps, actor: Actor, input: { regionCode: string; month: string }): Promise<StatementReport> {
  const viewer = requireUser(actor);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) throw ValidationError.field('month', 'must be YYYY-MM');
  const [region] = await deps.db.select({ level: regions.level }).from(regions).where(eq(regions.code, input.regionCode));
  if (!region) throw new NotFoundError('Region');
  if (region.level !== 'TOWNSHIP' && region.level !== 'COUNTY') throw ValidationError.field('regionCode', 'must be a township or a county');
  const authority = await loadSubsidyAuthority(deps.db, viewer);
  if (!maySubsidy(authority, 'READ', input.regionCode)) throw new ForbiddenError('Statements are read by the 司法所 and 司法局 that handle them.');
  const place = region.level === 'TOWNSHIP' ? eq(subsidyStatements.regionCode, input.regionCode) : eq(subsidyStatements.countyCode, input.regionCode);
  const statements = await statementViews(deps.db, and(place, eq(subsidyStatements.month, input.month), ne(subsidyStatements.status, 'SUPERSEDED'))!);
  const all = statements.flatMap((s) => s.persons.flatMap((p) => p.lines));
  return { regionCode: input.regionCode, month: input.month, statements, persons: personTotals(all), totalFen: all.reduce((s, l) => s + l.amountFen, 0) };
}
