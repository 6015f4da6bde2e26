import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWorld, FILE, type CaseWorld } from '../support/case-world';
import { registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

const TIMEOUT = 120_000;
const DAY = 86_400_000;
const NOW = new Date('2026-11-23T02:00:00Z');
let ctx: TestContext;
let w: CaseWorld;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx, { villageMediators: 1 });
}, TIMEOUT);
afterAll(async () => ctx?.close());

type Person = { token: string; name: string; phone: string };

/** `applicant` files a neighbour dispute against `respondents` at `at`; answers the case's risk as filed. */
async function file(applicant: Person, respondents: Person[], at: Date = NOW): Promise<{ level: string; repeated: number | null }> {
  ctx.clock.set(at);
  const res = await ctx.gql(
    FILE,
    {
      input: {
        category: 'NEIGHBOR',
        title: '宅基地滴水纠纷',
        description: '被申请人新建房屋屋檐滴水落入申请人院内，请求调解。',
        regionCode: w.village.code,
        respondents: respondents.map((r) => ({ name: r.name, phone: r.phone })),
      },
    },
    applicant.token,
  );
  const filed = res.data?.fileDispute;
  if (filed?.__typename !== 'FileDisputeSuccess') throw new Error(`fileDispute failed: ${JSON.stringify(res.body)}`);
  const read = await ctx.gql(`query ($id: ID!) { case(id: $id) { riskLevel riskSignals { code evidence } } }`, { id: filed.case.id }, w.admin.token);
  const c = read.data.case as { riskLevel: string; riskSignals: { code: string; evidence: string }[] };
  const signal = c.riskSignals.find((s) => s.code === 'REPEATED_CONFLICT');
  // The signal's evidence names the count: 一年内同一当事人之间已有N件纠纷.
  return { level: c.riskLevel, repeated: signal ? Number(/已有(\d+)件/.exec(signal.evidence)![1]) : null };
}

describe('repeated conflict between the same people within a year (民转刑 prevention)', () => {
  it('counts the earlier cases, within the year, in which this applicant and one of these respondents were both parties', async () => {
    const [a, b, c, d] = await Promise.all(['甲', '乙', '丙', '丁'].map((n) => registerParty(ctx, { name: `赵${n}` })));
    // A year and a minute before now, between a and b; the text alone is a low risk.
    expect(await file(a!, [b!], new Date(NOW.getTime() - 365 * DAY - 60_000))).toEqual({ level: 'LOW', repeated: null });
    // Someone else against b, and a against someone else.
    expect(await file(c!, [b!], new Date(NOW.getTime() - 10 * DAY))).toEqual({ level: 'LOW', repeated: null });
    expect(await file(a!, [c!], new Date(NOW.getTime() - 9 * DAY))).toEqual({ level: 'LOW', repeated: null });
    // Now, a against b: the case of a year and a minute ago is outside the year, and neither of the
    // others had both of them.
    expect(await file(a!, [b!])).toEqual({ level: 'LOW', repeated: null });
    // Again: one earlier case within the year; then two, which is high.
    expect(await file(a!, [b!])).toEqual({ level: 'MEDIUM', repeated: 1 });
    expect(await file(a!, [b!])).toEqual({ level: 'HIGH', repeated: 2 });
    // 364 days before, d against a; now a against d: inside the year, whoever applied then.
    expect(await file(d!, [a!], new Date(NOW.getTime() - 364 * DAY))).toEqual({ level: 'LOW', repeated: null });
    expect(await file(a!, [d!])).toEqual({ level: 'MEDIUM', repeated: 1 });
    // An earlier case naming both respondents of a new one counts once.
    expect(await file(d!, [b!, c!], new Date(NOW.getTime() - 5 * DAY))).toEqual({ level: 'LOW', repeated: null });
    expect(await file(d!, [b!, c!])).toEqual({ level: 'MEDIUM', repeated: 1 });
  }, TIMEOUT);
});
