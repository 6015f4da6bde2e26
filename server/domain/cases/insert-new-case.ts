import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { caseParties, cases, deadlines, events, users } from '../../../schema';
import type { Tx } from '../../db';
import { chainEvents } from '../audit/record-event';
import { localDate } from '../clock/calendar';
import type { ComputedDeadline } from '../clock/deadline';
import { deadlineValues, type DeadlineKind } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { enqueue, type OutboxMessage } from '../outbox/enqueue';
import { recordCaseFacts } from '../statistics/record-case-facts';
import type { CaseRow } from './case-access';
import { nextCaseNumber } from './numbering';
import { transition } from './state-machine';

type CaseInsert = typeof cases.$inferInsert;
type PartyInsert = typeof caseParties.$inferInsert;

/** A party's own columns; role, consent, position and the linked account follow from its place. */
export type NewPartyColumns = Omit<PartyInsert, 'id' | 'caseId' | 'role' | 'userId' | 'consent' | 'consentAt' | 'position'>;

export interface NewCase {
  /** The case's own columns (status, number, version and the chain head are set here). */
  row: Omit<CaseInsert, 'id' | 'number' | 'status' | 'version' | 'headEventHash' | 'createdAt' | 'updatedAt'> & { countyCode: string };
  countyName: string;
  applicant: NewPartyColumns;
  respondents: NewPartyColumns[];
  /** Data of the case.filed event. */
  filed: Record<string, unknown>;
  /** Columns the intake sets and the data of its case.intake_passed event. */
  intake: { patch?: Partial<CaseInsert>; data: Record<string, unknown> };
  /** A clock the new case starts (stored with its basis). */
  deadline?: { kind: DeadlineKind; computed: ComputedDeadline; source: string };
  /** Messages sent after commit, given the case's number. */
  notices(number: string, caseId: string): OutboxMessage[];
}

/**
 * Writes a new case that passed intake, inside the caller's transaction, in seven statements: the
 * case row (already AWAITING_RESPONDENT, with the head of its chain), its parties in one insert
 * (each linked to the account that proved the phone), both events of its new chain in one insert,
 * its first deadline, the county's registration number (taken last: the counter row stays locked
 * from its increment to commit), and the outbox. Filing and opening a case from a lead or a
 * relapse share it, so a case is born the same way whichever door it came through.
 */
export async function insertNewCase(tx: Tx, deps: Deps, actor: Actor, spec: NewCase): Promise<CaseRow> {
  const now = deps.clock.now();
  const id = randomUUID();
  // The intake needs no manual review here: the caller's checks are the review; the table still decides the move.
  const next = transition('SUBMITTED', 'INTAKE_APPROVE');
  // A new subject: its chain starts at 1, so nothing is read before appending.
  const chain = chainEvents(deps.clock, actor, [
    { subjectType: 'case', subjectId: id, type: 'case.filed', afterStatus: 'SUBMITTED', data: spec.filed },
    { subjectType: 'case', subjectId: id, type: 'case.intake_passed', beforeStatus: 'SUBMITTED', afterStatus: next, data: { action: 'INTAKE_APPROVE', ...spec.intake.data } },
  ], null);
  const [created] = await tx
    .insert(cases)
    .values({
      ...spec.row,
      ...spec.intake.patch,
      id,
      number: `pending:${randomUUID()}`,
      status: next,
      // Version 1 was the SUBMITTED case the filed event records; the intake made it 2.
      version: 2,
      headEventHash: chain.at(-1)!.hash,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await insertParties(tx, id, spec.applicant, spec.respondents, now);
  await tx.insert(events).values(chain);
  await recordCaseFacts(tx, { ...created!, status: 'SUBMITTED', version: 1 }, created!, 'INTAKE_APPROVE', now);
  if (spec.deadline) await tx.insert(deadlines).values(deadlineValues({ caseId: id, targetId: id, ...spec.deadline }, now));
  const number = await nextCaseNumber(tx, spec.row.countyCode, spec.countyName, Number(localDate(now).slice(0, 4)));
  await tx.update(cases).set({ number }).where(eq(cases.id, id));
  await enqueue(tx, deps.clock, spec.notices(number, id));
  return { ...created!, number };
}

/**
 * The parties of a new case in one insert: the applicant consenting, each respondent invited.
 * Only an account whose owner proved the phone is linked: registering someone else's number links nothing.
 */
async function insertParties(tx: Tx, caseId: string, applicant: NewPartyColumns, respondents: NewPartyColumns[], now: Date): Promise<void> {
  await tx.insert(caseParties).values(
    [applicant, ...respondents].map((p, i) => ({
      ...p,
      caseId,
      role: i === 0 ? 'APPLICANT' : 'RESPONDENT',
      userId: sql`(select ${users.id} from ${users} where ${and(eq(users.phone, p.phone), isNotNull(users.phoneVerifiedAt))})`,
      consent: i === 0 ? 'ACCEPTED' : 'PENDING',
      consentAt: i === 0 ? now : null,
      position: i,
    })),
  );
}
