import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { addressSchema, printable } from '../validation/printable';
import { caseParties, cases, mediators, regions, users } from '../../../schema';
import { preparedPerDatabase, preparedPerShape, textPerKey } from '../../db-prepared';
import { idNumberSchema, nameSchema, phoneSchema } from '../auth/fields';
import { requireRole } from '../auth/policy';
import { idNumberColumns } from '../auth/users';
import type { Actor, Deps } from '../context';
import { DISPUTE_CATEGORIES, LANGUAGE_CODES } from '../enums';
import { ValidationError } from '../errors';
import { creditCodeError } from '../validation';
import { ethnicitySchema, genderSchema, occupationSchema, serviceAddressSchema } from '../auth/profile-fields';
import { parseInput } from '../validate';
import type { CaseRow } from './case-access';
import { lowestCommonRegion } from './diversion';
import { insertNewCase, type NewPartyColumns } from './insert-new-case';
import { assessRisk } from './risk';
import { computeDeadline } from '../clock/deadline';

const RISK_RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;

// The filing's reads, each built once per database: drizzle builds the text and the mapping once,
// and each filing sends only its values.
/** The filer's address on their account (when the filing gives none). */
const filerAddress = preparedPerDatabase((db) =>
  db.select({ address: users.address }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare('filer_address'),
);
/**
 * Every division the filing names, and its county, in one read: a text per number of codes
 * (`in ($1, $2)`), each built once. PostgreSQL keeps a generic plan for these; for
 * `= any($1::text[])` it plans again at every run (see `server/db-prepared.ts`).
 */
const namedDivisions = preparedPerShape((db, s: { key: string; values: Record<string, unknown>; count: number }) =>
  db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, Array.from({ length: s.count }, (_c, i) => sql.placeholder(`c${i}`))))
    .prepare('named_divisions'),
);
/** Statements whose text is built once (the prior-case count). */
const builtOnce = textPerKey();
/**
 * Cases of the last year between the applicant and a respondent. Read from the respondents'
 * numbers, which name few cases, whatever the planner makes of the applicant (a grid worker's or a
 * busy filer's number names many).
 */
const priorCasesText = () => sql`with r as materialized (
      select distinct b.case_id from ${caseParties} b where b.phone = any(${sql.placeholder('respondents')}::text[])
    )
    select count(*)::int as n from r join ${cases} c on c.id = r.case_id
    where c.created_at > ${sql.placeholder('since')}::timestamptz
      and exists (select 1 from ${caseParties} a where a.case_id = r.case_id and a.phone = ${sql.placeholder('applicant')})`;

/** A party row keeps the encrypted and the masked ID number (no lookup digest: parties are not accounts). */
function partyIdColumns(dataKey: Buffer, idNumber: string) {
  const { idNumberEnc, idNumberMasked } = idNumberColumns(dataKey, idNumber);
  return { idNumberEnc, idNumberMasked };
}

/**
 * Matters the law keeps out of mediation (INT 143; INT 355): status confirmation, special procedures,
 * public notice and bankruptcy. Filing them is refused with the reason.
 */
const NOT_MEDIABLE: { pattern: RegExp; reason: string }[] = [
  { pattern: /确认(婚姻|收养|亲子|父子|母子)关系|婚姻(无效|效力)|亲子鉴定确认|身份关系确认/, reason: '婚姻、亲子、收养等身份关系的确认不适用调解（民诉法解释第一百四十三条）' },
  { pattern: /宣告(失踪|死亡)|认定(公民)?(无|限制)民事行为能力|认定财产无主/, reason: '适用特别程序的事项不适用调解（民诉法解释第一百四十三条）' },
  { pattern: /公示催告|破产(清算|申请|还债)|督促程序|支付令/, reason: '公示催告、破产、督促程序的事项不适用调解（民诉法解释第一百四十三条）' },
];

const agentSchema = z.object({
  name: nameSchema,
  phone: phoneSchema.nullish(),
  authority: printable(z.string().trim().min(2, 'describe the scope of authority (一般授权 / 特别授权: …)').max(500)),
  /** 特别授权 (INT 351): the agent may sign the agreement and apply for confirmation for the party. */
  specialAuthority: z.boolean().nullish(),
});

const divisionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'must be a 6, 9 or 12 digit division code');

const partySchema = (today: Date) =>
  z.object({
    name: nameSchema,
    phone: phoneSchema,
    kind: z.enum(['PERSON', 'ORGANIZATION']).nullish(),
    idNumber: idNumberSchema(today).nullish(),
    creditCode: z.string().trim().toUpperCase().nullish(),
    address: addressSchema.nullish(),
    /** The domicile's division code, when known: the court of the domicile follows from it (CPL 205). */
    domicileRegionCode: divisionCode.nullish(),
    gender: genderSchema.nullish(),
    ethnicity: ethnicitySchema.nullish(),
    occupation: occupationSchema.nullish(),
    serviceAddress: serviceAddressSchema.nullish(),
    consentsToElectronicService: z.boolean().nullish(),
    agents: z.array(agentSchema).max(2, 'at most two agents (民诉法第六十一条)').nullish(),
  });

type PartyFields = {
  name: string;
  phone: string;
  kind?: 'PERSON' | 'ORGANIZATION' | null;
  idNumber?: string | null;
  creditCode?: string | null;
  address?: string | null;
  domicileRegionCode?: string | null;
  gender?: 'MALE' | 'FEMALE' | null;
  ethnicity?: string | null;
  occupation?: string | null;
  serviceAddress?: string | null;
  consentsToElectronicService?: boolean | null;
  agents?: { name: string; phone?: string | null; authority: string; specialAuthority?: boolean | null }[] | null;
};

export interface FileDisputeInput {
  category: (typeof DISPUTE_CATEGORIES)[number];
  title: string;
  description: string;
  regionCode: string;
  otherRegionCodes?: string[] | null;
  respondents: PartyFields[];
  applicant?: PartyFields | null;
  /** The applicant's agents (kept for clients written before parties carried their own). */
  agents?: { name: string; phone?: string | null; authority: string; specialAuthority?: boolean | null }[] | null;
  /** 标的物所在地, when the dispute concerns a thing (land, a house…). */
  subjectMatterRegionCode?: string | null;
  claims?: string | null;
  amount?: string | null;
  languages?: string[] | null;
  /** The applicant's choice from the published roster; honoured when every party chooses the same mediator. */
  preferredMediatorId?: string | null;
}

/** The input schema for a given day (ID numbers are checked against it); built once per day, not per request. */
const schemas = new Map<string, ReturnType<typeof buildInputSchema>>();
function buildInputSchema(today: Date) {
  return z.object({
      category: z.enum(DISPUTE_CATEGORIES),
      title: z.string().trim().min(2, 'is too short').max(100, 'is too long'),
      description: z.string().trim().min(10, 'describe the dispute in at least 10 characters').max(10_000),
      regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'must be a 6, 9 or 12 digit division code'),
      otherRegionCodes: z.array(z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'must be a division code')).max(10).nullish(),
      respondents: z.array(partySchema(today)).min(1, 'name at least one respondent').max(20),
      applicant: partySchema(today).nullish(),
      agents: z.array(agentSchema).max(2, 'at most two agents (民诉法第六十一条)').nullish(),
      claims: z.string().trim().max(5000).nullish(),
      amount: z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be yuan with two decimals').nullish(),
      languages: z.array(z.string().refine((c) => c in LANGUAGE_CODES, 'is not a supported ISO 639 code')).max(5).nullish(),
      preferredMediatorId: z.string().uuid().nullish(),
      subjectMatterRegionCode: divisionCode.nullish(),
    });
}
function inputSchemaFor(today: Date) {
  const key = today.toISOString().slice(0, 10);
  let schema = schemas.get(key);
  if (!schema) {
    if (schemas.size > 3) schemas.clear();
    schema = buildInputSchema(today);
    schemas.set(key, schema);
  }
  return schema;
}

/** OMR 15: contacting the other side of a one-sided application. */
export const RESPONDENT_CONTACT_WORKING_DAYS = 3;

/** Files a dispute: by a party for themself, or by a grid worker for a resident (the applicant). */
export async function fileDispute(deps: Deps, actor: Actor, input: FileDisputeInput): Promise<CaseRow> {
  const viewer = requireRole(actor, 'PARTY', 'GRID_WORKER', 'PLATFORM_ADMIN');
  const today = deps.clock.now();
  const data = parseInput(inputSchemaFor(today), input);
  if (data.preferredMediatorId) {
    const [m] = await deps.db.select().from(mediators).where(eq(mediators.id, data.preferredMediatorId));
    if (!m || !m.active) throw ValidationError.field('preferredMediatorId', 'is not a mediator on a published roster');
  }
  const text = `${data.title}\n${data.description}\n${data.claims ?? ''}`;
  for (const rule of NOT_MEDIABLE) {
    if (rule.pattern.test(text)) throw ValidationError.field('description', `不予受理：${rule.reason}`);
  }

  // Who applies: the filer themself, or (grid worker, admin) the resident named as applicant.
  let applicant: z.infer<ReturnType<typeof partySchema>>;
  if (viewer.role === 'PARTY') {
    if (data.applicant && data.applicant.phone !== viewer.phone) {
      throw ValidationError.field('applicant', 'a party files for themself; grid workers file for residents');
    }
    // The login read the filer's name, phone and address; the account is read again only for an
    // address not given by a viewer built without it.
    const address =
      data.applicant?.address ??
      (viewer.address !== undefined ? viewer.address : (await filerAddress(deps.db).execute({ id: viewer.userId }))[0]?.address) ??
      null;
    applicant = {
      ...(data.applicant ?? {}),
      name: viewer.name,
      phone: viewer.phone,
      kind: 'PERSON',
      address,
      idNumber: null,
      creditCode: null,
    };
  } else {
    if (!data.applicant) throw ValidationError.field('applicant', 'is required when filing for a resident');
    applicant = data.applicant;
  }
  const all = [applicant, ...data.respondents];
  const phones = all.map((p) => p.phone);
  if (new Set(phones).size !== phones.length) throw ValidationError.field('respondents', 'each party needs their own phone number');
  if (data.agents?.length && data.applicant?.agents?.length) throw ValidationError.field('agents', 'give the applicant’s agents once, in applicant.agents');
  for (const [i, p] of all.entries()) {
    const field = i === 0 ? 'applicant' : `respondents.${i - 1}`;
    if (p.serviceAddress && p.consentsToElectronicService !== true) {
      throw ValidationError.field(`${field}.consentsToElectronicService`, 'must be true to designate an electronic service address');
    }
    if (p.gender && p.idNumber && p.gender !== p.idNumber.gender) throw ValidationError.field(`${field}.gender`, 'does not match the ID number');
    if (p.kind === 'ORGANIZATION') {
      if (!p.creditCode) throw ValidationError.field(`${field}.creditCode`, 'is required for an organisation');
      const problem = creditCodeError(p.creditCode);
      if (problem) throw ValidationError.field(`${field}.creditCode`, `is not a valid unified social credit code: ${problem}`);
    } else if (p.creditCode) {
      throw ValidationError.field(`${field}.creditCode`, 'only organisations have a credit code');
    }
  }

  const regionCode = data.otherRegionCodes?.length ? lowestCommonRegion([data.regionCode, ...data.otherRegionCodes]) : data.regionCode;
  const codes = [data.regionCode, ...(data.otherRegionCodes ?? [])];
  const extraCodes = [
    ...(data.subjectMatterRegionCode ? [{ field: 'subjectMatterRegionCode', code: data.subjectMatterRegionCode }] : []),
    ...all.flatMap((p, i) => (p.domicileRegionCode ? [{ field: `${i === 0 ? 'applicant' : `respondents.${i - 1}`}.domicileRegionCode`, code: p.domicileRegionCode }] : [])),
  ];
  const countyCode = regionCode.slice(0, 6);
  // Every division the filing names, and its county, in one read.
  const named = [...new Set([...codes, countyCode, ...extraCodes.map((e) => e.code)])];
  const known = await namedDivisions(deps.db, { key: String(named.length), values: {}, count: named.length }).execute(Object.fromEntries(named.map((c, i) => [`c${i}`, c])));
  for (const e of extraCodes) {
    if (!known.some((r) => r.code === e.code)) throw ValidationError.field(e.field, `${e.code} is not a known division code`);
    if (e.code.length === 6 && e.code.endsWith('00')) throw ValidationError.field(e.field, 'must name a county, township or village');
  }
  for (const code of codes) {
    if (!known.some((r) => r.code === code)) throw ValidationError.field('regionCode', `${code} is not a known division code`);
  }
  if (regionCode.length === 6 && regionCode.endsWith('00')) {
    throw ValidationError.field('regionCode', 'must be inside one county (or name the county, township or village)');
  }
  const county = known.find((r) => r.code === countyCode);
  if (!county) throw ValidationError.field('regionCode', 'lies in no known county');

  // Repeated conflict between the same people within a year is a risk signal (民转刑 prevention).
  const yearAgo = new Date(today.getTime() - 365 * 86_400_000);
  const [{ n: prior } = { n: 0 }] = (await builtOnce(deps.db, 'prior_cases', priorCasesText, {
    respondents: data.respondents.map((r) => r.phone),
    applicant: applicant.phone,
    since: yearAgo.toISOString(),
  })) as { n: number }[];
  const risk = assessRisk({
    category: data.category,
    title: data.title,
    description: data.description,
    claims: data.claims ?? null,
    priorCasesBetweenSamePartiesWithinYear: Number(prior),
  });
  const now = deps.clock.now();
  const filedVia = viewer.role === 'PARTY' ? 'PARTY' : 'GRID_WORKER';
  // OMR 15: the other side of a one-sided application is contacted within 3 working days.
  const contact = computeDeadline(deps.calendar, { rule: 'WORKING_DAYS', amount: RESPONDENT_CONTACT_WORKING_DAYS, startAt: now });

  // One statement writes the case (see insertNewCase): it needs no transaction around it.
  return insertNewCase(deps.db, deps, actor, {
    row: {
      category: data.category,
      title: data.title,
      description: data.description,
      claims: data.claims ?? null,
      amount: data.amount ?? null,
      regionCode,
      countyCode,
      languages: data.languages?.length ? data.languages : ['zh'],
      filedByUserId: viewer.userId,
      filedVia,
      subjectMatterRegionCode: data.subjectMatterRegionCode ?? null,
      riskLevel: risk.level,
      riskRank: RISK_RANK[risk.level],
      riskSignals: risk.signals,
    },
    countyName: county.name,
    applicant: partyColumns(deps, applicant, now, data.agents?.length ? data.agents : null, data.preferredMediatorId ?? null),
    respondents: data.respondents.map((r) => partyColumns(deps, r, now, null, null)),
    filed: {
      category: data.category,
      regionCode,
      filedVia,
      parties: all.map((p, i) => ({ role: i === 0 ? 'APPLICANT' : 'RESPONDENT', name: p.name })),
      riskLevel: risk.level,
      riskSignals: risk.signals.map((s) => s.code),
    },
    intake: {
      patch: { contactDueAt: contact.dueAt },
      data: { checks: ['mediable category', 'parties identified', 'region known'], contactDueAt: contact.dueAt.toISOString(), contactDueBasis: contact.basis },
    },
    deadline: { kind: 'RESPONDENT_CONTACT', computed: contact, source: 'OMR 15' },
    notices: (number, caseId) => [
      ...data.respondents.map((r) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'case.respondent_invited',
        recipient: r.phone,
        caseId,
        payload: { caseNumber: number, applicant: applicant.name, title: data.title },
      })),
      ...(risk.level === 'HIGH'
        ? [
            {
              kind: 'ALERT' as const,
              topic: 'risk.high',
              recipient: `police-liaison:${countyCode}`,
              caseId,
              payload: { caseNumber: number, regionCode, signals: risk.signals.map((s) => s.label).join('、') },
            },
          ]
        : []),
    ],
  });
}

type AgentInput = NonNullable<PartyFields['agents']>[number];

/** A filed party's own columns (the applicant may carry the filing's agents and chosen mediator). */
function partyColumns(
  deps: Deps,
  p: z.infer<ReturnType<typeof partySchema>>,
  now: Date,
  filingAgents: AgentInput[] | null,
  chosenMediatorId: string | null,
): NewPartyColumns {
  return {
    kind: p.kind ?? 'PERSON',
    name: p.name,
    phone: p.phone,
    ...(p.idNumber ? partyIdColumns(deps.config.dataKey, p.idNumber.value) : {}),
    creditCode: p.creditCode ?? null,
    address: p.address ?? null,
    domicileRegionCode: p.domicileRegionCode ?? null,
    gender: p.gender ?? p.idNumber?.gender ?? null,
    ethnicity: p.ethnicity ?? null,
    occupation: p.occupation ?? null,
    serviceAddress: p.consentsToElectronicService ? (p.serviceAddress ?? p.phone) : null,
    serviceConsentAt: p.consentsToElectronicService ? now : null,
    serviceConsentChannel: p.consentsToElectronicService ? 'FILING' : null,
    agents: (filingAgents ?? p.agents ?? []).map((a) => ({ name: a.name, phone: a.phone ?? null, authority: a.authority, special: a.specialAuthority === true })),
    chosenMediatorId,
  };
}
