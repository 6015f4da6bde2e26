import { describe, expect, it } from 'vitest';
import { mediationLimit } from '../../server/domain/cases/mediation-limit';

const base = { channel: 'PEOPLES' as const, delegatingCourtId: null, courtStage: null, courtProcedure: null };

describe('mediation limits (OMR 24, 26)', () => {
  it('pre-filing (委派) mediation: 30 days, statutory', () => {
    expect(mediationLimit({ ...base, delegatingCourtId: '00000000-0000-0000-0000-000000000001' })).toMatchObject({ days: 30, statutory: true });
    expect(mediationLimit({ ...base, channel: 'JUDICIAL' })).toMatchObject({ days: 30, statutory: true });
    expect(mediationLimit({ ...base, courtStage: 'PRE_FILING' })).toMatchObject({ days: 30, statutory: true });
  });
  it('post-filing (委托) mediation: 15 days, 7 in the simplified procedure', () => {
    expect(mediationLimit({ ...base, courtStage: 'POST_FILING', courtProcedure: 'ORDINARY' })).toMatchObject({ days: 15, statutory: true });
    expect(mediationLimit({ ...base, courtStage: 'POST_FILING', courtProcedure: 'SIMPLIFIED' })).toMatchObject({ days: 7, statutory: true });
  });
  it('people’s mediation: about a month in practice, not statutory', () => {
    expect(mediationLimit(base)).toMatchObject({ days: 30, statutory: false });
  });
});
