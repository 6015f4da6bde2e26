import { and, asc, eq, like, type SQL } from 'drizzle-orm';
import { screeningReports } from '../../schema';
import { visibleScreeningReports, type ScreeningReportRow } from '../domain/access/lead';
import { regionScope } from './batch';
import { ValidationError } from '../domain/errors';
import { submitScreeningReport } from '../domain/screening/submit-screening-report';
import { SCREENING_REPORT_STATUSES } from '../domain/screening/types';
import { builder } from './builder';
import { localId } from './ids';

export const ScreeningReportStatusEnum = builder.enumType('ScreeningReportStatus', {
  description: 'SUBMITTED, or OVERDUE: the week passed its due date without a report (shown to the township).',
  values: SCREENING_REPORT_STATUSES,
});

export const ScreeningReportRef = builder.objectRef<ScreeningReportRow>('ScreeningReport').implement({
  description: '周排查: a village’s weekly screening report, including 零报告 (nothing found).',
  fields: (t) => ({
    id: t.exposeID('id'),
    regionCode: t.exposeString('regionCode'),
    week: t.exposeString('week'),
    weekStart: t.field({ type: 'Date', resolve: (r) => r.weekStart }),
    dueAt: t.field({ type: 'DateTime', resolve: (r) => r.dueAt }),
    status: t.field({ type: ScreeningReportStatusEnum, resolve: (r) => r.status }),
    nothingFound: t.exposeBoolean('nothingFound'),
    leadCount: t.exposeInt('leadCount'),
    late: t.exposeBoolean('late'),
    note: t.exposeString('note', { nullable: true }),
    submittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.submittedAt }),
    overdueAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.overdueAt }),
  }),
});

builder.queryFields((t) => ({
  screeningReports: t.field({
    type: [ScreeningReportRef],
    authScopes: { staff: true },
    description: 'Weekly reports of the villages under a region (a township sees its villages), by village.',
    args: {
      regionCode: t.arg.string({ required: true }),
      week: t.arg.string({ description: 'ISO week, e.g. 2026-W48.' }),
      status: t.arg({ type: ScreeningReportStatusEnum }),
    },
    resolve: async (_p, args, ctx) => {
      if (!/^\d{6,12}$/.test(args.regionCode)) throw ValidationError.field('regionCode', 'must be a division code');
      if (args.week && !/^\d{4}-W\d{2}$/.test(args.week)) throw ValidationError.field('week', 'must be an ISO week such as 2026-W48');
      const scope = await regionScope(ctx);
      const where: SQL[] = [visibleScreeningReports(scope), like(screeningReports.regionCode, `${args.regionCode}%`)];
      if (args.week) where.push(eq(screeningReports.week, args.week));
      if (args.status) where.push(eq(screeningReports.status, args.status));
      return ctx.deps.db.select().from(screeningReports).where(and(...where)).orderBy(asc(screeningReports.weekStart), asc(screeningReports.regionCode)).limit(1000);
    },
  }),
}));

const SubmitInput = builder.inputType('SubmitScreeningReportInput', {
  fields: (t) => ({
    regionCode: t.string({ required: true, description: 'The village or community (12 digits).' }),
    week: t.string({ required: true, description: 'ISO week, e.g. 2026-W48.' }),
    leadIds: t.idList({ description: 'The leads found that week.' }),
    nothingFound: t.boolean({ description: '零报告: screened, nothing found.' }),
    note: t.string(),
  }),
});

builder.mutationFields((t) => ({
  submitScreeningReport: t.field({
    type: builder.objectRef<{ report: ScreeningReportRow }>('SubmitScreeningReportSuccess').implement({
      fields: (f) => ({ report: f.field({ type: ScreeningReportRef, resolve: (p) => p.report }) }),
    }),
    errors: { union: { name: 'SubmitScreeningReportResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: SubmitInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      report: await submitScreeningReport(ctx.deps, ctx.actor, {
        regionCode: input.regionCode,
        week: input.week,
        leadIds: input.leadIds?.map((id, i) => localId(String(id), 'DisputeLead', `leadIds.${i}`)),
        nothingFound: input.nothingFound,
        note: input.note,
      }),
    }),
  }),
}));
