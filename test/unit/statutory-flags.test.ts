import { describe, expect, it } from 'vitest';
import { acceptanceLate, applicationOverdue, beyondStatutoryCap, caseOverdue, supplementOverdue, transferOverdue } from '../../server/domain/access/statutory';

const d = (s: string) => new Date(`2026-12-${s}T00:00:00Z`);

describe('statutory flags', () => {
  it('case overdue: a running clock past its deadline', () => {
    expect(caseOverdue({ dueAt: null }, d('10'))).toBe(false);
    expect(caseOverdue({ dueAt: d('09') }, d('10'))).toBe(true);
    expect(caseOverdue({ dueAt: d('10') }, d('10'))).toBe(false);
  });
  it('JC2011 4: acceptance late when accepted, or still undecided, after the 3 days', () => {
    expect(acceptanceLate({ acceptanceDueAt: null, acceptedAt: null, status: 'SUBMITTED' }, d('10'))).toBe(false);
    expect(acceptanceLate({ acceptanceDueAt: d('04'), acceptedAt: null, status: 'SUBMITTED' }, d('05'))).toBe(true);
    expect(acceptanceLate({ acceptanceDueAt: d('04'), acceptedAt: null, status: 'SUBMITTED' }, d('03'))).toBe(false);
    expect(acceptanceLate({ acceptanceDueAt: d('04'), acceptedAt: d('03'), status: 'ACCEPTED' }, d('20'))).toBe(false);
    expect(acceptanceLate({ acceptanceDueAt: d('04'), acceptedAt: d('06'), status: 'ACCEPTED' }, d('20'))).toBe(true);
    expect(acceptanceLate({ acceptanceDueAt: d('04'), acceptedAt: null, status: 'NOT_ACCEPTED' }, d('20'))).toBe(false);
  });
  it('CPL 187: beyond the 30-day cap when due or decided after it', () => {
    expect(beyondStatutoryCap({ statutoryCapAt: null, decisionDueAt: null, decidedAt: null }, d('10'))).toBe(false);
    expect(beyondStatutoryCap({ statutoryCapAt: d('20'), decisionDueAt: d('21'), decidedAt: null }, d('10'))).toBe(true);
    expect(beyondStatutoryCap({ statutoryCapAt: d('20'), decisionDueAt: d('19'), decidedAt: null }, d('10'))).toBe(false);
    expect(beyondStatutoryCap({ statutoryCapAt: d('20'), decisionDueAt: d('19'), decidedAt: null }, d('21'))).toBe(true);
    expect(beyondStatutoryCap({ statutoryCapAt: d('20'), decisionDueAt: d('19'), decidedAt: d('18') }, d('25'))).toBe(false);
  });
  it('application overdue only while undecided; transfer and supplement deadlines', () => {
    expect(applicationOverdue({ status: 'ACCEPTED', decisionDueAt: d('05') }, d('06'))).toBe(true);
    expect(applicationOverdue({ status: 'CONFIRMED', decisionDueAt: d('05') }, d('06'))).toBe(false);
    expect(applicationOverdue({ status: 'ACCEPTED', decisionDueAt: d('07') }, d('06'))).toBe(false);
    expect(transferOverdue({ acknowledgedAt: null, filingDueAt: d('05') }, d('06'))).toBe(true);
    expect(transferOverdue({ acknowledgedAt: d('04'), filingDueAt: d('05') }, d('06'))).toBe(false);
    expect(supplementOverdue({ answeredAt: null, dueAt: d('05') }, d('06'))).toBe(true);
    expect(supplementOverdue({ answeredAt: d('06'), dueAt: d('05') }, d('07'))).toBe(false);
  });
});
