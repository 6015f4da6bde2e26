import { lazy, Suspense } from 'react';
import { Space, Spin, Typography } from 'antd';
import { Link } from '../../router';
import { useSession } from '../../session';
import { StaffRegionProvider } from './common';

// Each page in its own chunk: the dashboard's charts are not downloaded to read the rosters.
const Dashboard = lazy(() => import('./dashboard'));
const Screening = lazy(() => import('./screening'));
const Supervision = lazy(() => import('./supervision'));
const Subsidy = lazy(() => import('./subsidy'));
const Rosters = lazy(() => import('./rosters'));

const PAGES = [
  { path: '/staff', name: '工作台', Page: Dashboard },
  { path: '/staff/screening', name: '排查台账', Page: Screening },
  { path: '/staff/supervision', name: '督办', Page: Supervision },
  { path: '/staff/subsidy', name: '以案定补', Page: Subsidy },
  { path: '/staff/rosters', name: '组织与调解员名册', Page: Rosters },
] as const;

/** The pages of county and township staff (综治中心, 司法局, 司法所, organisation admins). */
export default function StaffPage({ path }: { path: string }) {
  const { me } = useSession();
  const current = PAGES.find((p) => p.path === path.replace(/\/+$/, ''));
  if (!me || me.role === 'PARTY' || me.role === 'GRID_WORKER') {
    return <Typography.Paragraph>此页面供调解组织和政法工作人员使用。</Typography.Paragraph>;
  }
  return (
    <StaffRegionProvider>
      <nav aria-label="工作台导航" style={{ marginBottom: 12 }}>
        <Space wrap size={4}>
          {PAGES.map((p) => (
            <Link key={p.path} to={p.path} aria-current={p === current ? 'page' : undefined} className={p === current ? 'staff-tab staff-tab-on' : 'staff-tab'}>
              {p.name}
            </Link>
          ))}
        </Space>
      </nav>
      <style>{`
        .staff-tab { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #1f6f5c; background: #fff; border: 1px solid #cfe0da; }
        .staff-tab-on { background: #1f6f5c; color: #fff; border-color: #1f6f5c; }
        .staff-tab:focus-visible { outline: 3px solid #f0a020; outline-offset: 2px; }
      `}</style>
      <Suspense fallback={<Spin aria-label="加载中" />}>
        {current ? <current.Page /> : <Typography.Paragraph>页面不存在。<Link to="/staff">回到工作台</Link></Typography.Paragraph>}
      </Suspense>
    </StaffRegionProvider>
  );
}
