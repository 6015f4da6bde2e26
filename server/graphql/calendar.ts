import { and, asc } from 'drizzle-orm';
import { deadlines } from '../../schema';
import type { CaseRow } from '../domain/cases/case-access';
import type { YearArrangement } from '../domain/clock/calendar';
import { calendarCoverage, type CalendarCoverage } from '../domain/clock/calendar-store';
import { DEADLINE_KINDS, type DeadlineKind, type DeadlineRow } from '../domain/clock/deadline-records';
import type { DeadlineRule } from '../domain/clock/deadline';
import { publishHolidayArrangement } from '../domain/clock/publish-holiday-arrangement';
import { ValidationError } from '../domain/errors';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { preparedPerShape } from '../db-prepared';
import { shapeOf, visibleDeadlines, type ViewerShape } from '../domain/access';

export const DayBasisEnum = builder.enumType('DayBasis', {
  description: 'OFFICIAL: days of a published State Council notice. PROVISIONAL: computed from the statutory holidays until the notice is published.',
  values: ['OFFICIAL', 'PROVISIONAL'] as const,
});
const DeadlineRuleEnum = builder.enumType('DeadlineRule', {
  description: 'WORKING_DAYS: n working days after the start day. CALENDAR_DAYS, MONTHS, YEARS: the period after the start day, its last day rolled past rest days (CPL 85).',
  values: ['WORKING_DAYS', 'CALENDAR_DAYS', 'MONTHS', 'YEARS'] as const,
});
const DeadlineKindEnum = builder.enumType('DeadlineKind', { values: DEADLINE_KINDS });
const DeadlineProtectsEnum = builder.enumType('DeadlineProtects', {
  description: 'PARTY: a window protecting a party, which a published notice only ever moves later. DUTY: a duty of a mediator, organisation or court, which follows the notice.',
  values: ['PARTY', 'DUTY'] as const,
});

const HolidayArrangementRef = builder.objectRef<YearArrangement>('HolidayArrangement').implement({
  description: 'The days off of a year: the official notice, or the provisional days computed from the statutory holidays.',
  fields: (t) => ({
    year: t.exposeInt('year'),
    basis: t.field({ type: DayBasisEnum, resolve: (a) => a.basis }),
    holidays: t.field({ type: ['Date'], description: 'Every day off of each break, weekend days inside it included.', resolve: (a) => a.holidays }),
    workdays: t.field({ type: ['Date'], description: 'Weekend days made working days (调休); none in a provisional year.', resolve: (a) => a.workdays }),
    source: t.exposeString('source'),
    publishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the notice took effect on the platform; null while provisional.', resolve: (a) => a.publishedAt }),
  }),
});

const CalendarCoverageRef = builder.objectRef<CalendarCoverage>('CalendarCoverage').implement({
  description: 'Through which year the official days run, and whether next year’s notice is still missing.',
  fields: (t) => ({
    officialThrough: t.int({ nullable: true, resolve: (c) => c.officialThrough }),
    officialYears: t.intList({ resolve: (c) => c.officialYears }),
    currentYear: t.exposeInt('currentYear'),
    nextYearOfficial: t.exposeBoolean('nextYearOfficial'),
    warning: t.exposeString('warning', { nullable: true }),
  }),
});

const DeadlineRef = builder.objectRef<DeadlineRow>('Deadline').implement({
  description: 'A computed deadline of the case with its basis: start, rule, and the calendar it rests on.',
  fields: (t) => ({
    kind: t.field({ type: DeadlineKindEnum, resolve: (d) => d.kind as DeadlineKind }),
    rule: t.field({ type: DeadlineRuleEnum, resolve: (d) => d.rule as DeadlineRule }),
    amount: t.exposeInt('amount'),
    startAt: t.field({ type: 'DateTime', resolve: (d) => d.startAt }),
    dueAt: t.field({ type: 'DateTime', resolve: (d) => d.dueAt }),
    basis: t.field({ type: DayBasisEnum, resolve: (d) => d.basis as 'OFFICIAL' | 'PROVISIONAL' }),
    protects: t.field({ type: DeadlineProtectsEnum, resolve: (d) => d.protects as 'PARTY' | 'DUTY' }),
    source: t.exposeString('source', { description: 'The statute or practice that fixes it.' }),
    open: t.exposeBoolean('open', { description: 'False once superseded or no longer running.' }),
    overdue: t.boolean({ resolve: (d, _a, ctx) => d.open && d.dueAt < ctx.deps.clock.now() }),
  }),
});

const deadlinesOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db.select().from(deadlines).where(and(ids(deadlines.caseId), visibleDeadlines(s.viewer))).orderBy(asc(deadlines.createdAt), asc(deadlines.id)).prepare('deadlines_by_case'),
);

builder.objectFields(CaseRef, (t) => ({
  deadlines: t.loadableGroup({
    type: DeadlineRef,
    description: 'Every deadline computed for the case, oldest first, with its basis (a court client: those computed within its window).',
    // One query for the deadlines of every case on a page.
    load: (caseIds: string[], ctx: GraphQLContext) => deadlinesOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
    group: (d) => d.caseId,
    resolve: (c: CaseRow) => c.id,
  }),
}));

builder.queryFields((t) => ({
  holidayArrangements: t.field({
    type: [HolidayArrangementRef],
    description: 'The arrangement in force for a year (official or provisional); without a year: every official year, then this year and the next.',
    args: { year: t.arg.int() },
    resolve: (_p, args, ctx) => {
      if (args.year !== null && args.year !== undefined) {
        if (args.year < 2000 || args.year > 2200) throw ValidationError.field('year', 'must be between 2000 and 2200');
        return [ctx.deps.calendar.arrangement(args.year)];
      }
      const coverage = calendarCoverage(ctx.deps.calendar, ctx.deps.clock);
      const years = new Set([...ctx.deps.calendar.years(), coverage.currentYear, coverage.currentYear + 1]);
      return [...years].sort((a, b) => a - b).map((y) => ctx.deps.calendar.arrangement(y));
    },
  }),
  calendarCoverage: t.field({
    type: CalendarCoverageRef,
    description: 'Through which year official days run (also in /readyz).',
    authScopes: { staff: true },
    resolve: (_p, _a, ctx) => calendarCoverage(ctx.deps.calendar, ctx.deps.clock),
  }),
}));

const PublishInput = builder.inputType('PublishHolidayArrangementInput', {
  fields: (t) => ({
    year: t.int({ required: true }),
    holidays: t.field({ type: ['Date'], required: true, description: 'Every day off of each break, weekend days inside it included.' }),
    workdays: t.field({ type: ['Date'], required: true, description: 'Weekend days made working days (调休).' }),
    source: t.string({ required: true, description: 'The notice, e.g. 国办发明电〔2026〕N号.' }),
  }),
});

const MovedDeadlineRef = builder.objectRef<{ caseId: string; kind: DeadlineKind; from: Date; to: Date; protects: 'PARTY' | 'DUTY' }>('MovedDeadline').implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, resolve: (m) => m.caseId }),
    kind: t.field({ type: DeadlineKindEnum, resolve: (m) => m.kind }),
    from: t.field({ type: 'DateTime', resolve: (m) => m.from }),
    to: t.field({ type: 'DateTime', resolve: (m) => m.to }),
    protects: t.field({ type: DeadlineProtectsEnum, resolve: (m) => m.protects }),
  }),
});

builder.mutationFields((t) => ({
  publishHolidayArrangement: t.field({
    type: builder.objectRef<Awaited<ReturnType<typeof publishHolidayArrangement>>>('PublishHolidayArrangementSuccess').implement({
      fields: (f) => ({
        arrangement: f.field({ type: HolidayArrangementRef, resolve: (p) => p.arrangement }),
        movedDeadlines: f.field({ type: [MovedDeadlineRef], description: 'Open deadlines that moved because of the notice.', resolve: (p) => p.moved }),
      }),
    }),
    errors: { union: { name: 'PublishHolidayArrangementResult' } },
    authScopes: { platformAdmin: true },
    args: { input: t.arg({ type: PublishInput, required: true }) },
    resolve: (_p, { input }, ctx) => publishHolidayArrangement(ctx.deps, ctx.actor, input),
  }),
}));
