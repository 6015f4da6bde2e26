import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeys } from '../../schema';
import { signingKeyFor } from '../../server/domain/agreements/signing-certificate';
import { createTestContext, testConfig, type TestContext } from '../support/harness';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe('SIGNING_SELF_SIGNED', () => {
  it('keeps one key in the database: two instances (configs) asking at once get the same key', async () => {
    const org = `测试调解委员会${randomUUID().slice(0, 8)}`;
    const a = testConfig({ SIGNING_SELF_SIGNED: 'true' });
    const b = testConfig({ SIGNING_SELF_SIGNED: 'true' });
    const [k1, k2] = await Promise.all([signingKeyFor(a, org, ctx.clock.now(), ctx.deps.db), signingKeyFor(b, org, ctx.clock.now(), ctx.deps.db)]);
    expect(Buffer.from(k1.p12).equals(Buffer.from(k2.p12))).toBe(true);
    expect(k1.passphrase).toBe(k2.passphrase);
    const rows = await ctx.deps.db.select().from(signingKeys).where(eq(signingKeys.name, `self-signed:${org}`));
    expect(rows).toHaveLength(1);
    // Stored encrypted: neither the passphrase nor the key bytes appear in the row.
    expect(rows[0]!.p12Enc).not.toContain(k1.passphrase);
    const later = await signingKeyFor(testConfig({ SIGNING_SELF_SIGNED: 'true' }), org, ctx.clock.now(), ctx.deps.db);
    expect(Buffer.from(later.p12).equals(Buffer.from(k1.p12))).toBe(true);
  });
});
