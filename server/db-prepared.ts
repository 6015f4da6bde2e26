import { is, SQL, sql, type Column, type Query } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Executor } from './db';

/**
 * How a prepared read compares a column with the ids it is given (the array placeholder `name`,
 * `ids` unless said): `column = any($ids::uuid[])`, one statement text however many ids a page
 * asks for (`inArray` writes one placeholder per id, so each count is a text of its own and cannot
 * be prepared once), or, for a page of exactly one id, `column = ($ids::uuid[])[1]`.
 *
 * Why two texts: PostgreSQL plans a prepared statement again at every run for as long as its
 * generic plan looks dearer than the plans made for the values given, and it prices `= any($1)` of
 * unknown length as several ids. So a read of one id (a case page, a node) was planned at every
 * run: under `npm run load`, PostgreSQL's statement log gave 150–420 µs for the bind step of each of
 * the case page's visibility-filtered reads (cases, follow-ups, applications, evidence, ratings),
 * and 38–54 µs with the one-id text, which prices like `= $1` and whose generic plan is kept.
 */
export type IdsOf = (column: Column, name?: string) => SQL;
const anyOf: IdsOf = (column, name = 'ids') => sql`${column} = any(${sql.placeholder(name)}::uuid[])`;
const firstOf: IdsOf = (column, name = 'ids') => sql`${column} = (${sql.placeholder(name)}::uuid[])[1]`;
/** What a prepared statement is to the functions below: something run with its placeholders' values. */
type Runnable = { execute(values?: Record<string, unknown>): Promise<unknown> };
/** A shape of viewer as the statements below see it: its key, and the values its placeholders take. */
type Shape = { key: string; values: Record<string, unknown> };
/** Which text a read of these ids runs: `one` for exactly one id, else `many`. */
const variantOf = (ids: readonly unknown[] | undefined) => (ids?.length === 1 ? 'one' : 'many');

/**
 * A statement built once per database (and per variant of ids, see `IdsOf`), for the reads every
 * page makes whose text does not depend on who asks (a page's parties, deadlines, organisations…):
 * drizzle builds its text and column mapping once, and each call sends only the values. Reads whose
 * text carries the viewer's visibility rule are built once per shape of viewer instead
 * (`preparedPerShape`). `ids` is the list the statement will be run with.
 */
export function preparedPerDatabase<Q extends Runnable>(build: (db: Database, ids: IdsOf) => Q) {
  const perShape = preparedPerShape((db, _anyone: Shape, ids) => build(db, ids));
  const statement = (db: Database, ids?: readonly unknown[]): Q => perShape(db, ANYONE, ids);
  /** Runs the statement for these ids: the same list picks the text and fills its placeholder. */
  const byIds = (db: Database, ids: readonly unknown[]) => perShape.byIds(db, ANYONE, ids);
  return Object.assign(statement, { byIds });
}
/** The one shape of a read whose text does not depend on who asks. */
const ANYONE: Shape = { key: 'anyone', values: {} };

/**
 * A statement built once per database, shape of viewer (`server/domain/access/viewer-shape.ts`) and
 * variant of ids: for the reads whose text carries a visibility rule, which differs between a
 * party, a mediator, a court… but not between two parties. The shape's values fill its
 * placeholders when it runs.
 */
export function preparedPerShape<S extends Shape, Q extends Runnable>(build: (db: Database, shape: S, ids: IdsOf) => Q) {
  const built = new WeakMap<Database, Map<string, Q>>();
  const statement = (db: Database, shape: S, ids?: readonly unknown[]): Q => {
    let perShape = built.get(db);
    if (perShape === undefined) built.set(db, (perShape = new Map()));
    const variant = variantOf(ids);
    const key = `${shape.key}|${variant}`;
    let q = perShape.get(key);
    if (q === undefined) {
      q = build(db, shape, variant === 'one' ? firstOf : anyOf);
      perShape.set(key, q);
    }
    return q;
  };
  /** Runs the shape's statement for these ids, with the shape's values: one list picks the text and fills it. */
  const byIds = (db: Database, shape: S, ids: readonly unknown[]) => statement(db, shape, ids).execute({ ...shape.values, ids }) as ReturnType<Q['execute']>;
  return Object.assign(statement, { byIds });
}

/** `column = any($ids::uuid[])` (see `IdsOf`). */
export const anyOfIds = (column: Column, name = 'ids'): SQL => anyOf(column, name);

const dialect = new PgDialect();
/**
 * A read whose visibility rule, for a shape of viewer, is `false` (a party never sees supervision
 * orders, a court never sees ratings): it answers no rows without a statement. The rule decides;
 * this only reads its text once, when the shape's statement is built.
 */
export function unlessNeverVisible<Q extends { execute(values?: Record<string, unknown>): Promise<unknown[]> }>(
  rule: SQL,
  statement: () => Q,
): Q | { execute(values?: Record<string, unknown>): Promise<never[]> } {
  return dialect.sqlToQuery(rule).sql === 'false' ? { execute: async () => [] } : statement();
}

/**
 * A statement whose text is built once for each key and run on any executor, the database or a
 * transaction, with its placeholders' values: for a write whose text depends on the shape of what
 * it writes (which columns are given, how many rows) but not on the values. Answers its rows as
 * the driver gives them (`rowOf` reads one into a table's row).
 */
export function textPerKey() {
  const texts = new Map<string, Query>();
  return async function run(db: Executor, key: string, build: () => SQL, values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    let query = texts.get(key);
    if (query === undefined) {
      // Shapes are few (how many respondents, which optional columns); the bound is a guard.
      if (texts.size >= 200) texts.clear();
      query = dialect.sqlToQuery(build());
      texts.set(key, query);
    }
    const result = (await db._.session.prepareQuery(query, undefined, undefined, false).execute(values)) as unknown;
    return Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
  };
}

/**
 * The values of a statement whose text `textPerKey` keeps, gathered object by object: each object's
 * defined values are filled into placeholders named `prefix.key`. Which keys each object gives, and
 * which of them are null, make its `shape` (part of the text's key); the values do not.
 */
export class Placeholders {
  /** The placeholders' values by name (a plain map: a statement has a hundred or more). */
  readonly values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly keys: string[] = [];

  get shape(): string {
    return this.keys.join(',');
  }

  /**
   * Adds an object's values; answers what stands for the object in the text, to be asked only when
   * the text is built: a placeholder for each value, and a null written as null (a column's mapping
   * is not asked to write one).
   */
  of<T extends Record<string, unknown>>(prefix: string, value: T): () => T {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    this.keys.push(`${prefix}:`);
    for (const key of keys) {
      const v = value[key];
      // SQL would be part of the text with its own values, which the kept text would then repeat.
      if (is(v, SQL)) throw new Error(`${prefix}.${key}: a statement kept by its shape takes values, not SQL`);
      if (v === null) this.keys.push(`${key}=null`);
      else {
        this.keys.push(key);
        this.values[`${prefix}.${key}`] = v;
      }
    }
    return () => Object.fromEntries(keys.map((key) => [key, value[key] === null ? null : sql.placeholder(`${prefix}.${key}`)])) as T;
  }

  /** One value, for a placeholder the text names itself. */
  set(name: string, value: unknown): void {
    this.values[name] = value;
  }
}
