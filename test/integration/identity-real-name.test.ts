import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreements, events, identityVerifications, users } from '../../schema';
import { loadConfig } from '../../server/config';
import { verifyWebhookSignature } from '../../server/jobs/webhook-signature';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { DRAFT, draftInput, PARTIES } from '../support/agreements';
import { registerParty } from '../support/factories';
import { createTestContext, makeIdNumber, type TestContext } from '../support/harness';
import { decodeGlobalID } from '@pothos/plugin-relay';

// 实名: drafting needs every natural-person party verified in person or by the identity service.
// This file runs without the harness's confirming identity service: nothing is checked unless configured.

const VERIFY = /* GraphQL */ `
  mutation ($input: VerifyIdentityInPersonInput!) {
    verifyIdentityInPerson(input: $input) {
      __typename
      ... on VerifyIdentityInPersonSuccess { identityMethod documentType verifiedAt party { id name } }
      ... on ValidationError { fields { field message } }
      ... on Error { code message }
    }
  }
`;
const ME = `{ me { identityMethod identityVerifiedAt } }`;

const SECRET = 'identity-secret-0123456789';
let idServer: Server;
let idUrl: string;
const received: { name: string; idNumber: string; signed: boolean }[] = [];
/** Names the fake identity gateway knows, with their ID numbers. */
const registry = new Map<string, string>();

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  // A local fake of an identity gateway: checks the signature, answers { match }.
  idServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const person = JSON.parse(body) as { name: string; idNumber: string };
      const signed = verifyWebhookSignature(SECRET, String(req.headers['x-jiefen-signature'] ?? ''), body, Math.floor(ctx.clock.now().getTime() / 1000));
      received.push({ ...person, signed });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ match: signed && registry.get(person.name) === person.idNumber }));
    });
  });
  await new Promise<void>((r) => idServer.listen(0, '127.0.0.1', r));
  idUrl = `http://127.0.0.1:${(idServer.address() as AddressInfo).port}/check`;
  ctx = await createTestContext({ identityService: null, config: { IDENTITY_SERVICE: 'http', IDENTITY_HTTP_URL: idUrl, IDENTITY_HTTP_SECRET: SECRET } });
  w = await createCaseWorld(ctx);
});
afterAll(async () => {
  await ctx?.close();
  await new Promise((r) => idServer?.close(r));
});

describe('real-name status (实名)', () => {
  it('the identity service confirms a matching name and ID number at registration; a mismatch stays PHONE; both are logged', async () => {
    const idNumber = makeIdNumber();
    registry.set('赵实名', idNumber);
    const confirmed = await registerParty(ctx, { name: '赵实名', idNumber });
    const refused = await registerParty(ctx, { name: '钱未名', idNumber: makeIdNumber() });
    expect((await ctx.gql(ME, {}, confirmed.token)).data.me.identityMethod).toBe('ID_SERVICE');
    expect((await ctx.gql(ME, {}, refused.token)).data.me.identityMethod).toBe('PHONE');
    expect(received.find((r) => r.name === '赵实名')?.signed).toBe(true);
    const log = await ctx.deps.db.select().from(identityVerifications).where(eq(identityVerifications.method, 'ID_SERVICE'));
    expect(log.filter((l) => l.userId === confirmed.userId).map((l) => [l.passed, l.verifiedBy])).toEqual([[true, 'http']]);
    expect(log.filter((l) => l.userId === refused.userId).map((l) => [l.passed, l.verifiedBy])).toEqual([[false, 'http']]);
  });

  it('without a configured service nothing is checked: the account stays PHONE and no ID_SERVICE row is written', async () => {
    const plain = await createTestContext({ identityService: null });
    try {
      const p = await registerParty(plain, { name: '孙无服' });
      const [u] = await plain.deps.db.select().from(users).where(eq(users.id, p.userId));
      expect(u!.identityMethod).toBe('PHONE');
      const rows = await plain.deps.db.select().from(identityVerifications).where(and(eq(identityVerifications.userId, p.userId), eq(identityVerifications.method, 'ID_SERVICE')));
      expect(rows).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('IDENTITY_SERVICE=http needs its URL and secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', IDENTITY_SERVICE: 'http' })).toThrow(/IDENTITY_HTTP_URL[\s\S]*IDENTITY_HTTP_SECRET/);
  });

  it('drafting names each party not verified; the mediator checks documents in person; then drafting proceeds', async () => {
    // The world's parties registered with ID numbers the gateway does not know: PHONE only.
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string; name: string }[];
    const applicant = parties.find((p) => p.role === 'APPLICANT')!;
    const respondent = parties.find((p) => p.role === 'RESPONDENT')!;
    const caseRowId = decodeGlobalID(c.id).id;

    const refused = (await ctx.gql(DRAFT, { input: draftInput(c.id, respondent.id) }, mediator.token)).data.draftAgreement;
    expect(refused.__typename).toBe('ValidationError');
    const identityFields = refused.fields.filter((f: { field: string }) => f.field.endsWith('.identity'));
    expect(identityFields).toHaveLength(2);
    expect(identityFields.map((f: { message: string }) => f.message).join(' ')).toContain(w.applicant.name);
    expect(identityFields.map((f: { message: string }) => f.message).join(' ')).toContain(w.respondent.name);
    expect(await ctx.deps.db.select().from(agreements).where(eq(agreements.caseId, caseRowId))).toEqual([]);

    // Only the case's mediator checks in person: a party is refused, another mediator does not see the party.
    const byParty = (await ctx.gql(VERIFY, { input: { partyId: respondent.id, documentType: 'RESIDENT_ID_CARD' } }, w.applicant.token)).data.verifyIdentityInPerson;
    expect(byParty.code).toBe('FORBIDDEN');
    const byOther = (await ctx.gql(VERIFY, { input: { partyId: respondent.id, documentType: 'RESIDENT_ID_CARD' } }, w.countyMediator.token)).data.verifyIdentityInPerson;
    expect(byOther.code).toBe('NOT_FOUND');
    expect((await ctx.gql(VERIFY, { input: { partyId: respondent.id, documentType: 'RESIDENT_ID_CARD' } }, null)).data.verifyIdentityInPerson.code).toBe('UNAUTHENTICATED');
    const [before] = await ctx.deps.db.select().from(users).where(eq(users.id, w.respondent.userId));
    expect(before!.identityMethod).toBe('PHONE');

    const done = (await ctx.gql(VERIFY, { input: { partyId: applicant.id, documentType: 'HOUSEHOLD_REGISTER' } }, mediator.token)).data.verifyIdentityInPerson;
    expect(done).toMatchObject({ __typename: 'VerifyIdentityInPersonSuccess', identityMethod: 'IN_PERSON', documentType: 'HOUSEHOLD_REGISTER', party: { id: applicant.id } });
    expect((await ctx.gql(ME, {}, w.applicant.token)).data.me.identityMethod).toBe('IN_PERSON');
    const [logged] = await ctx.deps.db.select().from(identityVerifications).where(and(eq(identityVerifications.userId, w.applicant.userId), eq(identityVerifications.method, 'IN_PERSON')));
    expect(logged).toMatchObject({ passed: true, verifiedBy: mediator.userId, documentType: 'HOUSEHOLD_REGISTER' });
    const onCase = await ctx.deps.db.select().from(events).where(and(eq(events.subjectId, caseRowId), eq(events.type, 'party.identity_verified')));
    expect(onCase.map((e) => (e.data as { documentType: string }).documentType)).toEqual(['HOUSEHOLD_REGISTER']);

    const half = (await ctx.gql(DRAFT, { input: draftInput(c.id, respondent.id) }, mediator.token)).data.draftAgreement;
    expect(half.fields.filter((f: { field: string }) => f.field.endsWith('.identity')).map((f: { message: string }) => f.message)).toEqual([expect.stringContaining(w.respondent.name)]);

    await ctx.gql(VERIFY, { input: { partyId: respondent.id, documentType: 'RESIDENT_ID_CARD' } }, mediator.token);
    const drafted = (await ctx.gql(DRAFT, { input: draftInput(c.id, respondent.id) }, mediator.token)).data.draftAgreement;
    expect(drafted.__typename, JSON.stringify(drafted)).toBe('DraftAgreementSuccess');
  });

  it('an unknown document type is refused by the schema and nothing is recorded', async () => {
    const res = await ctx.gql(VERIFY, { input: { partyId: '00000000-0000-4000-8000-000000000000', documentType: 'LIBRARY_CARD' } }, w.admin.token);
    expect(res.body.errors?.[0]?.message).toMatch(/LIBRARY_CARD/);
  });
});
