import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { graphql, request, tokenStore, type ResultOf } from './graphql';

export const ME = graphql(`
  query Me { me { id name phone role organization { id name kind level regionCode } } }
`);
const LOGOUT = graphql(`mutation Logout { logout(input: {}) { __typename } }`);
export type Me = NonNullable<ResultOf<typeof ME>['me']>;

interface SessionValue {
  me: Me | null;
  loading: boolean;
  /** Stores a token from login/register and loads the user. */
  signIn(token: string): Promise<Me | null>;
  signOut(): void;
}

const Ctx = createContext<SessionValue>({ me: null, loading: true, signIn: async () => null, signOut() {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    if (!tokenStore.get()) return null;
    try {
      return (await request(ME)).me ?? null;
    } catch {
      return null;
    }
  }, []);
  useEffect(() => {
    void load().then((m) => {
      setMe(m);
      setLoading(false);
    });
  }, [load]);
  const value: SessionValue = {
    me,
    loading,
    async signIn(token) {
      tokenStore.set(token);
      const m = await load();
      setMe(m);
      return m;
    },
    signOut() {
      void request(LOGOUT).catch(() => undefined);
      tokenStore.set(null);
      setMe(null);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx);

/** Organisations that serve a whole division (综治中心, 司法局/司法所): their admins start on the staff dashboard. */
const REGION_SERVING = new Set(['COMPREHENSIVE_CENTER', 'ADMINISTRATIVE_AGENCY']);

/** Where each role starts. */
export function homeOf(role: string | undefined, organization?: { kind: string } | null): string {
  if (role === 'PARTY' || !role) return '/cases';
  if (role === 'PLATFORM_ADMIN' || (role === 'ORG_ADMIN' && organization && REGION_SERVING.has(organization.kind))) return '/staff';
  return role === 'GRID_WORKER' ? '/grid' : '/workbench';
}
