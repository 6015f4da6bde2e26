import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Space, Spin, Tag, Typography } from 'antd';
import { CASE, type CaseData } from '../case-query';
import { AgreementText, CaseTimeline, Deadlines, DownloadButton, Routing } from '../components/case-parts';
import { EvidenceCard } from '../components/evidence';
import { AnotherMediator, FollowUpAndRating, VideoJoin } from '../components/party-extras';
import { Room } from '../components/room';
import { graphql, request, unwrap } from '../graphql';
import { AGREEMENT_STATUS, CATEGORY, CONFIRMATION_STATUS, STATUS, nextStep, when } from '../labels';
import { Link } from '../router';

const RESPOND = graphql(`
  mutation RespondToMediation($input: RespondToMediationInput!) {
    respondToMediation(input: $input) {
      __typename
      ... on RespondToMediationSuccess { case { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CONFIRM_MINUTES = graphql(`
  mutation ConfirmMinutes($input: ConfirmMinutesInput!) {
    confirmMinutes(input: $input) {
      __typename
      ... on ConfirmMinutesSuccess { session { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CONFIRM_FACT = graphql(`
  mutation ConfirmUndisputedFact($input: ConfirmUndisputedFactInput!) {
    confirmUndisputedFact(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
export const SIGN = graphql(`
  mutation SignAgreement($input: SignAgreementInput!) {
    signAgreement(input: $input) {
      __typename
      ... on SignAgreementSuccess { agreement { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const APPLY = graphql(`
  mutation ApplyForJudicialConfirmation($input: ApplyForJudicialConfirmationInput!) {
    applyForJudicialConfirmation(input: $input) {
      __typename
      ... on ApplyForJudicialConfirmationSuccess { application { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

/** Runs a mutation, reports its typed error, reloads the case on success. */
export function useAct(reload: () => Promise<void>) {
  const { message } = App.useApp();
  return async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      message.success(ok);
      await reload();
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    }
  };
}

export function useCase(id: string) {
  const [data, setData] = useState<{ c: CaseData | null; me: { id: string; phone: string } | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const d = await request(CASE, { id });
      setData({ c: d.case ?? null, me: d.me ?? null });
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload };
}

/** Signing is the act of re-entering the password (the server checks it). */
export function SignButton({ agreementId, onDone }: { agreementId: string; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const act = useAct(onDone);
  return (
    <>
      <Button type="primary" size="large" onClick={() => setOpen(true)}>签署协议</Button>
      <Modal
        open={open}
        title="签署调解协议"
        okText="确认签字"
        cancelText="取消"
        onCancel={() => setOpen(false)}
        onOk={async () => {
          if (await act(async () => unwrap((await request(SIGN, { input: { agreementId, password } })).signAgreement), '已签字')) setOpen(false);
        }}
      >
        <p>请再次输入登录密码，表示您已阅读并同意协议的全部内容。签字后协议对您有约束力。</p>
        <Input.Password aria-label="登录密码" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
      </Modal>
    </>
  );
}

export default function PartyCasePage({ id }: { id: string }) {
  const { data, error, reload } = useCase(id);
  const act = useAct(reload);
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [court, setCourt] = useState<string | null>(null);
  if (error) return <Alert type="error" title={error} role="alert" />;
  if (!data) return <Spin aria-label="加载中" />;
  const c = data.c;
  if (!c) return <Alert type="warning" title="没有找到这个纠纷，或者您无权查看。" action={<Link to="/cases">返回我的纠纷</Link>} role="alert" />;
  const mine = c.parties.find((p) => p.phone === data.me?.phone);
  const mustRespond = c.status === 'AWAITING_RESPONDENT' && mine?.role === 'RESPONDENT' && mine.consent === 'PENDING';
  const a = c.agreement;
  const signed = !!a?.signatures.some((s) => s.partyId === mine?.id);
  const mustSign = a?.status === 'SIGNING' && !signed;
  const applied = !!c.confirmation?.applicants.some((x) => x.partyId === mine?.id);
  return (
    <>
      <Card style={{ marginBottom: 12 }}>
        <h1 style={{ fontSize: '1.3rem', marginTop: 0 }}>{c.title}</h1>
        <Space wrap>
          <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.name ?? c.status}</Tag>
          <span>{CATEGORY[c.category]?.name}</span>
          <span>编号 {c.number}</span>
        </Space>
        <Alert style={{ marginTop: 12 }} type={mustRespond || mustSign ? 'warning' : 'info'} showIcon title={`下一步：${nextStep(c.status, { mustRespond, mustSign })}`} />
      </Card>

      {mustRespond && (
        <Card title="是否同意调解" style={{ marginBottom: 12 }}>
          <Typography.Paragraph>
            <strong>同意</strong>：由调解员组织双方协商，不收费；达成的协议签字后生效，可申请法院确认。调解中您随时可以退出。
          </Typography.Paragraph>
          <Typography.Paragraph>
            <strong>不同意</strong>：调解不能进行，本次申请结束；对方可以向法院起诉。
          </Typography.Paragraph>
          {!refusing ? (
            <Space wrap>
              <Button type="primary" size="large" onClick={() => act(async () => unwrap((await request(RESPOND, { input: { caseId: c.id, accept: true } })).respondToMediation), '您已同意调解')}>同意调解</Button>
              <Button size="large" danger onClick={() => setRefusing(true)}>不同意</Button>
            </Space>
          ) : (
            <Form layout="vertical">
              <Form.Item label="不同意的原因（可不填）">
                <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
              </Form.Item>
              <Space>
                <Button danger type="primary" onClick={() => act(async () => unwrap((await request(RESPOND, { input: { caseId: c.id, accept: false, reason: reason || null } })).respondToMediation), '已答复不同意调解')}>确认不同意</Button>
                <Button onClick={() => setRefusing(false)}>返回</Button>
              </Space>
            </Form>
          )}
        </Card>
      )}

      <Deadlines c={c} />
      <Routing c={c} />
      <AnotherMediator c={c} onDone={reload} />
      <EvidenceCard c={c} onChanged={reload} canUpload={!!mine} />

      {c.sessions.filter((s) => s.status === 'SCHEDULED').map((s) => {
        const m = s.minutes;
        const confirmed = !!m?.confirmations.some((x) => x.partyId === mine?.id && x.version === m.version);
        return (
          <Card key={s.id} size="small" title={`调解会：${when(s.startsAt)}`} style={{ marginBottom: 12 }}>
            {s.place && <p>地点：{s.place}</p>}
            {s.mode === 'VIDEO' && <p><VideoJoin sessionId={s.id} /></p>}
            <Room sessionId={s.id} onMinutes={() => void reload()} />
            <Card size="small" type="inner" title="调解笔录" style={{ marginTop: 12 }}>
              {m ? (
                <>
                  <p style={{ whiteSpace: 'pre-wrap' }}>{m.text}</p>
                  {m.lockedAt ? <Tag color="green">各方已确认</Tag> : confirmed ? <Tag color="blue">您已确认，等待其他人</Tag> : (
                    <Button type="primary" onClick={() => act(async () => unwrap((await request(CONFIRM_MINUTES, { input: { sessionId: s.id, version: m.version } })).confirmMinutes), '已确认笔录')}>
                      笔录无误，确认
                    </Button>
                  )}
                </>
              ) : <Typography.Text type="secondary">调解员还没有记录笔录</Typography.Text>}
            </Card>
          </Card>
        );
      })}

      {c.sessions.filter((s) => s.status === 'CANCELLED').map((s) => (
        <Alert key={s.id} type="warning" showIcon style={{ marginBottom: 12 }} title={`原定 ${when(s.startsAt)} 的调解会已取消${s.cancelReason ? `：${s.cancelReason}` : ''}`} />
      ))}

      {c.undisputedFacts.length > 0 && (
        <Card size="small" title="双方无争议的事实" style={{ marginBottom: 12 }}>
          <ul style={{ paddingLeft: 20 }}>
            {c.undisputedFacts.map((f) => (
              <li key={f.id}>
                {f.text}{' '}
                {mine && (f.confirmedPartyIds.includes(mine.id) ? <Tag color="green">已确认</Tag> : (
                  <Button size="small" onClick={() => act(async () => unwrap((await request(CONFIRM_FACT, { input: { factId: f.id } })).confirmUndisputedFact), '已确认')}>确认这条事实</Button>
                ))}
              </li>
            ))}
          </ul>
        </Card>
      )}

      {a && (
        <Card title={`调解协议（${AGREEMENT_STATUS[a.status] ?? a.status}）`} style={{ marginBottom: 12 }}>
          <AgreementText a={a} />
          <Space wrap style={{ marginBottom: 12 }}>
            <DownloadButton url={a.pdfUrl} name={`调解协议-${a.number}.pdf`} label="下载协议 PDF" />
            {mustSign && <SignButton agreementId={a.id} onDone={reload} />}
            {signed && <Tag color="green">您已签字</Tag>}
          </Space>
          {a.status === 'EFFECTIVE' && (
            <Card size="small" type="inner" title="申请司法确认">
              <Typography.Paragraph>
                协议经法院确认后，如果对方不履行，您可以直接申请法院强制执行。需要双方共同申请，截止时间：{when(a.confirmationDeadline)}。
              </Typography.Paragraph>
              {c.confirmation && <p>申请状态：<Tag color="blue">{CONFIRMATION_STATUS[c.confirmation.status] ?? c.confirmation.status}</Tag>（{c.confirmation.court.name}）</p>}
              {!applied && (
                <>
                  <Radio.Group value={court} onChange={(e) => setCourt(e.target.value as string)} style={{ display: 'grid', gap: 8 }} aria-label="选择法院">
                    {a.eligibleCourts.map((ec) => (
                      <Radio key={ec.court.id} value={ec.court.id}>
                        <strong>{ec.court.name}</strong>
                        <div><Typography.Text type="secondary">{ec.reasons.join('；')}</Typography.Text></div>
                      </Radio>
                    ))}
                  </Radio.Group>
                  <Button type="primary" style={{ marginTop: 12 }} disabled={!court}
                    onClick={() => act(async () => unwrap((await request(APPLY, { input: { agreementId: a.id, courtId: court! } })).applyForJudicialConfirmation), '已提交申请')}>
                    申请司法确认
                  </Button>
                </>
              )}
            </Card>
          )}
          <p style={{ marginTop: 8 }}>
            核验码：<Link to={`/verify/${a.verificationCode}`}>{a.verificationCode}</Link>
          </p>
        </Card>
      )}

      <FollowUpAndRating c={c} myPartyId={mine?.id} onDone={reload} />
      <CaseTimeline c={c} />
    </>
  );
}
