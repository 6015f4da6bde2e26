import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import type { Config } from '../config';
import type { MessageRow } from '../domain/sessions/session-access';

/** A room message as it travels between instances: plain JSON, the instant as an ISO string. */
export interface RoomEvent {
  id: string;
  sessionId: string;
  seq: number;
  kind: string;
  body: string;
  data: Record<string, unknown>;
  authorUserId: string | null;
  authorName: string | null;
  authorRole: string | null;
  createdAt: string;
}

/** A user's login sessions were revoked (logout, password change or reset): live streams re-check theirs. */
export interface SessionsRevokedEvent {
  userId: string;
}

type Topics = {
  sessionRoom: [sessionId: string, event: RoomEvent];
  sessionsRevoked: [userId: string, event: SessionsRevokedEvent];
};
export type RoomPubSub = PubSub<Topics>;

// ioredis loads only when Redis is configured, not at start.
const load = createRequire(import.meta.url);

/** A Redis client (ioredis). */
export function newRedis(url: string, options: RedisOptions = {}): Redis {
  const { Redis: Client } = load('ioredis') as typeof import('ioredis');
  return new Client(url, options);
}

/** A new pub/sub: in process without Redis; through Redis, so events cross instances, with it. */
export function createRoomPubSub(redisUrl: string | undefined): { pubsub: RoomPubSub; close(): Promise<void> } {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  const publishClient = newRedis(redisUrl);
  const subscribeClient = newRedis(redisUrl);
  return {
    pubsub: createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }),
    close: async () => {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/** One pub/sub per process and Redis URL, created on first use and kept for the process's life. */
const pubsubs = new Map<string, RoomPubSub>();

export function roomPubSub(config: Pick<Config, 'redisUrl'>): RoomPubSub {
  const key = config.redisUrl ?? 'memory';
  let ps = pubsubs.get(key);
  if (!ps) {
    ps = createRoomPubSub(config.redisUrl).pubsub;
    pubsubs.set(key, ps);
  }
  return ps;
}

export function toRoomEvent(row: MessageRow): RoomEvent {
  return {
    id: row.id,
    sessionId: row.sessionId,
    seq: row.seq,
    kind: row.kind,
    body: row.body,
    data: row.data,
    authorUserId: row.authorUserId,
    authorName: row.authorName,
    authorRole: row.authorRole,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Publishes a stored (committed) message to the session's live subscribers. */
export function publishRoomMessage(config: Pick<Config, 'redisUrl'>, row: MessageRow): void {
  roomPubSub(config).publish('sessionRoom', row.sessionId, toRoomEvent(row));
}

/**
 * Tells every instance's live streams of `userId` that some of the user's sessions were revoked
 * (after commit); each stream then checks its own session and closes if it no longer stands.
 */
export function publishSessionsRevoked(config: Pick<Config, 'redisUrl'>, userId: string): void {
  roomPubSub(config).publish('sessionsRevoked', userId, { userId });
}
