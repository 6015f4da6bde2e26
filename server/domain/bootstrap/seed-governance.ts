import type { users } from '../../../schema';
import { addDaysToDate, localDate } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import type { DisputeCategory } from '../enums';
import { convertLeadToCase } from '../screening/convert-lead-to-case';
import { recordDisputeLead } from '../screening/record-dispute-lead';
import { recordLeadOutcome } from '../screening/record-lead-outcome';
import { submitScreeningReport } from '../screening/submit-screening-report';
import type { LeadSource } from '../screening/types';
import { isoWeekOf } from '../screening/weeks';
import { issueSupervisionOrder } from '../supervision/issue-supervision-order';

type UserRow = typeof users.$inferSelect;

export function actorOf(u: UserRow): Actor {
  return {
    viewer: { kind: 'user', userId: u.id, role: u.role, organizationId: u.organizationId, phone: u.phone, verifiedPhone: u.phoneVerifiedAt ? u.phone : null, name: u.name, sessionId: 'seed' },
    ip: null,
    userAgent: 'demo-seed',
    requestId: null,
  };
}

interface LeadSpec {
  daysAgo: number;
  village: 'guishan' | 'beihui' | 'changan';
  category: DisputeCategory;
  source: LeadSource;
  people: { name: string; phone?: string }[];
  description: string;
  then?: { outcome: 'RESOLVED_ON_SPOT'; resolution: string } | { outcome: 'REFERRED'; referredTo: string; reason: string } | { outcome: 'CONVERTED' } | { outcome: 'UNDER_WATCH'; watchPersonName: string; reviewInDays: number; measures: string };
}

const VILLAGE_CODES = { guishan: '532924101201', beihui: '532623101001', changan: '532527101001' } as const;

/** A month of the screening ledger across the demo villages, entered as grid workers enter it. */
const LEADS: LeadSpec[] = [
  { daysAgo: 28, village: 'guishan', category: 'NEIGHBOR', source: 'VISIT', people: [{ name: '杨文才' }, { name: '杨文德' }], description: '两兄弟因院墙滴水问题争吵，邻居劝开。', then: { outcome: 'RESOLVED_ON_SPOT', resolution: '网格员现场说和：杨文德加装檐沟，杨文才不再追究，双方握手言和。' } },
  { daysAgo: 25, village: 'guishan', category: 'LAND', source: 'SELF_REPORT', people: [{ name: '李秀英', phone: '13800003001' }, { name: '杨建国', phone: '13800003002' }], description: '承包地边界界桩被移动约半米，双方各执一词，要求村里调解。', then: { outcome: 'CONVERTED' } },
  { daysAgo: 21, village: 'guishan', category: 'LABOR', source: 'HOTLINE', people: [{ name: '王春花' }], description: '村民反映在县城工地务工三个月未领到工资，约一万二千元。', then: { outcome: 'REFERRED', referredTo: '宾川县人力资源和社会保障局劳动保障监察大队', reason: '欠薪属劳动保障监察职责' } },
  { daysAgo: 18, village: 'beihui', category: 'FAMILY', source: 'VISIT', people: [{ name: '陆大妈' }, { name: '陆小军' }], description: '母子因赡养费分担问题争吵，已持续一个月。', then: { outcome: 'RESOLVED_ON_SPOT', resolution: '社区调解员上门，陆小军同意每月给付赡养费五百元。' } },
  { daysAgo: 14, village: 'guishan', category: 'MARRIAGE', source: 'POLICE_REFERRAL', people: [{ name: '张某' }, { name: '赵某' }], description: '丈夫酒后扬言要杀了她，妻子已回娘家，派出所转来。', then: { outcome: 'UNDER_WATCH', watchPersonName: '圭山村党支部书记 杨正华', reviewInDays: 7, measures: '每周上门一次；联系派出所民警共同稳控；妇联介入' } },
  { daysAgo: 12, village: 'changan', category: 'PROPERTY_MANAGEMENT', source: 'HOTLINE', people: [{ name: '普先生' }, { name: '长安小区物业公司' }], description: '业主反映电梯长期故障，物业拒绝维修，拒交物业费。', then: { outcome: 'RESOLVED_ON_SPOT', resolution: '社区召集物业与业主代表协商，物业承诺十日内修复电梯。' } },
  { daysAgo: 9, village: 'guishan', category: 'DEBT', source: 'VISIT', people: [{ name: '余老三' }, { name: '何二' }], description: '借款两万元到期未还，出借人多次上门催讨发生推搡。' },
  { daysAgo: 6, village: 'beihui', category: 'NEIGHBOR', source: 'SCHOOL_OR_HOSPITAL', people: [{ name: '农某' }, { name: '黄某' }], description: '两家孩子在学校打架，家长之间产生矛盾，学校反映。', then: { outcome: 'RESOLVED_ON_SPOT', resolution: '在学校老师见证下双方家长互相道歉，医药费各自承担。' } },
  { daysAgo: 3, village: 'changan', category: 'INHERITANCE', source: 'SELF_REPORT', people: [{ name: '昂某甲' }, { name: '昂某乙' }], description: '老人去世后兄妹对老宅归属有争议，尚未协商。' },
  { daysAgo: 1, village: 'guishan', category: 'FAMILY', source: 'VISIT', people: [{ name: '杨某' }, { name: '杨某某' }], description: '兄弟分家产争吵，弟弟酒后扬言要杀了他，哥哥一家不敢回家。' },
];

/**
 * Demo governance data made through the domain commands: a month of leads in the three demo
 * villages (some resolved on the spot, one converted, one referred, one under watch), weekly
 * screening reports of 圭山村 including 零报告, and one open supervision order from 金牛镇 on the
 * newest high-risk lead. The demo has no settled case, so no follow-up is invented.
 */
export async function seedGovernanceDemo(deps: Deps, gridWorkers: Record<keyof typeof VILLAGE_CODES, UserRow>, townshipAdmin: UserRow): Promise<void> {
  const today = localDate(deps.clock.now());
  const ids: string[] = [];
  for (const spec of LEADS) {
    const actor = actorOf(gridWorkers[spec.village]);
    const lead = await recordDisputeLead(deps, actor, {
      regionCode: VILLAGE_CODES[spec.village],
      category: spec.category,
      source: spec.source,
      people: spec.people,
      description: spec.description,
      foundOn: addDaysToDate(today, -spec.daysAgo),
    });
    ids.push(lead.id);
    const then = spec.then;
    if (!then) continue;
    if (then.outcome === 'CONVERTED') await convertLeadToCase(deps, actor, { leadId: lead.id });
    else if (then.outcome === 'UNDER_WATCH') {
      await recordLeadOutcome(deps, actor, { leadId: lead.id, outcome: 'UNDER_WATCH', watchPersonName: then.watchPersonName, reviewDate: addDaysToDate(today, then.reviewInDays), measures: then.measures });
    } else await recordLeadOutcome(deps, actor, { leadId: lead.id, ...then });
  }
  // 圭山村's weekly reports for the past three weeks: a 零报告 when nothing was found that week.
  for (const back of [3, 2, 1]) {
    const weekStartDay = addDaysToDate(today, -7 * back);
    const week = isoWeekOf(weekStartDay);
    const monday = addDaysToDate(weekStartDay, -((new Date(`${weekStartDay}T00:00:00Z`).getUTCDay() + 6) % 7));
    const found = LEADS.map((l, i) => ({ l, id: ids[i]! })).filter(({ l }) => {
      const d = addDaysToDate(today, -l.daysAgo);
      return l.village === 'guishan' && d >= monday && d <= addDaysToDate(monday, 6);
    });
    await submitScreeningReport(deps, actorOf(gridWorkers.guishan), {
      regionCode: VILLAGE_CODES.guishan,
      week,
      ...(found.length ? { leadIds: found.map((f) => f.id) } : { nothingFound: true }),
    });
  }
  await issueSupervisionOrder(deps, actorOf(townshipAdmin), {
    leadId: ids[ids.length - 1]!,
    reason: '高风险家庭纠纷：当事人扬言伤害他人',
    requiredAction: '三日内落实包保责任人、联系派出所共同稳控，并报告化解方案',
    dueAt: new Date(deps.clock.now().getTime() + 3 * 86_400_000),
  });
}
