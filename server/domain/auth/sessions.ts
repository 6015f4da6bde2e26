import DataLoader from 'dataloader';
import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { apiClients, mediators, organizations, sessions, users } from '../../../schema';
import type { Database, Executor } from '../../db';
import type { Actor, Clock, Deps, Viewer } from '../context';
import { randomToken, sha256Hex } from './crypto';
import type { UserRow } from './users';

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

/** A login's viewer, with the account row read together with it (for `me`, without a second read). */
export type AuthResult = { viewer: Viewer; user?: UserRow } | { viewer: null; rejected: boolean };

/**
 * The login lookup every request makes, built once per database: the statement text and its column
 * mapping are kept, only the token's hash and the time are sent each time.
 */
function prepareLoginLookup(db: Database) {
  return db
    .select({ session: { id: sessions.id, lastUsedAt: sessions.lastUsedAt }, user: users, mediatorId: mediators.id, organizationRegionCode: organizations.regionCode })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // At most one each: mediators.user_id is unique, organizations.id the key.
    .leftJoin(mediators, eq(mediators.userId, users.id))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('login_lookup');
}
const loginLookups = new WeakMap<Database, ReturnType<typeof prepareLoginLookup>>();

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
  let lookup = loginLookups.get(deps.db);
  if (!lookup) {
    lookup = prepareLoginLookup(deps.db);
    loginLookups.set(deps.db, lookup);
  }
  // The time as text: a placeholder is sent as given, without the column's own conversion.
  const [row] = await lookup.execute({ hash, now: now.toISOString() });
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
      mediatorId: row.mediatorId,
      organizationRegionCode: row.organizationRegionCode,
      address: row.user.address,
    },
    user: row.user,
  };
}

/**
 * Whether a login session still stands: not revoked (logout, password change or reset) and not
 * expired. The checks that arrive within one turn of the event loop (a live room's message reaching
 * every subscriber at once) are answered together, at most 1,000 a statement; a failed statement is
 * tried again once, then counts as not live, so nothing is delivered unchecked.
 */
const liveLoaders = new WeakMap<object, DataLoader<string, boolean>>();
export function sessionIsLive(deps: Pick<Deps, 'db' | 'clock'>, sessionId: string): Promise<boolean> {
  let loader = liveLoaders.get(deps.db);
  if (!loader) {
    loader = new DataLoader<string, boolean>(
      async (ids) => {
        const read = () =>
          deps.db
            .select({ id: sessions.id })
            .from(sessions)
            .where(and(inArray(sessions.id, [...ids]), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now())));
        const live = new Set((await read().catch(read).catch(() => [])).map((r) => r.id));
        return ids.map((id) => live.has(id));
      },
      { cache: false, maxBatchSize: 1000, batchScheduleFn: (run) => setImmediate(run) },
    );
    liveLoaders.set(deps.db, loader);
  }
  return loader.load(sessionId);
}
