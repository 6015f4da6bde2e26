import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { ValidationError } from '../domain/errors';

/** Page size for connections: default 20, at most 100. */
export function pageSize(first: number | null | undefined): number {
  return Math.min(Math.max(first ?? 20, 1), 100);
}

type Keyed = { createdAt: Date; id: string };
const encode = (row: Keyed) => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

/** The condition "older than the cursor" for a newest-first list ordered by (created_at, id) descending. */
export function olderThanCursor(columns: { createdAt: PgColumn; id: PgColumn }, after: string | null | undefined): SQL | undefined {
  if (!after) return undefined;
  let at: Date | null = null;
  let id: string | null = null;
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      at = new Date(v[0]);
      id = v[1];
    }
  } catch {
    // falls through to the typed error
  }
  if (!at || !id) throw ValidationError.field('after', 'is not a cursor from this list');
  return or(lt(columns.createdAt, at), and(eq(columns.createdAt, at), lt(columns.id, id)));
}

/** A Relay connection from `first + 1` rows fetched newest first. */
export function newestFirstConnection<T extends Keyed>(rows: T[], first: number, after: string | null | undefined) {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encode(node), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: page[0] ? encode(page[0]) : null,
      endCursor: page.length ? encode(page[page.length - 1]!) : null,
    },
  };
}
