/** Plain-language Chinese for the API's enums. */
export const CATEGORY: Record<string, { name: string; hint: string }> = {
  FAMILY: { name: '家庭纠纷', hint: '赡养、抚养、家庭成员之间的矛盾' },
  MARRIAGE: { name: '婚姻纠纷', hint: '离婚、彩礼、夫妻财产' },
  NEIGHBOR: { name: '邻里纠纷', hint: '相邻通行、排水、噪音、房屋遮挡' },
  DEBT: { name: '借款欠款', hint: '借钱不还、货款、工钱以外的欠款' },
  INHERITANCE: { name: '继承纠纷', hint: '遗产分割、遗嘱' },
  LABOR: { name: '劳动纠纷', hint: '拖欠工资、工伤、辞退' },
  MEDICAL: { name: '医疗纠纷', hint: '看病受到损害、医疗费用争议' },
  LAND: { name: '土地纠纷', hint: '承包地、宅基地、山林地界' },
  TRAFFIC: { name: '交通事故', hint: '车辆碰撞、人员受伤的赔偿' },
  PROPERTY_MANAGEMENT: { name: '物业纠纷', hint: '物业费、小区管理' },
  CONSUMER: { name: '消费纠纷', hint: '买到问题商品、服务不满意' },
  FINANCE: { name: '金融纠纷', hint: '银行、保险、贷款' },
  CONSTRUCTION: { name: '建房施工', hint: '盖房、装修、工程款' },
  CONTRACT: { name: '合同纠纷', hint: '买卖、租赁等约定没有履行' },
  ENVIRONMENT: { name: '环境纠纷', hint: '污染、噪声影响生产生活' },
  TOURISM: { name: '旅游纠纷', hint: '旅游服务、景区' },
  INTELLECTUAL_PROPERTY: { name: '知识产权', hint: '商标、著作权、专利' },
  OTHER: { name: '其他纠纷', hint: '以上都不是' },
};

export const STATUS: Record<string, { name: string; color: string }> = {
  SUBMITTED: { name: '已提交，等待受理', color: 'blue' },
  AWAITING_RESPONDENT: { name: '等待对方同意调解', color: 'gold' },
  REFUSED: { name: '对方不同意调解', color: 'red' },
  ASSIGNING: { name: '正在安排调解员', color: 'blue' },
  MEDIATING: { name: '调解中', color: 'processing' },
  AGREEMENT_SIGNING: { name: '调解协议待签字', color: 'gold' },
  SETTLED: { name: '调解成功，协议已生效', color: 'green' },
  FAILED: { name: '调解未成功', color: 'red' },
  CONFIRMATION_PENDING: { name: '法院司法确认中', color: 'blue' },
  CONFIRMED: { name: '法院已确认协议有效', color: 'green' },
  CONFIRMATION_REJECTED: { name: '法院未确认协议', color: 'red' },
  LITIGATION: { name: '已转入诉讼', color: 'default' },
  WITHDRAWN: { name: '已撤回', color: 'default' },
  CLOSED: { name: '已结案', color: 'default' },
};

/** What a party has to do next in each status. */
export function nextStep(status: string, opts: { mustRespond: boolean; mustSign: boolean }): string {
  if (opts.mustRespond) return '请决定是否同意调解（见下方）';
  if (opts.mustSign) return '请阅读调解协议并签字（见下方）';
  switch (status) {
    case 'SUBMITTED': return '等待调解组织受理，无需操作';
    case 'AWAITING_RESPONDENT': return '等待对方答复是否同意调解';
    case 'ASSIGNING': return '等待调解员接案，会有短信通知您';
    case 'MEDIATING': return '按时参加调解，留意调解员的安排';
    case 'AGREEMENT_SIGNING': return '等待其他人签字';
    case 'SETTLED': return '按协议履行；可在30日内申请法院司法确认';
    case 'CONFIRMATION_PENDING': return '等待法院审查';
    case 'FAILED': case 'REFUSED': return '可以向法院起诉';
    default: return '无需操作';
  }
}

export const RISK: Record<string, { name: string; color: string }> = {
  HIGH: { name: '高风险', color: 'red' },
  MEDIUM: { name: '中风险', color: 'orange' },
  LOW: { name: '低风险', color: 'green' },
};

export const LEVEL: Record<string, string> = { VILLAGE: '村（社区）', TOWNSHIP: '乡镇（街道）', COUNTY: '县（区）', PREFECTURE: '市（州）' };

export const DEADLINE: Record<string, string> = {
  APPLICATION_ACCEPTANCE: '法院决定是否受理',
  APPLICATION_DECISION: '法院作出裁定',
  APPLICATION_STATUTORY_CAP: '法院审查最长期限',
  ASSIGNMENT_RESPONSE: '调解员答复是否接案',
  CONFIRMATION_WINDOW: '申请司法确认',
  LEVEL_LIMIT: '本级调解期限',
  LITIGATION_FILING: '转入诉讼',
  MEDIATION_LIMIT: '调解期限',
  MEDIATOR_CHOICE: '共同选择调解员',
  OBJECTION_OTHERS: '案外人提出异议',
  OBJECTION_PARTIES: '当事人提出异议',
  RESPONDENT_CONTACT: '联系被申请人',
};

export const TERMINATION: Record<string, string> = {
  PRIVATE_SETTLEMENT: '双方自行和解',
  WITHDRAWN: '申请人撤回',
  PARTY_UNREACHABLE: '无法联系当事人',
  PARTY_REFUSES_TO_CONTINUE: '当事人拒绝继续调解',
  POSITIONS_TOO_FAR_APART: '双方分歧过大',
  TIME_EXPIRED: '调解期限届满',
  PARTY_REFUSES_TO_SIGN: '当事人拒绝签署协议',
  OTHER: '其他原因',
};

export const AGREEMENT_STATUS: Record<string, string> = { DRAFT: '草稿', SIGNING: '签字中', EFFECTIVE: '已生效', SUPERSEDED: '已被新版本取代' };

export const CONFIRMATION_STATUS: Record<string, string> = {
  AWAITING_CO_APPLICANT: '等待对方共同申请',
  SUBMITTED: '已提交法院',
  ACCEPTED: '法院已受理',
  SUPPLEMENT_REQUESTED: '法院要求补充材料',
  NOT_ACCEPTED: '法院不予受理',
  CONFIRMED: '法院裁定确认有效',
  REJECTED: '法院裁定驳回',
  WITHDRAWN: '已撤回',
};

/** An instant in Beijing time, the way people read it. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "还剩 3 天 4 小时" / "已超期 2 天". */
export function countdown(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const text = days > 0 ? `${days} 天 ${hours} 小时` : `${hours} 小时 ${Math.floor((abs % 3_600_000) / 60_000)} 分`;
  return ms >= 0 ? `还剩 ${text}` : `已超期 ${text}`;
}

const EVENT: Record<string, string> = {
  'case.filed': '提交调解申请',
  'case.intake': '受理',
  'case.consent': '同意调解',
  'case.refused': '拒绝调解',
  'case.assigned': '分派调解员',
  'case.accepted': '调解员接案',
  'case.declined': '调解员未接案',
  'agreement.drafted': '起草调解协议',
  'agreement.signed': '签署调解协议',
  'agreement.effective': '协议生效',
  'session.scheduled': '安排调解会',
  'minutes.locked': '笔录经各方确认',
  'case.intake_passed': '申请已受理',
  'case.diversion': '对方同意调解，分流到调解组织',
  'case.assignment_accepted': '调解员接案',
  'case.assignment_declined': '调解员未接案',
  'case.respondent_refused': '对方不同意调解',
  'session.minutes_updated': '记录调解笔录',
  'session.minutes_confirmed': '当事人确认笔录',
  'session.minutes_locked': '笔录经各方确认',
  'case.agreement_drafted': '起草调解协议',
  'case.agreement_signed': '签署调解协议',
  'case.agreement_effective': '调解协议生效',
  'case.terminated': '终止调解',
  'confirmation.applied': '申请司法确认',
  'confirmation.submitted': '司法确认申请送达法院',
  'evidence.uploaded': '上传证据',
  'evidence.withdrawn': '撤回证据',
  'party.identity_verified': '调解员当面核验身份',
  'session.identity_check': '进入视频调解前核验身份',
  'session.rescheduled': '调解会改期',
  'session.cancelled': '取消调解会',
  'case.follow_up_recorded': '回访',
  'case.follow_up_added': '安排回访',
  'case.follow_up_answered': '当事人答复回访',
  'case.mediation_terminated': '终止调解',
  'supervision.ordered': '督办',
  'supervision.answered': '答复督办',
};
export function eventName(type: string): string {
  return EVENT[type] ?? type;
}
