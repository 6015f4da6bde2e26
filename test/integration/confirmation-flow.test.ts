import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import { deliverOutbox } from '../../server/jobs/deliver-outbox';
import { runCourtClient } from '../support/court-client';
import { APPLY, courtClient, createConfirmationWorld, jointlyApply, settledCase, type ConfirmationWorld } from '../support/confirmation-world';
import { loginAs, registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let ctx: TestContext;
let w: ConfirmationWorld;
let receiver: WebhookReceiver;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } }); // the local webhook receiver
  w = await createConfirmationWorld(ctx);
  receiver = await startWebhookReceiver({ now: () => ctx.clock.now() });
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await receiver?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await ctx?.close();
});

const ELIGIBLE = /* GraphQL */ `
  query ($id: ID!) { node(id: $id) { ... on Agreement { eligibleCourts { court { id name } reasons } } } }
`;
const CASE = /* GraphQL */ `
  query ($id: ID!) { case(id: $id) { status dueAt dueRule confirmation { status rulingNumber rulingDate court { id } } events { type actorKind actorName } recordVerification { valid } } }
`;
const ENFORCE = /* GraphQL */ `
  mutation ($input: ApplyForEnforcementInput!) {
    applyForEnforcement(input: $input) {
      __typename
      ... on ApplyForEnforcementSuccess { enforcement { id lastPerformanceDate limitationEndsAt late court { id } } }
      ... on Error { code message }
    }
  }
`;

describe('from filing to a confirmed agreement, with the court acting only through the API', () => {
  it('holds a session, settles, both parties apply, the court is told by a signed webhook, accepts and confirms; a party then applies to enforce', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const started = Date.now();
    const client = await courtClient(ctx, w.admin.token, w.court, receiver.url);
    receiver.secret = client.webhookSecret;
    const { caseId, agreementId } = await settledCase(ctx, w, { withSession: true });
    const held = await ctx.gql(`query($id: ID!) { case(id: $id) { sessions { mode minutes { lockedAt sha256 } } } }`, { id: caseId }, w.applicant.token);
    expect(held.data.case.sessions[0].mode).toBe('ON_SITE');
    expect(held.data.case.sessions[0].minutes.lockedAt).not.toBeNull();

    // The court of the county where the dispute arose (and where the village committee sits) is eligible, with reasons.
    const eligible = await ctx.gql(ELIGIBLE, { id: agreementId }, w.applicant.token);
    const mine = eligible.data.node.eligibleCourts.find((e: { court: { id: string } }) => e.court.id === w.court.globalId);
    expect(mine.reasons.join()).toContain('调解组织');
    expect(mine.reasons.join()).toContain('调解组织');
    // The intermediate court is not, for a 3000 yuan neighbour dispute.
    expect(eligible.data.node.eligibleCourts.some((e: { court: { id: string } }) => e.court.id === w.otherCourt.globalId)).toBe(false);

    // A stranger cannot apply: the agreement does not exist for them.
    const stranger = await registerParty(ctx);
    const denied = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, stranger.token);
    expect(denied.data.applyForJudicialConfirmation.code).toBe('NOT_FOUND');
    // An ineligible court is refused with the eligible ones named.
    const wrongCourt = await ctx.gql(APPLY, { input: { agreementId, courtId: w.otherCourt.globalId } }, w.applicant.token);
    expect(wrongCourt.data.applyForJudicialConfirmation.__typename).toBe('ValidationError');

    // Before every party has applied, the court sees nothing.
    const first = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, w.applicant.token);
    expect(first.data.applyForJudicialConfirmation.application.status).toBe('AWAITING_CO_APPLICANT');
    const early = await ctx.gql(`{ confirmationApplications { edges { node { id } } } }`, {}, client.secret);
    expect(early.data.confirmationApplications.edges).toEqual([]);
    const again = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, w.applicant.token);
    expect(again.data.applyForJudicialConfirmation.code).toBe('INVALID_TRANSITION');

    const second = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, w.respondent.token);
    const app = second.data.applyForJudicialConfirmation.application;
    expect(app.status).toBe('SUBMITTED');
    expect(app.applicants.map((a: { name: string }) => a.name).sort()).toEqual([w.applicant.name, w.respondent.name].sort());
    expect(app.materials.agreement.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(app.materials.organization.name).toBe(w.villageOrg.name);
    expect(app.materials.parties).toHaveLength(2);
    // JC2011 4: acceptance within 3 days of Monday 2026-11-23 -> end of Thursday 26 November (China time).
    expect(app.acceptanceDueAt).toBe('2026-11-26T15:59:59.999Z');
    const settled = await ctx.gql(CASE, { id: caseId }, w.applicant.token);
    expect(settled.data.case.status).toBe('CONFIRMATION_PENDING');

    // The webhook was written in the same transaction, one row for this court's client.
    const rows = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.recipient, client.clientId), eq(outbox.topic, 'confirmation_application.submitted')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.kind).toBe('WEBHOOK');
    expect(rows[0]!.payload).toMatchObject({ applicationId: app.id, caseId, agreementId });
    const sent = Date.now();
    const delivered = await deliverOutbox(ctx.deps, { recipients: [client.clientId] });
    const latencyMs = Date.now() - sent;
    expect(delivered.delivered).toBe(1);
    const hook = receiver.accepted().find((r) => r.json?.type === 'confirmation_application.submitted');
    expect(hook?.signatureValid).toBe(true);
    expect(hook?.json?.id).toBe(rows[0]!.id);
    expect(hook?.json?.data.applicationId).toBe(app.id);

    // The sample court system polls, accepts and confirms, using HTTP only.
    let serial = Number(String(Date.now()).slice(-6));
    const run = await runCourtClient({ baseUrl, secret: client.secret, courtCode: client.court.courtCode, nextSerial: () => ++serial, year: 2026 });
    expect(run.errors).toEqual([]);
    expect(run.ruled).toEqual([expect.objectContaining({ applicationId: app.id, status: 'CONFIRMED' })]);

    const confirmed = await ctx.gql(CASE, { id: caseId }, w.applicant.token);
    expect(confirmed.data.case.status).toBe('CONFIRMED');
    expect(confirmed.data.case.confirmation.rulingNumber).toBe(run.ruled[0]!.rulingNumber);
    expect(confirmed.data.case.confirmation.rulingDate).toBe('2026-11-23');
    const courtEvents = confirmed.data.case.events.filter((e: { actorKind: string }) => e.actorKind === 'apiClient');
    expect(courtEvents.map((e: { type: string }) => e.type)).toEqual(['confirmation.accepted', 'confirmation.confirmed']);
    expect(courtEvents[0].actorName).toMatch(/^法院系统/);
    expect(confirmed.data.case.recordVerification.valid).toBe(true);

    // CPL 250: enforcement at the confirming court, within 2 years of the last performance date (2026-12-20).
    const strangerEnforce = await ctx.gql(ENFORCE, { input: { caseId } }, stranger.token);
    expect(strangerEnforce.data.applyForEnforcement.code).toBe('NOT_FOUND');
    // Sessions last 7 days: moving the clock weeks ahead needs fresh logins.
    ctx.clock.set('2026-12-28T02:00:00Z');
    const enforce = await ctx.gql(ENFORCE, { input: { caseId, note: '被申请人未按期支付' } }, (await loginAs(ctx, w.applicant.phone)).token);
    expect(enforce.data.applyForEnforcement.__typename).toBe('ApplyForEnforcementSuccess');
    expect(enforce.data.applyForEnforcement.enforcement.lastPerformanceDate).toBe('2026-12-20');
    expect(enforce.data.applyForEnforcement.enforcement.limitationEndsAt).toBe('2028-12-20T15:59:59.999Z');
    expect(enforce.data.applyForEnforcement.enforcement.court.id).toBe(w.court.globalId);
    const enforceRows = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.recipient, client.clientId), eq(outbox.topic, 'enforcement_application.created')));
    expect(enforceRows).toHaveLength(1);
    ctx.clock.set('2028-12-21T02:00:00Z');
    const tooLate = await ctx.gql(ENFORCE, { input: { caseId } }, (await loginAs(ctx, w.respondent.phone)).token);
    // INT 481: the time bar is the respondent's defence for the court: accepted, flagged late.
    expect(tooLate.data.applyForEnforcement.__typename).toBe('ApplyForEnforcementSuccess');
    expect(tooLate.data.applyForEnforcement.enforcement.late).toBe(true);
    expect(enforce.data.applyForEnforcement.enforcement.late).toBe(false);
    console.info(`confirmation end to end: ${Date.now() - started} ms; webhook delivery ${latencyMs} ms`);
  });

  it('refuses an application after the 30 days of CPL 205', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { agreementId, agreement } = await settledCase(ctx, w);
    ctx.clock.set(new Date(new Date(agreement.confirmationDeadline).getTime() + 1000));
    try {
      const late = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, (await loginAs(ctx, w.applicant.phone)).token);
      expect(late.data.applyForJudicialConfirmation.__typename).toBe('DeadlineError');
    } finally {
      ctx.clock.set('2026-11-23T02:00:00Z');
    }
  });

  it('lets a party withdraw before the ruling: the court is told and the case is SETTLED again', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const client = await courtClient(ctx, w.admin.token, w.court, receiver.url);
    const { caseId, agreementId } = await settledCase(ctx, w);
    const app = await jointlyApply(ctx, w, agreementId, w.court);
    const stranger = await registerParty(ctx);
    const WITHDRAW = `mutation($input: WithdrawConfirmationApplicationInput!) { withdrawConfirmationApplication(input: $input) { __typename ... on WithdrawConfirmationApplicationSuccess { application { status case { status } } } ... on Error { code } } }`;
    const denied = await ctx.gql(WITHDRAW, { input: { applicationId: app.id } }, stranger.token);
    expect(denied.data.withdrawConfirmationApplication.code).toBe('NOT_FOUND');
    const res = await ctx.gql(WITHDRAW, { input: { applicationId: app.id, reason: '双方已自行履行' } }, w.respondent.token);
    expect(res.data.withdrawConfirmationApplication.application).toEqual({ status: 'WITHDRAWN', case: { status: 'SETTLED' } });
    const rows = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.recipient, client.clientId), eq(outbox.topic, 'confirmation_application.withdrawn')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.caseId).toBe((await import('@pothos/plugin-relay')).decodeGlobalID(caseId).id);
    // The delivery log: the court's own client sees its deliveries and may requeue one; a party sees none.
    const log = await ctx.gql(`{ webhookDeliveries(first: 50) { edges { node { id topic status attempts } } } }`, {}, client.secret);
    expect(log.data.webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(rows[0]!.id);
    const partyLog = await ctx.gql(`{ webhookDeliveries { edges { node { id } } } }`, {}, w.applicant.token);
    expect(partyLog.data.webhookDeliveries.edges).toEqual([]);
    const REDELIVER = `mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { __typename ... on RedeliverWebhookSuccess { delivery { status attempts } } ... on Error { code } } }`;
    expect((await ctx.gql(REDELIVER, { input: { deliveryId: rows[0]!.id } }, w.applicant.token)).data.redeliverWebhook.code).toBe('FORBIDDEN');
    expect((await ctx.gql(REDELIVER, { input: { deliveryId: rows[0]!.id } }, w.admin.token)).data.redeliverWebhook.delivery).toEqual({ status: 'PENDING', attempts: 0 });
  });
});
