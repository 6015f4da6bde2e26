import { count, eq } from 'drizzle-orm';
import { organizations, users } from '../../../schema';
import { hashPassword } from '../auth/passwords';
import { idNumberColumns } from '../auth/users';
import type { Actor, Deps } from '../context';
import type { DisputeCategory, OrganizationKind } from '../enums';
import { createMediator } from '../organizations/create-mediator';
import { createOrganization, type OrganizationRow } from '../organizations/create-organization';
import { createStaffAccount } from '../organizations/create-staff-account';
import { seedGovernanceDemo } from './seed-governance';
import { seedSettledCases } from './seed-settled-cases';
import { seedSubsidyRules } from './seed-subsidy';

export const DEMO_PASSWORD = 'Demo2026jf';
export const DEMO_ADMIN_PHONE = '13800000000';
const DEMO_BCRYPT_COST = 6;

export interface DemoAccount {
  phone: string;
  name: string;
  role: string;
  note: string;
}

type OrgSpec = {
  key: string;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  categories: DisputeCategory[];
  profile?: string;
};

const VILLAGE_CATS: DisputeCategory[] = ['FAMILY', 'MARRIAGE', 'NEIGHBOR', 'DEBT', 'INHERITANCE', 'LAND', 'OTHER'];
const COUNTY_CATS: DisputeCategory[] = [...VILLAGE_CATS, 'LABOR', 'CONTRACT', 'CONSUMER', 'PROPERTY_MANAGEMENT', 'CONSTRUCTION', 'ENVIRONMENT', 'TOURISM'];

const ORGS: OrgSpec[] = [
  { key: 'binchuanCourt', name: '宾川县人民法院', kind: 'COURT', regionCode: '532924', categories: [] },
  { key: 'xichouCourt', name: '西畴县人民法院', kind: 'COURT', regionCode: '532623', categories: [] },
  { key: 'luxiCourt', name: '泸西县人民法院', kind: 'COURT', regionCode: '532527', categories: [] },
  { key: 'daliCourt', name: '大理白族自治州中级人民法院', kind: 'COURT', regionCode: '532900', categories: [] },
  { key: 'binchuanCounty', name: '宾川县人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924', categories: COUNTY_CATS },
  { key: 'jinniu', name: '宾川县金牛镇人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101', categories: COUNTY_CATS },
  { key: 'guishan', name: '金牛镇圭山村人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101201', categories: VILLAGE_CATS },
  { key: 'binchuanMedical', name: '宾川县医疗纠纷人民调解委员会', kind: 'INDUSTRY_MEDIATION_COMMITTEE', regionCode: '532924', categories: ['MEDICAL'] },
  { key: 'binchuanTraffic', name: '宾川县公安局交通警察大队事故调解室', kind: 'ADMINISTRATIVE_AGENCY', regionCode: '532924', categories: ['TRAFFIC'] },
  { key: 'binchuanLawyer', name: '宾川县律师调解工作室', kind: 'LAWYER_MEDIATION_STUDIO', regionCode: '532924', categories: ['CONTRACT', 'DEBT', 'FINANCE', 'CONSTRUCTION', 'CONSUMER', 'INTELLECTUAL_PROPERTY'] },
  { key: 'binchuanCenter', name: '宾川县综治中心', kind: 'COMPREHENSIVE_CENTER', regionCode: '532924', categories: COUNTY_CATS },
  // The justice offices of 以案定补: they take no disputes, they fund and check the committees.
  { key: 'binchuanJustice', name: '宾川县司法局', kind: 'ADMINISTRATIVE_AGENCY', regionCode: '532924', categories: [] },
  { key: 'jinniuJustice', name: '宾川县金牛镇司法所', kind: 'ADMINISTRATIVE_AGENCY', regionCode: '532924101', categories: [] },
  { key: 'xichouCounty', name: '西畴县人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532623', categories: COUNTY_CATS },
  { key: 'xisa', name: '西畴县西洒镇人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532623101', categories: COUNTY_CATS },
  { key: 'beihui', name: '西洒镇北回社区人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532623101001', categories: VILLAGE_CATS },
  { key: 'luxiCounty', name: '泸西县人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532527', categories: COUNTY_CATS },
  { key: 'zhongshu', name: '泸西县中枢镇人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532527101', categories: COUNTY_CATS },
  { key: 'changan', name: '中枢镇长安社区人民调解委员会', kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532527101001', categories: VILLAGE_CATS },
];

const MEDIATORS: { org: string; name: string; phone: string; languages: string[]; title: string; categories?: DisputeCategory[] }[] = [
  { org: 'guishan', name: '杨正华', phone: '13800001001', languages: ['zh', 'bca'], title: '村调委会主任' },
  { org: 'guishan', name: '李阿妹', phone: '13800001002', languages: ['zh', 'ii'], title: '人民调解员' },
  { org: 'jinniu', name: '张国强', phone: '13800001003', languages: ['zh'], title: '镇调委会主任' },
  { org: 'jinniu', name: '余秀兰', phone: '13800001004', languages: ['zh', 'lis'], title: '专职人民调解员' },
  { org: 'binchuanCounty', name: '段明辉', phone: '13800001005', languages: ['zh', 'bca'], title: '县调委会副主任' },
  { org: 'binchuanMedical', name: '赵建华', phone: '13800001006', languages: ['zh'], title: '医疗纠纷调解员' },
  { org: 'binchuanTraffic', name: '王警官', phone: '13800001007', languages: ['zh'], title: '事故处理民警' },
  { org: 'binchuanLawyer', name: '刘律师', phone: '13800001008', languages: ['zh'], title: '执业律师、调解员' },
  { org: 'beihui', name: '农美芬', phone: '13800001009', languages: ['zh', 'za'], title: '社区调委会主任' },
  { org: 'xisa', name: '熊光明', phone: '13800001010', languages: ['zh', 'hmn'], title: '镇调委会主任' },
  { org: 'xichouCounty', name: '陆云华', phone: '13800001011', languages: ['zh', 'za'], title: '县调委会委员' },
  { org: 'changan', name: '普文学', phone: '13800001012', languages: ['zh', 'ii'], title: '社区调委会主任' },
  { org: 'zhongshu', name: '何丽萍', phone: '13800001013', languages: ['zh'], title: '镇调委会主任' },
  { org: 'luxiCounty', name: '昂自明', phone: '13800001014', languages: ['zh', 'ii'], title: '县调委会副主任' },
];

/**
 * Adds a realistic Yunnan demo set (outside production, on a database without organisations):
 * courts, committees at village, township and county level, an agency desk, an industry committee,
 * a lawyer studio, mediators with languages, and accounts to log in with.
 */
export async function seedDemo(baseDeps: Deps, lap: (phase: string) => void = () => undefined): Promise<DemoAccount[] | null> {
  // The demo password is printed on the console, so a high hashing cost protects nothing here
  // while 17 hashes at cost 12 held up the first start by seconds. Real accounts keep the
  // configured cost.
  const deps: Deps = { ...baseDeps, config: { ...baseDeps.config, bcryptCost: Math.min(baseDeps.config.bcryptCost, DEMO_BCRYPT_COST) } };
  const [{ n } = { n: 0 }] = await deps.db.select({ n: count() }).from(organizations);
  if (n > 0) return null;
  const accounts: DemoAccount[] = [];

  let [admin] = await deps.db.select().from(users).where(eq(users.role, 'PLATFORM_ADMIN')).limit(1);
  if (!admin) {
    const now = deps.clock.now();
    [admin] = await deps.db
      .insert(users)
      .values({
        phone: DEMO_ADMIN_PHONE,
        passwordHash: await hashPassword(DEMO_PASSWORD, deps.config.bcryptCost),
        name: '演示平台管理员',
        role: 'PLATFORM_ADMIN',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    accounts.push({ phone: DEMO_ADMIN_PHONE, name: admin!.name, role: 'PLATFORM_ADMIN', note: 'platform admin' });
  }
  const actor: Actor = {
    viewer: { kind: 'user', userId: admin!.id, role: 'PLATFORM_ADMIN', organizationId: null, phone: admin!.phone, verifiedPhone: null, name: admin!.name, sessionId: 'seed' },
    ip: null,
    userAgent: 'demo-seed',
    requestId: null,
  };

  const orgs = new Map<string, OrganizationRow>();
  for (const spec of ORGS) {
    orgs.set(
      spec.key,
      await createOrganization(deps, actor, {
        name: spec.name,
        kind: spec.kind,
        regionCode: spec.regionCode,
        categories: spec.categories,
        profile: spec.profile ?? null,
      }),
    );
  }
  // Organisations in parallel, but one mediator at a time within each: every creation appends to the
  // organisation's audit chain, and two appends at once would claim the same sequence number.
  const byOrg = new Map<string, typeof MEDIATORS>();
  for (const m of MEDIATORS) byOrg.set(m.org, [...(byOrg.get(m.org) ?? []), m]);
  await Promise.all(
    [...byOrg.values()].map(async (list) => {
      for (const m of list) {
        const org = orgs.get(m.org)!;
        await createMediator(deps, actor, {
          organizationId: org.id,
          name: m.name,
          phone: m.phone,
          password: DEMO_PASSWORD,
          channel: org.channel,
          categories: m.categories ?? org.categories,
          languages: m.languages,
          title: m.title,
        });
      }
    }),
  );
  for (const m of MEDIATORS) accounts.push({ phone: m.phone, name: m.name, role: 'MEDIATOR', note: orgs.get(m.org)!.name });
  lap('seedOrganizations');

  const staff = [
    { org: 'jinniu', role: 'ORG_ADMIN' as const, name: '金牛镇调委会管理员', phone: '13800002001' },
    { org: 'guishan', role: 'GRID_WORKER' as const, name: '圭山村网格员 杨丽', phone: '13800002002' },
    { org: 'beihui', role: 'GRID_WORKER' as const, name: '北回社区网格员 农丽华', phone: '13800002003' },
    { org: 'changan', role: 'GRID_WORKER' as const, name: '长安社区网格员 普丽琼', phone: '13800002004' },
    { org: 'binchuanCenter', role: 'ORG_ADMIN' as const, name: '宾川县综治中心管理员', phone: '13800002005' },
    { org: 'binchuanJustice', role: 'ORG_ADMIN' as const, name: '宾川县司法局管理员', phone: '13800002006' },
    { org: 'jinniuJustice', role: 'ORG_ADMIN' as const, name: '金牛镇司法所管理员', phone: '13800002007' },
  ];
  const staffRows = await Promise.all(
    staff.map((s) =>
      createStaffAccount(deps, actor, { organizationId: orgs.get(s.org)!.id, role: s.role, name: s.name, phone: s.phone, password: DEMO_PASSWORD }),
    ),
  );
  for (const s of staff) accounts.push({ phone: s.phone, name: s.name, role: s.role, note: orgs.get(s.org)!.name });

  const parties = [
    { name: '李秀英', phone: '13800003001', gender: 'FEMALE', ethnicity: '白族', occupation: '农民', idNumber: '532924196803120026', birthDate: '1968-03-12' },
    { name: '杨建国', phone: '13800003002', gender: 'MALE', ethnicity: '汉族', occupation: '农民', idNumber: '532924196507080111', birthDate: '1965-07-08' },
  ];
  const hash = await hashPassword(DEMO_PASSWORD, deps.config.bcryptCost);
  const now = deps.clock.now();
  const partyRows = await deps.db
    .insert(users)
    .values(parties.map(({ idNumber, ...p }) => ({ ...p, ...idNumberColumns(deps.config.dataKey, idNumber), passwordHash: hash, role: 'PARTY' as const, phoneVerifiedAt: now, address: '云南省大理白族自治州宾川县金牛镇圭山村', createdAt: now, updatedAt: now })))
    .returning();
  for (const p of parties) accounts.push({ phone: p.phone, name: p.name, role: 'PARTY', note: 'party' });
  lap('seedAccounts');
  await seedGovernanceDemo(deps, { guishan: staffRows[1]!, beihui: staffRows[2]!, changan: staffRows[3]! }, staffRows[0]!);
  await seedSubsidyRules(deps, staffRows[5]!);
  lap('seedGovernance');
  await seedSettledCases(deps, parties.map((p) => partyRows.find((r) => r.phone === p.phone)!), DEMO_PASSWORD);
  lap('seedSettledCases');
  return accounts;
}
