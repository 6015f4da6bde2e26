import { describe, expect, it } from 'vitest';
import { maySubsidy, subsidyAuthorityOf, type SubsidyAct } from '../../server/domain/access/subsidy';
import type { Viewer } from '../../server/domain/context';
import { evaluateEligibility, type CaseFileFacts } from '../../server/domain/subsidies/eligibility';
import { statementTransition } from '../../server/domain/subsidies/statement-machine';
import { fenToYuan, STATEMENT_ACTIONS, STATEMENT_STATUSES, STATEMENT_TRANSITIONS, yuanToFen } from '../../server/domain/subsidies/types';

const admin = (role: 'ORG_ADMIN' | 'PLATFORM_ADMIN' | 'MEDIATOR' = 'ORG_ADMIN'): Viewer => ({
  kind: 'user', userId: 'u', role, organizationId: 'o', phone: '13800000000', verifiedPhone: null, name: 'n', sessionId: 's',
});

const complete: CaseFileFacts = {
  caseId: 'c', caseNumber: 'n', regionCode: '532924101201', settledDay: '2026-09-02', privateSettlement: false,
  hasAgreement: true, hasOralRecord: false, hasMinutes: true, hasFollowUp: true, grade: 'ORDINARY', unsound: false, paid: false,
  personUserId: 'p', personName: '张', personRole: 'MEDIATOR', ruleSetId: 'r',
  amountsFen: { SIMPLE: 10000, ORDINARY: 20000, COMPLEX: 30000, MAJOR: 50000 }, fileRequirements: ['AGREEMENT', 'MINUTES', 'FOLLOW_UP'],
};

describe('以案定补 pure rules', () => {
  it('moves statements only as the table allows, for every status and action', () => {
    for (const status of STATEMENT_STATUSES) {
      for (const action of STATEMENT_ACTIONS) {
        const to = STATEMENT_TRANSITIONS[status][action];
        if (to) expect(statementTransition(status, action)).toBe(to);
        else expect(() => statementTransition(status, action)).toThrow(/cannot be moved/);
      }
    }
    expect(Object.keys(STATEMENT_TRANSITIONS.APPROVED).sort()).toEqual(['PAY', 'SUPERSEDE']);
  });

  it('finds each missing item of a file, and the oral record only for a private settlement', () => {
    expect(evaluateEligibility(complete)).toEqual({ eligible: true, missing: [], amountFen: 20000 });
    expect(evaluateEligibility({ ...complete, hasAgreement: false }).missing).toEqual(['AGREEMENT']);
    expect(evaluateEligibility({ ...complete, hasAgreement: false, hasOralRecord: true }).missing).toEqual(['AGREEMENT']);
    expect(evaluateEligibility({ ...complete, hasAgreement: false, hasOralRecord: true, privateSettlement: true }).missing).toEqual([]);
    expect(evaluateEligibility({ ...complete, settledDay: null, ruleSetId: null }).missing).toEqual(['NOT_SETTLED']);
    expect(evaluateEligibility({ ...complete, ruleSetId: null, amountsFen: null, fileRequirements: null }).missing).toEqual(['NO_RULES']);
    expect(evaluateEligibility({ ...complete, grade: null, hasMinutes: false, hasFollowUp: false, paid: true, unsound: true }).missing).toEqual(['NOT_GRADED', 'MINUTES', 'FOLLOW_UP', 'ALREADY_PAID', 'UNSOUND']);
    expect(evaluateEligibility({ ...complete, hasFollowUp: false, fileRequirements: ['AGREEMENT', 'MINUTES'] }).eligible).toBe(true);
  });

  it('gives each office its acts and nothing outside its division', () => {
    const bureau = subsidyAuthorityOf(admin(), { kind: 'ADMINISTRATIVE_AGENCY', level: 'COUNTY', regionCode: '532924', name: '宾川县司法局' });
    const station = subsidyAuthorityOf(admin(), { kind: 'ADMINISTRATIVE_AGENCY', level: 'TOWNSHIP', regionCode: '532924101', name: '金牛镇司法所' });
    const police = subsidyAuthorityOf(admin(), { kind: 'ADMINISTRATIVE_AGENCY', level: 'COUNTY', regionCode: '532924', name: '宾川县公安局' });
    const committee = subsidyAuthorityOf(admin(), { kind: 'PEOPLES_MEDIATION_COMMITTEE', level: 'COUNTY', regionCode: '532924', name: '宾川县司法局' });
    expect([police.kind, committee.kind, subsidyAuthorityOf(admin('MEDIATOR'), null).kind]).toEqual(['none', 'none', 'none']);
    const table: [SubsidyAct, string, boolean, boolean][] = [
      // act, region, bureau may, station may
      ['SET_RULES', '532924', true, false],
      ['SET_RULES', '532901', false, false],
      ['DRAFT', '532924101', false, true],
      ['DRAFT', '532924102', false, false],
      ['REVIEW', '532924101', false, true],
      ['APPROVE', '532924101', true, false],
      ['PAY', '532924101', true, false],
      ['CORRECT', '532924101', true, false],
      ['REGRADE', '532924101201', false, true],
      ['REGRADE', '532924102201', false, false],
      ['SPOT_CHECK', '532924102201', true, false],
      ['SPOT_CHECK', '532924101201', true, true],
      ['READ', '532924', true, false],
      ['READ', '532924101', true, true],
      ['READ_RULES', '532924', true, true],
    ];
    for (const [act, region, b, s] of table) {
      expect([act, region, maySubsidy(bureau, act, region)]).toEqual([act, region, b]);
      expect([act, region, maySubsidy(station, act, region)]).toEqual([act, region, s]);
    }
    const platform = subsidyAuthorityOf(admin('PLATFORM_ADMIN'), null);
    expect(maySubsidy(platform, 'READ', '532924')).toBe(true);
    expect(maySubsidy(platform, 'APPROVE', '532924101')).toBe(false);
  });

  it('keeps money in integer fen', () => {
    expect(yuanToFen('350.5')).toBe(35050);
    expect(yuanToFen('100')).toBe(10000);
    expect(fenToYuan(-20000)).toBe('-200.00');
    expect(fenToYuan(35050)).toBe('350.50');
    expect(fenToYuan(5)).toBe('0.05');
  });
});
