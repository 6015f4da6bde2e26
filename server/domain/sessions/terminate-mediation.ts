import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, caseTerminations, undisputedFactConfirmations, undisputedFacts } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { applyTransition } from '../cases/apply-transition';
import type { CaseRow } from '../cases/case-access';
import { escalate } from '../cases/escalate';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { caseStanding, requireMediator } from './session-access';

/** OMR 25, SIM 26: the grounds on which mediation ends without agreement. */
export const TERMINATION_GROUNDS = [
  'PRIVATE_SETTLEMENT',
  'WITHDRAWN',
  'PARTY_UNREACHABLE',
  'PARTY_REFUSES_TO_CONTINUE',
  'POSITIONS_TOO_FAR_APART',
  'TIME_EXPIRED',
  'PARTY_REFUSES_TO_SIGN',
  'OTHER',
] as const;
export type TerminationGround = (typeof TERMINATION_GROUNDS)[number];

export const GROUND_TEXT: Record<TerminationGround, string> = {
  PRIVATE_SETTLEMENT: '当事人自行和解',
  WITHDRAWN: '当事人撤回调解申请',
  PARTY_UNREACHABLE: '无法联系当事人',
  PARTY_REFUSES_TO_CONTINUE: '当事人拒绝继续调解',
  POSITIONS_TOO_FAR_APART: '各方意见分歧较大，难以达成一致',
  TIME_EXPIRED: '调解期限届满且未获延长',
  PARTY_REFUSES_TO_SIGN: '当事人拒绝签署调解协议',
  OTHER: '其他原因',
};

/** Categories with arbitration as a route (labour disputes go to labour arbitration first). */
const ARBITRATION_CATEGORIES = new Set(['LABOR']);

/** PML 26: the routes open to the parties once mediation has failed. */
export function routesFor(current: CaseRow): string[] {
  const routes: string[] = [];
  if (ARBITRATION_CATEGORIES.has(current.category)) routes.push('依法申请劳动人事争议仲裁');
  routes.push('依法向人民法院提起诉讼（可申请将调解材料转立案，OMR 21）');
  if (current.channel === 'PEOPLES') routes.push('向有关行政机关申请处理，或向其他调解组织申请调解');
  return routes;
}

/** Facts every party confirmed (OMR 22): the only admissions that may go to a court (OMR 18). */
export async function confirmedFacts(tx: Executor, caseId: string): Promise<string[]> {
  const facts = await tx.select().from(undisputedFacts).where(eq(undisputedFacts.caseId, caseId)).orderBy(undisputedFacts.createdAt);
  if (facts.length === 0) return [];
  const parties = await tx.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
  const confirmations = await tx.select().from(undisputedFactConfirmations).where(inArray(undisputedFactConfirmations.factId, facts.map((f) => f.id)));
  return facts
    .filter((f) => parties.every((p) => confirmations.some((c) => c.factId === f.id && c.partyId === p.id)))
    .map((f) => f.text);
}

/** Ends mediation as FAILED inside the caller's transaction: termination row, failure report, routes told to the parties. */
export async function recordTermination(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  current: CaseRow,
  input: { ground: TerminationGround; note: string | null; notesForCourt: string | null },
): Promise<CaseRow> {
  const now = deps.clock.now();
  const routes = routesFor(current);
  const failureReport = {
    why: `${GROUND_TEXT[input.ground]}${input.note ? `：${input.note}` : ''}`,
    undisputedFacts: await confirmedFacts(tx, current.id),
    notesForCourt: input.notesForCourt,
    routes,
  };
  const terminatedBy = actor.viewer?.kind === 'user' ? actor.viewer.userId : null;
  // One row per case; a case that failed, was escalated and failed again keeps its latest ending
  // here, and every ending in its event chain.
  await tx
    .insert(caseTerminations)
    .values({ caseId: current.id, ground: input.ground, note: input.note, failureReport, terminatedAt: now, terminatedBy })
    .onConflictDoUpdate({ target: caseTerminations.caseId, set: { ground: input.ground, note: input.note, failureReport, terminatedAt: now, terminatedBy } });
  const updated = await applyTransition(tx, deps.clock, actor, current, 'TERMINATE', { closedAt: now }, {
    type: 'case.mediation_terminated',
    data: { ground: input.ground, note: input.note, failureReport },
  });
  const parties = await tx.select({ phone: caseParties.phone }).from(caseParties).where(eq(caseParties.caseId, current.id));
  await enqueue(
    tx,
    deps.clock,
    parties.map((p) => ({
      kind: 'NOTIFICATION' as const,
      topic: 'mediation.terminated',
      recipient: p.phone,
      caseId: current.id,
      payload: { caseNumber: current.number, ground: input.ground, why: failureReport.why, routes },
    })),
  );
  return updated;
}

const schema = z.object({
  caseId: z.string().uuid(),
  ground: z.enum(TERMINATION_GROUNDS),
  note: z.string().trim().max(2000).nullish(),
  escalate: z.boolean().nullish(),
  notesForCourt: z.string().trim().max(5000).nullish(),
});

/**
 * The mediator ends mediation without agreement (OMR 25, SIM 26). With `escalate`, a people's
 * mediation below county level goes one level up instead (小事不出村、大事不出乡), when a level above serves the place.
 */
export async function terminateMediation(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  requireMediator(s);
  const current = s.current;
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(current.status)) throw new InvalidTransitionError(current.status, 'TERMINATE');
  if (data.escalate) {
    const eligible = current.status === 'MEDIATING' && current.channel === 'PEOPLES' && (current.level === 'VILLAGE' || current.level === 'TOWNSHIP');
    if (!eligible) throw ValidationError.field('escalate', 'only a people’s mediation below county level in mediation can go one level up');
  }
  return deps.db.transaction(async (tx) => {
    if (data.escalate) {
      const reason = `调解未果（${GROUND_TEXT[data.ground]}${data.note ? `：${data.note}` : ''}），升级至上一级调解`;
      const up = await escalate(tx, deps, actor, current, reason);
      if (up) return up;
      // No organisation above serves the place: the case fails here rather than stalling.
    }
    return recordTermination(tx, deps, actor, current, { ground: data.ground, note: data.note ?? null, notesForCourt: data.notesForCourt ?? null });
  });
}
