import { useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, List, Spin, Tag, Typography } from 'antd';
import { graphql, request, type ResultOf } from '../graphql';
import { CATEGORY, STATUS, countdown } from '../labels';
import { Link, navigate } from '../router';

const MY_CASES = graphql(`
  query MyCases {
    cases(first: 50) {
      edges { node { id number title status category createdAt dueAt organization { name } } }
    }
  }
`);

export function MyCasesPage() {
  const [data, setData] = useState<ResultOf<typeof MY_CASES> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    request(MY_CASES).then(setData, (e: Error) => setError(e.message));
  }, []);
  const now = Date.now();
  return (
    <>
      <Button type="primary" size="large" block onClick={() => navigate('/cases/new')} style={{ marginBottom: 12 }}>
        申请调解
      </Button>
      <Card title={<h1 style={{ margin: 0, fontSize: '1.2rem' }}>我的纠纷</h1>}>
        {error && <Alert type="error" title={error} role="alert" />}
        {!data && !error && <Spin aria-label="加载中" />}
        {data && data.cases.edges.length === 0 && <Empty description="还没有纠纷。遇到矛盾，点上方“申请调解”。" />}
        {data && data.cases.edges.length > 0 && (
          <List
            dataSource={data.cases.edges.map((e) => e.node)}
            renderItem={(c) => (
              <List.Item>
                <List.Item.Meta
                  title={<Link to={`/cases/${c.id}`}>{c.title}</Link>}
                  description={
                    <>
                      <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.name ?? c.status}</Tag>
                      <Typography.Text type="secondary">{CATEGORY[c.category]?.name} · {c.number}</Typography.Text>
                      {c.dueAt && <div>{countdown(c.dueAt, now)}</div>}
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </>
  );
}
