import type { ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { EmptyState, ErrorAlert, Spinner } from '@/components';
import { useMe } from '../api/auth';
import { safeNext } from '../lib/errors';
import { useSession } from '../lib/use-session';

function Starting() {
  return (
    <div className="loading-block loading-block--page">
      <Spinner size={22} label="Signing you in" />
    </div>
  );
}

/** App pages: only with a session; otherwise to /login, coming back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'starting') return <Starting />;
  if (status === 'signed-out') {
    const here = `${location.pathname}${location.search}${location.hash}`;
    const to = here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return children;
}

/** Sign-in pages: someone already signed in goes on (to `?next=` or home). */
export function PublicOnly({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const [params] = useSearchParams();
  if (status === 'starting') return <Starting />;
  if (status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  return children;
}

/** Admin pages: the server checks too (403); this only avoids showing a useless page. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Starting />;
  if (me.isError) return <ErrorAlert title="Your account could not be loaded" error={me.error} />;
  if (me.data.role !== 'admin') {
    return (
      <EmptyState icon="alert" title="Administrators only">
        This page needs an administrator account.
      </EmptyState>
    );
  }
  return children;
}
