import { sql, type Column, type SQL } from 'drizzle-orm';
import type { Database } from './db';

/**
 * A statement built once per database, for the reads every page makes whose text does not depend
 * on who asks (a page's parties, deadlines, organisations…): drizzle builds its text and column
 * mapping once, and each call sends only the values. Reads whose text carries the viewer's
 * visibility rule are built per request as before.
 */
export function preparedPerDatabase<Q>(build: (db: Database) => Q): (db: Database) => Q {
  const built = new WeakMap<Database, Q>();
  return (db) => {
    let q = built.get(db);
    if (q === undefined) {
      q = build(db);
      built.set(db, q);
    }
    return q;
  };
}

/**
 * `column = any($ids::uuid[])`: one statement text however many ids a page asks for (`inArray`
 * writes one placeholder per id, so each count is a text of its own and cannot be prepared once).
 * The ids are the placeholder `ids` of the prepared query.
 */
export const anyOfIds = (column: Column): SQL => sql`${column} = any(${sql.placeholder('ids')}::uuid[])`;
