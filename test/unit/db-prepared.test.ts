import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { cases } from '../../schema';
import type { Database } from '../../server/db';
import { anyOfIds, preparedPerDatabase, type IdsOf } from '../../server/db-prepared';

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
