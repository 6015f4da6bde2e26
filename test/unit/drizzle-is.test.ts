import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Column, SQL, StringChunk, Name, Param, Placeholder, Table, View, Subquery, entityKind, is, sql } from 'drizzle-orm';
import { PgColumn, PgTable, PgDialect, alias } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { cases, users } from '../../schema';
import { AFTER, FILES } from '../../server/patch-drizzle.mjs';

// drizzle-orm's own class check, as it is before the install step (server/patch-drizzle.mjs).
function reference(value: unknown, type: any): boolean {
  if (!value || typeof value !== 'object') return false;
  if (value instanceof type) return true;
  let cls = Object.getPrototypeOf(value).constructor;
  while (cls) {
    if (entityKind in cls && cls[entityKind] === type[entityKind]) return true;
    cls = Object.getPrototypeOf(cls);
  }
  return false;
}

/** The answer, or the kind of error thrown (a value whose `constructor` is not a class throws in both). */
function outcome(check: () => boolean): boolean | string {
  try {
    return check();
  } catch (err) {
    return (err as Error).constructor.name;
  }
}

describe('drizzle class checks remembered per class', () => {
  it('the install step changed both builds of drizzle-orm', () => {
    const dir = new URL('../../node_modules/drizzle-orm/', import.meta.url);
    for (const file of FILES) expect(readFileSync(new URL(file, dir), 'utf8'), file).toContain(AFTER);
  });

  it('answers as drizzle’s own walk for every pair of value and kind, the first time and when remembered', () => {
    const other = alias(users, 'other');
    const values: unknown[] = [
      users, cases, other, users.id, cases.status, other.name,
      sql`select 1`, sql.raw('x'), sql`${users.id} = ${1}`.as('a'), sql.placeholder('p'), sql.identifier('n'),
      new StringChunk('x'), new Name('n'), new Param(1), new Placeholder('q'),
      new PgDialect(), {}, [], Object.create({ constructor: 'not a class' }), new Date(), 'text', 1, null, undefined,
    ];
    // Values that `instanceof` does not recognise, so the answer comes from the class walk the install
    // step remembers: drizzle's CommonJS build beside the ESM one, and classes that only carry a kind.
    const cjs = createRequire(import.meta.url)('drizzle-orm') as typeof import('drizzle-orm');
    class LooksLikeSql {
      static readonly [entityKind] = SQL[entityKind];
    }
    class StillLooksLikeSql extends LooksLikeSql {}
    values.push(cjs.sql`select 1`, new cjs.Param(1), new cjs.StringChunk('x'), new LooksLikeSql(), new StillLooksLikeSql());
    const kinds = [Column, SQL, SQL.Aliased, StringChunk, Name, Param, Placeholder, Table, View, Subquery, PgColumn, PgTable, PgDialect];
    let compared = 0;
    let walkedToYes = 0;
    for (let round = 0; round < 2; round++) {
      for (const v of values) {
        for (const k of kinds) {
          expect(outcome(() => is(v, k)), `${String((v as { constructor?: { name?: string } })?.constructor?.name ?? v)} is ${k.name}`).toBe(outcome(() => reference(v, k)));
          compared++;
          if (!(v instanceof k) && outcome(() => reference(v, k)) === true) walkedToYes++;
        }
      }
    }
    expect(compared).toBe(values.length * kinds.length * 2);
    // Some "yes" answers come from the walk, not from instanceof: the remembered path is exercised.
    expect(walkedToYes).toBeGreaterThan(0);
    expect(is(new StillLooksLikeSql(), SQL) && is(cjs.sql`x`, SQL) && !is(new StillLooksLikeSql(), Column)).toBe(true);
    // Some answers are yes, some no: the comparison covers both.
    expect(is(users.id, Column) && is(users, PgTable) && !is(users, Column) && !is(sql`x`, Column)).toBe(true);
  });

  it('builds the same statement text', () => {
    const q = new PgDialect().sqlToQuery(sql`select ${users.id}, ${users.name} from ${users} where ${users.phone} = ${'138'} and ${sql.raw('true')}`);
    expect(q.sql).toBe('select "users"."id", "users"."name" from "users" where "users"."phone" = $1 and true');
    expect(q.params).toEqual(['138']);
  });
});
