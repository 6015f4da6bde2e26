import { sql, type Placeholder } from 'drizzle-orm';
import type { Viewer } from '../context';
import type { RegionScope } from './region-scope';

/**
 * A viewer as the visibility rules see it when a statement is prepared once and executed for many
 * viewers: the facts the rules branch on (kind, role, whether a proved phone, an organisation or a
 * region scope is there, and the scope's level) kept as they are, and every value replaced by a named placeholder, filled
 * from `values` when the statement runs. Two viewers with the same `key` get the same statement text;
 * the rules in this folder branch on nothing else (`test/unit/viewer-shape.test.ts` holds them to it).
 */
export interface ViewerShape {
  key: string;
  viewer: Viewer | null;
  scope: RegionScope;
  values: Record<string, unknown>;
}

/**
 * A placeholder that refuses to become text: a rule that formats a viewer's value in JavaScript
 * (a template string, JSON) instead of passing it to SQL fails when the statement is built, instead
 * of baking one viewer's value into a statement others run.
 */
function placeholder(name: string): Placeholder {
  const p = sql.placeholder(name);
  const refuse = () => {
    throw new Error(`the viewer's ${name} was formatted in JavaScript; pass it to SQL as a value`);
  };
  return Object.assign(p, { toString: refuse, toJSON: refuse, [Symbol.toPrimitive]: refuse });
}
/** Typed as the value it stands for: the rules pass it to `sql` and `eq` like the value. */
const stand = <T>(name: string) => placeholder(name) as unknown as T;

const shapes = new WeakMap<object, Map<RegionScope, ViewerShape>>();
const ANONYMOUS: ViewerShape = { key: 'anonymous', viewer: null, scope: null, values: {} };

/** The shape of a viewer (with their region scope, for rules that take one); one per request viewer and scope. */
export function shapeOf(viewer: Viewer | null, scope: RegionScope = null): ViewerShape {
  // Nobody signed in has a scope (loadRegionScope gives null), and every rule refuses them before reading one.
  if (!viewer) return ANONYMOUS;
  let perScope = shapes.get(viewer);
  if (!perScope) shapes.set(viewer, (perScope = new Map()));
  let found = perScope.get(scope);
  if (!found) {
    found = makeShape(viewer, scope);
    perScope.set(scope, found);
  }
  return found;
}

/** A scope by its level (the length of its code): a rule may treat a village's grid worker apart from a township's staff. */
const scopeKey = (scope: RegionScope) => (scope === null ? 'nowhere' : scope === '' ? 'everywhere' : `region:${scope.length}`);
/** The scope as a placeholder that keeps its length (its level), which rules may test. */
const shapeScope = (scope: RegionScope): RegionScope =>
  scope === null || scope === '' ? scope : (Object.assign(placeholder('v_scope'), { length: scope.length }) as unknown as string);

/** A nullable value as the rules see it: absent and empty stay as they are (rules branch on them), any other becomes a placeholder. */
const presence = (value: string | null) => (value === null ? 'none' : value === '' ? 'empty' : 'some');
const standIn = (value: string | null, name: string): string | null => (value === null || value === '' ? value : stand<string>(name));

function makeShape(viewer: Viewer, scope: RegionScope): ViewerShape {
  if (viewer.kind === 'apiClient') {
    return {
      key: `court|${scopeKey(scope)}`,
      viewer: { kind: 'apiClient', clientId: stand('v_client'), organizationId: stand('v_org'), name: stand('v_name'), rateLimitPerMinute: Number.NaN },
      scope: shapeScope(scope),
      values: { v_client: viewer.clientId, v_org: viewer.organizationId, v_name: viewer.name, v_scope: scope },
    };
  }
  return {
    key: `user|${viewer.role}|phone:${presence(viewer.verifiedPhone)}|organization:${presence(viewer.organizationId)}|${scopeKey(scope)}`,
    viewer: {
      kind: 'user',
      role: viewer.role,
      userId: stand('v_user'),
      organizationId: standIn(viewer.organizationId, 'v_org'),
      phone: stand('v_login_phone'),
      verifiedPhone: standIn(viewer.verifiedPhone, 'v_phone'),
      name: stand('v_name'),
      sessionId: stand('v_session'),
    },
    scope: shapeScope(scope),
    values: {
      v_user: viewer.userId,
      v_org: viewer.organizationId,
      v_login_phone: viewer.phone,
      v_phone: viewer.verifiedPhone,
      v_name: viewer.name,
      v_session: viewer.sessionId,
      v_scope: scope,
    },
  };
}
