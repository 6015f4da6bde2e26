import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/harness';
import { adminOf, registerParty } from '../support/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('smoke', () => {
  it('registers and reads me', async () => {
    const p = await registerParty(ctx);
    const res = await ctx.gql('{ me { name role idNumber } }', {}, p.token);
    expect(res.data.me.role).toBe('PARTY');
    expect(res.data.me.idNumber).toBe(p.idNumber);
    const admin = await adminOf(ctx);
    expect(admin.token).toMatch(/^jfs_/);
  });
});
