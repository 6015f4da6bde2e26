import { encodeGlobalID } from '@pothos/plugin-relay';
import { asc, eq, inArray } from 'drizzle-orm';
import { subsidyRuleSets, subsidyStatements } from '../../schema';
import { loadSubsidyAuthority, maySubsidy } from '../domain/access/subsidy';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { approveSubsidyStatement } from '../domain/subsidies/approve-subsidy-statement';
import type { CaseSubsidyGradeRow } from '../domain/subsidies/case-subsidy';
import type { StatementLineRow, StatementRow } from '../domain/subsidies/compose-statement';
import { correctSubsidyStatement } from '../domain/subsidies/correct-subsidy-statement';
import { draftSubsidyStatement } from '../domain/subsidies/draft-subsidy-statement';
import { paySubsidyStatement } from '../domain/subsidies/pay-subsidy-statement';
import { proposeSubsidyGrade } from '../domain/subsidies/propose-subsidy-grade';
import { recordSubsidySpotCheck, type SpotCheckRow } from '../domain/subsidies/record-subsidy-spot-check';
import { regradeSubsidyCase } from '../domain/subsidies/regrade-subsidy-case';
import { reviewSubsidyStatement } from '../domain/subsidies/review-subsidy-statement';
import { setSubsidyRules, type SubsidyRuleSetRow } from '../domain/subsidies/set-subsidy-rules';
import { subsidyEligibility, type CaseEligibility } from '../domain/subsidies/subsidy-eligibility';
import { statementViews, subsidyStatementReport, type PersonTotal, type StatementReport, type StatementView, type StepRow } from '../domain/subsidies/subsidy-statement';
import {
  FILE_REQUIREMENTS,
  fenToYuan,
  LINE_KINDS,
  SPOT_CHECK_METHODS,
  SPOT_CHECK_OUTCOMES,
  STATEMENT_ACTIONS,
  STATEMENT_STATUSES,
  SUBSIDY_GRADES,
  SUBSIDY_MISSING,
  yuanToFen,
} from '../domain/subsidies/types';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId } from './ids';

const GradeEnum = builder.enumType('SubsidyGrade', { description: '简易 SIMPLE, 一般 ORDINARY, 疑难复杂 COMPLEX, 重大 MAJOR.', values: SUBSIDY_GRADES });
const RequirementEnum = builder.enumType('SubsidyFileRequirement', {
  description: 'What the file (一案一卷) must hold: the agreement (or the record of an oral agreement), confirmed minutes, a follow-up done.',
  values: FILE_REQUIREMENTS,
});
const MissingEnum = builder.enumType('SubsidyMissing', { description: 'Why a case is not paid.', values: SUBSIDY_MISSING });
const StatusEnum = builder.enumType('SubsidyStatementStatus', {
  description: 'DRAFT -> REVIEWED (司法所) -> APPROVED (司法局) -> PAID; an approved statement is only SUPERSEDED by a correction.',
  values: STATEMENT_STATUSES,
});
const ActionEnum = builder.enumType('SubsidyStatementAction', { values: STATEMENT_ACTIONS });
const LineKindEnum = builder.enumType('SubsidyLineKind', { description: 'PAYMENT, or CLAWBACK of a payment on an earlier statement.', values: LINE_KINDS });
const SpotMethodEnum = builder.enumType('SubsidySpotCheckMethod', { values: SPOT_CHECK_METHODS });
const SpotOutcomeEnum = builder.enumType('SubsidySpotCheckOutcome', { description: 'UNSOUND forfeits the subsidy (clawed back when paid).', values: SPOT_CHECK_OUTCOMES });

const GradeAmountRef = builder.objectRef<{ grade: (typeof SUBSIDY_GRADES)[number]; fen: number }>('SubsidyGradeAmount').implement({
  fields: (t) => ({
    grade: t.field({ type: GradeEnum, resolve: (g) => g.grade }),
    amount: t.field({ type: 'Money', resolve: (g) => fenToYuan(g.fen) }),
    amountFen: t.exposeInt('fen'),
  }),
});

const RulesRef = builder.objectRef<SubsidyRuleSetRow>('SubsidyRules').implement({
  description: 'A version of a county’s 以案定补 rules; a case is paid under the version in force on the day it settled.',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeGlobalID('SubsidyRules', r.id) }),
    regionCode: t.exposeString('countyCode'),
    version: t.exposeInt('version'),
    effectiveFrom: t.field({ type: 'Date', resolve: (r) => r.effectiveFrom }),
    grades: t.field({ type: [GradeAmountRef], resolve: (r) => SUBSIDY_GRADES.map((grade) => ({ grade, fen: r.amountsFen[grade] })) }),
    fileRequirements: t.field({ type: [RequirementEnum], resolve: (r) => r.fileRequirements }),
    source: t.exposeString('source', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

const GradeFactsRef = builder.objectRef<CaseSubsidyGradeRow['proposedFacts']>('SubsidyGradeFacts').implement({
  fields: (t) => ({
    amount: t.field({ type: 'Money', nullable: true, resolve: (f) => f.amount }),
    people: t.exposeInt('people'),
    riskLevel: t.exposeString('riskLevel'),
    sessions: t.exposeInt('sessions'),
  }),
});

const CaseGradeRef = builder.objectRef<CaseSubsidyGradeRow>('CaseSubsidyGrade').implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, nullable: true, resolve: (g) => g.caseId }),
    grade: t.field({ type: GradeEnum, description: 'In force: the proposal or the township’s regrade.', resolve: (g) => g.grade }),
    proposedGrade: t.field({ type: GradeEnum, resolve: (g) => g.proposedGrade }),
    proposedReason: t.exposeString('proposedReason'),
    proposedFacts: t.field({ type: GradeFactsRef, resolve: (g) => g.proposedFacts }),
    proposedAt: t.field({ type: 'DateTime', resolve: (g) => g.proposedAt }),
    regradeReason: t.exposeString('regradeReason', { nullable: true }),
    regradedAt: t.field({ type: 'DateTime', nullable: true, resolve: (g) => g.regradedAt }),
  }),
});

const EligibilityRef = builder.objectRef<CaseEligibility>('SubsidyEligibility').implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, nullable: true, resolve: (e) => e.caseId }),
    caseNumber: t.string({ resolve: (e) => e.facts.caseNumber }),
    eligible: t.exposeBoolean('eligible'),
    missing: t.field({ type: [MissingEnum], resolve: (e) => e.missing }),
    grade: t.field({ type: CaseGradeRef, nullable: true, resolve: (e) => e.grade }),
    settledOn: t.field({ type: 'Date', nullable: true, resolve: (e) => e.facts.settledDay }),
    amount: t.field({ type: 'Money', nullable: true, resolve: (e) => (e.amountFen === null ? null : fenToYuan(e.amountFen)) }),
    amountFen: t.exposeInt('amountFen', { nullable: true }),
  }),
});

const SpotCheckRef = builder.objectRef<SpotCheckRow>('SubsidySpotCheck').implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, nullable: true, resolve: (s) => s.caseId }),
    method: t.field({ type: SpotMethodEnum, resolve: (s) => s.method }),
    partyReached: t.exposeString('partyReached'),
    outcome: t.field({ type: SpotOutcomeEnum, resolve: (s) => s.outcome }),
    note: t.exposeString('note'),
    checkedAt: t.field({ type: 'DateTime', resolve: (s) => s.checkedAt }),
  }),
});

const LineRef = builder.objectRef<StatementLineRow>('SubsidyStatementLine').implement({
  fields: (t) => ({
    caseId: t.id({ resolve: (l) => encodeGlobalID('Case', l.caseId) }),
    caseNumber: t.exposeString('caseNumber'),
    kind: t.field({ type: LineKindEnum, resolve: (l) => l.kind }),
    grade: t.field({ type: GradeEnum, resolve: (l) => l.grade }),
    amount: t.string({ description: 'Signed yuan with two places; a clawback is negative.', resolve: (l) => fenToYuan(l.amountFen) }),
    amountFen: t.exposeInt('amountFen', { description: 'Signed fen.' }),
  }),
});

const PersonRef = builder.objectRef<PersonTotal>('SubsidyPerson').implement({
  description: 'One person paid (a mediator, or a grid worker acting as one) with their cases.',
  fields: (t) => ({
    userId: t.id({ resolve: (p) => encodeGlobalID('User', p.personUserId) }),
    name: t.exposeString('name'),
    role: t.exposeString('role'),
    lines: t.field({ type: [LineRef], resolve: (p) => p.lines }),
    total: t.string({ description: 'Signed yuan.', resolve: (p) => fenToYuan(p.totalFen) }),
    totalFen: t.exposeInt('totalFen'),
  }),
});

const StepRef = builder.objectRef<StepRow>('SubsidyStatementStep').implement({
  fields: (t) => ({
    action: t.field({ type: ActionEnum, resolve: (s) => s.action }),
    fromStatus: t.field({ type: StatusEnum, nullable: true, resolve: (s) => s.fromStatus }),
    toStatus: t.field({ type: StatusEnum, resolve: (s) => s.toStatus }),
    actorName: t.exposeString('actorName'),
    actorOrganization: t.exposeString('actorOrganization', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (s) => s.at }),
  }),
});

const ExclusionRef = builder.objectRef<StatementRow['exclusions'][number]>('SubsidyExclusion').implement({
  fields: (t) => ({
    caseId: t.id({ resolve: (x) => encodeGlobalID('Case', x.caseId) }),
    caseNumber: t.exposeString('caseNumber'),
    missing: t.field({ type: [MissingEnum], resolve: (x) => x.missing }),
  }),
});

export const SubsidyStatementRef = builder.loadableNodeRef('SubsidyStatement', {
  id: { resolve: (v: StatementView) => v.statement.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const authority = await loadSubsidyAuthority(ctx.deps.db, ctx.viewer);
    const views = (await statementViews(ctx.deps.db, inArray(subsidyStatements.id, ids))).filter((v) => maySubsidy(authority, 'READ', v.statement.regionCode));
    const byId = new Map(views.map((v) => [v.statement.id, v]));
    return ids.map((id) => byId.get(id) ?? null) as StatementView[];
  },
});

SubsidyStatementRef.implement({
  description: '以案定补 statement of a township for a month: per person, the cases, grades and amounts.',
  fields: (t) => ({
    regionCode: t.string({ resolve: (v) => v.statement.regionCode }),
    month: t.string({ resolve: (v) => v.statement.month }),
    status: t.field({ type: StatusEnum, resolve: (v) => v.statement.status }),
    version: t.int({ resolve: (v) => v.statement.version }),
    supersedesId: t.id({ nullable: true, resolve: (v) => (v.statement.supersedesId ? encodeGlobalID('SubsidyStatement', v.statement.supersedesId) : null) }),
    correctionReason: t.string({ nullable: true, resolve: (v) => v.statement.correctionReason }),
    persons: t.field({ type: [PersonRef], resolve: (v) => v.persons }),
    exclusions: t.field({ type: [ExclusionRef], description: 'Cases left out, with what they miss, as found at drafting.', resolve: (v) => v.statement.exclusions }),
    steps: t.field({ type: [StepRef], resolve: (v) => v.steps }),
    total: t.string({ description: 'Signed yuan.', resolve: (v) => fenToYuan(v.statement.totalFen) }),
    totalFen: t.int({ resolve: (v) => v.statement.totalFen }),
    xlsxUrl: t.string({ resolve: (v, _a, ctx) => `${ctx.deps.config.publicUrl}/reports/subsidy-statements/${v.statement.id}.xlsx` }),
  }),
});

const ReportRef = builder.objectRef<StatementReport>('SubsidyStatementReport').implement({
  fields: (t) => ({
    regionCode: t.exposeString('regionCode'),
    month: t.exposeString('month'),
    statements: t.field({ type: [SubsidyStatementRef], description: 'The live statement of a township, or of each township of a county.', resolve: (r) => r.statements }),
    persons: t.field({ type: [PersonRef], resolve: (r) => r.persons }),
    total: t.string({ description: 'Signed yuan.', resolve: (r) => fenToYuan(r.totalFen) }),
    totalFen: t.exposeInt('totalFen'),
  }),
});

const GradeAmountInput = builder.inputType('SubsidyGradeAmountInput', {
  fields: (t) => ({ grade: t.field({ type: GradeEnum, required: true }), amount: t.field({ type: 'Money', required: true }) }),
});

/** One view after a command changed a statement (fresh lines and steps). */
async function viewOf(ctx: GraphQLContext, row: StatementRow): Promise<StatementView> {
  const [view] = await statementViews(ctx.deps.db, eq(subsidyStatements.id, row.id));
  return view!;
}

const statementSuccess = (name: string) =>
  builder.objectRef<{ statement: StatementView }>(`${name}Success`).implement({
    fields: (f) => ({ statement: f.field({ type: SubsidyStatementRef, resolve: (p) => p.statement }) }),
  });
const StatementIdInput = (name: string) =>
  builder.inputType(`${name}Input`, { fields: (t) => ({ statementId: t.id({ required: true }), note: t.string() }) });

const statementStep = (name: string, command: typeof reviewSubsidyStatement, description: string) =>
  builder.mutationField(name[0]!.toLowerCase() + name.slice(1), (t) =>
    t.field({
      type: statementSuccess(name),
      description,
      errors: { union: { name: `${name}Result` } },
      authScopes: { staff: true },
      args: { input: t.arg({ type: StatementIdInput(name), required: true }) },
      resolve: async (_p, { input }, ctx) => ({
        statement: await viewOf(ctx, await command(ctx.deps, ctx.actor, { statementId: localId(String(input.statementId), 'SubsidyStatement', 'statementId'), note: input.note })),
      }),
    }),
  );
statementStep('ReviewSubsidyStatement', reviewSubsidyStatement, 'The township 司法所 reviews its statement (DRAFT -> REVIEWED).');
statementStep('ApproveSubsidyStatement', approveSubsidyStatement, 'The county 司法局 approves a reviewed statement; it never changes after.');
statementStep('PaySubsidyStatement', paySubsidyStatement, 'The county 司法局 records the payment of an approved statement.');

builder.mutationFields((t) => ({
  setSubsidyRules: t.field({
    type: builder.objectRef<{ rules: SubsidyRuleSetRow }>('SetSubsidyRulesSuccess').implement({ fields: (f) => ({ rules: f.field({ type: RulesRef, resolve: (p) => p.rules }) }) }),
    description: 'The county 司法局 publishes a new version of its 以案定补 rules.',
    errors: { union: { name: 'SetSubsidyRulesResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('SetSubsidyRulesInput', {
          fields: (f) => ({
            regionCode: f.string({ required: true, description: 'The county (6 digits).' }),
            effectiveFrom: f.field({ type: 'Date', required: true }),
            grades: f.field({ type: [GradeAmountInput], required: true, description: 'Every grade once, with its amount per case.' }),
            fileRequirements: f.field({ type: [RequirementEnum], defaultValue: [...FILE_REQUIREMENTS] }),
            source: f.string({ description: 'The published document, e.g. 双柏县以案定补实施办法（2026）.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => {
      const grades = input.grades.map((g, i) => {
        const fen = yuanToFen(g.amount);
        if (fen > 10_000_000) throw ValidationError.field(`grades.${i}.amount`, 'at most 100000.00 yuan per case');
        return { grade: g.grade, amountFen: fen };
      });
      return {
        rules: await setSubsidyRules(ctx.deps, ctx.actor, { regionCode: input.regionCode, effectiveFrom: input.effectiveFrom, grades, fileRequirements: input.fileRequirements ?? [...FILE_REQUIREMENTS], source: input.source }),
      };
    },
  }),
  proposeSubsidyGrade: t.field({
    type: builder.objectRef<{ grade: CaseSubsidyGradeRow }>('ProposeSubsidyGradeSuccess').implement({ fields: (f) => ({ grade: f.field({ type: CaseGradeRef, resolve: (p) => p.grade }) }) }),
    description: 'The case’s mediator proposes the grade of a case that ended by settlement, with a reason.',
    errors: { union: { name: 'ProposeSubsidyGradeResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('ProposeSubsidyGradeInput', {
          fields: (f) => ({ caseId: f.id({ required: true }), grade: f.field({ type: GradeEnum, required: true }), reason: f.string({ required: true }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => ({
      grade: await proposeSubsidyGrade(ctx.deps, ctx.actor, { caseId: localId(String(input.caseId), 'Case', 'caseId'), grade: input.grade, reason: input.reason }),
    }),
  }),
  regradeSubsidyCase: t.field({
    type: builder.objectRef<{ grade: CaseSubsidyGradeRow }>('RegradeSubsidyCaseSuccess').implement({ fields: (f) => ({ grade: f.field({ type: CaseGradeRef, resolve: (p) => p.grade }) }) }),
    description: 'The township 司法所 changes a case’s grade, with a reason.',
    errors: { union: { name: 'RegradeSubsidyCaseResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('RegradeSubsidyCaseInput', {
          fields: (f) => ({ caseId: f.id({ required: true }), grade: f.field({ type: GradeEnum, required: true }), reason: f.string({ required: true }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => ({
      grade: await regradeSubsidyCase(ctx.deps, ctx.actor, { caseId: localId(String(input.caseId), 'Case', 'caseId'), grade: input.grade, reason: input.reason }),
    }),
  }),
  recordSubsidySpotCheck: t.field({
    type: builder.objectRef<{ spotCheck: SpotCheckRow }>('RecordSubsidySpotCheckSuccess').implement({ fields: (f) => ({ spotCheck: f.field({ type: SpotCheckRef, resolve: (p) => p.spotCheck }) }) }),
    description: '抽查: the 司法所 or 司法局 records calling or visiting a party; UNSOUND forfeits the subsidy.',
    errors: { union: { name: 'RecordSubsidySpotCheckResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('RecordSubsidySpotCheckInput', {
          fields: (f) => ({
            caseId: f.id({ required: true }),
            method: f.field({ type: SpotMethodEnum, required: true }),
            partyReached: f.string({ required: true }),
            outcome: f.field({ type: SpotOutcomeEnum, required: true }),
            note: f.string({ required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => ({
      spotCheck: await recordSubsidySpotCheck(ctx.deps, ctx.actor, { ...input, caseId: localId(String(input.caseId), 'Case', 'caseId') }),
    }),
  }),
  draftSubsidyStatement: t.field({
    type: statementSuccess('DraftSubsidyStatement'),
    description: 'The township 司法所 drafts (or drafts again) its statement for a month.',
    errors: { union: { name: 'DraftSubsidyStatementResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('DraftSubsidyStatementInput', { fields: (f) => ({ regionCode: f.string({ required: true, description: 'The township (9 digits).' }), month: f.string({ required: true, description: 'YYYY-MM' }) }) }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => ({ statement: await viewOf(ctx, await draftSubsidyStatement(ctx.deps, ctx.actor, input)) }),
  }),
  correctSubsidyStatement: t.field({
    type: statementSuccess('CorrectSubsidyStatement'),
    description: 'The county 司法局 corrects an approved statement with a new draft that supersedes it.',
    errors: { union: { name: 'CorrectSubsidyStatementResult' } },
    authScopes: { staff: true },
    args: {
      input: t.arg({
        type: builder.inputType('CorrectSubsidyStatementInput', { fields: (f) => ({ statementId: f.id({ required: true }), reason: f.string({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_p, { input }, ctx) => ({
      statement: await viewOf(ctx, await correctSubsidyStatement(ctx.deps, ctx.actor, { statementId: localId(String(input.statementId), 'SubsidyStatement', 'statementId'), reason: input.reason })),
    }),
  }),
}));

builder.queryFields((t) => ({
  subsidyStatement: t.field({
    type: ReportRef,
    description: 'The live 以案定补 statements of a township or county for a month, per person.',
    errors: { union: { name: 'SubsidyStatementQueryResult' } },
    authScopes: { loggedIn: true },
    args: {
      input: t.arg({
        type: builder.inputType('SubsidyStatementInput', { fields: (f) => ({ regionCode: f.string({ required: true }), month: f.string({ required: true, description: 'YYYY-MM' }) }) }),
        required: true,
      }),
    },
    resolve: (_p, { input }, ctx) => subsidyStatementReport(ctx.deps, ctx.actor, input),
  }),
  subsidyEligibility: t.field({
    type: EligibilityRef,
    description: 'Whether a case earns its subsidy now, and what its file misses.',
    errors: { union: { name: 'SubsidyEligibilityQueryResult' } },
    authScopes: { loggedIn: true },
    args: { caseId: t.arg.id({ required: true }) },
    resolve: (_p, { caseId }, ctx) => subsidyEligibility(ctx.deps, ctx.actor, localId(String(caseId), 'Case', 'caseId')),
  }),
  subsidyRules: t.field({
    type: [RulesRef],
    description: 'The versions of a county’s rules, oldest first.',
    errors: { union: { name: 'SubsidyRulesQueryResult' } },
    authScopes: { loggedIn: true },
    args: { regionCode: t.arg.string({ required: true }) },
    resolve: async (_p, { regionCode }, ctx) => {
      const authority = await loadSubsidyAuthority(ctx.deps.db, ctx.viewer);
      if (!maySubsidy(authority, 'READ_RULES', regionCode)) throw new ForbiddenError('Rules are read by the 司法所 and 司法局 of the county.');
      return ctx.deps.db.select().from(subsidyRuleSets).where(eq(subsidyRuleSets.countyCode, regionCode)).orderBy(asc(subsidyRuleSets.version));
    },
  }),
}));
