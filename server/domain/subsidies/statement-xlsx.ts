import { eq } from 'drizzle-orm';
import { regions } from '../../../schema';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { loadStatementFor } from './statement-machine';
import { statementViews } from './subsidy-statement';
import { subsidyStatements } from '../../../schema';
import { xlsxBuffer } from '../../xlsx';
import { fenToYuan, GRADE_LABELS, MISSING_LABELS, STATEMENT_STATUS_LABELS } from './types';

const ACTION_LABELS: Record<string, string> = { DRAFT: '起草', REDRAFT: '重新起草', REVIEW: '司法所审核', APPROVE: '司法局审批', PAY: '发放', SUPERSEDE: '更正作废' };
const ROLE_LABELS: Record<string, string> = { MEDIATOR: '调解员', GRID_WORKER: '网格员', ORG_ADMIN: '管理员' };

/** Yuan as a number with two places for a spreadsheet cell (exact: fen / 100 of an integer). */
const yuanCell = (fen: number) => Number(fenToYuan(fen));

/**
 * A statement as XLSX (以案定补 发放清单): the lines per person with case number, grade and amount,
 * the per-person totals, the review steps, and the cases left out with what they miss.
 */
export async function subsidyStatementXlsx(deps: Deps, actor: Actor, statementId: string): Promise<{ bytes: Buffer; filename: string }> {
  const viewer = requireUser(actor);
  const { statement } = await loadStatementFor(deps.db, viewer, statementId);
  const [view] = await statementViews(deps.db, eq(subsidyStatements.id, statement.id));
  const [region] = await deps.db.select({ name: regions.name }).from(regions).where(eq(regions.code, statement.regionCode));
  const title = `${region?.name ?? statement.regionCode} ${statement.month} 以案定补发放清单（${STATEMENT_STATUS_LABELS[statement.status]}）`;

  const lines: (string | number)[][] = [[title], ['姓名', '身份', '案号', '类别', '难易等级', '金额（元）']];
  for (const p of view!.persons) {
    for (const l of p.lines) {
      lines.push([p.name, ROLE_LABELS[p.role] ?? p.role, l.caseNumber, l.kind === 'PAYMENT' ? '补贴' : '追回', GRADE_LABELS[l.grade], yuanCell(l.amountFen)]);
    }
  }
  lines.push(['合计', '', '', '', '', yuanCell(statement.totalFen)]);

  const persons: (string | number)[][] = [['姓名', '身份', '补贴案件数', '追回案件数', '补贴金额（元）', '追回金额（元）', '应发金额（元）']];
  for (const p of view!.persons) {
    persons.push([
      p.name,
      ROLE_LABELS[p.role] ?? p.role,
      p.lines.filter((l) => l.kind === 'PAYMENT').length,
      p.lines.filter((l) => l.kind === 'CLAWBACK').length,
      yuanCell(p.paymentsFen),
      yuanCell(p.clawbacksFen),
      yuanCell(p.totalFen),
    ]);
  }

  const steps: string[][] = [['步骤', '经办人', '单位', '时间', '说明']];
  for (const s of view!.steps) steps.push([ACTION_LABELS[s.action] ?? s.action, s.actorName, s.actorOrganization ?? '', s.at.toISOString(), s.note ?? '']);

  const left: string[][] = [['案号', '缺少或不符']];
  for (const x of statement.exclusions) left.push([x.caseNumber, x.missing.map((m) => MISSING_LABELS[m]).join('；')]);

  const bytes = await xlsxBuffer([
    { name: '补贴明细', rows: lines, boldRows: [2], moneyColumns: [6] },
    { name: '人员汇总', rows: persons, boldRows: [1], moneyColumns: [5, 6, 7] },
    { name: '审核记录', rows: steps, boldRows: [1] },
    { name: '未予补贴案件', rows: left, boldRows: [1] },
  ]);
  return { bytes, filename: `subsidy-${statement.regionCode}-${statement.month}-v${statement.version}.xlsx` };
}
