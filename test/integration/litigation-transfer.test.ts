import { and, eq } from 'drizzle-orm';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import { caseNumberFor, courtClient, createConfirmationWorld, failedCase, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { RESPOND, fileNeighborDispute } from '../support/case-world';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;
let other: CourtClient;

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } }); // the (unused) local webhook address
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court, 'http://127.0.0.1:9/unused');
  other = await courtClient(ctx, w.admin.token, w.otherCourt);
});
afterAll(async () => ctx?.close());

const TRANSFER = /* GraphQL */ `
  mutation ($input: TransferToLitigationInput!) {
    transferToLitigation(input: $input) {
      __typename
      ... on TransferToLitigationSuccess { transfer { id status filingDueAt overdue undisputedFacts failureReport { why notesForCourt } case { id status } court { id } } }
      ... on Error { code message }
    }
  }
`;
const ACK = /* GraphQL */ `
  mutation ($input: AcknowledgeLitigationTransferInput!) {
    acknowledgeLitigationTransfer(input: $input) {
      __typename
      ... on AcknowledgeLitigationTransferSuccess { transfer { id status docketNumber overdue } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

describe('litigation hand-off', () => {
  it('a failed case goes to the court the party chooses, with the failure report; the court acknowledges with a docket number', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const { caseId } = await failedCase(ctx, w);
    const stranger = await registerParty(ctx);
    expect((await ctx.gql(TRANSFER, { input: { caseId, courtId: w.court.globalId } }, stranger.token)).data.transferToLitigation.code).toBe('NOT_FOUND');
    expect((await ctx.gql(TRANSFER, { input: { caseId, courtId: w.court.globalId } }, court.secret)).data.transferToLitigation.code).toBe('FORBIDDEN');
    const res = await ctx.gql(TRANSFER, { input: { caseId, courtId: w.court.globalId, note: '请求依法立案' } }, w.applicant.token);
    const t = res.data.transferToLitigation.transfer;
    expect(t.status).toBe('PENDING');
    expect(t.case.status).toBe('LITIGATION');
    // OMR 18: the mediator's notes for the court are not passed on; only formal parts and facts every party confirmed.
    expect(t.failureReport.notesForCourt).toBeNull();
    expect(JSON.stringify(t)).not.toContain('双方均认可滴水事实');
    // CPL 126: 7 days from Monday 23 November -> Monday 30 November.
    expect(t.filingDueAt).toBe('2026-11-30T15:59:59.999Z');
    expect(t.overdue).toBe(false);
    const rows = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.recipient, court.clientId), eq(outbox.topic, 'litigation_transfer.created')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ transferId: t.id, caseId });
    expect(rows[0]!.caseId).toBe(decodeGlobalID(caseId).id);
    const twice = await ctx.gql(TRANSFER, { input: { caseId, courtId: w.court.globalId } }, w.respondent.token);
    expect(twice.data.transferToLitigation.code).toBe('INVALID_TRANSITION');

    // The other court sees nothing and cannot acknowledge; the own court lists it.
    const otherList = await ctx.gql(`{ litigationTransfers(status: [PENDING]) { edges { node { id } } } }`, {}, other.secret);
    expect(otherList.data.litigationTransfers.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(t.id);
    const ownList = await ctx.gql(`{ litigationTransfers(status: [PENDING]) { edges { node { id undisputedFacts case { number } } } } }`, {}, court.secret);
    expect(ownList.data.litigationTransfers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(t.id);
    expect((await ctx.gql(ACK, { input: { transferId: t.id, docketNumber: caseNumberFor(ctx, other.court.courtCode, '民初') } }, other.secret)).data.acknowledgeLitigationTransfer.code).toBe('NOT_FOUND');
    expect((await ctx.gql(ACK, { input: { transferId: t.id, docketNumber: caseNumberFor(ctx, court.court.courtCode, '民初') } }, w.applicant.token)).data.acknowledgeLitigationTransfer.code).toBe('FORBIDDEN');

    // The docket number must be this court's 民初 number.
    const wrong = await ctx.gql(ACK, { input: { transferId: t.id, docketNumber: caseNumberFor(ctx, court.court.courtCode, '民特') } }, court.secret);
    expect(wrong.data.acknowledgeLitigationTransfer.fields[0].field).toBe('docketNumber');
    ctx.clock.set('2026-12-01T02:00:00Z');
    const docket = caseNumberFor(ctx, court.court.courtCode, '民初');
    const ack = await ctx.gql(ACK, { input: { transferId: t.id, docketNumber: docket } }, court.secret);
    expect(ack.data.acknowledgeLitigationTransfer.transfer).toEqual({ id: t.id, status: 'ACKNOWLEDGED', docketNumber: docket, overdue: true });
    const events = await ctx.gql(`query($id: ID!) { case(id: $id) { events { type actorKind } } }`, { id: caseId }, court.secret);
    expect(events.data.case.events.at(-1)).toEqual({ type: 'litigation.acknowledged', actorKind: 'apiClient' });
  });

  it('a refused case can be taken to court too; a case still in progress cannot', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const filed = await fileNeighborDispute(ctx, w);
    const early = await ctx.gql(TRANSFER, { input: { caseId: filed.id, courtId: w.court.globalId } }, w.applicant.token);
    expect(early.data.transferToLitigation.code).toBe('INVALID_TRANSITION');
    await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: false, reason: '不愿调解，要求直接起诉' } }, w.respondent.token);
    const res = await ctx.gql(TRANSFER, { input: { caseId: filed.id, courtId: w.court.globalId } }, w.applicant.token);
    expect(res.data.transferToLitigation.transfer.case.status).toBe('LITIGATION');
    // The refusal is reported by its formal ground; the respondent's own words stay with the mediation.
    expect(res.data.transferToLitigation.transfer.failureReport.why).toContain('被申请人不同意调解');
    expect(res.data.transferToLitigation.transfer.failureReport.why).not.toContain('不愿调解');
  });
});
