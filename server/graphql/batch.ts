import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, inArray, sql } from 'drizzle-orm';
import { agreements, caseParties, cases, confirmationApplications, followUps, mediationRatings, supervisionOrders, undisputedFacts } from '../../schema';
import { visibleAgreementVersions, visibleApplications, visibleUndisputedFacts } from '../domain/access';
import { visibleFollowUps, visibleRatings } from '../domain/access/follow-up';
import { visibleSupervisionOrders } from '../domain/access/supervision';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { visibleCases } from '../domain/cases/case-access';
import { loadRegionScope, type RegionScope } from '../domain/access/region-scope';
import { preparedPerDatabase, textPerKey } from '../db-prepared';
import type { GraphQLContext } from './context';

/**
 * The records a case gathers late in its course, or only sometimes: agreements, applications for
 * judicial confirmation, follow-ups, ratings, supervision orders and the undisputed facts a
 * mediator records. Most cases a page shows have none of them yet, and a read of each kind that
 * answers nothing still costs a statement; so one statement first asks, for every kind and case
 * of the page at once, whether the viewer may see any row of it, with the kind's own visibility
 * rule (`rule`, which its read uses too, from `server/domain/access`), and a kind's read runs only
 * for the cases where the answer is yes. What the viewer may not see is not asked about
 * differently, so the answer and the time it takes tell nothing the kind's own read would not.
 * Evidence is not among them: who sees an item depends on the viewer's side in each case, which
 * its read works out per case.
 */
export const CASE_RECORDS = {
  agreements: { caseId: agreements.caseId, rule: (s: ViewerShape) => visibleAgreementVersions(s.viewer) },
  confirmations: { caseId: confirmationApplications.caseId, rule: (s: ViewerShape) => visibleApplications(s.viewer) },
  followUps: { caseId: followUps.caseId, rule: (s: ViewerShape) => visibleFollowUps(s.viewer, s.scope) },
  ratings: { caseId: mediationRatings.caseId, rule: (s: ViewerShape) => visibleRatings(s.viewer) },
  supervisionOrders: { caseId: supervisionOrders.caseId, rule: (s: ViewerShape) => visibleSupervisionOrders(s.viewer, s.scope) },
  undisputedFacts: { caseId: undisputedFacts.caseId, rule: (s: ViewerShape) => visibleUndisputedFacts(s.viewer) },
} as const;
export type CaseRecordKind = keyof typeof CASE_RECORDS;
const CASE_RECORD_KINDS = Object.keys(CASE_RECORDS) as CaseRecordKind[];

const recordsText = textPerKey();
/**
 * The statement for a shape of viewer: one text for one case (a case page; its generic plan is
 * kept, see `IdsOf`), one for a page of them. Written whole, not as a select list, so that every
 * column keeps its table's name inside the subqueries.
 */
const recordsOf = (s: ViewerShape, variant: 'one' | 'many') => () =>
  sql`select k.id::text as id, ${sql.join(
    CASE_RECORD_KINDS.map((kind) => {
      const { caseId, rule } = CASE_RECORDS[kind];
      return sql`exists (select 1 from ${caseId.table} where ${caseId} = k.id and ${rule(s)}) as ${sql.identifier(kind)}`;
    }),
    sql`, `,
  )} from ${variant === 'one' ? sql`(select (${sql.placeholder('ids')}::uuid[])[1] as id) k` : sql`unnest(${sql.placeholder('ids')}::uuid[]) as k(id)`}`;

/**
 * The kinds of records each case holds that the viewer may see, for the cases asked in one tick, in
 * one statement. Only in a query: the fields of a mutation run one after another, each writing, and
 * an answer kept from an earlier field would hide what a later one wrote.
 */
export const caseRecords = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, ReadonlySet<CaseRecordKind>>(async (ids) => {
      const shape = shapeOf(ctx.viewer, await regionScope(ctx));
      const variant = ids.length === 1 ? 'one' : 'many';
      const rows = await recordsText(ctx.deps.db, `${shape.key}|${variant}`, recordsOf(shape, variant), { ...shape.values, ids: [...ids] });
      const held = new Map(rows.map((r) => [String(r.id), new Set(CASE_RECORD_KINDS.filter((kind) => r[kind] !== false))]));
      // A case the statement did not answer for is read in full.
      return ids.map((id) => held.get(id) ?? new Set(CASE_RECORD_KINDS));
    }),
);

/**
 * The cases of `ids` that hold records of `kind` the viewer may see: all of them outside a query,
 * or if the answer could not be read (the kind's own read then decides).
 */
export async function casesHolding(ctx: GraphQLContext, kind: CaseRecordKind, ids: readonly string[]): Promise<string[]> {
  if (ctx.operation !== 'query') return [...ids];
  const loader = caseRecords(ctx);
  let held: readonly (ReadonlySet<CaseRecordKind> | Error)[];
  if (ids.length === 1) {
    // One case (a case page, where every list field asks): its one answer, without loadMany's
    // promises per key and their Promise.all. Unread, it is read in full, as below.
    try {
      held = [await loader.load(ids[0]!)];
    } catch {
      return [...ids];
    }
  } else held = await loader.loadMany(ids);
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
