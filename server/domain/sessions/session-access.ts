import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { caseParties, mediationSessions, sessionMessages } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { requireUser } from '../auth/policy';
import { loadParties, loadVisibleCase, partiesOfViewer, viewerMediatorId, type CaseRow, type PartyRow } from '../cases/case-access';
import type { Actor, Clock, Deps, UserViewer } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';

export type SessionRow = typeof mediationSessions.$inferSelect;
export type MessageRow = typeof sessionMessages.$inferSelect;

/** The acting user's relation to a case: its parties they are, and whether they are its mediator. */
export interface CaseStanding {
  viewer: UserViewer;
  current: CaseRow;
  parties: PartyRow[];
  myParties: PartyRow[];
  isMediator: boolean;
}

/** Loads a case the user may see (else NotFoundError) with who they are on it. */
export async function caseStanding(deps: Deps, actor: Actor, caseId: string): Promise<CaseStanding> {
  const viewer = requireUser(actor);
  const current = await loadVisibleCase(deps.db, viewer, caseId);
  const parties = await loadParties(deps.db, current.id);
  const myParties = partiesOfViewer(parties, viewer);
  let isMediator = false;
  if (viewer.role === 'MEDIATOR' && current.mediatorId) {
    isMediator = (await viewerMediatorId(deps.db, viewer)) === current.mediatorId;
  }
  return { viewer, current, parties, myParties, isMediator };
}

/** Only the case's mediator; anyone else who can see the case is FORBIDDEN. */
export function requireMediator(s: CaseStanding): void {
  if (!s.isMediator) throw new ForbiddenError('Only the case’s mediator may do this.');
}

/** Only a party of the case. */
export function requireParty(s: CaseStanding): PartyRow[] {
  if (s.myParties.length === 0) throw new ForbiddenError('Only a party of the case may do this.');
  return s.myParties;
}

/** Sessions are held only while the case is being mediated. */
export function requireMediating(current: CaseRow, action: string): void {
  if (current.status !== 'MEDIATING') throw new InvalidTransitionError(current.status, action);
}

export interface SessionStanding extends CaseStanding {
  session: SessionRow;
  /** The parties the viewer is that take part in this session. */
  mySessionParties: PartyRow[];
  role: 'MEDIATOR' | 'PARTY' | null;
}

/** Whether a standing makes the viewer one of this session's participants (its parties and the mediator). */
export function participantRole(s: Pick<CaseStanding, 'myParties' | 'isMediator'>, session: SessionRow): { role: 'MEDIATOR' | 'PARTY' | null; mySessionParties: PartyRow[] } {
  const mySessionParties = s.myParties.filter((p) => session.participantPartyIds.includes(p.id));
  if (s.isMediator) return { role: 'MEDIATOR', mySessionParties };
  return { role: mySessionParties.length > 0 ? 'PARTY' : null, mySessionParties };
}

/** Loads a session through its case's visibility (not visible = NotFoundError). */
export async function sessionStanding(deps: Deps, actor: Actor, sessionId: string): Promise<SessionStanding> {
  requireUser(actor);
  const [session] = await deps.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId)).limit(1);
  if (!session) throw new NotFoundError('Session');
  let s: CaseStanding;
  try {
    s = await caseStanding(deps, actor, session.caseId);
  } catch (e) {
    throw e instanceof NotFoundError ? new NotFoundError('Session') : e;
  }
  return { ...s, session, ...participantRole(s, session) };
}

/**
 * Only the session's participants; others — even people who can see the case, such as the side
 * left out of a separate session (背对背) — are told the session does not exist for them.
 */
export async function participantStanding(deps: Deps, actor: Actor, sessionId: string): Promise<SessionStanding & { role: 'MEDIATOR' | 'PARTY' }> {
  const s = await sessionStanding(deps, actor, sessionId);
  if (!s.role) throw new NotFoundError('Session');
  return s as SessionStanding & { role: 'MEDIATOR' | 'PARTY' };
}

/**
 * Stores a room message under the next sequence number. The counter is bumped on the session row,
 * whose row lock orders concurrent writers, so sequence numbers never collide and a message with a
 * higher number is committed only after every lower one.
 */
export async function appendRoomMessage(
  tx: Tx,
  clock: Clock,
  sessionId: string,
  msg: { kind: 'CHAT' | 'PROPOSAL' | 'PRESENCE' | 'MINUTES'; body: string; data?: Record<string, unknown>; author: UserViewer | null; authorRole: string | null },
): Promise<MessageRow> {
  const [counter] = await tx
    .update(mediationSessions)
    .set({ messageSeq: sql`${mediationSessions.messageSeq} + 1` })
    .where(eq(mediationSessions.id, sessionId))
    .returning({ seq: mediationSessions.messageSeq });
  if (!counter) throw new ConflictError();
  const [row] = await tx
    .insert(sessionMessages)
    .values({
      sessionId,
      seq: counter.seq,
      kind: msg.kind,
      body: msg.body,
      data: msg.data ?? {},
      authorUserId: msg.author?.userId ?? null,
      authorName: msg.author?.name ?? null,
      authorRole: msg.authorRole,
      createdAt: clock.now(),
    })
    .returning();
  return row!;
}

/** Stored room messages after a sequence number, oldest first: what a reconnecting client missed. */
export function roomMessagesAfter(db: Executor, sessionId: string, after: number, limit = 1000): Promise<MessageRow[]> {
  return db
    .select()
    .from(sessionMessages)
    .where(and(eq(sessionMessages.sessionId, sessionId), gt(sessionMessages.seq, after)))
    .orderBy(asc(sessionMessages.seq))
    .limit(limit);
}

/**
 * The messages of several sessions after a sequence number, at most `limit` per session, oldest
 * first, in one query (a page of sessions reads its rooms together).
 */
export async function roomMessagesAfterMany(db: Executor, sessionIds: readonly string[], after: number, limit: number): Promise<Map<string, MessageRow[]>> {
  const out = new Map<string, MessageRow[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return out;
  const ranked = db
    .select({
      id: sessionMessages.id,
      rank: sql<number>`row_number() over (partition by ${sessionMessages.sessionId} order by ${sessionMessages.seq})`.as('rank'),
    })
    .from(sessionMessages)
    .where(and(inArray(sessionMessages.sessionId, [...sessionIds]), gt(sessionMessages.seq, after)))
    .as('ranked');
  const rows = await db
    .select({ message: sessionMessages })
    .from(sessionMessages)
    .innerJoin(ranked, eq(ranked.id, sessionMessages.id))
    .where(lte(ranked.rank, limit))
    .orderBy(asc(sessionMessages.seq));
  for (const { message } of rows) out.get(message.sessionId)?.push(message);
  return out;
}

/** Phones of the case's parties, for notifications through the outbox. */
export async function partyPhones(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.select({ phone: caseParties.phone }).from(caseParties).where(eq(caseParties.caseId, caseId));
  return rows.map((r) => r.phone);
}
