import { lazy, Suspense, useState } from 'react';
import { Alert, Button, Card, Input, List, Modal, Radio, Space, Spin, Tag, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { graphql, request, unwrap, type ResultOf } from '../graphql';
import { when } from '../labels';
import { useAct } from '../pages/party-case';

const JOIN = graphql(`
  mutation JoinSession($input: JoinSessionInput!) {
    joinSession(input: $input) {
      __typename
      ... on JoinSessionSuccess { join { provider url token roomName expiresAt identityCheck { method passed } } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const ANOTHER = graphql(`
  mutation RequestAnotherMediator($input: RequestAnotherMediatorInput!) {
    requestAnotherMediator(input: $input) {
      __typename
      ... on RequestAnotherMediatorSuccess { case { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const ANSWER = graphql(`
  mutation AnswerFollowUp($input: AnswerFollowUpInput!) {
    answerFollowUp(input: $input) {
      __typename
      ... on AnswerFollowUpSuccess { answer { partyId satisfaction } followUp { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const RATE = graphql(`
  mutation RateMediation($input: RateMediationInput!) {
    rateMediation(input: $input) {
      __typename
      ... on RateMediationSuccess { rating { id score } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Join = Extract<ResultOf<typeof JOIN>['joinSession'], { __typename: 'JoinSessionSuccess' }>['join'];

// The LiveKit SDK is fetched only when someone enters a LiveKit room: it would not fit the party entry's budget.
// A chunk that cannot be fetched (the network dropped) is told as such instead of breaking the page.
const VideoRoom = lazy(() =>
  import('./video-room').catch(() => ({
    default: () => <Alert type="error" showIcon role="alert" title="视频组件加载失败，请检查网络后关闭此窗口重新进入。" />,
  })),
);

/**
 * Joining a video session re-checks the party's identity (OMR 17: password or the last 4 characters
 * of the ID number); the API then hands out the room. An external meeting opens in a new tab; a
 * LiveKit room opens in the page with the token handed out.
 */
export function VideoJoin({ sessionId, party = true }: { sessionId: string; party?: boolean }) {
  const [open, setOpen] = useState(false);
  const [how, setHow] = useState<'password' | 'last4'>('password');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [join, setJoin] = useState<Join | null>(null);
  const inRoom = open && join?.provider === 'livekit' && !!join.token;
  // A token is for one entry: leaving forgets it, and entering again asks the API for a new one.
  const leave = () => {
    setOpen(false);
    if (join?.provider === 'livekit') setJoin(null);
  };
  return (
    <>
      <Button type="primary" onClick={() => { setOpen(true); setError(null); }}>进入视频调解</Button>
      <Modal
        open={open}
        title="进入视频调解"
        okText={join ? '关闭' : party ? '核验并进入' : '取得入口'}
        cancelText="取消"
        confirmLoading={busy}
        width={inRoom ? 960 : undefined}
        // Closing the window leaves the room: the component unmounts and disconnects.
        destroyOnHidden
        footer={inRoom ? null : undefined}
        onCancel={leave}
        onOk={async () => {
          if (join) return setOpen(false);
          setBusy(true);
          setError(null);
          try {
            // Only parties re-check their identity (OMR 17); the mediator joins as the session's host.
            const check = !party ? {} : how === 'password' ? { password: secret } : { idNumberLast4: secret };
            const r = unwrap((await request(JOIN, { input: { sessionId, ...check } })).joinSession);
            if (r.__typename === 'JoinSessionSuccess') setJoin(r.join);
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
            setSecret('');
          }
        }}
      >
        {join ? (
          join.provider === 'external' ? (
            <>
              <p>身份已核验。视频会议在新页面打开，有效至 {when(join.expiresAt)}。</p>
              <a href={join.url} target="_blank" rel="noreferrer noopener">打开视频会议</a>
            </>
          ) : join.token ? (
            <Suspense fallback={<p><Spin size="small" /> 正在加载视频组件…</p>}>
              <VideoRoom url={join.url} token={join.token} onLeave={leave} />
            </Suspense>
          ) : (
            <Alert type="error" showIcon role="alert" title="视频服务没有给出入口，请联系调解员。" />
          )
        ) : !party ? (
          <>
            <p>取得会议室入口后在新页面打开。</p>
            {error && <Alert type="error" title={error} role="alert" style={{ marginTop: 8 }} />}
          </>
        ) : (
          <>
            <p>为确认是您本人参加调解，请再次核验身份。</p>
            <Radio.Group aria-label="核验方式" value={how} onChange={(e) => setHow(e.target.value as 'password' | 'last4')} style={{ marginBottom: 8 }}
              options={[{ value: 'password', label: '用登录密码' }, { value: 'last4', label: '用身份证号后4位' }]} />
            {how === 'password'
              ? <Input.Password aria-label="登录密码" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="current-password" />
              : <Input aria-label="身份证号后4位" value={secret} maxLength={4} onChange={(e) => setSecret(e.target.value)} />}
            {error && <Alert type="error" title={error} role="alert" style={{ marginTop: 8 }} />}
          </>
        )}
      </Modal>
    </>
  );
}

/** OMR 13–14: a party may ask once for another mediator; a second request ends mediation. */
export function AnotherMediator({ c, onDone }: { c: CaseData; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (c.status !== 'MEDIATING' || !c.mediator) return null;
  return (
    <Card size="small" title="更换调解员" style={{ marginBottom: 12 }}>
      {!open ? (
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            如果您认为调解员与对方有利害关系、或者不公正，可以申请换一位调解员。
          </Typography.Paragraph>
          <Button onClick={() => setOpen(true)}>申请更换调解员</Button>
        </>
      ) : (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 8 }} title="第一次申请会由调解组织另派调解员；再次申请将终止本次调解。" />
          <Input.TextArea aria-label="更换原因" placeholder="请说明原因" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" disabled={reason.trim().length < 2}
              onClick={async () => {
                if (await act(async () => unwrap((await request(ANOTHER, { input: { caseId: c.id, reason } })).requestAnotherMediator), '已提交更换申请')) setOpen(false);
              }}>
              提交更换申请
            </Button>
            <Button onClick={() => setOpen(false)}>返回</Button>
          </Space>
        </>
      )}
    </Card>
  );
}

const FOLLOW_UP_KIND: Record<string, string> = { AFTER_EFFECT: '协议生效后回访', TERM_DUE: '履行期满回访', ADDED: '追加回访' };
const FOLLOW_UP_STATUS: Record<string, { name: string; color: string }> = {
  SCHEDULED: { name: '待回访', color: 'blue' },
  DONE: { name: '已回访', color: 'green' },
  CANCELLED: { name: '已取消', color: 'default' },
};
export const FOLLOW_UP_METHOD: Record<string, string> = { PHONE: '电话', VISIT: '上门', VIDEO: '视频', MESSAGE: '短信或留言' };
export const SCORES = [
  { value: 5, label: '5分 很满意' },
  { value: 4, label: '4分 满意' },
  { value: 3, label: '3分 一般' },
  { value: 2, label: '2分 不满意' },
  { value: 1, label: '1分 很不满意' },
];
/** server/domain/follow-up/rate-mediation.ts: a case is rated once mediation is over. */
const ENDED = ['SETTLED', 'FAILED', 'CONFIRMATION_PENDING', 'CONFIRMED', 'CONFIRMATION_REJECTED', 'LITIGATION', 'WITHDRAWN', 'CLOSED'];

/** What a party may say of a term (server/domain/follow-up/types.ts PARTY_TERM_PERFORMANCES). */
export const PARTY_PERFORMANCE: Record<string, string> = { PERFORMED: '已履行', PARTLY_PERFORMED: '部分履行', NOT_PERFORMED: '未履行' };
const PERFORMANCE_COLOR: Record<string, string> = { PERFORMED: 'green', PARTLY_PERFORMED: 'orange', NOT_PERFORMED: 'red' };

type FollowUp = CaseData['followUps'][number];
type Answer = FollowUp['answers'][number];

/** One party's own answer to a follow-up: per term, satisfaction, comment. */
function AnswerView({ a, who }: { a: Answer; who: string }) {
  return (
    <section aria-label={`${who}的回访答复`} style={{ marginTop: 6, padding: '6px 8px', background: '#fafafa', borderRadius: 6 }}>
      <Typography.Text strong>{who}的答复</Typography.Text>{' '}
      <Typography.Text type="secondary">{when(a.answeredAt)}</Typography.Text>
      <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
        {a.terms.map((t) => (
          <li key={t.termNo}>
            第{t.termNo}项：<Tag color={PERFORMANCE_COLOR[t.performance]}>{PARTY_PERFORMANCE[t.performance] ?? t.performance}</Tag>
            {t.note ?? ''}
          </li>
        ))}
      </ul>
      <div>满意度：{SCORES.find((s) => s.value === a.satisfaction)?.label ?? `${a.satisfaction}分`}</div>
      {a.comment && <div>意见：{a.comment}</div>}
    </section>
  );
}

/**
 * The follow-ups of the case with the parties' own answers that the viewer may read: a party reads
 * only its own (named 您), the mediator side reads every party's.
 */
export function FollowUpList({ c, myPartyId }: { c: CaseData; myPartyId?: string }) {
  if (c.followUps.length === 0) return null;
  const nameOf = (partyId: string) => (partyId === myPartyId ? '您' : c.parties.find((p) => p.id === partyId)?.name ?? '当事人');
  return (
    <List
      size="small"
      aria-label="回访安排"
      dataSource={c.followUps}
      renderItem={(f) => (
        <List.Item>
          <div style={{ width: '100%' }}>
            <strong>{FOLLOW_UP_KIND[f.kind] ?? f.kind}</strong>{' '}
            <Tag color={FOLLOW_UP_STATUS[f.status]?.color}>{FOLLOW_UP_STATUS[f.status]?.name ?? f.status}</Tag>
            <div>
              <Typography.Text type="secondary">
                {f.status === 'DONE' ? `${when(f.recordedAt)} ${FOLLOW_UP_METHOD[f.method ?? ''] ?? ''}回访${f.note ? `：${f.note}` : ''}` : `约 ${when(f.dueAt)} 前`}
              </Typography.Text>
            </div>
            {f.answers.map((a) => <AnswerView key={a.partyId} a={a} who={nameOf(a.partyId)} />)}
          </div>
        </List.Item>
      )}
    />
  );
}

interface TermAnswer { performance?: string; note: string }

/**
 * The party answers an open follow-up itself: for each term of the agreement whether it has been
 * performed (with a short note), its satisfaction and a comment. Sent once; the mediator reads it.
 */
function AnswerFollowUp({ c, f, onDone }: { c: CaseData; f: FollowUp; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const terms = c.agreement?.terms ?? [];
  const [answers, setAnswers] = useState<TermAnswer[]>(() => terms.map(() => ({ note: '' })));
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const set = (i: number, patch: Partial<TermAnswer>) => setAnswers((all) => all.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const complete = score !== null && answers.every((a) => a.performance);
  return (
    <section aria-label="回答回访" style={{ marginTop: 8, borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
      <Typography.Paragraph strong style={{ marginBottom: 4 }}>回答回访（{FOLLOW_UP_KIND[f.kind] ?? '回访'}）</Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        请告诉调解员协议各项的履行情况。您的答复只有调解组织能看到，对方看不到；提交后不能修改。
      </Typography.Paragraph>
      {terms.map((t, i) => (
        <div key={i} style={{ marginBottom: 12 }}>
          <div style={{ marginBottom: 4 }}>第{i + 1}项：{t.text}</div>
          <Radio.Group aria-label={`第${i + 1}项履行情况`} optionType="button" buttonStyle="solid" value={answers[i]?.performance}
            onChange={(e) => set(i, { performance: e.target.value as string })}
            options={Object.entries(PARTY_PERFORMANCE).map(([value, label]) => ({ value, label }))} />
          <Input aria-label={`第${i + 1}项说明`} placeholder="简要说明（可不填）" maxLength={200} value={answers[i]?.note}
            onChange={(e) => set(i, { note: e.target.value })} style={{ marginTop: 6 }} />
        </div>
      ))}
      <div style={{ marginBottom: 4 }}>您对调解结果和履行情况满意吗？</div>
      <Radio.Group aria-label="回访满意度" value={score} onChange={(e) => setScore(e.target.value as number)} style={{ display: 'grid', gap: 4 }}
        options={SCORES} />
      <Input.TextArea aria-label="回访意见" placeholder="想对调解员说的话（可不填）" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} style={{ marginTop: 8 }} maxLength={1000} />
      <Button type="primary" block style={{ marginTop: 8 }} disabled={!complete}
        onClick={() => act(async () => unwrap((await request(ANSWER, {
          input: {
            followUpId: f.id,
            terms: answers.map((a, i) => ({ termNo: i + 1, performance: a.performance as 'PERFORMED' | 'PARTLY_PERFORMED' | 'NOT_PERFORMED', note: a.note.trim() || null })),
            satisfaction: score!,
            comment: comment.trim() || null,
          },
        })).answerFollowUp), '已提交回访答复')}>
        提交回访答复
      </Button>
    </section>
  );
}

/** The party's side of the follow-up: the visits planned or made, and their own rating of the mediation. */
export function FollowUpAndRating({ c, myPartyId, onDone }: { c: CaseData; myPartyId: string | undefined; onDone: () => Promise<void> }) {
  const act = useAct(onDone);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const ended = ENDED.includes(c.status);
  if (!myPartyId || (!ended && c.followUps.length === 0)) return null;
  const mine = c.ratings.find((r) => r.partyId === myPartyId && r.source === 'PARTY');
  // The earliest open follow-up the party has not answered yet.
  const open = c.followUps.find((f) => f.status === 'SCHEDULED' && !f.answers.some((a) => a.partyId === myPartyId));
  return (
    <Card size="small" title="回访和评价" style={{ marginBottom: 12 }}>
      {c.followUps.length > 0 && (
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>调解员会按下面的时间回访，了解协议履行情况：</Typography.Paragraph>
          <FollowUpList c={c} myPartyId={myPartyId} />
          {open && c.agreement && <AnswerFollowUp key={open.id} c={c} f={open} onDone={onDone} />}
        </>
      )}
      {ended && (mine ? (
        <p style={{ marginTop: 8 }}>您的评价：<Tag color="green">{SCORES.find((s) => s.value === mine.score)?.label ?? `${mine.score}分`}</Tag>{mine.comment ? `“${mine.comment}”` : ''}</p>
      ) : (
        <section aria-label="评价这次调解" style={{ marginTop: 8, borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
          <Typography.Paragraph strong style={{ marginBottom: 4 }}>评价这次调解</Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 4 }}>请为这次调解打分（只有调解组织能看到，对方看不到）：</Typography.Paragraph>
          <Radio.Group aria-label="调解满意度" value={score} onChange={(e) => setScore(e.target.value as number)} style={{ display: 'grid', gap: 4 }}
            options={SCORES} />
          <Input.TextArea aria-label="评价意见" placeholder="想说的话（可不填）" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} style={{ marginTop: 8 }} maxLength={500} />
          <Button type="primary" style={{ marginTop: 8 }} disabled={score === null}
            onClick={() => act(async () => unwrap((await request(RATE, { input: { caseId: c.id, score: score!, comment: comment.trim() || null } })).rateMediation), '感谢您的评价')}>
            提交评价
          </Button>
        </section>
      ))}
    </Card>
  );
}
