import { cursorToOffset, resolveOffsetConnection } from '@pothos/plugin-relay';
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { ValidationError } from '../domain/errors';

/** Page size for connections: default 20, at most 100. */
export function pageSize(first: number | null | undefined): number {
  return Math.min(Math.max(first ?? 20, 1), 100);
}

type Keyed = { createdAt: Date; id: string };
const encode = (row: Keyed) => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** An instant and a UUID as a cursor holds them: bad base64, a bad date or a non-UUID is a ValidationError naming the argument. */
export function checkedKey(date: unknown, id: unknown, arg: string): { at: Date; id: string } {
  if (typeof date === 'string' && ISO_RE.test(date) && typeof id === 'string' && UUID_RE.test(id)) {
    const at = new Date(date);
    if (!Number.isNaN(at.getTime())) return { at, id };
  }
  throw ValidationError.field(arg, 'is not a cursor from this list');
}

/** Decodes a base64url JSON cursor; anything unreadable is a ValidationError naming the argument. */
export function decodeJsonCursor(cursor: string, arg: string): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v)) return v;
  } catch {
    // falls through to the typed error
  }
  throw ValidationError.field(arg, 'is not a cursor from this list');
}

/**
 * resolveOffsetConnection with the arguments checked first: a cursor that is not one of ours, or a
 * negative `first`/`last`, is a ValidationError naming the argument instead of an internal error.
 */
export function offsetConnection<T>(
  args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null },
  load: (page: { limit: number; offset: number }) => Promise<T[]>,
) {
  for (const arg of ['after', 'before'] as const) {
    const cursor = args[arg];
    if (cursor == null) continue;
    let offset = Number.NaN;
    try {
      offset = cursorToOffset(cursor);
    } catch {
      // falls through
    }
    if (!Number.isInteger(offset) || offset < 0) throw ValidationError.field(arg, 'is not a cursor from this list');
  }
  for (const arg of ['first', 'last'] as const) {
    const n = args[arg];
    if (n != null && (n < 0 || n > 100)) throw ValidationError.field(arg, 'must be between 0 and 100');
  }
  return resolveOffsetConnection({ args }, load);
}

/** The condition "older than the cursor" for a newest-first list ordered by (created_at, id) descending. */
export function olderThanCursor(columns: { createdAt: PgColumn; id: PgColumn }, after: string | null | undefined): SQL | undefined {
  if (!after) return undefined;
  const [date, key] = decodeJsonCursor(after, 'after');
  const { at, id } = checkedKey(date, key, 'after');
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
