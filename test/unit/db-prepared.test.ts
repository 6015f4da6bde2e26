import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { cases } from '../../schema';
import type { Database } from '../../server/db';
import { anyOfIds, preparedPerDatabase } from '../../server/db-prepared';

describe('statements prepared once per database', () => {
  it('builds a statement once for each database and keeps them apart', () => {
    const built: object[] = [];
    const statement = preparedPerDatabase((db) => {
      built.push(db);
      return { of: db };
    });
    const a = {} as Database;
    const b = {} as Database;
    const first = statement(a);
    expect(statement(a)).toBe(first);
    expect(statement(b)).not.toBe(first);
    expect(statement(b).of).toBe(b);
    expect(built).toEqual([a, b]);
  });

  it('writes a list of ids as one array placeholder, whatever its length', () => {
    const { sql, params } = new PgDialect().sqlToQuery(anyOfIds(cases.id));
    expect(sql).toBe('"cases"."id" = any($1::uuid[])');
    expect(params).toHaveLength(1);
  });
});
