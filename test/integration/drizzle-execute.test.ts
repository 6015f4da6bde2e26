import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DrizzleQueryError, NoopLogger, eq, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type DatabaseHandle } from '../../server/db';
import { EXECUTE } from '../../server/patch-drizzle.mjs';

// A prepared statement's `execute` on PostgreSQL, as the install step leaves it
// (server/patch-drizzle.mjs): the driver's answer mapped in one chained step, with drizzle's own
// results and failures.

const DB_URL = process.env.DATABASE_URL;

describe('the install step', () => {
  it('changed both module files of drizzle-orm’s postgres-js driver', () => {
    for (const [file, { after, importAfter }] of Object.entries(EXECUTE)) {
      const installed = readFileSync(new URL(`../../node_modules/drizzle-orm/${file}`, import.meta.url), 'utf8');
      expect(installed.includes(after), file).toBe(true);
      expect(installed.includes(importAfter), file).toBe(true);
    }
    // And the driver the server loads runs it: a plain method, with drizzle's own kept beside it.
    expect(PostgresJsPreparedQuery.prototype.execute.constructor.name).toBe('Function');
    expect((PostgresJsPreparedQuery.prototype as unknown as Record<string, unknown>).executeThroughCache).toBeTypeOf('function');
  });
});

describe('a statement whose driver call throws', () => {
  it('rejects a driver call that throws at once, wrapped as a failed statement', async () => {
    const boom = new Error('connection object unusable');
    const client = {
      unsafe: () => {
        throw boom;
      },
    };
    // Without fields and with them (the driver's answer then mapped): each call gives a rejection, never a throw.
    for (const fields of [undefined, []]) {
      const query = new PostgresJsPreparedQuery(client as never, 'select 1', [], new NoopLogger(), undefined as never, undefined, undefined, fields as never, false, true);
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = query.execute();
      }).not.toThrow();
      const err = await pending!.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DrizzleQueryError);
      expect((err as DrizzleQueryError).cause).toBe(boom);
    }
  });
});

describe.runIf(Boolean(DB_URL))('a statement run through drizzle on PostgreSQL', () => {
  const name = `drizzle_execute_${randomBytes(4).toString('hex')}`;
  const table = pgTable(name, {
    id: integer('id').primaryKey(),
    label: text('label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    data: jsonb('data').$type<{ n: number }>(),
  });
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ databaseUrl: DB_URL!, maxConnections: 2 });
    await handle.db.execute(sql.raw(`create table "${name}" (id integer primary key, label text not null, at timestamptz not null, data jsonb)`));
    await handle.db.insert(table).values([
      { id: 1, label: '调解', at: new Date('2026-12-31T16:00:00Z'), data: { n: 1 } },
      { id: 2, label: '确认', at: new Date('2027-01-01T00:00:00Z'), data: null },
    ]);
  });
  afterAll(async () => {
    await handle?.db.execute(sql.raw(`drop table if exists "${name}"`));
    await handle?.close();
  });

  it('answers a promise of mapped rows, for a prepared statement and a built one', async () => {
    const prepared = handle.db.select().from(table).where(eq(table.id, sql.placeholder('id'))).prepare(`${name}_by_id`);
    const pending = prepared.execute({ id: 1 });
    expect(pending).toBeInstanceOf(Promise);
    const [row] = await pending;
    expect(row).toEqual({ id: 1, label: '调解', at: new Date('2026-12-31T16:00:00Z'), data: { n: 1 } });
    expect(row!.at).toBeInstanceOf(Date);
    expect(await prepared.execute({ id: 3 })).toEqual([]);
    const built = await handle.db.select({ id: table.id, data: table.data }).from(table).orderBy(table.id);
    expect(built).toEqual([
      { id: 1, data: { n: 1 } },
      { id: 2, data: null },
    ]);
  });

  it('answers rows keyed by column for a statement without fields', async () => {
    const rows = await queryRows<{ id: number; label: string }>(handle.db, sql`select id, label from ${table} order by id`);
    expect(rows).toEqual([
      { id: 1, label: '调解' },
      { id: 2, label: '确认' },
    ]);
  });

  it('wraps a failed statement in DrizzleQueryError with the driver’s error as its cause, as a rejection', async () => {
    /** The rejection of a statement (a builder is lazy: what it throws arrives as a rejection too; see the stub below for `execute` itself). */
    const failure = async (run: () => PromiseLike<unknown>): Promise<DrizzleQueryError> => {
      const err = await Promise.resolve(run()).then(
        () => new Error('the statement succeeded'),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DrizzleQueryError);
      return err as DrizzleQueryError;
    };
    const code = (err: DrizzleQueryError) => (err.cause as { code?: string } | undefined)?.code;
    // Without fields (raw SQL), and with fields (a select, an insert's returning), outside a transaction and inside one.
    const byZero = await failure(() => handle.db.execute(sql`select 1 / ${0}::int`));
    expect([code(byZero), byZero.query]).toEqual(['22012', 'select 1 / $1::int']);
    const selected = await failure(() => handle.db.select({ n: sql<number>`1 / ${0}::int` }).from(table));
    expect(code(selected)).toBe('22012');
    const duplicate = await failure(() => handle.db.insert(table).values({ id: 1, label: '重复', at: new Date() }).returning({ id: table.id }));
    expect([code(duplicate), duplicate.query.startsWith('insert into')]).toEqual(['23505', true]);
    const inside = await failure(() => handle.db.transaction(async (tx) => tx.select({ n: sql<number>`1 / ${0}::int` }).from(table)));
    expect(code(inside)).toBe('22012');
  });

  it('rejects a missing placeholder value instead of throwing', async () => {
    const prepared = handle.db.select().from(table).where(eq(table.id, sql.placeholder('id'))).prepare(`${name}_missing`);
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = prepared.execute({});
    }).not.toThrow();
    await expect(pending).rejects.toThrow(/id/);
  });

  it('runs inside a transaction, and a failure there rolls the transaction back', async () => {
    const read = await handle.db.transaction(async (tx) => tx.select({ label: table.label }).from(table).where(eq(table.id, 2)));
    expect(read).toEqual([{ label: '确认' }]);
    const failed = await handle.db
      .transaction(async (tx) => {
        await tx.update(table).set({ label: '已改' }).where(eq(table.id, 2));
        await tx.execute(sql`select 1 / ${0}::int`);
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failed).toBeInstanceOf(DrizzleQueryError);
    expect(await handle.db.select({ label: table.label }).from(table).where(eq(table.id, 2))).toEqual([{ label: '确认' }]);
  });
});
