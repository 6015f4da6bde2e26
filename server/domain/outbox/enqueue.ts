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
