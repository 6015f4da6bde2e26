import type { IdentityService } from './identity/identity-service';
import type { Resolver } from './outbox/webhook-url-policy';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db';
import type { UserRole } from './enums';
import type { NotificationSender } from './notify/sender';
import type { HolidayCalendar } from './clock/calendar';
import type { FileStorage } from '../storage/storage';

/** The source of time; injected so that deadlines can be tested by moving it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything a domain command needs from the outside world. */
export interface Deps {
  db: Database;
  clock: Clock;
  config: Config;
  log: Logger;
  notifier: NotificationSender;
  calendar: HolidayCalendar;
  storage: FileStorage;
  /** 实名: checks a name against an ID number; from the configuration when absent (tests pass a fake). */
  identityService?: IdentityService;
  /** Host-name resolution for webhook targets; the system's DNS when absent (tests pass a table). */
  resolveHost?: Resolver;
}

export type Viewer =
  | {
      kind: 'user';
      userId: string;
      role: UserRole;
      organizationId: string | null;
      phone: string;
      /** The phone, only once its owner proved it with a code; only this is matched to case parties. */
      verifiedPhone: string | null;
      name: string;
      sessionId: string;
      /**
       * Read with the login, so a request does not read them again: the viewer's own mediator row
       * (null if they have none), their organisation's region and their address. Absent (undefined) on a viewer
       * built without them; the rules then read them. They belong with this userId and
       * organizationId: a viewer copied with another identity or organisation must drop them.
       */
      mediatorId?: string | null;
      organizationRegionCode?: string | null;
      /** The address on the viewer's account, read with the login (a filing without one uses it). */
      address?: string | null;
    }
  | {
      kind: 'apiClient';
      clientId: string;
      /** The court this client acts for, and nothing else. */
      organizationId: string;
      name: string;
      rateLimitPerMinute: number;
    };

/** Who is acting and from where: written onto every audit event. */
export interface Actor {
  viewer: Viewer | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type UserViewer = Extract<Viewer, { kind: 'user' }>;
export type ApiClientViewer = Extract<Viewer, { kind: 'apiClient' }>;
