import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { agreementSignatures, agreements, cases, storedFiles } from '../../schema';
import { verifyEventChain } from '../../server/domain/audit/record-event';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { PASSWORD } from '../support/factories';
import { createTestContext, freePort, type TestContext } from '../support/harness';

// Issue 10: a server killed with SIGKILL while it stores the last signature of an agreement leaves
// no half state. The server runs as a child process on the shared PostgreSQL database (an embedded
// database lives inside the test process and cannot be shared with a child, so this runs on
// PostgreSQL only).
const databaseUrl = inject('databaseUrl');
const root = fileURLToPath(new URL('../..', import.meta.url));

async function startServer(port: number, storageDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl!, STORAGE_DIR: storageDir, SEED_DEMO: 'false', JOBS: 'false', WEB: 'off', BCRYPT_COST: '4', LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const until = Date.now() + 90_000;
  while (Date.now() < until) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe.skipIf(!databaseUrl)('kill -9 while the last signature is stored', () => {
  let ctx: TestContext;
  let w: CaseWorld;
  let storageDir: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date());
    w = await createCaseWorld(ctx);
    storageDir = await mkdtemp(join(tmpdir(), 'jiefen-kill-'));
  });
  afterAll(async () => {
    await rm(storageDir, { recursive: true, force: true });
    await ctx?.close();
  });

  it('leaves each agreement either signed with its PDF stored and referenced, or unsigned by the killed request', async () => {
    const port = await freePort();
    const delays = [300, 1500, 8000];
    const outcomes: string[] = [];
    for (const delay of delays) {
      const { case: c, mediator } = await caseInMediation(ctx, w);
      const drafted = await ctx.gql(`mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { __typename ... on DraftAgreementSuccess { agreement { id } } ... on Error { message } } }`, {
        input: { caseId: c.id, facts: '被申请人新建房屋屋檐滴水落入申请人院内。', issues: '排水设施改建及损失赔偿。', terms: [{ text: '被申请人于2027年1月20日前改建排水设施。', dueDate: '2027-01-20' }], performanceMethod: '自行改建', performanceDeadline: '2027-01-20' },
      }, mediator.token);
      expect(drafted.data?.draftAgreement?.__typename, JSON.stringify(drafted.body)).toBe("DraftAgreementSuccess");
      const agreementId = decodeGlobalID(drafted.data.draftAgreement.agreement.id).id;
      for (const party of [w.applicant, w.respondent]) {
        const signed = await ctx.gql(`mutation($input: SignAgreementInput!) { signAgreement(input: $input) { __typename } }`, { input: { agreementId: drafted.data.draftAgreement.agreement.id, password: PASSWORD } }, party.token);
        expect(signed.data.signAgreement.__typename).toBe('SignAgreementSuccess');
      }

      const server = await startServer(port, storageDir);
      // The mediator's signature is the last: the server renders, signs and stores the final PDF, then commits.
      const request = fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mediator.token}` },
        body: JSON.stringify({ query: `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { __typename } }`, variables: { input: { agreementId: drafted.data.draftAgreement.agreement.id, password: PASSWORD } } }),
      }).then((r) => r.json() as Promise<{ data?: { signAgreement?: { __typename: string } } }>, () => null);
      await new Promise((r) => setTimeout(r, delay));
      server.kill('SIGKILL');
      await killed(server);
      const answered = (await request)?.data?.signAgreement?.__typename ?? 'no answer';

      // Restarted, the server answers; the database holds one of the two whole states.
      const again = await startServer(port, storageDir);
      try {
        const [a] = await ctx.deps.db.select().from(agreements).where(eq(agreements.id, agreementId));
        const sigs = await ctx.deps.db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, agreementId));
        const [theCase] = await ctx.deps.db.select().from(cases).where(eq(cases.id, a!.caseId));
        if (a!.status === 'EFFECTIVE') {
          expect(sigs.map((s) => s.role).sort()).toEqual(['MEDIATOR', 'PARTY', 'PARTY']);
          expect(theCase!.status).toBe('SETTLED');
          const [file] = await ctx.deps.db.select().from(storedFiles).where(eq(storedFiles.id, a!.finalFileId!));
          expect(file!.sha256).toBe(a!.finalSha256);
          expect(existsSync(join(storageDir, file!.storageKey.slice(0, 2), file!.storageKey))).toBe(true);
          outcomes.push(`${delay}ms: signed (${answered})`);
        } else {
          expect(a!.status).toBe('SIGNING');
          expect(a!.finalFileId).toBeNull();
          expect(sigs.map((s) => s.role).sort()).toEqual(['PARTY', 'PARTY']);
          expect(theCase!.status).toBe('AGREEMENT_SIGNING');
          outcomes.push(`${delay}ms: unsigned (${answered})`);
        }
        expect(await verifyEventChain(ctx.deps.db, 'case', theCase!.id, theCase!.headEventHash)).toMatchObject({ valid: true });
      } finally {
        again.kill('SIGKILL');
        await killed(again);
      }
    }
    console.info(`kill -9 during signing: ${outcomes.join(', ')}`);
  }, 400_000);
});
