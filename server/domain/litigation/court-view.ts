import type { Viewer } from '../context';
import { readsMediationNotes } from '../access/case';
import { GROUND_TEXT, type TerminationGround } from '../sessions/terminate-mediation';

/**
 * What of a mediation may go to a court (OMR 18, SIM 2, INT 146): formal facts of the procedure —
 * ids, grounds, dates, numbers, statuses — and the facts every party confirmed. Anything written
 * during mediation (the mediator's notes, notesForCourt, minutes, messages, a party's reasons) stays
 * with the mediation. Applied to audit events a court reads and to webhooks sent to a court.
 */

/** Event data keys a court may read: formal parts only. */
const FORMAL_KEYS = new Set([
  'applicationId', 'transferId', 'courtId', 'courtName', 'supplementId', 'enforcementId',
  'rulingNumber', 'rulingDate', 'rejectionGround', 'notAcceptedGround', 'ground', 'docketNumber',
  'number', 'version', 'agreementNumber', 'decisionDueAt', 'statutoryCapAt', 'filingDueAt',
  'acceptanceLate', 'decidedLate', 'beyondStatutoryCap', 'late', 'regionCode', 'category',
  'filedVia', 'delegatingCourtId', 'organizationId', 'organizationName', 'undisputedFacts',
]);

/** The part of an audit event's data a court may read. */
export function courtViewOfEventData(data: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!data) return {};
  return Object.fromEntries(Object.entries(data).filter(([k]) => FORMAL_KEYS.has(k) && k !== 'undisputedFacts'));
}

/** Keys that carry mediation content and never go to a court in a webhook. */
const CONFIDENTIAL_KEYS = new Set(['notesForCourt', 'note', 'minutes', 'messages', 'mediatorNote', 'consentReason']);

/** Throws when a payload for a court carries mediation content: a programming error, caught by tests. */
export function assertCourtSafe(payload: unknown, path = 'data'): void {
  if (Array.isArray(payload)) return payload.forEach((v, i) => assertCourtSafe(v, `${path}.${i}`));
  if (payload && typeof payload === 'object') {
    for (const [k, v] of Object.entries(payload)) {
      if (CONFIDENTIAL_KEYS.has(k) && v !== null && v !== undefined) throw new Error(`mediation content ${path}.${k} may not be sent to a court`);
      assertCourtSafe(v, `${path}.${k}`);
    }
  }
}

/** A termination of mediation, as recorded (the fields a court's view changes). */
interface Termination {
  ground: string;
  note: string | null;
  failureReport: { why: string; undisputedFacts: string[]; notesForCourt: string | null; routes: string[] };
}

/**
 * A termination as a court reads it: its ground, the facts every party confirmed (already all its
 * report holds) and the routes. The mediator's note, the notes for the court and the note's words in
 * the report's `why` stay with the mediation (OMR 18), as a litigation transfer leaves them out.
 */
export function courtViewOfTermination<T extends Termination>(termination: T): T {
  const ground = GROUND_TEXT[termination.ground as TerminationGround] ?? '其他原因';
  return { ...termination, note: null, failureReport: { ...termination.failureReport, why: ground, notesForCourt: null } };
}

/** A case's termination as a viewer reads it: in full, or as a court reads it (`readsMediationNotes`). */
export function terminationAsSeenBy<T extends Termination>(viewer: Viewer | null, termination: T): T {
  return readsMediationNotes(viewer) ? termination : courtViewOfTermination(termination);
}
