import { readFileSync } from 'node:fs';
import * as drizzle from 'drizzle-orm';
import { Column, SQL, Subquery, getTableName, is, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { cases, organizations, users } from '../../schema';
import { MAP_AFTER, MAP_FILES } from '../../server/patch-drizzle.mjs';

// Exported by drizzle-orm at run time, not in its type declarations.
type Columns = { path: string[]; field: unknown }[];
const { mapResultRow, orderSelectedFields } = drizzle as unknown as {
  mapResultRow: (columns: Columns, row: unknown[], joins?: Record<string, boolean>) => Record<string, unknown>;
  orderSelectedFields: (fields: Record<string, unknown>) => Columns;
};

// drizzle-orm's own row mapping, as it is before the install step (server/patch-drizzle.mjs).
function reference(columns: any[], row: unknown[], joinsNotNullableMap?: Record<string, boolean>): Record<string, unknown> {
  const nullifyMap: Record<string, string | false> = {};
  const result = columns.reduce((acc: any, { path, field }: any, columnIndex: number) => {
    let decoder;
    if (is(field, Column)) decoder = field;
    else if (is(field, SQL)) decoder = (field as any).decoder;
    else if (is(field, Subquery)) decoder = (field as any)._.sql.decoder;
    else decoder = field.sql.decoder;
    let node = acc;
    for (const [pathChunkIndex, pathChunk] of (path as string[]).entries()) {
      if (pathChunkIndex < path.length - 1) {
        if (!(pathChunk in node)) node[pathChunk] = {};
        node = node[pathChunk];
      } else {
        const rawValue = row[columnIndex];
        const value = (node[pathChunk] = rawValue === null ? null : decoder.mapFromDriverValue(rawValue));
        if (joinsNotNullableMap && is(field, Column) && path.length === 2) {
          const objectName = path[0];
          if (!(objectName in nullifyMap)) nullifyMap[objectName] = value === null ? getTableName((field as any).table) : false;
          else if (typeof nullifyMap[objectName] === 'string' && nullifyMap[objectName] !== getTableName((field as any).table)) nullifyMap[objectName] = false;
        }
      }
    }
    return acc;
  }, {});
  if (joinsNotNullableMap && Object.keys(nullifyMap).length > 0) {
    for (const [objectName, tableName] of Object.entries(nullifyMap)) {
      if (typeof tableName === 'string' && !joinsNotNullableMap[tableName]) result[objectName] = null;
    }
  }
  return result;
}

describe('drizzle row mapping walking column paths by index', () => {
  it('the install step changed both builds of drizzle-orm', () => {
    const dir = new URL('../../node_modules/drizzle-orm/', import.meta.url);
    for (const file of MAP_FILES) expect(readFileSync(new URL(file, dir), 'utf8'), file).toContain(MAP_AFTER);
  });

  it('maps rows as drizzle’s own loop: flat selections, joined tables (left joins null), SQL fields', () => {
    const other = alias(users, 'other');
    const selections: { fields: Record<string, unknown>; joins?: Record<string, boolean> }[] = [
      { fields: { id: users.id, name: users.name, createdAt: users.createdAt } },
      { fields: { c: cases, n: sql<number>`count(*)`.mapWith(Number) } },
      { fields: { user: { id: users.id, phone: users.phone }, org: { id: organizations.id, name: organizations.name }, region: organizations.regionCode }, joins: { users: true, organizations: false } },
      { fields: { user: users, other: { id: other.id, name: other.name } }, joins: { users: true, other: false } },
    ];
    let rows = 0;
    for (const { fields, joins } of selections) {
      const columns = orderSelectedFields(fields);
      const values = (seed: number) => columns.map((_c: unknown, i: number) => (i % 3 === 2 ? null : i === 0 ? String(seed) : `2026-11-30 0${seed % 10}:00:00+00`));
      for (const row of [values(1), values(2), columns.map(() => null), columns.map((_c: unknown, i: number) => (i === 0 ? 'x' : null))]) {
        const mapped = mapResultRow(columns, row, joins);
        expect(mapped).toEqual(reference(columns as never, row, joins));
        rows++;
      }
    }
    expect(rows).toBe(selections.length * 4);
  });
});
