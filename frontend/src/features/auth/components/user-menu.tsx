import { useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Icon } from '@/components';
import { useMe } from '../api/auth';
import { useSessionObject } from '../lib/use-session';

export interface UserMenuLink {
  to: string;
  label: string;
  adminOnly?: boolean;
}

/**
 * The signed-in account in the header: email and role on a button that opens a small
 * menu of links and "Sign out" (a disclosure: Tab moves through it, Escape closes it).
 */
export function UserMenu({ links }: { links: UserMenuLink[] }) {
  const me = useMe();
  const session = useSessionObject();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const email = me.data?.email ?? '…';
  const role = me.data?.role;
  const signOut = async () => {
    setSigningOut(true);
    await session.signOut();
    void navigate('/login', { replace: true });
  };

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-label={`Account menu: ${email}${role ? `, ${role}` : ''}`}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="user-menu__avatar" aria-hidden="true">
          {email.charAt(0).toUpperCase()}
        </span>
        <span className="user-menu__who">
          <span className="user-menu__email" data-testid="user-email">
            {email}
          </span>
          {role && <span className={`user-menu__role user-menu__role--${role}`}>{role}</span>}
        </span>
        <Icon name="chevron" size={14} />
      </button>
      {open && (
        <div id={`${id}-menu`} className="user-menu__panel">
          <ul className="user-menu__list">
            {links
              .filter((link) => !link.adminOnly || role === 'admin')
              .map((link) => (
                <li key={link.to}>
                  <Link className="user-menu__item" to={link.to} onClick={() => setOpen(false)}>
                    {link.label}
                  </Link>
                </li>
              ))}
            <li>
              <button
                type="button"
                className="user-menu__item user-menu__item--danger"
                onClick={() => void signOut()}
                disabled={signingOut}
              >
                Sign out
              </button>
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
