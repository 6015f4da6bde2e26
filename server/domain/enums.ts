/** Enumerations shared by the database, the domain and GraphQL; names follow api-contract.md. */

export const USER_ROLES = ['PARTY', 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ORGANIZATION_KINDS = [
  'PEOPLES_MEDIATION_COMMITTEE',
  'INDUSTRY_MEDIATION_COMMITTEE',
  'ADMINISTRATIVE_AGENCY',
  'COURT',
  'LAWYER_MEDIATION_STUDIO',
  /** 综治中心: comprehensive governance centre at county or township level */
  'COMPREHENSIVE_CENTER',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const MEDIATION_CHANNELS = ['PEOPLES', 'ADMINISTRATIVE', 'JUDICIAL', 'LAWYER'] as const;
export type MediationChannel = (typeof MEDIATION_CHANNELS)[number];

/** The channel an organisation of each kind mediates in. */
export const CHANNEL_OF_KIND: Record<OrganizationKind, MediationChannel> = {
  PEOPLES_MEDIATION_COMMITTEE: 'PEOPLES',
  INDUSTRY_MEDIATION_COMMITTEE: 'PEOPLES',
  ADMINISTRATIVE_AGENCY: 'ADMINISTRATIVE',
  COURT: 'JUDICIAL',
  LAWYER_MEDIATION_STUDIO: 'LAWYER',
  COMPREHENSIVE_CENTER: 'PEOPLES',
};

export const REGION_LEVELS = ['PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP', 'VILLAGE'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const CASE_LEVELS = ['VILLAGE', 'TOWNSHIP', 'COUNTY', 'PREFECTURE'] as const;
export type CaseLevel = (typeof CASE_LEVELS)[number];

export const DISPUTE_CATEGORIES = [
  'FAMILY',
  'MARRIAGE',
  'NEIGHBOR',
  'DEBT',
  'INHERITANCE',
  'LABOR',
  'MEDICAL',
  'LAND',
  'TRAFFIC',
  'PROPERTY_MANAGEMENT',
  'CONSUMER',
  'FINANCE',
  'CONSTRUCTION',
  'CONTRACT',
  'ENVIRONMENT',
  'TOURISM',
  'INTELLECTUAL_PROPERTY',
  'OTHER',
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<DisputeCategory, string> = {
  FAMILY: '家庭纠纷',
  MARRIAGE: '婚姻纠纷',
  NEIGHBOR: '邻里纠纷',
  DEBT: '债务纠纷',
  INHERITANCE: '继承纠纷',
  LABOR: '劳动争议',
  MEDICAL: '医疗纠纷',
  LAND: '土地纠纷',
  TRAFFIC: '道路交通事故损害赔偿纠纷',
  PROPERTY_MANAGEMENT: '物业纠纷',
  CONSUMER: '消费纠纷',
  FINANCE: '金融纠纷',
  CONSTRUCTION: '建设工程纠纷',
  CONTRACT: '合同纠纷',
  ENVIRONMENT: '环境纠纷',
  TOURISM: '旅游纠纷',
  INTELLECTUAL_PROPERTY: '知识产权纠纷',
  OTHER: '其他纠纷',
};

/** ISO 639 codes of languages spoken in Yunnan that mediators may list. */
export const LANGUAGE_CODES: Record<string, string> = {
  zh: '汉语',
  ii: '彝语',
  bca: '白语',
  khb: '傣语（西双版纳）',
  tdd: '傣语（德宏）',
  hni: '哈尼语',
  za: '壮语',
  hmn: '苗语',
  lis: '傈僳语',
  wbm: '佤语',
  lhu: '拉祜语',
  nxq: '纳西语',
  bo: '藏语',
  kac: '景颇语',
  yue: '粤语',
  en: '英语',
};
