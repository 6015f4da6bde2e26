import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Input, Modal, Space, Table, Tag, Timeline } from 'antd';
import { graphql, request, unwrap, type ResultOf } from '../../graphql';
import { when } from '../../labels';
import { useSession } from '../../session';
import { download, monthOf, MonthSelect, PageTitle, RegionPicker, useRegionName, useStaffRegion } from './common';
import { GRADE, MISSING, STATEMENT_ACTION, STATEMENT_STATUS } from './staff-labels';

const STATEMENT = graphql(`
  query SubsidyStatement($input: SubsidyStatementInput!) {
    subsidyStatement(input: $input) {
      __typename
      ... on SubsidyStatementReport {
        month regionCode total
        statements {
          id regionCode month status version total xlsxUrl correctionReason supersedesId
          persons { userId name role total lines { caseId caseNumber grade kind amount } }
          exclusions { caseId caseNumber missing }
          steps { action actorName actorOrganization at fromStatus toStatus note }
        }
      }
      ... on Error { code message }
    }
  }
`);
const DRAFT = graphql(`
  mutation DraftSubsidyStatement($input: DraftSubsidyStatementInput!) {
    draftSubsidyStatement(input: $input) { __typename ... on DraftSubsidyStatementSuccess { statement { id status } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`);
const REVIEW = graphql(`
  mutation ReviewSubsidyStatement($input: ReviewSubsidyStatementInput!) {
    reviewSubsidyStatement(input: $input) { __typename ... on ReviewSubsidyStatementSuccess { statement { id status } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`);
const APPROVE = graphql(`
  mutation ApproveSubsidyStatement($input: ApproveSubsidyStatementInput!) {
    approveSubsidyStatement(input: $input) { __typename ... on ApproveSubsidyStatementSuccess { statement { id status } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`);
const PAY = graphql(`
  mutation PaySubsidyStatement($input: PaySubsidyStatementInput!) {
    paySubsidyStatement(input: $input) { __typename ... on PaySubsidyStatementSuccess { statement { id status } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`);
const CORRECT = graphql(`
  mutation CorrectSubsidyStatement($input: CorrectSubsidyStatementInput!) {
    correctSubsidyStatement(input: $input) { __typename ... on CorrectSubsidyStatementSuccess { statement { id status } } ... on Error { code message } ... on ValidationError { fields { field message } } }
  }
`);

type Report = Extract<ResultOf<typeof STATEMENT>['subsidyStatement'], { __typename: 'SubsidyStatementReport' }>;
type Statement = Report['statements'][number];
type Act = 'REVIEW' | 'APPROVE' | 'PAY' | 'CORRECT';
const ACT_TEXT: Record<Act, { button: string; done: string; note: string }> = {
  REVIEW: { button: '审核通过', done: '已审核，报司法局审批', note: '审核意见（可选）' },
  APPROVE: { button: '审批通过', done: '已审批', note: '审批意见（可选）' },
  PAY: { button: '登记发放', done: '已登记发放', note: '发放说明（可选），例如转账批次号' },
  CORRECT: { button: '更正', done: '已作废原表并生成更正草稿', note: '更正理由（必填）' },
};

/** 以案定补: a township's or county's statements for a month, and each office's step on them. */
export default function SubsidyPage() {
  const { message } = App.useApp();
  const { me } = useSession();
  const { region } = useStaffRegion();
  const regionName = useRegionName();
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState<{ act: Act; statement: Statement } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const office = me?.organization?.kind === 'ADMINISTRATIVE_AGENCY' ? (me.organization.name.endsWith('司法所') ? 'township' : me.organization.name.endsWith('司法局') ? 'county' : null) : null;

  const load = useCallback(async () => {
    if (!region) return;
    setError(null);
    try {
      const r = (await request(STATEMENT, { input: { regionCode: region.code, month } })).subsidyStatement;
      if (r.__typename === 'SubsidyStatementReport') setReport(r);
      else {
        setReport(null);
        setError((r as { message?: string }).message ?? '无法查看');
      }
    } catch (e) {
      setError((e as Error).message);
    }
  }, [region, month]);
  useEffect(() => void load(), [load]);

  const run = async (f: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await f();
      message.success(ok);
      await load();
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const draft = () => run(async () => unwrap((await request(DRAFT, { input: { regionCode: region!.code, month } })).draftSubsidyStatement), `已起草 ${month} 补贴表`);
  const act = async () => {
    const { act: a, statement } = acting!;
    const input = { statementId: statement.id, note: note || null };
    const ok = await run(async () => {
      if (a === 'REVIEW') unwrap((await request(REVIEW, { input })).reviewSubsidyStatement);
      if (a === 'APPROVE') unwrap((await request(APPROVE, { input })).approveSubsidyStatement);
      if (a === 'PAY') unwrap((await request(PAY, { input })).paySubsidyStatement);
      if (a === 'CORRECT') unwrap((await request(CORRECT, { input: { statementId: statement.id, reason: note } })).correctSubsidyStatement);
    }, ACT_TEXT[a].done);
    if (ok) setActing(null);
  };
  const actsFor = (s: Statement): Act[] => {
    if (office === 'township' && s.status === 'DRAFT') return ['REVIEW'];
    if (office === 'county' && s.status === 'REVIEWED') return ['APPROVE'];
    if (office === 'county' && s.status === 'APPROVED') return ['PAY', 'CORRECT'];
    return [];
  };
  const canDraft = office === 'township' && region?.code === me?.organization?.regionCode;
  const live = report?.statements.find((s) => s.regionCode === region?.code);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={<PageTitle>以案定补 · 补贴表</PageTitle>}
        extra={
          <Space wrap>
            <RegionPicker only={(o) => o.level === 'COUNTY' || o.level === 'TOWNSHIP'} />
            <MonthSelect label="补贴月份" value={month} onChange={setMonth} />
            {canDraft && (
              <Button type="primary" loading={busy} disabled={!!live && live.status !== 'DRAFT'} onClick={draft}>
                {live ? '重新起草' : '起草本月补贴表'}
              </Button>
            )}
          </Space>
        }
      >
        <p style={{ marginTop: 0 }}>
          流程：司法所起草、审核 → 司法局审批 → 发放。已审批的补贴表不再修改，如有错误由司法局更正（原表作废，生成新草稿）。
        </p>
        {error && <Alert type="error" title={error} role="alert" />}
        {report && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="月份">{report.month}</Descriptions.Item>
            <Descriptions.Item label="补贴表">{report.statements.length} 份</Descriptions.Item>
            <Descriptions.Item label="合计（元）"><strong>{report.total}</strong></Descriptions.Item>
          </Descriptions>
        )}
        {report && report.statements.length === 0 && <Empty description={canDraft ? '本月尚未起草补贴表' : '本月没有补贴表'} />}
      </Card>
      {report?.statements.map((s) => (
        <Card
          key={s.id}
          title={
            <h2 style={{ margin: 0, fontSize: '1.1rem' }}>
              {regionName(s.regionCode)} · {s.month} 补贴表{s.supersedesId ? '（更正稿）' : ''}<Tag color={STATEMENT_STATUS[s.status]?.color} style={{ marginLeft: 8 }}>{STATEMENT_STATUS[s.status]?.name}</Tag>
            </h2>
          }
          extra={
            <Space wrap>
              {actsFor(s).map((a) => (
                <Button key={a} type={a === 'CORRECT' ? 'default' : 'primary'} danger={a === 'CORRECT'} onClick={() => { setNote(''); setActing({ act: a, statement: s }); }}>
                  {ACT_TEXT[a].button}
                </Button>
              ))}
              <Button onClick={() => download(s.xlsxUrl, `以案定补-${s.regionCode}-${s.month}-v${s.version}.xlsx`).catch((e: Error) => message.error(e.message))}>下载 Excel</Button>
            </Space>
          }
        >
          {s.correctionReason && <Alert type="warning" title={`更正理由：${s.correctionReason}`} style={{ marginBottom: 12 }} />}
          <Table
            rowKey="userId"
            size="small"
            pagination={false}
            dataSource={s.persons}
            locale={{ emptyText: '本月没有符合条件的案件' }}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>合计</Table.Summary.Cell>
                <Table.Summary.Cell index={1}><strong>{s.total}</strong></Table.Summary.Cell>
              </Table.Summary.Row>
            )}
            columns={[
              { title: '调解员', dataIndex: 'name' },
              { title: '身份', dataIndex: 'role', render: (r: string) => (r === 'MEDIATOR' ? '调解员' : r) },
              {
                title: '案件',
                render: (_, p) => (
                  <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
                    {p.lines.map((l) => (
                      <li key={l.caseId + l.kind}>
                        {l.caseNumber} · {GRADE[l.grade]} · {l.kind === 'CLAWBACK' ? '追回' : '补贴'} {l.amount} 元
                      </li>
                    ))}
                  </ul>
                ),
              },
              { title: '金额（元）', dataIndex: 'total' },
            ]}
          />
          {s.exclusions.length > 0 && (
            <>
              <h3 style={{ fontSize: '1rem', marginTop: 16 }}>未予补贴的案件</h3>
              <Table
                rowKey="caseId"
                size="small"
                pagination={false}
                dataSource={s.exclusions}
                columns={[
                  { title: '案号', dataIndex: 'caseNumber' },
                  { title: '原因', render: (_, x) => x.missing.map((m) => <Tag key={m}>{MISSING[m] ?? m}</Tag>) },
                ]}
              />
            </>
          )}
          <h3 style={{ fontSize: '1rem', marginTop: 16 }}>审核记录</h3>
          <Timeline
            items={s.steps.map((st) => ({
              content: (
                <span>
                  {when(st.at)} · {st.actorOrganization ?? ''} {st.actorName} · {STATEMENT_ACTION[st.action] ?? st.action}
                  {st.note ? `：${st.note}` : ''}
                </span>
              ),
            }))}
          />
        </Card>
      ))}
      <Modal
        open={!!acting}
        title={acting ? `${ACT_TEXT[acting.act].button}：${acting.statement.month} 补贴表` : ''}
        okText={acting ? ACT_TEXT[acting.act].button : '确定'}
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ disabled: acting?.act === 'CORRECT' && !note.trim() }}
        onCancel={() => setActing(null)}
        onOk={act}
      >
        <p>合计 {acting?.statement.total} 元，{acting?.statement.persons.length} 人。</p>
        <Input.TextArea aria-label={acting ? ACT_TEXT[acting.act].note : '说明'} placeholder={acting ? ACT_TEXT[acting.act].note : ''} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </Space>
  );
}
