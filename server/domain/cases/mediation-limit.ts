import type { CaseRow } from './case-access';

export interface MediationLimit {
  days: number;
  rule: string;
  /** Fixed by statute: at expiry the case needs an extension with every party's consent or termination (OMR 26). */
  statutory: boolean;
}

/** How long mediation may run for this case, and the rule that says so. */
export function mediationLimit(c: Pick<CaseRow, 'channel' | 'delegatingCourtId' | 'courtStage' | 'courtProcedure'>): MediationLimit {
  if (c.courtStage === 'POST_FILING') {
    // OMR 24: mediation entrusted after filing (委托) — 15 days, 7 in the simplified procedure.
    return c.courtProcedure === 'SIMPLIFIED'
      ? { days: 7, rule: 'OMR 24: 立案后委托调解（简易程序）期限为7日', statutory: true }
      : { days: 15, rule: 'OMR 24: 立案后委托调解（普通程序）期限为15日', statutory: true };
  }
  if (c.channel === 'JUDICIAL' || c.delegatingCourtId !== null || c.courtStage === 'PRE_FILING') {
    return { days: 30, rule: 'OMR 24, 26, SIM 27: 立案前委派调解期限为30日，经各方同意可延长', statutory: true };
  }
  return { days: 30, rule: '人民调解、行政调解、律师调解：一般应在一个月内调结（实践，可配置）', statutory: false };
}
