import { describe, expect, it } from 'vitest';
import { defaultFieldResolver, type GraphQLObjectType } from 'graphql';
import { schema } from '../../server/graphql/schema';
import { QUEUE_COLUMNS, QUEUE_FIELDS } from '../../server/graphql/case';

// A queue page's rows carry QUEUE_COLUMNS only (server/graphql/case.ts): every field in
// QUEUE_FIELDS must resolve from them. Each field's resolver runs here on a row that throws
// when any other column is read.

describe('the queue’s fields resolve from the queue’s columns', () => {
  const caseType = schema.getType('Case') as GraphQLObjectType;
  const read = new Set<string>();
  const row = new Proxy(
    { id: '0b7a1f4e-4d8c-4a53-9a52-5d1f0b8c2e11', number: '（2026）云2924民调1号', title: '宅基地滴水纠纷', status: 'MEDIATING', category: 'NEIGHBOR', level: 'VILLAGE', riskLevel: 'LOW', riskRank: 0, regionCode: '532924101201', dueAt: new Date('2026-12-20T00:00:00Z'), createdAt: new Date('2026-12-01T00:00:00Z'), updatedAt: new Date('2026-12-01T00:00:00Z'), acceptedAt: null, channel: 'PEOPLES', organizationId: '1c1b4520-0000-4000-8000-000000000001', mediatorId: null } as Record<string, unknown>,
    {
      get(target, key) {
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
        if (!(QUEUE_COLUMNS as readonly string[]).includes(key)) throw new Error(`read ${key}, which a queue row does not carry`);
        read.add(key);
        return target[key];
      },
    },
  );
  const operation = { kind: 'OperationDefinition', operation: 'query', selectionSet: { kind: 'SelectionSet', selections: [] } };
  const infoFor = (name: string) =>
    ({ fieldName: name, parentType: caseType, returnType: caseType.getFields()[name]!.type, schema, operation, path: { prev: undefined, key: name, typename: 'Case' }, fieldNodes: [], fragments: {}, variableValues: {}, rootValue: null }) as never;
  const ctx = { deps: { clock: { now: () => new Date('2026-12-01T08:00:00Z') } }, viewer: null };
  for (const name of [...QUEUE_FIELDS].filter((f) => f !== '__typename')) {
    it(name, async () => {
      const field = caseType.getFields()[name];
      expect(field, name).toBeDefined();
      read.clear();
      let value: unknown;
      try {
        value = await (field!.resolve ?? defaultFieldResolver)(row, {}, ctx, infoFor(name));
      } catch (err) {
        // A relation (the organisation) goes on to load its row, which needs a database: by then
        // it has read what it reads of the case.
        expect(String(err)).not.toMatch(/a queue row does not carry/);
        expect(read.size, `${name} read nothing of the row`).toBeGreaterThan(0);
        return;
      }
      expect(value === undefined, `${name} resolved to undefined`).toBe(false);
    });
  }
  it('a field outside them reads another column', async () => {
    const field = caseType.getFields().description!;
    await expect(Promise.resolve().then(() => (field.resolve ?? defaultFieldResolver)(row, {}, ctx, infoFor('description')))).rejects.toThrow(/description/);
  });
});
