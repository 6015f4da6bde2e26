import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../server/graphql/schema';
import { FILES, after } from '../../server/patch-pothos.mjs';

// server/patch-pothos.mjs: a node's id that its resolver has at hand is encoded at once, not through
// a promise; one that comes as a promise is still waited for. Either way the id is the same.

const root = fileURLToPath(new URL('../../node_modules/@pothos/plugin-relay/', import.meta.url));
const ID = '0b7a1f4e-4d8c-4a53-9a52-5d1f0b8c2e11';
const info = (type: GraphQLObjectType) => ({ fieldName: 'id', parentType: type, returnType: type.getFields().id!.type, schema, path: { prev: undefined, key: 'id', typename: type.name } }) as never;

describe('node ids resolve without a promise when they are at hand', () => {
  it('the install step changed both module files of the relay plugin', () => {
    for (const [file, encoder] of FILES) expect(readFileSync(`${root}${file}`, 'utf8')).toContain(after(encoder));
  });

  // The rows as each node's loader gives them (evidence comes with its file).
  const rows: Record<string, unknown> = { Case: { id: ID }, Organization: { id: ID }, Mediator: { id: ID }, Session: { id: ID }, Agreement: { id: ID }, Evidence: { evidence: { id: ID } } };
  for (const [name, row] of Object.entries(rows)) {
    it(`${name}.id is a string, not a promise, and decodes to the row's type and id`, () => {
      const type = schema.getType(name) as GraphQLObjectType;
      const id = type.getFields().id!.resolve!(row, {}, { viewer: null }, info(type));
      expect(typeof id).toBe('string');
      expect(decodeGlobalID(id as string)).toEqual({ typename: name, id: ID });
    });
  }

  it('an id that comes as a promise is waited for and encoded the same way', async () => {
    const type = schema.getType('Case') as GraphQLObjectType;
    const field = type.getFields().id!;
    // A row whose id is still to come: the id is a promise of the encoded id.
    const pending = field.resolve!({ id: Promise.resolve(ID) }, {}, { viewer: null }, info(type));
    expect(decodeGlobalID(String(await pending))).toEqual({ typename: 'Case', id: ID });
  });
});
