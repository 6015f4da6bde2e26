import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, followUpAnswers, followUps, mediationRatings } from '../../../schema';
import { loadFollowUpForParty, type FollowUpAnswerRow, type FollowUpRow, type RatingRow } from '../access/follow-up';
import { contentOf } from '../agreements/agreement-content';
import { requireUser } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { PARTY_TERM_PERFORMANCES } from './types';

const schema = z.object({
  followUpId: z.string().uuid(),
  terms: z
    .array(
      z.object({
        termNo: z.number().int().min(1),
        performance: z.enum(PARTY_TERM_PERFORMANCES),
        note: z.string().trim().max(200, 'is at most 200 characters').nullish(),
      }),
    )
    .min(1, 'answer every term of the agreement')
    .max(100),
  satisfaction: z.number().int().min(1, 'is 1 to 5').max(5, 'is 1 to 5'),
  comment: z.string().trim().max(1000, 'is at most 1000 characters').nullish(),
});

export type AnswerFollowUpInput = z.input<typeof schema>;

export interface AnsweredFollowUp {
  followUp: FollowUpRow;
  answer: FollowUpAnswerRow;
  rating: RatingRow;
}

const ALREADY = 'You have already answered this follow-up.';

/**
 * 回访: a party answers a scheduled follow-up itself, from its own pages: per agreement term whether
 * it was performed (with a short note), its satisfaction and a comment. One answer per party, never
 * edited (a second is a ConflictError). The follow-up stays scheduled: the mediator reads the
 * answers and records the finding with recordFollowUp.
 */
export async function answerFollowUp(deps: Deps, actor: Actor, input: AnswerFollowUpInput): Promise<AnsweredFollowUp> {
  const viewer = requireUser(actor);
  const data = parseInput(schema, input);
  const { followUp, theCase, party } = await loadFollowUpForParty(deps.db, viewer, data.followUpId);
  if (followUp.status !== 'SCHEDULED') throw new InvalidTransitionError(followUp.status, 'ANSWER_FOLLOW_UP', 'This follow-up has already been recorded or was cancelled.');
  const [agreement] = await deps.db.select().from(agreements).where(eq(agreements.id, followUp.agreementId));
  const terms = contentOf(agreement!).terms;
  const seen = new Set<number>();
  for (const [i, t] of data.terms.entries()) {
    if (t.termNo > terms.length) throw ValidationError.field(`terms.${i}.termNo`, `the agreement has ${terms.length} terms`);
    if (seen.has(t.termNo)) throw ValidationError.field(`terms.${i}.termNo`, 'is listed twice');
    seen.add(t.termNo);
  }
  if (seen.size !== terms.length) throw ValidationError.field('terms', `answer every term of the agreement (${terms.length})`);
  const [earlier] = await deps.db
    .select({ id: followUpAnswers.id })
    .from(followUpAnswers)
    .where(and(eq(followUpAnswers.followUpId, followUp.id), eq(followUpAnswers.partyId, party.id)))
    .limit(1);
  if (earlier) throw new ConflictError(ALREADY);

  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      // Conditional update: an answer lands only while the follow-up is scheduled. It holds the row,
      // so a concurrent recordFollowUp waits and then finds a new version (ConflictError): the
      // mediator never closes a follow-up without the answers given before it.
      const [held] = await tx
        .update(followUps)
        .set({ version: sql`${followUps.version} + 1` })
        .where(and(eq(followUps.id, followUp.id), eq(followUps.status, 'SCHEDULED')))
        .returning();
      if (!held) {
        const [current] = await tx.select({ status: followUps.status }).from(followUps).where(eq(followUps.id, followUp.id));
        throw new InvalidTransitionError(current?.status ?? followUp.status, 'ANSWER_FOLLOW_UP', 'This follow-up has already been recorded or was cancelled.');
      }
      const [rating] = await tx
        .insert(mediationRatings)
        .values({
          caseId: theCase.id,
          partyId: party.id,
          source: 'FOLLOW_UP',
          followUpId: followUp.id,
          score: data.satisfaction,
          comment: data.comment || null,
          mediatorId: theCase.mediatorId,
          organizationId: theCase.organizationId,
          createdAt: now,
          createdBy: viewer.userId,
        })
        .returning();
      const [answer] = await tx
        .insert(followUpAnswers)
        .values({
          followUpId: followUp.id,
          caseId: theCase.id,
          partyId: party.id,
          ratingId: rating!.id,
          terms: [...data.terms].sort((a, b) => a.termNo - b.termNo).map((t) => ({ termNo: t.termNo, performance: t.performance, note: t.note || null })),
          answeredAt: now,
          answeredBy: viewer.userId,
        })
        .returning();
      // The case's timeline says that the party answered, not what: the other party reads it too.
      await touchCase(tx, deps.clock, actor, theCase, {}, { type: 'case.follow_up_answered', data: { followUpId: followUp.id, partyId: party.id } });
      return { followUp: held, answer: answer!, rating: rating! };
    });
  } catch (err) {
    // The unique (follow-up, party) indexes: two answers raced and this one came second. Any other
    // unique violation is not this party's earlier answer and is not reported as one.
    const constraint = uniqueViolation(err);
    if (constraint === 'follow_up_answers_party_key' || constraint === 'mediation_ratings_follow_up_key') throw new ConflictError(ALREADY);
    throw err;
  }
}
