import { eq, sql } from 'drizzle-orm';
import { regions } from '../../../schema';
import { xlsxBuffer } from '../../xlsx';
import type { MonthlyReportRow } from '../../pdf/render-monthly-report';
import { queryRows } from '../../db';
import type { Actor, Deps } from '../context';
import { CATEGORY_LABELS, type DisputeCategory } from '../enums';
import { ValidationError } from '../errors';
import { computeStatistics, nextDay, type StatisticsRow } from './compute-statistics';
import { regionFilter, scopeFilter } from './scope';
import { viewerScope } from './viewer-scope';

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pct = (v: number | null) => (v === null ? '' : Math.round(v * 1000) / 10);

/** The figure columns of the 月报, with Chinese headers. */
const COLUMNS: [string, (r: StatisticsRow) => string | number | null][] = [
  ['受理', (r) => r.filed],
  ['不同意调解', (r) => r.refused],
  ['撤回', (r) => r.withdrawn],
  ['调解终结', (r) => r.ended],
  ['调解成功', (r) => r.settled],
  ['调解不成', (r) => r.failed],
  ['调解成功率(%)', (r) => pct(r.successRate)],
  ['村级化解占比(%)', (r) => pct(r.villageShare)],
  ['升级占比(%)', (r) => pct(r.escalatedShare)],
  ['化解天数中位数', (r) => r.medianDaysToSettle],
  ['化解天数90分位', (r) => r.p90DaysToSettle],
  ['当前超期', (r) => r.overdueNow],
  ['司法确认', (r) => r.confirmed],
  ['确认驳回', (r) => r.confirmationRejected],
  ['回访', (r) => r.followUpsDone],
  ['全部履行率(%)', (r) => pct(r.fullyPerformedRate)],
  ['部分履行率(%)', (r) => pct(r.partlyPerformedRate)],
  ['未履行率(%)', (r) => pct(r.notPerformedRate)],
  ['满意度均分', (r) => r.meanSatisfaction],
  ['排查线索', (r) => r.leads],
];

/** The figures per category and the open high-risk matters of a division's month, within the viewer's scope. */
async function monthlyReportData(deps: Deps, actor: Actor, regionCode: string, month: string) {
  const m = MONTH_RE.exec(month);
  if (!m) throw ValidationError.field('month', 'must be YYYY-MM');
  const from = `${month}-01`;
  let to = from;
  while (nextDay(to).startsWith(month)) to = nextDay(to);
  const stats = await computeStatistics(deps, actor, { regionCode, from, to, groupBy: ['CATEGORY'] });
  const scope = await viewerScope(deps.db, actor);
  const highRisk = await queryRows<{ number: string; title: string; category: DisputeCategory; status: string; region_code: string; created_at: string }>(
    deps.db,
    sql`select c.number, c.title, c.category::text as category, c.status::text as status, c.region_code,
          to_char(c.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as created_at
        from cases c
        where ${regionFilter(regionCode)} and ${scopeFilter(scope)} and c.risk_level = 'HIGH'
          and c.status not in ('SETTLED', 'CONFIRMED', 'CLOSED', 'WITHDRAWN', 'REFUSED', 'LITIGATION', 'FAILED')
        order by c.created_at limit 5000`,
  );
  return { stats, highRisk };
}

const STATUS_LABELS: Record<string, string> = {
  SUBMITTED: '已提交',
  AWAITING_RESPONDENT: '待被申请人同意',
  ASSIGNING: '待分派',
  MEDIATING: '调解中',
  AGREEMENT_SIGNING: '协议签署中',
  CONFIRMATION_PENDING: '司法确认中',
  CONFIRMATION_REJECTED: '确认被驳回',
};

const reportRow = (label: string, r: StatisticsRow): MonthlyReportRow => ({
  label,
  filed: r.filed,
  settled: r.settled,
  failed: r.failed,
  successRate: r.successRate,
  villageShare: r.villageShare,
  overdueNow: r.overdueNow,
  confirmed: r.confirmed,
  followUpsDone: r.followUpsDone,
});

/** 月报 of a division as PDF in the agreements' type, with a bar chart per category. */
export async function monthlyReportPdf(deps: Deps, actor: Actor, regionCode: string, month: string): Promise<Uint8Array> {
  const { stats, highRisk } = await monthlyReportData(deps, actor, regionCode, month);
  const [region] = await deps.db.select({ name: regions.name }).from(regions).where(eq(regions.code, regionCode));
  const { renderMonthlyReportPdf } = await import('../../pdf/render-monthly-report');
  return renderMonthlyReportPdf({
    regionCode,
    regionName: region?.name ?? regionCode,
    month,
    generatedAt: deps.clock.now(),
    rows: stats.rows.map((r) => reportRow(CATEGORY_LABELS[r.key.category as DisputeCategory] ?? String(r.key.category), r)),
    total: reportRow('合计', stats.total),
    highRisk: highRisk.map((r) => ({ number: r.number, title: r.title, category: CATEGORY_LABELS[r.category], status: STATUS_LABELS[r.status] ?? r.status, createdOn: r.created_at })),
  });
}

/** 月报 of a division as an XLSX workbook: figures per category, and the open high-risk matters. */
export async function monthlyReportXlsx(deps: Deps, actor: Actor, regionCode: string, month: string): Promise<Buffer> {
  const { stats, highRisk } = await monthlyReportData(deps, actor, regionCode, month);
  const figures: (string | number | null)[][] = [[`矛盾纠纷化解月报 ${regionCode} ${month}`], ['纠纷类型', ...COLUMNS.map(([h]) => h)]];
  for (const row of stats.rows) {
    figures.push([CATEGORY_LABELS[row.key.category as DisputeCategory] ?? row.key.category, ...COLUMNS.map(([, f]) => f(row))]);
  }
  figures.push(['合计', ...COLUMNS.map(([, f]) => f(stats.total))]);
  const risks: string[][] = [['案号', '案由', '纠纷类型', '状态', '发生地', '受理日期']];
  for (const r of highRisk) risks.push([r.number, r.title, CATEGORY_LABELS[r.category], r.status, r.region_code, r.created_at]);
  return xlsxBuffer([
    { name: '统计数据', rows: figures, boldRows: [2] },
    { name: '高风险未结事项', rows: risks, boldRows: [1] },
  ]);
}
