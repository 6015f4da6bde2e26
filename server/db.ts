import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, sql as dsql, type ExtractTablesWithRelations, type SQL, type Table } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from '../schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Embedded only: the raw PGlite instance (used to dump test templates). */
  pglite?: PGlite;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../schema/migrations', import.meta.url));

type PgClient = ReturnType<typeof postgres>;

/**
 * drizzle sends every query unprepared, so PostgreSQL parses and plans each one again. Its query
 * texts are fixed per shape (values are parameters), so they are safe to prepare once per
 * connection: this makes postgres.js do so, for the client and for every transaction it opens.
 */
function preparedStatements<T extends PgClient>(sql: T): T {
  const unsafe = sql.unsafe.bind(sql);
  sql.unsafe = ((query: string, params?: unknown[], options?: Record<string, unknown>) =>
    unsafe(query, params as never, { ...options, prepare: true })) as T['unsafe'];
  const begin = sql.begin?.bind(sql);
  if (begin) {
    sql.begin = ((...args: unknown[]) => {
      const fn = args[args.length - 1] as (tx: PgClient) => unknown;
      return (begin as (...a: unknown[]) => unknown)(...args.slice(0, -1), (tx: PgClient) => fn(preparedStatements(tx)));
    }) as T['begin'];
  }
  const savepoint = (sql as unknown as { savepoint?: (...a: unknown[]) => unknown }).savepoint?.bind(sql);
  if (savepoint) {
    (sql as unknown as { savepoint: (...a: unknown[]) => unknown }).savepoint = (...args: unknown[]) => {
      const fn = args[args.length - 1] as (tx: PgClient) => unknown;
      return savepoint(...args.slice(0, -1), (tx: PgClient) => fn(preparedStatements(tx)));
    };
  }
  return sql;
}

/** postgres.js and server codes for a connection the database (or the network) cut under a query. */
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  /** admin_shutdown: pg_terminate_backend, a fast shutdown, a failover */
  '57P01',
  /** crash_shutdown */
  '57P02',
]);

const RETRY_PAUSE_MS = 50;
/**
 * One reset is answered by one retry; postgres.js reports a terminated connection twice (its pipelined
 * queries see CONNECTION_CLOSED, then the server's 57P01 arrives on the query sent next), hence two.
 */
const RESET_RETRIES = 2;

/** Whether an error means the connection was reset, not that the query itself failed. */
export function connectionWasReset(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RESET_CODES.has(code);
}

/** A statement that only reads: safe to send again when its connection was reset under it. */
export function isIdempotentRead(query: string): boolean {
  // The same few hundred texts come back for every request (built once, or prepared): each is read once.
  let read = readsByText.get(query);
  if (read === undefined) {
    // A `with` query reads when none of its parts writes (a filing's prior-case count is one).
    const selects = /^\s*select\b/i.test(query) || (/^\s*with\b/i.test(query) && !/\b(insert\s+into|update|delete\s+from|merge\s+into)\b/i.test(query));
    read = selects && !/\bfor\s+(update|no\s+key\s+update|share|key\s+share)\b/i.test(query) && !/\b(nextval|setval|pg_advisory_lock|pg_advisory_xact_lock)\s*\(/i.test(query);
    // A text that carries its values (written without placeholders) is not kept: a bound keeps them few.
    if (readsByText.size >= 2000) readsByText.clear();
    readsByText.set(query, read);
  }
  return read;
}
const readsByText = new Map<string, boolean>();

/**
 * Retries once, on a fresh connection, a read outside any transaction whose connection the database
 * reset (a terminated backend, a restart): without it one reset gives a false 503 on /readyz and
 * failed requests that would have succeeded a moment later. Writes and anything inside a
 * transaction are never sent twice: the caller learns that they failed.
 */
function retryResetReads<T extends PgClient>(sql: T, onRetry: (err: unknown) => void): T {
  const unsafe = sql.unsafe.bind(sql);
  sql.unsafe = ((query: string, params?: unknown[], options?: Record<string, unknown>) => {
    if (!isIdempotentRead(query)) return unsafe(query, params as never, options);
    const run = (mode: 'rows' | 'values'): Promise<unknown> => {
      // The query itself is the promise (a postgres.js query starts when first awaited): the retry
      // hangs on it directly, one derived promise an attempt, as a plain await of it would make.
      const attempt = (): Promise<unknown> => {
        const q = unsafe(query, params as never, options);
        return (mode === 'values' ? q.values() : q) as Promise<unknown>;
      };
      const retry = async (err: unknown, left: number): Promise<unknown> => {
        if (!connectionWasReset(err) || left === 0) throw err;
        onRetry(err);
        // A reset rarely comes alone (a terminated server, a restart): a short pause lets the pool
        // see its other dead connections close, so the retry gets a fresh one.
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
        return attempt().then(undefined, (again: unknown) => retry(again, left - 1));
      };
      return attempt().then(undefined, (err: unknown) => retry(err, RESET_RETRIES));
    };
    // drizzle awaits the query or asks for `.values()`; the query runs only then, once per attempt.
    return {
      then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => run('rows').then(ok, fail),
      catch: (fail?: (e: unknown) => unknown) => run('rows').catch(fail),
      values: () => run('values'),
    };
  }) as unknown as T['unsafe'];
  return sql;
}

/**
 * Settings the embedded database starts with, beside PGlite's own. Its postgresql.conf sizes the
 * shared buffers at 128 MB, which the WebAssembly heap allocates and clears at every open: about half
 * a second and 140 MB of RSS on the project's 2-core machines (open 1.1-1.2 s, 310 MB; with 16 MB,
 * 0.6-0.7 s, 168 MB). The demo and test databases are a few tens of MB, read from the operating
 * system's cache past the buffers.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];

/** Arbitrary constant identifying the migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 7_302_615_001;

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Embedded data folder, or "memory://". */
  dataDir?: string;
  /** Embedded only: start from a dumped data directory (test templates). */
  loadDataDir?: Blob | File;
  maxConnections?: number;
  /** Called with each SQL statement and the values it is sent with (tests count statements per page). */
  onQuery?: (query: string, params: unknown[]) => void;
  /** PostgreSQL only: names the connections in pg_stat_activity. */
  applicationName?: string;
  /** PostgreSQL only: queries sent ahead on one connection before its answers (postgres.js, default 100). */
  maxPipeline?: number;
  /** PostgreSQL only: told of each read sent again after a connection reset. */
  onReadRetried?: (err: unknown) => void;
}

/** Opens the embedded database or PostgreSQL behind one drizzle API. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const client = retryResetReads(
      preparedStatements(
        postgres(opts.databaseUrl, {
          max: opts.maxConnections ?? 10,
          ...(opts.maxPipeline ? { max_pipeline: opts.maxPipeline } : {}),
          onnotice: () => {},
          connection: { application_name: opts.applicationName ?? 'jiefen' },
        }),
      ),
      opts.onReadRetried ?? (() => {}),
    );
    const logger = opts.onQuery ? { logQuery: (q: string, params: unknown[]) => opts.onQuery!(q, params) } : undefined;
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      async migrate() {
        // A single-connection client holds the advisory lock for the whole run, so two instances
        // starting together cannot apply the same migration twice.
        const single = postgres(opts.databaseUrl!, { max: 1, onnotice: () => {} });
        try {
          await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
          await migratePostgres(drizzlePostgres({ client: single, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
          await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      async close() {
        await client.end({ timeout: 5 });
      },
    };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, {
    loadDataDir: opts.loadDataDir,
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  const logger = opts.onQuery ? { logQuery: (q: string, params: unknown[]) => opts.onQuery!(q, params) } : undefined;
  const db = drizzlePglite({ client: pglite, schema, logger }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    pglite,
    async migrate() {
      if (await holdsEveryMigration(pglite)) return;
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async close() {
      await pglite.close();
    },
  };
}

/**
 * Whether an embedded database already holds the newest migration: drizzle's migrator applies each
 * migration whose folder time is after the newest one recorded, so when the newest recorded is the
 * journal's last there is nothing to apply. A restart then skips reading and hashing every migration
 * file and the migrator's own statements. A database without the record answers no.
 */
export async function holdsEveryMigration(pglite: PGlite): Promise<boolean> {
  try {
    const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] };
    // The migrator applies every entry newer than the newest record, in whatever order the journal lists them.
    const newest = Math.max(...journal.entries.map((e) => e.when));
    if (!Number.isFinite(newest)) return false;
    const { rows } = await pglite.query<{ created_at: string | number }>('select created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1');
    return rows[0] !== undefined && Number(rows[0].created_at) >= newest;
  } catch {
    // No journal, no record table: the migrator runs and says what is wrong.
    return false;
  }
}

/** Runs raw SQL and returns its rows on either driver (their result shapes differ). */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A row as `queryRows` answers it (keyed by column name, values as the driver gives them) read
 * into the table's row type, each value through its column's own mapping (timestamps to dates…),
 * as drizzle reads a `returning` row.
 */
export function rowOf<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** Checks that the database answers (for /readyz). */
export async function ping(db: Database): Promise<void> {
  await queryRows(db, dsql`select 1 as ok`);
}
