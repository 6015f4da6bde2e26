import { describe, expect, it } from 'vitest';
import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { agreements, evidence } from '../../schema';
import type { Database } from '../../server/db';
import { preparedPerShape } from '../../server/db-prepared';
import type { Viewer } from '../../server/domain/context';
import { visibleAgreementVersions, visibleApplications, visibleAssignments, visibleCases, visibleDeadlines, visibleEvidence, visibleExtensions, visibleUndisputedFacts, withinCourtWindow } from '../../server/domain/access';
import { visibleFollowUpAnswers, visibleFollowUps, visibleRatings } from '../../server/domain/access/follow-up';
import { visibleLeads } from '../../server/domain/access/lead';
import type { RegionScope } from '../../server/domain/access/region-scope';
import { visibleSupervisionOrders, visibleSupervisionProposals } from '../../server/domain/access/supervision';
import { shapeOf } from '../../server/domain/access/viewer-shape';
import { USER_ROLES } from '../../server/domain/enums';

// A statement prepared for the first viewer of a shape is run for every other viewer of that shape,
// with their values. That is only right if each rule, written for the shape (placeholders for
// values), compiles to the very text it compiles to for the viewer itself, with the same values in
// the same places. Checked here for every rule the prepared reads use, over viewers of every role
// with and without a proved phone, an organisation and a region scope.

const dialect = new PgDialect();
type Rule = (viewer: Viewer | null, scope: RegionScope) => SQL;
const RULES: Record<string, Rule> = {
  visibleCases: (v) => visibleCases(v),
  withinCourtWindow: (v) => withinCourtWindow(v, agreements.caseId, agreements.createdAt),
  visibleRatings: (v) => visibleRatings(v),
  visibleFollowUps: (v, s) => visibleFollowUps(v, s),
  visibleFollowUpAnswers: (v, s) => visibleFollowUpAnswers(v, s),
  visibleSupervisionOrders: (v, s) => visibleSupervisionOrders(v, s),
  visibleSupervisionProposals: (v) => visibleSupervisionProposals(v),
  visibleApplications: (v) => visibleApplications(v),
  visibleUndisputedFacts: (v) => visibleUndisputedFacts(v),
  visibleAssignments: (v) => visibleAssignments(v),
  visibleExtensions: (v) => visibleExtensions(v),
  visibleDeadlines: (v) => visibleDeadlines(v),
  visibleAgreementVersions: (v) => visibleAgreementVersions(v),
  visibleEvidence: (v) => visibleEvidence(v, false),
  visibleLeads: (v, s) => visibleLeads(v, s),
};

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
function users(): Viewer[] {
  const out: Viewer[] = [];
  for (const role of USER_ROLES) {
    for (const verifiedPhone of [null, `1390000${String(++n).padStart(4, '0')}`]) {
      for (const organizationId of [null, uuid()]) {
        out.push({ kind: 'user', userId: uuid(), role, organizationId, phone: `1380000${String(++n).padStart(4, '0')}`, verifiedPhone, name: `用户${n}`, sessionId: uuid() });
      }
    }
  }
  return out;
}
/** As a login makes them: with the viewer's mediator row and organisation's region read alongside. */
const logins = (): Viewer[] => users().map((v) => (v.kind === 'user' ? { ...v, mediatorId: v.role === 'MEDIATOR' ? uuid() : null, organizationRegionCode: v.organizationId ? '532924101' : null } : v));
/** Empty strings where a phone or an organisation would be: a rule may treat them apart from absent ones. */
const empties = (): Viewer[] => USER_ROLES.map((role) => ({ kind: 'user', userId: uuid(), role, organizationId: '', phone: '13800000000', verifiedPhone: '', name: '空', sessionId: uuid() }));
const viewers: (Viewer | null)[] = [null, ...users(), ...logins(), ...empties(), ...empties(), { kind: 'apiClient', clientId: uuid(), organizationId: uuid(), name: '某法院', rateLimitPerMinute: 60 }];
const scopes: RegionScope[] = [null, '', '532924', '532924101'];

describe('a viewer shape', () => {
  for (const [name, rule] of Object.entries(RULES)) {
    it(`${name}: the shape's statement is the viewer's own statement, with the viewer's values`, () => {
      let checked = 0;
      for (const viewer of viewers) {
        for (const scope of scopes) {
          const own = dialect.sqlToQuery(rule(viewer, scope));
          const shape = shapeOf(viewer, scope);
          const prepared = dialect.sqlToQuery(rule(shape.viewer, shape.scope));
          expect(prepared.sql).toBe(own.sql);
          expect(fillPlaceholders(prepared.params, shape.values)).toEqual(own.params);
          checked++;
        }
      }
      expect(checked).toBe(viewers.length * scopes.length);
    });
  }

  it('gives two viewers the same key only when every rule writes the same text for both', () => {
    const textsByKey = new Map<string, string>();
    for (const viewer of viewers) {
      for (const scope of scopes) {
        const texts = Object.values(RULES)
          .map((rule) => dialect.sqlToQuery(rule(viewer, scope)).sql)
          .join('\n');
        const key = shapeOf(viewer, scope).key;
        if (textsByKey.has(key)) expect(texts).toBe(textsByKey.get(key));
        else textsByKey.set(key, texts);
      }
    }
    // Parties, mediators, staff… with and without a phone or an organisation: many shapes, not one.
    expect(textsByKey.size).toBeGreaterThan(USER_ROLES.length * 4);
  });

  it('refuses a viewer value formatted in JavaScript instead of passed to SQL', () => {
    const viewer = viewers.find((v) => v?.kind === 'user' && v.verifiedPhone !== null)!;
    const shape = shapeOf(viewer, '532924');
    if (shape.viewer?.kind !== 'user') throw new Error('a user shape');
    const phone = shape.viewer.verifiedPhone;
    expect(() => `${phone}`).toThrow(/formatted in JavaScript/);
    expect(() => JSON.stringify([{ phone }])).toThrow(/formatted in JavaScript/);
    expect(() => `${shape.scope}%`).toThrow(/formatted in JavaScript/);
    // Passed to SQL, it is a placeholder like any other.
    expect(dialect.sqlToQuery(sql`${evidence.uploadedBy} = ${shape.viewer.userId}`).sql).toBe('"evidence"."uploaded_by" = $1');
  });

  it('is computed once per request viewer and scope', () => {
    const viewer = viewers[1]!;
    expect(shapeOf(viewer, '532924')).toBe(shapeOf(viewer, '532924'));
    expect(shapeOf(viewer, '532924')).not.toBe(shapeOf(viewer, null));
  });

  it('prepares a statement once per database and key, and runs it with the shape’s values and the ids', async () => {
    const built: string[] = [];
    const statement = preparedPerShape((_db, s: { key: string; values: Record<string, unknown> }) => {
      built.push(s.key);
      return { key: s.key, execute: async (values?: Record<string, unknown>) => values };
    });
    const a = {} as Database;
    const b = {} as Database;
    const party = { key: 'party', values: { v_user: 'u1' } };
    expect(statement(a, party)).toBe(statement(a, { key: 'party', values: { v_user: 'u2' } }));
    expect(statement(a, { key: 'mediator', values: {} }).key).toBe('mediator');
    expect(statement(b, party)).not.toBe(statement(a, party));
    expect(built).toEqual(['party', 'mediator', 'party']);
    expect(await statement.byIds(a, party, ['c1', 'c2'])).toEqual({ v_user: 'u1', ids: ['c1', 'c2'] });
  });
});
