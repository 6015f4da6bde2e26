import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Row, Space, Statistic, Table, Tag } from 'antd';
import { graphql, request, type ResultOf } from '../../graphql';
import { CATEGORY, RISK, STATUS } from '../../labels';
import { Link } from '../../router';
import { download, monthOf, monthsBack, MonthSelect, PageTitle, percent, RegionPicker, today, useStaffRegion } from './common';
import { BarList, MonthBars } from './charts';
import { IssueOrderModal, type OrderSubject } from './issue-order';
import { LEAD_STATUS } from './staff-labels';

const STATS = graphql(`
  query StaffStatistics($region: String!, $from: Date!, $to: Date!, $month: String!) {
    byMonth: statistics(input: { regionCode: $region, from: $from, to: $to, groupBy: [MONTH] }) {
      __typename
      ... on Statistics { total { filed settled failed ended successRate settledAtVillage villageShare overdueNow leads confirmed meanSatisfaction medianDaysToSettle } rows { key { month } filed settled failed ended successRate settledAtVillage villageShare overdueNow leads confirmed meanSatisfaction medianDaysToSettle } }
      ... on Error { code message }
    }
    byCategory: statistics(input: { regionCode: $region, from: $from, to: $to, groupBy: [CATEGORY] }) {
      __typename
      ... on Statistics { rows { key { category } filed settled failed ended successRate settledAtVillage villageShare overdueNow leads confirmed meanSatisfaction medianDaysToSettle } }
      ... on Error { code message }
    }
    highRisk: cases(first: 20, regionCode: $region, riskLevel: HIGH, status: [SUBMITTED, AWAITING_RESPONDENT, ASSIGNING, MEDIATING, AGREEMENT_SIGNING]) {
      edges { node { id number title status category overdue dueAt } }
    }
    screening: screeningSummary(regionCode: $region, month: $month) {
      openHighRisk { id description category status foundOn regionCode }
    }
  }
`);

type Data = ResultOf<typeof STATS>;
type Figures = { filed: number; settled: number; failed: number; ended: number; successRate: number | null; settledAtVillage: number; villageShare: number | null; overdueNow: number; leads: number; confirmed: number; meanSatisfaction: number | null; medianDaysToSettle: number | null };

/** 工作台: the figures of the viewer's division over the last six months, and its open high-risk matters. */
export default function DashboardPage() {
  const { message } = App.useApp();
  const { region } = useStaffRegion();
  const [issuing, setIssuing] = useState<OrderSubject | null>(null);
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (!region) return;
    setData(null);
    setError(null);
    const from = monthsBack(new Date(), 5);
    void request(STATS, { region: region.code, from, to: today(), month })
      .then(setData)
      .catch((e: Error) => setError(e.message));
  }, [region, month]);

  const byMonth = data?.byMonth.__typename === 'Statistics' ? data.byMonth : null;
  const byCategory = data?.byCategory.__typename === 'Statistics' ? data.byCategory : null;
  const denied = data && (data.byMonth.__typename !== 'Statistics' ? (data.byMonth as { message?: string }).message : null);
  const total = byMonth?.total as Figures | undefined;
  const months = (byMonth?.rows ?? []).map((r) => ({ label: r.key.month ?? '', filed: (r as Figures).filed, settled: (r as Figures).settled })).sort((a, b) => a.label.localeCompare(b.label));
  const categories = (byCategory?.rows ?? []).map((r) => ({ ...(r as Figures), key: r.key.category ?? 'OTHER' })).sort((a, b) => b.filed - a.filed);

  const report = async (format: 'xlsx' | 'pdf') => {
    if (!region) return;
    setBusy(format);
    try {
      await download(`/reports/monthly?region=${region.code}&month=${month}${format === 'pdf' ? '&format=pdf' : ''}`, `月报-${region.name}-${month}.${format}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={<PageTitle>工作台 · 统计</PageTitle>}
        extra={
          <Space wrap>
            <RegionPicker />
            <MonthSelect label="月报月份" value={month} onChange={setMonth} />
            <Button onClick={() => report('xlsx')} loading={busy === 'xlsx'}>下载月报（Excel）</Button>
            <Button onClick={() => report('pdf')} loading={busy === 'pdf'}>下载月报（PDF）</Button>
          </Space>
        }
      >
        <p style={{ marginTop: 0, color: '#555' }}>
          {region?.name ?? '…'}，近六个月（{monthsBack(new Date(), 5)} 至 {today()}）
        </p>
        {error && <Alert type="error" title={error} role="alert" />}
        {denied && <Alert type="warning" title={denied} role="alert" />}
        {total && (
          <Row gutter={[12, 12]}>
            <Col xs={12} md={4}><Statistic title="受理案件" value={total.filed} /></Col>
            <Col xs={12} md={4}><Statistic title="调解成功" value={total.settled} /></Col>
            <Col xs={12} md={4}><Statistic title="调解成功率" value={percent(total.successRate)} /></Col>
            <Col xs={12} md={4}><Statistic title="小事不出村（村级化解占比）" value={percent(total.villageShare)} /></Col>
            <Col xs={12} md={4}><Statistic title="当前超期案件" value={total.overdueNow} styles={{ content: { color: total.overdueNow ? '#c0392b' : undefined } }} /></Col>
            <Col xs={12} md={4}><Statistic title="排查发现矛盾" value={total.leads} /></Col>
          </Row>
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>按月：受理与调解成功</h2>}>
            <MonthBars label="按月受理与调解成功案件数" months={months} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>按纠纷类型：受理案件</h2>}>
            <BarList label="按纠纷类型受理案件数" items={categories.map((c) => ({ label: CATEGORY[c.key]?.name ?? c.key, value: c.filed }))} />
          </Card>
        </Col>
      </Row>
      <Card title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>按纠纷类型</h2>}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          loading={!data && !error}
          dataSource={categories}
          scroll={{ x: 800 }}
          columns={[
            { title: '类型', render: (_, c) => CATEGORY[c.key]?.name ?? c.key },
            { title: '受理', dataIndex: 'filed' },
            { title: '调解成功', dataIndex: 'settled' },
            { title: '调解不成', dataIndex: 'failed' },
            { title: '成功率', render: (_, c) => percent(c.successRate) },
            { title: '村级化解', dataIndex: 'settledAtVillage' },
            { title: '村级化解占比', render: (_, c) => percent(c.villageShare) },
            { title: '当前超期', dataIndex: 'overdueNow' },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>高风险未结事项</h2>}>
        <h3 style={{ fontSize: '1rem' }}>调解案件</h3>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={!data && !error}
          dataSource={data?.highRisk.edges.map((e) => e.node) ?? []}
          locale={{ emptyText: '没有高风险未结案件' }}
          columns={[
            { title: '风险', render: () => <Tag color={RISK.HIGH!.color}>{RISK.HIGH!.name}</Tag> },
            { title: '案件', render: (_, c) => <Link to={`/workbench/cases/${c.id}`}>{c.title}</Link> },
            { title: '编号', dataIndex: 'number' },
            { title: '类型', render: (_, c) => CATEGORY[c.category]?.name },
            { title: '状态', render: (_, c) => <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.name}</Tag> },
            { title: '超期', render: (_, c) => (c.overdue ? <Tag color="red">已超期</Tag> : '否') },
          ]}
        />
        <h3 style={{ fontSize: '1rem' }}>排查发现的矛盾（{month}）</h3>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={!data && !error}
          dataSource={data?.screening.openHighRisk ?? []}
          locale={{ emptyText: '没有高风险未化解的矛盾' }}
          columns={[
            { title: '发现日期', dataIndex: 'foundOn', width: 120 },
            { title: '类型', render: (_, l) => CATEGORY[l.category]?.name, width: 110 },
            { title: '情况', dataIndex: 'description' },
            { title: '处置', render: (_, l) => <Tag color={LEAD_STATUS[l.status]?.color}>{LEAD_STATUS[l.status]?.name}</Tag>, width: 110 },
            {
              title: '操作',
              width: 90,
              render: (_, l) => (
                <Button size="small" aria-label={`督办：${l.description.slice(0, 20)}`} onClick={() => setIssuing({ leadId: l.id, title: l.description, reason: `高风险${CATEGORY[l.category]?.name ?? ''}，排查发现后尚未化解` })}>
                  督办
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <IssueOrderModal
        subject={issuing}
        onClose={() => setIssuing(null)}
        onIssued={(receiver) => {
          setIssuing(null);
          message.success(`已向${receiver}发出督办，可在“督办”中跟踪`);
        }}
      />
    </Space>
  );
}
