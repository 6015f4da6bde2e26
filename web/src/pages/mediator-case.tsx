import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { AgreementText, CaseTimeline, Deadlines, DownloadButton, Routing } from '../components/case-parts';
import { DraftAgreementCard } from '../components/draft-agreement';
import { EvidenceCard } from '../components/evidence';
import { FollowUpsToDo, IdentityChecks, SessionControls, SupervisionOrders } from '../components/mediator-extras';
import { VideoJoin } from '../components/party-extras';
import { Room } from '../components/room';
import { graphql, request, unwrap } from '../graphql';
import { AGREEMENT_STATUS, CATEGORY, RISK, STATUS, TERMINATION, when } from '../labels';
import { Link } from '../router';
import { SignButton, useAct, useCase } from './party-case';

const SCHEDULE = graphql(`
  mutation ScheduleSession($input: ScheduleSessionInput!) {
    scheduleSession(input: $input) {
      __typename
      ... on ScheduleSessionSuccess { session { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const MINUTES = graphql(`
  mutation UpdateMinutes($input: UpdateMinutesInput!) {
    updateMinutes(input: $input) {
      __typename
      ... on UpdateMinutesSuccess { session { id minutes { version } } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const ADD_FACT = graphql(`
  mutation AddUndisputedFact($input: AddUndisputedFactInput!) {
    addUndisputedFact(input: $input) {
      __typename
      ... on AddUndisputedFactSuccess { fact { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const TERMINATE = graphql(`
  mutation TerminateMediation($input: TerminateMediationInput!) {
    terminateMediation(input: $input) {
      __typename
      ... on TerminateMediationSuccess { case { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Session = CaseData['sessions'][number];

function MinutesEditor({ s, onSaved }: { s: Session; onSaved: () => Promise<void> }) {
  const [text, setText] = useState(s.minutes?.text ?? '');
  useEffect(() => setText(s.minutes?.text ?? ''), [s.minutes?.text]);
  const act = useAct(onSaved);
  const m = s.minutes;
  return (
    <section aria-label="调解笔录">
      <Input.TextArea aria-label="笔录内容" rows={10} value={text} onChange={(e) => setText(e.target.value)} disabled={!!m?.lockedAt} />
      <Space style={{ marginTop: 8 }} wrap>
        <Button type="primary" disabled={!!m?.lockedAt}
          onClick={() => act(async () => unwrap((await request(MINUTES, { input: { sessionId: s.id, text, expectedVersion: m?.version ?? null } })).updateMinutes), '笔录已保存，等待当事人确认')}>
          保存笔录
        </Button>
        {m && <span>第 {m.version} 版，{m.lockedAt ? <Tag color="green">各方已确认，已锁定</Tag> : `已确认 ${m.confirmations.filter((x) => x.version === m.version).length} 人`}</span>}
      </Space>
    </section>
  );
}

export default function MediatorCasePage({ id }: { id: string }) {
  const { data, error, reload } = useCase(id);
  const act = useAct(reload);
  const [fact, setFact] = useState('');
  const [ground, setGround] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [sessionForm] = Form.useForm();
  if (error) return <Alert type="error" title={error} role="alert" />;
  if (!data) return <Spin aria-label="加载中" />;
  const c = data.c;
  if (!c) return <Alert type="warning" title="没有找到这个案件，或者您无权查看。" action={<Link to="/workbench">返回待办</Link>} role="alert" />;
  const a = c.agreement;
  const mediating = c.status === 'MEDIATING';
  const sessions = c.sessions.filter((s) => s.status === 'SCHEDULED');
  return (
    <>
      <Card style={{ marginBottom: 12 }}>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <h1 style={{ fontSize: '1.3rem', margin: 0 }}>{c.title}</h1>
          <Link to="/workbench">返回待办</Link>
        </Space>
        <Space wrap style={{ marginTop: 8 }}>
          <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.name}</Tag>
          <Tag color={RISK[c.riskLevel]?.color}>{RISK[c.riskLevel]?.name}</Tag>
          <span>{CATEGORY[c.category]?.name}</span>
          <span>编号 {c.number}</span>
          <span>立案 {when(c.createdAt)}</span>
        </Space>
        <Typography.Paragraph style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>{c.description}</Typography.Paragraph>
        {c.claims && <p>请求：{c.claims}{c.amount ? `（${c.amount} 元）` : ''}</p>}
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={8}>
          <Card size="small" title="当事人" style={{ marginBottom: 12 }}>
            <Table size="small" rowKey="id" pagination={false} dataSource={c.parties}
              columns={[
                { title: '身份', render: (_, p) => (p.role === 'APPLICANT' ? '申请人' : '被申请人') },
                { title: '姓名', dataIndex: 'name' },
                { title: '电话', dataIndex: 'phone' },
                { title: '同意调解', render: (_, p) => ({ ACCEPTED: '已同意', REFUSED: '拒绝', PENDING: '待答复' })[p.consent] },
              ]} />
          </Card>
          <SupervisionOrders c={c} onDone={reload} />
          <Deadlines c={c} />
          <Routing c={c} />
          <EvidenceCard c={c} onChanged={reload} canUpload />
          <CaseTimeline c={c} />
        </Col>
        <Col xs={24} lg={16}>
          <Card size="small" title="调解会安排" style={{ marginBottom: 12 }}>
            {sessions.map((s) => (
              <div key={s.id} style={{ marginBottom: 16 }}>
                <p><strong>{when(s.startsAt)}</strong> · {({ VIDEO: '视频', ON_SITE: '现场', PHONE: '电话', ASYNC: '线上留言' } as Record<string, string>)[s.mode]}{s.place ? ` · ${s.place}` : ''}</p>
                {s.mode === 'VIDEO' && <p><VideoJoin sessionId={s.id} party={false} /></p>}
                {mediating && <SessionControls s={s} onDone={reload} />}
                <Row gutter={12}>
                  <Col xs={24} md={12}><Room sessionId={s.id} onMinutes={() => void reload()} /></Col>
                  <Col xs={24} md={12}><MinutesEditor s={s} onSaved={reload} /></Col>
                </Row>
              </div>
            ))}
            {mediating && (
              <Form form={sessionForm} layout="inline" onFinish={(v: { startsAt: { toISOString(): string }; mode: 'ON_SITE' | 'PHONE' | 'VIDEO' | 'ASYNC'; place?: string; meetingUrl?: string }) =>
                act(async () => unwrap((await request(SCHEDULE, { input: { caseId: c.id, startsAt: v.startsAt.toISOString(), mode: v.mode, place: v.place || null, meetingUrl: v.mode === 'VIDEO' ? v.meetingUrl || null : null } })).scheduleSession), '已安排调解会')}>
                <Form.Item label="时间" name="startsAt" rules={[{ required: true, message: '请选择时间' }]}>
                  <DatePicker showTime format="YYYY-MM-DD HH:mm" />
                </Form.Item>
                <Form.Item label="方式" name="mode" initialValue="ON_SITE">
                  <Select style={{ width: 120 }} options={[{ value: 'ON_SITE', label: '现场' }, { value: 'PHONE', label: '电话' }, { value: 'VIDEO', label: '视频' }, { value: 'ASYNC', label: '线上留言' }]} />
                </Form.Item>
                <Form.Item label="地点" name="place"><Input /></Form.Item>
                <Form.Item noStyle shouldUpdate={(a: { mode?: string }, b: { mode?: string }) => a.mode !== b.mode}>
                  {() => sessionForm.getFieldValue('mode') === 'VIDEO' ? (
                    <Form.Item label="会议链接" name="meetingUrl" extra="未接入平台视频时填写 https 会议链接"><Input placeholder="https://" /></Form.Item>
                  ) : null}
                </Form.Item>
                <Button htmlType="submit">安排调解会</Button>
              </Form>
            )}
          </Card>

          <Card size="small" title="无争议事实" style={{ marginBottom: 12 }}>
            <ul style={{ paddingLeft: 20 }}>
              {c.undisputedFacts.map((f) => <li key={f.id}>{f.text}（已确认 {f.confirmedPartyIds.length}/{c.parties.length}）</li>)}
            </ul>
            {mediating && (
              <Space.Compact style={{ width: '100%' }}>
                <Input aria-label="新的无争议事实" value={fact} onChange={(e) => setFact(e.target.value)} placeholder="双方都认可的事实" />
                <Button onClick={async () => { if (await act(async () => unwrap((await request(ADD_FACT, { input: { caseId: c.id, text: fact } })).addUndisputedFact), '已记录')) setFact(''); }}>记录</Button>
              </Space.Compact>
            )}
          </Card>

          {a && (
            <Card size="small" title={`调解协议（${AGREEMENT_STATUS[a.status]}）`} style={{ marginBottom: 12 }}>
              <AgreementText a={a} />
              <Space>
                <DownloadButton url={a.pdfUrl} name={`调解协议-${a.number}.pdf`} label="下载 PDF" />
                {a.status === 'SIGNING' && !a.signatures.some((s) => s.role === 'MEDIATOR') && <SignButton agreementId={a.id} onDone={reload} />}
              </Space>
            </Card>
          )}

          <FollowUpsToDo c={c} onDone={reload} />
          <IdentityChecks c={c} onDone={reload} />

          {mediating && <DraftAgreementCard c={c} act={act} />}

          {mediating && (
            <Card size="small" title="终止调解" style={{ marginBottom: 12 }}>
              <Space wrap>
                <Select aria-label="终止理由" placeholder="终止理由" style={{ width: 200 }} value={ground} onChange={setGround} options={Object.entries(TERMINATION).map(([value, label]) => ({ value, label }))} />
                <Input aria-label="说明" placeholder="说明" value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 240 }} />
                <Button danger disabled={!ground}
                  onClick={() => act(async () => unwrap((await request(TERMINATE, { input: { caseId: c.id, ground: ground as 'OTHER', note: note || null } })).terminateMediation), '已终止调解')}>
                  终止调解
                </Button>
              </Space>
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
