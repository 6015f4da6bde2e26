/** Risk level of a dispute for the 预警 (early-warning) queue; HIGH cases are handled first. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/** Machine code of one risk signal. */
export type RiskSignalCode =
  | 'THREAT'
  | 'DOMESTIC_VIOLENCE'
  | 'PHYSICAL_VIOLENCE'
  | 'SELF_HARM'
  | 'REPEATED_CONFLICT'
  | 'GROUP_INCIDENT'
  | 'DEBT_PRESSURE'
  | 'MARRIAGE_BREAKDOWN';

/** One reason a case was flagged, with the text that triggered it. */
export interface RiskSignal {
  code: RiskSignalCode;
  label: string;
  evidence: string;
}

/** What the assessment reads from a filed dispute. */
export interface RiskInput {
  category: string;
  title: string;
  description: string;
  claims?: string | null;
  priorCasesBetweenSamePartiesWithinYear: number;
}

/** Result of {@link assessRisk}: the overall level and every signal found. */
export interface RiskAssessment {
  level: RiskLevel;
  signals: RiskSignal[];
}

interface Pattern {
  re: RegExp;
  // Verbs of killing are everyday words on farms (杀猪, 毒死了鸡); an animal or crop nearby means no threat to a person.
  animalGuard?: boolean;
}

const LABELS: Record<RiskSignalCode, string> = {
  THREAT: '扬言报复或暴力威胁',
  DOMESTIC_VIOLENCE: '家庭暴力',
  PHYSICAL_VIOLENCE: '肢体冲突',
  SELF_HARM: '自伤自杀倾向',
  REPEATED_CONFLICT: '同一当事人反复纠纷',
  GROUP_INCIDENT: '群体性事件苗头',
  DEBT_PRESSURE: '债务逼迫',
  MARRIAGE_BREAKDOWN: '婚姻家庭矛盾激化',
};

// Who a threat can be aimed at; requiring a person after 杀/砍 keeps 杀虫剂, 杀价, 砍树 out.
const PERSON = '(?:你们|他们|她们|你|他|她|我|人|对方|全家|一家|那个|这个)';
const ANIMAL_OR_CROP = /鸡|鸭|鹅|猪|牛|羊|狗|猫|鱼|蜂|兔|马|驴|骡|鼠|蛇|鸟|虫|蚊|苗|树|竹|草|庄稼|秧|菜|果/;

const p = (source: string, animalGuard = false): Pattern => ({ re: new RegExp(source, 'gu'), animalGuard });

const THREAT_PATTERNS: Pattern[] = [
  p(`(?<![自抹扼屠捕秒])杀(?:了|掉|死)?${PERSON}`, true),
  p(`砍(?:了|死|伤)?${PERSON}|砍死|砍伤`, true),
  p('(?:弄|打|毒|整|捅|掐|勒)死(?!也不|都不)', true),
  p('要(?:了)?(?:你|他|她)(?:们)?(?:的)?(?:狗)?命'),
  p('报复(?!性)'),
  p('同归于尽'),
  p('放火|纵火|点火烧|(?:泼|浇)(?:了)?(?:汽油|硫酸)|烧(?:了|掉)?(?:你|他|她)(?:们)?(?:的)?(?:家|房)'),
  p(`炸药|雷管|炸死|炸掉|炸(?:了)?${PERSON}`),
  p('(?:拿|持|提|掏|举|抄|挥)(?:着|起|出)?(?:了)?(?:一把)?(?:菜|砍|水果|杀猪|尖)?刀|动刀'),
  p('(?:拿|掏|持|有|用)(?:出)?(?:了)?(?:一把)?(?:猎|土|气)?枪|猎枪|土枪'),
  // Threatening to sue or report is a lawful step, not a sign of violence.
  p('(?:威胁|恐吓)(?!(?:说)?(?:要|会)?(?:起诉|告|报警|投诉|曝光|举报))'),
  p('不得好死|(?:让|叫)(?:你|他|她)(?:们)?(?:好看|付出代价|吃不了兜着走)'),
];

const SELF_HARM_PATTERNS: Pattern[] = [
  p('自杀|自残|轻生|寻死|一死了之|以死相逼'),
  // 跳楼价 / 跳楼甩卖 are sales slang.
  p('跳楼(?!价|甩卖|大甩卖)|跳河|跳江|跳崖|上吊|割腕|服毒'),
  p('(?:喝|吃|服)(?:了)?(?:瓶)?(?:农药|敌敌畏|百草枯|老鼠药|鼠药|安眠药|杀虫剂|除草剂)'),
  p('不想活|活不下去|死给(?:你|他|她)(?:们)?看|死在(?:你|他|她)(?:们)?(?:家|门口)'),
];

// Explicit domestic-violence wording counts whatever the filed category (告诫书: 反家庭暴力法 16).
const DOMESTIC_VIOLENCE_PATTERNS: Pattern[] = [
  p('家暴|家庭暴力|虐待|人身安全保护令|告诫书'),
  p('打(?:了)?(?:我|他|她)?(?:的)?(?:老婆|媳妇|妻子|老公|丈夫)(?!的?(?:电话|手机))'),
];

// Violence in general; between family members it is domestic violence (反家庭暴力法 2).
const VIOLENCE_PATTERNS: Pattern[] = [
  // Injury words (轻伤, 重伤) are left out: traffic and medical cases use them without any assault.
  p('殴打|拳打脚踢|肢体冲突|鼻青脸肿|打伤|打架|打人'),
  p('动手打|动了手(?!术)|动起手|先动手|打了(?:我|他|她)'),
  // 被打扰 / 被打折 / 被打款… are not assaults.
  p('被(?:人)?打(?!扰|折|包|印|卡|款|通|开|捞|车|电话|分|听|造|招呼|针|上|入|算|断|败|脸|回|假|码|压|发|量)'),
  p('扇(?:了)?(?:我|他|她)?(?:几个|一个)?耳光|掐(?:住)?(?:我|他|她)?(?:的)?脖子|踢(?:了)?(?:我|他|她)(?!们的?(?:门|车))'),
];

const GROUP_INCIDENT_PATTERNS: Pattern[] = [
  p('聚集|上访|越级访|缠访|闹访|围堵|堵路|堵门|拉横幅|打横幅|挂横幅|静坐|闹事'),
  // 集体 alone is everyday land vocabulary (集体土地, 村集体); only collective action counts.
  p('集体(?:上访|讨薪|维权|行动|请愿|围|堵|闹|到|去|停工|罢工)|群体(?:性)?事件|群体性'),
  p('(?:多名|几十|数十|上百|数百)(?:名|个|位)?(?:村民|工人|农民工|业主|群众)'),
];

const DEBT_PRESSURE_PATTERNS: Pattern[] = [p('讨债|逼债|追债|催债|催收|高利贷|套路贷|利滚利|泼油漆|喷油漆')];

const DIVORCE = p('离婚');
const MARITAL_CONFLICT = [
  p('吵架|争吵|吵闹|打架|闹离婚|分居|出轨|外遇|第三者|小三|冷战|闹翻|撕破脸|离家出走'),
  p('矛盾(?:激化|加深|升级|尖锐)|不让(?:我|他|她)?见孩子|抢(?:走|夺)?孩子|藏匿孩子'),
];

const FAMILY_CATEGORIES = new Set(['FAMILY', 'MARRIAGE']);

// A negator right before a hit (没有殴打, 从未被打, 未发生肢体冲突) means the text denies it.
const NEGATED = /(?:没有|没|未|无|并未|从未|从没|不曾|并无|绝无)(?:发生|出现|过|任何|人|被)?(?:过)?$/u;

function findMatches(text: string, patterns: Pattern[]): string[] {
  const found: Array<{ at: number; hit: string }> = [];
  for (const { re, animalGuard } of patterns) {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      const hit = m[0];
      if (NEGATED.test(text.slice(Math.max(0, at - 6), at))) continue;
      if (animalGuard) {
        const around = text.slice(Math.max(0, at - 4), at) + text.slice(at + hit.length, at + hit.length + 6);
        if (ANIMAL_OR_CROP.test(around)) continue;
      }
      found.push({ at, hit });
    }
  }
  // Evidence reads in the order the filer wrote it.
  found.sort((x, y) => x.at - y.at);
  return [...new Set(found.map((f) => f.hit))];
}

function signal(code: RiskSignalCode, evidence: string[]): RiskSignal {
  return { code, label: LABELS[code], evidence: evidence.join('、') };
}

const RANK: Record<RiskLevel, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };

/**
 * Flags disputes that may turn violent or criminal (民转刑) so that preventive steps can be taken
 * and the police liaison told (PML 25). Keyword-based: it ranks the queue, a person decides.
 */
export function assessRisk(input: RiskInput): RiskAssessment {
  // Whitespace is dropped so that 杀 了 你 matches like 杀了你.
  const text = [input.title, input.description, input.claims ?? ''].join('\n').replace(/\s+/gu, '');
  const signals: Array<RiskSignal & { level: RiskLevel }> = [];
  const add = (code: RiskSignalCode, level: RiskLevel, evidence: string[]) => {
    if (evidence.length > 0) signals.push({ ...signal(code, evidence), level });
  };

  add('THREAT', 'HIGH', findMatches(text, THREAT_PATTERNS));

  const explicitDv = findMatches(text, DOMESTIC_VIOLENCE_PATTERNS);
  const violence = findMatches(text, VIOLENCE_PATTERNS);
  if (explicitDv.length > 0 || (violence.length > 0 && FAMILY_CATEGORIES.has(input.category))) {
    add('DOMESTIC_VIOLENCE', 'HIGH', [...explicitDv, ...violence]);
  } else {
    add('PHYSICAL_VIOLENCE', 'MEDIUM', violence);
  }

  add('SELF_HARM', 'HIGH', findMatches(text, SELF_HARM_PATTERNS));

  const prior = Math.max(0, Math.floor(input.priorCasesBetweenSamePartiesWithinYear));
  if (prior >= 1) {
    add('REPEATED_CONFLICT', prior >= 2 ? 'HIGH' : 'MEDIUM', [`一年内同一当事人之间已有${prior}件纠纷`]);
  }

  add('GROUP_INCIDENT', 'MEDIUM', findMatches(text, GROUP_INCIDENT_PATTERNS));
  add('DEBT_PRESSURE', 'MEDIUM', findMatches(text, DEBT_PRESSURE_PATTERNS));

  const divorce = findMatches(text, [DIVORCE]);
  const conflict = findMatches(text, MARITAL_CONFLICT);
  if (divorce.length > 0 && conflict.length > 0) add('MARRIAGE_BREAKDOWN', 'MEDIUM', [...divorce, ...conflict]);

  const level = signals.reduce<RiskLevel>((acc, s) => (RANK[s.level] > RANK[acc] ? s.level : acc), 'LOW');
  return { level, signals: signals.map(({ code, label, evidence }) => ({ code, label, evidence })) };
}
