import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serverAudits, type AuditFail, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/harness';

// The GraphQL-over-HTTP conformance audit, run against the real app on a real socket:
// every MUST is asserted; SHOULDs are reported (some are deliberate, e.g. yoga's status codes).
let ctx: TestContext;
let server: Server;
let url: string;

beforeAll(async () => {
  ctx = await createTestContext();
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await ctx?.close();
});

const audits = serverAudits({ url: () => url, fetchFn: fetch });
const results: AuditResult[] = [];

describe('graphql-http server audit', () => {
  for (const audit of audits.filter((a) => a.name.startsWith('MUST'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      results.push(result);
      const reason = result.status === 'ok' ? '' : result.reason;
      expect(result.status, reason).toBe('ok');
    });
  }

  it('reports the SHOULD and MAY audits', async () => {
    const optional = audits.filter((a) => !a.name.startsWith('MUST'));
    const outcome = await Promise.all(optional.map((a) => a.fn()));
    const passed = outcome.filter((r) => r.status === 'ok');
    const failed = outcome.filter((r): r is AuditFail => r.status !== 'ok');
    const should = (rs: AuditResult[]) => rs.filter((r) => r.name.startsWith('SHOULD')).length;
    const mustPassed = results.filter((r) => r.status === 'ok').length;
    console.log(
      `graphql-http audit: MUST ${mustPassed}/${audits.filter((a) => a.name.startsWith('MUST')).length} passed; ` +
        `SHOULD ${should(passed)} passed, ${should(failed)} failed; ` +
        `MAY ${passed.length - should(passed)} passed, ${failed.length - should(failed)} failed`,
    );
    for (const f of failed) console.log(`  not met: ${f.name} (${f.reason})`);
    // Every audit produced a verdict; a fatal audit would have thrown above.
    expect(outcome).toHaveLength(optional.length);
    expect(optional.length).toBeGreaterThan(0);
  });
});
