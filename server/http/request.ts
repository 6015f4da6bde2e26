import type { Request } from 'express';
import type { UserRow } from '../domain/auth/users';
import type { Actor, Viewer } from '../domain/context';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    viewer: Viewer | null;
    /** The logged-in user's account row, read with the login. */
    viewerUser: UserRow | null;
    tokenRejected: boolean;
  }
}

/** Who is acting and from where, for a request that passed the authentication middleware. */
export function actorOf(req: Request): Actor {
  return {
    viewer: req.viewer,
    ip: req.ip ?? null,
    userAgent: req.headers['user-agent'] ?? null,
    requestId: req.requestId,
  };
}
