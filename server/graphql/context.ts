import type { UserRow } from '../domain/auth/users';
import type { Actor, Deps, Viewer } from '../domain/context';

/** Per-request GraphQL context: the deps, who is asking, and per-request loaders. */
export interface GraphQLContext {
  deps: Deps;
  viewer: Viewer | null;
  /** The logged-in user's account row, read with the login in this request (`me` needs no second read). */
  viewerUser?: UserRow | null;
  /** A bearer token was sent but is unknown, expired or revoked. */
  tokenRejected: boolean;
  actor: Actor;
  requestId: string;
  /** The operation the request runs, once it is known (set as execution starts, `app.ts`). */
  operation?: 'query' | 'mutation' | 'subscription';
}
