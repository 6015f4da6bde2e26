import { and, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import { apiClients, sessions, users } from '../../../schema';
import type { Executor } from '../../db';
import type { Actor, Clock, Deps, Viewer } from '../context';
import { randomToken, sha256Hex } from './crypto';

export const SESSION_TOKEN_PREFIX = 'jfs_';
export const API_CLIENT_SECRET_PREFIX = 'jfc_';

/** Last-used times are written at most this often, so reads do not each become a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** Creates a session row and returns the bearer token (only its hash is stored). */
export async function createSession(
  db: Executor,
  clock: Clock,
  ttlMs: number,
  userId: string,
  actor: Actor,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(SESSION_TOKEN_PREFIX);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.insert(sessions).values({
    userId,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}

export type AuthResult = { viewer: Viewer } | { viewer: null; rejected: boolean };

/** Resolves a bearer token to the viewer it stands for; unknown, expired or revoked tokens are rejected. */
export async function authenticate(deps: Deps, token: string | null): Promise<AuthResult> {
  if (!token) return { viewer: null, rejected: false };
  const now = deps.clock.now();
  const hash = sha256Hex(token);
  if (token.startsWith(API_CLIENT_SECRET_PREFIX)) {
    const [client] = await deps.db
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.secretHash, hash), isNull(apiClients.revokedAt)))
      .limit(1);
    if (!client) return { viewer: null, rejected: true };
    if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await deps.db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.id, client.id));
    }
    return {
      viewer: {
        kind: 'apiClient',
        clientId: client.id,
        organizationId: client.organizationId,
        name: client.name,
        rateLimitPerMinute: client.rateLimitPerMinute,
      },
    };
  }
  const [row] = await deps.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return { viewer: null, rejected: true };
  if (!row.session.lastUsedAt || now.getTime() - row.session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await deps.db
      .update(sessions)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(sessions.id, row.session.id),
          or(isNull(sessions.lastUsedAt), lt(sessions.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS))),
        ),
      );
  }
  return {
    viewer: {
      kind: 'user',
      userId: row.user.id,
      role: row.user.role,
      organizationId: row.user.organizationId,
      phone: row.user.phone,
      verifiedPhone: row.user.phoneVerifiedAt ? row.user.phone : null,
      name: row.user.name,
      sessionId: row.session.id,
    },
  };
}

/** Whether a login session still stands: not revoked (logout, password change or reset) and not expired. */
export async function sessionIsLive(deps: Pick<Deps, 'db' | 'clock'>, sessionId: string): Promise<boolean> {
  const [row] = await deps.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now())))
    .limit(1);
  return row !== undefined;
}

/**
 * Whether each of many logins still stands, asked together: the checks that arrive within one turn
 * of the event loop (a live room's message reaching every subscriber at once) are answered by one
 * statement rather than one each.
 */
const liveBatches = new WeakMap<object, { ids: Map<string, ((live: boolean) => void)[]>; scheduled: boolean }>();
export function sessionIsLiveBatched(deps: Pick<Deps, 'db' | 'clock'>, sessionId: string): Promise<boolean> {
  let batch = liveBatches.get(deps.db);
  if (!batch) liveBatches.set(deps.db, (batch = { ids: new Map(), scheduled: false }));
  const pending = batch;
  return new Promise<boolean>((resolve) => {
    pending.ids.set(sessionId, [...(pending.ids.get(sessionId) ?? []), resolve]);
    if (pending.scheduled) return;
    pending.scheduled = true;
    setImmediate(() => {
      const waiting = new Map(pending.ids);
      pending.ids.clear();
      pending.scheduled = false;
      const settle = (live: Set<string>) => {
        for (const [id, resolvers] of waiting) for (const r of resolvers) r(live.has(id));
      };
      const ids = [...waiting.keys()];
      const now = deps.clock.now();
      const live = async (chunk: string[]) =>
        (await deps.db.select({ id: sessions.id }).from(sessions).where(and(inArray(sessions.id, chunk), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))).map((r) => r.id);
      // At most 1,000 ids a statement; a failed statement is tried again once before the streams it
      // checks are ended (a failed check counts as not live: nothing is delivered unchecked).
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += 1000) chunks.push(ids.slice(i, i + 1000));
      void Promise.all(chunks.map((chunk) => live(chunk).catch(() => live(chunk)).catch((): string[] => [])))
        .then((found) => settle(new Set(found.flat())));
    });
  });
}
