import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/harness';
import { createConfirmationWorld, jointlyApply, settledCase, type ConfirmationWorld } from '../support/confirmation-world';
import { createMediatorAccount, createOrg, userWithRole } from '../support/factories';

// One policy: a party's phone, ID number and domicile read the same way in Case.parties and in the
// confirmation materials, and the IP / user agent on the timeline are not another party's to read.
let ctx: TestContext;
let w: ConfirmationWorld;
let caseId: string;
let applicationId: string;
let mediatorToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createConfirmationWorld(ctx);
  const settled = await settledCase(ctx, w);
  caseId = settled.caseId;
  mediatorToken = settled.mediator.token;
  applicationId = (await jointlyApply(ctx, w, settled.agreementId, w.court)).id;
});
afterAll(async () => ctx?.close());

const PARTIES = `query ($id: ID!) { case(id: $id) { parties { role phone idNumber address } events { actorName ip userAgent } } }`;
const MATERIALS = `query ($id: ID!) { node(id: $id) { ... on ConfirmationApplication { materials { parties { role phone domicile idNumberMasked } } } } }`;

async function view(token: string) {
  const c = (await ctx.gql(PARTIES, { id: caseId }, token)).data.case;
  const m = (await ctx.gql(MATERIALS, { id: applicationId }, token)).data.node?.materials;
  return { c, m };
}

describe('access policy: personal fields', () => {
  it('a party reads their own data in full and the other party’s masked, the same in Case.parties and the materials', async () => {
    const { c, m } = await view(w.applicant.token);
    const own = c.parties.find((p: { role: string }) => p.role === 'APPLICANT');
    const other = c.parties.find((p: { role: string }) => p.role === 'RESPONDENT');
    expect(own.phone).toBe(w.applicant.phone);
    expect(other.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(other.phone).not.toBe(w.respondent.phone);
    expect(other.idNumber).not.toBe(w.respondent.idNumber);
    expect(other.address).toBeNull();
    const otherInMaterials = m.parties.find((p: { role: string }) => p.role === 'RESPONDENT');
    expect(otherInMaterials.phone).toBe(other.phone);
    expect(otherInMaterials.domicile).toBeNull();
    expect(m.parties.find((p: { role: string }) => p.role === 'APPLICANT').phone).toBe(w.applicant.phone);
  });

  it('the other party’s IP address and user agent on the timeline are hidden; one’s own are shown', async () => {
    const { c } = await view(w.applicant.token);
    const others = c.events.filter((e: { actorName: string | null }) => e.actorName === w.respondent.name);
    expect(others.length).toBeGreaterThan(0);
    for (const e of others) expect([e.ip, e.userAgent]).toEqual([null, null]);
    const mine = c.events.filter((e: { actorName: string | null }) => e.actorName === w.applicant.name);
    expect(mine.some((e: { ip: string | null }) => e.ip !== null)).toBe(true);
  });

  it('the case’s mediator and the court it was sent to read in full; org admins and platform admins masked', async () => {
    const { c: byMediator } = await view(mediatorToken);
    expect(byMediator.parties.map((p: { phone: string }) => p.phone).sort()).toEqual([w.applicant.phone, w.respondent.phone].sort());
    expect(byMediator.events.some((e: { actorName: string | null; ip: string | null }) => e.actorName === w.respondent.name && e.ip !== null)).toBe(true);

    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: w.villageOrg.id });
    const { c: byOrgAdmin } = await view(orgAdmin.token);
    expect(byOrgAdmin.parties.every((p: { phone: string; address: string | null }) => p.phone.includes('****') && p.address === null)).toBe(true);

    const { c: byAdmin } = await view(w.admin.token);
    expect(byAdmin.parties.every((p: { idNumber: string | null }) => p.idNumber === null || p.idNumber.includes('*'))).toBe(true);

    // Another organisation's mediator and admin do not see the case at all.
    const otherOrg = await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.township.code });
    const stranger = await createMediatorAccount(ctx, w.admin.token, otherOrg);
    expect((await ctx.gql(PARTIES, { id: caseId }, stranger.token)).data.case).toBeNull();
    const otherAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: otherOrg.id });
    expect((await ctx.gql(PARTIES, { id: caseId }, otherAdmin.token)).data.case).toBeNull();
  });
});
