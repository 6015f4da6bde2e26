import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { graphql, request, unwrap, type ResultOf, type VariablesOf } from '../graphql';
import { CATEGORY, LEVEL, RISK, STATUS, countdown } from '../labels';
import { Link } from '../router';

const QUEUE = graphql(`
  query Queue($status: [CaseStatus!], $riskLevel: RiskLevel, $overdue: Boolean, $level: CaseLevel, $category: DisputeCategory) {
    cases(first: 100, status: $status, riskLevel: $riskLevel, overdue: $overdue, level: $level, category: $category) {
      edges { node { id number title status category level riskLevel overdue dueAt createdAt } }
    }
  }
`);
const ACCEPT = graphql(`
  mutation AcceptAssignment($input: AcceptAssignmentInput!) {
    acceptAssignment(input: $input) {
      __typename
      ... on AcceptAssignmentSuccess { case { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const DECLINE = graphql(`
  mutation DeclineAssignment($input: DeclineAssignmentInput!) {
    declineAssignment(input: $input) {
      __typename
      ... on DeclineAssignmentSuccess { case { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Row = ResultOf<typeof QUEUE>['cases']['edges'][number]['node'];
type Filters = VariablesOf<typeof QUEUE>;

const options = (rec: Record<string, string>) => Object.entries(rec).map(([value, label]) => ({ value, label }));

/** The mediator's queue: high risk first (the server's order), with filters. */
export default function QueuePage() {
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [declining, setDeclining] = useState<Row | null>(null);
  const [reason, setReason] = useState('');
  const load = useCallback(async () => {
    try {
      setRows((await request(QUEUE, filters)).cases.edges.map((e) => e.node));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [filters]);
  useEffect(() => void load(), [load]);
  const now = Date.now();
  const set = (k: keyof Filters) => (v: unknown) => setFilters((f) => ({ ...f, [k]: v === undefined || v === '' ? null : k === 'status' ? [v] : k === 'overdue' ? v === 'yes' : v }));
  const act = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      message.success(ok);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.2rem' }}>待办案件</h1>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="状态" aria-label="按状态筛选" style={{ width: 170 }} options={Object.entries(STATUS).map(([value, s]) => ({ value, label: s.name }))} onChange={set('status')} />
        <Select allowClear placeholder="风险" aria-label="按风险筛选" style={{ width: 110 }} options={Object.entries(RISK).map(([value, s]) => ({ value, label: s.name }))} onChange={set('riskLevel')} />
        <Select allowClear placeholder="是否超期" aria-label="按是否超期筛选" style={{ width: 120 }} options={[{ value: 'yes', label: '已超期' }, { value: 'no', label: '未超期' }]} onChange={set('overdue')} />
        <Select allowClear placeholder="层级" aria-label="按层级筛选" style={{ width: 130 }} options={options(LEVEL)} onChange={set('level')} />
        <Select allowClear placeholder="类型" aria-label="按纠纷类型筛选" style={{ width: 130 }} options={Object.entries(CATEGORY).map(([value, c]) => ({ value, label: c.name }))} onChange={set('category')} />
      </Space>
      {error && <Alert type="error" title={error} role="alert" />}
      <Table<Row>
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '风险', dataIndex: 'riskLevel', render: (r: string) => <Tag color={RISK[r]?.color}>{RISK[r]?.name}</Tag> },
          { title: '案件', render: (_, c) => <Link to={`/workbench/cases/${c.id}`}>{c.title}</Link> },
          { title: '编号', dataIndex: 'number' },
          { title: '类型', render: (_, c) => CATEGORY[c.category]?.name },
          { title: '层级', render: (_, c) => (c.level ? LEVEL[c.level] : '—') },
          { title: '状态', render: (_, c) => <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.name}</Tag> },
          { title: '期限', render: (_, c) => (c.dueAt ? <Tag color={c.overdue ? 'red' : 'default'}>{countdown(c.dueAt, now)}</Tag> : '—') },
          {
            title: '操作',
            render: (_, c) =>
              c.status === 'ASSIGNING' ? (
                <Space>
                  <Button size="small" type="primary" aria-label={`接受案件 ${c.number}`} onClick={() => act(async () => unwrap((await request(ACCEPT, { input: { caseId: c.id } })).acceptAssignment), '已接案')}>接案</Button>
                  <Button size="small" aria-label={`拒绝案件 ${c.number}`} onClick={() => { setDeclining(c); setReason(''); }}>不接</Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!declining}
        title="不接此案"
        okText="确定"
        cancelText="取消"
        onCancel={() => setDeclining(null)}
        onOk={async () => {
          const c = declining!;
          await act(async () => unwrap((await request(DECLINE, { input: { caseId: c.id, reason } })).declineAssignment), '已退回，将改派他人');
          setDeclining(null);
        }}
      >
        <Input.TextArea aria-label="不接案的理由" placeholder="请说明理由，例如需要回避、已满负荷" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      </Modal>
    </Card>
  );
}
