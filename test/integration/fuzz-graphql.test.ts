import type { Server } from 'node:http';
import type {
  GraphQLArgument,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../server/graphql/schema';
import { adminOf, registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

/**
 * A bounded fuzzer: operations generated from the schema itself, with hostile values in every
 * argument (wrong types, huge strings, odd Unicode, nulls, deep inputs), aliases, deep selections
 * and batches, sent over HTTP to a listening server. Any 5xx, stack trace, SQL text, internal
 * message or "Unexpected error." fails the run: all of it is caused by input alone.
 */

let ctx: TestContext;
let server: Server;
let base: string;
let tokens: (string | null)[];

beforeAll(async () => {
  ctx = await createTestContext();
  const party = await registerParty(ctx);
  const admin = await adminOf(ctx);
  tokens = [null, party.token, admin.token];
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections();
  await ctx?.close();
});

// By tag, not with graphql's predicates: the schema may come from graphql's other (CommonJS) build.
const tag = (t: unknown) => (t as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
const isNonNullType = (t: unknown): t is { ofType: any } => tag(t) === 'GraphQLNonNull';
const isListType = (t: unknown): t is { ofType: any } => tag(t) === 'GraphQLList';
const isEnumType = (t: unknown): t is GraphQLEnumType => tag(t) === 'GraphQLEnumType';
const isScalarType = (t: unknown): t is { name: string } => tag(t) === 'GraphQLScalarType';
const isInputObjectType = (t: unknown): t is GraphQLInputObjectType => tag(t) === 'GraphQLInputObjectType';
const getNamedType = (t: any): any => (isNonNullType(t) || isListType(t) ? getNamedType(t.ofType) : t);

/** mulberry32: a small seeded generator, so a failing run can be repeated with FUZZ_SEED. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const rand = rng(seed);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number) => rand() < p;

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a',
  '张三',
  '\u0000',
  'abc\u0000def',
  '\ud800',
  'x\udfff',
  '\u202e\u200b\ufeff',
  '🧑‍⚖️👨‍👩‍👧',
  'e\u0301',
  '\u001b[2J',
  "' OR 1=1 --",
  '"; drop table cases; --',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%ff',
  'null',
  '2026-02-30',
  '2026-11-23T09:30:00+08:00',
  '9999999999999999999999.99',
  '-1',
  'NaN',
  '13800000000',
  '532924198001011234',
  'Q2FzZTpub3QtYS11dWlk',
  'T3JnYW5pemF0aW9uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA==',
  'x'.repeat(10_000),
];
const huge = () => pick(['x', '中', '\u0301', 'ab\u0000']).repeat(pick([70_000, 200_000]));

function hostileScalar(name: string): unknown {
  if (chance(0.08)) return null;
  if (chance(0.015)) return huge();
  if (chance(0.08)) return pick([{ a: 1 }, [1, 2], true, 1.5, -2147483649, 1e308]); // wrong types
  switch (name) {
    case 'Int':
      return pick([0, 1, -1, 20, 100, 101, 2147483647, 2147483648, -5, '7']);
    case 'Float':
      return pick([0, -1.5, 1e300, 'x']);
    case 'Boolean':
      return pick([true, false, 'true', 0]);
    case 'ID':
      return pick(['not-an-id', '', 'Q2FzZTo=', Buffer.from(`${pick(['Case', 'User', 'Organization', 'Agreement', 'Query'])}:${pick(['00000000-0000-0000-0000-000000000000', 'x', "1'--"])}`).toString('base64'), ...HOSTILE_STRINGS.slice(0, 8)]);
    case 'DateTime':
      return pick(['2026-11-23T09:30:00+08:00', '2026-11-23', 'yesterday', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 12345]);
    case 'Date':
      return pick(['2026-11-23', '2026-02-30', '1900-01-01', '99999-01-01', 'today', 20261123]);
    case 'Money':
      return pick(['8500.00', '0', '-1', '1.234', '1e5', '99999999999999.99', 'abc', 100]);
    default:
      return pick(HOSTILE_STRINGS);
  }
}

function valueFor(type: GraphQLInputType, depth: number): unknown {
  if (isNonNullType(type)) return chance(0.04) ? null : valueFor(type.ofType, depth);
  if (chance(0.04)) return null;
  if (isListType(type)) {
    if (chance(0.06)) return valueFor(type.ofType, depth); // a single value where a list belongs
    const n = pick([0, 1, 1, 2, 3, chance(0.1) ? 150 : 2]);
    return Array.from({ length: n }, () => valueFor(type.ofType, depth + 1));
  }
  if (isEnumType(type)) return chance(0.85) ? pick(type.getValues()).value : pick(['NOT_A_VALUE', 'mediating', 1, '']);
  if (isScalarType(type)) return hostileScalar(type.name);
  if (isInputObjectType(type)) {
    if (depth > 6) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values((type as GraphQLInputObjectType).getFields())) {
      if (!isNonNullType(f.type) && chance(0.4)) continue;
      if (isNonNullType(f.type) && chance(0.03)) continue; // a required field left out
      out[f.name] = valueFor(f.type, depth + 1);
    }
    if (chance(0.05)) out.notAField = 'x';
    return out;
  }
  return null;
}

function typeString(type: GraphQLInputType): string {
  return String(type);
}

/** A selection for an output type: __typename always; for unions and interfaces the error fields; sometimes deep. */
function selection(type: GraphQLOutputType, depth: number, maxDepth: number): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return '';
  const parts = ['__typename'];
  if ('getFields' in named && depth < maxDepth) {
    const fields = Object.values((named as GraphQLObjectType).getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
    for (let i = 0; i < 3 && fields.length; i++) {
      const f = pick(fields);
      const sub = selection(f.type, depth + 1, maxDepth);
      if (isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type))) parts.push(f.name);
      else if (sub) parts.push(`${f.name} { ${sub} }`);
    }
  }
  if ('getTypes' in named || named.name === 'Node' || named.name === 'Error') parts.push('... on Error { code message }');
  return parts.join(' ');
}

/** GraphQL literal text for a value (for the inline-literal half of the requests). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${literal(x)}`).join(', ')} }`;
}

const roots = [
  { kind: 'query', fields: Object.values(schema.getQueryType()!.getFields()) },
  { kind: 'mutation', fields: Object.values(schema.getMutationType()!.getFields()) },
];

function operation(): { query: string; variables: Record<string, unknown> } {
  const root = chance(0.55) ? roots[1]! : roots[0]!;
  const count = chance(0.15) ? pick([2, 3, 5, 25]) : 1; // aliases
  const vars: string[] = [];
  const variables: Record<string, unknown> = {};
  const fields: string[] = [];
  const inline = chance(0.3);
  for (let i = 0; i < count; i++) {
    const field: GraphQLField<unknown, unknown> = pick(root.fields);
    const args = field.args.map((a: GraphQLArgument) => {
      const value = valueFor(a.type, 0);
      if (inline && !(typeof value === 'string' && value.length > 20_000)) return `${a.name}: ${literal(value)}`;
      const name = `v${i}_${a.name}`;
      vars.push(`$${name}: ${typeString(a.type)}`);
      variables[name] = value;
      return `${a.name}: $${name}`;
    });
    const maxDepth = chance(0.1) ? 16 : 2;
    const sel = selection(field.type, 0, maxDepth);
    fields.push(`a${i}: ${field.name}${args.length ? `(${args.join(', ')})` : ''}${sel ? ` { ${sel} }` : ''}`);
  }
  return { query: `${root.kind}${vars.length ? ` (${vars.join(', ')})` : ''} { ${fields.join(' ')} }`, variables };
}

const STACK = /\n\s+at\s+\S+.*:\d+:\d+|\bat (?:async )?\S+ \((?:file:\/\/|\/)[^)]*:\d+:\d+\)/;
const SQL = /\b(?:select\s.+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from)\b|syntax error at or near|violates (?:foreign key|unique|check|not-null) constraint|duplicate key value|invalid input (?:syntax|value) for|relation "[^"]+"|column "[^"]+"|PostgresError|drizzle/i;
const INTERNAL = /Unexpected error\.|TypeError|ReferenceError|Cannot read propert|is not a function|undefined is not|ECONNREFUSED|PothosSchemaError|Maximum call stack/;

describe('schema-generated hostile requests', () => {
  it('never give a 5xx, a stack trace, SQL text, an internal message or "Unexpected error."', async () => {
    const total = Number(process.env.FUZZ_REQUESTS ?? (ctx.kind === 'postgres' ? 5000 : 1000));
    const byStatus = new Map<string, number>();
    const failures: string[] = [];
    let sent = 0;
    const send = async () => {
      while (sent < total) {
        sent++;
        const token = pick(tokens);
        let body: unknown;
        const kind = chance(0.05) ? 'batch' : 'single';
        if (kind === 'batch') body = Array.from({ length: pick([2, 3, 10]) }, operation);
        else body = operation();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
        const text = await res.text();
        let outcome = `${res.status}`;
        try {
          const json = JSON.parse(text) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] };
          const codes = new Set<string>();
          for (const e of json.errors ?? []) codes.add(e.extensions?.code ?? 'NO_CODE');
          for (const v of Object.values(json.data ?? {})) if (v && typeof v === 'object' && '__typename' in v) codes.add(String(v.__typename).endsWith('Success') ? 'SUCCESS' : String(v.__typename));
          outcome += ` ${[...codes].sort().join('+') || 'DATA'}`;
        } catch {
          outcome += ' NON_JSON';
        }
        byStatus.set(outcome, (byStatus.get(outcome) ?? 0) + 1);
        const bad = res.status >= 500 ? '5xx' : STACK.test(text) ? 'stack trace' : SQL.test(text) ? 'SQL text' : INTERNAL.test(text) ? 'internal message' : null;
        if (bad && failures.length < 5) failures.push(`${bad}: ${JSON.stringify(body).slice(0, 600)}\n=> ${res.status} ${text.slice(0, 600)}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, send));
    const summary = [...byStatus.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n');
    console.log(`fuzzer on ${ctx.kind}: ${sent} requests, seed ${seed}\n${summary}`);
    expect(sent).toBe(total);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 900_000);
});
