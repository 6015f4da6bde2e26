import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import postgres from 'postgres';
import request from 'supertest';
import { inject } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { openDatabase, type DatabaseHandle } from '../../server/db';
import { systemClock, type Clock, type Deps } from '../../server/domain/context';
import { loadReferenceData } from '../../server/domain/regions/load-reference-data';
import type { Express } from 'express';
import { loadCalendar } from '../../server/domain/clock/calendar';
import { refreshCalendar } from '../../server/domain/clock/calendar-store';
import { createMemorySender, type MemorySender } from '../../server/domain/notify/sender';
import { createMemoryStorage } from '../../server/storage/storage';
import type { IdentityService } from '../../server/domain/identity/identity-service';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  /** Milliseconds each read moves the clock on (`ticking`): 0, a still clock, unless a test asks. */
  private step = 0;
  constructor(private current = new Date('2026-11-23T02:00:00Z')) {}
  now(): Date {
    const at = new Date(this.current);
    if (this.step) this.current = new Date(this.current.getTime() + this.step);
    return at;
  }
  /** Each read 1 ms after the one before, as a real clock: for code that reads the time twice and must not rely on one instant. */
  ticking(on: boolean): void {
    this.step = on ? 1 : 0;
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface GqlResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  data: T;
}

export interface TestContext {
  deps: Deps;
  app: Express;
  clock: TestClock;
  notifier: MemorySender;
  /** Every SQL statement this context ran, in order (clear it before measuring). */
  queries: string[];
  handle: DatabaseHandle;
  kind: 'pglite' | 'postgres';
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/**
 * Host names as tests see them, without asking DNS (the test machines have no outside network):
 * the reserved example domains stand for a court's public endpoint; anything else does not resolve.
 */
export async function testResolver(host: string): Promise<string[]> {
  if (host === 'localhost') return ['127.0.0.1'];
  if (/(^|\.)example\.(cn|com|org)$/.test(host)) return ['93.184.215.14'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
}

/**
 * For tests that race many requests at the database: twenty connections, as many as the racing
 * requests can use at once on PostgreSQL. With the default pool of 4, at most four transactions
 * would overlap and most losers would only meet state already committed.
 */
export const RACING_POOL = { DATABASE_POOL_SIZE: '20' };

export function testConfig(overrides: Record<string, string> = {}): Config {
  // Every test registers through one loopback address: the per-address code limit is tested on its own.
  return loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent', SMS_CODES_PER_ADDRESS_PER_HOUR: '1000000', ...overrides });
}

/** Opens the run's test database (shared PostgreSQL database or a restored PGlite copy) and an app on it. */
/**
 * The identity service stands in for the outside world like the SMS sender: it confirms every
 * name and ID number, so a party registered with an ID number is verified (实名) as the drafting
 * rule requires. Pass `identityService: null` to use the configured one (IDENTITY_SERVICE).
 */
export const confirmingIdentityService: IdentityService = { name: 'test-confirms-all', check: async () => ({ passed: true, detail: null }) };

export async function createTestContext(opts: { config?: Record<string, string>; identityService?: IdentityService | null; ownDatabase?: boolean } = {}): Promise<TestContext> {
  const shared = inject('databaseUrl');
  const dump = inject('pgliteDump');
  // On PostgreSQL the run's database is shared by every file; a file that needs an empty database
  // (the demo seed runs only without organisations) gets one of its own, migrated like the shared one.
  const own = shared && opts.ownDatabase ? await createOwnDatabase(shared) : null;
  const databaseUrl = own?.url ?? shared;
  const queries: string[] = [];
  const onQuery = (q: string) => {
    queries.push(q);
  };
  const config = testConfig(opts.config);
  // The pool a started server has (DATABASE_POOL_SIZE), so the tests' concurrency meets the same limit.
  const handle = databaseUrl
    ? await openDatabase({ databaseUrl, maxConnections: config.databasePoolSize, onQuery })
    : await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(dump!)]), onQuery });
  const clock = new TestClock();
  const notifier = createMemorySender();
  const calendar = loadCalendar();
  await refreshCalendar(handle.db, calendar);
  const deps: Deps = {
    db: handle.db,
    clock,
    config,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    notifier,
    calendar,
    storage: createMemoryStorage(clock),
    resolveHost: testResolver,
    ...(opts.identityService === null ? {} : { identityService: opts.identityService ?? confirmingIdentityService }),
  };
  const { app, close } = createApp(deps);
  return {
    deps,
    app,
    clock,
    notifier,
    queries,
    handle,
    kind: handle.kind,
    async gql(query, variables, token) {
      const req = request(app).post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${token}`);
      const res = await req.send({ query, variables });
      return { status: res.status, body: res.body, data: res.body.data };
    },
    async close() {
      await close();
      await handle.close();
      await own?.drop();
    },
  };
}

async function createOwnDatabase(sharedUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `jiefen_own_${randomBytes(4).toString('hex')}`;
  const admin = postgres(sharedUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(sharedUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
  await handle.migrate();
  await loadReferenceData(handle.db, systemClock);
  await handle.close();
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export { freePort } from './free-port';

/** A unique mainland mobile number, so parallel test files never collide. */
export function uniquePhone(): string {
  return `19${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

/** A valid resident ID number (GB 11643) for a given region and birth date, unique per call. */
export function makeIdNumber(region = '532924', birth?: string): string {
  // A random birth date between 1950 and 1999 as well as a random sequence: parallel files
  // register thousands of people into one shared database, and ID numbers must be unique.
  const day = new Date(Date.UTC(1950, 0, 1) + randomInt(0, 50 * 365) * 86_400_000);
  const born = birth ?? day.toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${region}${born}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}
