import type { Viewer } from '../context';
import { readsMediationNotes } from '../access/case';
import type { AssignmentKind } from '../cases/dispatch';
import { ASSIGNMENT_DECISION_TEXT, type AssignmentStatus } from '../cases/state-machine';
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

/** What a hand-off was, in the platform's words: all a court reads of why it was made. */
export const ASSIGNMENT_KIND_TEXT: Record<AssignmentKind, string> = {
  DIVERSION: '按分流规则派单',
  REASSIGNMENT: '在本组织内改派',
  TRANSFER: '转至其他调解组织或调解员',
  ESCALATION: '升级至上一级调解',
  OVERRIDE: '当事人共同选定调解员（OMR 10）',
  DELEGATION: '人民法院委派调解',
};

/** A hand-off as recorded (the fields a court's view changes). */
interface Assignment {
  kind: string;
  status: string;
  reason: string;
  decisionReason: string | null;
}

/**
 * A hand-off (派单) as a viewer reads it. Its reason and decision are free text that may quote the
 * mediation: a mediator's note on a failed mediation (an escalation), a mediator's grounds for
 * declining, a party's reasons for asking for another mediator. A court reads what kind of hand-off
 * it was and how it ended, in the platform's words (OMR 18).
 */
export function assignmentAsSeenBy<T extends Assignment>(viewer: Viewer | null, a: T): T {
  if (readsMediationNotes(viewer)) return a;
  const decided = a.decisionReason === null ? null : (ASSIGNMENT_DECISION_TEXT[a.status as AssignmentStatus] ?? null);
  return { ...a, reason: ASSIGNMENT_KIND_TEXT[a.kind as AssignmentKind] ?? '派单', decisionReason: decided };
}

/**
 * A case's routing (why it went where it is) as a viewer reads it. Its reasons end with the latest
 * hand-off's reason and, after a transfer or a reassignment, quote the person who asked for it; a
 * court reads none of it (null) and reads the hand-offs' formal kinds through `assignmentAsSeenBy`.
 */
export function routingAsSeenBy<T>(viewer: Viewer | null, routing: T | null): T | null {
  return readsMediationNotes(viewer) ? routing : null;
}

/** The words of a request to extend mediation as a viewer reads them: a court reads that it was asked, and for how long. */
export function extensionReasonAsSeenBy(viewer: Viewer | null, extension: { days: number; reason: string }): string {
  return readsMediationNotes(viewer) ? extension.reason : `申请延长调解期限${extension.days}日`;
}

/** Why a session was cancelled as a viewer reads it: a court reads that it was cancelled (its status), not why. */
export function cancelReasonAsSeenBy(viewer: Viewer | null, session: { cancelReason: string | null }): string | null {
  return readsMediationNotes(viewer) ? session.cancelReason : null;
}
