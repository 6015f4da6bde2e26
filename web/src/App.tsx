import { lazy, Suspense, useEffect, useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Layout, Radio, Space, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { match, navigate, RouterProvider, usePath, Link } from './router';
import { homeOf, SessionProvider, useSession } from './session';
import { LoginPage, RegisterPage, ResetPage } from './pages/auth';
import { MyCasesPage } from './pages/my-cases';
import { VerifyPage } from './pages/verify';

// Everything past the party's first screens loads on demand, so a phone downloads little up front.
const FilePage = lazy(() => import('./pages/file-dispute'));
const PartyCasePage = lazy(() => import('./pages/party-case'));
const QueuePage = lazy(() => import('./pages/mediator-queue'));
const MediatorCasePage = lazy(() => import('./pages/mediator-case'));
// Staff pages (statistics, ledger, supervision, subsidies, rosters) in their own chunks.
const StaffPage = lazy(() => import('./pages/staff'));
const GridPage = lazy(() => import('./pages/grid'));

const SIZES = { normal: 15, large: 18, xlarge: 21 } as const;
type Size = keyof typeof SIZES;

export function App() {
  const [size, setSize] = useState<Size>(() => (localStorage.getItem('jiefen.textSize') as Size | null) ?? 'normal');
  useEffect(() => {
    localStorage.setItem('jiefen.textSize', size);
    document.documentElement.style.fontSize = `${SIZES[size]}px`;
  }, [size]);
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { fontSize: SIZES[size], colorPrimary: '#1f6f5c', borderRadius: 6 } }}>
      <AntApp>
        <RouterProvider>
          <SessionProvider>
            <Shell size={size} setSize={setSize} />
          </SessionProvider>
        </RouterProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function Shell({ size, setSize }: { size: Size; setSize: (s: Size) => void }) {
  const { me, loading, signOut } = useSession();
  const path = usePath();
  const wide = path.startsWith('/workbench') || path.startsWith('/staff');
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f7f6' }}>
      <header style={{ background: '#1f6f5c', color: '#fff', padding: '8px 12px' }}>
        <div style={{ maxWidth: wide ? 1280 : 640, margin: '0 auto', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, justifyContent: 'space-between' }}>
          <Link to={me ? homeOf(me.role, me.organization) : '/'} aria-label="解纷 首页">
            <strong style={{ color: '#fff', fontSize: '1.2rem' }}>解纷</strong>
          </Link>
          <Space wrap size={6}>
            <Radio.Group
              size="small"
              value={size}
              onChange={(e) => setSize(e.target.value as Size)}
              optionType="button"
              aria-label="字号"
              options={[
                { label: '标准字', value: 'normal', title: '标准字号' },
                { label: '大字', value: 'large', title: '大字号' },
                { label: '超大字', value: 'xlarge', title: '超大字号' },
              ]}
            />
            {me && (
              <>
                {me.role !== 'PARTY' && me.role !== 'GRID_WORKER' && (
                  <>
                    <Link to="/staff" style={{ color: '#fff' }}>工作台</Link>
                    <Link to="/workbench" style={{ color: '#fff' }}>待办案件</Link>
                  </>
                )}
                <span style={{ color: '#fff' }}>{me.name}</span>
                <Button size="small" onClick={() => { signOut(); navigate('/login'); }}>
                  退出
                </Button>
              </>
            )}
          </Space>
        </div>
      </header>
      <main style={{ maxWidth: wide ? 1280 : 640, width: '100%', margin: '0 auto', padding: 12 }}>
        {loading ? <Spin aria-label="加载中" /> : (
          <Suspense fallback={<Spin aria-label="加载中" />}>
            <Routes path={path} />
          </Suspense>
        )}
      </main>
    </Layout>
  );
}

function Routes({ path }: { path: string }) {
  const { me } = useSession();
  let m: Record<string, string> | null;
  if ((m = match('/verify/:code', path))) return <VerifyPage code={m.code!} />;
  if (path === '/register') return <RegisterPage />;
  if (path === '/reset') return <ResetPage />;
  if (!me || path === '/login') return <LoginPage />;
  if (path === '/' ) {
    queueMicrotask(() => navigate(homeOf(me.role, me.organization)));
    return null;
  }
  if (path === '/cases') return <MyCasesPage />;
  if (path === '/cases/new') return <FilePage />;
  if ((m = match('/cases/:id', path))) return <PartyCasePage id={m.id!} />;
  if (path === '/workbench') return <QueuePage />;
  if ((m = match('/workbench/cases/:id', path))) return <MediatorCasePage id={m.id!} />;
  if (path === '/staff' || path.startsWith('/staff/')) return <StaffPage path={path} />;
  if (path === '/grid') return <GridPage />;
  return (
    <Typography.Paragraph>
      页面不存在。<Link to="/">回到首页</Link>
    </Typography.Paragraph>
  );
}
