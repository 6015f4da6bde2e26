import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import {
  ConflictError,
  DeadlineError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../domain/errors';
import type { GraphQLContext } from './context';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_SUCH_TYPE = '';

/** Whether a decoded global id names an object type that implements Node (and so can be loaded). */
function isLoadableNode(schema: GraphQLSchema, typename: string): boolean {
  if (!typename) return false;
  // By tag, not instanceof: graphql can be loaded twice (its CommonJS and ESM builds).
  const type = schema.getType(typename) as (GraphQLNamedType & { getInterfaces?: () => { name: string }[] }) | undefined;
  return type?.[Symbol.toStringTag] === 'GraphQLObjectType' && Boolean(type.getInterfaces?.().some((i) => i.name === 'Node'));
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { loggedIn: boolean; platformAdmin: boolean; staff: boolean; apiClient: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    Money: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  // Errors before scope-auth: a refused scope then becomes the ForbiddenError member of a
  // mutation's result union instead of a top-level error.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      loggedIn: ctx.viewer?.kind === 'user',
      platformAdmin: ctx.viewer?.kind === 'user' && ctx.viewer.role === 'PLATFORM_ADMIN',
      staff:
        ctx.viewer?.kind === 'user' &&
        ['PLATFORM_ADMIN', 'ORG_ADMIN', 'MEDIATOR', 'GRID_WORKER'].includes(ctx.viewer.role),
      apiClient: ctx.viewer?.kind === 'apiClient',
    }),
    // Errors from scopes become the contract's ForbiddenError, which mutations return in their union.
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer ? new ForbiddenError() : ForbiddenError.unauthenticated(),
  },
  errors: {
    defaultTypes: [ValidationError, NotFoundError, ForbiddenError, InvalidTransitionError, ConflictError, DeadlineError],
    directResult: true,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Anything that is not one of our ids decodes to a type no object has: node() answers null.
    decodeGlobalID: (globalID: string) => {
      try {
        const d = decodeGlobalID(globalID);
        if (UUID_RE.test(d.id)) return d;
      } catch {
        // not base64 or no "Type:" prefix
      }
      return { typename: NO_SUCH_TYPE, id: '' };
    },
    nodeQueryOptions: {
      resolve: (_root, args, _ctx, info, resolveNode) => (isLoadableNode(info.schema, args.id.typename) ? resolveNode(args.id) : null),
    },
    nodesQueryOptions: {
      resolve: async (_root, args, _ctx, info, resolveNodes) => {
        const ok = args.ids.map((id) => isLoadableNode(info.schema, id.typename));
        // resolveNodes reads args.ids itself: hand it only the loadable ones.
        const loadable = args.ids.filter((_id, i) => ok[i]);
        Object.assign(args, { ids: loadable });
        const found = await resolveNodes(loadable);
        let k = 0;
        return ok.map((good) => (good ? (found[k++] ?? null) : null));
      },
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY_RE = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new GraphQLError('DateTime must be ISO 8601 with an offset, e.g. 2026-11-23T09:30:00+08:00');
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime is not a real instant');
  return d;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE_RE.test(value)) throw new GraphQLError('Date must be YYYY-MM-DD');
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new GraphQLError('Date is not a real calendar day');
  return value;
}

/** Money is yuan as a decimal string; normalised to two places so "8500" and "8500.0" compare equal. */
export function parseMoney(value: unknown): string {
  if (typeof value !== 'string' || !MONEY_RE.test(value)) {
    throw new GraphQLError('Money must be a non-negative decimal string in yuan with at most two places, e.g. "8500.00"');
  }
  const [int, frac = ''] = value.split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
}

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An instant, ISO 8601 with offset.',
    serialize: (v) => (v instanceof Date ? v : new Date(String(v))).toISOString(),
    parseValue: parseDateTime,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
      return parseDateTime(ast.value);
    },
  }),
  {},
);

builder.addScalarType(
  'Date',
  new GraphQLScalarType<string, string>({
    name: 'Date',
    description: 'A calendar day, YYYY-MM-DD (China Standard Time).',
    serialize: (v) => String(v),
    parseValue: parseDate,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string');
      return parseDate(ast.value);
    },
  }),
  {},
);

builder.addScalarType(
  'Money',
  new GraphQLScalarType<string, string>({
    name: 'Money',
    description: 'An amount in yuan: a decimal string with two places, e.g. "8500.00".',
    serialize: (v) => parseMoney(String(v)),
    parseValue: parseMoney,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('Money must be a string, e.g. "8500.00"');
      return parseMoney(ast.value);
    },
  }),
  {},
);
