import { useEffect, useState } from 'react';
import { Alert, Card, Descriptions, Result, Spin } from 'antd';
import { graphql, request, type ResultOf } from '../graphql';
import { AGREEMENT_STATUS, when } from '../labels';

const VERIFY = graphql(`
  query VerifyAgreement($code: String!) {
    verifyAgreement(code: $code) { number version status organizationName effectiveAt confirmationDeadline sha256 }
  }
`);

/** Public: what the QR code on a printed agreement opens. */
export function VerifyPage({ code }: { code: string }) {
  const [data, setData] = useState<ResultOf<typeof VERIFY> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    request(VERIFY, { code }).then(setData, (e: Error) => setError(e.message));
  }, [code]);
  if (error) return <Alert type="error" title={error} role="alert" />;
  if (!data) return <Spin aria-label="加载中" />;
  const v = data.verifyAgreement;
  if (!v) return <Result status="warning" title="查无此协议" subTitle="验证码不正确，或该协议不存在。请核对协议上的二维码。" />;
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.2rem' }}>调解协议核验</h1>}>
      <Result status={v.status === 'EFFECTIVE' ? 'success' : 'info'} title={`该协议${AGREEMENT_STATUS[v.status] ?? v.status}`} />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="协议编号">{v.number}（第 {v.version} 版）</Descriptions.Item>
        <Descriptions.Item label="调解组织">{v.organizationName}</Descriptions.Item>
        <Descriptions.Item label="生效时间">{when(v.effectiveAt)}</Descriptions.Item>
        <Descriptions.Item label="申请司法确认截止">{when(v.confirmationDeadline)}</Descriptions.Item>
        <Descriptions.Item label="文件指纹（SHA-256）"><code style={{ wordBreak: 'break-all' }}>{v.sha256 ?? '—'}</code></Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
