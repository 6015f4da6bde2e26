import { and, count, eq, inArray, isNull, or } from 'drizzle-orm';
import { cases, diversionRules, mediators, organizations, users } from '../../../schema';
import type { Executor } from '../../db';
import { CATEGORY_LABELS, LANGUAGE_CODES, type CaseLevel, type DisputeCategory, type MediationChannel, type OrganizationKind } from '../enums';
import { ancestorsOf, regionLevel } from '../regions/region-data';
import { ACTIVE_STATUSES } from './state-machine';

export interface RuleStep {
  channel: MediationChannel;
  organizationKinds: OrganizationKind[];
}

const PEOPLES: RuleStep = { channel: 'PEOPLES', organizationKinds: ['PEOPLES_MEDIATION_COMMITTEE', 'COMPREHENSIVE_CENTER'] };
const INDUSTRY: RuleStep = { channel: 'PEOPLES', organizationKinds: ['INDUSTRY_MEDIATION_COMMITTEE'] };
const ADMIN: RuleStep = { channel: 'ADMINISTRATIVE', organizationKinds: ['ADMINISTRATIVE_AGENCY'] };
const LAWYER: RuleStep = { channel: 'LAWYER', organizationKinds: ['LAWYER_MEDIATION_STUDIO'] };

/**
 * Default channel preferences by category (domain.md §3): family, neighbour, land and debts among
 * villagers go to village people's mediation first; traffic to the traffic police or the traffic
 * committee; labour to labour mediation; medical to the medical committee; commercial disputes to
 * lawyer mediation. Admins override per region through `setDiversionRule`.
 */
export const DEFAULT_RULES: Record<DisputeCategory, RuleStep[]> = {
  FAMILY: [PEOPLES],
  MARRIAGE: [PEOPLES],
  NEIGHBOR: [PEOPLES],
  DEBT: [PEOPLES, LAWYER],
  INHERITANCE: [PEOPLES, LAWYER],
  LAND: [PEOPLES, ADMIN],
  LABOR: [ADMIN, INDUSTRY, PEOPLES],
  MEDICAL: [INDUSTRY, ADMIN, PEOPLES],
  TRAFFIC: [ADMIN, INDUSTRY, PEOPLES],
  PROPERTY_MANAGEMENT: [INDUSTRY, PEOPLES],
  CONSUMER: [INDUSTRY, ADMIN, PEOPLES],
  FINANCE: [INDUSTRY, LAWYER, PEOPLES],
  CONSTRUCTION: [LAWYER, INDUSTRY, PEOPLES],
  CONTRACT: [LAWYER, PEOPLES],
  ENVIRONMENT: [ADMIN, PEOPLES],
  TOURISM: [INDUSTRY, ADMIN, PEOPLES],
  INTELLECTUAL_PROPERTY: [LAWYER, INDUSTRY],
  OTHER: [PEOPLES],
};

export const LEVEL_RANK: Record<CaseLevel, number> = { VILLAGE: 0, TOWNSHIP: 1, COUNTY: 2, PREFECTURE: 3 };
const LEVEL_LABEL: Record<CaseLevel, string> = { VILLAGE: '村（社区）', TOWNSHIP: '乡镇（街道）', COUNTY: '县（区）', PREFECTURE: '州（市）' };

type OrgRow = typeof organizations.$inferSelect;

export interface DiversionPlan {
  organization: OrgRow;
  channel: MediationChannel;
  level: CaseLevel;
  reasons: string[];
  alternatives: { organizationId: string; organizationName: string; level: string; why: string }[];
  mediator: { id: string; name: string; reasons: string[] } | null;
  /** The parties chose the mediator together (OMR 10). */
  jointChoice?: boolean;
}

/** The rules for a category at a place: the most specific region with active rules wins, else the defaults. */
export async function rulesFor(db: Executor, category: DisputeCategory, regionCode: string): Promise<{ steps: RuleStep[]; source: string }> {
  const chain = [regionCode, ...ancestorsOf(regionCode)];
  const rows = await db
    .select()
    .from(diversionRules)
    .where(
      and(
        eq(diversionRules.category, category),
        eq(diversionRules.active, true),
        or(inArray(diversionRules.regionCode, chain), isNull(diversionRules.regionCode)),
      ),
    );
  for (const code of [...chain, null]) {
    const here = rows.filter((r) => r.regionCode === code).sort((a, b) => a.priority - b.priority);
    if (here.length) {
      return {
        steps: here.map((r) => ({ channel: r.channel, organizationKinds: r.organizationKinds as OrganizationKind[] })),
        source: code ? `rules of region ${code}` : 'province-wide rules',
      };
    }
  }
  return { steps: DEFAULT_RULES[category], source: 'default rules' };
}

/** The case level of a division code, or null for a province. */
export function levelOfRegion(code: string): CaseLevel | null {
  const l = regionLevel(code);
  return l === 'PROVINCE' ? null : l;
}

/** The lowest common division of several codes (a dispute spanning regions goes to the lowest common level). */
export function lowestCommonRegion(codes: string[]): string {
  const chains = codes.map((c) => [c, ...ancestorsOf(c)]);
  const first = chains[0]!;
  return first.find((code) => chains.every((ch) => ch.includes(code))) ?? first[first.length - 1]!;
}

/**
 * Chooses organisation, channel and level for a case (属地管理, 小事不出村): rules in priority order,
 * and for each the lowest level above `aboveLevel` whose organisation serves the place and category.
 * Every decision carries its reasons and the alternatives considered.
 */
export async function planDiversion(
  db: Executor,
  input: {
    category: DisputeCategory;
    regionCode: string;
    languages: string[];
    aboveLevel?: CaseLevel | null;
    excludeOrganizationIds?: string[];
    excludeMediatorIds?: string[];
    chosenMediatorId?: string | null;
  },
): Promise<DiversionPlan | null> {
  const label = CATEGORY_LABELS[input.category];
  if (input.chosenMediatorId) {
    const [chosen] = await db
      .select({ m: mediators, o: organizations })
      .from(mediators)
      .innerJoin(organizations, eq(organizations.id, mediators.organizationId))
      .where(and(eq(mediators.id, input.chosenMediatorId), eq(mediators.active, true)));
    if (chosen && (chosen.o.categories.length === 0 || chosen.o.categories.includes(input.category))) {
      const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, chosen.m.userId));
      return {
        organization: chosen.o,
        channel: chosen.o.channel,
        level: chosen.o.level,
        reasons: [`当事人共同从名册中选定调解员（OMR 10）：${u?.name ?? ''}，所属${chosen.o.name}`],
        alternatives: [],
        mediator: { id: chosen.m.id, name: u?.name ?? '', reasons: ['当事人共同选定'] },
        jointChoice: true,
      };
    }
  }
  const { steps, source } = await rulesFor(db, input.category, input.regionCode);
  const minRank = input.aboveLevel ? LEVEL_RANK[input.aboveLevel] + 1 : 0;
  const chain = [input.regionCode, ...ancestorsOf(input.regionCode)].filter((code) => {
    const l = levelOfRegion(code);
    return l !== null && LEVEL_RANK[l] >= minRank;
  });
  const kinds = [...new Set(steps.flatMap((s) => s.organizationKinds))];
  const orgs = chain.length
    ? await db
        .select()
        .from(organizations)
        .where(and(inArray(organizations.regionCode, chain), inArray(organizations.kind, kinds), eq(organizations.active, true)))
    : [];
  const excluded = new Set(input.excludeOrganizationIds ?? []);
  const serves = (o: OrgRow) => o.categories.length === 0 || o.categories.includes(input.category);
  const alternatives: DiversionPlan['alternatives'] = [];
  let chosen: { org: OrgRow; step: RuleStep; stepIndex: number } | null = null;
  steps.forEach((step, stepIndex) => {
    for (const code of chain) {
      const here = orgs
        .filter((o) => o.regionCode === code && step.organizationKinds.includes(o.kind))
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const o of here) {
        let why: string | null = null;
        if (excluded.has(o.id)) why = '已处理过本案（转出或升级前的组织）';
        else if (!serves(o)) why = `业务范围不含${label}`;
        else if (chosen) {
          why = chosen.stepIndex < stepIndex
            ? `渠道优先级较低（${step.channel}）`
            : LEVEL_RANK[o.level] > LEVEL_RANK[chosen.org.level]
              ? `层级较高（${LEVEL_LABEL[o.level]}）：小事不出村、大事不出乡`
              : '同级另一组织，按名称顺序未选';
        }
        if (why) {
          if (!alternatives.some((a) => a.organizationId === o.id)) {
            alternatives.push({ organizationId: o.id, organizationName: o.name, level: o.level, why });
          }
        } else {
          chosen = { org: o, step, stepIndex };
        }
      }
    }
  });
  if (!chosen) return null;
  const { org, step } = chosen as { org: OrgRow; step: RuleStep; stepIndex: number };
  const reasons = [
    `纠纷类别：${label}；按${source === 'default rules' ? '默认分流规则' : source}优先分往${step.channel}渠道（${step.organizationKinds.join('、')}）`,
    `属地管理：纠纷发生地 ${input.regionCode}，由服务该地的最低层级组织受理：${org.name}（${LEVEL_LABEL[org.level]}）`,
  ];
  if (input.aboveLevel) reasons.push(`升级：上一层级为${LEVEL_LABEL[input.aboveLevel]}，改由上一级组织处理`);
  const mediator = await proposeMediator(db, org.id, input.category, input.languages, input.excludeMediatorIds ?? []);
  return { organization: org, channel: org.channel, level: org.level, reasons, alternatives, mediator };
}

/**
 * Proposes a mediator of an organisation by category expertise, shared languages and current load
 * against capacity; says why. Null when nobody has room (the organisation then takes the case up itself).
 */
export async function proposeMediator(
  db: Executor,
  organizationId: string,
  category: DisputeCategory,
  languages: string[],
  excludeMediatorIds: string[],
): Promise<{ id: string; name: string; reasons: string[] } | null> {
  const roster = await db
    .select({ m: mediators, name: users.name })
    .from(mediators)
    .innerJoin(users, eq(users.id, mediators.userId))
    .where(and(eq(mediators.organizationId, organizationId), eq(mediators.active, true)));
  if (roster.length === 0) return null;
  const loads = await db
    .select({ mediatorId: cases.mediatorId, n: count() })
    .from(cases)
    .where(and(inArray(cases.mediatorId, roster.map((r) => r.m.id)), inArray(cases.status, ACTIVE_STATUSES)))
    .groupBy(cases.mediatorId);
  const loadOf = new Map(loads.map((l) => [l.mediatorId, Number(l.n)]));
  const wanted = languages.filter((l) => l !== 'zh');
  const scored = roster
    .filter((r) => !excludeMediatorIds.includes(r.m.id))
    .map((r) => {
      const load = loadOf.get(r.m.id) ?? 0;
      const expert = r.m.categories.includes(category);
      const shared = wanted.filter((l) => r.m.languages.includes(l));
      const score = (expert ? 3 : 0) + shared.length * 2 - load / Math.max(1, r.m.capacity);
      const reasons = [
        expert ? `擅长${CATEGORY_LABELS[category]}` : `未登记${CATEGORY_LABELS[category]}专长`,
        ...(shared.length ? [`通晓当事人使用的语言：${shared.map((l) => LANGUAGE_CODES[l] ?? l).join('、')}`] : []),
        `当前在办 ${load} 件，容量 ${r.m.capacity} 件`,
      ];
      return { id: r.m.id, name: r.name, load, capacity: r.m.capacity, score, reasons };
    })
    .filter((r) => r.load < r.capacity)
    .sort((a, b) => b.score - a.score || a.load - b.load || a.name.localeCompare(b.name));
  const best = scored[0];
  return best ? { id: best.id, name: best.name, reasons: best.reasons } : null;
}
