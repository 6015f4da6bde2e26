import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { caseNumberCounters, caseParties, cases, deadlines, events, users } from '../../../schema';
import { rowOf, type Executor } from '../../db';
import { Placeholders, textPerKey } from '../../db-prepared';
import { chainEvents } from '../audit/record-event';
import { localDate } from '../clock/calendar';
import type { ComputedDeadline } from '../clock/deadline';
import { deadlineValues, type DeadlineKind } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { factsOfMove } from '../statistics/record-case-facts';
import type { CaseRow } from './case-access';
import { messageRows, messagesInsert, type OutboxMessage } from '../outbox/enqueue';
import { numberToken, registrationNumberPrefix } from './numbering';
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
  /** Messages sent after commit, given the case's number (a stand-in that the statement writing them replaces). */
  notices(number: string, caseId: string): OutboxMessage[];
}

/** The statement that writes a new case, built once for each shape of case (see insertNewCase). */
const newCaseStatement = textPerKey();

/**
 * Writes a new case that passed intake in one statement, on its own or inside the caller's
 * transaction: the county's registration serial, the case row (already AWAITING_RESPONDENT, with
 * its number and the head of its chain), its parties (each linked to the account that proved the
 * phone), both events of its new chain, its first deadline, and the messages, whose payloads get
 * the number the statement gives. Filing and opening a case from a lead or a relapse share it, so
 * a case is born the same way whichever door it came through.
 */
export async function insertNewCase(db: Executor, deps: Deps, actor: Actor, spec: NewCase): Promise<CaseRow> {
  const now = deps.clock.now();
  const id = randomUUID();
  // The intake needs no manual review here: the caller's checks are the review; the table still decides the move.
  const next = transition('SUBMITTED', 'INTAKE_APPROVE');
  // A new subject: its chain starts at 1, so nothing is read before appending.
  const chain = chainEvents(deps.clock, actor, [
    { subjectType: 'case', subjectId: id, type: 'case.filed', afterStatus: 'SUBMITTED', data: spec.filed },
    { subjectType: 'case', subjectId: id, type: 'case.intake_passed', beforeStatus: 'SUBMITTED', afterStatus: next, data: { action: 'INTAKE_APPROVE', ...spec.intake.data } },
  ], null);
  const year = Number(localDate(now).slice(0, 4));
  const fill = new Placeholders();
  const row = fill.of('case', {
    ...spec.row,
    ...spec.intake.patch,
    id,
    status: next,
    // Version 1 was the SUBMITTED case the filed event records; the intake made it 2.
    version: 2,
    headEventHash: chain.at(-1)!.hash,
    createdAt: now,
    updatedAt: now,
  });
  const parties = [spec.applicant, ...spec.respondents].map((p, i) =>
    fill.of(`party${i}`, {
      ...p,
      caseId: id,
      role: i === 0 ? ('APPLICANT' as const) : ('RESPONDENT' as const),
      consent: i === 0 ? ('ACCEPTED' as const) : ('PENDING' as const),
      consentAt: i === 0 ? now : null,
      position: i,
    }),
  );
  const chained = chain.map((e, i) => fill.of(`event${i}`, e));
  const deadline = spec.deadline ? fill.of('deadline', deadlineValues({ caseId: id, targetId: id, ...spec.deadline }, now)) : null;
  for (const [name, value] of Object.entries(messageRows(spec.notices(numberToken, id), now, numberToken))) fill.set(name, value);
  fill.set('county', spec.row.countyCode);
  fill.set('year', year);
  fill.set('prefix', registrationNumberPrefix(year, spec.countyName));
  // One statement, so the case is written whole or not at all without a transaction of its own,
  // and the county's counter row (its lock queues concurrent filings) is held for that statement
  // only: taken, used and, outside a caller's transaction, committed with no round trip between.
  // Its text depends only on which columns are given and how many parties: it is built once for
  // each such shape, and each filing sends the values.
  const [raw] = await newCaseStatement(
    db,
    fill.shape,
    () => sql`with n as (
      insert into ${caseNumberCounters} (county_code, year, last) values (${sql.placeholder('county')}, ${sql.placeholder('year')}, 1)
      on conflict (county_code, year) do update set last = ${caseNumberCounters.last} + 1
      returning last
    ),
    c as (${db
      .insert(cases)
      .values({ ...row(), number: sql`(select ${sql.placeholder('prefix')}::text || n.last || '号' from n)` })
      .returning()
      .getSQL()}),
    p as (${db
      .insert(caseParties)
      .values(parties.map((p, i) => ({ ...p(), userId: sql`(select ${users.id} from ${users} where ${users.phone} = ${sql.placeholder(`party${i}.phone`)} and ${users.phoneVerifiedAt} is not null)` })))
      .getSQL()}),
    e as (${db
      .insert(events)
      .values(chained.map((e) => e()))
      .getSQL()}),
    ${deadline ? sql`d as (${db.insert(deadlines).values(deadline()).getSQL()}),` : sql``}
    o as (${messagesInsert(sql`(select number from c)`)})
    select * from c`,
    fill.values,
  );
  const created = rowOf(cases, raw!);
  // A new case's first move (SUBMITTED to AWAITING_RESPONDENT) records no milestone. Were it to,
  // the milestone would belong in the statement above, not in a second write outside it.
  if (factsOfMove({ ...created, status: 'SUBMITTED', version: 1 }, created, 'INTAKE_APPROVE', now)) {
    throw new Error('a new case’s first move records a milestone: write it with the case');
  }
  return created;
}
