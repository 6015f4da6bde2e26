import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, followUps, followUpTermResults, mediationRatings } from '../../../schema';
import { loadCaseForFollowUp, type FollowUpRow } from '../access/follow-up';
import { loadRegionScope } from '../access/region-scope';
import { contentOf } from '../agreements/agreement-content';
import { requireRole } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import { loadParties } from '../cases/case-access';
import { localDate } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { openCase } from '../screening/open-case';
import { parseInput } from '../validate';
import { FOLLOW_UP_METHODS, TERM_PERFORMANCES } from './types';
import { routesForUnperformedTerm, type PartyRoute } from './routes';

export interface RecordFollowUpInput {
  caseId: string;
  /** The scheduled follow-up this visit fulfils; default the earliest still scheduled (or a new one). */
  followUpId?: string | null;
  method: (typeof FOLLOW_UP_METHODS)[number];
  terms: { termNo: number; performance: (typeof TERM_PERFORMANCES)[number]; amountPerformed?: string | null; note?: string | null }[];
  satisfaction?: { partyId: string; score: number; comment?: string | null }[] | null;
  relapsed: boolean;
  /** What flared up again: the description of the new case. */
  relapseDescription?: string | null;
  note?: string | null;
}

const schema = z.object({
  caseId: z.string().uuid(),
  followUpId: z.string().uuid().nullish(),
  method: z.enum(FOLLOW_UP_METHODS),
  terms: z
    .array(
      z.object({
        termNo: z.number().int().min(1),
        performance: z.enum(TERM_PERFORMANCES),
        amountPerformed: z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be yuan with two decimals').nullish(),
        note: z.string().trim().max(1000).nullish(),
      }),
    )
    .max(100),
  satisfaction: z
    .array(z.object({ partyId: z.string().uuid(), score: z.number().int().min(1, 'is 1 to 5').max(5, 'is 1 to 5'), comment: z.string().trim().max(1000).nullish() }))
    .max(40)
    .nullish(),
  relapsed: z.boolean(),
  relapseDescription: z.string().trim().min(10, 'describe what flared up again in at least 10 characters').max(5000).nullish(),
  note: z.string().trim().max(5000).nullish(),
});

export interface RecordedFollowUp {
  followUp: FollowUpRow;
  /** Per term not performed past its due date: the routes offered to each entitled party. */
  routesOffered: { termNo: number; parties: PartyRoute[] }[];
  relapseCaseId: string | null;
}

/**
 * 回访: records how the agreement is performed, term by term, each party's satisfaction and whether
 * the dispute relapsed. A term not performed past its due date offers the entitled party its routes
 * (and notifies them); a relapse opens a new case linked to this one.
 */
export async function recordFollowUp(deps: Deps, actor: Actor, input: RecordFollowUpInput): Promise<RecordedFollowUp> {
  const viewer = requireRole(actor, 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(schema, input);
  const scope = await loadRegionScope(deps.db, viewer);
  const { theCase } = await loadCaseForFollowUp(deps.db, viewer, scope, data.caseId);
  const [agreement] = await deps.db.select().from(agreements).where(and(eq(agreements.caseId, theCase.id), eq(agreements.status, 'EFFECTIVE')));
  if (!agreement) throw new InvalidTransitionError(theCase.status, 'RECORD_FOLLOW_UP', 'The case has no effective agreement to follow up.');
  const terms = contentOf(agreement).terms;
  const seen = new Set<number>();
  for (const [i, t] of data.terms.entries()) {
    if (t.termNo > terms.length) throw ValidationError.field(`terms.${i}.termNo`, `the agreement has ${terms.length} terms`);
    if (seen.has(t.termNo)) throw ValidationError.field(`terms.${i}.termNo`, 'is listed twice');
    seen.add(t.termNo);
    if (t.performance === 'PARTLY_PERFORMED' && !t.amountPerformed) throw ValidationError.field(`terms.${i}.amountPerformed`, 'is required when a term is partly performed');
  }
  if (data.relapsed && !data.relapseDescription) throw ValidationError.field('relapseDescription', 'describe the relapse: it opens a new case');
  const parties = await loadParties(deps.db, theCase.id);
  for (const [i, s] of (data.satisfaction ?? []).entries()) {
    if (!parties.some((p) => p.id === s.partyId)) throw ValidationError.field(`satisfaction.${i}.partyId`, 'is not a party of this case');
  }
  if (new Set((data.satisfaction ?? []).map((s) => s.partyId)).size !== (data.satisfaction ?? []).length) {
    throw ValidationError.field('satisfaction', 'one score per party');
  }
  let target: FollowUpRow | undefined;
  if (data.followUpId) {
    [target] = await deps.db.select().from(followUps).where(and(eq(followUps.id, data.followUpId), eq(followUps.caseId, theCase.id)));
    if (!target) throw new NotFoundError('FollowUp');
    if (target.status !== 'SCHEDULED') throw new InvalidTransitionError(target.status, 'RECORD_FOLLOW_UP', 'This follow-up has already been recorded or was cancelled.');
  } else {
    [target] = await deps.db
      .select()
      .from(followUps)
      .where(and(eq(followUps.caseId, theCase.id), eq(followUps.agreementId, agreement.id), eq(followUps.status, 'SCHEDULED')))
      .orderBy(asc(followUps.dueAt), asc(followUps.id))
      .limit(1);
  }

  if (target && data.satisfaction?.length) {
    // A party who answered this follow-up itself gave its satisfaction then (answerFollowUp).
    const answered = await deps.db
      .select({ partyId: mediationRatings.partyId })
      .from(mediationRatings)
      .where(and(eq(mediationRatings.followUpId, target.id), inArray(mediationRatings.partyId, data.satisfaction.map((s) => s.partyId))));
    const i = data.satisfaction.findIndex((s) => answered.some((a) => a.partyId === s.partyId));
    if (i >= 0) throw ValidationError.field(`satisfaction.${i}.partyId`, 'this party gave its satisfaction itself when it answered the follow-up');
  }

  const now = deps.clock.now();
  const today = localDate(now);
  const routesOffered = data.terms
    .filter((t) => t.performance === 'NOT_PERFORMED' || t.performance === 'PARTLY_PERFORMED')
    .flatMap((t) => {
      const term = terms[t.termNo - 1]!;
      if (!term.dueDate || term.dueDate >= today) return [];
      return [{ termNo: t.termNo, parties: routesForUnperformedTerm(theCase.status, agreement.confirmationDeadline, now, term, parties) }];
    });

  return deps.db.transaction(async (tx) => {
    const fields = { status: 'DONE' as const, method: data.method, relapsed: data.relapsed, note: data.note ?? null, recordedAt: now, recordedBy: viewer.userId };
    let followUp: FollowUpRow | undefined;
    if (target) {
      // Conditional update: one visit records a scheduled follow-up once.
      [followUp] = await tx
        .update(followUps)
        .set({ ...fields, version: target.version + 1 })
        .where(and(eq(followUps.id, target.id), eq(followUps.status, 'SCHEDULED'), eq(followUps.version, target.version)))
        .returning();
      if (!followUp) throw new ConflictError();
    } else {
      [followUp] = await tx
        .insert(followUps)
        .values({ caseId: theCase.id, agreementId: agreement.id, kind: 'ADDED', dueAt: now, dueRule: 'recorded without a schedule', assigneeUserId: viewer.userId, createdAt: now, createdBy: viewer.userId, ...fields })
        .returning();
    }
    if (data.terms.length) {
      await tx.insert(followUpTermResults).values(
        data.terms.map((t) => ({
          followUpId: followUp!.id,
          caseId: theCase.id,
          agreementId: agreement.id,
          termNo: t.termNo,
          performance: t.performance,
          amountPerformed: t.amountPerformed ?? null,
          note: t.note ?? null,
          routesOffered: routesOffered.find((r) => r.termNo === t.termNo)?.parties[0]?.routes ?? null,
          recordedAt: now,
        })),
      );
    }
    if (data.satisfaction?.length) {
      await tx.insert(mediationRatings).values(
        data.satisfaction.map((s) => ({
          caseId: theCase.id,
          partyId: s.partyId,
          source: 'FOLLOW_UP' as const,
          followUpId: followUp!.id,
          score: s.score,
          comment: s.comment ?? null,
          mediatorId: theCase.mediatorId,
          organizationId: theCase.organizationId,
          createdAt: now,
          createdBy: viewer.userId,
        })),
      );
    }
    let relapseCaseId: string | null = null;
    if (data.relapsed) {
      const applicant = parties.find((p) => p.role === 'APPLICANT')!;
      const spec = (p: (typeof parties)[number]) => ({ name: p.name, phone: p.phone, kind: p.kind as 'PERSON' | 'ORGANIZATION', idNumberEnc: p.idNumberEnc, idNumberMasked: p.idNumberMasked, creditCode: p.creditCode, address: p.address });
      const relapse = await openCase(tx, deps, actor, viewer, {
        category: theCase.category,
        title: `${theCase.title}（反弹）`.slice(0, 100),
        description: data.relapseDescription!,
        regionCode: theCase.regionCode,
        filedVia: 'RELAPSE',
        applicant: spec(applicant),
        respondents: parties.filter((p) => p.id !== applicant.id).map(spec),
        origin: { relapseOfCaseId: theCase.id, relapseOfCaseNumber: theCase.number, followUpId: followUp!.id },
      });
      relapseCaseId = relapse.id;
      [followUp] = await tx.update(followUps).set({ relapseCaseId }).where(eq(followUps.id, followUp!.id)).returning();
    }
    await touchCase(tx, deps.clock, actor, theCase, {}, {
      type: 'case.follow_up_recorded',
      data: {
        followUpId: followUp!.id,
        kind: followUp!.kind,
        method: data.method,
        terms: data.terms.map((t) => ({ termNo: t.termNo, performance: t.performance, amountPerformed: t.amountPerformed ?? null })),
        satisfactionRecorded: data.satisfaction?.length ?? 0,
        relapsed: data.relapsed,
        relapseCaseId,
        routesOffered: routesOffered.map((r) => ({ termNo: r.termNo, parties: r.parties.map((p) => ({ partyId: p.partyId, routes: p.routes })) })),
      },
    });
    await enqueue(
      tx,
      deps.clock,
      routesOffered.flatMap((r) =>
        r.parties.map((p) => ({
          kind: 'NOTIFICATION' as const,
          topic: 'follow_up.term_not_performed',
          recipient: p.phone,
          caseId: theCase.id,
          payload: { caseNumber: theCase.number, termNo: r.termNo, routes: p.routes.join(',') },
        })),
      ),
    );
    return { followUp: followUp!, routesOffered, relapseCaseId };
  });
}
