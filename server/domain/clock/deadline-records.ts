import { and, eq, inArray, sql } from 'drizzle-orm';
import { agreements, caseAssignments, caseParties, cases, confirmationApplications, deadlines, litigationTransfers } from '../../../schema';
import type { Executor, Tx } from '../../db';
import type { Clock } from '../context';
import type { ComputedDeadline } from './deadline';

/** The clocks whose deadlines are stored, each naming where it lives and whom it protects. */
export const DEADLINE_KINDS = [
  /** OMR 12: the mediator confirms or declines an assignment within 3 working days. */
  'ASSIGNMENT_RESPONSE',
  /** Each level's dispatch time limit (configurable) before people's mediation escalates. */
  'LEVEL_LIMIT',
  /** OMR 24, 26 (pre-filing 30 days; post-filing 15 / 7 days); practice for people's mediation. */
  'MEDIATION_LIMIT',
  /** OMR 10: the parties' joint choice of a mediator within 2 working days. */
  'MEDIATOR_CHOICE',
  /** OMR 15: contact with the other side within 3 working days of a one-sided application. */
  'RESPONDENT_CONTACT',
  /** PML 33, CPL 205: the joint application for confirmation within 30 days of effect. */
  'CONFIRMATION_WINDOW',
  /** JC2011 4: the court decides on acceptance within 3 days. */
  'APPLICATION_ACCEPTANCE',
  /** JC2011 5: the ruling within 15 days of acceptance (+10 with the president's approval). */
  'APPLICATION_DECISION',
  /** CPL 187: the special procedure ends within 30 days of acceptance. */
  'APPLICATION_STATUTORY_CAP',
  /** INT 372: a party objects within 15 days of service. */
  'OBJECTION_PARTIES',
  /** INT 372: an interested person objects within 6 months of knowing. */
  'OBJECTION_OTHERS',
  /** CPL 126: the court decides on filing a transferred case within 7 days. */
  'LITIGATION_FILING',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** PARTY windows only ever move later when a notice is published; DUTY deadlines follow it. */
export type DeadlineProtects = 'PARTY' | 'DUTY';

export type DeadlineRow = typeof deadlines.$inferSelect;

type CaseColumn = 'dueAt' | 'levelDueAt' | 'contactDueAt' | 'mediatorChoiceDueAt';

interface KindSpec {
  protects: DeadlineProtects;
  /** The case column holding it (the case's own clocks), or the case column mirroring it. */
  caseColumn?: CaseColumn;
  /** Whether the clock still runs; a stopped one is closed instead of recomputed. */
  running(db: Executor, r: DeadlineRow): Promise<boolean>;
  /** Moves the stored value of a clock kept outside the case row (conditional on the old value). */
  store?(tx: Tx, r: DeadlineRow, dueAt: Date): Promise<boolean>;
}

async function caseStatusIn(db: Executor, caseId: string, statuses: string[], extra?: ReturnType<typeof sql>): Promise<boolean> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.id, caseId), inArray(cases.status, statuses as never[]), extra));
  return rows.length > 0;
}

async function applicationIn(db: Executor, id: string, statuses: string[]): Promise<boolean> {
  const rows = await db.select({ id: confirmationApplications.id }).from(confirmationApplications).where(and(eq(confirmationApplications.id, id), inArray(confirmationApplications.status, statuses)));
  return rows.length > 0;
}

function applicationColumn(column: 'acceptanceDueAt' | 'decisionDueAt' | 'statutoryCapAt' | 'objectionDueAt' | 'thirdPartyObjectionDueAt') {
  return async (tx: Tx, r: DeadlineRow, dueAt: Date) => {
    const rows = await tx
      .update(confirmationApplications)
      .set({ [column]: dueAt })
      .where(and(eq(confirmationApplications.id, r.targetId), eq(confirmationApplications[column], r.dueAt)))
      .returning({ id: confirmationApplications.id });
    return rows.length > 0;
  };
}

export const KIND_SPECS: Record<DeadlineKind, KindSpec> = {
  ASSIGNMENT_RESPONSE: {
    protects: 'DUTY',
    caseColumn: 'dueAt',
    running: async (db, r) => (await db.select({ id: caseAssignments.id }).from(caseAssignments).where(and(eq(caseAssignments.id, r.targetId), eq(caseAssignments.status, 'PENDING')))).length > 0,
    store: async (tx, r, dueAt) =>
      (await tx.update(caseAssignments).set({ dueAt }).where(and(eq(caseAssignments.id, r.targetId), eq(caseAssignments.dueAt, r.dueAt))).returning({ id: caseAssignments.id })).length > 0,
  },
  LEVEL_LIMIT: { protects: 'DUTY', caseColumn: 'levelDueAt', running: (db, r) => caseStatusIn(db, r.caseId, ['ASSIGNING', 'MEDIATING']) },
  MEDIATION_LIMIT: { protects: 'DUTY', caseColumn: 'dueAt', running: (db, r) => caseStatusIn(db, r.caseId, ['MEDIATING']) },
  MEDIATOR_CHOICE: { protects: 'PARTY', caseColumn: 'mediatorChoiceDueAt', running: (db, r) => caseStatusIn(db, r.caseId, ['ASSIGNING']) },
  RESPONDENT_CONTACT: {
    protects: 'DUTY',
    caseColumn: 'contactDueAt',
    running: (db, r) => caseStatusIn(db, r.caseId, ['AWAITING_RESPONDENT'], sql`${cases.firstContactAt} is null`),
  },
  CONFIRMATION_WINDOW: {
    protects: 'PARTY',
    running: async (db, r) => (await db.select({ id: agreements.id }).from(agreements).where(and(eq(agreements.id, r.targetId), eq(agreements.status, 'EFFECTIVE')))).length > 0,
    store: async (tx, r, dueAt) =>
      (await tx.update(agreements).set({ confirmationDeadline: dueAt }).where(and(eq(agreements.id, r.targetId), eq(agreements.confirmationDeadline, r.dueAt))).returning({ id: agreements.id })).length > 0,
  },
  APPLICATION_ACCEPTANCE: { protects: 'DUTY', running: (db, r) => applicationIn(db, r.targetId, ['SUBMITTED']), store: applicationColumn('acceptanceDueAt') },
  APPLICATION_DECISION: {
    protects: 'DUTY',
    caseColumn: 'dueAt',
    running: (db, r) => applicationIn(db, r.targetId, ['ACCEPTED', 'SUPPLEMENT_REQUESTED']),
    store: applicationColumn('decisionDueAt'),
  },
  APPLICATION_STATUTORY_CAP: { protects: 'DUTY', running: (db, r) => applicationIn(db, r.targetId, ['ACCEPTED', 'SUPPLEMENT_REQUESTED']), store: applicationColumn('statutoryCapAt') },
  OBJECTION_PARTIES: { protects: 'PARTY', running: (db, r) => applicationIn(db, r.targetId, ['CONFIRMED', 'REJECTED']), store: applicationColumn('objectionDueAt') },
  OBJECTION_OTHERS: { protects: 'PARTY', running: (db, r) => applicationIn(db, r.targetId, ['CONFIRMED', 'REJECTED']), store: applicationColumn('thirdPartyObjectionDueAt') },
  LITIGATION_FILING: {
    protects: 'DUTY',
    running: async (db, r) => (await db.select({ id: litigationTransfers.id }).from(litigationTransfers).where(and(eq(litigationTransfers.id, r.targetId), eq(litigationTransfers.status, 'PENDING')))).length > 0,
    store: async (tx, r, dueAt) =>
      (await tx.update(litigationTransfers).set({ filingDueAt: dueAt }).where(and(eq(litigationTransfers.id, r.targetId), eq(litigationTransfers.filingDueAt, r.dueAt))).returning({ id: litigationTransfers.id })).length > 0,
  },
};

export interface DeadlineRecordInput {
  caseId: string;
  kind: DeadlineKind;
  /** The row holding the deadline; the case itself for the case's own clocks. */
  targetId: string;
  computed: ComputedDeadline;
  source: string;
}

/**
 * Stores a deadline's basis beside it, in the caller's transaction: the open record of the same
 * clock for the same row is superseded, so each clock has one open record at a time.
 */
export async function recordDeadline(tx: Tx, clock: Clock, input: DeadlineRecordInput): Promise<DeadlineRow> {
  const now = clock.now();
  await tx
    .update(deadlines)
    .set({ open: false, updatedAt: now })
    .where(and(eq(deadlines.kind, input.kind), eq(deadlines.targetId, input.targetId), eq(deadlines.open, true)));
  const [row] = await tx.insert(deadlines).values(deadlineValues(input, now)).returning();
  return row!;
}

/** The row of a deadline record; a row that has none yet (a new case) inserts it without superseding. */
export function deadlineValues(input: DeadlineRecordInput, now: Date): typeof deadlines.$inferInsert {
  return {
    caseId: input.caseId,
    kind: input.kind,
    targetId: input.targetId,
    rule: input.computed.rule,
    amount: input.computed.amount,
    startAt: input.computed.startAt,
    dueAt: input.computed.dueAt,
    basis: input.computed.basis,
    protects: KIND_SPECS[input.kind].protects,
    source: input.source,
    createdAt: now,
    updatedAt: now,
  };
}

/** Closes the open records of clocks that stopped (met, or no longer running). */
export async function closeDeadlines(tx: Executor, clock: Clock, where: { caseId: string; kinds: DeadlineKind[] }): Promise<void> {
  await tx
    .update(deadlines)
    .set({ open: false, updatedAt: clock.now() })
    .where(and(eq(deadlines.caseId, where.caseId), inArray(deadlines.kind, where.kinds), eq(deadlines.open, true)));
}

/** The open record of one clock of one row. */
export async function openDeadline(db: Executor, kind: DeadlineKind, targetId: string): Promise<DeadlineRow | undefined> {
  const [row] = await db.select().from(deadlines).where(and(eq(deadlines.kind, kind), eq(deadlines.targetId, targetId), eq(deadlines.open, true))).limit(1);
  return row;
}

/** Phones of a case's parties, for notices about their own windows. */
export async function partyPhones(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.select({ phone: caseParties.phone }).from(caseParties).where(eq(caseParties.caseId, caseId));
  return [...new Set(rows.map((r) => r.phone).filter((p): p is string => !!p))];
}
