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

export function FollowUpList({ c }: { c: CaseData }) {
  if (c.followUps.length === 0) return null;
  return (
    <List
      size="small"
      aria-label="回访安排"
      dataSource={c.followUps}
      renderItem={(f) => (
        <List.Item>
          <div>
            <strong>{FOLLOW_UP_KIND[f.kind] ?? f.kind}</strong>{' '}
            <Tag color={FOLLOW_UP_STATUS[f.status]?.color}>{FOLLOW_UP_STATUS[f.status]?.name ?? f.status}</Tag>
            <div>
              <Typography.Text type="secondary">
                {f.status === 'DONE' ? `${when(f.recordedAt)} ${FOLLOW_UP_METHOD[f.method ?? ''] ?? ''}回访${f.note ? `：${f.note}` : ''}` : `约 ${when(f.dueAt)} 前`}
              </Typography.Text>
            </div>
          </div>
        </List.Item>
      )}
    />
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
  return (
    <Card size="small" title="回访和评价" style={{ marginBottom: 12 }}>
      {c.followUps.length > 0 && (
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>调解员会按下面的时间回访，了解协议履行情况：</Typography.Paragraph>
          <FollowUpList c={c} />
        </>
      )}
      {ended && (mine ? (
        <p style={{ marginTop: 8 }}>您的评价：<Tag color="green">{SCORES.find((s) => s.value === mine.score)?.label ?? `${mine.score}分`}</Tag>{mine.comment ? `“${mine.comment}”` : ''}</p>
      ) : (
        <div style={{ marginTop: 8 }}>
          <Typography.Paragraph style={{ marginBottom: 4 }}>请为这次调解打分（只有调解组织能看到，对方看不到）：</Typography.Paragraph>
          <Radio.Group aria-label="调解满意度" value={score} onChange={(e) => setScore(e.target.value as number)} style={{ display: 'grid', gap: 4 }}
            options={SCORES} />
          <Input.TextArea aria-label="评价意见" placeholder="想说的话（可不填）" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} style={{ marginTop: 8 }} maxLength={500} />
          <Button type="primary" style={{ marginTop: 8 }} disabled={score === null}
            onClick={() => act(async () => unwrap((await request(RATE, { input: { caseId: c.id, score: score!, comment: comment.trim() || null } })).rateMediation), '感谢您的评价')}>
            提交评价
          </Button>
        </div>
      ))}
    </Card>
  );
}
