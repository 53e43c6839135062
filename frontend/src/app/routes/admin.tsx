import { useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { UsersPanel } from '@/features/admin';
import { useMe } from '@/features/auth';

const SECTIONS = [
  { to: '/admin', label: 'Users', end: true },
  { to: '/admin/jobs', label: 'Jobs', end: false },
  { to: '/admin/audit', label: 'Audit log', end: true },
  { to: '/admin/backups', label: 'Backups', end: true },
  { to: '/admin/workers', label: 'Workers', end: true },
  { to: '/admin/access', label: 'Joining', end: true },
] as const;

/** The administration pages: one section per sub-route, so each can be linked to and Back works. */
export function AdminLayout() {
  const { pathname } = useLocation();
  const section = SECTIONS.find((s) => (s.end ? pathname === s.to : pathname.startsWith(s.to))) ?? SECTIONS[0];
  useEffect(() => {
    document.title = `${section.label} · Administration · Whisper Transcriber`;
  }, [section.label]);
  return (
    <div className="page">
      <h1 className="page__title">Administration</h1>
      <nav className="admin-nav" aria-label="Administration">
        {SECTIONS.map((s) => (
          <NavLink key={s.to} to={s.to} end={s.end} className="admin-nav__link">
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}

export function AdminUsersRoute() {
  const me = useMe();
  return <UsersPanel currentUserId={me.data?.id} />;
}
