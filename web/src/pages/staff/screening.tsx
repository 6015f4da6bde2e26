import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { graphql, request, type ResultOf, type VariablesOf } from '../../graphql';
import { CATEGORY, RISK, when } from '../../labels';
import { monthOf, MonthSelect, PageTitle, RegionPicker, useStaffRegion } from './common';
import { IssueOrderModal, type OrderSubject } from './issue-order';
import { LEAD_SOURCE, LEAD_STATUS, REPORT_STATUS } from './staff-labels';

const LEDGER = graphql(`
  query ScreeningLedger($region: String!, $month: String!, $status: [LeadStatus!], $riskLevel: RiskLevel) {
    disputeLeads(first: 100, regionCode: $region, status: $status, riskLevel: $riskLevel) {
      edges { node { id foundOn category source description riskLevel status regionCode people { name } watchPersonName watchReviewDate resolution referredTo case { id number } } }
    }
    screeningSummary(regionCode: $region, month: $month) {
      total reportsSubmitted reportsOverdue
      byArea { regionCode name total open highRisk reportsSubmitted reportsOverdue }
    }
  }
`);
const REPORTS = graphql(`
  query ScreeningReports($region: String!) {
    screeningReports(regionCode: $region) { id regionCode week weekStart status submittedAt late nothingFound leadCount note dueAt }
  }
`);

type Lead = ResultOf<typeof LEDGER>['disputeLeads']['edges'][number]['node'];
type Report = ResultOf<typeof REPORTS>['screeningReports'][number];
type Filters = Pick<VariablesOf<typeof LEDGER>, 'status' | 'riskLevel'>;

/** 排查台账: the leads found in the division, the month's figures by area, and the villages' weekly reports. */
export default function ScreeningPage() {
  const { message } = App.useApp();
  const { region, options } = useStaffRegion();
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [filters, setFilters] = useState<Filters>({});
  const [data, setData] = useState<ResultOf<typeof LEDGER> | null>(null);
  const [reports, setReports] = useState<Report[] | null>(null);
  const [reportsError, setReportsError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issuing, setIssuing] = useState<OrderSubject | null>(null);
  const load = useCallback(async () => {
    if (!region) return;
    setError(null);
    try {
      setData(await request(LEDGER, { region: region.code, month, ...filters }));
    } catch (e) {
      setError((e as Error).message);
    }
    try {
      setReports((await request(REPORTS, { region: region.code })).screeningReports);
      setReportsError(null);
    } catch (e) {
      setReports([]);
      setReportsError((e as Error).message);
    }
  }, [region, month, filters]);
  useEffect(() => void load(), [load]);
  const areaName = (code: string) => options.find((o) => code.startsWith(o.code) && o !== options[0])?.name ?? data?.screeningSummary.byArea.find((a) => code.startsWith(a.regionCode))?.name ?? code;
  const leads = data?.disputeLeads.edges.map((e) => e.node) ?? [];
  const s = data?.screeningSummary;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        title={<PageTitle>排查台账</PageTitle>}
        extra={
          <Space wrap>
            <RegionPicker />
            <MonthSelect label="统计月份" value={month} onChange={setMonth} />
          </Space>
        }
      >
        {error && <Alert type="error" title={error} role="alert" />}
        {s && (
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={8}><Statistic title={`${month} 排查发现`} value={s.total} /></Col>
            <Col xs={8}><Statistic title="周报已报送" value={s.reportsSubmitted} /></Col>
            <Col xs={8}><Statistic title="周报逾期未报" value={s.reportsOverdue} styles={{ content: { color: s.reportsOverdue ? '#c0392b' : undefined } }} /></Col>
          </Row>
        )}
        {s && s.byArea.length > 0 && (
          <Table
            rowKey="regionCode"
            size="small"
            pagination={false}
            dataSource={s.byArea}
            columns={[
              { title: '地区', dataIndex: 'name' },
              { title: '发现', dataIndex: 'total' },
              { title: '未化解', dataIndex: 'open' },
              { title: '高风险', dataIndex: 'highRisk', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
              { title: '周报已报', dataIndex: 'reportsSubmitted' },
              { title: '周报逾期', dataIndex: 'reportsOverdue', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
            ]}
          />
        )}
      </Card>
      <Card
        title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>矛盾纠纷台账</h2>}
        extra={
          <Space wrap>
            <Select allowClear placeholder="处置情况" aria-label="按处置情况筛选" style={{ width: 150 }} options={Object.entries(LEAD_STATUS).map(([value, v]) => ({ value, label: v.name }))} onChange={(v?: string) => setFilters((f) => ({ ...f, status: v ? [v as 'OPEN'] : null }))} />
            <Select allowClear placeholder="风险" aria-label="按风险筛选" style={{ width: 110 }} options={Object.entries(RISK).map(([value, v]) => ({ value, label: v.name }))} onChange={(v?: string) => setFilters((f) => ({ ...f, riskLevel: (v as 'HIGH' | undefined) ?? null }))} />
          </Space>
        }
      >
        <Table<Lead>
          rowKey="id"
          size="small"
          loading={!data && !error}
          dataSource={leads}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: '台账中没有记录' }}
          columns={[
            { title: '发现日期', dataIndex: 'foundOn', width: 110 },
            { title: '地点', render: (_, l) => areaName(l.regionCode), width: 110 },
            { title: '类型', render: (_, l) => CATEGORY[l.category]?.name, width: 100 },
            { title: '来源', render: (_, l) => LEAD_SOURCE[l.source], width: 110 },
            { title: '当事人', render: (_, l) => l.people.map((p) => p.name).join('、'), width: 140 },
            { title: '情况', dataIndex: 'description' },
            { title: '风险', render: (_, l) => <Tag color={RISK[l.riskLevel]?.color}>{RISK[l.riskLevel]?.name}</Tag>, width: 90 },
            {
              title: '处置',
              width: 200,
              render: (_, l) => (
                <>
                  <Tag color={LEAD_STATUS[l.status]?.color}>{LEAD_STATUS[l.status]?.name}</Tag>
                  <div style={{ fontSize: '0.85em', color: '#555' }}>
                    {l.status === 'UNDER_WATCH' && `包保：${l.watchPersonName ?? ''}，${l.watchReviewDate ?? ''} 复查`}
                    {l.status === 'REFERRED' && `移交：${l.referredTo ?? ''}`}
                    {l.status === 'RESOLVED_ON_SPOT' && l.resolution}
                    {l.status === 'CONVERTED' && l.case && `案件 ${l.case.number}`}
                  </div>
                </>
              ),
            },
            {
              title: '操作',
              width: 90,
              render: (_, l) =>
                l.status === 'OPEN' || l.status === 'UNDER_WATCH' ? (
                  <Button size="small" aria-label={`督办：${l.description.slice(0, 20)}`} onClick={() => setIssuing({ leadId: l.id, title: l.description, reason: `${RISK[l.riskLevel]?.name ?? ''}${CATEGORY[l.category]?.name ?? ''}，排查发现后尚未化解` })}>
                    督办
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: '1.1rem' }}>村（社区）排查周报</h2>}>
        {reportsError && <Alert type="info" title={`周报按乡镇查看：请在上方选择一个乡镇（${reportsError}）`} />}
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports === null}
          dataSource={reports ?? []}
          pagination={false}
          locale={{ emptyText: '没有周报' }}
          columns={[
            { title: '周次', render: (_, r) => `${r.week}（${r.weekStart} 起）` },
            { title: '村（社区）', render: (_, r) => areaName(r.regionCode) },
            { title: '状态', render: (_, r) => <Tag color={REPORT_STATUS[r.status]?.color}>{REPORT_STATUS[r.status]?.name}</Tag> },
            { title: '内容', render: (_, r) => (r.nothingFound ? '零报告：未发现矛盾纠纷' : `报告 ${r.leadCount} 条`) },
            { title: '报送时间', render: (_, r) => (r.submittedAt ? `${when(r.submittedAt)}${r.late ? '（迟报）' : ''}` : `应于 ${when(r.dueAt)} 前`) },
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
    </Space>
  );
}
