import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Select, Space, Spin, Tag, Typography } from 'antd';
import { graphql, request, unwrap, type ResultOf } from '../graphql';
import { CATEGORY, RISK } from '../labels';
import { Link } from '../router';

const PLACE = graphql(`
  query GridPlace { me { id organization { id name regionCode region { name } } } }
`);
const LEADS = graphql(`
  query GridLeads {
    disputeLeads(first: 50) {
      edges { node { id category description status riskLevel foundOn source address createdAt people { name phone } case { id number } } }
    }
  }
`);
const RECORD = graphql(`
  mutation RecordDisputeLead($input: RecordDisputeLeadInput!) {
    recordDisputeLead(input: $input) {
      __typename
      ... on RecordDisputeLeadSuccess { lead { id riskLevel } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CONVERT = graphql(`
  mutation ConvertLeadToCase($input: ConvertLeadToCaseInput!) {
    convertLeadToCase(input: $input) {
      __typename
      ... on ConvertLeadToCaseSuccess { case { id number } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Lead = ResultOf<typeof LEADS>['disputeLeads']['edges'][number]['node'];

const SOURCE: Record<string, string> = {
  VISIT: '走访发现',
  SELF_REPORT: '群众反映',
  HOTLINE: '热线转来',
  PETITION: '信访',
  POLICE_REFERRAL: '派出所移交',
  SCHOOL_OR_HOSPITAL: '学校或医院反映',
  OTHER: '其他',
};
const LEAD_STATUS: Record<string, { name: string; color: string }> = {
  OPEN: { name: '待处理', color: 'blue' },
  RESOLVED_ON_SPOT: { name: '当场化解', color: 'green' },
  CONVERTED: { name: '已转调解', color: 'processing' },
  REFERRED: { name: '已移交', color: 'default' },
  UNDER_WATCH: { name: '包保稳控', color: 'orange' },
};

interface Values {
  category: string;
  source: string;
  address?: string;
  description: string;
  people: { name: string; phone?: string }[];
}

/** The grid worker's page: record a dispute found on the ground, and file it for the residents. */
export default function GridPage() {
  const { message } = App.useApp();
  const [place, setPlace] = useState<NonNullable<ResultOf<typeof PLACE>['me']>['organization'] | undefined>(undefined);
  const [leads, setLeads] = useState<Lead[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const load = useCallback(async () => {
    try {
      const [p, l] = await Promise.all([request(PLACE), request(LEADS)]);
      setPlace(p.me?.organization ?? null);
      setLeads(l.disputeLeads.edges.map((e) => e.node));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);
  if (error) return <Alert type="error" title={error} role="alert" />;
  if (leads === null || place === undefined) return <Spin aria-label="加载中" />;
  if (!place) return <Alert type="warning" title="您的账号还没有归属的村（社区），请联系司法所。" role="alert" />;

  const convert = async (l: Lead) => {
    try {
      const r = unwrap((await request(CONVERT, { input: { leadId: l.id } })).convertLeadToCase);
      if (r.__typename === 'ConvertLeadToCaseSuccess') message.success(`已为居民申请调解，案号 ${r.case.number}`);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <>
      <Card style={{ marginBottom: 12 }} title={<h1 style={{ margin: 0, fontSize: '1.2rem' }}>矛盾纠纷排查</h1>}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {place.name} · 走访发现的矛盾纠纷记入排查台账；双方都愿意调解的，可以直接为居民申请调解。
        </Typography.Paragraph>
      </Card>

      <Card size="small" title="记录一条纠纷线索" style={{ marginBottom: 12 }}>
        <Form form={form} name="lead" layout="vertical" initialValues={{ source: 'VISIT', people: [{ name: '', phone: '' }, { name: '', phone: '' }] }}
          onFinish={async (v) => {
            setBusy(true);
            try {
              const r = unwrap((await request(RECORD, {
                input: {
                  regionCode: place.regionCode,
                  category: v.category as 'OTHER',
                  source: v.source as 'VISIT',
                  address: v.address || null,
                  description: v.description,
                  people: v.people.filter((p) => p.name?.trim()).map((p) => ({ name: p.name.trim(), phone: p.phone?.trim() || null })),
                },
              })).recordDisputeLead);
              if (r.__typename === 'RecordDisputeLeadSuccess') message.success(`已记入台账（${RISK[r.lead.riskLevel]?.name ?? r.lead.riskLevel}）`);
              form.resetFields();
              await load();
            } catch (e) {
              message.error((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}>
          <Form.Item label="纠纷类型" name="category" rules={[{ required: true, message: '请选择纠纷类型' }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} placeholder="请选择" options={Object.entries(CATEGORY).map(([value, c]) => ({ value, label: c.name }))} />
          </Form.Item>
          <Form.Item label="线索来源" name="source">
            <Select options={Object.entries(SOURCE).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="具体地点" name="address"><Input placeholder="例如：三组李家老宅后" /></Form.Item>
          <Form.Item label="纠纷情况" name="description" rules={[{ required: true, min: 5, message: '请至少写5个字' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.List name="people">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Card key={f.key} size="small" title={`当事人 ${i + 1}`} style={{ marginBottom: 8 }}
                    extra={fields.length > 1 ? <Button size="small" onClick={() => remove(f.name)} aria-label={`删除当事人 ${i + 1}`}>删除</Button> : null}>
                    <Form.Item label={`当事人 ${i + 1} 姓名`} name={[f.name, 'name']} rules={i === 0 ? [{ required: true, message: '至少写一位当事人' }] : []}>
                      <Input />
                    </Form.Item>
                    <Form.Item label={`当事人 ${i + 1} 手机号`} name={[f.name, 'phone']} rules={[{ pattern: /^1\d{10}$/, message: '请输入11位手机号' }]}
                      extra={i === fields.length - 1 ? '双方都有手机号，才能直接为居民申请调解。' : undefined} style={{ marginBottom: 0 }}>
                      <Input inputMode="numeric" maxLength={11} />
                    </Form.Item>
                  </Card>
                ))}
                <Button onClick={() => add({ name: '', phone: '' })} style={{ marginBottom: 16 }} block>再添加一位当事人</Button>
              </>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>记入排查台账</Button>
        </Form>
      </Card>

      <Card size="small" title="排查台账" style={{ marginBottom: 12 }}>
        {leads.length === 0 ? <Typography.Text type="secondary">还没有记录</Typography.Text> : (
          <List
            aria-label="排查台账"
            dataSource={leads}
            renderItem={(l) => {
              const convertible = ['OPEN', 'UNDER_WATCH'].includes(l.status) && l.people.length >= 2 && l.people.every((p) => !!p.phone);
              return (
                <List.Item>
                  <div style={{ width: '100%' }}>
                    <Space wrap>
                      <strong>{CATEGORY[l.category]?.name ?? l.category}</strong>
                      <Tag color={LEAD_STATUS[l.status]?.color}>{LEAD_STATUS[l.status]?.name ?? l.status}</Tag>
                      <Tag color={RISK[l.riskLevel]?.color}>{RISK[l.riskLevel]?.name}</Tag>
                    </Space>
                    <p style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{l.description}</p>
                    <Typography.Text type="secondary">
                      {l.people.map((p) => p.name).join('、')} · {SOURCE[l.source] ?? l.source} · {l.foundOn}{l.address ? ` · ${l.address}` : ''}
                    </Typography.Text>
                    <div style={{ marginTop: 4 }}>
                      {l.case ? <span>已转为调解案件 {l.case.number}</span> : convertible ? (
                        <Button size="small" type="primary" onClick={() => void convert(l)}>为居民申请调解</Button>
                      ) : l.status === 'OPEN' && (
                        <Typography.Text type="secondary">补齐双方姓名和手机号后可申请调解</Typography.Text>
                      )}
                    </div>
                  </div>
                </List.Item>
              );
            }}
          />
        )}
        <p style={{ marginTop: 8, marginBottom: 0 }}><Link to="/workbench">查看辖区调解案件</Link></p>
      </Card>
    </>
  );
}
