import { describe, expect, it } from 'vitest';
import { canSeeLead } from '../../server/domain/access/lead';
import { inScope, regionScopeOf } from '../../server/domain/access/region-scope';
import { levelAbove, maySupervise } from '../../server/domain/access/supervision';
import { loadCalendar } from '../../server/domain/clock/calendar';
import { routesForUnperformedTerm } from '../../server/domain/follow-up/routes';
import { isoWeekOf, reportDueAt, weekStartOf } from '../../server/domain/screening/weeks';
import type { Viewer } from '../../server/domain/context';
import type { PartyRow } from '../../server/domain/cases/case-access';

const user = (role: 'PARTY' | 'GRID_WORKER' | 'ORG_ADMIN' | 'PLATFORM_ADMIN', userId = 'u1'): Viewer => ({ kind: 'user', userId, role, organizationId: 'o1', phone: '13800000000', verifiedPhone: '13800000000', name: 'x', sessionId: 's' });

describe('ISO weeks of the weekly screening report', () => {
  it('maps weeks to Mondays and back, including week 53 and year boundaries', () => {
    expect(weekStartOf('2026-W48')).toBe('2026-11-23');
    expect(weekStartOf('2026-W01')).toBe('2025-12-29');
    expect(weekStartOf('2026-W53')).toBe('2026-12-28');
    expect(weekStartOf('2025-W53')).toBeNull();
    expect(weekStartOf('2026-W00')).toBeNull();
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
  });
  it('a report is due by the end of the first working day after the week, past holidays', () => {
    const cal = loadCalendar();
    expect(reportDueAt('2026-11-23', cal).toISOString()).toBe('2026-11-30T15:59:59.999Z');
    // The week of 2026-09-28 ends inside the National Day holiday: the report falls due on the first working day after it.
    const due = reportDueAt('2026-09-28', cal);
    expect(cal.isWorkingDay(due.toISOString().slice(0, 10))).toBe(true);
    expect(due.getTime()).toBeGreaterThan(new Date('2026-10-07T16:00:00Z').getTime());
  });
});

describe('who sees the ledger', () => {
  it('staff see their organisation’s region and below; parties nothing; platform admins everything', () => {
    expect(regionScopeOf(user('GRID_WORKER'), '532924101201')).toBe('532924101201');
    expect(regionScopeOf(user('PARTY'), '532924101201')).toBeNull();
    expect(regionScopeOf(user('PLATFORM_ADMIN'), null)).toBe('');
    expect(inScope('532924101', '532924101201')).toBe(true);
    expect(inScope('532924101201', '532924101202')).toBe(false);
    expect(inScope(null, '532924101201')).toBe(false);
    const lead = { regionCode: '532924101202', recordedBy: 'u2' };
    expect(canSeeLead(user('GRID_WORKER'), '532924101201', lead)).toBe(false);
    expect(canSeeLead(user('ORG_ADMIN'), '532924101', lead)).toBe(true);
    expect(canSeeLead(user('GRID_WORKER', 'u2'), '532924101201', lead)).toBe(true);
  });
});

describe('who supervises', () => {
  it('the level above whose region holds the matter, or the county 综治中心', () => {
    expect(levelAbove('VILLAGE')).toBe('TOWNSHIP');
    expect(levelAbove('PREFECTURE')).toBeNull();
    const township = { kind: 'PEOPLES_MEDIATION_COMMITTEE' as const, level: 'TOWNSHIP' as const, regionCode: '532924101' };
    expect(maySupervise(township, '532924101201', 'VILLAGE')).toBe(true);
    expect(maySupervise(township, '532924101201', 'TOWNSHIP')).toBe(false);
    expect(maySupervise(township, '532924102201', 'VILLAGE')).toBe(false);
    const center = { kind: 'COMPREHENSIVE_CENTER' as const, level: 'COUNTY' as const, regionCode: '532924' };
    expect(maySupervise(center, '532924', 'COUNTY')).toBe(true);
  });
});

describe('routes of an unperformed term', () => {
  const parties = [
    { id: 'a', name: '甲', phone: '1', role: 'APPLICANT' },
    { id: 'b', name: '乙', phone: '2', role: 'RESPONDENT' },
  ] as PartyRow[];
  const term = { text: 't', obligorPartyId: 'b', obligorName: '乙', amount: null, dueDate: '2026-12-01' };
  it('enforcement once confirmed; otherwise confirmation while its window is open, new mediation, litigation', () => {
    const now = new Date('2026-12-05T00:00:00Z');
    expect(routesForUnperformedTerm('CONFIRMED', null, now, term, parties)).toEqual([{ partyId: 'a', name: '甲', phone: '1', routes: ['ENFORCEMENT'] }]);
    expect(routesForUnperformedTerm('SETTLED', new Date('2026-12-20T00:00:00Z'), now, term, parties)[0]!.routes).toEqual(['JUDICIAL_CONFIRMATION', 'NEW_MEDIATION', 'LITIGATION']);
    expect(routesForUnperformedTerm('SETTLED', new Date('2026-12-01T00:00:00Z'), now, term, parties)[0]!.routes).toEqual(['NEW_MEDIATION', 'LITIGATION']);
    // Without a named obligor every party is told.
    expect(routesForUnperformedTerm('SETTLED', null, now, { ...term, obligorPartyId: null }, parties)).toHaveLength(2);
  });
});
