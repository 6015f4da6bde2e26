import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediationExtensions } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import { computeDeadline } from '../clock/deadline';
import { openDeadline, recordDeadline } from '../clock/deadline-records';
import { localDate, startOfLocalDay } from '../clock/dates';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import type { ExtensionRow } from './request-extension';
import { caseStanding, requireMediating, requireParty } from './session-access';

const schema = z.object({ extensionId: z.string().uuid(), consent: z.boolean() });

/**
 * A party answers an extension request. One refusal ends the request; the deadline moves only when
 * every party has consented, and the event carries each recorded consent.
 */
export async function consentToExtension(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<ExtensionRow> {
  const data = parseInput(schema, input);
  const [ext] = await deps.db.select().from(mediationExtensions).where(eq(mediationExtensions.id, data.extensionId)).limit(1);
  if (!ext) throw new NotFoundError('Extension');
  let s;
  try {
    s = await caseStanding(deps, actor, ext.caseId);
  } catch (e) {
    throw e instanceof NotFoundError ? new NotFoundError('Extension') : e;
  }
  const mine = requireParty(s);
  requireMediating(s.current, 'CONSENT_TO_EXTENSION');
  if (ext.status !== 'PENDING') throw new InvalidTransitionError(ext.status, 'CONSENT_TO_EXTENSION');
  const now = deps.clock.now();
  const answered = new Set(mine.map((p) => p.id));
  const answers = [
    ...ext.answers.filter((a) => !answered.has(a.partyId)),
    ...mine.map((p) => ({ partyId: p.id, userId: s.viewer.userId, consent: data.consent, at: now.toISOString() })),
  ];
  const allConsented = s.parties.every((p) => answers.some((a) => a.partyId === p.id && a.consent));
  const status = !data.consent ? 'REFUSED' : allConsented ? 'GRANTED' : 'PENDING';
  // The extension counts from the original last day of the period, not from a day it was rolled to
  // past a holiday: the period is the original days plus the extension, from the same start.
  const limitRecord = status === 'GRANTED' ? await openDeadline(deps.db, 'MEDIATION_LIMIT', s.current.id) : undefined;
  const extended =
    status === 'GRANTED' && s.current.dueAt
      ? computeDeadline(
          deps.calendar,
          limitRecord
            ? { rule: 'CALENDAR_DAYS', amount: limitRecord.amount + ext.days, startAt: limitRecord.startAt }
            : { rule: 'CALENDAR_DAYS', amount: ext.days, startAt: startOfLocalDay(localDate(s.current.dueAt)) },
        )
      : null;
  const newDueAt = extended?.dueAt ?? null;
  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(mediationExtensions)
      .set({
        answers,
        status,
        ...(status !== 'PENDING' ? { decidedAt: now } : {}),
        ...(newDueAt ? { previousDueAt: s.current.dueAt, newDueAt } : {}),
      })
      .where(and(eq(mediationExtensions.id, ext.id), eq(mediationExtensions.status, 'PENDING')))
      .returning();
    if (!updated) throw new ConflictError();
    // The case row's conditional update orders concurrent answers: only one sees the full set.
    await touchCase(tx, deps.clock, actor, s.current, newDueAt ? { dueAt: newDueAt, dueRule: `${s.current.dueRule ?? ''}；经全体当事人同意延长${ext.days}日（OMR 26）` } : {}, {
      type: status === 'GRANTED' ? 'case.extension_granted' : status === 'REFUSED' ? 'case.extension_refused' : 'case.extension_consented',
      data: {
        extensionId: ext.id,
        partyIds: mine.map((p) => p.id),
        consent: data.consent,
        answers,
        ...(newDueAt ? { previousDueAt: s.current.dueAt?.toISOString() ?? null, newDueAt: newDueAt.toISOString() } : {}),
      },
    });
    if (extended) await recordDeadline(tx, deps.clock, { caseId: s.current.id, kind: 'MEDIATION_LIMIT', targetId: s.current.id, computed: extended, source: `${limitRecord?.source ?? 'OMR 26'}；延长${ext.days}日` });
    return updated;
  });
}
