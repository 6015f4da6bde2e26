import { describe, expect, it } from 'vitest';
import { assessRisk, type RiskLevel } from '../../server/domain/cases/risk';

function assess(description: string, category = 'NEIGHBOR', prior = 0, title = '纠纷') {
  return assessRisk({ category, title, description, claims: null, priorCasesBetweenSamePartiesWithinYear: prior });
}

const codes = (description: string, category?: string, prior?: number) =>
  assess(description, category, prior).signals.map((s) => s.code).sort();

describe('assessRisk: table of texts', () => {
  const table: Array<[string, string, RiskLevel, string[]]> = [
    // [category, description, level, signal codes]
    ['NEIGHBOR', '邻居扬言要杀了我全家', 'HIGH', ['THREAT']],
    ['NEIGHBOR', '他说再不还宅基地就砍死你', 'HIGH', ['THREAT']],
    ['LAND', '对方放话要弄死他，还说要同归于尽', 'HIGH', ['THREAT']],
    ['NEIGHBOR', '被申请人拿着菜刀站在我家门口', 'HIGH', ['THREAT']],
    ['DEBT', '他威胁说不还钱就放火烧了你家房子', 'HIGH', ['THREAT']],
    ['LABOR', '工人声称拿不到工资就报复老板', 'HIGH', ['THREAT']],
    ['NEIGHBOR', '骂我不得好死', 'HIGH', ['THREAT']],
    ['MARRIAGE', '丈夫长期家暴，我想离婚', 'HIGH', ['DOMESTIC_VIOLENCE']],
    ['FAMILY', '儿子经常殴打年迈的父亲', 'HIGH', ['DOMESTIC_VIOLENCE']],
    ['MARRIAGE', '喝醉后动手打我，我被打进医院', 'HIGH', ['DOMESTIC_VIOLENCE']],
    ['CONTRACT', '合伙人说他回家就打老婆', 'HIGH', ['DOMESTIC_VIOLENCE']],
    ['NEIGHBOR', '两家因排水沟发生口角，对方殴打了我', 'MEDIUM', ['PHYSICAL_VIOLENCE']],
    ['MARRIAGE', '她说再逼她就喝农药', 'HIGH', ['SELF_HARM']],
    ['DEBT', '被逼债逼得不想活了', 'HIGH', ['DEBT_PRESSURE', 'SELF_HARM']],
    ['LABOR', '农民工讨薪未果，扬言要跳楼', 'HIGH', ['SELF_HARM']],
    ['LAND', '几十名村民聚集在乡政府门口，准备集体上访', 'MEDIUM', ['GROUP_INCIDENT']],
    ['PROPERTY_MANAGEMENT', '业主拉横幅围堵物业公司', 'MEDIUM', ['GROUP_INCIDENT']],
    ['DEBT', '借了高利贷，催收人员天天上门', 'MEDIUM', ['DEBT_PRESSURE']],
    ['MARRIAGE', '双方分居两年，经常争吵，女方要求离婚', 'MEDIUM', ['MARRIAGE_BREAKDOWN']],
    ['MARRIAGE', '男方出轨，女方闹离婚', 'MEDIUM', ['MARRIAGE_BREAKDOWN']],
    // false positives that must stay LOW
    ['NEIGHBOR', '邻居喷洒杀虫剂飘到我家菜地，菜苗死了', 'LOW', []],
    ['CONSUMER', '商家秒杀活动不发货，杀价后又反悔', 'LOW', []],
    ['NEIGHBOR', '邻居砍了我家的核桃树三棵', 'LOW', []],
    ['NEIGHBOR', '他家的狗把我家的鸡弄死了', 'LOW', []],
    ['NEIGHBOR', '过年杀猪时占用了我家的场地', 'LOW', []],
    ['CONSUMER', '商场跳楼价促销，买回来的电视是坏的', 'LOW', []],
    ['NEIGHBOR', '装修噪音，晚上经常被打扰', 'LOW', []],
    ['CONTRACT', '对方威胁要起诉我', 'LOW', []],
    ['LAND', '村集体土地承包合同到期后，集体经济组织重新发包', 'LOW', []],
    ['NEIGHBOR', '双方没有发生肢体冲突，只是口头争执', 'LOW', []],
    ['FAMILY', '老人称从未被打，只是赡养费不够', 'LOW', []],
    ['TRAFFIC', '交通事故致一人重伤，就赔偿金额有争议', 'LOW', []],
    ['MEDICAL', '患者动了手术后感染，要求赔偿', 'LOW', []],
    ['MARRIAGE', '双方协议离婚，就子女抚养费协商', 'LOW', []],
    ['DEBT', '借款到期未还，申请人多次讨要欠款', 'LOW', []],
    ['NEIGHBOR', '打死也不同意对方在我家门口修路', 'LOW', []],
  ];

  it.each(table)('[%s] %s -> %s', (category, description, level, expectedCodes) => {
    const result = assess(description, category);
    expect(result.level).toBe(level);
    expect(result.signals.map((s) => s.code).sort()).toEqual([...expectedCodes].sort());
  });
});

describe('assessRisk: details', () => {
  it('carries the matched text as evidence and a Chinese label', () => {
    const r = assess('对方说要弄死他，还拿刀追砍');
    const threat = r.signals.find((s) => s.code === 'THREAT');
    expect(threat?.evidence).toContain('弄死');
    expect(threat?.evidence).toContain('拿刀');
    expect(threat?.label).toBeTruthy();
  });

  it('treats generic violence as domestic violence only in family and marriage cases', () => {
    expect(codes('对方殴打了我', 'FAMILY')).toEqual(['DOMESTIC_VIOLENCE']);
    expect(codes('对方殴打了我', 'MARRIAGE')).toEqual(['DOMESTIC_VIOLENCE']);
    expect(codes('对方殴打了我', 'NEIGHBOR')).toEqual(['PHYSICAL_VIOLENCE']);
    expect(assess('对方殴打了我', 'NEIGHBOR').level).toBe('MEDIUM');
    // Explicit wording counts in any category.
    expect(assess('他有家暴史', 'DEBT').level).toBe('HIGH');
  });

  it('grades repeated conflict between the same parties', () => {
    expect(assess('排水问题', 'NEIGHBOR', 0).level).toBe('LOW');
    expect(assess('排水问题', 'NEIGHBOR', 1).level).toBe('MEDIUM');
    expect(assess('排水问题', 'NEIGHBOR', 2).level).toBe('HIGH');
    const s = assess('排水问题', 'NEIGHBOR', 3).signals[0];
    expect(s?.code).toBe('REPEATED_CONFLICT');
    expect(s?.evidence).toContain('3');
  });

  it('reads title and claims as well as the description', () => {
    expect(assessRisk({ category: 'NEIGHBOR', title: '邻居扬言报复', description: '宅基地界线', priorCasesBetweenSamePartiesWithinYear: 0 }).level).toBe('HIGH');
    expect(assessRisk({ category: 'DEBT', title: '借款', description: '欠款未还', claims: '停止暴力催收', priorCasesBetweenSamePartiesWithinYear: 0 }).level).toBe('MEDIUM');
  });

  it('ignores whitespace inserted between characters', () => {
    expect(assess('他说要 杀 了 你').level).toBe('HIGH');
  });

  it('still flags a threat after an animal is mentioned further away', () => {
    expect(assess('为了一只鸡吵起来，他说要杀了你').level).toBe('HIGH');
    expect(assess('毒死了我家的鸡，还说要弄死我').signals.find((s) => s.code === 'THREAT')?.evidence).toBe('弄死');
  });

  it('distinguishes self-harm with pesticide from pesticide drift', () => {
    expect(assess('她说要喝杀虫剂').level).toBe('HIGH');
    expect(assess('杀虫剂飘到我家田里').level).toBe('LOW');
  });

  it('lists each signal once even with many matches', () => {
    const r = assess('他威胁我，又威胁我家人，扬言报复', 'NEIGHBOR', 2);
    expect(r.signals.map((s) => s.code)).toEqual(['THREAT', 'REPEATED_CONFLICT']);
    expect(r.signals[0]?.evidence).toBe('威胁、报复');
  });
});
