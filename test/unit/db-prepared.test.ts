import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { cases } from '../../schema';
import type { Database } from '../../server/db';
import { anyOfIds, Placeholders, preparedPerDatabase, textPerKey, type IdsOf } from '../../server/db-prepared';

const dialect = new PgDialect();

describe('statements prepared once per database', () => {
  it('builds a statement once for each database and variant of ids, and keeps them apart', () => {
    const built: { db: object; text: string }[] = [];
    const statement = preparedPerDatabase((db, ids: IdsOf) => {
      const text = dialect.sqlToQuery(ids(cases.id)).sql;
      built.push({ db, text });
      return { of: db, text, execute: async (values?: Record<string, unknown>) => ({ text, values }) };
    });
    const a = {} as Database;
    const b = {} as Database;
    const first = statement(a, ['x', 'y']);
    expect(statement(a, ['x', 'y', 'z'])).toBe(first);
    expect(statement(a)).toBe(first);
    expect(statement(b, ['x', 'y']).of).toBe(b);
    expect(statement(b, ['x', 'y'])).not.toBe(first);
    const one = statement(a, ['x']);
    expect(one).not.toBe(first);
    expect(statement(a, ['y'])).toBe(one);
    expect(built).toEqual([
      { db: a, text: '"cases"."id" = any($1::uuid[])' },
      { db: b, text: '"cases"."id" = any($1::uuid[])' },
      { db: a, text: '"cases"."id" = ($1::uuid[])[1]' },
    ]);
  });

  it('runs the text its ids pick, with those same ids', async () => {
    const statement = preparedPerDatabase((_db, ids: IdsOf) => {
      const text = dialect.sqlToQuery(ids(cases.id)).sql;
      return { execute: async (values?: Record<string, unknown>) => ({ text, values }) };
    });
    const db = {} as Database;
    expect(await statement.byIds(db, ['x'])).toEqual({ text: '"cases"."id" = ($1::uuid[])[1]', values: { ids: ['x'] } });
    expect(await statement.byIds(db, ['x', 'y'])).toEqual({ text: '"cases"."id" = any($1::uuid[])', values: { ids: ['x', 'y'] } });
  });

  it('writes a list of ids as one array placeholder, whatever its length', () => {
    const { sql, params } = dialect.sqlToQuery(anyOfIds(cases.id));
    expect(sql).toBe('"cases"."id" = any($1::uuid[])');
    expect(params).toHaveLength(1);
  });
});

describe('a text kept by the shape of its values', () => {
  it('names each defined value by its object and key; which keys are given, and which are null, make the shape', () => {
    const fill = new Placeholders();
    const at = new Date('2026-12-01T00:00:00Z');
    const first = fill.of('case', { title: '相邻纠纷', claims: null, amount: undefined, createdAt: at });
    const party = fill.of('party0', { name: '张三', address: null });
    fill.set('year', 2026);
    expect(fill.shape).toBe('case:,title,claims=null,createdAt,party0:,name,address=null');
    expect({ ...fill.values }).toEqual({ 'case.title': '相邻纠纷', 'case.createdAt': at, 'party0.name': '张三', year: 2026 });
    // What stands for the object in the text: a placeholder per value, null as null, undefined left out.
    const text = dialect.sqlToQuery(sql`${first().title} ${first().claims} ${party().name}`);
    expect(text.sql).toBe('$1 $2 $3');
    expect(text.params).toEqual([sql.placeholder('case.title'), null, sql.placeholder('party0.name')]);
    expect(Object.keys(first())).toEqual(['title', 'claims', 'createdAt']);
    // The same keys with other values are the same shape; a value turning null is another.
    const again = new Placeholders();
    again.of('case', { title: '另一纠纷', claims: null, createdAt: new Date() });
    again.of('party0', { name: '李四', address: null });
    expect(again.shape).toBe('case:,title,claims=null,createdAt,party0:,name,address=null');
    const other = new Placeholders();
    other.of('case', { title: '另一纠纷', claims: '赔偿', createdAt: new Date() });
    other.of('party0', { name: '李四', address: null });
    expect(other.shape).not.toBe(fill.shape);
  });

  it('refuses SQL as a value: the kept text would carry one call’s values into the next', () => {
    expect(() => new Placeholders().of('case', { dueAt: sql`now()` })).toThrow(/case\.dueAt: a statement kept by its shape takes values, not SQL/);
  });

  it('builds the text once per key and runs it on the executor it is given, with the values given', async () => {
    const run = textPerKey();
    let builds = 0;
    const ran: { on: string; text: string; values: Record<string, unknown> }[] = [];
    const executor = (on: string, answer: unknown) =>
      ({
        _: {
          session: {
            prepareQuery: (query: { sql: string }) => ({
              execute: async (values: Record<string, unknown>) => {
                ran.push({ on, text: query.sql, values });
                return answer;
              },
            }),
          },
        },
      }) as unknown as Database;
    const build = () => {
      builds += 1;
      return sql`select ${sql.placeholder('a')}`;
    };
    // postgres.js answers rows as an array, PGlite as { rows }: both come back as rows.
    expect(await run(executor('pool', [{ n: 1 }]), 'k', build, { a: 1 })).toEqual([{ n: 1 }]);
    expect(await run(executor('transaction', { rows: [{ n: 2 }] }), 'k', build, { a: 2 })).toEqual([{ n: 2 }]);
    expect(builds).toBe(1);
    await run(executor('pool', []), 'other', build, { a: 3 });
    expect(builds).toBe(2);
    expect(ran).toEqual([
      { on: 'pool', text: 'select $1', values: { a: 1 } },
      { on: 'transaction', text: 'select $1', values: { a: 2 } },
      { on: 'pool', text: 'select $1', values: { a: 3 } },
    ]);
  });
});
