import { describe, expect, it } from 'vitest';
import { casesHolding } from '../../server/graphql/batch';
import type { GraphQLContext } from '../../server/graphql/context';

// casesHolding (server/graphql/batch.ts): a case whose records could not be read is read in full by
// each kind's own read, for one case as for several; outside a query nothing is read ahead.

const A = '0b7a1f4e-4d8c-4a53-9a52-5d1f0b8c2e11';
const B = '1c1b4520-0000-4000-8000-000000000001';

/** A request context whose database refuses every statement, counting what it was asked. */
function failingContext(operation: 'query' | 'mutation') {
  const asked = { statements: 0 };
  const db = {
    _: {
      session: {
        prepareQuery: () => ({
          execute: async () => {
            asked.statements++;
            throw new Error('connection reset');
          },
        }),
      },
    },
  };
  return { ctx: { deps: { db }, viewer: null, operation } as unknown as GraphQLContext, asked };
}

describe('casesHolding', () => {
  it('one case whose records could not be read: read in full', async () => {
    const { ctx, asked } = failingContext('query');
    expect(await casesHolding(ctx, 'agreements', [A])).toEqual([A]);
    expect(asked.statements).toBe(1);
  });

  it('several cases whose records could not be read: all read in full', async () => {
    const { ctx, asked } = failingContext('query');
    expect(await casesHolding(ctx, 'ratings', [A, B])).toEqual([A, B]);
    expect(asked.statements).toBe(1);
  });

  it('one answer per request: the kinds asked in one tick share one statement', async () => {
    const { ctx, asked } = failingContext('query');
    const [x, y] = await Promise.all([casesHolding(ctx, 'agreements', [A]), casesHolding(ctx, 'followUps', [A])]);
    expect([x, y]).toEqual([[A], [A]]);
    expect(asked.statements).toBe(1);
  });

  it('in a mutation: every case, and no statement', async () => {
    const { ctx, asked } = failingContext('mutation');
    expect(await casesHolding(ctx, 'agreements', [A, B])).toEqual([A, B]);
    expect(asked.statements).toBe(0);
  });
});
