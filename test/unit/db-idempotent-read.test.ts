import { describe, expect, it } from 'vitest';
import { isIdempotentRead } from '../../server/db';

describe('statements sent again after a connection reset', () => {
  it('only those that read: selects, and with queries none of whose parts writes', () => {
    const reads = [
      'select "id", "updated_at" from "cases" where "cases"."id" = $1',
      '  SELECT 1',
      // The filing's prior-case count.
      'with r as materialized (select distinct b.case_id from "case_parties" b where b.phone = any($1::text[])) select count(*)::int as n from r join "cases" c on c.id = r.case_id',
      'with t as (select last_update from x) select * from t',
    ];
    const writes = [
      'insert into "cases" ("id") values ($1)',
      'update "cases" set "number" = $1',
      'delete from "outbox" where id = $1',
      // The filing's write: a with query whose parts insert.
      'with n as (insert into "case_number_counters" (county_code, year, last) values ($1, $2, 1) returning last), c as (insert into "cases" ("id") values ($3) returning *) select * from c',
      'with u as (update "cases" set version = version + 1 returning id) select * from u',
      'with d as (delete from "sessions" where id = $1 returning id) select count(*) from d',
      'select * from "cases" where id = $1 for update',
      'select * from "cases" where id = $1 for no key update',
      "select nextval('x')",
      'select pg_advisory_xact_lock(1)',
    ];
    for (const q of reads) expect(isIdempotentRead(q), q).toBe(true);
    for (const q of writes) expect(isIdempotentRead(q), q).toBe(false);
  });
});
