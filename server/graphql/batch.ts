import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { asc, inArray } from 'drizzle-orm';
import { caseParties } from '../../schema';
import { loadRegionScope, type RegionScope } from '../domain/access/region-scope';
import type { GraphQLContext } from './context';

/**
 * A per-request loader of rows grouped by a key (a case id, an agreement id…): the keys a page of
 * objects asks for in one tick are read in one query, so a list field costs one statement per
 * page, not one per row. `fetch` returns the rows of all keys in the order each group should have.
 */
export function groupedLoader<Row>(fetch: (ctx: GraphQLContext, keys: string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return createContextCache(
    (ctx: GraphQLContext) =>
      new DataLoader<string, Row[]>(async (keys) => {
        const groups = new Map<string, Row[]>(keys.map((k) => [k, []]));
        for (const row of await fetch(ctx, [...keys])) groups.get(keyOf(row))?.push(row);
        return keys.map((k) => groups.get(k)!);
      }),
  );
}

/** The viewer's region scope, read once per request however many rows ask. */
export const regionScope = createContextCache((ctx: GraphQLContext): Promise<RegionScope> => loadRegionScope(ctx.deps.db, ctx.viewer));

/**
 * The parties of a page's cases, in their order on the case, in one query per request: for
 * Case.parties, the sessions' participant standing and the party rules of a court's materials.
 * Rows only: what a viewer reads of them is decided by the field rules.
 */
export const partiesByCase = groupedLoader(
  (ctx, caseIds) => ctx.deps.db.select().from(caseParties).where(inArray(caseParties.caseId, caseIds)).orderBy(asc(caseParties.position)),
  (p) => p.caseId,
);
