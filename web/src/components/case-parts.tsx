import { useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, List, Tag, Timeline, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { fetchFile } from '../graphql';
import { DEADLINE, eventName, STATUS, countdown, when } from '../labels';

/** Re-renders once a minute so countdowns move. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function Deadlines({ c }: { c: CaseData }) {
  const now = useNow();
  const open = c.deadlines.filter((d) => d.open);
  return (
    <Card size="small" title="期限" style={{ marginBottom: 12 }}>
      {open.length === 0 ? (
        <Typography.Text type="secondary">当前没有进行中的期限</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={open}
          renderItem={(d) => (
            <List.Item>
              <div>
                <strong>{DEADLINE[d.kind] ?? d.kind}</strong>：{when(d.dueAt)}{' '}
                <Tag color={d.overdue ? 'red' : 'blue'}>{countdown(d.dueAt, now)}</Tag>
                <div>
                  <Typography.Text type="secondary">
                    依据：{d.source}；{d.amount}{d.rule === 'WORKING_DAYS' ? '个工作日' : d.rule === 'MONTHS' ? '个月' : d.rule === 'YEARS' ? '年' : '日'}
                    {d.basis === 'PROVISIONAL' ? '（节假日按预估安排计算）' : ''}
                  </Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export function Routing({ c }: { c: CaseData }) {
  return (
    <Card size="small" title="调解组织和调解员" style={{ marginBottom: 12 }}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label="调解组织">{c.organization?.name ?? '尚未确定'}</Descriptions.Item>
        <Descriptions.Item label="调解员">{c.mediator ? `${c.mediator.name}${c.mediator.title ? `（${c.mediator.title}）` : ''}` : '尚未确定'}</Descriptions.Item>
      </Descriptions>
      {c.routing && (
        <>
          <Typography.Text strong>为什么由这里调解</Typography.Text>
          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
            {[...c.routing.reasons, ...c.routing.mediatorReasons].map((r, i) => <li key={i}>{r}</li>)}
          </ul>
        </>
      )}
    </Card>
  );
}

export function CaseTimeline({ c }: { c: CaseData }) {
  return (
    <Card size="small" title="办理经过" style={{ marginBottom: 12 }}>
      <Timeline
        items={c.events.map((e) => ({
          key: e.seq,
          content: (
            <>
              <div>{eventName(e.type)}{e.afterStatus ? ` → ${STATUS[e.afterStatus]?.name ?? e.afterStatus}` : ''}</div>
              <Typography.Text type="secondary">{when(e.at)}{e.actorName ? ` · ${e.actorName}` : ''}</Typography.Text>
            </>
          ),
        }))}
      />
    </Card>
  );
}

/** Saves a file handed out by the API (with the session token) under a name. */
export function DownloadButton({ url, name, label }: { url: string; name: string; label: string }) {
  const { message } = App.useApp();
  return (
    <Button
      onClick={async () => {
        try {
          const blob = await fetchFile(url);
          const a = document.createElement('a');
          a.href = URL.createObjectURL(blob);
          a.download = name;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        } catch (e) {
          message.error((e as Error).message);
        }
      }}
    >
      {label}
    </Button>
  );
}

export function AgreementText({ a }: { a: NonNullable<CaseData['agreement']> }) {
  return (
    <article aria-label="调解协议正文" style={{ background: '#fff', padding: 12, border: '1px solid #e5e5e5', borderRadius: 6, marginBottom: 12 }}>
      <h3 style={{ textAlign: 'center' }}>人民调解协议书</h3>
      <p>编号：{a.number}（第 {a.version} 版）</p>
      <h4>纠纷事实</h4>
      <p style={{ whiteSpace: 'pre-wrap' }}>{a.facts}</p>
      <h4>争议事项</h4>
      <p style={{ whiteSpace: 'pre-wrap' }}>{a.issues}</p>
      <h4>协议内容</h4>
      <ol>
        {a.terms.map((t, i) => (
          <li key={i}>{t.text}{t.amount ? `（金额 ${t.amount} 元` : ''}{t.amount && t.dueDate ? `，${t.dueDate} 前` : t.amount ? '' : ''}{t.amount ? '）' : ''}</li>
        ))}
      </ol>
      <p>履行方式：{a.performanceMethod}；履行期限：{a.performanceDeadline}{a.performancePlace ? `；履行地点：${a.performancePlace}` : ''}</p>
      {a.responsibilities && <p>责任承担：{a.responsibilities}</p>}
      <p>违约责任：{a.breachClause}</p>
      <h4>签字</h4>
      <ul>
        {a.signatures.map((s, i) => <li key={i}>{s.name}（{s.role === 'MEDIATOR' ? '调解员' : '当事人'}）于 {when(s.signedAt)} 签字</li>)}
        {a.signatures.length === 0 && <li>尚无人签字</li>}
      </ul>
    </article>
  );
}
