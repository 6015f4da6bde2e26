import { useEffect, useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Tag } from 'antd';
import { graphql, request, type ResultOf } from '../../graphql';
import { CATEGORY, LEVEL } from '../../labels';
import { PageTitle, RegionPicker, useStaffRegion } from './common';
import { CreateMediatorForm, CreateOrganizationForm, CreateStaffAccountForm } from './roster-forms';
import { CHANNEL, ORG_KIND } from './staff-labels';

const ROSTERS = graphql(`
  query Rosters($kind: OrganizationKind) {
    organizations(first: 100, kind: $kind) {
      viewerMayCreate
      edges {
        node {
          id name shortName kind level regionCode channel phone address scope chargesFee categories viewerMayManage
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

/**
 * One organisation's published roster, loaded when its row is opened. Who keeps it (the server's
 * access policy, `viewerMayManage`) also gets the forms to add a mediator or a staff account.
 */
function Roster({ org }: { org: Org }) {
  const { id } = org;
  const [list, setList] = useState<Mediator[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<'mediator' | 'staff' | null>(null);
  const [loaded, setLoaded] = useState(0);
  useEffect(() => {
    void request(ROSTER, { id })
      .then((r) => setList(r.node && 'mediators' in r.node ? r.node.mediators.edges.map((e) => e.node) : []))
      .catch((e: Error) => setError(e.message));
  }, [id, loaded]);
  if (error) return <Alert type="error" title={error} role="alert" />;
  const done = () => {
    setForm(null);
    setLoaded((n) => n + 1);
  };
  return (
    <section aria-label={`${org.name}调解员名册`}>
      {org.viewerMayManage && (
        <div style={{ marginBottom: 8 }}>
          {form === null ? (
            <Space wrap>
              <Button onClick={() => setForm('mediator')}>新增调解员</Button>
              <Button onClick={() => setForm('staff')}>新增工作人员账号</Button>
            </Space>
          ) : (
            <Card size="small" title={form === 'mediator' ? `新增调解员 · ${org.name}` : `新增工作人员账号 · ${org.name}`} style={{ maxWidth: 560 }}>
              {form === 'mediator'
                ? <CreateMediatorForm org={org} onDone={done} onCancel={() => setForm(null)} />
                : <CreateStaffAccountForm org={org} onDone={done} onCancel={() => setForm(null)} />}
            </Card>
          )}
        </div>
      )}
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
    </section>
  );
}

/** 名册: the organisations of the division and the mediators each publishes (OMR 5). */
export default function RostersPage() {
  const { region } = useStaffRegion();
  const [kind, setKind] = useState<string | undefined>();
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [mayCreate, setMayCreate] = useState(false);
  const [creating, setCreating] = useState(false);
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setOrgs(null);
    void request(ROSTERS, { kind: (kind as 'COURT' | undefined) ?? null })
      .then((r) => {
        setOrgs(r.organizations.edges.map((e) => e.node));
        setMayCreate(r.organizations.viewerMayCreate);
      })
      .catch((e: Error) => setError(e.message));
  }, [kind, loaded]);
  // Organisations in the chosen division or below (codes nest by prefix).
  const shown = (orgs ?? []).filter((o) => !region || o.regionCode.startsWith(region.code));

  return (
    <Card
      title={<PageTitle>组织与调解员名册</PageTitle>}
      extra={
        <Space wrap>
          <RegionPicker />
          {mayCreate && !creating && <Button type="primary" onClick={() => setCreating(true)}>新增组织</Button>}
          <Select allowClear placeholder="组织类型" aria-label="按组织类型筛选" style={{ width: 220 }} value={kind} onChange={setKind} options={Object.entries(ORG_KIND).map(([value, label]) => ({ value, label }))} />
        </Space>
      }
    >
      {error && <Alert type="error" title={error} role="alert" />}
      {creating && (
        <Card size="small" title="新增组织" style={{ maxWidth: 560, marginBottom: 12 }}>
          <CreateOrganizationForm onDone={() => { setCreating(false); setLoaded((n) => n + 1); }} onCancel={() => setCreating(false)} />
        </Card>
      )}
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
          expandedRowRender: (o) => <Roster org={o} />,
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
