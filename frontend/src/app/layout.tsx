import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { ThemeToggle } from '@/components';
import { RequireAuth, UserMenu, type UserMenuLink } from '@/features/auth';

const ACCOUNT_LINKS: UserMenuLink[] = [
  { to: '/account/usage', label: 'Usage and quotas' },
  { to: '/account/api-keys', label: 'API keys' },
  { to: '/account/password', label: 'Change password' },
  { to: '/admin', label: 'Administration', adminOnly: true },
];

/** The signed-in app: header with the account menu, then the page. */
export function Layout() {
  return (
    <RequireAuth>
      <Frame />
    </RequireAuth>
  );
}

function Frame() {
  const { pathname } = useLocation();
  // Block bodies: newer browsers return a Promise from scrollTo, which is not a cleanup.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="Whisper Transcriber, all jobs">
            <img src="/icon.svg" alt="" width={30} height={30} className="brand__logo" />
            <span className="brand__name">Whisper Transcriber</span>
          </Link>
          <nav className="topbar__nav" aria-label="Main">
            <Link to="/" className="topbar__link" aria-current={pathname === '/' ? 'page' : undefined}>
              Jobs
            </Link>
            <Link to="/search" className="topbar__link" aria-current={pathname === '/search' ? 'page' : undefined}>
              Search
            </Link>
          </nav>
          <ThemeToggle />
          <UserMenu links={ACCOUNT_LINKS} />
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
