import { z } from 'zod';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { appendRoomMessage, participantStanding, requireMediating, type MessageRow } from './session-access';

const schema = z.object({
  sessionId: z.string().uuid(),
  kind: z.enum(['CHAT', 'PROPOSAL']).default('CHAT'),
  body: z.string().trim().min(1).max(5000),
});

/** A participant says something in the live room (chat or a settlement proposal); stored before it is published. */
export async function postSessionMessage(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<MessageRow> {
  const data = parseInput(schema, input);
  const s = await participantStanding(deps, actor, data.sessionId);
  requireMediating(s.current, 'POST_SESSION_MESSAGE');
  if (s.session.status !== 'SCHEDULED') throw new InvalidTransitionError(s.session.status, 'POST_SESSION_MESSAGE');
  return deps.db.transaction((tx) =>
    appendRoomMessage(tx, deps.clock, s.session.id, {
      kind: data.kind,
      body: data.body,
      data: s.role === 'PARTY' ? { partyIds: s.mySessionParties.map((p) => p.id) } : {},
      author: s.viewer,
      authorRole: s.role,
    }),
  );
}
