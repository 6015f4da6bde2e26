/**
 * First-instance amounts from which a civil dispute belongs to an intermediate court; CPL 205 then
 * sends the confirmation of an agreement on it to the intermediate court. Kept as data with its
 * source so that a new notice is one entry more, not a code change. Amounts in yuan.
 */
export interface IntermediateThreshold {
  /** First day the rule applies (YYYY-MM-DD, China time). */
  from: string;
  /** Where every party is domiciled in the province of the court, or every party outside it. */
  allSameSide: number;
  /** Where one party is domiciled outside the province of the court. */
  onePartyOutside: number;
  source: string;
}

export const INTERMEDIATE_THRESHOLDS: readonly IntermediateThreshold[] = Object.freeze([
  {
    from: '2021-10-01',
    allSameSide: 500_000_000,
    onePartyOutside: 100_000_000,
    source: '最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知（法发〔2021〕27号）',
  },
]);

/** The rule in force on `date` (YYYY-MM-DD): the latest entry that has started. */
export function thresholdOn(date: string, table: readonly IntermediateThreshold[] = INTERMEDIATE_THRESHOLDS): IntermediateThreshold {
  const inForce = table.filter((t) => t.from <= date).sort((a, b) => b.from.localeCompare(a.from))[0];
  if (!inForce) throw new Error(`no intermediate-court threshold in force on ${date}`);
  return inForce;
}

/** 500000000 -> 5亿元, 150000000 -> 1.5亿元 */
export function yiYuan(amount: number): string {
  return `${Number((amount / 100_000_000).toFixed(4))}亿元`;
}
