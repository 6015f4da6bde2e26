import { useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { graphql, request, unwrap } from '../graphql';
import { when } from '../labels';
import { useAct } from '../pages/party-case';
import { useSession } from '../session';
import { FOLLOW_UP_METHOD, FollowUpList, SCORES } from './party-extras';

const RESCHEDULE = graphql(`
  mutation RescheduleSession($input: RescheduleSessionInput!) {
    rescheduleSession(input: $input) {
      __typename
      ... on RescheduleSessionSuccess { session { id startsAt } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CANCEL = graphql(`
  mutation CancelSession($input: CancelSessionInput!) {
    cancelSession(input: $input) {
      __typename
      ... on CancelSessionSuccess { session { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const VERIFY = graphql(`
  mutation VerifyIdentityInPerson($input: VerifyIdentityInPersonInput!) {
    verifyIdentityInPerson(input: $input) {
      __typename
      ... on VerifyIdentityInPersonSuccess { verifiedAt identityMethod }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const RECORD_FOLLOW_UP = graphql(`
  mutation RecordFollowUp($input: RecordFollowUpInput!) {
    recordFollowUp(input: $input) {
      __typename
      ... on RecordFollowUpSuccess { followUp { id status } relapseCase { id number } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const RESPOND_SUPERVISION = graphql(`
  mutation RespondToSupervision($input: RespondToSupervisionInput!) {
    respondToSupervision(input: $input) {
      __typename
      ... on RespondToSupervisionSuccess { order { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Session = CaseData['sessions'][number];
type Day = { toISOString(): string; format(f: string): string };

/** Moving or calling off a scheduled session; the parties are told with the reason. */
export function SessionControls({ s, onDone }: { s: Session; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const [mode, setMode] = useState<'reschedule' | 'cancel' | null>(null);
  const [form] = Form.useForm();
  const key = s.id.replace(/[^A-Za-z0-9]/g, '');
  if (!mode) {
    return (
      <Space wrap style={{ marginBottom: 8 }}>
        <Button size="small" onClick={() => setMode('reschedule')}>改期</Button>
        <Button size="small" danger onClick={() => setMode('cancel')}>取消调解会</Button>
      </Space>
    );
  }
  return (
    <Form form={form} name={`${mode}-${key}`} layout="inline" style={{ marginBottom: 8, rowGap: 8 }}
      onFinish={async (v: { startsAt?: Day; reason: string }) => {
        const ok = mode === 'reschedule'
          ? await act(async () => unwrap((await request(RESCHEDULE, { input: { sessionId: s.id, startsAt: v.startsAt!.toISOString(), reason: v.reason } })).rescheduleSession), '已改期，已通知当事人')
          : await act(async () => unwrap((await request(CANCEL, { input: { sessionId: s.id, reason: v.reason } })).cancelSession), '已取消调解会，已通知当事人');
        if (ok) setMode(null);
      }}>
      {mode === 'reschedule' && (
        <Form.Item label="改到" name="startsAt" rules={[{ required: true, message: '请选择新的时间' }]}>
          <DatePicker showTime format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      )}
      <Form.Item label={mode === 'reschedule' ? '改期原因' : '取消原因'} name="reason" rules={[{ required: true, message: '请填写原因' }]}>
        <Input style={{ width: 220 }} />
      </Form.Item>
      <Button htmlType="submit" type="primary" danger={mode === 'cancel'}>{mode === 'reschedule' ? '确认改期' : '确认取消'}</Button>
      <Button onClick={() => setMode(null)} style={{ marginLeft: 8 }}>返回</Button>
    </Form>
  );
}

const DOCUMENTS: Record<string, string> = {
  RESIDENT_ID_CARD: '居民身份证',
  TEMPORARY_RESIDENT_ID_CARD: '临时居民身份证',
  HOUSEHOLD_REGISTER: '户口簿',
  PASSPORT: '护照',
  HK_MACAO_RESIDENT_PERMIT: '港澳居民居住证',
  TAIWAN_RESIDENT_PERMIT: '台湾居民居住证',
  FOREIGN_PERMANENT_RESIDENT_ID: '外国人永久居留身份证',
};

/** Which parties the mediator has already checked in person on this case (from the case's events). */
function checkedParties(c: CaseData): Map<string, { at: string; documentType: string }> {
  const seen = new Map<string, { at: string; documentType: string }>();
  for (const e of c.events) {
    if (e.type !== 'party.identity_verified') continue;
    try {
      const d = JSON.parse(e.data) as { partyId?: string; documentType?: string };
      if (d.partyId) seen.set(d.partyId, { at: e.at, documentType: d.documentType ?? '' });
    } catch {
      // An event whose details this viewer does not read in full says nothing about the check.
    }
  }
  return seen;
}

/** 实名 in person: before drafting, the mediator records having seen each party's identity document. */
export function IdentityChecks({ c, onDone }: { c: CaseData; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const [docs, setDocs] = useState<Record<string, string>>({});
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(c.status)) return null;
  const checked = checkedParties(c);
  const people = c.parties.filter((p) => p.kind === 'PERSON');
  const missing = people.filter((p) => !checked.has(p.id)).length;
  return (
    <Card size="small" title="当面核验身份" style={{ marginBottom: 12 }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        起草协议前，请查看每位当事人的有效身份证件，核对姓名和证件号码后在此登记。
      </Typography.Paragraph>
      <List
        size="small"
        aria-label="身份核验"
        dataSource={people}
        renderItem={(p) => {
          const done = checked.get(p.id);
          return (
            <List.Item>
              <Space wrap>
                <strong>{p.name}</strong>
                <span>{p.role === 'APPLICANT' ? '申请人' : '被申请人'}</span>
                {done ? (
                  <Tag color="green">已核验（{DOCUMENTS[done.documentType] ?? done.documentType}，{when(done.at)}）</Tag>
                ) : (
                  <>
                    <Select aria-label={`${p.name}出示的证件`} style={{ width: 170 }} value={docs[p.id] ?? 'RESIDENT_ID_CARD'}
                      onChange={(v: string) => setDocs({ ...docs, [p.id]: v })}
                      options={Object.entries(DOCUMENTS).map(([value, label]) => ({ value, label }))} />
                    <Button type="primary" onClick={() => act(async () => unwrap((await request(VERIFY, {
                      input: { partyId: p.id, documentType: (docs[p.id] ?? 'RESIDENT_ID_CARD') as 'RESIDENT_ID_CARD' },
                    })).verifyIdentityInPerson), `已登记 ${p.name} 的身份核验`)}>
                      核验无误：{p.name}
                    </Button>
                  </>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
      {missing === 0 ? <Alert type="success" showIcon title="各方当事人身份均已核验" /> : <Alert type="warning" showIcon title={`还有 ${missing} 位当事人未当面核验身份`} />}
    </Card>
  );
}

const PERFORMANCE: Record<string, string> = { PERFORMED: '已履行', PARTLY_PERFORMED: '部分履行', NOT_PERFORMED: '未履行', NOT_YET_DUE: '未到期' };

interface FollowUpValues {
  method: 'PHONE' | 'VISIT' | 'VIDEO' | 'MESSAGE';
  terms: { performance: 'PERFORMED' | 'PARTLY_PERFORMED' | 'NOT_PERFORMED' | 'NOT_YET_DUE'; amountPerformed?: number }[];
  scores: Record<string, number | undefined>;
  note?: string;
  relapsed?: boolean;
  relapseDescription?: string;
}

/** 回访 to do: how each term of the agreement is performed, each party's satisfaction, any relapse. */
export function FollowUpsToDo({ c, onDone }: { c: CaseData; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const [form] = Form.useForm<FollowUpValues>();
  const relapsed = Form.useWatch('relapsed', form);
  const [extra, setExtra] = useState(false);
  const a = c.agreement;
  const next = c.followUps.find((f) => f.status === 'SCHEDULED');
  if (c.followUps.length === 0 && a?.status !== 'EFFECTIVE') return null;
  return (
    <Card size="small" title="回访" style={{ marginBottom: 12 }}>
      <FollowUpList c={c} />
      {a?.status === 'EFFECTIVE' && !next && !extra && <Button onClick={() => setExtra(true)}>另记一次回访</Button>}
      {a?.status === 'EFFECTIVE' && (next || extra) && (
        <Form form={form} name="follow-up" layout="vertical" style={{ marginTop: 8 }}
          initialValues={{ method: 'PHONE', terms: a.terms.map(() => ({ performance: 'NOT_YET_DUE' })), scores: {} }}
          onFinish={async (v) => {
            const ok = await act(async () => unwrap((await request(RECORD_FOLLOW_UP, {
              input: {
                caseId: c.id,
                followUpId: next?.id ?? null,
                method: v.method,
                terms: v.terms.map((t, i) => ({ termNo: i + 1, performance: t.performance, amountPerformed: t.performance === 'PARTLY_PERFORMED' && t.amountPerformed != null ? t.amountPerformed.toFixed(2) : null })),
                satisfaction: c.parties
                  .filter((p) => v.scores?.[p.id] != null && !next?.answers.some((x) => x.partyId === p.id))
                  .map((p) => ({ partyId: p.id, score: v.scores[p.id]! })),
                relapsed: !!v.relapsed,
                relapseDescription: v.relapsed ? v.relapseDescription ?? null : null,
                note: v.note || null,
              },
            })).recordFollowUp), '回访已记录');
            if (ok) {
              form.resetFields();
              setExtra(false);
            }
          }}>
          <Typography.Text strong>{next ? `记录这次回访（${when(next.dueAt)} 前）` : '记录一次回访'}</Typography.Text>
          <Form.Item label="回访方式" name="method" style={{ marginTop: 8 }}>
            <Select style={{ width: 160 }} options={Object.entries(FOLLOW_UP_METHOD).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {a.terms.map((t, i) => (
            <Space key={i} wrap align="start">
              <Form.Item label={`第${i + 1}项履行情况`} name={['terms', i, 'performance']} extra={t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}>
                <Select style={{ width: 160 }} options={Object.entries(PERFORMANCE).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => form.getFieldValue(['terms', i, 'performance']) === 'PARTLY_PERFORMED' ? (
                  <Form.Item label={`第${i + 1}项已履行金额（元）`} name={['terms', i, 'amountPerformed']} rules={[{ required: true, message: '请填写金额' }]}>
                    <InputNumber min={0} precision={2} />
                  </Form.Item>
                ) : null}
              </Form.Item>
            </Space>
          ))}
          <Space wrap>
            {c.parties.map((p) => {
              // A party who answered this follow-up itself gave its satisfaction then.
              const own = next?.answers.find((x) => x.partyId === p.id);
              return own ? (
                <Form.Item key={p.id} label={`${p.name}的满意度`}>
                  <Typography.Text>{own.satisfaction == null ? '已自行答复' : `已自行答复：${SCORES.find((s) => s.value === own.satisfaction)?.label ?? `${own.satisfaction}分`}`}</Typography.Text>
                </Form.Item>
              ) : (
                <Form.Item key={p.id} label={`${p.name}的满意度`} name={['scores', p.id]}>
                  <Select allowClear placeholder="未询问" style={{ width: 150 }} options={SCORES} />
                </Form.Item>
              );
            })}
          </Space>
          <Form.Item label="回访记录" name="note"><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="relapsed" valuePropName="checked"><Checkbox>纠纷又起（将另立新案）</Checkbox></Form.Item>
          {relapsed && (
            <Form.Item label="新发生的情况" name="relapseDescription" rules={[{ required: true, min: 10, message: '请至少写10个字' }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit">记录回访</Button>
        </Form>
      )}
    </Card>
  );
}

const ORDER_STATUS: Record<string, { name: string; color: string }> = {
  OPEN: { name: '待答复', color: 'red' },
  ANSWERED: { name: '已答复', color: 'green' },
  ESCALATED: { name: '已上提', color: 'orange' },
};

/** Supervision orders about this case received by the mediator's organisation, answered here. */
export function SupervisionOrders({ c, onDone }: { c: CaseData; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const { me } = useSession();
  const [answers, setAnswers] = useState<Record<string, { measures: string; result: string }>>({});
  if (c.supervisionOrders.length === 0) return null;
  return (
    <Card size="small" title="督办单" style={{ marginBottom: 12 }}>
      <List
        size="small"
        aria-label="督办单"
        dataSource={c.supervisionOrders}
        renderItem={(o) => {
          const mayAnswer = o.status === 'OPEN' && o.receivingOrganization.id === me?.organization?.id;
          const v = answers[o.id] ?? { measures: '', result: '' };
          return (
            <List.Item>
              <div style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color={ORDER_STATUS[o.status]?.color}>{ORDER_STATUS[o.status]?.name ?? o.status}</Tag>
                  <span>{o.issuingOrganization?.name ?? '系统'} 于 {when(o.createdAt)} 督办，{when(o.dueAt)} 前答复</span>
                </Space>
                <p style={{ margin: '4px 0' }}>原因：{o.reason}</p>
                <p style={{ margin: '4px 0' }}>要求：{o.requiredAction}</p>
                {o.measures && <p style={{ margin: '4px 0' }}>已采取措施：{o.measures}{o.result ? `；结果：${o.result}` : ''}（{when(o.answeredAt)}）</p>}
                {mayAnswer && (
                  <div>
                    <Input.TextArea aria-label="采取的措施" placeholder="采取的措施" rows={2} value={v.measures} onChange={(e) => setAnswers({ ...answers, [o.id]: { ...v, measures: e.target.value } })} />
                    <Input aria-label="办理结果" placeholder="办理结果（可不填）" value={v.result} onChange={(e) => setAnswers({ ...answers, [o.id]: { ...v, result: e.target.value } })} style={{ marginTop: 8 }} />
                    <Button type="primary" style={{ marginTop: 8 }} disabled={v.measures.trim().length < 2}
                      onClick={() => act(async () => unwrap((await request(RESPOND_SUPERVISION, { input: { orderId: o.id, measures: v.measures, result: v.result || null } })).respondToSupervision), '已答复督办')}>
                      答复督办
                    </Button>
                  </div>
                )}
              </div>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
