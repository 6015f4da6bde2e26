import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Table, Tag } from 'antd';
import { graphql, request, unwrap, type ResultOf } from '../../graphql';
import { CATEGORY, LEVEL, when } from '../../labels';
import { Link } from '../../router';
import { useSession } from '../../session';
import { PageTitle } from './common';
import { IssueOrderModal, type OrderSubject } from './issue-order';
import { ORDER_STATUS, PROPOSAL_REASON, PROPOSAL_STATUS } from './staff-labels';

const SUPERVISION = graphql(`
  query Supervision($received: Boolean) {
    supervisionOrders(received: $received) {
      id status reason requiredAction dueAt createdAt answeredAt measures result subjectType receivingLevel
      issuingOrganization { name }
      receivingOrganization { id name }
      case { id number title }
      lead { id description category }
      escalatedTo { id }
    }
  }
`);
const QUEUE = graphql(`
  query SupervisionQueue {
    supervisionQueue(status: [PROPOSED]) {
      id reason detail proposedAt status subjectType
      case { id number title }
      lead { id description category }
    }
  }
`);
const RESPOND = graphql(`
  mutation RespondToSupervision($input: RespondToSupervisionInput!) {
    respondToSupervision(input: $input) {
      __typename
      ... on RespondToSupervisionSuccess { order { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Order = ResultOf<typeof SUPERVISION>['supervisionOrders'][number];
type Proposal = ResultOf<typeof QUEUE>['supervisionQueue'][number];

const subjectOf = (o: { case: { id: string; number: string; title: string } | null; lead: { description: string; category: string } | null }) =>
  o.case ? (
    <Link to={`/workbench/cases/${o.case.id}`}>{o.case.title}（{o.case.number}）</Link>
  ) : o.lead ? (
    <span>{CATEGORY[o.lead.category]?.name}：{o.lead.description}</span>
  ) : '—';

/** 督办: the queue of matters proposed for supervision, orders issued and received, and answers. */
export default function SupervisionPage() {
  const { message } = App.useApp();
  const { me } = useSession();
  const [filter, setFilter] = useState<'all' | 'received'>('all');
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [queue, setQueue] = useState<Proposal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issuing, setIssuing] = useState<OrderSubject | null>(null);
  const [answering, setAnswering] = useState<Order | null>(null);
  const [form] = Form.useForm<{ measures: string; result?: string }>();
  const isAdmin = me?.role === 'ORG_ADMIN' || me?.role === 'PLATFORM_ADMIN';

  const load = useCallback(async () => {
    try {
      const [o, q] = await Promise.all([request(SUPERVISION, { received: filter === 'received' ? true : null }), isAdmin ? request(QUEUE) : Promise.resolve(null)]);
      setOrders(o.supervisionOrders);
      setQueue(q?.supervisionQueue ?? []);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [filter, isAdmin]);
  useEffect(() => void load(), [load]);

  const answer = async () => {
    const v = await form.validateFields();
    try {
      unwrap((await request(RESPOND, { input: { orderId: answering!.id, measures: v.measures, result: v.result || null } })).respondToSupervision);
      message.success('已答复督办');
      setAnswering(null);
      form.resetFields();
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {isAdmin && (
        <Card title={<PageTitle>督办 · 待决定事项</PageTitle>}>
          <p style={{ marginTop: 0 }}>系统按期限和风险提出的督办建议（案件超期、高风险事项未化解），由本单位决定是否督办。</p>
          <Table<Proposal>
            rowKey="id"
            size="small"
            pagination={false}
            loading={queue === null && !error}
            dataSource={queue ?? []}
            locale={{ emptyText: '没有待决定的督办建议' }}
            columns={[
              { title: '提出时间', render: (_, p) => when(p.proposedAt), width: 190 },
              { title: '原因', render: (_, p) => <Tag color="orange">{PROPOSAL_REASON[p.reason] ?? p.reason}</Tag>, width: 150 },
              { title: '事项', render: (_, p) => subjectOf(p) },
              { title: '说明', dataIndex: 'detail' },
              { title: '状态', render: (_, p) => PROPOSAL_STATUS[p.status] },
              {
                title: '操作',
                render: (_, p) => (
                  <Button
                    size="small"
                    type="primary"
                    aria-label={`督办：${p.case?.title ?? p.lead?.description ?? ''}`}
                    onClick={() => setIssuing({ proposalId: p.id, caseId: p.case?.id, leadId: p.case ? undefined : p.lead?.id, title: p.case?.title ?? p.lead?.description ?? '', reason: PROPOSAL_REASON[p.reason] })}
                  >
                    督办
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Card
        title={isAdmin ? <h2 style={{ margin: 0, fontSize: '1.1rem' }}>督办单</h2> : <PageTitle>督办单</PageTitle>}
        extra={
          <Radio.Group
            aria-label="督办单范围"
            optionType="button"
            value={filter}
            onChange={(e) => setFilter(e.target.value as 'all' | 'received')}
            options={[{ value: 'all', label: '全部' }, { value: 'received', label: '本单位收到的' }]}
          />
        }
      >
        {error && <Alert type="error" title={error} role="alert" />}
        <Table<Order>
          rowKey="id"
          pagination={false}
          loading={orders === null && !error}
          dataSource={orders ?? []}
          scroll={{ x: 1000 }}
          locale={{ emptyText: '没有督办单' }}
          expandable={{
            expandedRowRender: (o) => (
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label="督办事由">{o.reason}</Descriptions.Item>
                <Descriptions.Item label="办理要求">{o.requiredAction}</Descriptions.Item>
                <Descriptions.Item label="采取的措施">{o.measures ?? '尚未答复'}</Descriptions.Item>
                <Descriptions.Item label="办理结果">{o.result ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="答复时间">{when(o.answeredAt)}</Descriptions.Item>
              </Descriptions>
            ),
            expandRowByClick: false,
          }}
          columns={[
            { title: '状态', render: (_, o) => <Tag color={ORDER_STATUS[o.status]?.color}>{ORDER_STATUS[o.status]?.name}</Tag>, width: 150 },
            { title: '事项', render: (_, o) => subjectOf(o) },
            { title: '督办单位', render: (_, o) => o.issuingOrganization?.name ?? '平台' },
            { title: '承办单位', render: (_, o) => `${o.receivingOrganization.name}（${LEVEL[o.receivingLevel] ?? ''}）` },
            { title: '答复期限', render: (_, o) => when(o.dueAt), width: 190 },
            {
              title: '操作',
              width: 110,
              render: (_, o) =>
                o.status === 'OPEN' && (o.receivingOrganization.id === me?.organization?.id || me?.role === 'PLATFORM_ADMIN') ? (
                  <Button size="small" type="primary" aria-label={`答复督办：${o.case?.title ?? o.lead?.description ?? ''}`} onClick={() => setAnswering(o)}>
                    答复
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <IssueOrderModal
        subject={issuing}
        onClose={() => setIssuing(null)}
        onIssued={(receiver) => {
          setIssuing(null);
          message.success(`已向${receiver}发出督办`);
          void load();
        }}
      />
      <Modal open={!!answering} title="答复督办" okText="提交答复" cancelText="取消" onCancel={() => setAnswering(null)} onOk={answer} destroyOnHidden>
        <p>办理要求：{answering?.requiredAction}</p>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="measures" label="采取的措施" rules={[{ required: true, message: '请填写采取的措施' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="result" label="办理结果（可选）">
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
