import { z } from 'zod';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { appendRoomMessage, participantStanding, type MessageRow } from './session-access';

const schema = z.object({ sessionId: z.string().uuid(), present: z.boolean() });

/** A participant enters or leaves the live room; stored like any message, so attendance is on record. */
export async function updatePresence(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<MessageRow> {
  const data = parseInput(schema, input);
  const s = await participantStanding(deps, actor, data.sessionId);
  if (s.session.status !== 'SCHEDULED') throw new InvalidTransitionError(s.session.status, 'UPDATE_PRESENCE');
  return deps.db.transaction((tx) =>
    appendRoomMessage(tx, deps.clock, s.session.id, {
      kind: 'PRESENCE',
      body: data.present ? 'JOINED' : 'LEFT',
      data: { present: data.present, userId: s.viewer.userId },
      author: s.viewer,
      authorRole: s.role,
    }),
  );
}
