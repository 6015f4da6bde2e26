import { and, asc } from 'drizzle-orm';
import { preparedPerShape, unlessNeverVisible } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { mediationRatings } from '../../schema';
import type { RatingRow } from '../domain/access/follow-up';
import type { CaseRow } from '../domain/cases/case-access';
import { rateMediation } from '../domain/follow-up/rate-mediation';
import { RATING_SOURCES } from '../domain/follow-up/types';
import { CASE_RECORDS, groupedLoader } from './batch';
import { builder } from './builder';
import { CaseRef } from './case';
import { localId } from './ids';

const RatingSourceEnum = builder.enumType('RatingSource', { values: RATING_SOURCES });

export const RatingRef = builder.objectRef<RatingRow>('MediationRating').implement({
  description: 'A party’s satisfaction with the mediation (1–5). Never shown to the other party.',
  fields: (t) => ({
    id: t.exposeID('id'),
    partyId: t.exposeID('partyId'),
    source: t.field({ type: RatingSourceEnum, resolve: (r) => r.source }),
    score: t.exposeInt('score'),
    comment: t.exposeString('comment', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

/** The ratings of a page of cases the viewer may see, in one query. */
const ratingsOfCases = preparedPerShape((db, s: ViewerShape, ids) => {
  const rule = CASE_RECORDS.ratings.rule(s);
  return unlessNeverVisible(rule, () =>
    db.select().from(mediationRatings).where(and(ids(mediationRatings.caseId), rule)).orderBy(asc(mediationRatings.createdAt), asc(mediationRatings.id)).prepare('ratings_by_case'),
  );
});
const ratingsByCase = groupedLoader(
  (ctx, caseIds) => ratingsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
  (r) => r.caseId,
  'ratings',
);

builder.objectFields(CaseRef, (t) => ({
  ratings: t.field({
    type: [RatingRef],
    description: 'A party sees only its own ratings; the mediator, its organisation and platform admins see all.',
    resolve: (c: CaseRow, _a, ctx) => ratingsByCase(ctx).load(c.id),
  }),
}));

const RateInput = builder.inputType('RateMediationInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), score: t.int({ required: true, description: '1 to 5.' }), comment: t.string() }),
});

builder.mutationFields((t) => ({
  rateMediation: t.field({
    type: builder.objectRef<{ rating: RatingRow }>('RateMediationSuccess').implement({
      fields: (f) => ({ rating: f.field({ type: RatingRef, resolve: (p) => p.rating }) }),
    }),
    errors: { union: { name: 'RateMediationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: RateInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      rating: await rateMediation(ctx.deps, ctx.actor, { caseId: localId(String(input.caseId), 'Case', 'caseId'), score: input.score, comment: input.comment }),
    }),
  }),
}));
