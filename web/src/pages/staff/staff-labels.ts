/** Plain-language Chinese for the enums of the staff pages. */
export const LEAD_STATUS: Record<string, { name: string; color: string }> = {
  OPEN: { name: '待处置', color: 'blue' },
  RESOLVED_ON_SPOT: { name: '就地化解', color: 'green' },
  REFERRED: { name: '已移交', color: 'default' },
  CONVERTED: { name: '已转调解案件', color: 'cyan' },
  UNDER_WATCH: { name: '稳控中', color: 'orange' },
};

export const LEAD_SOURCE: Record<string, string> = {
  VISIT: '走访排查',
  SELF_REPORT: '群众反映',
  HOTLINE: '热线',
  PETITION: '信访',
  POLICE_REFERRAL: '派出所移送',
  SCHOOL_OR_HOSPITAL: '学校或医院反映',
  OTHER: '其他',
};

export const REPORT_STATUS: Record<string, { name: string; color: string }> = {
  SUBMITTED: { name: '已报送', color: 'green' },
  OVERDUE: { name: '逾期未报', color: 'red' },
};

export const ORDER_STATUS: Record<string, { name: string; color: string }> = {
  OPEN: { name: '待答复', color: 'gold' },
  ANSWERED: { name: '已答复', color: 'green' },
  ESCALATED: { name: '已逾期，提级督办', color: 'red' },
};

export const PROPOSAL_REASON: Record<string, string> = { CASE_OVERDUE: '案件超期', HIGH_RISK_OPEN: '高风险事项未化解' };
export const PROPOSAL_STATUS: Record<string, string> = { PROPOSED: '待决定', ISSUED: '已督办', DISMISSED: '不予督办' };

export const STATEMENT_STATUS: Record<string, { name: string; color: string }> = {
  DRAFT: { name: '草稿', color: 'default' },
  REVIEWED: { name: '司法所已审核', color: 'blue' },
  APPROVED: { name: '司法局已审批', color: 'cyan' },
  PAID: { name: '已发放', color: 'green' },
  SUPERSEDED: { name: '已更正作废', color: 'red' },
};

export const STATEMENT_ACTION: Record<string, string> = { DRAFT: '起草', REDRAFT: '重新起草', REVIEW: '司法所审核', APPROVE: '司法局审批', PAY: '发放', SUPERSEDE: '更正作废' };

export const GRADE: Record<string, string> = { SIMPLE: '简易', ORDINARY: '一般', COMPLEX: '疑难复杂', MAJOR: '重大' };

export const MISSING: Record<string, string> = {
  AGREEMENT: '缺调解协议',
  MINUTES: '缺经确认的笔录',
  FOLLOW_UP: '未回访',
  NOT_GRADED: '未定级',
  NOT_SETTLED: '未调解成功',
  NO_MEDIATOR: '无调解员',
  NO_RULES: '无适用的补贴办法',
  ALREADY_PAID: '已发放过',
  UNSOUND: '抽查不实',
};

export const ORG_KIND: Record<string, string> = {
  PEOPLES_MEDIATION_COMMITTEE: '人民调解委员会',
  INDUSTRY_MEDIATION_COMMITTEE: '行业性专业性调解委员会',
  LAWYER_MEDIATION_STUDIO: '律师调解工作室',
  ADMINISTRATIVE_AGENCY: '行政机关',
  COMPREHENSIVE_CENTER: '综治中心',
  COURT: '人民法院',
};

export const CHANNEL: Record<string, string> = { PEOPLES: '人民调解', ADMINISTRATIVE: '行政调解', JUDICIAL: '司法调解', LAWYER: '律师调解' };

/** The languages a mediator may list (server/domain/enums.ts LANGUAGE_CODES, ISO 639). */
export const LANGUAGE: Record<string, string> = {
  zh: '汉语', ii: '彝语', bca: '白语', khb: '傣语（西双版纳）', tdd: '傣语（德宏）', hni: '哈尼语', za: '壮语', hmn: '苗语',
  lis: '傈僳语', wbm: '佤语', lhu: '拉祜语', nxq: '纳西语', bo: '藏语', kac: '景颇语', yue: '粤语', en: '英语',
};

export const STAFF_ROLE: Record<string, string> = { ORG_ADMIN: '组织管理员', GRID_WORKER: '网格员' };
