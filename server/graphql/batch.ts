import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, inArray } from 'drizzle-orm';
import { caseParties, cases } from '../../schema';
import { visibleCases } from '../domain/cases/case-access';
import { loadRegionScope, type RegionScope } from '../domain/access/region-scope';
import { preparedPerDatabase } from '../db-prepared';
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
const partiesOfCases = preparedPerDatabase((db, ids) =>
  db.select().from(caseParties).where(ids(caseParties.caseId)).orderBy(asc(caseParties.position)).prepare('parties_by_case'),
);
export const partiesByCase = groupedLoader((ctx, caseIds) => partiesOfCases.byIds(ctx.deps.db, caseIds), (p) => p.caseId);

/** A case's id and mediator: what the viewer's standing on a row of the case rests on. */
export interface CaseHead {
  id: string;
  mediatorId: string | null;
}

const headsOfCases = preparedPerDatabase((db, ids) => db.select({ id: cases.id, mediatorId: cases.mediatorId }).from(cases).where(ids(cases.id)).prepare('case_heads'));

const headsLoader = (visibleOnly: boolean) =>
  createContextCache(
    (ctx: GraphQLContext) =>
      new DataLoader<string, CaseHead | undefined>(async (ids) => {
        const rows = visibleOnly
          ? await ctx.deps.db
              .select({ id: cases.id, mediatorId: cases.mediatorId })
              .from(cases)
              .where(and(inArray(cases.id, [...ids]), visibleCases(ctx.viewer)))
          : await headsOfCases.byIds(ctx.deps.db, ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      }),
  );

/** The id and mediator of the cases of a page's parties, events and materials, in one query (not one per case). */
export const caseHeads = headsLoader(false);
/** The same for the cases the viewer may see (the others answer undefined), for a page of sessions. */
export const visibleCaseHeads = headsLoader(true);

/**
 * Cases this request already read through the visibility rule give their heads to both loaders, so
 * a case page does not read its case's head again for its parties' and sessions' field rules.
 */
export function primeCaseHeads(ctx: GraphQLContext, rows: readonly CaseHead[]): void {
  for (const r of rows) {
    const head = { id: r.id, mediatorId: r.mediatorId };
    caseHeads(ctx).prime(r.id, head);
    visibleCaseHeads(ctx).prime(r.id, head);
  }
}
