import { and, asc, eq } from 'drizzle-orm';
import { caseParties, followUps, mediators, users } from '../../../schema';
import { draftAgreement } from '../agreements/draft-agreement';
import { signAgreement } from '../agreements/sign-agreement';
import { acceptAssignment } from '../cases/accept-assignment';
import { fileDispute } from '../cases/file-dispute';
import { respondToMediation } from '../cases/respond-to-mediation';
import { addDaysToDate, localDate } from '../clock/calendar';
import type { Deps } from '../context';
import { recordFollowUp } from '../follow-up/record-follow-up';
import { verifyIdentityInPerson } from '../identity/verify-identity-in-person';
import { proposeSubsidyGrade } from '../subsidies/propose-subsidy-grade';
import { actorOf } from './seed-governance';

type UserRow = typeof users.$inferSelect;

const DAY = 86_400_000;
const GUISHAN = '532924101201';

interface SettledSpec {
  /** How long ago the case was filed; it is mediated and signed the same day. */
  daysAgo: number;
  applicant: number;
  respondent: number;
  category: 'NEIGHBOR' | 'LAND';
  title: string;
  description: string;
  claims: string;
  amount: string;
  facts: string;
  issues: string;
  responsibilities: string;
  /** Terms owed by the respondent: text, amount, due days after signing (none: no due date). */
  terms: { text: string; amount?: string; dueInDays?: number; owedByRespondent: boolean }[];
  performanceMethod: string;
  performanceInDays: number;
}

const SETTLED: SettledSpec[] = [
  {
    daysAgo: 40,
    applicant: 0,
    respondent: 1,
    category: 'NEIGHBOR',
    title: '屋檐滴水致院墙受潮纠纷',
    description: '被申请人新建房屋屋檐滴水落入申请人院内，院墙受潮开裂，多次协商未果，请求村调委会调解。',
    claims: '请求被申请人加装檐沟并赔偿院墙修复费用',
    amount: '2000.00',
    facts: '双方系圭山村相邻住户。被申请人新建房屋屋檐滴水落入申请人院内，致院墙受潮开裂，双方多次协商未果。',
    issues: '屋檐排水是否改建；院墙修复费用的承担。',
    responsibilities: '被申请人未按规定设置排水设施，对院墙受损负主要责任。',
    terms: [
      { text: '被申请人一次性补偿申请人院墙修复费用人民币2000元。', amount: '2000.00', dueInDays: 7, owedByRespondent: true },
      { text: '被申请人自费加装檐沟，将雨水引至村内公共排水沟。', dueInDays: 20, owedByRespondent: true },
      { text: '双方就本纠纷再无其他争议。', owedByRespondent: false },
    ],
    performanceMethod: '现金或银行转账支付；檐沟改建由村委会现场确认。',
    performanceInDays: 25,
  },
  {
    daysAgo: 3,
    applicant: 1,
    respondent: 0,
    category: 'LAND',
    title: '耕牛踩踏蚕豆苗赔偿纠纷',
    description: '被申请人家的耕牛跑入申请人承包地，踩踏啃食蚕豆苗约半亩，双方对赔偿数额意见不一。',
    claims: '请求被申请人赔偿青苗损失',
    amount: '600.00',
    facts: '被申请人看管不当，其耕牛进入申请人承包地，踩踏啃食蚕豆苗约半亩，村委会现场查看属实。',
    issues: '青苗损失的数额及给付方式。',
    responsibilities: '被申请人对耕牛看管不当，应赔偿申请人的青苗损失。',
    terms: [
      { text: '被申请人赔偿申请人青苗损失人民币500元。', amount: '500.00', dueInDays: 14, owedByRespondent: true },
      { text: '被申请人今后加强对耕牛的看管，不再放任其进入他人承包地。', owedByRespondent: true },
    ],
    performanceMethod: '现金支付，由村调委会见证。',
    performanceInDays: 14,
  },
];

/**
 * Demo cases that went the whole way, made through the domain commands with the clock set back:
 * filed, consented, mediated and signed in 圭山村 — one forty days ago, whose follow-ups (回访) are
 * recorded (the money paid, the eaves trough built), and one three days ago, whose follow-ups are
 * still ahead, graded for 以案定补 by its mediator. The mediator is whoever the diversion proposed.
 */
export async function seedSettledCases(deps: Deps, parties: UserRow[], password: string): Promise<void> {
  for (const spec of SETTLED) {
    const offset = spec.daysAgo * DAY;
    const past: Deps = { ...deps, clock: { now: () => new Date(deps.clock.now().getTime() - offset) } };
    const applicant = actorOf(parties[spec.applicant]!);
    const respondentUser = parties[spec.respondent]!;
    const respondent = actorOf(respondentUser);
    const filed = await fileDispute(past, applicant, {
      category: spec.category,
      title: spec.title,
      description: spec.description,
      regionCode: GUISHAN,
      respondents: [{ name: respondentUser.name, phone: respondentUser.phone, address: respondentUser.address, ethnicity: respondentUser.ethnicity, occupation: respondentUser.occupation }],
      claims: spec.claims,
      amount: spec.amount,
    });
    const consented = await respondToMediation(past, respondent, { caseId: filed.id, accept: true });
    const [mediatorUser] = await deps.db
      .select()
      .from(users)
      .innerJoin(mediators, eq(mediators.userId, users.id))
      .where(eq(mediators.id, consented.mediatorId!));
    const mediator = actorOf(mediatorUser!.users);
    await acceptAssignment(past, mediator, { caseId: filed.id });
    const caseParty = await deps.db.select().from(caseParties).where(eq(caseParties.caseId, filed.id)).orderBy(asc(caseParties.position));
    const respondentParty = caseParty.find((p) => p.role === 'RESPONDENT')!;
    // 实名: the mediator checks each party's resident identity card at the first meeting.
    for (const p of caseParty) await verifyIdentityInPerson(past, mediator, { partyId: p.id, documentType: 'RESIDENT_ID_CARD' });
    const today = localDate(past.clock.now());
    const agreement = await draftAgreement(past, mediator, {
      caseId: filed.id,
      facts: spec.facts,
      issues: spec.issues,
      responsibilities: spec.responsibilities,
      terms: spec.terms.map((t) => ({
        text: t.text,
        obligorPartyId: t.owedByRespondent ? respondentParty.id : null,
        amount: t.amount ?? null,
        dueDate: t.dueInDays === undefined ? null : addDaysToDate(today, t.dueInDays),
      })),
      performanceMethod: spec.performanceMethod,
      performanceDeadline: addDaysToDate(today, spec.performanceInDays),
      performancePlace: '圭山村村民委员会',
    });
    for (const who of [applicant, respondent, mediator]) await signAgreement(past, who, { agreementId: agreement.id, password });

    if (spec.daysAgo < 30) continue;
    // Follow-ups that are due by now were made: each records what was performed and how satisfied the parties are.
    const due = await deps.db
      .select()
      .from(followUps)
      .where(and(eq(followUps.caseId, filed.id), eq(followUps.status, 'SCHEDULED')))
      .orderBy(asc(followUps.dueAt));
    for (const f of due) {
      if (f.dueAt > deps.clock.now()) continue;
      // Visited on the day the follow-up fell due.
      const visit: Deps = { ...deps, clock: { now: () => new Date(Math.min(f.dueAt.getTime() - 8 * 3_600_000, deps.clock.now().getTime())) } };
      const visitDay = localDate(visit.clock.now());
      await recordFollowUp(visit, mediator, {
        caseId: filed.id,
        followUpId: f.id,
        method: f.kind === 'TERM_DUE' ? 'PHONE' : 'VISIT',
        terms: spec.terms.flatMap((t, i) =>
          t.owedByRespondent
            ? [{ termNo: i + 1, performance: t.dueInDays !== undefined && addDaysToDate(today, t.dueInDays) > visitDay ? ('NOT_YET_DUE' as const) : ('PERFORMED' as const) }]
            : [],
        ),
        satisfaction:
          f.kind === 'TERM_DUE'
            ? null
            : [
                { partyId: caseParty[0]!.id, score: 5, comment: '钱已收到，檐沟也修好了，满意。' },
                { partyId: caseParty[1]!.id, score: 4, comment: '按协议办完了。' },
              ],
        relapsed: false,
        note: f.kind === 'TERM_DUE' ? '电话回访：补偿款已当面付清。' : '上门回访：檐沟已加装，院墙已修复，双方关系恢复。',
      });
    }
    // 以案定补: the mediator grades the case once its follow-ups are done.
    await proposeSubsidyGrade(deps, mediator, { caseId: filed.id, grade: 'ORDINARY', reason: '相邻关系纠纷，经两次上门协商达成协议并已履行完毕。' });
  }
}
