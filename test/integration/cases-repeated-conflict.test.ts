import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWorld, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

const TIMEOUT = 120_000;
let ctx: TestContext;
let w: CaseWorld;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx, { villageMediators: 1 });
}, TIMEOUT);
afterAll(async () => ctx?.close());

const SIGNALS = /* GraphQL */ `query ($id: ID!) { case(id: $id) { riskLevel riskSignals { code } } }`;
async function repeated(id: string): Promise<{ level: string; repeated: boolean }> {
  const res = await ctx.gql(SIGNALS, { id }, w.admin.token);
  const c = res.data.case as { riskLevel: string; riskSignals: { code: string }[] };
  return { level: c.riskLevel, repeated: c.riskSignals.some((s) => s.code === 'REPEATED_CONFLICT') };
}

describe('repeated conflict between the same people within a year (民转刑 prevention)', () => {
  it('counts the earlier cases of this applicant with these respondents filed within the year, and no others', async () => {
    // A case between the same two people more than a year ago does not count.
    ctx.clock.set('2025-10-01T02:00:00Z');
    const old = await fileNeighborDispute(ctx, w);
    expect((await repeated(old.id)).repeated).toBe(false);
    ctx.clock.set('2026-11-23T02:00:00Z');
    const first = await fileNeighborDispute(ctx, w);
    expect(await repeated(first.id)).toMatchObject({ repeated: false });
    // The applicant against someone else: not the same people.
    const other = await registerParty(ctx, { name: '赵德明' });
    const elsewhere = await fileNeighborDispute(ctx, w, { respondents: [{ name: other.name, phone: other.phone }] });
    expect((await repeated(elsewhere.id)).repeated).toBe(false);
    // One earlier case within the year: a signal; two: the risk is high.
    const second = await fileNeighborDispute(ctx, w);
    expect(await repeated(second.id)).toEqual({ level: expect.stringMatching(/^(MEDIUM|HIGH)$/), repeated: true });
    const third = await fileNeighborDispute(ctx, w);
    expect(await repeated(third.id)).toEqual({ level: 'HIGH', repeated: true });
    // Among several respondents, one that was a party before is enough.
    const fourth = await fileNeighborDispute(ctx, w, { respondents: [{ name: other.name, phone: other.phone }, { name: w.respondent.name, phone: w.respondent.phone }] });
    expect((await repeated(fourth.id)).repeated).toBe(true);
  }, TIMEOUT);
});
