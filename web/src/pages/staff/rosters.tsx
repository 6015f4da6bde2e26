import { useEffect, useState } from 'react';
import { Alert, Card, Select, Space, Table, Tag } from 'antd';
import { graphql, request, type ResultOf } from '../../graphql';
import { CATEGORY, LEVEL } from '../../labels';
import { PageTitle, RegionPicker, useStaffRegion } from './common';
import { CHANNEL, ORG_KIND } from './staff-labels';

const ROSTERS = graphql(`
  query Rosters($kind: OrganizationKind) {
    organizations(first: 100, kind: $kind) {
      edges {
        node {
          id name shortName kind level regionCode channel phone address scope chargesFee categories
          region { name }
        }
      }
    }
  }
`);

const ROSTER = graphql(`
  query Roster($id: ID!) {
    node(id: $id) {
      ... on Organization { mediators(first: 50) { edges { node { id name title capacity channel chargesFee categories languages { code name } } } } }
    }
  }
`);

type Org = ResultOf<typeof ROSTERS>['organizations']['edges'][number]['node'];
type Mediator = NonNullable<Extract<ResultOf<typeof ROSTER>['node'], { mediators: unknown }>>['mediators']['edges'][number]['node'];

/** One organisation's published roster, loaded when its row is opened. */
function Roster({ id }: { id: string }) {
  const [list, setList] = useState<Mediator[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void request(ROSTER, { id })
      .then((r) => setList(r.node && 'mediators' in r.node ? r.node.mediators.edges.map((e) => e.node) : []))
      .catch((e: Error) => setError(e.message));
  }, [id]);
  if (error) return <Alert type="error" title={error} role="alert" />;
  return (
    <Table<Mediator>
      rowKey="id"
      size="small"
      pagination={false}
      loading={list === null}
      dataSource={list ?? []}
      locale={{ emptyText: '该组织尚未公布调解员' }}
      columns={[
        { title: '调解员', dataIndex: 'name' },
        { title: '职务', dataIndex: 'title' },
        { title: '语言', render: (_, m) => m.languages.map((l) => l.name).join('、') },
        { title: '擅长', render: (_, m) => m.categories.slice(0, 6).map((c) => <Tag key={c}>{CATEGORY[c]?.name}</Tag>) },
        { title: '同时办理', render: (_, m) => `${m.capacity} 件` },
        { title: '收费', render: (_, m) => (m.chargesFee ? '收费' : '免费') },
      ]}
    />
  );
}

/** 名册: the organisations of the division and the mediators each publishes (OMR 5). */
export default function RostersPage() {
  const { region } = useStaffRegion();
  const [kind, setKind] = useState<string | undefined>();
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setOrgs(null);
    void request(ROSTERS, { kind: (kind as 'COURT' | undefined) ?? null })
      .then((r) => setOrgs(r.organizations.edges.map((e) => e.node)))
      .catch((e: Error) => setError(e.message));
  }, [kind]);
  // Organisations in the chosen division or below (codes nest by prefix).
  const shown = (orgs ?? []).filter((o) => !region || o.regionCode.startsWith(region.code));

  return (
    <Card
      title={<PageTitle>组织与调解员名册</PageTitle>}
      extra={
        <Space wrap>
          <RegionPicker />
          <Select allowClear placeholder="组织类型" aria-label="按组织类型筛选" style={{ width: 220 }} value={kind} onChange={setKind} options={Object.entries(ORG_KIND).map(([value, label]) => ({ value, label }))} />
        </Space>
      }
    >
      {error && <Alert type="error" title={error} role="alert" />}
      <p style={{ marginTop: 0 }}>
        {region?.name ?? ''}：{shown.length} 个组织。展开一行可查看该组织公布的调解员名册。
      </p>
      <Table<Org>
        rowKey="id"
        loading={orgs === null && !error}
        dataSource={shown}
        pagination={false}
        scroll={{ x: 1000 }}
        expandable={{
          rowExpandable: (o) => o.kind !== 'COURT',
          expandedRowRender: (o) => <Roster id={o.id} />,
        }}
        columns={[
          { title: '组织', dataIndex: 'name' },
          { title: '类型', render: (_, o) => ORG_KIND[o.kind] ?? o.kind },
          { title: '层级', render: (_, o) => LEVEL[o.level] ?? o.level },
          { title: '地区', render: (_, o) => o.region.name },
          { title: '调解类别', render: (_, o) => CHANNEL[o.channel] ?? o.channel },
          { title: '电话', render: (_, o) => o.phone ?? '—' },
          { title: '收费', render: (_, o) => (o.chargesFee ? '收费' : '免费') },
        ]}
      />
    </Card>
  );
}
