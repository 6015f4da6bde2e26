import { sql, type SQL } from 'drizzle-orm';
import { outbox } from '../../../schema';
import type { Executor } from '../../db';
import type { Clock } from '../context';

export interface OutboxMessage {
  kind: 'NOTIFICATION' | 'ALERT' | 'WEBHOOK';
  topic: string;
  recipient: string;
  payload: Record<string, unknown>;
  caseId?: string | null;
  /** Not delivered before this instant (e.g. a reminder ahead of a session); default now. */
  availableAt?: Date;
}

/** Writes messages in the caller's transaction; nothing leaves the process before commit. */
export async function enqueue(tx: Executor, clock: Clock, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const now = clock.now();
  await tx.insert(outbox).values(
    messages.map((m) => ({
      kind: m.kind,
      topic: m.topic,
      recipient: m.recipient,
      payload: m.payload,
      caseId: m.caseId ?? null,
      availableAt: m.availableAt ?? now,
      createdAt: now,
    })),
  );
}

/**
 * Messages written by another statement (a `with` query), for a write whose messages carry a value
 * the same statement makes: `messagesInsert(value)` is the insert, whose text is the same for any
 * messages, and `messageRows` the values of its placeholders (`standIn` is the text in each payload
 * that `value`, a new case's number say, replaces, written as JSON writes it). No messages insert
 * nothing.
 */
export function messagesInsert(value: SQL): SQL {
  return sql`insert into ${outbox} (kind, topic, recipient, payload, case_id, available_at, created_at)
    select m.kind, m.topic, m.recipient, replace(m.payload::text, ${sql.placeholder('standIn')}::text, btrim(to_jsonb(${value}::text)::text, '"'))::jsonb, m.case_id, m.available_at, ${sql.placeholder('now')}::timestamptz
    from jsonb_to_recordset(${sql.placeholder('messages')}::text::jsonb) as m(kind text, topic text, recipient text, payload jsonb, case_id uuid, available_at timestamptz)`;
}

/** The values of `messagesInsert`'s placeholders. */
export function messageRows(messages: OutboxMessage[], now: Date, standIn: string): { messages: string; now: string; standIn: string } {
  const rows = messages.map((m) => ({
    kind: m.kind,
    topic: m.topic,
    recipient: m.recipient,
    payload: m.payload,
    case_id: m.caseId ?? null,
    available_at: (m.availableAt ?? now).toISOString(),
  }));
  return { messages: JSON.stringify(rows), now: now.toISOString(), standIn };
}
