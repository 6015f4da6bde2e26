import { createHash } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { cases, events } from '../../../schema';
import type { Executor } from '../../db';
import type { Actor, Clock } from '../context';

export interface EventInput {
  subjectType: 'case' | 'organization' | 'user' | 'api_client' | 'agreement' | 'application' | 'transfer' | 'lead';
  subjectId: string;
  type: string;
  beforeStatus?: string | null;
  afterStatus?: string | null;
  data?: Record<string, unknown>;
}

export type EventRow = typeof events.$inferSelect;

/** Deterministic JSON (sorted keys) so a hash can be recomputed from the stored row. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

/** The hash of an event: its content (not its database id) chained to the previous hash. */
export function eventHash(e: Omit<EventRow, 'id' | 'hash'>): string {
  const content = canonical({
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    seq: e.seq,
    type: e.type,
    at: e.at.toISOString(),
    actorKind: e.actorKind,
    actorId: e.actorId,
    actorRole: e.actorRole,
    actorName: e.actorName,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    beforeStatus: e.beforeStatus,
    afterStatus: e.afterStatus,
    data: e.data,
  });
  return createHash('sha256')
    .update(e.prevHash ?? '')
    .update('\n')
    .update(content)
    .digest('hex');
}

function actorFields(actor: Actor) {
  const v = actor.viewer;
  if (!v) return { actorKind: 'system', actorId: null, actorRole: null, actorName: null };
  if (v.kind === 'user') return { actorKind: 'user', actorId: v.userId, actorRole: v.role, actorName: v.name };
  return { actorKind: 'apiClient', actorId: v.clientId, actorRole: 'COURT', actorName: v.name };
}

/**
 * Appends an event to its subject's chain inside the caller's transaction. Callers that change a
 * case hold its row through a conditional update first, which orders appends to one chain; the
 * unique (subject, seq) index turns any remaining race into a failed transaction, never a fork.
 */
export async function recordEvent(tx: Executor, clock: Clock, actor: Actor, input: EventInput): Promise<EventRow> {
  const [last] = await tx
    .select({ seq: events.seq, hash: events.hash })
    .from(events)
    .where(and(eq(events.subjectType, input.subjectType), eq(events.subjectId, input.subjectId)))
    .orderBy(desc(events.seq))
    .limit(1);
  const [value] = chainEvents(clock, actor, [input], last ?? null);
  const [row] = await tx.insert(events).values(value!).returning();
  // The case row keeps the head of its chain, so removing the newest events is detected too.
  if (input.subjectType === 'case') {
    await tx.update(cases).set({ headEventHash: row!.hash }).where(eq(cases.id, input.subjectId));
  }
  return row!;
}

type NewEvent = Omit<EventRow, 'id'>;

/**
 * The rows of events appended to one chain after `last` (null: a new subject, whose chain starts
 * at 1), each hashed and linked to the one before. Pure: the caller inserts them.
 */
export function chainEvents(clock: Clock, actor: Actor, inputs: EventInput[], last: { seq: number; hash: string } | null): NewEvent[] {
  const out: NewEvent[] = [];
  let prev = last;
  for (const input of inputs) {
    const base = {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      seq: (prev?.seq ?? 0) + 1,
      type: input.type,
      at: clock.now(),
      ...actorFields(actor),
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
      requestId: actor.requestId,
      beforeStatus: input.beforeStatus ?? null,
      afterStatus: input.afterStatus ?? null,
      data: JSON.parse(canonical(input.data ?? {})) as Record<string, unknown>,
      prevHash: prev?.hash ?? null,
    };
    const row = { ...base, hash: eventHash(base) };
    out.push(row);
    prev = row;
  }
  return out;
}

export interface ChainVerification {
  valid: boolean;
  count: number;
  /** The first event whose hash, link or position does not match. */
  brokenAtSeq: number | null;
  reason: string | null;
}

/** Recomputes a subject's chain: detects altered content, removed or reordered events. */
export async function verifyEventChain(
  db: Executor,
  subjectType: string,
  subjectId: string,
  expectedHead?: string | null,
): Promise<ChainVerification> {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.subjectType, subjectType), eq(events.subjectId, subjectId)))
    .orderBy(asc(events.seq));
  return verifyChain(rows, expectedHead);
}

/** Pure: checks the rows of one chain, oldest first, against their hashes, links and the expected head. */
export function verifyChain(rows: EventRow[], expectedHead?: string | null): ChainVerification {
  let prev: string | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.seq !== i + 1) return { valid: false, count: rows.length, brokenAtSeq: row.seq, reason: 'missing event' };
    if (row.prevHash !== prev) return { valid: false, count: rows.length, brokenAtSeq: row.seq, reason: 'broken link' };
    if (eventHash(row) !== row.hash) {
      return { valid: false, count: rows.length, brokenAtSeq: row.seq, reason: 'content altered' };
    }
    prev = row.hash;
  }
  if (expectedHead !== undefined && expectedHead !== prev) {
    return { valid: false, count: rows.length, brokenAtSeq: rows.length + 1, reason: 'newest events missing' };
  }
  return { valid: true, count: rows.length, brokenAtSeq: null, reason: null };
}
