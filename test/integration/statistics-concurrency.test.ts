import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCaseWorld, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { createTestContext, type TestContext, RACING_POOL } from '../support/harness';
import { localId } from '../../server/graphql/ids';

// The statistics rollup's counter rows are shared by every case of a county and prefecture month.
// Transactions that move them in opposite orders must not deadlock: the counts are moved at commit
// one transaction at a time. Only PostgreSQL runs transactions side by side.
const databaseUrl = inject('databaseUrl');

describe.skipIf(!databaseUrl)('statistics counters under concurrent case changes', () => {
  let ctx: TestContext;
  let w: CaseWorld;
  const ids: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext({ config: RACING_POOL });
    w = await createCaseWorld(ctx);
    for (let i = 0; i < 32; i++) ids.push(localId((await fileNeighborDispute(ctx, w)).id, 'Case', 'id'));
  });
  afterAll(async () => ctx?.close());

  it('160 transactions re-keying cases in opposite orders all commit, and the counts equal a rebuild', async () => {
    const levels = await ctx.deps.db.execute<{ level: string }>(sql`select level from cases where id = ${ids[0]}`);
    const from = (levels as unknown as { level: string }[])[0]!.level;
    const to = from === 'VILLAGE' ? 'TOWNSHIP' : 'VILLAGE';
    // Every second case starts at the other level, so each transaction moves one case each way.
    for (let i = 1; i < ids.length; i += 2) await ctx.deps.db.execute(sql`update cases set level = ${to}::case_level where id = ${ids[i]!}`);
    const failures: string[] = [];
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 16 }, async (_, t) => {
          // Transaction t takes two cases; half go from → to then to → from, half the reverse.
          const [a, b] = [ids[2 * t]!, ids[2 * t + 1]!];
          const first = t % 2 === 0 ? a : b;
          const second = t % 2 === 0 ? b : a;
          try {
            await ctx.deps.db.transaction(async (tx) => {
              await tx.execute(sql`update cases set level = case when level = ${from} then ${to}::case_level else ${from}::case_level end where id = ${first}`);
              await tx.execute(sql`update cases set level = case when level = ${from} then ${to}::case_level else ${from}::case_level end where id = ${second}`);
            });
          } catch (err) {
            failures.push(String((err as { code?: string }).code ?? err));
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    // What the triggers kept equals what a rebuild from the cases gives. The counters are the whole
    // database's, and other test files change cases meanwhile: the cases table is held still (SHARE
    // waits for their open transactions and keeps new ones out) from the first read to the last.
    const counts = sql`select grain, area, month, category, level, channel, milestone, value, n from statistic_counts where n <> 0 order by 1,2,3,4,5,6,7,8`;
    const [kept, rebuilt] = await ctx.deps.db.transaction(async (tx) => {
      await tx.execute(sql`lock table cases in share mode`);
      const before = await tx.execute(counts);
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`select statistic_rebuild()`);
      return [before, await tx.execute(counts)];
    });
    expect(JSON.stringify(kept)).toBe(JSON.stringify(rebuilt));
  });
});
