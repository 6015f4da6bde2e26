import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, inArray, sql } from 'drizzle-orm';
import { agreements, caseParties, cases, confirmationApplications, evidence, followUps, mediationRatings, supervisionOrders } from '../../schema';
import { visibleCases } from '../domain/cases/case-access';
import { loadRegionScope, type RegionScope } from '../domain/access/region-scope';
import { preparedPerDatabase, textPerKey } from '../db-prepared';
import type { GraphQLContext } from './context';

/**
 * The records a case gathers late in its course, or only sometimes: agreements, applications for
 * judicial confirmation, evidence, follow-ups, ratings and supervision orders. Most cases a page
 * shows have none of them yet, and a read of each kind that answers nothing still costs a
 * statement; so the kinds a page's cases hold are read first, for every kind and case at once, and
 * a kind's own read (with its visibility rule) runs only for the cases that hold rows of it. The
 * answer only ever skips a read that would have found no row at all.
 */
const CASE_RECORDS = {
  agreements: agreements.caseId,
  confirmations: confirmationApplications.caseId,
  evidence: evidence.caseId,
  followUps: followUps.caseId,
  ratings: mediationRatings.caseId,
  supervisionOrders: supervisionOrders.caseId,
} as const;
export type CaseRecordKind = keyof typeof CASE_RECORDS;
const CASE_RECORD_KINDS = Object.keys(CASE_RECORDS) as CaseRecordKind[];

const recordsText = textPerKey();
/** One text for one case (a case page: its generic plan is kept, see `IdsOf`), one for a page of them. */
const recordsOf = (variant: 'one' | 'many') => () =>
  sql`select k.id::text as id, ${sql.join(
    CASE_RECORD_KINDS.map((kind) => sql`exists (select 1 from ${CASE_RECORDS[kind].table} where ${CASE_RECORDS[kind]} = k.id) as ${sql.identifier(kind)}`),
    sql`, `,
  )} from ${variant === 'one' ? sql`(select (${sql.placeholder('ids')}::uuid[])[1] as id) k` : sql`unnest(${sql.placeholder('ids')}::uuid[]) as k(id)`}`;

/** The kinds of records each case holds, for the cases asked in one tick, in one statement. */
export const caseRecords = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, ReadonlySet<CaseRecordKind>>(async (ids) => {
      const variant = ids.length === 1 ? 'one' : 'many';
      const rows = await recordsText(ctx.deps.db, `case_records_${variant}`, recordsOf(variant), { ids: [...ids] });
      const held = new Map(rows.map((r) => [String(r.id), new Set(CASE_RECORD_KINDS.filter((kind) => r[kind] === true))]));
      return ids.map((id) => held.get(id) ?? new Set<CaseRecordKind>());
    }),
);

/**
 * The cases of `ids` that hold records of `kind` (all of them if the answer could not be read: the
 * kind's own read then decides).
 */
export async function casesHolding(ctx: GraphQLContext, kind: CaseRecordKind, ids: readonly string[]): Promise<string[]> {
  const held = await caseRecords(ctx).loadMany(ids);
  return ids.filter((_id, i) => {
    const h = held[i];
    return !(h instanceof Set) || h.has(kind);
  });
}

/**
 * A per-request loader of rows grouped by a key (a case id, an agreement id…): the keys a page of
 * objects asks for in one tick are read in one query, so a list field costs one statement per
 * page, not one per row. `fetch` returns the rows of all keys in the order each group should have.
 * With `recorded`, the keys are case ids and only those holding that kind of record are read
 * (`caseRecords`).
 */
export function groupedLoader<Row>(fetch: (ctx: GraphQLContext, keys: string[]) => Promise<Row[]>, keyOf: (row: Row) => string, recorded?: CaseRecordKind) {
  return createContextCache(
    (ctx: GraphQLContext) =>
      new DataLoader<string, Row[]>(async (keys) => {
        const groups = new Map<string, Row[]>(keys.map((k) => [k, []]));
        const asked = recorded ? await casesHolding(ctx, recorded, keys) : [...keys];
        if (asked.length > 0) for (const row of await fetch(ctx, asked)) groups.get(keyOf(row))?.push(row);
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
