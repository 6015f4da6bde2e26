import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, List, Space, Tag, Typography } from 'antd';
import { graphql, request, subscribe, unwrap, type ResultOf } from '../graphql';

const ROOM = graphql(`
  subscription SessionRoom($sessionId: ID!, $after: Int) {
    sessionRoom(sessionId: $sessionId, after: $after) { id seq kind body authorName authorRole createdAt }
  }
`);
const POST = graphql(`
  mutation PostSessionMessage($input: PostSessionMessageInput!) {
    postSessionMessage(input: $input) {
      __typename
      ... on PostSessionMessageSuccess { roomMessage { seq } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Message = ResultOf<typeof ROOM>['sessionRoom'];

/** The live room of a session: replays from the last message seen, so a reconnect loses nothing. */
export function Room({ sessionId, onMinutes }: { sessionId: string; onMinutes?: () => void }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const last = useRef(0);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const close = subscribe(
      ROOM,
      { sessionId, after: last.current },
      (d) => {
        const m = d.sessionRoom;
        if (m.seq <= last.current) return;
        last.current = m.seq;
        setError(null);
        if (m.kind === 'MINUTES') onMinutes?.();
        else setMessages((ms) => [...ms, m]);
      },
      (e) => {
        setError(`连接中断，正在重连（${e.message}）`);
        setTimeout(() => setAttempt((a) => a + 1), 2000);
      },
    );
    return close;
  }, [sessionId, attempt]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section aria-label="调解室消息">
      {error && <Alert type="warning" title={error} style={{ marginBottom: 8 }} />}
      <List
        size="small"
        bordered
        style={{ maxHeight: 320, overflowY: 'auto', background: '#fff' }}
        locale={{ emptyText: '还没有消息' }}
        dataSource={messages}
        renderItem={(m) => (
          <List.Item>
            <div>
              {m.kind === 'PRESENCE' ? (
                <Typography.Text type="secondary">{m.authorName} {m.body === 'JOINED' ? '进入了调解室' : '离开了调解室'}</Typography.Text>
              ) : (
                <>
                  <strong>{m.authorName ?? '系统'}</strong>
                  {m.kind === 'PROPOSAL' && <Tag color="gold" style={{ marginLeft: 6 }}>方案</Tag>}
                  <div>{m.body}</div>
                </>
              )}
            </div>
          </List.Item>
        )}
      />
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input aria-label="输入消息" placeholder="输入消息" value={text} onChange={(e) => setText(e.target.value)} onPressEnter={() => void send()} />
        <Button type="primary" onClick={() => void send()}>发送</Button>
      </Space.Compact>
    </section>
  );
  async function send() {
    const body = text.trim();
    if (!body) return;
    try {
      unwrap((await request(POST, { input: { sessionId, body } })).postSessionMessage);
      setText('');
    } catch (e) {
      setError((e as Error).message);
    }
  }
}
